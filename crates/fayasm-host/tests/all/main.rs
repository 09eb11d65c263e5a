//! Integration tests of fayasm-host: real wasm (from WAT) calling host functions of real
//! shared libraries (the Rust and the C build of `samples/host-import`).

mod dylib;
mod libs;
