//! SSE2 versions of the integer add/sub/saturating/min/max/average/compare/multiply/narrow lane
//! operations and of the f32x4/f64x2 arithmetic, square root, `min` and `max` (x86_64, where
//! SSE2 is part of the baseline).
//!
//! Why: LLVM keeps a `u128` in two general-purpose registers and scalarises the portable lane
//! loops (`i8x16.add` is ~130 instructions in a plain release build); one SSE2 instruction does
//! the same. The values move in and out with `_mm_set_epi64x` and `_mm_cvtsi128_si64`, which
//! LLVM folds into plain 16-byte loads and stores of the interpreter's frame cells.
//!
//! Float arithmetic computes with SSE and keeps its result only when no lane is NaN (for `min`
//! and `max`: no operand lane); a NaN lane (rare) takes the portable function, whose NaN rule
//! hardware does not follow.

use crate::V128;
use core::arch::x86_64::*;

/// `v` as an SSE register.
#[inline(always)]
fn m(v: V128) -> __m128i {
    // SAFETY: SSE2 is enabled at compile time (this module's `cfg`), the intrinsic's only
    // requirement.
    unsafe { _mm_set_epi64x((v.0 >> 64) as i64, v.0 as i64) }
}

/// The SSE register `x` as a `V128`.
#[inline(always)]
fn v(x: __m128i) -> V128 {
    // SAFETY: as in `m`.
    let (lo, hi) = unsafe { (_mm_cvtsi128_si64(x), _mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x))) };
    V128::from_cells(lo as u64, hi as u64)
}

/// Integer binary operators, one SSE2 intrinsic each.
macro_rules! int_ops {
    ($($name:ident = $intrinsic:ident;)*) => {$(
        #[doc = concat!("`", stringify!($name), "` with `", stringify!($intrinsic), "`.")]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            // SAFETY: as in `m`.
            v(unsafe { $intrinsic(m(a), m(b)) })
        }
    )*};
}

int_ops! {
    i8x16_add = _mm_add_epi8;
    i8x16_sub = _mm_sub_epi8;
    i16x8_add = _mm_add_epi16;
    i16x8_sub = _mm_sub_epi16;
    i16x8_mul = _mm_mullo_epi16;
    i32x4_add = _mm_add_epi32;
    i32x4_sub = _mm_sub_epi32;
    i64x2_add = _mm_add_epi64;
    i64x2_sub = _mm_sub_epi64;
    i8x16_add_sat_s = _mm_adds_epi8;
    i8x16_add_sat_u = _mm_adds_epu8;
    i8x16_sub_sat_s = _mm_subs_epi8;
    i8x16_sub_sat_u = _mm_subs_epu8;
    i16x8_add_sat_s = _mm_adds_epi16;
    i16x8_add_sat_u = _mm_adds_epu16;
    i16x8_sub_sat_s = _mm_subs_epi16;
    i16x8_sub_sat_u = _mm_subs_epu16;
    i8x16_min_u = _mm_min_epu8;
    i8x16_max_u = _mm_max_epu8;
    i16x8_min_s = _mm_min_epi16;
    i16x8_max_s = _mm_max_epi16;
    i8x16_avgr_u = _mm_avg_epu8;
    i16x8_avgr_u = _mm_avg_epu16;
    i8x16_eq = _mm_cmpeq_epi8;
    i16x8_eq = _mm_cmpeq_epi16;
    i32x4_eq = _mm_cmpeq_epi32;
    i8x16_gt_s = _mm_cmpgt_epi8;
    i16x8_gt_s = _mm_cmpgt_epi16;
    i32x4_gt_s = _mm_cmpgt_epi32;
}

/// `i8x16.lt_s` as `gt_s` with the operands swapped.
#[inline]
pub fn i8x16_lt_s(a: V128, b: V128) -> V128 {
    i8x16_gt_s(b, a)
}

/// `i16x8.lt_s` as `gt_s` with the operands swapped.
#[inline]
pub fn i16x8_lt_s(a: V128, b: V128) -> V128 {
    i16x8_gt_s(b, a)
}

/// `i32x4.lt_s` as `gt_s` with the operands swapped.
#[inline]
pub fn i32x4_lt_s(a: V128, b: V128) -> V128 {
    i32x4_gt_s(b, a)
}

/// Float binary operators: the SSE result, `None` when a lane of it is NaN.
macro_rules! float_ops {
    ($($name:ident = $intrinsic:ident, $cast_in:ident, $cast_out:ident, $unord:ident, $movemask:ident;)*) => {$(
        #[doc = concat!("`", stringify!($name), "` with `", stringify!($intrinsic), "`, `None` if a lane of the result is NaN.")]
        #[inline(always)]
        pub fn $name(a: V128, b: V128) -> Option<V128> {
            // SAFETY: as in `m`.
            let (r, nan) = unsafe {
                let r = $intrinsic($cast_in(m(a)), $cast_in(m(b)));
                (r, $movemask($unord(r, r)))
            };
            // SAFETY: as in `m`.
            (nan == 0).then(|| v(unsafe { $cast_out(r) }))
        }
    )*};
}

