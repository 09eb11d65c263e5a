//! Fixture discovery, per-fixture flags and source hashes.
//!
//! A fixture is `wasm_samples/src/<name>.c`, built to `wasm_samples/build/<name>.wasm`. Extra
//! compiler flags live in `wasm_samples/src/<name>.flags` (whitespace-separated, `#` starts a
//! comment line). `cargo xtask fixtures` writes `wasm_samples/build/<name>.src-hash`, an FNV-1a
//! hash of everything that determines the build (source, shared headers, flags); the manifest
//! test recomputes it to catch a source edited without rebuilding (mtimes are useless on a
//! fresh clone).

use std::fs;
use std::path::{Path, PathBuf};

/// Flags passed to `emcc` for every fixture, before the fixture's own flags.
pub const COMMON_EMCC_FLAGS: &[&str] = &[
    "-O2",
    "-sSTANDALONE_WASM",
    "--no-entry",
    "-fwrapv",
    "-fno-strict-aliasing",
    "-ffp-contract=off",
    "-sTOTAL_STACK=65536",
    "-sINITIAL_MEMORY=131072",
    "--profiling-funcs",
];

/// Flags for the native (oracle) build of the same sources: the same C semantics.
pub const NATIVE_CFLAGS: &[&str] =
    &["-O2", "-std=gnu11", "-fwrapv", "-fno-strict-aliasing", "-ffp-contract=off", "-w"];

/// Bumped when the build recipe changes in a way that needs every fixture rebuilt.
const RECIPE_VERSION: &str = "fayasm-fixture-recipe-1";

/// One fixture.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// File stem, e.g. `arithmetic`.
    pub name: String,
    /// `wasm_samples/src/<name>.c`
    pub source: PathBuf,
    /// Flags from `<name>.flags` (empty if there is no such file).
    pub flags: Vec<String>,
}

/// What a `host_*` fixture may import: the host functions of `samples/host-import` (the Rust
/// cdylib and its C twin), which `cargo xtask smoke` binds with `fayasm run --import-lib` and
/// the library runner with `fayasm_host::dylib`. Every other fixture imports nothing.
pub const HOST_IMPORTS: &[&str] =
    &["env.host_add", "env.host_write", "env.host_scale", "env.host_trap"];

/// Whether the module file `file_name` (`host_calls.wasm`) is a host fixture, whose imports
/// the sample host library satisfies.
pub fn is_host_fixture(file_name: &str) -> bool {
    file_name.starts_with("host_")
}

/// The imports of `imports` that the fixture built to `file_name` may not have.
pub fn disallowed_imports<'a>(file_name: &str, imports: &'a [String]) -> Vec<&'a String> {
    let allowed: &[&str] = if is_host_fixture(file_name) { HOST_IMPORTS } else { &[] };
    imports.iter().filter(|i| !allowed.contains(&i.as_str())).collect()
}

impl Fixture {
    /// `wasm_samples/build/<name>.wasm`
    pub fn wasm_path(&self, samples: &Path) -> PathBuf {
        samples.join("build").join(format!("{}.wasm", self.name))
    }
    /// `wasm_samples/build/<name>.src-hash`
    pub fn hash_path(&self, samples: &Path) -> PathBuf {
        samples.join("build").join(format!("{}.src-hash", self.name))
    }
    /// The module file name used by manifest cases (`<name>.wasm`).
    pub fn wasm_file_name(&self) -> String {
        format!("{}.wasm", self.name)
    }
}

/// Every fixture in `samples/src`, sorted by name.
pub fn list(samples: &Path) -> Result<Vec<Fixture>, String> {
    let src = samples.join("src");
    let entries = fs::read_dir(&src).map_err(|e| format!("cannot list {}: {e}", src.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot list {}: {e}", src.display()))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(String::from) else {
            return Err(format!("{}: file name is not UTF-8", path.display()));
        };
        let flags = read_flags(&src.join(format!("{name}.flags")))?;
        out.push(Fixture { name, source: path, flags });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The largest committed module in `samples/build` by file size (the first name wins a tie):
/// its file name (`memory_ops.wasm`) and bytes. The load benchmarks time it next to the
/// kernels, and `cargo xtask bench-compare` labels its row with the same choice.
pub fn largest_module(samples: &Path) -> Result<(String, Vec<u8>), String> {
    let build = samples.join("build");
    let entries =
        fs::read_dir(&build).map_err(|e| format!("cannot list {}: {e}", build.display()))?;
    let mut best: Option<(u64, String, PathBuf)> = None;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", build.display()))?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(String::from) else {
            return Err(format!("{}: file name is not UTF-8", path.display()));
        };
        let len = entry.metadata().map_err(|e| format!("{}: {e}", path.display()))?.len();
        let better = match &best {
            None => true,
            Some((l, n, _)) => len > *l || (len == *l && name < *n),
        };
        if better {
            best = Some((len, name, path));
        }
    }
    let (_, name, path) = best.ok_or_else(|| format!("no .wasm files in {}", build.display()))?;
    let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((name, bytes))
}

fn read_flags(path: &Path) -> Result<Vec<String>, String> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(String::from)
        .collect())
}

/// 64-bit FNV-1a.
pub fn fnv1a64(data: &[u8], mut hash: u64) -> u64 {
    for &b in data {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The FNV-1a offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of everything that determines `fixture`'s build: the recipe, common and own
/// flags, its source and every shared header (`src/*.h`). Line endings are normalised so a
/// checkout with CRLF still matches.
pub fn source_hash(samples: &Path, fixture: &Fixture) -> Result<String, String> {
    let mut h = fnv1a64(RECIPE_VERSION.as_bytes(), FNV_OFFSET);
    for flag in COMMON_EMCC_FLAGS.iter().copied().chain(fixture.flags.iter().map(String::as_str)) {
        h = fnv1a64(flag.as_bytes(), h);
        h = fnv1a64(&[0], h);
    }
    let mut inputs = vec![fixture.source.clone()];
    let src = samples.join("src");
    let mut headers: Vec<PathBuf> = fs::read_dir(&src)
        .map_err(|e| format!("cannot list {}: {e}", src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("h"))
        .collect();
    headers.sort();
    inputs.extend(headers);
    for path in inputs {
        let text = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let normalised: Vec<u8> = text.into_iter().filter(|&b| b != b'\r').collect();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        h = fnv1a64(name.as_bytes(), h);
        h = fnv1a64(&[0], h);
        h = fnv1a64(&normalised, h);
        h = fnv1a64(&[0], h);
    }
    Ok(format!("fnv1a64:{h:016x}"))
}

/// Checks that the committed `.src-hash` of `fixture` matches its sources and that its
/// `.wasm` exists; the error says to run `cargo xtask fixtures`.
pub fn check_fresh(samples: &Path, fixture: &Fixture) -> Result<(), String> {
    let hint = "run `cargo xtask fixtures` (needs emcc: apt-get install emscripten) and commit wasm_samples/";
    let wasm = fixture.wasm_path(samples);
    if !wasm.exists() {
        return Err(format!("{}: missing; {hint}", wasm.display()));
    }
    let hash_path = fixture.hash_path(samples);
    let stored = fs::read_to_string(&hash_path)
        .map_err(|e| format!("{}: cannot read ({e}); {hint}", hash_path.display()))?;
    let now = source_hash(samples, fixture)?;
    if stored.trim() != now {
        return Err(format!(
            "{} changed since {} was built (hash {} != stored {}); {hint}",
            fixture.source.display(),
            wasm.display(),
            now,
            stored.trim()
        ));
    }
    Ok(())
}
