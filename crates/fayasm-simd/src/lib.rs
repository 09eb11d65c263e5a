//! v128 semantics for fayasm: the [`V128`] value and every lane operation of the WebAssembly
//! fixed-width SIMD and relaxed-SIMD proposals, as plain, individually tested functions that the
//! interpreter's handlers call.
//!
//! This crate owns lane semantics only: it decodes nothing, touches no memory and knows nothing of
//! the interpreter. It depends on `fayasm-core` (and `libm` for float rounding) and must never
//! depend on any other fayasm crate.
//!
//! # Contract
//! - [`V128`] is a `#[repr(transparent)]` `u128`, lanes little-endian as in wasm memory (lane 0 =
//!   lowest bits), with byte, cell (`lo`, `hi`) and typed lane views.
//! - One `pub fn` per instruction, named by its text name with `.` replaced by `_`
//!   (`i32x4_add`, `f32x4_convert_i32x4_u`, `i32x4_relaxed_dot_i8x16_i7x16_add_s`), except
//!   `v128.load`, `v128.store` and `v128.const`, which exec does with [`V128::from_bytes`].
//! - Operands by value in wasm operand order (first popped = last parameter); immediates last: a
//!   lane index `lane: u8` (masked with `& (LANES-1)`, never panics), shuffle lanes
//!   `lanes: [u8; 16]` (masked with `& 31`). Shift counts are `i32`, masked to the lane width.
//!   `any_true`, `all_true` and `bitmask` return `i32`.
//! - Memory forms take or return the accessed bytes as a little-endian unsigned integer of the
//!   access width (`v128_load8x8_s(u64)`, `v128_load32_zero(u32)`,
//!   `v128_load16_lane(v, u16, lane)`, `v128_store64_lane(v, lane) -> u64`); exec does the
//!   bounds checks and the access itself.
//! - Everything is deterministic: the same inputs give the same bits on every host, including
//!   NaN payloads and every relaxed operator.
//! - [`nan_free`] holds the float operations' fast path alone (`Some` of the same bits, or
//!   `None` where a NaN lane needs the full function), for handlers that must not call out.
//!
//! # NaN results
//! The spec lets float operators return any arithmetic NaN; fayasm picks one rule:
//! - `abs`, `neg`, `pmin`, `pmax`, `splat`, `extract_lane`, `replace_lane`, loads and stores keep
//!   the bits (as the spec requires).
//! - `min`, `max` (and their relaxed forms) give the positive canonical NaN when either lane is
//!   NaN, exactly as the scalar `fayasm_core::num::f32_min` and friends; `-0 < +0`.
//! - every other operator propagates the first NaN operand lane (operand order), quieted, and a
//!   NaN made from non-NaN lanes (`inf - inf`, `0 * inf`, `sqrt(-1)`) is the positive canonical
//!   NaN (`0x7fc00000`, `0x7ff8000000000000`); hardware differs here (x86 makes negative NaNs,
//!   Arm prefers signalling operands), so the lanes correct it rather than trust the host.
//! - `demote`/`promote` keep the sign and the top payload bits, quieted, as
//!   `fayasm_core::num::f32_demote_f64`/`f64_promote_f32`.
//!
//! # Relaxed SIMD choices
//! One fixed choice per operator among the results the proposal allows:
//!
//! | operator | fayasm computes |
//! |---|---|
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle`: indices >= 16 give 0 |
//! | `i32x4.relaxed_trunc_f32x4_s`/`_u` | `i32x4.trunc_sat_f32x4_s`/`_u`: NaN gives 0, out of range saturates |
//! | `i32x4.relaxed_trunc_f64x2_s_zero`/`_u_zero` | `i32x4.trunc_sat_f64x2_s_zero`/`_u_zero` |
//! | `f32x4`/`f64x2.relaxed_madd` | `a * b + c` unfused (two roundings), NaN rule over `a, b, c` |
//! | `f32x4`/`f64x2.relaxed_nmadd` | `-(a * b) + c` unfused (two roundings), NaN rule over `a, b, c` |
//! | `i8x16`/`i16x8`/`i32x4`/`i64x2.relaxed_laneselect` | `v128.bitselect(a, b, m)`, bit by bit |
//! | `f32x4`/`f64x2.relaxed_min`/`_max` | `f32x4`/`f64x2.min`/`max`: canonical NaN, `-0 < +0` |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s`: `-32768 * -32768` gives 32767 |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | both operands signed, pair sum wrapped to 16 bits (only four `-128` bytes wrap, to -32768, the unsigned-`b` result) |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | both operands signed, exact sum of four products, plus `c` wrapping |

