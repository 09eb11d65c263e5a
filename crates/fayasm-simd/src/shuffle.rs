//! Lane movement: `shuffle`, `swizzle`, `splat`, `extract_lane` and `replace_lane`.
//!
//! Lane immediates are validated by the decoder; these functions still mask them (`& (LANES-1)`,
//! shuffle indices `& 31`) so no input can panic.

use crate::V128;

/// `i8x16.shuffle`: byte `i` is byte `lanes[i]` of the 32-byte concatenation `a ++ b`
/// (indices are masked to 0..32).
#[inline]
pub fn i8x16_shuffle(a: V128, b: V128, lanes: [u8; 16]) -> V128 {
    // One 32-byte table and an index masked into it: no branch per lane.
    let mut both = [0u8; 32];
    both[..16].copy_from_slice(&a.to_bytes());
    both[16..].copy_from_slice(&b.to_bytes());
    V128::from_bytes(lanes.map(|l| both[usize::from(l & 31)]))
}

/// `i8x16.swizzle`: byte `i` is byte `s[i]` of `a`, or 0 when `s[i] >= 16`.
#[inline]
pub fn i8x16_swizzle(a: V128, s: V128) -> V128 {
    let a = a.to_bytes();
    V128::from_bytes(s.to_bytes().map(|l| a.get(usize::from(l)).copied().unwrap_or(0)))
}

/// `i8x16.splat`: the low 8 bits of `x` in every lane.
#[inline]
pub fn i8x16_splat(x: i32) -> V128 {
    V128::from_u8x16([x as u8; 16])
}

/// `i16x8.splat`: the low 16 bits of `x` in every lane.
#[inline]
pub fn i16x8_splat(x: i32) -> V128 {
    V128::from_u16x8([x as u16; 8])
}

/// `i32x4.splat`: `x` in every lane.
#[inline]
pub fn i32x4_splat(x: i32) -> V128 {
    V128::from_i32x4([x; 4])
}

/// `i64x2.splat`: `x` in every lane.
#[inline]
pub fn i64x2_splat(x: i64) -> V128 {
    V128::from_i64x2([x; 2])
}

/// `f32x4.splat`: `x` in every lane (bits preserved).
#[inline]
pub fn f32x4_splat(x: f32) -> V128 {
    V128::from_u32x4([x.to_bits(); 4])
}

/// `f64x2.splat`: `x` in every lane (bits preserved).
#[inline]
pub fn f64x2_splat(x: f64) -> V128 {
    V128::from_u64x2([x.to_bits(); 2])
}

/// `i8x16.extract_lane_s`: lane `lane & 15`, sign-extended.
#[inline]
pub fn i8x16_extract_lane_s(v: V128, lane: u8) -> i32 {
    i32::from(v.to_i8x16()[usize::from(lane & 15)])
}

/// `i8x16.extract_lane_u`: lane `lane & 15`, zero-extended.
#[inline]
pub fn i8x16_extract_lane_u(v: V128, lane: u8) -> i32 {
    i32::from(v.to_u8x16()[usize::from(lane & 15)])
}

/// `i16x8.extract_lane_s`: lane `lane & 7`, sign-extended.
#[inline]
pub fn i16x8_extract_lane_s(v: V128, lane: u8) -> i32 {
    i32::from(v.to_i16x8()[usize::from(lane & 7)])
}

/// `i16x8.extract_lane_u`: lane `lane & 7`, zero-extended.
#[inline]
pub fn i16x8_extract_lane_u(v: V128, lane: u8) -> i32 {
    i32::from(v.to_u16x8()[usize::from(lane & 7)])
}

/// `i32x4.extract_lane`: lane `lane & 3`.
#[inline]
pub fn i32x4_extract_lane(v: V128, lane: u8) -> i32 {
    v.to_i32x4()[usize::from(lane & 3)]
}

/// `i64x2.extract_lane`: lane `lane & 1`.
#[inline]
pub fn i64x2_extract_lane(v: V128, lane: u8) -> i64 {
    v.to_i64x2()[usize::from(lane & 1)]
}

