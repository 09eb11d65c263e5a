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
#![no_std]
#![forbid(unsafe_code)]

#[cfg(test)]
extern crate std;

mod bitwise;
mod cmp;
mod convert;
mod float;
mod int;
mod lanes;
mod memory;
mod shuffle;

pub use bitwise::*;
pub use cmp::*;
pub use convert::*;
pub use float::*;
pub use int::*;
pub use lanes::V128;
pub use memory::*;
pub use shuffle::*;