#![no_std]
// The only `unsafe` is in `arch/` (intrinsics behind `cfg(target_feature)`).
#![deny(unsafe_code)]

#[cfg(test)]
extern crate std;

/// Calls `$m!` with the names of the float operations that have a NaN-free fast path
/// ([`nan_free`]): the one list the full SSE functions and the portable fallback are made from.
macro_rules! nan_free_ops {
    ($m:ident) => {
        $m! {
            binary: f32x4_add f32x4_sub f32x4_mul f32x4_div f32x4_min f32x4_max
                f64x2_add f64x2_sub f64x2_mul f64x2_div f64x2_min f64x2_max;
            unary: f32x4_sqrt f64x2_sqrt;
        }
    };
}

#[allow(unsafe_code, reason = "core::arch intrinsics, each call documented")]
mod arch;
mod bitwise;
mod cmp;
mod convert;
mod float;
mod int;
mod lanes;
mod memory;
mod relaxed;
mod shuffle;

pub use bitwise::*;
pub use cmp::*;
pub use convert::*;
pub use float::*;
pub use int::*;
pub use lanes::V128;
pub use memory::*;
pub use relaxed::*;
pub use shuffle::*;

/// The portable lane functions, whatever the host: what the crate root re-exports except where
/// a host path (`arch/`) replaces one. Every function there is tested against these.
pub mod portable {
    pub use crate::bitwise::*;
    pub use crate::cmp::*;
    pub use crate::convert::*;
    pub use crate::float::*;
    pub use crate::int::*;
    pub use crate::memory::*;
    pub use crate::relaxed::*;
    pub use crate::shuffle::*;
}

// On x86_64 the hottest lane operations use SSE2 (`arch/sse2.rs`, same bits as the portable
// functions, which their tests compare); these names shadow the glob re-exports above.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub use arch::sse2::{
    f32x4_add, f32x4_div, f32x4_max, f32x4_min, f32x4_mul, f32x4_sqrt, f32x4_sub, f64x2_add,
    f64x2_div, f64x2_max, f64x2_min, f64x2_mul, f64x2_sqrt, f64x2_sub, i8x16_add, i8x16_add_sat_s,
    i8x16_add_sat_u, i8x16_avgr_u, i8x16_eq, i8x16_gt_s, i8x16_lt_s, i8x16_max_u, i8x16_min_u,
    i8x16_narrow_i16x8_s, i8x16_narrow_i16x8_u, i8x16_sub, i8x16_sub_sat_s, i8x16_sub_sat_u,
    i16x8_add, i16x8_add_sat_s, i16x8_add_sat_u, i16x8_avgr_u, i16x8_eq, i16x8_gt_s, i16x8_lt_s,
    i16x8_max_s, i16x8_min_s, i16x8_mul, i16x8_narrow_i32x4_s, i16x8_sub, i16x8_sub_sat_s,
    i16x8_sub_sat_u, i32x4_add, i32x4_eq, i32x4_gt_s, i32x4_lt_s, i32x4_sub, i64x2_add, i64x2_sub,
};

/// The float lane operations with a fast path that holds only when no NaN is involved
/// (`f32x4`/`f64x2` `add`, `sub`, `mul`, `div`, `min`, `max`, `sqrt`), as that path alone:
/// `Some` of exactly the full function's result, or `None` where the full function (the
/// crate root's, with the NaN rule) must run. An interpreter handler that calls these keeps
/// no call on its common path. On hosts without a fast path every function is `Some` of the
/// portable result.
pub mod nan_free {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    pub use crate::arch::sse2::nan_free::*;

    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    mod portable_fallback {
        use crate::V128;

        macro_rules! always {
            (binary: $($binary:ident)*; unary: $($unary:ident)*;) => {
                $(
                    #[doc = concat!("`", stringify!($binary), "`: the portable result.")]
                    #[inline(always)]
                    pub fn $binary(a: V128, b: V128) -> Option<V128> {
                        Some(crate::float::$binary(a, b))
                    }
                )*
                $(
                    #[doc = concat!("`", stringify!($unary), "`: the portable result.")]
                    #[inline(always)]
                    pub fn $unary(a: V128) -> Option<V128> {
                        Some(crate::float::$unary(a))
                    }
                )*
            };
        }

        nan_free_ops!(always);
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    pub use portable_fallback::*;
}
