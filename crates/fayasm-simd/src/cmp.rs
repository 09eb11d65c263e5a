//! Lane-wise comparisons. Each lane of the result is all ones when the comparison holds and all
//! zeros otherwise. Float comparisons are false for NaN lanes (`ne` true) and `-0 == +0`.

use crate::V128;
use crate::lanes::{mask, zip_i8, zip_i16, zip_i32, zip_i64, zip_u8, zip_u16, zip_u32};

/// Generates integer comparisons: `name, zip helper, operator, doc`.
macro_rules! int_cmp {
    ($($name:ident, $zip:ident, $op:tt, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            $zip(a, b, |x, y| mask(x $op y))
        }
    )*};
}

int_cmp! {
    i8x16_eq, zip_i8, ==, "`i8x16.eq`: lanes equal.";
    i8x16_ne, zip_i8, !=, "`i8x16.ne`: lanes differ.";
    i8x16_lt_s, zip_i8, <, "`i8x16.lt_s`: signed less than.";
    i8x16_lt_u, zip_u8, <, "`i8x16.lt_u`: unsigned less than.";
    i8x16_gt_s, zip_i8, >, "`i8x16.gt_s`: signed greater than.";
    i8x16_gt_u, zip_u8, >, "`i8x16.gt_u`: unsigned greater than.";
    i8x16_le_s, zip_i8, <=, "`i8x16.le_s`: signed less or equal.";
    i8x16_le_u, zip_u8, <=, "`i8x16.le_u`: unsigned less or equal.";
    i8x16_ge_s, zip_i8, >=, "`i8x16.ge_s`: signed greater or equal.";
    i8x16_ge_u, zip_u8, >=, "`i8x16.ge_u`: unsigned greater or equal.";
    i16x8_eq, zip_i16, ==, "`i16x8.eq`: lanes equal.";
    i16x8_ne, zip_i16, !=, "`i16x8.ne`: lanes differ.";
    i16x8_lt_s, zip_i16, <, "`i16x8.lt_s`: signed less than.";
    i16x8_lt_u, zip_u16, <, "`i16x8.lt_u`: unsigned less than.";
    i16x8_gt_s, zip_i16, >, "`i16x8.gt_s`: signed greater than.";
    i16x8_gt_u, zip_u16, >, "`i16x8.gt_u`: unsigned greater than.";
    i16x8_le_s, zip_i16, <=, "`i16x8.le_s`: signed less or equal.";
    i16x8_le_u, zip_u16, <=, "`i16x8.le_u`: unsigned less or equal.";
    i16x8_ge_s, zip_i16, >=, "`i16x8.ge_s`: signed greater or equal.";
    i16x8_ge_u, zip_u16, >=, "`i16x8.ge_u`: unsigned greater or equal.";
    i32x4_eq, zip_i32, ==, "`i32x4.eq`: lanes equal.";
    i32x4_ne, zip_i32, !=, "`i32x4.ne`: lanes differ.";
    i32x4_lt_s, zip_i32, <, "`i32x4.lt_s`: signed less than.";
    i32x4_lt_u, zip_u32, <, "`i32x4.lt_u`: unsigned less than.";
    i32x4_gt_s, zip_i32, >, "`i32x4.gt_s`: signed greater than.";
    i32x4_gt_u, zip_u32, >, "`i32x4.gt_u`: unsigned greater than.";
    i32x4_le_s, zip_i32, <=, "`i32x4.le_s`: signed less or equal.";
    i32x4_le_u, zip_u32, <=, "`i32x4.le_u`: unsigned less or equal.";
    i32x4_ge_s, zip_i32, >=, "`i32x4.ge_s`: signed greater or equal.";
    i32x4_ge_u, zip_u32, >=, "`i32x4.ge_u`: unsigned greater or equal.";
    i64x2_eq, zip_i64, ==, "`i64x2.eq`: lanes equal.";
    i64x2_ne, zip_i64, !=, "`i64x2.ne`: lanes differ.";
    i64x2_lt_s, zip_i64, <, "`i64x2.lt_s`: signed less than.";
    i64x2_gt_s, zip_i64, >, "`i64x2.gt_s`: signed greater than.";
    i64x2_le_s, zip_i64, <=, "`i64x2.le_s`: signed less or equal.";
    i64x2_ge_s, zip_i64, >=, "`i64x2.ge_s`: signed greater or equal.";
}

/// Generates float comparisons: `name, view, mask view, mask lane type, operator, doc`.
macro_rules! float_cmp {
    ($($name:ident, $to:ident, $from:ident, $m:ty, $op:tt, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (a, b) = (a.$to(), b.$to());
            V128::$from(core::array::from_fn(|i| mask::<$m>(a[i] $op b[i])))
        }
    )*};
}

