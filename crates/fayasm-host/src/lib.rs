//! Ready-made import sets for fayasm.
//!
//! This crate owns host modules that embedders can drop into a [`fayasm_exec::Linker`] instead
//! of writing them by hand. Today that is [`spectest`], the module every script of the official
//! WebAssembly test suite imports from.
//!
//! It codes only against the public embedding API of `fayasm-exec`; it must never depend on the
//! interpreter's internals, nor on `fayasm-wast` or `fayasm-cli`, which sit above it.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod spectest;
