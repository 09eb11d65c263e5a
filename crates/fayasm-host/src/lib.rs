//! Ready-made import sets for fayasm.
//!
//! This crate owns host modules that embedders can drop into a [`fayasm_exec::Linker`] instead
//! of writing them by hand: [`spectest`], the module every script of the official WebAssembly
//! test suite imports from, and [`dylib`], host functions loaded from shared libraries through
//! the small C ABI of `include/fayasm_host.h` (with `std`; without it loading is an
//! "unsupported" error). `dylib` holds the crate's only unsafe code.
//!
//! It codes only against the public embedding API of `fayasm-exec`; it must never depend on the
//! interpreter's internals, nor on `fayasm-wast` or `fayasm-cli`, which sit above it.
#![no_std]
#![deny(unsafe_code)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod dylib;
pub mod spectest;
