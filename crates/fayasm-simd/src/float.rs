//! Float lane arithmetic: `add`, `sub`, `mul`, `div`, `sqrt`, `min`, `max`, `pmin`, `pmax`,
//! `abs`, `neg`, `ceil`, `floor`, `trunc` and `nearest` for `f32x4` and `f64x2`.
//!
//! NaN results follow one deterministic rule, identical on every host (hardware NaN
//! propagation differs: x86 keeps the first operand and makes negative NaNs, Arm prefers
//! signalling operands and makes positive ones, and LLVM may commute operands), chosen among
//! what the spec allows and matching `fayasm_core::num` wherever that is deterministic:
//! - `abs`, `neg`: only the sign bit changes, payloads are kept (as the spec requires).
//! - `pmin`, `pmax`: return one operand unchanged, bits and all (as the spec requires).
//! - `min`, `max`: the positive canonical NaN when either lane is NaN; `-0 < +0` (exactly
//!   `fayasm_core::num::f32_min` and friends).
//! - every other operator: a NaN operand lane propagates, quieted (the first NaN operand in
//!   operand order); a NaN made from non-NaN operands (`inf - inf`, `0 * inf`, `sqrt(-1)`) is the
//!   positive canonical NaN `0x7fc00000` / `0x7ff8000000000000`.

use crate::V128;
use fayasm_core::num;

/// Quiet bit of an `f32` NaN.
pub(crate) const F32_QUIET: u32 = 0x0040_0000;
/// Quiet bit of an `f64` NaN.
pub(crate) const F64_QUIET: u64 = 0x0008_0000_0000_0000;
/// The positive canonical `f32` NaN.
pub(crate) const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// The positive canonical `f64` NaN.
pub(crate) const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

/// Generates the NaN fix-up helpers for one float lane type.
macro_rules! nan_rules {
    ($t:ty, $bits:ty, $quiet:ident, $canon:ident, $fix1:ident, $fix2:ident, $fix3:ident) => {
        /// The NaN result when operand lanes `a`, `b`, `c` (in operand order; a unary or
        /// binary operator passes `0.0` for the missing ones, never a NaN) gave a NaN: the
        /// first NaN operand quieted, else the positive canonical NaN.
        ///
        /// The lanes travel by value, in registers: a slice of a stack array here would let
        /// the address of the caller's stack escape into a call, and LLVM then keeps every
        /// call of the caller a real call, so the interpreter's handler that inlines the lane
        /// function could not tail-jump to the next handler.
        #[cold]
        #[inline(never)]
        fn $fix1(a: $t, b: $t, c: $t) -> $t {
            let pick = if a.is_nan() {
                a
            } else if b.is_nan() {
                b
            } else if c.is_nan() {
                c
            } else {
                return <$t>::from_bits($canon);
            };
            <$t>::from_bits(pick.to_bits() | $quiet)
        }

        /// Applies the NaN rule to `r = f(a)` lane-wise.
        #[inline(always)]
        pub(crate) fn $fix2<const N: usize>(mut r: [$t; N], a: [$t; N]) -> [$t; N] {
            if r.iter().any(|x| x.is_nan()) {
                for i in 0..N {
                    if r[i].is_nan() {
                        r[i] = $fix1(a[i], 0.0, 0.0);
                    }
                }
            }
            r
        }

        /// Applies the NaN rule to `r = f(a, b)` (and `f(a, b, c)` when `c` is given) lane-wise.
        #[inline(always)]
        pub(crate) fn $fix3<const N: usize>(
            mut r: [$t; N],
            a: [$t; N],
            b: [$t; N],
            c: Option<[$t; N]>,
        ) -> [$t; N] {
            if r.iter().any(|x| x.is_nan()) {
                for i in 0..N {
                    if r[i].is_nan() {
                        r[i] = match c {
                            Some(c) => $fix1(a[i], b[i], c[i]),
                            None => $fix1(a[i], b[i], 0.0),
                        };
                    }
                }
            }
            r
        }
    };
}

nan_rules!(f32, u32, F32_QUIET, F32_CANONICAL_NAN, first_nan_f32, nan_rule1_f32, nan_rule_f32);
nan_rules!(f64, u64, F64_QUIET, F64_CANONICAL_NAN, first_nan_f64, nan_rule1_f64, nan_rule_f64);

