//! Reading and validating WebAssembly modules.
//!
//! This crate owns the step from bytes to a validated, plain [`ModuleInfo`]: every section
//! decoded into simple Rust structures (no wasmparser types in its public data), function bodies
//! kept as byte ranges for the lowering to read later. The WebAssembly features fayasm accepts
//! are configured in one place, [`features`]; [`proposals::detect`] reports which proposals a
//! module uses (for `fayasm inspect`).
//!
//! It depends on `fayasm-core` and `wasmparser` only; it must never depend on the lowering or the
//! interpreter.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;
mod module;
mod parse;
pub mod proposals;

pub use error::DecodeError;
pub use module::*;
pub use parse::{MemoryProposals, features, features_with, parse, parse_with, validator};
pub use proposals::{Proposal, Proposals};
