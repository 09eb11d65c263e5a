//! The `V128` value, its constructors and its lane views, plus the private lane-wise helpers the
//! operator modules are written with.
//!
//! Lanes are little-endian, as in wasm memory: lane 0 holds the lowest bits. Float lanes are
//! moved as bits, so NaN payloads survive every view.

/// A 128-bit WebAssembly SIMD value, lane 0 in the lowest bits.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[repr(transparent)]
pub struct V128(pub u128);

/// Generates a lane view pair (`from_*`/`to_*`) for an integer lane type.
macro_rules! int_view {
    ($from:ident, $to:ident, $t:ty, $u:ty, $n:literal) => {
        #[doc = concat!("Builds a `v128` from ", stringify!($n), " `", stringify!($t), "` lanes, lane 0 lowest.")]
        #[inline]
        pub fn $from(lanes: [$t; $n]) -> Self {
            let mut bytes = [0u8; 16];
            for (chunk, lane) in bytes.chunks_exact_mut(16 / $n).zip(lanes) {
                chunk.copy_from_slice(&lane.to_le_bytes());
            }
            V128::from_bytes(bytes)
        }

        #[doc = concat!("The ", stringify!($n), " `", stringify!($t), "` lanes, lane 0 first.")]
        #[inline]
        pub fn $to(self) -> [$t; $n] {
            const W: usize = 16 / $n;
            let b = self.to_bytes();
            core::array::from_fn(|i| {
                let mut lane = [0u8; W];
                lane.copy_from_slice(&b[i * W..i * W + W]);
                <$t>::from_le_bytes(lane)
            })
        }
    };
}

impl V128 {
    /// The all-zero value.
    pub const ZERO: V128 = V128(0);

    /// Builds a value from its 16 bytes in memory order (byte 0 = lane 0 of `i8x16`).
    #[inline]
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        V128(u128::from_le_bytes(bytes))
    }

    /// The 16 bytes in memory order.
    #[inline]
    pub const fn to_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }

    /// Builds a value from two 64-bit cells; `lo` holds bytes 0..8.
    #[inline]
    pub const fn from_cells(lo: u64, hi: u64) -> Self {
        V128((lo as u128) | ((hi as u128) << 64))
    }

    /// The two 64-bit cells `(lo, hi)`; `lo` holds bytes 0..8.
    #[inline]
    pub const fn to_cells(self) -> (u64, u64) {
        (self.0 as u64, (self.0 >> 64) as u64)
    }

    /// Builds a value from its 128 bits.
    #[inline]
    pub const fn from_u128(bits: u128) -> Self {
        V128(bits)
    }

    /// The 128 bits.
    #[inline]
    pub const fn to_u128(self) -> u128 {
        self.0
    }

    int_view!(from_i8x16, to_i8x16, i8, u8, 16);
    int_view!(from_u8x16, to_u8x16, u8, u8, 16);
    int_view!(from_i16x8, to_i16x8, i16, u16, 8);
    int_view!(from_u16x8, to_u16x8, u16, u16, 8);
    int_view!(from_i32x4, to_i32x4, i32, u32, 4);
    int_view!(from_u32x4, to_u32x4, u32, u32, 4);
    int_view!(from_i64x2, to_i64x2, i64, u64, 2);
    int_view!(from_u64x2, to_u64x2, u64, u64, 2);

    /// Builds a `v128` from 4 `f32` lanes (bits preserved, NaN payloads included).
    #[inline]
    pub fn from_f32x4(lanes: [f32; 4]) -> Self {
        V128::from_u32x4(lanes.map(f32::to_bits))
    }

    /// The 4 `f32` lanes (bits preserved, NaN payloads included).
    #[inline]
    pub fn to_f32x4(self) -> [f32; 4] {
        self.to_u32x4().map(f32::from_bits)
    }

    /// Builds a `v128` from 2 `f64` lanes (bits preserved, NaN payloads included).
    #[inline]
    pub fn from_f64x2(lanes: [f64; 2]) -> Self {
        V128::from_u64x2(lanes.map(f64::to_bits))
    }

    /// The 2 `f64` lanes (bits preserved, NaN payloads included).
    #[inline]
    pub fn to_f64x2(self) -> [f64; 2] {
        self.to_u64x2().map(f64::from_bits)
    }
}

impl From<u128> for V128 {
    #[inline]
    fn from(bits: u128) -> Self {
        V128(bits)
    }
}

impl From<V128> for u128 {
    #[inline]
    fn from(v: V128) -> Self {
        v.0
    }
}

