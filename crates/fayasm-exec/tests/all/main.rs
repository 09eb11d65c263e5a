//! Integration tests of fayasm-exec: real wasm (from WAT) through the public API.

mod alloc_count;
mod calls;
mod code_cache;
mod differential;
mod dispatch;
mod entry_hooks;
mod fusion;
mod host;
mod imports;
mod lowering;
mod memories;
mod offload;
mod simd;
mod snapshot;
mod tables64;
mod tail_calls;
mod trap_hook;
mod wide_arithmetic;
