//! Integer lane arithmetic: wrapping and saturating add/sub, multiplication, negation and
//! absolute value, shifts (count masked to the lane width), min/max, rounding average, popcount,
//! Q15 multiplication, narrowing, widening, pairwise and extended multiplication, dot product.

use crate::V128;
use crate::lanes::{
    map_i8, map_i16, map_i32, map_i64, map_u8, map_u16, map_u32, map_u64, zip_i8, zip_i16, zip_i32,
    zip_i64, zip_u8, zip_u16, zip_u32,
};

/// Generates lane-wise binary operators: `name, zip helper, closure, doc`.
macro_rules! binops {
    ($($name:ident, $zip:ident, $f:expr, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            $zip(a, b, $f)
        }
    )*};
}

/// Generates lane-wise unary operators: `name, map helper, closure, doc`.
macro_rules! unops {
    ($($name:ident, $map:ident, $f:expr, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128) -> V128 {
            $map(a, $f)
        }
    )*};
}

/// Generates shifts: the count is taken modulo the lane width (`wrapping_sh*` masks it).
macro_rules! shifts {
    ($($name:ident, $map:ident, $method:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, count: i32) -> V128 {
            let n = count as u32;
            $map(a, |x| x.$method(n))
        }
    )*};
}

binops! {
    i8x16_add, zip_i8, i8::wrapping_add, "`i8x16.add`: wrapping addition.";
    i8x16_sub, zip_i8, i8::wrapping_sub, "`i8x16.sub`: wrapping subtraction.";
    i16x8_add, zip_i16, i16::wrapping_add, "`i16x8.add`: wrapping addition.";
    i16x8_sub, zip_i16, i16::wrapping_sub, "`i16x8.sub`: wrapping subtraction.";
    i16x8_mul, zip_i16, i16::wrapping_mul, "`i16x8.mul`: wrapping multiplication.";
    i32x4_add, zip_i32, i32::wrapping_add, "`i32x4.add`: wrapping addition.";
    i32x4_sub, zip_i32, i32::wrapping_sub, "`i32x4.sub`: wrapping subtraction.";
    i32x4_mul, zip_i32, i32::wrapping_mul, "`i32x4.mul`: wrapping multiplication.";
    i64x2_add, zip_i64, i64::wrapping_add, "`i64x2.add`: wrapping addition.";
    i64x2_sub, zip_i64, i64::wrapping_sub, "`i64x2.sub`: wrapping subtraction.";
    i64x2_mul, zip_i64, i64::wrapping_mul, "`i64x2.mul`: wrapping multiplication.";

    i8x16_add_sat_s, zip_i8, i8::saturating_add, "`i8x16.add_sat_s`: signed saturating addition.";
    i8x16_add_sat_u, zip_u8, u8::saturating_add, "`i8x16.add_sat_u`: unsigned saturating addition.";
    i8x16_sub_sat_s, zip_i8, i8::saturating_sub, "`i8x16.sub_sat_s`: signed saturating subtraction.";
    i8x16_sub_sat_u, zip_u8, u8::saturating_sub, "`i8x16.sub_sat_u`: unsigned saturating subtraction.";
    i16x8_add_sat_s, zip_i16, i16::saturating_add, "`i16x8.add_sat_s`: signed saturating addition.";
    i16x8_add_sat_u, zip_u16, u16::saturating_add, "`i16x8.add_sat_u`: unsigned saturating addition.";
    i16x8_sub_sat_s, zip_i16, i16::saturating_sub, "`i16x8.sub_sat_s`: signed saturating subtraction.";
    i16x8_sub_sat_u, zip_u16, u16::saturating_sub, "`i16x8.sub_sat_u`: unsigned saturating subtraction.";

    i8x16_min_s, zip_i8, i8::min, "`i8x16.min_s`: signed minimum.";
    i8x16_min_u, zip_u8, u8::min, "`i8x16.min_u`: unsigned minimum.";
    i8x16_max_s, zip_i8, i8::max, "`i8x16.max_s`: signed maximum.";
    i8x16_max_u, zip_u8, u8::max, "`i8x16.max_u`: unsigned maximum.";
    i16x8_min_s, zip_i16, i16::min, "`i16x8.min_s`: signed minimum.";
    i16x8_min_u, zip_u16, u16::min, "`i16x8.min_u`: unsigned minimum.";
    i16x8_max_s, zip_i16, i16::max, "`i16x8.max_s`: signed maximum.";
    i16x8_max_u, zip_u16, u16::max, "`i16x8.max_u`: unsigned maximum.";
    i32x4_min_s, zip_i32, i32::min, "`i32x4.min_s`: signed minimum.";
    i32x4_min_u, zip_u32, u32::min, "`i32x4.min_u`: unsigned minimum.";
    i32x4_max_s, zip_i32, i32::max, "`i32x4.max_s`: signed maximum.";
    i32x4_max_u, zip_u32, u32::max, "`i32x4.max_u`: unsigned maximum.";

    i8x16_avgr_u, zip_u8, |x, y| ((u16::from(x) + u16::from(y) + 1) >> 1) as u8,
        "`i8x16.avgr_u`: unsigned rounding average `(a + b + 1) / 2`.";
    i16x8_avgr_u, zip_u16, |x, y| ((u32::from(x) + u32::from(y) + 1) >> 1) as u16,
        "`i16x8.avgr_u`: unsigned rounding average `(a + b + 1) / 2`.";

    i16x8_q15mulr_sat_s, zip_i16, q15mulr_sat,
        "`i16x8.q15mulr_sat_s`: Q15 rounding multiplication `(a * b + 0x4000) >> 15`, saturated \
         (only `-32768 * -32768` saturates, to 32767).";
}

