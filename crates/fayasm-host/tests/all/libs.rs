//! Builds the two sample libraries once per test run: the Rust cdylib `samples/host-import`
//! with cargo (into its own target directory, so it never waits on the build that runs these
//! tests) and its C twin with the system C compiler (`cc`, or `$CC`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A directory under this build's target directory for the sample builds: the test binary
/// runs from `<target>/<profile>/deps/`.
fn out_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let target = exe.ancestors().nth(3).expect("the test binary sits in <target>/<profile>/deps");
    target.join("fayasm-samples")
}

fn dylib_name(stem: &str) -> String {
    format!("{}{stem}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Rust sample library, built (or found fresh) by cargo.
pub fn rust_lib() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let target_dir = out_dir().join("cargo");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
        run(Command::new(cargo)
            .current_dir(root())
            .args(["build", "--quiet", "-p", "fayasm-sample-host-import", "--target-dir"])
            .arg(&target_dir));
        let lib = target_dir.join("debug").join(dylib_name("fayasm_sample_host_import"));
        assert!(lib.exists(), "cargo built no {}", lib.display());
        lib.to_string_lossy().into_owned()
    })
}

/// The C sample library, compiled with the system C compiler.
pub fn c_lib() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = out_dir();
        std::fs::create_dir_all(&dir).expect("the samples directory");
        let lib = dir.join(dylib_name("host_import_c"));
        let cc = std::env::var("CC").unwrap_or_else(|_| String::from("cc"));
        let src = root().join("samples/host-import/c/host_import.c");
        let include = root().join("crates/fayasm-host/include");
        run(Command::new(cc)
            .args(["-shared", "-fPIC", "-std=c99", "-Wall", "-Werror", "-o"])
            .arg(&lib)
            .arg("-I")
            .arg(include)
            .arg(src));
        lib.to_string_lossy().into_owned()
    })
}
