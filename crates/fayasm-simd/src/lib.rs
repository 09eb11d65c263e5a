//! v128 semantics for fayasm (the SIMD work item fills this crate).
//!
//! This crate will own the lane operations of the fixed-width SIMD and relaxed-SIMD proposals as
//! pure functions on 128-bit values, called by the interpreter. It depends on `fayasm-core` only.
//! Until the SIMD issue lands, fayasm rejects modules that use `v128` at validation time.
#![no_std]
#![forbid(unsafe_code)]