float_cmp! {
    f32x4_eq, to_f32x4, from_i32x4, i32, ==, "`f32x4.eq`: equal (false for NaN, `-0 == +0`).";
    f32x4_ne, to_f32x4, from_i32x4, i32, !=, "`f32x4.ne`: not equal (true for NaN).";
    f32x4_lt, to_f32x4, from_i32x4, i32, <, "`f32x4.lt`: less than (false for NaN).";
    f32x4_gt, to_f32x4, from_i32x4, i32, >, "`f32x4.gt`: greater than (false for NaN).";
    f32x4_le, to_f32x4, from_i32x4, i32, <=, "`f32x4.le`: less or equal (false for NaN).";
    f32x4_ge, to_f32x4, from_i32x4, i32, >=, "`f32x4.ge`: greater or equal (false for NaN).";
    f64x2_eq, to_f64x2, from_i64x2, i64, ==, "`f64x2.eq`: equal (false for NaN, `-0 == +0`).";
    f64x2_ne, to_f64x2, from_i64x2, i64, !=, "`f64x2.ne`: not equal (true for NaN).";
    f64x2_lt, to_f64x2, from_i64x2, i64, <, "`f64x2.lt`: less than (false for NaN).";
    f64x2_gt, to_f64x2, from_i64x2, i64, >, "`f64x2.gt`: greater than (false for NaN).";
    f64x2_le, to_f64x2, from_i64x2, i64, <=, "`f64x2.le`: less or equal (false for NaN).";
    f64x2_ge, to_f64x2, from_i64x2, i64, >=, "`f64x2.ge`: greater or equal (false for NaN).";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Edge values of every lane width, as bytes repeated to fill the vector.
    fn samples() -> [V128; 6] {
        [
            V128(0),
            V128(!0),
            V128(0x8000_0000_0000_0000_7fff_ffff_ffff_ffff),
            V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
            V128(0x7f80_8001_ff00_00ff_8000_7fff_0001_fffe),
            V128::from_i32x4([i32::MIN, i32::MAX, -1, 1]),
        ]
    }

    /// Checks a comparison against a scalar reference over every pair of samples.
    macro_rules! check {
        ($f:ident, $to:ident, $from:ident, $t:ty, $op:tt) => {
            for a in samples() {
                for b in samples() {
                    let (x, y) = (a.$to(), b.$to());
                    let want: [$t; 16 / core::mem::size_of::<$t>()] =
                        core::array::from_fn(|i| if x[i] $op y[i] { !0 } else { 0 });
                    assert_eq!($f(a, b), V128::$from(want), "{} {a:x?} {b:x?}", stringify!($f));
                }
            }
        };
    }

    #[test]
    fn integer_comparisons_match_scalar() {
        check!(i8x16_eq, to_i8x16, from_i8x16, i8, ==);
        check!(i8x16_ne, to_i8x16, from_i8x16, i8, !=);
        check!(i8x16_lt_s, to_i8x16, from_i8x16, i8, <);
        check!(i8x16_lt_u, to_u8x16, from_u8x16, u8, <);
        check!(i8x16_gt_s, to_i8x16, from_i8x16, i8, >);
        check!(i8x16_gt_u, to_u8x16, from_u8x16, u8, >);
        check!(i8x16_le_s, to_i8x16, from_i8x16, i8, <=);
        check!(i8x16_le_u, to_u8x16, from_u8x16, u8, <=);
        check!(i8x16_ge_s, to_i8x16, from_i8x16, i8, >=);
        check!(i8x16_ge_u, to_u8x16, from_u8x16, u8, >=);
        check!(i16x8_eq, to_i16x8, from_i16x8, i16, ==);
        check!(i16x8_ne, to_i16x8, from_i16x8, i16, !=);
        check!(i16x8_lt_s, to_i16x8, from_i16x8, i16, <);
        check!(i16x8_lt_u, to_u16x8, from_u16x8, u16, <);
        check!(i16x8_gt_s, to_i16x8, from_i16x8, i16, >);
        check!(i16x8_gt_u, to_u16x8, from_u16x8, u16, >);
        check!(i16x8_le_s, to_i16x8, from_i16x8, i16, <=);
        check!(i16x8_le_u, to_u16x8, from_u16x8, u16, <=);
        check!(i16x8_ge_s, to_i16x8, from_i16x8, i16, >=);
        check!(i16x8_ge_u, to_u16x8, from_u16x8, u16, >=);
        check!(i32x4_eq, to_i32x4, from_i32x4, i32, ==);
        check!(i32x4_ne, to_i32x4, from_i32x4, i32, !=);
        check!(i32x4_lt_s, to_i32x4, from_i32x4, i32, <);
        check!(i32x4_lt_u, to_u32x4, from_u32x4, u32, <);
        check!(i32x4_gt_s, to_i32x4, from_i32x4, i32, >);
        check!(i32x4_gt_u, to_u32x4, from_u32x4, u32, >);
        check!(i32x4_le_s, to_i32x4, from_i32x4, i32, <=);
        check!(i32x4_le_u, to_u32x4, from_u32x4, u32, <=);
        check!(i32x4_ge_s, to_i32x4, from_i32x4, i32, >=);
        check!(i32x4_ge_u, to_u32x4, from_u32x4, u32, >=);
        check!(i64x2_eq, to_i64x2, from_i64x2, i64, ==);
        check!(i64x2_ne, to_i64x2, from_i64x2, i64, !=);
        check!(i64x2_lt_s, to_i64x2, from_i64x2, i64, <);
        check!(i64x2_gt_s, to_i64x2, from_i64x2, i64, >);
        check!(i64x2_le_s, to_i64x2, from_i64x2, i64, <=);
        check!(i64x2_ge_s, to_i64x2, from_i64x2, i64, >=);
    }

    /// Float lanes covering NaNs (canonical, arithmetic, signalling, negative), zeros of both
    /// signs, infinities, subnormals and ordinary values.
    fn float_samples() -> [V128; 5] {
        [
            V128::from_u32x4([0x7fc0_0000, 0xffc0_0000, 0x7fa0_0001, 0x8000_0000]),
            V128::from_u32x4([0x0000_0000, 0x7f80_0000, 0xff80_0000, 0x0000_0001]),
            V128::from_f32x4([1.0, -1.0, 0.5, f32::MAX]),
            V128::from_u64x2([0x7ff8_0000_0000_0000, 0x8000_0000_0000_0000]),
            V128::from_f64x2([1.0, f64::NEG_INFINITY]),
        ]
    }

    #[test]
    fn float_comparisons_match_scalar() {
        macro_rules! check_f {
            ($f:ident, $to:ident, $t:ty, $from:ident, $m:ty, $op:tt) => {
                for a in float_samples() {
                    for b in float_samples() {
                        let (x, y) = (a.$to(), b.$to());
                        let want: [$m; 16 / core::mem::size_of::<$m>()] =
                            core::array::from_fn(|i| if x[i] $op y[i] { -1 } else { 0 });
                        assert_eq!($f(a, b), V128::$from(want), "{} {a:x?} {b:x?}", stringify!($f));
                    }
                }
            };
        }
        check_f!(f32x4_eq, to_f32x4, f32, from_i32x4, i32, ==);
        check_f!(f32x4_ne, to_f32x4, f32, from_i32x4, i32, !=);
        check_f!(f32x4_lt, to_f32x4, f32, from_i32x4, i32, <);
        check_f!(f32x4_gt, to_f32x4, f32, from_i32x4, i32, >);
        check_f!(f32x4_le, to_f32x4, f32, from_i32x4, i32, <=);
        check_f!(f32x4_ge, to_f32x4, f32, from_i32x4, i32, >=);
        check_f!(f64x2_eq, to_f64x2, f64, from_i64x2, i64, ==);
        check_f!(f64x2_ne, to_f64x2, f64, from_i64x2, i64, !=);
        check_f!(f64x2_lt, to_f64x2, f64, from_i64x2, i64, <);
        check_f!(f64x2_gt, to_f64x2, f64, from_i64x2, i64, >);
        check_f!(f64x2_le, to_f64x2, f64, from_i64x2, i64, <=);
        check_f!(f64x2_ge, to_f64x2, f64, from_i64x2, i64, >=);
        // Hand-checked: NaN never equal, zeros equal, NaN lanes are "ne".
        let nan = V128::from_u32x4([0x7fc0_0000, 0x8000_0000, 0x7f80_0000, 0x7fa0_0000]);
        let other = V128::from_u32x4([0x7fc0_0000, 0x0000_0000, 0x7f80_0000, 0x3f80_0000]);
        assert_eq!(f32x4_eq(nan, other).to_i32x4(), [0, -1, -1, 0]);
        assert_eq!(f32x4_ne(nan, other).to_i32x4(), [-1, 0, 0, -1]);
        assert_eq!(f32x4_le(nan, other).to_i32x4(), [0, -1, -1, 0]);
        assert_eq!(
            f64x2_lt(V128::from_f64x2([-0.0, f64::NAN]), V128::from_f64x2([0.0, 1.0])).to_i64x2(),
            [0, 0]
        );
    }

    #[test]
    fn hand_checked() {
        let a = V128::from_i8x16([-128, 127, 0, -1, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = V128::from_i8x16([127, -128, 0, 1, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(i8x16_lt_s(a, b).to_i8x16()[..6], [-1, 0, 0, -1, 0, -1]);
        assert_eq!(i8x16_lt_u(a, b).to_i8x16()[..6], [0, -1, 0, 0, 0, -1]);
        assert_eq!(
            i64x2_lt_s(V128::from_i64x2([i64::MIN, 0]), V128::from_i64x2([0, -1])).to_i64x2(),
            [-1, 0]
        );
    }
}