/// `i8x16.narrow_i16x8_s` with `_mm_packs_epi16`.
#[inline]
pub fn i8x16_narrow_i16x8_s(a: V128, b: V128) -> V128 {
    // SAFETY: as in `m`.
    v(unsafe { _mm_packs_epi16(m(a), m(b)) })
}

/// `i8x16.narrow_i16x8_u` with `_mm_packus_epi16`.
#[inline]
pub fn i8x16_narrow_i16x8_u(a: V128, b: V128) -> V128 {
    // SAFETY: as in `m`.
    v(unsafe { _mm_packus_epi16(m(a), m(b)) })
}

/// `i16x8.narrow_i32x4_s` with `_mm_packs_epi32`.
#[inline]
pub fn i16x8_narrow_i32x4_s(a: V128, b: V128) -> V128 {
    // SAFETY: as in `m`.
    v(unsafe { _mm_packs_epi32(m(a), m(b)) })
}

/// Float square roots: the SSE result, `None` when a lane of it is NaN.
macro_rules! float_sqrt {
    ($($name:ident = $intrinsic:ident, $cast_in:ident, $cast_out:ident, $unord:ident, $movemask:ident;)*) => {$(
        #[doc = concat!("`", stringify!($name), "` with `", stringify!($intrinsic), "`, `None` if a lane of the result is NaN.")]
        #[inline(always)]
        pub fn $name(a: V128) -> Option<V128> {
            // SAFETY: as in `m`.
            let (r, nan) = unsafe {
                let r = $intrinsic($cast_in(m(a)));
                (r, $movemask($unord(r, r)))
            };
            // SAFETY: as in `m`.
            (nan == 0).then(|| v(unsafe { $cast_out(r) }))
        }
    )*};
}

/// Float `min`/`max`: with no NaN operand lane, SSE's `min`/`max` in both operand orders,
/// combined so that `-0`/`+0` come out as wasm wants them (`or` keeps `-0` for `min`, `and`
/// keeps `+0` for `max`; unequal lanes agree in both orders); `None` for a NaN operand lane
/// (the portable path gives the canonical NaN).
macro_rules! float_minmax {
    ($($name:ident = $intrinsic:ident, $combine:ident, $cast_in:ident, $cast_out:ident, $unord:ident, $movemask:ident;)*) => {$(
        #[doc = concat!("`", stringify!($name), "` with `", stringify!($intrinsic), "`, `None` if an operand lane is NaN.")]
        #[inline(always)]
        pub fn $name(a: V128, b: V128) -> Option<V128> {
            // SAFETY: as in `m`.
            let (r, nan) = unsafe {
                let (x, y) = ($cast_in(m(a)), $cast_in(m(b)));
                ($combine($intrinsic(x, y), $intrinsic(y, x)), $movemask($unord(x, y)))
            };
            // SAFETY: as in `m`.
            (nan == 0).then(|| v(unsafe { $cast_out(r) }))
        }
    )*};
}

/// The float lane operations whose SSE result is kept when no NaN is involved, as that fast
/// path alone: `None` where a NaN lane needs the portable NaN rule. The interpreter's
/// handlers call these and leave the dispatch chain for the rare NaN (a call to the portable
/// function inside a handler would make it save registers on every execution).
pub mod nan_free {
    use super::{m, v};
    use crate::V128;
    use core::arch::x86_64::*;

    float_ops! {
        f32x4_add = _mm_add_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f32x4_sub = _mm_sub_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f32x4_mul = _mm_mul_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f32x4_div = _mm_div_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f64x2_add = _mm_add_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
        f64x2_sub = _mm_sub_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
        f64x2_mul = _mm_mul_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
        f64x2_div = _mm_div_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
    }

    float_sqrt! {
        f32x4_sqrt = _mm_sqrt_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f64x2_sqrt = _mm_sqrt_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
    }

    float_minmax! {
        f32x4_min = _mm_min_ps, _mm_or_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f32x4_max = _mm_max_ps, _mm_and_ps, _mm_castsi128_ps, _mm_castps_si128, _mm_cmpunord_ps, _mm_movemask_ps;
        f64x2_min = _mm_min_pd, _mm_or_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
        f64x2_max = _mm_max_pd, _mm_and_pd, _mm_castsi128_pd, _mm_castpd_si128, _mm_cmpunord_pd, _mm_movemask_pd;
    }
}

