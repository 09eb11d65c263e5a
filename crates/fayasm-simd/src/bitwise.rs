//! Whole-vector bitwise operators and the boolean reductions (`any_true`, `all_true`,
//! `bitmask`).

use crate::V128;

/// `v128.not`: bitwise complement.
#[inline]
pub fn v128_not(a: V128) -> V128 {
    V128(!a.0)
}

/// `v128.and`: bitwise and.
#[inline]
pub fn v128_and(a: V128, b: V128) -> V128 {
    V128(a.0 & b.0)
}

/// `v128.andnot`: `a & !b`.
#[inline]
pub fn v128_andnot(a: V128, b: V128) -> V128 {
    V128(a.0 & !b.0)
}

/// `v128.or`: bitwise or.
#[inline]
pub fn v128_or(a: V128, b: V128) -> V128 {
    V128(a.0 | b.0)
}

/// `v128.xor`: bitwise exclusive or.
#[inline]
pub fn v128_xor(a: V128, b: V128) -> V128 {
    V128(a.0 ^ b.0)
}

/// `v128.bitselect`: bits of `v1` where `c` is 1, bits of `v2` where `c` is 0.
#[inline]
pub fn v128_bitselect(v1: V128, v2: V128, c: V128) -> V128 {
    V128((v1.0 & c.0) | (v2.0 & !c.0))
}

/// `v128.any_true`: 1 if any bit is set.
#[inline]
pub fn v128_any_true(a: V128) -> i32 {
    i32::from(a.0 != 0)
}

/// Generates `all_true` and `bitmask` for one integer lane shape.
macro_rules! reductions {
    ($all:ident, $bitmask:ident, $to:ident, $shape:literal) => {
        #[doc = concat!("`", $shape, ".all_true`: 1 if every lane is non-zero.")]
        #[inline]
        pub fn $all(a: V128) -> i32 {
            i32::from(a.$to().iter().all(|&l| l != 0))
        }

        #[doc = concat!("`", $shape, ".bitmask`: bit `i` of the result is the sign bit of lane `i`.")]
        #[inline]
        pub fn $bitmask(a: V128) -> i32 {
            a.$to().iter().enumerate().fold(0, |m, (i, &l)| m | (i32::from(l < 0) << i))
        }
    };
}

reductions!(i8x16_all_true, i8x16_bitmask, to_i8x16, "i8x16");
reductions!(i16x8_all_true, i16x8_bitmask, to_i16x8, "i16x8");
reductions!(i32x4_all_true, i32x4_bitmask, to_i32x4, "i32x4");
reductions!(i64x2_all_true, i64x2_bitmask, to_i64x2, "i64x2");

#[cfg(test)]
mod tests {
    use super::*;

    const A: V128 = V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210);
    const B: V128 = V128(0xffff_0000_ffff_0000_f0f0_f0f0_0f0f_0f0f);

    #[test]
    fn bitwise() {
        assert_eq!(v128_not(A).0, !A.0);
        assert_eq!(v128_and(A, B).0, A.0 & B.0);
        assert_eq!(v128_andnot(A, B).0, A.0 & !B.0);
        assert_eq!(v128_or(A, B).0, A.0 | B.0);
        assert_eq!(v128_xor(A, B).0, A.0 ^ B.0);
        assert_eq!(v128_bitselect(A, V128(!0), B).0, A.0 | !B.0);
        assert_eq!(v128_bitselect(V128(!0), V128(0), B), B);
        assert_eq!(v128_bitselect(A, B, V128(0)), B);
        assert_eq!(v128_bitselect(A, B, V128(!0)), A);
    }

    #[test]
    fn any_all_true() {
        assert_eq!(v128_any_true(V128(0)), 0);
        assert_eq!(v128_any_true(V128(1 << 127)), 1);
        assert_eq!(v128_any_true(V128(1)), 1);
        let one_zero_byte = V128(!0xff00);
        assert_eq!(i8x16_all_true(one_zero_byte), 0);
        assert_eq!(i16x8_all_true(one_zero_byte), 1);
        assert_eq!(i8x16_all_true(V128::from_u8x16([1; 16])), 1);
        assert_eq!(i16x8_all_true(V128::from_u16x8([1, 1, 1, 0, 1, 1, 1, 1])), 0);
        assert_eq!(i16x8_all_true(V128::from_u16x8([0x100; 8])), 1);
        assert_eq!(i32x4_all_true(V128::from_u32x4([1, 1, 1, 0])), 0);
        assert_eq!(i32x4_all_true(V128::from_u32x4([1 << 31, 1, 1 << 16, 1])), 1);
        assert_eq!(i64x2_all_true(V128::from_u64x2([0, 1])), 0);
        assert_eq!(i64x2_all_true(V128::from_u64x2([1 << 63, 1 << 32])), 1);
        assert_eq!(i8x16_all_true(V128(0)), 0);
    }

    #[test]
    fn bitmasks() {
        let mut b = [0u8; 16];
        b[0] = 0x80;
        b[3] = 0xff;
        b[15] = 0x80;
        b[7] = 0x7f;
        assert_eq!(i8x16_bitmask(V128::from_bytes(b)), 0b1000_0000_0000_1001);
        assert_eq!(i8x16_bitmask(V128(!0)), 0xffff);
        assert_eq!(
            i16x8_bitmask(V128::from_i16x8([-1, 0, 1, -32768, 32767, 0, 0, -2])),
            0b1000_1001
        );
        assert_eq!(i32x4_bitmask(V128::from_i32x4([i32::MIN, 0, -1, i32::MAX])), 0b0101);
        assert_eq!(i64x2_bitmask(V128::from_i64x2([1, -1])), 0b10);
        assert_eq!(i64x2_bitmask(V128(0)), 0);
    }
}
