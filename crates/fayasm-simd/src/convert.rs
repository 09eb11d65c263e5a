//! Conversions between float and integer lanes, and between float widths.
//!
//! Integer-to-float conversions round to nearest even; `trunc_sat` saturates out-of-range lanes
//! and gives 0 for NaN; `demote`/`promote` follow `fayasm_core::num` (a NaN keeps its sign and top
//! payload bits, quieted). The `_zero` forms fill the upper lanes with zeros.

use crate::V128;
use fayasm_core::num;

/// `f32x4.convert_i32x4_s`: each signed lane to the nearest `f32`.
#[inline]
pub fn f32x4_convert_i32x4_s(a: V128) -> V128 {
    V128::from_f32x4(a.to_i32x4().map(num::f32_convert_i32_s))
}

/// `f32x4.convert_i32x4_u`: each unsigned lane to the nearest `f32`.
#[inline]
pub fn f32x4_convert_i32x4_u(a: V128) -> V128 {
    V128::from_f32x4(a.to_i32x4().map(num::f32_convert_i32_u))
}

/// `i32x4.trunc_sat_f32x4_s`: each lane truncated toward zero, saturated; NaN gives 0.
#[inline]
pub fn i32x4_trunc_sat_f32x4_s(a: V128) -> V128 {
    V128::from_i32x4(a.to_f32x4().map(num::i32_trunc_sat_f32_s))
}

/// `i32x4.trunc_sat_f32x4_u`: each lane truncated toward zero, saturated to `u32`; NaN gives 0.
#[inline]
pub fn i32x4_trunc_sat_f32x4_u(a: V128) -> V128 {
    V128::from_i32x4(a.to_f32x4().map(num::i32_trunc_sat_f32_u))
}

/// `i32x4.trunc_sat_f64x2_s_zero`: both lanes truncated and saturated into lanes 0..2; lanes 2..4
/// are zero.
#[inline]
pub fn i32x4_trunc_sat_f64x2_s_zero(a: V128) -> V128 {
    let [x, y] = a.to_f64x2().map(num::i32_trunc_sat_f64_s);
    V128::from_i32x4([x, y, 0, 0])
}

/// `i32x4.trunc_sat_f64x2_u_zero`: both lanes truncated and saturated to `u32` into lanes 0..2;
/// lanes 2..4 are zero.
#[inline]
pub fn i32x4_trunc_sat_f64x2_u_zero(a: V128) -> V128 {
    let [x, y] = a.to_f64x2().map(num::i32_trunc_sat_f64_u);
    V128::from_i32x4([x, y, 0, 0])
}

/// `f64x2.convert_low_i32x4_s`: lanes 0..2, signed, to `f64` (exact).
#[inline]
pub fn f64x2_convert_low_i32x4_s(a: V128) -> V128 {
    let [x, y, ..] = a.to_i32x4();
    V128::from_f64x2([num::f64_convert_i32_s(x), num::f64_convert_i32_s(y)])
}

/// `f64x2.convert_low_i32x4_u`: lanes 0..2, unsigned, to `f64` (exact).
#[inline]
pub fn f64x2_convert_low_i32x4_u(a: V128) -> V128 {
    let [x, y, ..] = a.to_i32x4();
    V128::from_f64x2([num::f64_convert_i32_u(x), num::f64_convert_i32_u(y)])
}

/// `f32x4.demote_f64x2_zero`: both lanes rounded to `f32` into lanes 0..2; lanes 2..4 are +0.
#[inline]
pub fn f32x4_demote_f64x2_zero(a: V128) -> V128 {
    let [x, y] = a.to_f64x2().map(num::f32_demote_f64);
    V128::from_f32x4([x, y, 0.0, 0.0])
}