unops! {
    i8x16_neg, map_i8, i8::wrapping_neg, "`i8x16.neg`: wrapping negation (-128 stays -128).";
    i16x8_neg, map_i16, i16::wrapping_neg, "`i16x8.neg`: wrapping negation.";
    i32x4_neg, map_i32, i32::wrapping_neg, "`i32x4.neg`: wrapping negation.";
    i64x2_neg, map_i64, i64::wrapping_neg, "`i64x2.neg`: wrapping negation.";
    i8x16_abs, map_i8, i8::wrapping_abs, "`i8x16.abs`: wrapping absolute value (-128 stays -128).";
    i16x8_abs, map_i16, i16::wrapping_abs, "`i16x8.abs`: wrapping absolute value.";
    i32x4_abs, map_i32, i32::wrapping_abs, "`i32x4.abs`: wrapping absolute value.";
    i64x2_abs, map_i64, i64::wrapping_abs, "`i64x2.abs`: wrapping absolute value.";
    i8x16_popcnt, map_u8, |x| x.count_ones() as u8, "`i8x16.popcnt`: set bits per byte.";
}

shifts! {
    i8x16_shl, map_i8, wrapping_shl, "`i8x16.shl`: shift left by `count % 8`.";
    i8x16_shr_s, map_i8, wrapping_shr, "`i8x16.shr_s`: arithmetic shift right by `count % 8`.";
    i8x16_shr_u, map_u8, wrapping_shr, "`i8x16.shr_u`: logical shift right by `count % 8`.";
    i16x8_shl, map_i16, wrapping_shl, "`i16x8.shl`: shift left by `count % 16`.";
    i16x8_shr_s, map_i16, wrapping_shr, "`i16x8.shr_s`: arithmetic shift right by `count % 16`.";
    i16x8_shr_u, map_u16, wrapping_shr, "`i16x8.shr_u`: logical shift right by `count % 16`.";
    i32x4_shl, map_i32, wrapping_shl, "`i32x4.shl`: shift left by `count % 32`.";
    i32x4_shr_s, map_i32, wrapping_shr, "`i32x4.shr_s`: arithmetic shift right by `count % 32`.";
    i32x4_shr_u, map_u32, wrapping_shr, "`i32x4.shr_u`: logical shift right by `count % 32`.";
    i64x2_shl, map_i64, wrapping_shl, "`i64x2.shl`: shift left by `count % 64`.";
    i64x2_shr_s, map_i64, wrapping_shr, "`i64x2.shr_s`: arithmetic shift right by `count % 64`.";
    i64x2_shr_u, map_u64, wrapping_shr, "`i64x2.shr_u`: logical shift right by `count % 64`.";
}

/// One lane of `q15mulr_sat_s`.
#[inline(always)]
pub(crate) fn q15mulr_sat(x: i16, y: i16) -> i16 {
    let r = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
    r.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

// ----- narrowing -----

/// Generates a narrowing operator: lanes of `a` fill the low half, lanes of `b` the high half,
/// each saturated to the narrow type's range.
macro_rules! narrow {
    ($name:ident, $to:ident, $from:ident, $n:literal, $lo:expr, $hi:expr, $t:ty, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (a, b) = (a.$to(), b.$to());
            const H: usize = $n / 2;
            V128::$from(core::array::from_fn(|i| {
                let x = if i < H { a[i] } else { b[i - H] };
                x.clamp($lo, $hi) as $t
            }))
        }
    };
}

narrow!(
    i8x16_narrow_i16x8_s,
    to_i16x8,
    from_i8x16,
    16,
    -128,
    127,
    i8,
    "`i8x16.narrow_i16x8_s`: `a` then `b`, each signed lane saturated to `i8`."
);
narrow!(
    i8x16_narrow_i16x8_u,
    to_i16x8,
    from_u8x16,
    16,
    0,
    255,
    u8,
    "`i8x16.narrow_i16x8_u`: `a` then `b`, each signed lane saturated to `u8`."
);
narrow!(
    i16x8_narrow_i32x4_s,
    to_i32x4,
    from_i16x8,
    8,
    -32768,
    32767,
    i16,
    "`i16x8.narrow_i32x4_s`: `a` then `b`, each signed lane saturated to `i16`."
);
narrow!(
    i16x8_narrow_i32x4_u,
    to_i32x4,
    from_u16x8,
    8,
    0,
    65535,
    u16,
    "`i16x8.narrow_i32x4_u`: `a` then `b`, each signed lane saturated to `u16`."
);

// ----- widening -----

/// Generates an extension: lanes `OFF..OFF + N` of `a`, widened (by sign or zero extension).
macro_rules! extend {
    ($name:ident, $to:ident, $from:ident, $wide:ty, $n:literal, $off:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128) -> V128 {
            let a = a.$to();
            V128::$from(core::array::from_fn::<$wide, $n, _>(|i| <$wide>::from(a[$off + i])))
        }
    };
}

