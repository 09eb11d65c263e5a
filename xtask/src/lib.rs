//! Shared pieces of fayasm's project automation: the `wasm_samples` manifest, typed values in
//! manifest syntax, fixture discovery and source hashes, a minimal wasm section reader, a
//! runner that executes manifest cases through `fayasm-exec`, and the manifest and results file
//! of the external benchmark corpus (`corpus`).
//!
//! The `xtask` binary (`cargo xtask fixtures | smoke | ci | tidy | ...`), the manifest test
//! (`xtask/tests/fixtures.rs`) and the tidy checks (`tidy`, also a test) are built on this
//! library. It depends only on std, `fayasm-exec`, `fayasm-ir` and `fayasm-host` (whose
//! `dylib` binds the `host_*` fixtures' imports to `samples/host-import`); it must never be a
//! dependency of a product crate.

pub mod corpus;
pub mod fixture;
pub mod host_lib;
pub mod manifest;
pub mod runner;
pub mod tidy;
pub mod value;
pub mod wasm;

use std::path::PathBuf;

/// The workspace root (the parent of the `xtask` directory).
pub fn workspace_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}

/// `wasm_samples/` inside the workspace.
pub fn samples_dir() -> PathBuf {
    workspace_root().join("wasm_samples")
}
