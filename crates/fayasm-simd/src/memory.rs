//! The value side of the SIMD memory instructions. Exec performs the bounds check and the access;
//! these functions take or return the accessed bytes as a little-endian integer of the access
//! width (`v128.load`/`v128.store` themselves are plain 16-byte copies via `V128::from_bytes`).

use crate::V128;

/// Generates a widening load: `N` lanes of the 64 loaded bits, each widened.
macro_rules! load_extend {
    ($name:ident, $narrow:ty, $wide:ty, $from:ident, $n:literal, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(bits: u64) -> V128 {
            const W: u32 = 64 / $n;
            V128::$from(core::array::from_fn::<$wide, $n, _>(|i| {
                <$wide>::from((bits >> (W * i as u32)) as $narrow)
            }))
        }
    };
}

load_extend!(
    v128_load8x8_s,
    i8,
    i16,
    from_i16x8,
    8,
    "`v128.load8x8_s`: 8 bytes, each sign-extended to 16 bits."
);
load_extend!(
    v128_load8x8_u,
    u8,
    u16,
    from_u16x8,
    8,
    "`v128.load8x8_u`: 8 bytes, each zero-extended to 16 bits."
);
load_extend!(
    v128_load16x4_s,
    i16,
    i32,
    from_i32x4,
    4,
    "`v128.load16x4_s`: 4 halves, each sign-extended to 32 bits."
);
load_extend!(
    v128_load16x4_u,
    u16,
    u32,
    from_u32x4,
    4,
    "`v128.load16x4_u`: 4 halves, each zero-extended to 32 bits."
);
load_extend!(
    v128_load32x2_s,
    i32,
    i64,
    from_i64x2,
    2,
    "`v128.load32x2_s`: 2 words, each sign-extended to 64 bits."
);
load_extend!(
    v128_load32x2_u,
    u32,
    u64,
    from_u64x2,
    2,
    "`v128.load32x2_u`: 2 words, each zero-extended to 64 bits."
);

/// `v128.load8_splat`: the loaded byte in every lane.
#[inline]
pub fn v128_load8_splat(bits: u8) -> V128 {
    V128::from_u8x16([bits; 16])
}

/// `v128.load16_splat`: the loaded 16 bits in every lane.
#[inline]
pub fn v128_load16_splat(bits: u16) -> V128 {
    V128::from_u16x8([bits; 8])
}

/// `v128.load32_splat`: the loaded 32 bits in every lane.
#[inline]
pub fn v128_load32_splat(bits: u32) -> V128 {
    V128::from_u32x4([bits; 4])
}

/// `v128.load64_splat`: the loaded 64 bits in every lane.
#[inline]
pub fn v128_load64_splat(bits: u64) -> V128 {
    V128::from_u64x2([bits; 2])
}

/// `v128.load32_zero`: the loaded 32 bits in lane 0, zeros elsewhere.
#[inline]
pub fn v128_load32_zero(bits: u32) -> V128 {
    V128(u128::from(bits))
}

/// `v128.load64_zero`: the loaded 64 bits in lane 0, zeros elsewhere.
#[inline]
pub fn v128_load64_zero(bits: u64) -> V128 {
    V128(u128::from(bits))
}

/// Generates a lane load and a lane store for one lane width.
macro_rules! lane_access {
    ($load:ident, $store:ident, $t:ty, $lanes:literal, $ldoc:literal, $sdoc:literal) => {
        #[doc = $ldoc]
        #[inline]
        pub fn $load(v: V128, bits: $t, lane: u8) -> V128 {
            const W: u32 = <$t>::BITS;
            let shift = W * u32::from(lane & ($lanes - 1));
            let keep = !(u128::from(<$t>::MAX) << shift);
            V128((v.0 & keep) | (u128::from(bits) << shift))
        }

        #[doc = $sdoc]
        #[inline]
        pub fn $store(v: V128, lane: u8) -> $t {
            const W: u32 = <$t>::BITS;
            (v.0 >> (W * u32::from(lane & ($lanes - 1)))) as $t
        }
    };
}