/// `f32x4.extract_lane`: lane `lane & 3` (bits preserved).
#[inline]
pub fn f32x4_extract_lane(v: V128, lane: u8) -> f32 {
    f32::from_bits(v.to_u32x4()[usize::from(lane & 3)])
}

/// `f64x2.extract_lane`: lane `lane & 1` (bits preserved).
#[inline]
pub fn f64x2_extract_lane(v: V128, lane: u8) -> f64 {
    f64::from_bits(v.to_u64x2()[usize::from(lane & 1)])
}

/// `i8x16.replace_lane`: lane `lane & 15` set to the low 8 bits of `x`.
#[inline]
pub fn i8x16_replace_lane(v: V128, x: i32, lane: u8) -> V128 {
    let mut l = v.to_u8x16();
    l[usize::from(lane & 15)] = x as u8;
    V128::from_u8x16(l)
}

/// `i16x8.replace_lane`: lane `lane & 7` set to the low 16 bits of `x`.
#[inline]
pub fn i16x8_replace_lane(v: V128, x: i32, lane: u8) -> V128 {
    let mut l = v.to_u16x8();
    l[usize::from(lane & 7)] = x as u16;
    V128::from_u16x8(l)
}

/// `i32x4.replace_lane`: lane `lane & 3` set to `x`.
#[inline]
pub fn i32x4_replace_lane(v: V128, x: i32, lane: u8) -> V128 {
    let mut l = v.to_i32x4();
    l[usize::from(lane & 3)] = x;
    V128::from_i32x4(l)
}

/// `i64x2.replace_lane`: lane `lane & 1` set to `x`.
#[inline]
pub fn i64x2_replace_lane(v: V128, x: i64, lane: u8) -> V128 {
    let mut l = v.to_i64x2();
    l[usize::from(lane & 1)] = x;
    V128::from_i64x2(l)
}

/// `f32x4.replace_lane`: lane `lane & 3` set to `x` (bits preserved).
#[inline]
pub fn f32x4_replace_lane(v: V128, x: f32, lane: u8) -> V128 {
    let mut l = v.to_u32x4();
    l[usize::from(lane & 3)] = x.to_bits();
    V128::from_u32x4(l)
}