/// The full float operations: [`nan_free`]'s SSE result, else the portable function.
macro_rules! with_nan_rule {
    (binary: $($binary:ident)*; unary: $($unary:ident)*;) => {
        $(
            #[doc = concat!("`", stringify!($binary), "` with SSE; NaN lanes take the portable path.")]
            #[inline]
            pub fn $binary(a: V128, b: V128) -> V128 {
                nan_free::$binary(a, b).unwrap_or_else(|| crate::float::$binary(a, b))
            }
        )*
        $(
            #[doc = concat!("`", stringify!($unary), "` with SSE; NaN lanes take the portable path.")]
            #[inline]
            pub fn $unary(a: V128) -> V128 {
                nan_free::$unary(a).unwrap_or_else(|| crate::float::$unary(a))
            }
        )*
    };
}

nan_free_ops!(with_nan_rule);

#[cfg(test)]
mod tests {
    use crate::V128;

    /// Edge values of every lane width, mixed into vectors.
    fn int_inputs() -> std::vec::Vec<V128> {
        let words: [u64; 12] = [
            0,
            u64::MAX,
            0x8000_0000_0000_0000,
            0x7fff_ffff_ffff_ffff,
            0x8080_8080_8080_8080,
            0x7f7f_7f7f_7f7f_7f7f,
            0x0001_ffff_8000_7fff,
            0x8000_0000_7fff_ffff,
            0x0123_4567_89ab_cdef,
            0xfedc_ba98_7654_3210,
            0x00ff_00ff_ff00_ff00,
            0x0101_0101_fefe_fefe,
        ];
        let mut out = std::vec::Vec::new();
        for &lo in &words {
            for &hi in &words {
                out.push(V128::from_cells(lo, hi));
            }
        }
        out
    }

    fn float_inputs() -> std::vec::Vec<V128> {
        let f32s: [u32; 12] = [
            0,
            0x8000_0000,
            0x3f80_0000,
            0xbf80_0000,
            0x7f80_0000,
            0xff80_0000,
            0x7fc0_0000,
            0xffc0_0001,
            0x7fa0_0001,
            0x0000_0001,
            0x7f7f_ffff,
            0x4049_0fdb,
        ];
        let f64s: [u64; 10] = [
            0,
            0x8000_0000_0000_0000,
            0x3ff0_0000_0000_0000,
            0x7ff0_0000_0000_0000,
            0xfff0_0000_0000_0000,
            0x7ff8_0000_0000_0000,
            0x7ff4_0000_0000_0001,
            0xfff8_0000_0000_0001,
            0x0000_0000_0000_0001,
            0x7fef_ffff_ffff_ffff,
        ];
        let mut out = std::vec::Vec::new();
        for (i, &a) in f32s.iter().enumerate() {
            let b = f32s[(i * 5 + 3) % f32s.len()];
            out.push(V128::from_u32x4([a, b, a ^ 0x8000_0000, 0x3f80_0000]));
            out.push(V128::from_u32x4([a; 4]));
        }
        for (i, &a) in f64s.iter().enumerate() {
            out.push(V128::from_u64x2([a, f64s[(i * 3 + 1) % f64s.len()]]));
            out.push(V128::from_u64x2([a; 2]));
        }
        out
    }

    macro_rules! same_as_portable {
        ($inputs:ident: $($name:ident => $portable:path),* $(,)?) => {
            let inputs = $inputs();
            for &a in &inputs {
                for &b in &inputs {
                    $(assert_eq!(
                        super::$name(a, b),
                        $portable(a, b),
                        "{}({a:x?}, {b:x?})",
                        stringify!($name)
                    );)*
                }
            }
        };
    }

    #[test]
    fn integer_intrinsics_match_the_portable_lanes() {
        use crate::{cmp, int};
        same_as_portable!(int_inputs:
            i8x16_add => int::i8x16_add, i8x16_sub => int::i8x16_sub,
            i16x8_add => int::i16x8_add, i16x8_sub => int::i16x8_sub, i16x8_mul => int::i16x8_mul,
            i32x4_add => int::i32x4_add, i32x4_sub => int::i32x4_sub,
            i64x2_add => int::i64x2_add, i64x2_sub => int::i64x2_sub,
            i8x16_add_sat_s => int::i8x16_add_sat_s, i8x16_add_sat_u => int::i8x16_add_sat_u,
            i8x16_sub_sat_s => int::i8x16_sub_sat_s, i8x16_sub_sat_u => int::i8x16_sub_sat_u,
            i16x8_add_sat_s => int::i16x8_add_sat_s, i16x8_add_sat_u => int::i16x8_add_sat_u,
            i16x8_sub_sat_s => int::i16x8_sub_sat_s, i16x8_sub_sat_u => int::i16x8_sub_sat_u,
            i8x16_min_u => int::i8x16_min_u, i8x16_max_u => int::i8x16_max_u,
            i16x8_min_s => int::i16x8_min_s, i16x8_max_s => int::i16x8_max_s,
            i8x16_avgr_u => int::i8x16_avgr_u, i16x8_avgr_u => int::i16x8_avgr_u,
            i8x16_eq => cmp::i8x16_eq, i16x8_eq => cmp::i16x8_eq, i32x4_eq => cmp::i32x4_eq,
            i8x16_gt_s => cmp::i8x16_gt_s, i16x8_gt_s => cmp::i16x8_gt_s,
            i32x4_gt_s => cmp::i32x4_gt_s, i8x16_lt_s => cmp::i8x16_lt_s,
            i16x8_lt_s => cmp::i16x8_lt_s, i32x4_lt_s => cmp::i32x4_lt_s,
            i8x16_narrow_i16x8_s => int::i8x16_narrow_i16x8_s,
            i8x16_narrow_i16x8_u => int::i8x16_narrow_i16x8_u,
            i16x8_narrow_i32x4_s => int::i16x8_narrow_i32x4_s,
        );
    }

