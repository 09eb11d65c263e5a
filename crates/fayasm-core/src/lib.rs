//! Shared vocabulary of fayasm.
//!
//! This crate owns what every other layer must agree on: value types ([`ValType`]), runtime values
//! ([`Value`]), the raw 64-bit cell representation used by the interpreter ([`Cell`]), trap codes
//! ([`TrapCode`]) and the pure numeric semantics of WebAssembly ([`num`]), shared by the
//! interpreter and any constant folding in the lowering.
//!
//! It depends on nothing but `libm` (float rounding without `std`), and must never depend on any
//! other fayasm crate.
#![no_std]
#![forbid(unsafe_code)]

#[cfg(any(feature = "std", test))]
extern crate std;

pub mod num;
mod trap;
mod value;

pub use trap::TrapCode;
pub use value::{Cell, ExternAddr, F32, F64, FuncAddr, RefType, ValType, Value};
