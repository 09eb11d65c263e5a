//! The sample host library (`samples/host-import`, a Rust cdylib in fayasm's C ABI) that the
//! `host_*` fixtures import from: built once per process with cargo, into its own target
//! directory (`<target>/fayasm-samples/cargo`, shared with fayasm-host's tests) so the build
//! never waits on the cargo that runs xtask.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The path of the built sample library, building it on first use.
pub fn sample_host_lib() -> Result<String, String> {
    static PATH: OnceLock<Result<String, String>> = OnceLock::new();
    PATH.get_or_init(build).clone()
}

fn build() -> Result<String, String> {
    let root = crate::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let target_dir = target.join("fayasm-samples").join("cargo");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let out = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "-p", "fayasm-sample-host-import", "--target-dir"])
        .arg(&target_dir)
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "building samples/host-import failed: {}",
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    let name = format!(
        "{}fayasm_sample_host_import{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let lib = target_dir.join("debug").join(name);
    if !lib.exists() {
        return Err(format!("cargo built no {}", lib.display()));
    }
    Ok(lib.to_string_lossy().into_owned())
}