    #[test]
    fn float_intrinsics_match_the_portable_lanes_nan_rule_included() {
        use crate::float;
        same_as_portable!(float_inputs:
            f32x4_add => float::f32x4_add, f32x4_sub => float::f32x4_sub,
            f32x4_mul => float::f32x4_mul, f32x4_div => float::f32x4_div,
            f64x2_add => float::f64x2_add, f64x2_sub => float::f64x2_sub,
            f64x2_mul => float::f64x2_mul, f64x2_div => float::f64x2_div,
            f32x4_min => float::f32x4_min, f32x4_max => float::f32x4_max,
            f64x2_min => float::f64x2_min, f64x2_max => float::f64x2_max,
        );
        for a in float_inputs() {
            for x in [a, float::f32x4_neg(a), float::f64x2_neg(a)] {
                assert_eq!(super::f32x4_sqrt(x), float::f32x4_sqrt(x), "f32x4_sqrt({x:x?})");
                assert_eq!(super::f64x2_sqrt(x), float::f64x2_sqrt(x), "f64x2_sqrt({x:x?})");
            }
        }
    }

    /// The fast paths alone: `Some` of exactly the portable result, `None` only where a lane
    /// is NaN (a result lane for the arithmetic and `sqrt`, an operand lane for `min`/`max`),
    /// and both outcomes occur on the edge inputs.
    #[test]
    fn nan_free_paths_are_the_portable_result_or_none_on_nan() {
        use super::nan_free;
        use crate::float;
        let has_nan_f32 = |v: V128| v.to_u32x4().iter().any(|&l| f32::from_bits(l).is_nan());
        let has_nan_f64 = |v: V128| v.to_u64x2().iter().any(|&l| f64::from_bits(l).is_nan());
        let (mut some, mut none) = (0, 0);
        let mut check = |name: &str, got: Option<V128>, want: V128, nan: bool| match got {
            Some(r) => {
                assert_eq!(r, want, "{name}");
                assert!(!nan, "{name}: a NaN lane took the fast path");
                some += 1;
            }
            None => {
                assert!(nan, "{name}: no NaN lane, yet no fast result");
                none += 1;
            }
        };
        let inputs = float_inputs();
        for &a in &inputs {
            for &b in &inputs {
                macro_rules! arith {
                    ($($name:ident: $nan:ident),*) => {$({
                        let want = float::$name(a, b);
                        check(stringify!($name), nan_free::$name(a, b), want, $nan(want));
                    })*};
                }
                arith!(f32x4_add: has_nan_f32, f32x4_sub: has_nan_f32, f32x4_mul: has_nan_f32,
                    f32x4_div: has_nan_f32, f64x2_add: has_nan_f64, f64x2_sub: has_nan_f64,
                    f64x2_mul: has_nan_f64, f64x2_div: has_nan_f64);
                macro_rules! minmax {
                    ($($name:ident: $nan:ident),*) => {$({
                        let nan = $nan(a) || $nan(b);
                        check(stringify!($name), nan_free::$name(a, b), float::$name(a, b), nan);
                    })*};
                }
                minmax!(f32x4_min: has_nan_f32, f32x4_max: has_nan_f32, f64x2_min: has_nan_f64,
                    f64x2_max: has_nan_f64);
            }
            let (w32, w64) = (float::f32x4_sqrt(a), float::f64x2_sqrt(a));
            check("f32x4_sqrt", nan_free::f32x4_sqrt(a), w32, has_nan_f32(w32));
            check("f64x2_sqrt", nan_free::f64x2_sqrt(a), w64, has_nan_f64(w64));
        }
        assert!(some > 0 && none > 0, "fast results {some}, NaN fallbacks {none}");
    }
}