/// Lane-wise helpers: `map`/`zip` over one lane view, generated per view.
macro_rules! lane_helpers {
    ($map:ident, $zip:ident, $from:ident, $to:ident, $t:ty) => {
        /// Applies `f` to every lane.
        #[allow(dead_code, reason = "generated for every view; not every view needs both")]
        #[inline(always)]
        pub(crate) fn $map(a: V128, f: impl Fn($t) -> $t) -> V128 {
            V128::$from(a.$to().map(f))
        }

        /// Applies `f` to every pair of lanes of `a` and `b`.
        #[allow(dead_code, reason = "generated for every view; not every view needs both")]
        #[inline(always)]
        pub(crate) fn $zip(a: V128, b: V128, f: impl Fn($t, $t) -> $t) -> V128 {
            let (a, b) = (a.$to(), b.$to());
            V128::$from(core::array::from_fn(|i| f(a[i], b[i])))
        }
    };
}

lane_helpers!(map_i8, zip_i8, from_i8x16, to_i8x16, i8);
lane_helpers!(map_u8, zip_u8, from_u8x16, to_u8x16, u8);
lane_helpers!(map_i16, zip_i16, from_i16x8, to_i16x8, i16);
lane_helpers!(map_u16, zip_u16, from_u16x8, to_u16x8, u16);
lane_helpers!(map_i32, zip_i32, from_i32x4, to_i32x4, i32);
lane_helpers!(map_u32, zip_u32, from_u32x4, to_u32x4, u32);
lane_helpers!(map_i64, zip_i64, from_i64x2, to_i64x2, i64);
lane_helpers!(map_u64, zip_u64, from_u64x2, to_u64x2, u64);

/// A lane mask: all ones when `b` holds.
#[inline(always)]
pub(crate) fn mask<T: MaskLane>(b: bool) -> T {
    if b { T::ONES } else { T::ZERO }
}

/// Integer lane types that can hold a comparison mask.
pub(crate) trait MaskLane: Copy {
    /// All bits set.
    const ONES: Self;
    /// No bit set.
    const ZERO: Self;
}

macro_rules! mask_lane {
    ($($t:ty),*) => {$(
        impl MaskLane for $t {
            const ONES: Self = !0;
            const ZERO: Self = 0;
        }
    )*};
}
mask_lane!(i8, i16, i32, i64, u8, u16, u32, u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_little_endian() {
        let v = V128::from_bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(v.0, 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        assert_eq!(v.to_u16x8()[0], 0x0100);
        assert_eq!(v.to_u16x8()[7], 0x0f0e);
        assert_eq!(v.to_u32x4(), [0x0302_0100, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c]);
        assert_eq!(v.to_u64x2(), [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]);
        assert_eq!(v.to_cells(), (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908));
        assert_eq!(V128::from_cells(0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908), v);
        assert_eq!(V128::from_u128(v.to_u128()), v);
        assert_eq!(u128::from(v), v.0);
        assert_eq!(V128::from(v.0), v);
    }

    #[test]
    fn views_round_trip() {
        let v = V128(0x8001_7fff_dead_beef_0123_4567_89ab_cdef);
        assert_eq!(V128::from_i8x16(v.to_i8x16()), v);
        assert_eq!(V128::from_u8x16(v.to_u8x16()), v);
        assert_eq!(V128::from_i16x8(v.to_i16x8()), v);
        assert_eq!(V128::from_u16x8(v.to_u16x8()), v);
        assert_eq!(V128::from_i32x4(v.to_i32x4()), v);
        assert_eq!(V128::from_u32x4(v.to_u32x4()), v);
        assert_eq!(V128::from_i64x2(v.to_i64x2()), v);
        assert_eq!(V128::from_u64x2(v.to_u64x2()), v);
        assert_eq!(v.to_i16x8()[7], -32767);
        assert_eq!(v.to_i8x16()[15], -128);
    }

    #[test]
    fn float_views_keep_nan_payloads() {
        let snan = 0x7fa0_0001u32;
        let v = V128::from_u32x4([snan, 0xffc0_0000, 0x8000_0000, 0x3f80_0000]);
        let back = V128::from_f32x4(v.to_f32x4());
        assert_eq!(back, v);
        let d = V128::from_u64x2([0x7ff4_0000_0000_0001, 0xfff0_0000_0000_0000]);
        assert_eq!(V128::from_f64x2(d.to_f64x2()), d);
        assert_eq!(V128::from_f32x4([1.0, -0.0, 0.5, 2.0]).to_u32x4()[1], 0x8000_0000);
    }
}