/// Generates arithmetic binary operators under the NaN rule.
macro_rules! arith {
    ($($name:ident, $to:ident, $from:ident, $fix:ident, $op:tt, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (a, b) = (a.$to(), b.$to());
            let r = core::array::from_fn(|i| a[i] $op b[i]);
            V128::$from($fix(r, a, b, None))
        }
    )*};
}

arith! {
    f32x4_add, to_f32x4, from_f32x4, nan_rule_f32, +, "`f32x4.add`, round to nearest even.";
    f32x4_sub, to_f32x4, from_f32x4, nan_rule_f32, -, "`f32x4.sub`, round to nearest even.";
    f32x4_mul, to_f32x4, from_f32x4, nan_rule_f32, *, "`f32x4.mul`, round to nearest even.";
    f32x4_div, to_f32x4, from_f32x4, nan_rule_f32, /, "`f32x4.div`, round to nearest even.";
    f64x2_add, to_f64x2, from_f64x2, nan_rule_f64, +, "`f64x2.add`, round to nearest even.";
    f64x2_sub, to_f64x2, from_f64x2, nan_rule_f64, -, "`f64x2.sub`, round to nearest even.";
    f64x2_mul, to_f64x2, from_f64x2, nan_rule_f64, *, "`f64x2.mul`, round to nearest even.";
    f64x2_div, to_f64x2, from_f64x2, nan_rule_f64, /, "`f64x2.div`, round to nearest even.";
}

/// Generates unary operators under the NaN rule, from the scalar semantics in `fayasm_core::num`.
macro_rules! unary {
    ($($name:ident, $to:ident, $from:ident, $fix:ident, $f:path, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128) -> V128 {
            let a = a.$to();
            V128::$from($fix(a.map($f), a))
        }
    )*};
}

unary! {
    f32x4_sqrt, to_f32x4, from_f32x4, nan_rule1_f32, num::f32_sqrt, "`f32x4.sqrt`: correctly rounded square root.";
    f32x4_ceil, to_f32x4, from_f32x4, nan_rule1_f32, num::f32_ceil, "`f32x4.ceil`: round toward +inf.";
    f32x4_floor, to_f32x4, from_f32x4, nan_rule1_f32, num::f32_floor, "`f32x4.floor`: round toward -inf.";
    f32x4_trunc, to_f32x4, from_f32x4, nan_rule1_f32, num::f32_trunc, "`f32x4.trunc`: round toward zero.";
    f32x4_nearest, to_f32x4, from_f32x4, nan_rule1_f32, num::f32_nearest, "`f32x4.nearest`: round to nearest, ties to even.";
    f64x2_sqrt, to_f64x2, from_f64x2, nan_rule1_f64, num::f64_sqrt, "`f64x2.sqrt`: correctly rounded square root.";
    f64x2_ceil, to_f64x2, from_f64x2, nan_rule1_f64, num::f64_ceil, "`f64x2.ceil`: round toward +inf.";
    f64x2_floor, to_f64x2, from_f64x2, nan_rule1_f64, num::f64_floor, "`f64x2.floor`: round toward -inf.";
    f64x2_trunc, to_f64x2, from_f64x2, nan_rule1_f64, num::f64_trunc, "`f64x2.trunc`: round toward zero.";
    f64x2_nearest, to_f64x2, from_f64x2, nan_rule1_f64, num::f64_nearest, "`f64x2.nearest`: round to nearest, ties to even.";
}

/// `f32x4.abs`: clears each sign bit (NaN payloads kept).
#[inline]
pub fn f32x4_abs(a: V128) -> V128 {
    V128(a.0 & !0x8000_0000_8000_0000_8000_0000_8000_0000)
}

/// `f32x4.neg`: flips each sign bit (NaN payloads kept).
#[inline]
pub fn f32x4_neg(a: V128) -> V128 {
    V128(a.0 ^ 0x8000_0000_8000_0000_8000_0000_8000_0000)
}

/// `f64x2.abs`: clears each sign bit (NaN payloads kept).
#[inline]
pub fn f64x2_abs(a: V128) -> V128 {
    V128(a.0 & !0x8000_0000_0000_0000_8000_0000_0000_0000)
}

/// `f64x2.neg`: flips each sign bit (NaN payloads kept).
#[inline]
pub fn f64x2_neg(a: V128) -> V128 {
    V128(a.0 ^ 0x8000_0000_0000_0000_8000_0000_0000_0000)
}