extend!(
    i16x8_extend_low_i8x16_s,
    to_i8x16,
    from_i16x8,
    i16,
    8,
    0,
    "`i16x8.extend_low_i8x16_s`: lanes 0..8, sign-extended."
);
extend!(
    i16x8_extend_high_i8x16_s,
    to_i8x16,
    from_i16x8,
    i16,
    8,
    8,
    "`i16x8.extend_high_i8x16_s`: lanes 8..16, sign-extended."
);
extend!(
    i16x8_extend_low_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    0,
    "`i16x8.extend_low_i8x16_u`: lanes 0..8, zero-extended."
);
extend!(
    i16x8_extend_high_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    8,
    "`i16x8.extend_high_i8x16_u`: lanes 8..16, zero-extended."
);
extend!(
    i32x4_extend_low_i16x8_s,
    to_i16x8,
    from_i32x4,
    i32,
    4,
    0,
    "`i32x4.extend_low_i16x8_s`: lanes 0..4, sign-extended."
);
extend!(
    i32x4_extend_high_i16x8_s,
    to_i16x8,
    from_i32x4,
    i32,
    4,
    4,
    "`i32x4.extend_high_i16x8_s`: lanes 4..8, sign-extended."
);
extend!(
    i32x4_extend_low_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    0,
    "`i32x4.extend_low_i16x8_u`: lanes 0..4, zero-extended."
);
extend!(
    i32x4_extend_high_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    4,
    "`i32x4.extend_high_i16x8_u`: lanes 4..8, zero-extended."
);
extend!(
    i64x2_extend_low_i32x4_s,
    to_i32x4,
    from_i64x2,
    i64,
    2,
    0,
    "`i64x2.extend_low_i32x4_s`: lanes 0..2, sign-extended."
);
extend!(
    i64x2_extend_high_i32x4_s,
    to_i32x4,
    from_i64x2,
    i64,
    2,
    2,
    "`i64x2.extend_high_i32x4_s`: lanes 2..4, sign-extended."
);
extend!(
    i64x2_extend_low_i32x4_u,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    0,
    "`i64x2.extend_low_i32x4_u`: lanes 0..2, zero-extended."
);
extend!(
    i64x2_extend_high_i32x4_u,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    2,
    "`i64x2.extend_high_i32x4_u`: lanes 2..4, zero-extended."
);

/// Generates a pairwise widening addition: lane `i` is `a[2i] + a[2i+1]`, widened (never
/// overflows).
macro_rules! extadd_pairwise {
    ($name:ident, $to:ident, $from:ident, $wide:ty, $n:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128) -> V128 {
            let a = a.$to();
            V128::$from(core::array::from_fn::<$wide, $n, _>(|i| {
                <$wide>::from(a[2 * i]) + <$wide>::from(a[2 * i + 1])
            }))
        }
    };
}

extadd_pairwise!(
    i16x8_extadd_pairwise_i8x16_s,
    to_i8x16,
    from_i16x8,
    i16,
    8,
    "`i16x8.extadd_pairwise_i8x16_s`: sums of adjacent signed byte pairs."
);
extadd_pairwise!(
    i16x8_extadd_pairwise_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    "`i16x8.extadd_pairwise_i8x16_u`: sums of adjacent unsigned byte pairs."
);
extadd_pairwise!(
    i32x4_extadd_pairwise_i16x8_s,
    to_i16x8,
    from_i32x4,
    i32,
    4,
    "`i32x4.extadd_pairwise_i16x8_s`: sums of adjacent signed 16-bit pairs."
);
extadd_pairwise!(
    i32x4_extadd_pairwise_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    "`i32x4.extadd_pairwise_i16x8_u`: sums of adjacent unsigned 16-bit pairs."
);

/// Generates an extended multiplication: lane `i` is `a[OFF+i] * b[OFF+i]`, widened first (the
/// product always fits, except i64 where it wraps exactly as `i64.mul` would).
macro_rules! extmul {
    ($name:ident, $to:ident, $from:ident, $wide:ty, $n:literal, $off:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (a, b) = (a.$to(), b.$to());
            V128::$from(core::array::from_fn::<$wide, $n, _>(|i| {
                <$wide>::from(a[$off + i]).wrapping_mul(<$wide>::from(b[$off + i]))
            }))
        }
    };
}

extmul!(
    i16x8_extmul_low_i8x16_s,
    to_i8x16,
    from_i16x8,
    i16,
    8,
    0,
    "`i16x8.extmul_low_i8x16_s`: signed products of lanes 0..8."
);
extmul!(
    i16x8_extmul_high_i8x16_s,
    to_i8x16,
    from_i16x8,
    i16,
    8,
    8,
    "`i16x8.extmul_high_i8x16_s`: signed products of lanes 8..16."
);
extmul!(
    i16x8_extmul_low_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    0,
    "`i16x8.extmul_low_i8x16_u`: unsigned products of lanes 0..8."
);
extmul!(
    i16x8_extmul_high_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    8,
    "`i16x8.extmul_high_i8x16_u`: unsigned products of lanes 8..16."
);
extmul!(
    i32x4_extmul_low_i16x8_s,
    to_i16x8,
    from_i32x4,
    i32,
    4,
    0,
    "`i32x4.extmul_low_i16x8_s`: signed products of lanes 0..4."
);
extmul!(
    i32x4_extmul_high_i16x8_s,
    to_i16x8,
    from_i32x4,
    i32,
    4,
    4,
    "`i32x4.extmul_high_i16x8_s`: signed products of lanes 4..8."
);
extmul!(
    i32x4_extmul_low_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    0,
    "`i32x4.extmul_low_i16x8_u`: unsigned products of lanes 0..4."
);
extmul!(
    i32x4_extmul_high_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    4,
    "`i32x4.extmul_high_i16x8_u`: unsigned products of lanes 4..8."
);
extmul!(
    i64x2_extmul_low_i32x4_s,
    to_i32x4,
    from_i64x2,
    i64,
    2,
    0,
    "`i64x2.extmul_low_i32x4_s`: signed products of lanes 0..2."
);
extmul!(
    i64x2_extmul_high_i32x4_s,
    to_i32x4,
    from_i64x2,
    i64,
    2,
    2,
    "`i64x2.extmul_high_i32x4_s`: signed products of lanes 2..4."
);
extmul!(
    i64x2_extmul_low_i32x4_u,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    0,
    "`i64x2.extmul_low_i32x4_u`: unsigned products of lanes 0..2."
);
extmul!(
    i64x2_extmul_high_i32x4_u,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    2,
    "`i64x2.extmul_high_i32x4_u`: unsigned products of lanes 2..4."
);