lane_access!(
    v128_load8_lane,
    v128_store8_lane,
    u8,
    16,
    "`v128.load8_lane`: `v` with lane `lane & 15` replaced by the loaded byte.",
    "`v128.store8_lane`: the byte of lane `lane & 15`, to be stored."
);
lane_access!(
    v128_load16_lane,
    v128_store16_lane,
    u16,
    8,
    "`v128.load16_lane`: `v` with lane `lane & 7` replaced by the loaded 16 bits.",
    "`v128.store16_lane`: the 16 bits of lane `lane & 7`, to be stored."
);
lane_access!(
    v128_load32_lane,
    v128_store32_lane,
    u32,
    4,
    "`v128.load32_lane`: `v` with lane `lane & 3` replaced by the loaded 32 bits.",
    "`v128.store32_lane`: the 32 bits of lane `lane & 3`, to be stored."
);
lane_access!(
    v128_load64_lane,
    v128_store64_lane,
    u64,
    2,
    "`v128.load64_lane`: `v` with lane `lane & 1` replaced by the loaded 64 bits.",
    "`v128.store64_lane`: the 64 bits of lane `lane & 1`, to be stored."
);

#[cfg(test)]
mod tests {
    use super::*;

    const BYTES: u64 = 0x80ff_7f01_8000_fffe;

    #[test]
    fn extending_loads() {
        let b = BYTES.to_le_bytes();
        assert_eq!(v128_load8x8_s(BYTES).to_i16x8(), b.map(|x| i16::from(x as i8)));
        assert_eq!(v128_load8x8_u(BYTES).to_u16x8(), b.map(u16::from));
        assert_eq!(v128_load16x4_s(BYTES).to_i32x4(), [-2, -32768, 0x7f01, -32513]);
        assert_eq!(v128_load16x4_u(BYTES).to_u32x4(), [0xfffe, 0x8000, 0x7f01, 0x80ff]);
        assert_eq!(
            v128_load32x2_s(BYTES).to_i64x2(),
            [i64::from(0x8000_fffe_u32 as i32), i64::from(0x80ff_7f01_u32 as i32)]
        );
        assert_eq!(v128_load32x2_u(BYTES).to_u64x2(), [0x8000_fffe, 0x80ff_7f01]);
    }

    #[test]
    fn splat_and_zero_loads() {
        assert_eq!(v128_load8_splat(0x80), V128::from_u8x16([0x80; 16]));
        assert_eq!(v128_load16_splat(0x1234), V128::from_u16x8([0x1234; 8]));
        assert_eq!(v128_load32_splat(0xdead_beef), V128::from_u32x4([0xdead_beef; 4]));
        assert_eq!(v128_load64_splat(BYTES), V128::from_u64x2([BYTES; 2]));
        assert_eq!(v128_load32_zero(0xffff_ffff), V128::from_u32x4([0xffff_ffff, 0, 0, 0]));
        assert_eq!(v128_load64_zero(u64::MAX), V128::from_u64x2([u64::MAX, 0]));
    }

    #[test]
    fn lane_loads_and_stores() {
        let v = V128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        let mut want = v.to_bytes();
        want[5] = 0xaa;
        assert_eq!(v128_load8_lane(v, 0xaa, 5).to_bytes(), want);
        assert_eq!(v128_load8_lane(v, 0xaa, 21), v128_load8_lane(v, 0xaa, 5));
        assert_eq!(v128_load16_lane(v, 0xbbaa, 7).to_u16x8()[7], 0xbbaa);
        assert_eq!(v128_load16_lane(v, 0xbbaa, 7).to_u16x8()[..7], v.to_u16x8()[..7]);
        assert_eq!(
            v128_load32_lane(v, 0xdead_beef, 0).to_u32x4(),
            [0xdead_beef, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c]
        );
        assert_eq!(v128_load64_lane(v, u64::MAX, 1).to_u64x2(), [0x0706_0504_0302_0100, u64::MAX]);
        assert_eq!(v128_load64_lane(v, 0, 255).to_u64x2(), [0x0706_0504_0302_0100, 0]);
        for lane in 0..=255u8 {
            assert_eq!(v128_store8_lane(v, lane), lane & 15);
            assert_eq!(v128_store16_lane(v, lane), v.to_u16x8()[usize::from(lane & 7)]);
            assert_eq!(v128_store32_lane(v, lane), v.to_u32x4()[usize::from(lane & 3)]);
            assert_eq!(v128_store64_lane(v, lane), v.to_u64x2()[usize::from(lane & 1)]);
            let w = V128(!v.0);
            assert_eq!(v128_store8_lane(v128_load8_lane(w, lane, lane), lane), lane);
        }
    }
}
