//! Offload for fayasm (the offload work item fills this crate).
//!
//! This crate will own the versioned spill envelope, the code-cache budget and eviction policy,
//! linear-memory spill/load and the storage backends. It depends on `fayasm-core` only, so it builds
//! for ESP32-class `no_std` targets without pulling in the compiler.
#![no_std]
#![forbid(unsafe_code)]