/// `i32x4.dot_i16x8_s`: lane `i` is `a[2i]*b[2i] + a[2i+1]*b[2i+1]` (signed), wrapping (only all
/// four inputs at -32768 wrap, to `i32::MIN`).
#[inline]
pub fn i32x4_dot_i16x8_s(a: V128, b: V128) -> V128 {
    let (a, b) = (a.to_i16x8(), b.to_i16x8());
    V128::from_i32x4(core::array::from_fn(|i| {
        let p0 = i32::from(a[2 * i]) * i32::from(b[2 * i]);
        let p1 = i32::from(a[2 * i + 1]) * i32::from(b[2 * i + 1]);
        p0.wrapping_add(p1)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// Vectors full of edge values for every lane width, plus a few mixed ones.
    fn samples() -> Vec<V128> {
        let mut v = Vec::new();
        for b in [0u8, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x55] {
            v.push(V128::from_u8x16([b; 16]));
        }
        v.push(V128::from_i16x8([i16::MIN, i16::MAX, -1, 0, 1, 0x4000, -0x4000, 0x7ffe]));
        v.push(V128::from_i32x4([i32::MIN, i32::MAX, -1, 0x8000]));
        v.push(V128::from_i64x2([i64::MIN, i64::MAX]));
        v.push(V128::from_i64x2([-1, 1]));
        v.push(V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210));
        v.push(V128(0x8000_7fff_0000_ffff_8001_0001_7ffe_fffe));
        v.push(V128::from_i8x16(core::array::from_fn(|i| {
            (i as i8).wrapping_mul(37).wrapping_sub(100)
        })));
        v
    }

    /// Checks a binary operator against a lane-wise scalar reference over all sample pairs.
    macro_rules! check_bin {
        ($f:ident, $to:ident, $from:ident, $reference:expr) => {
            for a in samples() {
                for b in samples() {
                    let (x, y) = (a.$to(), b.$to());
                    let want = V128::$from(core::array::from_fn(|i| $reference(x[i], y[i])));
                    assert_eq!($f(a, b), want, "{} {a:x?} {b:x?}", stringify!($f));
                }
            }
        };
    }

    /// Checks a unary operator against a lane-wise scalar reference over all samples.
    macro_rules! check_un {
        ($f:ident, $to:ident, $from:ident, $reference:expr) => {
            for a in samples() {
                let x = a.$to();
                let want = V128::$from(core::array::from_fn(|i| $reference(x[i])));
                assert_eq!($f(a), want, "{} {a:x?}", stringify!($f));
            }
        };
    }

    #[test]
    fn wrapping_arithmetic() {
        check_bin!(i8x16_add, to_i8x16, from_i8x16, |x: i8, y: i8| (i16::from(x) + i16::from(y))
            as i8);
        check_bin!(i8x16_sub, to_i8x16, from_i8x16, |x: i8, y: i8| (i16::from(x) - i16::from(y))
            as i8);
        check_bin!(i16x8_add, to_i16x8, from_i16x8, |x: i16, y: i16| (i32::from(x) + i32::from(y))
            as i16);
        check_bin!(i16x8_sub, to_i16x8, from_i16x8, |x: i16, y: i16| (i32::from(x) - i32::from(y))
            as i16);
        check_bin!(i16x8_mul, to_i16x8, from_i16x8, |x: i16, y: i16| (i32::from(x) * i32::from(y))
            as i16);
        check_bin!(i32x4_add, to_i32x4, from_i32x4, |x: i32, y: i32| (i64::from(x) + i64::from(y))
            as i32);
        check_bin!(i32x4_sub, to_i32x4, from_i32x4, |x: i32, y: i32| (i64::from(x) - i64::from(y))
            as i32);
        check_bin!(i32x4_mul, to_i32x4, from_i32x4, |x: i32, y: i32| (i64::from(x) * i64::from(y))
            as i32);
        check_bin!(
            i64x2_add,
            to_i64x2,
            from_i64x2,
            |x: i64, y: i64| (i128::from(x) + i128::from(y)) as i64
        );
        check_bin!(
            i64x2_sub,
            to_i64x2,
            from_i64x2,
            |x: i64, y: i64| (i128::from(x) - i128::from(y)) as i64
        );
        check_bin!(
            i64x2_mul,
            to_i64x2,
            from_i64x2,
            |x: i64, y: i64| (i128::from(x) * i128::from(y)) as i64
        );
        check_un!(i8x16_neg, to_i8x16, from_i8x16, |x: i8| (-i16::from(x)) as i8);
        check_un!(i16x8_neg, to_i16x8, from_i16x8, |x: i16| (-i32::from(x)) as i16);
        check_un!(i32x4_neg, to_i32x4, from_i32x4, |x: i32| (-i64::from(x)) as i32);
        check_un!(i64x2_neg, to_i64x2, from_i64x2, |x: i64| (-i128::from(x)) as i64);
        check_un!(i8x16_abs, to_i8x16, from_i8x16, |x: i8| i16::from(x).abs() as i8);
        check_un!(i16x8_abs, to_i16x8, from_i16x8, |x: i16| i32::from(x).abs() as i16);
        check_un!(i32x4_abs, to_i32x4, from_i32x4, |x: i32| i64::from(x).abs() as i32);
        check_un!(i64x2_abs, to_i64x2, from_i64x2, |x: i64| i128::from(x).abs() as i64);
        assert_eq!(i8x16_abs(V128::from_i8x16([-128; 16])), V128::from_i8x16([-128; 16]));
        assert_eq!(i64x2_neg(V128::from_i64x2([i64::MIN, 5])).to_i64x2(), [i64::MIN, -5]);
    }

    #[test]
    fn popcnt() {
        check_un!(i8x16_popcnt, to_u8x16, from_u8x16, |x: u8| {
            (0..8).filter(|b| x & (1 << b) != 0).count() as u8
        });
        assert_eq!(i8x16_popcnt(V128(!0)), V128::from_u8x16([8; 16]));
    }

    /// Saturates an `i32` to the range `lo..=hi`.
    fn sat(x: i32, lo: i32, hi: i32) -> i32 {
        if x < lo {
            lo
        } else if x > hi {
            hi
        } else {
            x
        }
    }

    #[test]
    fn saturating_arithmetic() {
        check_bin!(i8x16_add_sat_s, to_i8x16, from_i8x16, |x: i8, y: i8| sat(
            i32::from(x) + i32::from(y),
            -128,
            127
        ) as i8);
        check_bin!(i8x16_add_sat_u, to_u8x16, from_u8x16, |x: u8, y: u8| sat(
            i32::from(x) + i32::from(y),
            0,
            255
        ) as u8);
        check_bin!(i8x16_sub_sat_s, to_i8x16, from_i8x16, |x: i8, y: i8| sat(
            i32::from(x) - i32::from(y),
            -128,
            127
        ) as i8);
        check_bin!(i8x16_sub_sat_u, to_u8x16, from_u8x16, |x: u8, y: u8| sat(
            i32::from(x) - i32::from(y),
            0,
            255
        ) as u8);
        check_bin!(i16x8_add_sat_s, to_i16x8, from_i16x8, |x: i16, y: i16| sat(
            i32::from(x) + i32::from(y),
            -32768,
            32767
        ) as i16);
        check_bin!(i16x8_add_sat_u, to_u16x8, from_u16x8, |x: u16, y: u16| sat(
            i32::from(x) + i32::from(y),
            0,
            65535
        ) as u16);
        check_bin!(i16x8_sub_sat_s, to_i16x8, from_i16x8, |x: i16, y: i16| sat(
            i32::from(x) - i32::from(y),
            -32768,
            32767
        ) as i16);
        check_bin!(i16x8_sub_sat_u, to_u16x8, from_u16x8, |x: u16, y: u16| sat(
            i32::from(x) - i32::from(y),
            0,
            65535
        ) as u16);
        // Hand-checked boundaries.
        let min = V128::from_i8x16([-128; 16]);
        let max = V128::from_i8x16([127; 16]);
        let one = V128::from_i8x16([1; 16]);
        assert_eq!(i8x16_add_sat_s(max, one), max);
        assert_eq!(i8x16_sub_sat_s(min, one), min);
        assert_eq!(i8x16_add_sat_u(V128(!0), one), V128(!0));
        assert_eq!(i8x16_sub_sat_u(V128(0), one), V128(0));
        assert_eq!(
            i16x8_sub_sat_s(V128::from_i16x8([0; 8]), V128::from_i16x8([i16::MIN; 8])),
            V128::from_i16x8([i16::MAX; 8])
        );
        assert_eq!(
            i16x8_add_sat_u(V128::from_u16x8([0xffff; 8]), V128::from_u16x8([0x8000; 8])),
            V128(!0)
        );
    }

    #[test]
    fn min_max_avgr() {
        check_bin!(i8x16_min_s, to_i8x16, from_i8x16, |x: i8, y: i8| if x < y { x } else { y });
        check_bin!(i8x16_min_u, to_u8x16, from_u8x16, |x: u8, y: u8| if x < y { x } else { y });
        check_bin!(i8x16_max_s, to_i8x16, from_i8x16, |x: i8, y: i8| if x > y { x } else { y });
        check_bin!(i8x16_max_u, to_u8x16, from_u8x16, |x: u8, y: u8| if x > y { x } else { y });
        check_bin!(i16x8_min_s, to_i16x8, from_i16x8, |x: i16, y: i16| if x < y { x } else { y });
        check_bin!(i16x8_min_u, to_u16x8, from_u16x8, |x: u16, y: u16| if x < y { x } else { y });
        check_bin!(i16x8_max_s, to_i16x8, from_i16x8, |x: i16, y: i16| if x > y { x } else { y });
        check_bin!(i16x8_max_u, to_u16x8, from_u16x8, |x: u16, y: u16| if x > y { x } else { y });
        check_bin!(i32x4_min_s, to_i32x4, from_i32x4, |x: i32, y: i32| if x < y { x } else { y });
        check_bin!(i32x4_min_u, to_u32x4, from_u32x4, |x: u32, y: u32| if x < y { x } else { y });
        check_bin!(i32x4_max_s, to_i32x4, from_i32x4, |x: i32, y: i32| if x > y { x } else { y });
        check_bin!(i32x4_max_u, to_u32x4, from_u32x4, |x: u32, y: u32| if x > y { x } else { y });
        check_bin!(i8x16_avgr_u, to_u8x16, from_u8x16, |x: u8, y: u8| ((u32::from(x)
            + u32::from(y))
        .div_ceil(2)) as u8);
        check_bin!(i16x8_avgr_u, to_u16x8, from_u16x8, |x: u16, y: u16| ((u32::from(x)
            + u32::from(y))
        .div_ceil(2))
            as u16);
        assert_eq!(i8x16_avgr_u(V128(!0), V128(!0)), V128(!0));
        assert_eq!(i8x16_avgr_u(V128(!0), V128(0)), V128::from_u8x16([128; 16]));
        assert_eq!(i16x8_avgr_u(V128(!0), V128::from_u16x8([0xfffe; 8])), V128(!0));
    }

    #[test]
    fn shifts_mask_the_count() {
        for count in [
            -65,
            -64,
            -33,
            -32,
            -17,
            -16,
            -9,
            -8,
            -1,
            0,
            1,
            7,
            8,
            9,
            15,
            16,
            31,
            32,
            33,
            63,
            64,
            65,
            i32::MAX,
            i32::MIN,
        ] {
            let c = count as u32;
            let (c8, c16, c32, c64) = (c % 8, c % 16, c % 32, c % 64);
            for a in samples() {
                assert_eq!(
                    i8x16_shl(a, count),
                    V128::from_u8x16(a.to_u8x16().map(|x| ((u32::from(x) << c8) & 0xff) as u8))
                );
                assert_eq!(
                    i8x16_shr_u(a, count),
                    V128::from_u8x16(a.to_u8x16().map(|x| (u32::from(x) >> c8) as u8))
                );
                assert_eq!(
                    i8x16_shr_s(a, count),
                    V128::from_i8x16(a.to_i8x16().map(|x| (i32::from(x) >> c8) as i8))
                );
                assert_eq!(
                    i16x8_shl(a, count),
                    V128::from_u16x8(a.to_u16x8().map(|x| ((u32::from(x) << c16) & 0xffff) as u16))
                );
                assert_eq!(
                    i16x8_shr_u(a, count),
                    V128::from_u16x8(a.to_u16x8().map(|x| (u32::from(x) >> c16) as u16))
                );
                assert_eq!(
                    i16x8_shr_s(a, count),
                    V128::from_i16x8(a.to_i16x8().map(|x| (i32::from(x) >> c16) as i16))
                );
                assert_eq!(
                    i32x4_shl(a, count),
                    V128::from_u32x4(
                        a.to_u32x4().map(|x| ((u64::from(x) << c32) & 0xffff_ffff) as u32)
                    )
                );
                assert_eq!(
                    i32x4_shr_u(a, count),
                    V128::from_u32x4(a.to_u32x4().map(|x| (u64::from(x) >> c32) as u32))
                );
                assert_eq!(
                    i32x4_shr_s(a, count),
                    V128::from_i32x4(a.to_i32x4().map(|x| (i64::from(x) >> c32) as i32))
                );
                assert_eq!(
                    i64x2_shl(a, count),
                    V128::from_u64x2(a.to_u64x2().map(|x| (u128::from(x) << c64) as u64))
                );
                assert_eq!(
                    i64x2_shr_u(a, count),
                    V128::from_u64x2(a.to_u64x2().map(|x| (u128::from(x) >> c64) as u64))
                );
                assert_eq!(
                    i64x2_shr_s(a, count),
                    V128::from_i64x2(a.to_i64x2().map(|x| (i128::from(x) >> c64) as i64))
                );
            }
        }
        assert_eq!(i8x16_shl(V128::from_u8x16([1; 16]), 9), V128::from_u8x16([2; 16]));
        assert_eq!(i8x16_shr_s(V128::from_u8x16([0x80; 16]), 7), V128(!0));
        assert_eq!(i32x4_shr_u(V128(!0), 32), V128(!0));
        assert_eq!(i64x2_shl(V128::from_u64x2([1, 1]), -1), V128::from_u64x2([1 << 63; 2]));
    }

    #[test]
    fn q15mulr() {
        check_bin!(i16x8_q15mulr_sat_s, to_i16x8, from_i16x8, |x: i16, y: i16| {
            sat((i32::from(x) * i32::from(y) + 0x4000) >> 15, -32768, 32767) as i16
        });
        let min = V128::from_i16x8([i16::MIN; 8]);
        assert_eq!(i16x8_q15mulr_sat_s(min, min), V128::from_i16x8([i16::MAX; 8]));
        let a = V128::from_i16x8([0x4000, -0x4000, 1, -1, 0x7fff, i16::MIN, 0x2000, 3]);
        let b = V128::from_i16x8([0x4000, 0x4000, 0x4000, 0x4000, 0x7fff, 0x7fff, -0x2000, 0x5555]);
        assert_eq!(
            i16x8_q15mulr_sat_s(a, b).to_i16x8(),
            [0x2000, -0x2000, 1, 0, 0x7ffe, -0x7fff, -0x800, 2]
        );
    }

    #[test]
    fn narrowing() {
        for a in samples() {
            for b in samples() {
                let (x, y) = (a.to_i16x8(), b.to_i16x8());
                let pick = |i: usize| i32::from(if i < 8 { x[i] } else { y[i - 8] });
                assert_eq!(
                    i8x16_narrow_i16x8_s(a, b),
                    V128::from_i8x16(core::array::from_fn(|i| sat(pick(i), -128, 127) as i8))
                );
                assert_eq!(
                    i8x16_narrow_i16x8_u(a, b),
                    V128::from_u8x16(core::array::from_fn(|i| sat(pick(i), 0, 255) as u8))
                );
                let (x, y) = (a.to_i32x4(), b.to_i32x4());
                let pick = |i: usize| if i < 4 { x[i] } else { y[i - 4] };
                assert_eq!(
                    i16x8_narrow_i32x4_s(a, b),
                    V128::from_i16x8(core::array::from_fn(|i| sat(pick(i), -32768, 32767) as i16))
                );
                assert_eq!(
                    i16x8_narrow_i32x4_u(a, b),
                    V128::from_u16x8(core::array::from_fn(|i| sat(pick(i), 0, 65535) as u16))
                );
            }
        }
        let a = V128::from_i16x8([-129, -128, 127, 128, 255, 256, -1, 0]);
        let b = V128::from_i16x8([i16::MIN, i16::MAX, 1, 2, 3, 4, 5, 6]);
        assert_eq!(
            i8x16_narrow_i16x8_s(a, b).to_i8x16(),
            [-128, -128, 127, 127, 127, 127, -1, 0, -128, 127, 1, 2, 3, 4, 5, 6]
        );
        assert_eq!(
            i8x16_narrow_i16x8_u(a, b).to_u8x16(),
            [0, 0, 127, 128, 255, 255, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6]
        );
        let c = V128::from_i32x4([i32::MIN, 65536, 32768, -32769]);
        assert_eq!(i16x8_narrow_i32x4_s(c, c).to_i16x8()[..4], [-32768, 32767, 32767, -32768]);
        assert_eq!(i16x8_narrow_i32x4_u(c, c).to_u16x8()[..4], [0, 65535, 32768, 0]);
    }

    #[test]
    fn widening() {
        for a in samples() {
            let b = a.to_i8x16();
            let u = a.to_u8x16();
            assert_eq!(
                i16x8_extend_low_i8x16_s(a).to_i16x8(),
                core::array::from_fn(|i| i16::from(b[i]))
            );
            assert_eq!(
                i16x8_extend_high_i8x16_s(a).to_i16x8(),
                core::array::from_fn(|i| i16::from(b[i + 8]))
            );
            assert_eq!(
                i16x8_extend_low_i8x16_u(a).to_u16x8(),
                core::array::from_fn(|i| u16::from(u[i]))
            );
            assert_eq!(
                i16x8_extend_high_i8x16_u(a).to_u16x8(),
                core::array::from_fn(|i| u16::from(u[i + 8]))
            );
            let h = a.to_i16x8();
            let hu = a.to_u16x8();
            assert_eq!(
                i32x4_extend_low_i16x8_s(a).to_i32x4(),
                core::array::from_fn(|i| i32::from(h[i]))
            );
            assert_eq!(
                i32x4_extend_high_i16x8_s(a).to_i32x4(),
                core::array::from_fn(|i| i32::from(h[i + 4]))
            );
            assert_eq!(
                i32x4_extend_low_i16x8_u(a).to_u32x4(),
                core::array::from_fn(|i| u32::from(hu[i]))
            );
            assert_eq!(
                i32x4_extend_high_i16x8_u(a).to_u32x4(),
                core::array::from_fn(|i| u32::from(hu[i + 4]))
            );
            let w = a.to_i32x4();
            let wu = a.to_u32x4();
            assert_eq!(i64x2_extend_low_i32x4_s(a).to_i64x2(), [i64::from(w[0]), i64::from(w[1])]);
            assert_eq!(i64x2_extend_high_i32x4_s(a).to_i64x2(), [i64::from(w[2]), i64::from(w[3])]);
            assert_eq!(
                i64x2_extend_low_i32x4_u(a).to_u64x2(),
                [u64::from(wu[0]), u64::from(wu[1])]
            );
            assert_eq!(
                i64x2_extend_high_i32x4_u(a).to_u64x2(),
                [u64::from(wu[2]), u64::from(wu[3])]
            );

            assert_eq!(
                i16x8_extadd_pairwise_i8x16_s(a).to_i16x8(),
                core::array::from_fn(|i| i16::from(b[2 * i]) + i16::from(b[2 * i + 1]))
            );
            assert_eq!(
                i16x8_extadd_pairwise_i8x16_u(a).to_u16x8(),
                core::array::from_fn(|i| u16::from(u[2 * i]) + u16::from(u[2 * i + 1]))
            );
            assert_eq!(
                i32x4_extadd_pairwise_i16x8_s(a).to_i32x4(),
                core::array::from_fn(|i| i32::from(h[2 * i]) + i32::from(h[2 * i + 1]))
            );
            assert_eq!(
                i32x4_extadd_pairwise_i16x8_u(a).to_u32x4(),
                core::array::from_fn(|i| u32::from(hu[2 * i]) + u32::from(hu[2 * i + 1]))
            );
        }
        assert_eq!(
            i16x8_extadd_pairwise_i8x16_s(V128::from_i8x16([-128; 16])),
            V128::from_i16x8([-256; 8])
        );
        assert_eq!(i16x8_extadd_pairwise_i8x16_u(V128(!0)), V128::from_u16x8([510; 8]));
        assert_eq!(
            i32x4_extadd_pairwise_i16x8_s(V128::from_i16x8([i16::MAX; 8])),
            V128::from_i32x4([65534; 4])
        );
        assert_eq!(i32x4_extadd_pairwise_i16x8_u(V128(!0)), V128::from_u32x4([131_070; 4]));
    }

    #[test]
    fn extended_multiplication() {
        for a in samples() {
            for b in samples() {
                let (x, y) = (a.to_i8x16(), b.to_i8x16());
                let (xu, yu) = (a.to_u8x16(), b.to_u8x16());
                for off in [0, 8] {
                    let s: [i16; 8] =
                        core::array::from_fn(|i| i16::from(x[off + i]) * i16::from(y[off + i]));
                    let u: [u16; 8] =
                        core::array::from_fn(|i| u16::from(xu[off + i]) * u16::from(yu[off + i]));
                    let (gs, gu) = if off == 0 {
                        (i16x8_extmul_low_i8x16_s(a, b), i16x8_extmul_low_i8x16_u(a, b))
                    } else {
                        (i16x8_extmul_high_i8x16_s(a, b), i16x8_extmul_high_i8x16_u(a, b))
                    };
                    assert_eq!((gs.to_i16x8(), gu.to_u16x8()), (s, u));
                }
                let (x, y) = (a.to_i16x8(), b.to_i16x8());
                let (xu, yu) = (a.to_u16x8(), b.to_u16x8());
                for off in [0, 4] {
                    let s: [i32; 4] =
                        core::array::from_fn(|i| i32::from(x[off + i]) * i32::from(y[off + i]));
                    let u: [u32; 4] =
                        core::array::from_fn(|i| u32::from(xu[off + i]) * u32::from(yu[off + i]));
                    let (gs, gu) = if off == 0 {
                        (i32x4_extmul_low_i16x8_s(a, b), i32x4_extmul_low_i16x8_u(a, b))
                    } else {
                        (i32x4_extmul_high_i16x8_s(a, b), i32x4_extmul_high_i16x8_u(a, b))
                    };
                    assert_eq!((gs.to_i32x4(), gu.to_u32x4()), (s, u));
                }
                let (x, y) = (a.to_i32x4(), b.to_i32x4());
                let (xu, yu) = (a.to_u32x4(), b.to_u32x4());
                for off in [0, 2] {
                    let s: [i64; 2] = core::array::from_fn(|i| {
                        (i128::from(x[off + i]) * i128::from(y[off + i])) as i64
                    });
                    let u: [u64; 2] =
                        core::array::from_fn(|i| u64::from(xu[off + i]) * u64::from(yu[off + i]));
                    let (gs, gu) = if off == 0 {
                        (i64x2_extmul_low_i32x4_s(a, b), i64x2_extmul_low_i32x4_u(a, b))
                    } else {
                        (i64x2_extmul_high_i32x4_s(a, b), i64x2_extmul_high_i32x4_u(a, b))
                    };
                    assert_eq!((gs.to_i64x2(), gu.to_u64x2()), (s, u));
                }
                let dot: [i32; 4] = core::array::from_fn(|i| {
                    let x = a.to_i16x8();
                    let y = b.to_i16x8();
                    (i64::from(x[2 * i]) * i64::from(y[2 * i])
                        + i64::from(x[2 * i + 1]) * i64::from(y[2 * i + 1]))
                        as i32
                });
                assert_eq!(i32x4_dot_i16x8_s(a, b).to_i32x4(), dot);
            }
        }
        let min = V128::from_i16x8([i16::MIN; 8]);
        assert_eq!(i32x4_dot_i16x8_s(min, min), V128::from_i32x4([i32::MIN; 4]));
        assert_eq!(
            i16x8_extmul_low_i8x16_s(V128::from_i8x16([-128; 16]), V128::from_i8x16([-128; 16])),
            V128::from_i16x8([16384; 8])
        );
        assert_eq!(i16x8_extmul_high_i8x16_u(V128(!0), V128(!0)), V128::from_u16x8([65025; 8]));
        assert_eq!(
            i64x2_extmul_low_i32x4_s(
                V128::from_i32x4([i32::MIN; 4]),
                V128::from_i32x4([i32::MIN; 4])
            ),
            V128::from_i64x2([1 << 62; 2])
        );
        assert_eq!(
            i64x2_extmul_high_i32x4_u(V128(!0), V128(!0)),
            V128::from_u64x2([0xffff_fffe_0000_0001; 2])
        );
    }
}
