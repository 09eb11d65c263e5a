//! fayasm's microcode.
//!
//! This crate owns the instruction set ([`isa`]: one list, [`for_each_op!`], from which
//! everything about an instruction is generated), the lowered form of a function
//! ([`FuncCode`]), its stable, pointer-free byte encoding ([`encode`]) and text dump ([`text`]),
//! and, behind the `lower` feature, the lowering from validated wasm function bodies ([`lower`]).
//!
//! It never depends on the interpreter: exec reads microcode, microcode knows nothing of exec.
#![no_std]
#![forbid(unsafe_code)]
#![recursion_limit = "2048"]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod encode;
pub mod isa;
#[cfg(feature = "lower")]
pub mod lower;
mod program;
pub mod text;

pub use isa::{BranchOffset, Op, OpCode, Slot};
pub use program::FuncCode;
