//! Relaxed SIMD, made deterministic: each operator makes one fixed choice among the results the
//! relaxed-simd proposal allows, the same on every host and backend (the table is in the crate
//! docs). Most choices are the corresponding fixed-width operator, so relaxed code behaves
//! exactly like its non-relaxed counterpart.

use crate::V128;
use crate::float::{nan_rule_f32, nan_rule_f64};

/// `i8x16.relaxed_swizzle`: as `i8x16.swizzle` (indices >= 16 give 0).
#[inline]
pub fn i8x16_relaxed_swizzle(a: V128, s: V128) -> V128 {
    crate::i8x16_swizzle(a, s)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as `i32x4.trunc_sat_f32x4_s` (NaN gives 0, out of range
/// saturates).
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_s(a: V128) -> V128 {
    crate::i32x4_trunc_sat_f32x4_s(a)
}

/// `i32x4.relaxed_trunc_f32x4_u`: as `i32x4.trunc_sat_f32x4_u` (NaN gives 0, out of range
/// saturates).
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_u(a: V128) -> V128 {
    crate::i32x4_trunc_sat_f32x4_u(a)
}

/// `i32x4.relaxed_trunc_f64x2_s_zero`: as `i32x4.trunc_sat_f64x2_s_zero` (NaN gives 0, out of
/// range saturates).
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_s_zero(a: V128) -> V128 {
    crate::i32x4_trunc_sat_f64x2_s_zero(a)
}

/// `i32x4.relaxed_trunc_f64x2_u_zero`: as `i32x4.trunc_sat_f64x2_u_zero` (NaN gives 0, out of
/// range saturates).
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_u_zero(a: V128) -> V128 {
    crate::i32x4_trunc_sat_f64x2_u_zero(a)
}

/// Generates `madd`/`nmadd`: unfused (`a * b` rounded, then the addition rounded), under the
/// crate's NaN rule over `a, b, c`.
macro_rules! madd {
    ($name:ident, $to:ident, $from:ident, $fix:ident, $neg:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128, c: V128) -> V128 {
            let (a, b, c) = (a.$to(), b.$to(), c.$to());
            let r = core::array::from_fn(|i| {
                let p = a[i] * b[i];
                (if $neg { -p } else { p }) + c[i]
            });
            V128::$from($fix(r, a, b, Some(c)))
        }
    };
}

madd!(
    f32x4_relaxed_madd,
    to_f32x4,
    from_f32x4,
    nan_rule_f32,
    false,
    "`f32x4.relaxed_madd`: `a * b + c`, unfused (two roundings), NaN rule over `a, b, c`."
);
madd!(
    f32x4_relaxed_nmadd,
    to_f32x4,
    from_f32x4,
    nan_rule_f32,
    true,
    "`f32x4.relaxed_nmadd`: `-(a * b) + c`, unfused (two roundings), NaN rule over `a, b, c`."
);
madd!(
    f64x2_relaxed_madd,
    to_f64x2,
    from_f64x2,
    nan_rule_f64,
    false,
    "`f64x2.relaxed_madd`: `a * b + c`, unfused (two roundings), NaN rule over `a, b, c`."
);
madd!(
    f64x2_relaxed_nmadd,
    to_f64x2,
    from_f64x2,
    nan_rule_f64,
    true,
    "`f64x2.relaxed_nmadd`: `-(a * b) + c`, unfused (two roundings), NaN rule over `a, b, c`."
);

/// `i8x16.relaxed_laneselect`: as `v128.bitselect(a, b, m)` (every bit chosen by `m`).
#[inline]
pub fn i8x16_relaxed_laneselect(a: V128, b: V128, m: V128) -> V128 {
    crate::v128_bitselect(a, b, m)
}

/// `i16x8.relaxed_laneselect`: as `v128.bitselect(a, b, m)` (every bit chosen by `m`).
#[inline]
pub fn i16x8_relaxed_laneselect(a: V128, b: V128, m: V128) -> V128 {
    crate::v128_bitselect(a, b, m)
}

/// `i32x4.relaxed_laneselect`: as `v128.bitselect(a, b, m)` (every bit chosen by `m`).
#[inline]
pub fn i32x4_relaxed_laneselect(a: V128, b: V128, m: V128) -> V128 {
    crate::v128_bitselect(a, b, m)
}

/// `i64x2.relaxed_laneselect`: as `v128.bitselect(a, b, m)` (every bit chosen by `m`).
#[inline]
pub fn i64x2_relaxed_laneselect(a: V128, b: V128, m: V128) -> V128 {
    crate::v128_bitselect(a, b, m)
}

/// `f32x4.relaxed_min`: as `f32x4.min` (canonical NaN for NaN lanes, `-0 < +0`).
#[inline]
pub fn f32x4_relaxed_min(a: V128, b: V128) -> V128 {
    crate::f32x4_min(a, b)
}

/// `f32x4.relaxed_max`: as `f32x4.max` (canonical NaN for NaN lanes, `+0 > -0`).
#[inline]
pub fn f32x4_relaxed_max(a: V128, b: V128) -> V128 {
    crate::f32x4_max(a, b)
}

/// `f64x2.relaxed_min`: as `f64x2.min` (canonical NaN for NaN lanes, `-0 < +0`).
#[inline]
pub fn f64x2_relaxed_min(a: V128, b: V128) -> V128 {
    crate::f64x2_min(a, b)
}

/// `f64x2.relaxed_max`: as `f64x2.max` (canonical NaN for NaN lanes, `+0 > -0`).
#[inline]
pub fn f64x2_relaxed_max(a: V128, b: V128) -> V128 {
    crate::f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as `i16x8.q15mulr_sat_s` (`-32768 * -32768` gives 32767).
#[inline]
pub fn i16x8_relaxed_q15mulr_s(a: V128, b: V128) -> V128 {
    crate::i16x8_q15mulr_sat_s(a, b)
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: lane `i` is `a[2i]*b[2i] + a[2i+1]*b[2i+1]`, both operands
/// signed, the sum wrapped to 16 bits (only `-128` in all four bytes wraps: to -32768, which is
/// also the result of reading `b` as unsigned).
#[inline]
pub fn i16x8_relaxed_dot_i8x16_i7x16_s(a: V128, b: V128) -> V128 {
    let (a, b) = (a.to_i8x16(), b.to_i8x16());
    V128::from_i16x8(core::array::from_fn(|i| {
        let p0 = i16::from(a[2 * i]) * i16::from(b[2 * i]);
        let p1 = i16::from(a[2 * i + 1]) * i16::from(b[2 * i + 1]);
        p0.wrapping_add(p1)
    }))
}

/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: lane `i` is the exact sum of the four signed products
/// `a[4i+k]*b[4i+k]` (both operands signed, no intermediate saturation), plus `c[i]`, wrapping.
#[inline]
pub fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V128, b: V128, c: V128) -> V128 {
    let (a, b, c) = (a.to_i8x16(), b.to_i8x16(), c.to_i32x4());
    V128::from_i32x4(core::array::from_fn(|i| {
        let dot: i32 = (0..4).map(|k| i32::from(a[4 * i + k]) * i32::from(b[4 * i + k])).sum();
        dot.wrapping_add(c[i])
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::f32x4_neg;
    use crate::float::tests::{expect_nan32, expect_nan64, f32_pairs, f64_pairs};

    #[test]
    fn same_as_the_fixed_width_operators() {
        let vs = [
            V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
            V128(0x7fc0_0000_8000_0000_7fa0_0000_4f80_0000),
            V128(0x7ff8_0000_0000_0000_c1e0_0000_0000_0000),
            V128(0x1f10_0f00_8080_7f7f_ffff_0000_1111_2222),
            V128(!0),
            V128(0),
        ];
        for a in vs {
            assert_eq!(i32x4_relaxed_trunc_f32x4_s(a), crate::i32x4_trunc_sat_f32x4_s(a));
            assert_eq!(i32x4_relaxed_trunc_f32x4_u(a), crate::i32x4_trunc_sat_f32x4_u(a));
            assert_eq!(i32x4_relaxed_trunc_f64x2_s_zero(a), crate::i32x4_trunc_sat_f64x2_s_zero(a));
            assert_eq!(i32x4_relaxed_trunc_f64x2_u_zero(a), crate::i32x4_trunc_sat_f64x2_u_zero(a));
            for b in vs {
                assert_eq!(i8x16_relaxed_swizzle(a, b), crate::i8x16_swizzle(a, b));
                assert_eq!(f32x4_relaxed_min(a, b), crate::f32x4_min(a, b));
                assert_eq!(f32x4_relaxed_max(a, b), crate::f32x4_max(a, b));
                assert_eq!(f64x2_relaxed_min(a, b), crate::f64x2_min(a, b));
                assert_eq!(f64x2_relaxed_max(a, b), crate::f64x2_max(a, b));
                assert_eq!(i16x8_relaxed_q15mulr_s(a, b), crate::i16x8_q15mulr_sat_s(a, b));
                for m in vs {
                    let want = V128((a.0 & m.0) | (b.0 & !m.0));
                    assert_eq!(i8x16_relaxed_laneselect(a, b, m), want);
                    assert_eq!(i16x8_relaxed_laneselect(a, b, m), want);
                    assert_eq!(i32x4_relaxed_laneselect(a, b, m), want);
                    assert_eq!(i64x2_relaxed_laneselect(a, b, m), want);
                }
            }
        }
        // Spot checks of the documented choices.
        let s = V128::from_bytes([16, 17, 0x80, 0xff, 31, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let t = V128::from_bytes(core::array::from_fn(|i| i as u8 + 1));
        assert_eq!(i8x16_relaxed_swizzle(t, s).to_bytes()[..6], [0, 0, 0, 0, 0, 4]);
        let nan = V128::from_f32x4([f32::NAN, f32::INFINITY, -2147483904.0, 4294967296.0]);
        assert_eq!(i32x4_relaxed_trunc_f32x4_s(nan).to_i32x4(), [0, i32::MAX, i32::MIN, i32::MAX]);
        assert_eq!(i32x4_relaxed_trunc_f32x4_u(nan).to_u32x4(), [0, u32::MAX, 0, u32::MAX]);
        let min = V128::from_i16x8([i16::MIN; 8]);
        assert_eq!(i16x8_relaxed_q15mulr_s(min, min), V128::from_i16x8([i16::MAX; 8]));
        let z = V128::from_f32x4([0.0, -0.0, f32::NAN, 1.0]);
        let w = V128::from_f32x4([-0.0, 0.0, 1.0, f32::NAN]);
        assert_eq!(
            f32x4_relaxed_min(z, w).to_u32x4(),
            [0x8000_0000, 0x8000_0000, 0x7fc0_0000, 0x7fc0_0000]
        );
        assert_eq!(f32x4_relaxed_max(z, w).to_u32x4(), [0, 0, 0x7fc0_0000, 0x7fc0_0000]);
        // A mask that is not all ones / all zeros per lane still selects bit by bit.
        let m = V128::from_u16x8([0x8001; 8]);
        assert_eq!(i16x8_relaxed_laneselect(V128(!0), V128(0), m), m);
    }

    #[test]
    fn madd_nmadd_are_unfused_under_the_nan_rule() {
        for (a, b) in f32_pairs() {
            let c = V128::from_u32x4([0x3f80_0000, 0x7fa0_0001, 0xff80_0000, 0x8000_0000]);
            let (x, y, z) = (a.to_f32x4(), b.to_f32x4(), c.to_f32x4());
            for neg in [false, true] {
                let want: [u32; 4] = core::array::from_fn(|i| {
                    let p = x[i] * y[i];
                    let r = if neg { -p + z[i] } else { p + z[i] };
                    if r.is_nan() { expect_nan32(&[x[i], y[i], z[i]]) } else { r.to_bits() }
                });
                let got =
                    if neg { f32x4_relaxed_nmadd(a, b, c) } else { f32x4_relaxed_madd(a, b, c) };
                assert_eq!(got.to_u32x4(), want, "{a:x?} {b:x?}");
            }
        }
        for (a, b) in f64_pairs() {
            let c = V128::from_u64x2([0x3ff0_0000_0000_0000, 0x7ff4_0000_0000_0001]);
            let (x, y, z) = (a.to_f64x2(), b.to_f64x2(), c.to_f64x2());
            for neg in [false, true] {
                let want: [u64; 2] = core::array::from_fn(|i| {
                    let p = x[i] * y[i];
                    let r = if neg { -p + z[i] } else { p + z[i] };
                    if r.is_nan() { expect_nan64(&[x[i], y[i], z[i]]) } else { r.to_bits() }
                });
                let got =
                    if neg { f64x2_relaxed_nmadd(a, b, c) } else { f64x2_relaxed_madd(a, b, c) };
                assert_eq!(got.to_u64x2(), want, "{a:x?} {b:x?}");
            }
        }
        // The spec suite's cases: MAX * 2 - MAX overflows unfused; x * y + z loses the 2^-37.
        let max = V128::from_f32x4([f32::MAX; 4]);
        let two = V128::from_f32x4([2.0; 4]);
        assert_eq!(
            f32x4_relaxed_madd(max, two, f32x4_neg(max)),
            V128::from_f32x4([f32::INFINITY; 4])
        );
        let x = V128::from_u32x4([0x3f80_0002; 4]);
        let y = V128::from_u32x4([0x3f80_0100; 4]);
        let z = V128::from_u32x4([0xbf80_0102; 4]);
        assert_eq!(f32x4_relaxed_madd(x, y, z), V128::ZERO);
        assert_eq!(f32x4_relaxed_nmadd(f32x4_neg(x), y, z), V128::ZERO);
        assert_eq!(f32x4_relaxed_nmadd(x, f32x4_neg(y), z), V128::ZERO);
        // nmadd negates the product, not the sum: -(1 * 1) + 1 is +0.
        let one = V128::from_f32x4([1.0; 4]);
        assert_eq!(f32x4_relaxed_nmadd(one, one, one), V128::ZERO);
        assert_eq!(
            f64x2_relaxed_nmadd(
                V128::from_f64x2([2.0; 2]),
                V128::from_f64x2([3.0; 2]),
                V128::from_f64x2([1.0; 2])
            )
            .to_f64x2(),
            [-5.0; 2]
        );
    }

    #[test]
    fn relaxed_dot_products() {
        // The spec suite's cases.
        let iota = V128::from_i8x16(core::array::from_fn(|i| i as i8));
        assert_eq!(
            i16x8_relaxed_dot_i8x16_i7x16_s(iota, iota).to_i16x8(),
            [1, 13, 41, 85, 145, 221, 313, 421]
        );
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(iota, iota, V128::from_i32x4([0, 1, 2, 3]))
                .to_i32x4(),
            [14, 127, 368, 737]
        );
        let a = V128::from_i8x16([-128, -128, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = V128::from_i8x16([127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            i16x8_relaxed_dot_i8x16_i7x16_s(a, b).to_i16x8(),
            [-32512, 32258, 0, 0, 0, 0, 0, 0]
        );
        let a = V128::from_i8x16([-128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = V128::from_i8x16([-127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(a, b).to_i16x8()[0], 32512);
        let a = V128::from_i8x16([-128, -128, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = V128::from_i8x16([-127, -127, -127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let c = V128::from_i32x4([1, 2, 3, 4]);
        assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c).to_i32x4(), [65025, 2, 3, 4]);
        // The one wrapping case of the 16-bit form.
        let m = V128::from_i8x16([-128; 16]);
        assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(m, m), V128::from_i16x8([i16::MIN; 8]));
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, m).to_i32x4(),
            [65536 - 0x7f7f_7f80; 4]
        );
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, V128::from_i32x4([i32::MAX; 4])),
            V128::from_i32x4([i32::MAX.wrapping_add(65536); 4])
        );
        // Against a scalar reference on mixed bytes.
        let x =
            V128::from_i8x16(core::array::from_fn(|i| (i as i8).wrapping_mul(29).wrapping_sub(70)));
        let y =
            V128::from_i8x16(core::array::from_fn(|i| (i as i8).wrapping_mul(-17).wrapping_add(3)));
        let (xs, ys) = (x.to_i8x16(), y.to_i8x16());
        let want16: [i16; 8] = core::array::from_fn(|i| {
            (i32::from(xs[2 * i]) * i32::from(ys[2 * i])
                + i32::from(xs[2 * i + 1]) * i32::from(ys[2 * i + 1])) as i16
        });
        assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(x, y).to_i16x8(), want16);
        let want32: [i32; 4] = core::array::from_fn(|i| {
            (0..4).map(|k| i32::from(xs[4 * i + k]) * i32::from(ys[4 * i + k])).sum::<i32>() - 7
        });
        assert_eq!(
            i32x4_relaxed_dot_i8x16_i7x16_add_s(x, y, V128::from_i32x4([-7; 4])).to_i32x4(),
            want32
        );
    }
}
