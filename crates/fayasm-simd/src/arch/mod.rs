//! Opt-in host intrinsics for the hottest lane operations, chosen at compile time with
//! `cfg(target_feature)`: a host without the feature, and every other target, use the portable
//! functions. Each function here gives exactly the portable function's bits (the tests compare
//! them on edge values on every x86_64 host), so the choice is invisible to wasm.
//!
//! The only `unsafe` in this crate is here: calling `core::arch` intrinsics, whose sole
//! requirement is that the CPU has the feature, which the `cfg` guarantees.

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) mod sse2;