/// `f64x2.replace_lane`: lane `lane & 1` set to `x` (bits preserved).
#[inline]
pub fn f64x2_replace_lane(v: V128, x: f64, lane: u8) -> V128 {
    let mut l = v.to_u64x2();
    l[usize::from(lane & 1)] = x.to_bits();
    V128::from_u64x2(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iota(start: u8) -> V128 {
        V128::from_bytes(core::array::from_fn(|i| start + i as u8))
    }

    #[test]
    fn shuffle_selects_from_both_and_masks() {
        let (a, b) = (iota(0), iota(16));
        let id: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(i8x16_shuffle(a, b, id), a);
        assert_eq!(i8x16_shuffle(a, b, id.map(|i| i + 16)), b);
        let rev: [u8; 16] = core::array::from_fn(|i| 31 - i as u8);
        assert_eq!(i8x16_shuffle(a, b, rev).to_bytes(), core::array::from_fn(|i| 31 - i as u8));
        // Out-of-range immediates (rejected by validation) wrap instead of panicking.
        assert_eq!(
            i8x16_shuffle(a, b, [32, 33, 255, 63, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).to_bytes()
                [..4],
            [0, 1, 31, 31]
        );
    }

    #[test]
    fn swizzle_zeroes_out_of_range() {
        let a = iota(100);
        let s = V128::from_bytes([0, 15, 16, 17, 31, 32, 127, 128, 255, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(
            i8x16_swizzle(a, s).to_bytes(),
            [100, 115, 0, 0, 0, 0, 0, 0, 0, 101, 102, 103, 104, 105, 106, 107]
        );
    }

    #[test]
    fn splats_truncate_scalars() {
        assert_eq!(i8x16_splat(0x1234_5681), V128::from_u8x16([0x81; 16]));
        assert_eq!(i16x8_splat(-1), V128(!0));
        assert_eq!(i16x8_splat(0x0001_8000), V128::from_u16x8([0x8000; 8]));
        assert_eq!(i32x4_splat(-2), V128::from_i32x4([-2; 4]));
        assert_eq!(i64x2_splat(i64::MIN), V128::from_i64x2([i64::MIN; 2]));
        let snan = f32::from_bits(0x7fa0_0001);
        assert_eq!(f32x4_splat(snan), V128::from_u32x4([0x7fa0_0001; 4]));
        assert_eq!(f64x2_splat(-0.0), V128::from_u64x2([1 << 63; 2]));
    }

    #[test]
    fn extract_and_replace() {
        let v = V128::from_i8x16([-1, 2, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(i8x16_extract_lane_s(v, 0), -1);
        assert_eq!(i8x16_extract_lane_u(v, 0), 255);
        assert_eq!(i8x16_extract_lane_s(v, 2), -128);
        assert_eq!(i8x16_extract_lane_u(v, 15), 9);
        // Masked, not panicking.
        assert_eq!(i8x16_extract_lane_u(v, 31), 9);
        assert_eq!(i8x16_extract_lane_s(v, 255), 9);
        let h = V128::from_i16x8([-32768, 1, 2, 3, 4, 5, 6, -1]);
        assert_eq!(i16x8_extract_lane_s(h, 0), -32768);
        assert_eq!(i16x8_extract_lane_u(h, 0), 32768);
        assert_eq!(i16x8_extract_lane_u(h, 7), 65535);
        assert_eq!(i16x8_extract_lane_s(h, 15), -1);
        let w = V128::from_i32x4([1, 2, 3, 4]);
        assert_eq!(i32x4_extract_lane(w, 3), 4);
        assert_eq!(i32x4_extract_lane(w, 6), 3);
        let d = V128::from_i64x2([i64::MIN, 7]);
        assert_eq!(i64x2_extract_lane(d, 0), i64::MIN);
        assert_eq!(i64x2_extract_lane(d, 255), 7);
        let f = V128::from_u32x4([0x7fa0_0001, 0, 0x8000_0000, 0x3f80_0000]);
        assert_eq!(f32x4_extract_lane(f, 0).to_bits(), 0x7fa0_0001);
        assert_eq!(f32x4_extract_lane(f, 2).to_bits(), 0x8000_0000);
        let g = V128::from_u64x2([0x7ff4_0000_0000_0001, 2]);
        assert_eq!(f64x2_extract_lane(g, 0).to_bits(), 0x7ff4_0000_0000_0001);

        assert_eq!(i8x16_replace_lane(V128(0), 0x1ff, 15), V128(0xff << 120));
        assert_eq!(i8x16_replace_lane(V128(0), 0x7f, 16), V128(0x7f));
        assert_eq!(i16x8_replace_lane(V128(0), -1, 1), V128(0xffff << 16));
        assert_eq!(i16x8_replace_lane(V128(0), 0x12345, 9), V128(0x2345 << 16));
        assert_eq!(i32x4_replace_lane(V128(!0), 0, 2), V128(!(0xffff_ffff << 64)));
        assert_eq!(i32x4_replace_lane(V128(0), 5, 255), V128(5 << 96));
        assert_eq!(i64x2_replace_lane(V128(0), -1, 1), V128(u128::from(u64::MAX) << 64));
        assert_eq!(i64x2_replace_lane(V128(0), 3, 2), V128(3));
        assert_eq!(
            f32x4_replace_lane(V128(0), f32::from_bits(0x7f80_0001), 1),
            V128(0x7f80_0001 << 32)
        );
        assert_eq!(f32x4_replace_lane(V128(0), 1.0, 7).to_u32x4()[3], 0x3f80_0000);
        assert_eq!(
            f64x2_replace_lane(V128(0), f64::from_bits(0xfff0_0000_0000_0001), 3).to_u64x2(),
            [0, 0xfff0_0000_0000_0001]
        );
    }
}