/// Generates lane-wise float binary operators from a scalar function (no NaN fix-up needed).
macro_rules! lanewise {
    ($($name:ident, $to:ident, $from:ident, $f:expr, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (a, b) = (a.$to(), b.$to());
            V128::$from(core::array::from_fn(|i| $f(a[i], b[i])))
        }
    )*};
}

lanewise! {
    f32x4_min, to_f32x4, from_f32x4, num::f32_min,
        "`f32x4.min`: the canonical NaN if either lane is NaN; `-0` is below `+0`.";
    f32x4_max, to_f32x4, from_f32x4, num::f32_max,
        "`f32x4.max`: the canonical NaN if either lane is NaN; `+0` is above `-0`.";
    f64x2_min, to_f64x2, from_f64x2, num::f64_min,
        "`f64x2.min`: the canonical NaN if either lane is NaN; `-0` is below `+0`.";
    f64x2_max, to_f64x2, from_f64x2, num::f64_max,
        "`f64x2.max`: the canonical NaN if either lane is NaN; `+0` is above `-0`.";
    f32x4_pmin, to_f32x4, from_f32x4, |x: f32, y: f32| if y < x { y } else { x },
        "`f32x4.pmin`: `b < a ? b : a`, bits unchanged (NaN in `a` or `b` gives `a`).";
    f32x4_pmax, to_f32x4, from_f32x4, |x: f32, y: f32| if x < y { y } else { x },
        "`f32x4.pmax`: `a < b ? b : a`, bits unchanged (NaN in `a` or `b` gives `a`).";
    f64x2_pmin, to_f64x2, from_f64x2, |x: f64, y: f64| if y < x { y } else { x },
        "`f64x2.pmin`: `b < a ? b : a`, bits unchanged (NaN in `a` or `b` gives `a`).";
    f64x2_pmax, to_f64x2, from_f64x2, |x: f64, y: f64| if x < y { y } else { x },
        "`f64x2.pmax`: `a < b ? b : a`, bits unchanged (NaN in `a` or `b` gives `a`).";
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::vec::Vec;

    /// `f32` edge values as bits: NaNs of every kind, zeros, infinities, subnormals, rounding ties.
    pub(crate) const F32_EDGES: [u32; 24] = [
        0x7fc0_0000, // canonical NaN
        0xffc0_0000, // negative canonical NaN
        0x7fa0_0000, // signalling NaN (spec suite's nan:0x200000)
        0xff80_0001, // negative signalling NaN, minimal payload
        0x7fe0_1234, // quiet NaN with payload
        0x0000_0000,
        0x8000_0000,
        0x7f80_0000,
        0xff80_0000,
        0x0000_0001, // smallest subnormal
        0x807f_ffff, // largest negative subnormal
        0x7f7f_ffff, // MAX
        0xff7f_ffff, // MIN
        0x3f80_0000, // 1
        0xbf80_0000, // -1
        0x3f00_0000, // 0.5
        0xbfc0_0000, // -1.5
        0x4020_0000, // 2.5
        0xbf00_0001, // just below -0.5
        0x4b00_0001, // 2^23 + 1
        0x4f00_0000, // 2^31
        0xcf00_0000, // -2^31
        0x4f80_0000, // 2^32
        0x3eaa_aaab, // 1/3
    ];

    /// `f64` edge values as bits.
    pub(crate) const F64_EDGES: [u64; 24] = [
        0x7ff8_0000_0000_0000,
        0xfff8_0000_0000_0000,
        0x7ff4_0000_0000_0000,
        0xfff0_0000_0000_0001,
        0x7ffc_0000_0000_1234,
        0,
        0x8000_0000_0000_0000,
        0x7ff0_0000_0000_0000,
        0xfff0_0000_0000_0000,
        1,
        0x800f_ffff_ffff_ffff,
        0x7fef_ffff_ffff_ffff,
        0xffef_ffff_ffff_ffff,
        0x3ff0_0000_0000_0000,
        0xbff0_0000_0000_0000,
        0x3fe0_0000_0000_0000,
        0xbff8_0000_0000_0000,
        0x4004_0000_0000_0000,
        0xbfe0_0000_0000_0001,
        0x4330_0000_0000_0001, // 2^52 + 1
        0x41e0_0000_0000_0000, // 2^31
        0xc1e0_0000_0020_0000, // -2^31 - 1
        0x41f0_0000_0000_0000, // 2^32
        0x41ef_ffff_ffe0_0000, // 2^32 - 1
    ];

    /// Every pair of `f32` edges, four lanes at a time: `(a, b)` with lanes `[x, y, x, y]` and
    /// `[y, x, y, y]`.
    pub(crate) fn f32_pairs() -> Vec<(V128, V128)> {
        let mut v = Vec::new();
        for &x in &F32_EDGES {
            for &y in &F32_EDGES {
                v.push((V128::from_u32x4([x, y, x, y]), V128::from_u32x4([y, x, y, y])));
            }
        }
        v
    }

    /// Every pair of `f64` edges: lanes `[x, y]` and `[y, x]`.
    pub(crate) fn f64_pairs() -> Vec<(V128, V128)> {
        let mut v = Vec::new();
        for &x in &F64_EDGES {
            for &y in &F64_EDGES {
                v.push((V128::from_u64x2([x, y]), V128::from_u64x2([y, x])));
            }
        }
        v
    }

    /// The NaN rule, written out: first NaN operand quieted, else positive canonical.
    pub(crate) fn expect_nan32(ops: &[f32]) -> u32 {
        ops.iter().find(|x| x.is_nan()).map_or(0x7fc0_0000, |x| x.to_bits() | 0x0040_0000)
    }

    /// The NaN rule, written out: first NaN operand quieted, else positive canonical.
    pub(crate) fn expect_nan64(ops: &[f64]) -> u64 {
        ops.iter().find(|x| x.is_nan()).map_or(0x7ff8_0000_0000_0000, |x| x.to_bits() | (1 << 51))
    }

    /// A reference `f32` result: `r` (computed in `f64` and rounded once, which is exact for
    /// these operators), or the NaN rule's NaN.
    fn ref32(r: f64, ops: &[f32]) -> u32 {
        if r.is_nan() { expect_nan32(ops) } else { (r as f32).to_bits() }
    }

    /// A reference `f64` result, or the NaN rule's NaN.
    fn ref64(r: f64, ops: &[f64]) -> u64 {
        if r.is_nan() { expect_nan64(ops) } else { r.to_bits() }
    }

    #[test]
    fn f32_arithmetic_matches_reference() {
        type Op = (fn(V128, V128) -> V128, fn(f64, f64) -> f64);
        let ops: [Op; 4] = [
            (f32x4_add, |x, y| x + y),
            (f32x4_sub, |x, y| x - y),
            (f32x4_mul, |x, y| x * y),
            (f32x4_div, |x, y| x / y),
        ];
        for (f, r) in ops {
            for (a, b) in f32_pairs() {
                let (x, y) = (a.to_f32x4(), b.to_f32x4());
                let want: [u32; 4] = core::array::from_fn(|i| {
                    ref32(r(f64::from(x[i]), f64::from(y[i])), &[x[i], y[i]])
                });
                assert_eq!(f(a, b).to_u32x4(), want, "{a:x?} {b:x?}");
            }
        }
    }

    #[test]
    fn f64_arithmetic_matches_reference() {
        type Op = (fn(V128, V128) -> V128, fn(f64, f64) -> f64);
        let ops: [Op; 4] = [
            (f64x2_add, |x, y| x + y),
            (f64x2_sub, |x, y| x - y),
            (f64x2_mul, |x, y| x * y),
            (f64x2_div, |x, y| x / y),
        ];
        for (f, r) in ops {
            for (a, b) in f64_pairs() {
                let (x, y) = (a.to_f64x2(), b.to_f64x2());
                let want: [u64; 2] = core::array::from_fn(|i| ref64(r(x[i], y[i]), &[x[i], y[i]]));
                assert_eq!(f(a, b).to_u64x2(), want, "{a:x?} {b:x?}");
            }
        }
    }

    #[test]
    fn nan_rule_hand_checked() {
        let inf = V128::from_f32x4([f32::INFINITY; 4]);
        // Made from non-NaN operands: positive canonical on every host.
        assert_eq!(f32x4_sub(inf, inf), V128::from_u32x4([0x7fc0_0000; 4]));
        assert_eq!(f32x4_mul(V128::ZERO, inf), V128::from_u32x4([0x7fc0_0000; 4]));
        assert_eq!(f32x4_div(V128::ZERO, V128::ZERO), V128::from_u32x4([0x7fc0_0000; 4]));
        assert_eq!(f32x4_sqrt(V128::from_f32x4([-1.0; 4])), V128::from_u32x4([0x7fc0_0000; 4]));
        assert_eq!(
            f64x2_sqrt(V128::from_f64x2([-1.0, f64::NEG_INFINITY])),
            V128::from_u64x2([0x7ff8_0000_0000_0000; 2])
        );
        // Propagated: the first NaN operand, quieted, sign and payload kept.
        let snan = V128::from_u32x4([0xffa0_0001; 4]);
        let qnan = V128::from_u32x4([0x7fc0_0123; 4]);
        assert_eq!(f32x4_add(snan, qnan), V128::from_u32x4([0xffe0_0001; 4]));
        assert_eq!(f32x4_add(qnan, snan), V128::from_u32x4([0x7fc0_0123; 4]));
        assert_eq!(f32x4_mul(V128::ZERO, snan), V128::from_u32x4([0xffe0_0001; 4]));
        assert_eq!(f32x4_sqrt(snan), V128::from_u32x4([0xffe0_0001; 4]));
        assert_eq!(f32x4_ceil(snan), V128::from_u32x4([0xffe0_0001; 4]));
        // Lanes are independent.
        let mixed = V128::from_u32x4([0x7fa0_0000, 0x3f80_0000, 0x7f80_0000, 0x0000_0000]);
        let other = V128::from_u32x4([0x3f80_0000, 0x3f80_0000, 0xff80_0000, 0x8000_0000]);
        assert_eq!(f32x4_add(mixed, other).to_u32x4(), [0x7fe0_0000, 0x4000_0000, 0x7fc0_0000, 0]);
    }

    #[test]
    fn unary_f32_matches_reference() {
        type Op = (fn(V128) -> V128, fn(f64) -> f64);
        let ops: [Op; 5] = [
            (f32x4_sqrt, f64::sqrt),
            (f32x4_ceil, f64::ceil),
            (f32x4_floor, f64::floor),
            (f32x4_trunc, f64::trunc),
            (f32x4_nearest, f64::round_ties_even),
        ];
        for (f, r) in ops {
            for (a, _) in f32_pairs() {
                let x = a.to_f32x4();
                let want: [u32; 4] = core::array::from_fn(|i| ref32(r(f64::from(x[i])), &[x[i]]));
                assert_eq!(f(a).to_u32x4(), want, "{a:x?}");
            }
        }
        // Signs of zero survive rounding.
        let v = V128::from_f32x4([-0.5, 0.5, -0.0, -0.4]);
        assert_eq!(f32x4_ceil(v).to_u32x4(), [0x8000_0000, 0x3f80_0000, 0x8000_0000, 0x8000_0000]);
        assert_eq!(f32x4_nearest(v).to_u32x4(), [0x8000_0000, 0, 0x8000_0000, 0x8000_0000]);
        assert_eq!(
            f32x4_nearest(V128::from_f32x4([2.5, 3.5, -2.5, 1.5])).to_f32x4(),
            [2.0, 4.0, -2.0, 2.0]
        );
        assert_eq!(
            f32x4_trunc(V128::from_f32x4([-1.9, 1.9, -0.1, 8388609.0])).to_f32x4(),
            [-1.0, 1.0, -0.0, 8388609.0]
        );
        assert_eq!(
            f32x4_floor(V128::from_f32x4([-0.1, 0.1, -1.0, 0.0])).to_u32x4(),
            [0xbf80_0000, 0, 0xbf80_0000, 0]
        );
    }

    #[test]
    fn unary_f64_matches_reference() {
        type Op = (fn(V128) -> V128, fn(f64) -> f64);
        let ops: [Op; 5] = [
            (f64x2_sqrt, f64::sqrt),
            (f64x2_ceil, f64::ceil),
            (f64x2_floor, f64::floor),
            (f64x2_trunc, f64::trunc),
            (f64x2_nearest, f64::round_ties_even),
        ];
        for (f, r) in ops {
            for (a, _) in f64_pairs() {
                let x = a.to_f64x2();
                let want: [u64; 2] = core::array::from_fn(|i| ref64(r(x[i]), &[x[i]]));
                assert_eq!(f(a).to_u64x2(), want, "{a:x?}");
            }
        }
        assert_eq!(
            f64x2_nearest(V128::from_f64x2([-0.5, 4503599627370497.0])).to_u64x2(),
            [1 << 63, 0x4330_0000_0000_0001]
        );
    }

    #[test]
    fn abs_neg_touch_only_the_sign() {
        for (a, _) in f32_pairs() {
            assert_eq!(f32x4_abs(a).to_u32x4(), a.to_u32x4().map(|x| x & 0x7fff_ffff));
            assert_eq!(f32x4_neg(a).to_u32x4(), a.to_u32x4().map(|x| x ^ 0x8000_0000));
        }
        for (a, _) in f64_pairs() {
            assert_eq!(f64x2_abs(a).to_u64x2(), a.to_u64x2().map(|x| x & !(1 << 63)));
            assert_eq!(f64x2_neg(a).to_u64x2(), a.to_u64x2().map(|x| x ^ (1 << 63)));
        }
    }

    /// Reference `min`/`max` on `f64` values, `-0 < +0`, canonical NaN for any NaN.
    fn ref_minmax(x: f64, y: f64, min: bool) -> Option<f64> {
        if x.is_nan() || y.is_nan() {
            None
        } else if x == 0.0 && y == 0.0 {
            let neg = if min {
                x.is_sign_negative() || y.is_sign_negative()
            } else {
                x.is_sign_negative() && y.is_sign_negative()
            };
            Some(if neg { -0.0 } else { 0.0 })
        } else if (x < y) == min {
            Some(x)
        } else {
            Some(y)
        }
    }

    #[test]
    fn min_max_pmin_pmax() {
        for (a, b) in f32_pairs() {
            let (x, y) = (a.to_f32x4(), b.to_f32x4());
            for (f, min) in [(f32x4_min as fn(V128, V128) -> V128, true), (f32x4_max, false)] {
                let want: [u32; 4] = core::array::from_fn(|i| {
                    ref_minmax(f64::from(x[i]), f64::from(y[i]), min)
                        .map_or(0x7fc0_0000, |r| (r as f32).to_bits())
                });
                assert_eq!(f(a, b).to_u32x4(), want, "{a:x?} {b:x?}");
            }
            let (xb, yb) = (a.to_u32x4(), b.to_u32x4());
            assert_eq!(
                f32x4_pmin(a, b).to_u32x4(),
                core::array::from_fn(|i| if y[i] < x[i] { yb[i] } else { xb[i] })
            );
            assert_eq!(
                f32x4_pmax(a, b).to_u32x4(),
                core::array::from_fn(|i| if x[i] < y[i] { yb[i] } else { xb[i] })
            );
        }
        for (a, b) in f64_pairs() {
            let (x, y) = (a.to_f64x2(), b.to_f64x2());
            for (f, min) in [(f64x2_min as fn(V128, V128) -> V128, true), (f64x2_max, false)] {
                let want: [u64; 2] = core::array::from_fn(|i| {
                    ref_minmax(x[i], y[i], min).map_or(0x7ff8_0000_0000_0000, f64::to_bits)
                });
                assert_eq!(f(a, b).to_u64x2(), want, "{a:x?} {b:x?}");
            }
            let (xb, yb) = (a.to_u64x2(), b.to_u64x2());
            assert_eq!(
                f64x2_pmin(a, b).to_u64x2(),
                core::array::from_fn(|i| if y[i] < x[i] { yb[i] } else { xb[i] })
            );
            assert_eq!(
                f64x2_pmax(a, b).to_u64x2(),
                core::array::from_fn(|i| if x[i] < y[i] { yb[i] } else { xb[i] })
            );
        }
        // Hand-checked signs of zero and NaN passthrough of pmin/pmax.
        let z = V128::from_f32x4([0.0, -0.0, 0.0, -0.0]);
        let w = V128::from_f32x4([-0.0, 0.0, 0.0, -0.0]);
        assert_eq!(f32x4_min(z, w).to_u32x4(), [0x8000_0000, 0x8000_0000, 0, 0x8000_0000]);
        assert_eq!(f32x4_max(z, w).to_u32x4(), [0, 0, 0, 0x8000_0000]);
        assert_eq!(f32x4_pmin(z, w), z);
        assert_eq!(f32x4_pmax(z, w), z);
        let snan = V128::from_u32x4([0x7fa0_0000; 4]);
        assert_eq!(f32x4_pmin(snan, z), snan);
        assert_eq!(f32x4_pmax(z, snan), z);
        assert_eq!(f32x4_min(snan, z), V128::from_u32x4([0x7fc0_0000; 4]));
        assert_eq!(
            f64x2_max(V128::from_u64x2([0xfff4_0000_0000_0000; 2]), V128::ZERO),
            V128::from_u64x2([0x7ff8_0000_0000_0000; 2])
        );
    }
}
