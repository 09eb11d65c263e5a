//! Integration tests of fayasm-exec: real wasm (from WAT) through the public API.

mod calls;
mod differential;
mod dispatch;
mod fusion;
mod host;
mod lowering;
mod offload;
mod snapshot;