/// `f64x2.promote_low_f32x4`: lanes 0..2 widened to `f64` (exact).
#[inline]
pub fn f64x2_promote_low_f32x4(a: V128) -> V128 {
    let [x, y, ..] = a.to_f32x4();
    V128::from_f64x2([num::f64_promote_f32(x), num::f64_promote_f32(y)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::float::tests::{F32_EDGES, F64_EDGES};

    /// Reference truncation with saturation into `lo..=hi` (NaN gives 0).
    fn trunc_sat(x: f64, lo: f64, hi: f64) -> i64 {
        if x.is_nan() { 0 } else { x.trunc().clamp(lo, hi) as i64 }
    }

    #[test]
    fn trunc_sat_f32() {
        for chunk in F32_EDGES.chunks_exact(4) {
            let a = V128::from_u32x4([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let x = a.to_f32x4();
            let s: [i32; 4] = core::array::from_fn(|i| {
                trunc_sat(f64::from(x[i]), -2147483648.0, 2147483647.0) as i32
            });
            let u: [u32; 4] =
                core::array::from_fn(|i| trunc_sat(f64::from(x[i]), 0.0, 4294967295.0) as u32);
            assert_eq!(i32x4_trunc_sat_f32x4_s(a).to_i32x4(), s, "{x:?}");
            assert_eq!(i32x4_trunc_sat_f32x4_u(a).to_u32x4(), u, "{x:?}");
        }
        let a = V128::from_f32x4([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(a).to_i32x4(), [0, i32::MAX, i32::MIN, 0]);
        assert_eq!(i32x4_trunc_sat_f32x4_u(a).to_u32x4(), [0, u32::MAX, 0, 0]);
        let b = V128::from_f32x4([2147483648.0, -2147483904.0, 4294967296.0, -0.99]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(b).to_i32x4(), [i32::MAX, i32::MIN, i32::MAX, 0]);
        assert_eq!(i32x4_trunc_sat_f32x4_u(b).to_u32x4(), [2147483648, 0, u32::MAX, 0]);
        // Negative and signalling NaNs give 0 too; the largest f32 below 2^31 and 2^32 convert exactly.
        let c = V128::from_u32x4([0xffc0_0000, 0x7fa0_0000, 0x4eff_ffff, 0x4f7f_ffff]);
        assert_eq!(i32x4_trunc_sat_f32x4_s(c).to_i32x4(), [0, 0, 2147483520, i32::MAX]);
        assert_eq!(i32x4_trunc_sat_f32x4_u(c).to_u32x4(), [0, 0, 2147483520, 4294967040]);
    }

    #[test]
    fn trunc_sat_f64_zero() {
        for chunk in F64_EDGES.chunks_exact(2) {
            let a = V128::from_u64x2([chunk[0], chunk[1]]);
            let x = a.to_f64x2();
            let s = x.map(|v| trunc_sat(v, -2147483648.0, 2147483647.0) as i32);
            let u = x.map(|v| trunc_sat(v, 0.0, 4294967295.0) as u32);
            assert_eq!(i32x4_trunc_sat_f64x2_s_zero(a).to_i32x4(), [s[0], s[1], 0, 0], "{x:?}");
            assert_eq!(i32x4_trunc_sat_f64x2_u_zero(a).to_u32x4(), [u[0], u[1], 0, 0], "{x:?}");
        }
        let a = V128::from_f64x2([-2147483648.9, 4294967295.9]);
        assert_eq!(i32x4_trunc_sat_f64x2_s_zero(a).to_i32x4(), [i32::MIN, i32::MAX, 0, 0]);
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(a).to_u32x4(), [0, u32::MAX, 0, 0]);
        let n = V128::from_u64x2([0xfff4_0000_0000_0000, 0x8000_0000_0000_0000]);
        assert_eq!(i32x4_trunc_sat_f64x2_s_zero(n), V128::ZERO);
        assert_eq!(i32x4_trunc_sat_f64x2_u_zero(n), V128::ZERO);
    }

    #[test]
    fn int_to_float() {
        let ints = [
            0,
            1,
            -1,
            i32::MIN,
            i32::MAX,
            16_777_217,
            -16_777_217,
            0x7fff_ffc0,
            0x7fff_ffbf,
            0x0100_0003,
            -0x0100_0003,
            123_456_789,
        ];
        for chunk in ints.windows(4) {
            let a = V128::from_i32x4([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let s: [u32; 4] = core::array::from_fn(|i| (f64::from(chunk[i]) as f32).to_bits());
            let u: [u32; 4] =
                core::array::from_fn(|i| (f64::from(chunk[i] as u32) as f32).to_bits());
            assert_eq!(f32x4_convert_i32x4_s(a).to_u32x4(), s);
            assert_eq!(f32x4_convert_i32x4_u(a).to_u32x4(), u);
            let ls = [f64::from(chunk[0]), f64::from(chunk[1])];
            let lu = [f64::from(chunk[0] as u32), f64::from(chunk[1] as u32)];
            assert_eq!(f64x2_convert_low_i32x4_s(a).to_f64x2(), ls);
            assert_eq!(f64x2_convert_low_i32x4_u(a).to_f64x2(), lu);
        }
        // Ties round to even: 2^24 + 1 -> 2^24, 2^24 + 3 -> 2^24 + 4.
        let t = V128::from_i32x4([16_777_217, 16_777_219, -1, i32::MIN]);
        assert_eq!(
            f32x4_convert_i32x4_s(t).to_f32x4(),
            [16_777_216.0, 16_777_220.0, -1.0, -2147483648.0]
        );
        assert_eq!(
            f32x4_convert_i32x4_u(t).to_f32x4(),
            [16_777_216.0, 16_777_220.0, 4294967296.0, 2147483648.0]
        );
        assert_eq!(f64x2_convert_low_i32x4_u(t).to_f64x2(), [16_777_217.0, 16_777_219.0]);
    }

    #[test]
    fn demote_promote() {
        for chunk in F64_EDGES.chunks_exact(2) {
            let a = V128::from_u64x2([chunk[0], chunk[1]]);
            let want: [u32; 2] = core::array::from_fn(|i| {
                let x = f64::from_bits(chunk[i]);
                if x.is_nan() {
                    let sign = ((chunk[i] >> 63) as u32) << 31;
                    sign | 0x7fc0_0000 | ((chunk[i] >> 29) as u32 & 0x003f_ffff)
                } else {
                    (x as f32).to_bits()
                }
            });
            assert_eq!(f32x4_demote_f64x2_zero(a).to_u32x4(), [want[0], want[1], 0, 0]);
        }
        for chunk in F32_EDGES.chunks_exact(4) {
            let a = V128::from_u32x4([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let want: [u64; 2] = core::array::from_fn(|i| {
                let x = f32::from_bits(chunk[i]);
                if x.is_nan() {
                    let sign = u64::from(chunk[i] >> 31) << 63;
                    sign | 0x7ff8_0000_0000_0000 | (u64::from(chunk[i] & 0x003f_ffff) << 29)
                } else {
                    f64::from(x).to_bits()
                }
            });
            assert_eq!(f64x2_promote_low_f32x4(a).to_u64x2(), want);
        }
        let d = V128::from_f64x2([f64::MAX, 1e-50]);
        assert_eq!(f32x4_demote_f64x2_zero(d).to_f32x4(), [f32::INFINITY, 0.0, 0.0, 0.0]);
        let d = V128::from_f64x2([-1e-50, 0.1]);
        assert_eq!(f32x4_demote_f64x2_zero(d).to_u32x4(), [0x8000_0000, 0x3dcc_cccd, 0, 0]);
        let p = V128::from_u32x4([0x7fa0_0000, 0x8000_0001, 0xdead, 0xbeef]);
        assert_eq!(
            f64x2_promote_low_f32x4(p).to_u64x2(),
            [0x7ffc_0000_0000_0000, 0xb6a0_0000_0000_0000]
        );
    }
}
