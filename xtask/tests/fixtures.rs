//! The wasm_samples manifest as a test: every committed fixture is fresh (its source hash
//! matches), imports nothing, and every manifest case gives its expected results or trap when
//! run through `fayasm-exec`. Cases listed in `wasm_samples/expected-failures.txt` must fail
//! (a listed case that passes fails the test, so the list cannot go stale).

use fayasm_exec::{CompilationMode, Config};
use std::time::Duration;
use xtask::fixture;
use xtask::manifest::{Expect, Manifest};
use xtask::runner;

fn manifest() -> Manifest {
    let path = xtask::samples_dir().join("manifest.toml");
    Manifest::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixtures_are_fresh_and_import_nothing() {
    let samples = xtask::samples_dir();
    let fixtures = fixture::list(&samples).unwrap_or_else(|e| panic!("{e}"));
    assert!(!fixtures.is_empty(), "no fixtures in {}", samples.join("src").display());
    let mut problems = Vec::new();
    for f in &fixtures {
        if let Err(e) = fixture::check_fresh(&samples, f) {
            problems.push(e);
            continue;
        }
        let path = f.wasm_path(&samples);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let file = f.wasm_file_name();
        match xtask::wasm::summarize(&bytes) {
            Ok(s) => {
                let bad = fixture::disallowed_imports(&file, &s.imports);
                if !bad.is_empty() {
                    problems.push(format!("{} imports {bad:?}", path.display()))
                }
            }
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
        match runner::fayasm_imports(&bytes) {
            Ok(i) => {
                let bad = fixture::disallowed_imports(&file, &i);
                if !bad.is_empty() {
                    problems.push(format!("{}: fayasm sees imports {bad:?}", path.display()))
                }
            }
            Err(e) => problems.push(format!("{}: fayasm cannot load it: {e}", path.display())),
        }
    }
    assert!(problems.is_empty(), "fixture problems:\n  {}", problems.join("\n  "));
}

#[test]
fn every_manifest_case_names_a_fixture_and_has_an_expectation() {
    let samples = xtask::samples_dir();
    let fixtures = fixture::list(&samples).unwrap_or_else(|e| panic!("{e}"));
    let m = manifest();
    assert!(!m.cases.is_empty(), "the manifest has no cases");
    let mut problems = Vec::new();
    for c in &m.cases {
        if !fixtures.iter().any(|f| f.wasm_file_name() == c.file) {
            problems.push(format!(
                "line {}: `{}` is built from no wasm_samples/src/*.c",
                c.line, c.file
            ));
        }
        if c.expect == Expect::Missing {
            problems.push(format!(
                "line {}: `{}` has no results/trap; run `cargo xtask fixtures`",
                c.line,
                c.key()
            ));
        }
    }
    for f in &fixtures {
        if !m.cases.iter().any(|c| c.file == f.wasm_file_name()) {
            problems.push(format!("fixture `{}` has no manifest case", f.name));
        }
    }
    assert!(problems.is_empty(), "manifest problems:\n  {}", problems.join("\n  "));
}

#[test]
fn manifest_cases_pass_through_the_library() {
    run_manifest("lazy", &Config::default());
}

/// The same cases with every function lowered when the module is created.
#[test]
fn manifest_cases_pass_with_eager_lowering() {
    run_manifest("eager", Config::new().compilation_mode(CompilationMode::Eager));
}

fn run_manifest(label: &str, config: &Config) {
    let samples = xtask::samples_dir();
    let m = manifest();
    let known = runner::expected_failures(&samples).unwrap_or_else(|e| panic!("{e}"));
    for k in &known {
        assert!(
            m.cases.iter().any(|c| c.key() == k.key),
            "expected-failures.txt lists unknown case `{}`",
            k.key
        );
    }
    let (mut passed, mut failed) = (0, 0);
    let mut problems = Vec::new();
    for case in &m.cases {
        let report = runner::run_case_lib_with(config, &samples, case, Duration::from_secs(60));
        let listed = known.iter().find(|k| k.key == case.key());
        match (&report.verdict, listed) {
            (Ok(()), None) => passed += 1,
            (Err(_), Some(_)) => passed += 1,
            (Ok(()), Some(k)) => {
                failed += 1;
                problems.push(format!(
                    "{}: passes now; remove it from expected-failures.txt ({})",
                    case.key(),
                    k.reason
                ));
            }
            (Err(e), None) => {
                failed += 1;
                problems.push(format!("{} (manifest line {}): {e}", case.key(), case.line));
            }
        }
    }
    println!("manifest ({label}): {passed} passed, {failed} failed");
    assert!(
        problems.is_empty(),
        "{failed} manifest case(s) failed ({label} lowering):\n  {}",
        problems.join("\n  ")
    );
}

/// `wasm_samples/bench.toml` (the benchmark scales) names built kernels (or the `bench_simd_*`
/// exports of `simd_kernels.wasm`), has a natively computed result for every case, and covers
/// every `kernel_*` fixture. Its cases are not run
/// here: at bench scale they take a second or more in a debug build; the compare bench checks
/// them before timing.
#[test]
fn bench_cases_name_kernels_and_have_results() {
    let samples = xtask::samples_dir();
    let path = samples.join("bench.toml");
    let bench = Manifest::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let fixtures = fixture::list(&samples).unwrap_or_else(|e| panic!("{e}"));
    let kernels: Vec<_> = fixtures.iter().filter(|f| f.name.starts_with("kernel_")).collect();
    assert!(!kernels.is_empty(), "no kernel_* fixtures in {}", samples.join("src").display());
    let mut problems = Vec::new();
    for c in &bench.cases {
        // The SIMD kernels are one fixture with an export per kernel (`bench_simd_*`).
        let simd = c.file == "simd_kernels.wasm" && c.export.starts_with("bench_simd_");
        if !simd && !kernels.iter().any(|f| f.wasm_file_name() == c.file) {
            problems.push(format!("line {}: `{}` is not a kernel_* fixture", c.line, c.file));
        }
        match &c.expect {
            Expect::Results(r) if r.len() == 1 => {}
            other => problems.push(format!(
                "line {}: `{}` needs exactly one result from `cargo xtask fixtures`, has {other:?}",
                c.line,
                c.key()
            )),
        }
    }
    for f in &kernels {
        if !bench.cases.iter().any(|c| c.file == f.wasm_file_name()) {
            problems.push(format!("kernel `{}` has no case in bench.toml", f.name));
        }
    }
    assert!(problems.is_empty(), "bench.toml problems:\n  {}", problems.join("\n  "));
}

/// A directory under the system temp dir, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("fayasm-xtask-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a code-budget pass keeps spilled code.
#[derive(Clone, Copy)]
enum Spill<'a> {
    Mem,
    Dir(&'a std::path::Path),
}

/// Every manifest case (except the expected failures) under a 2 KiB code budget with `spill`:
/// results must match the manifest. Returns the summed code cache figures.
fn run_budgeted(label: &str, config: &Config, spill: Spill<'_>) -> fayasm_exec::CodeCacheStats {
    use fayasm_exec::{BoxedSpillStore, DirStore, MemStore};
    let samples = xtask::samples_dir();
    let m = manifest();
    let known = runner::expected_failures(&samples).unwrap_or_else(|e| panic!("{e}"));
    let mut total = fayasm_exec::CodeCacheStats::default();
    let mut problems = Vec::new();
    for case in m.cases.iter().filter(|c| !known.iter().any(|k| k.key == c.key())) {
        let path = samples.join("build").join(&case.file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let args = case.typed_args().unwrap_or_else(|e| panic!("{e}"));
        let store: BoxedSpillStore = match spill {
            Spill::Mem => Box::new(MemStore::new()),
            Spill::Dir(d) => Box::new(DirStore::open(d, 1).unwrap_or_else(|e| panic!("{e}"))),
        };
        let (outcome, stats) = runner::run_lib_spilling(
            config,
            &bytes,
            &case.export,
            &args,
            Duration::from_secs(60),
            Some(store),
        );
        if let Err(e) = runner::judge(&case.expect, &outcome) {
            problems.push(format!("{} (manifest line {}): {e}", case.key(), case.line));
        }
        let s = stats.unwrap_or_default();
        total.evictions += s.evictions;
        total.spills += s.spills;
        total.reloads += s.reloads;
        total.relowers += s.relowers;
        total.rejected += s.rejected;
        total.lowerings += s.lowerings;
        total.over_budget += s.over_budget;
    }
    println!(
        "manifest ({label}): evictions {}, spills {}, reloads {}, relowers {}, rejected {}",
        total.evictions, total.spills, total.reloads, total.relowers, total.rejected
    );
    assert!(
        problems.is_empty(),
        "{label}: {} case(s) failed:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    total
}

fn tiny_budget() -> Config {
    let mut c = Config::new();
    c.code_budget(Some(2048));
    c
}

#[test]
fn manifest_cases_pass_under_a_tiny_code_budget_with_a_mem_store() {
    let s = run_budgeted("2 KiB, MemStore", &tiny_budget(), Spill::Mem);
    assert!(s.evictions > 0 && s.spills > 0 && s.reloads > 0, "{s:?}");
    assert_eq!(s.rejected, 0);
    let mut eager = tiny_budget();
    eager.compilation_mode(CompilationMode::Eager);
    let s = run_budgeted("2 KiB, MemStore, eager", &eager, Spill::Mem);
    assert!(s.evictions > 0 && s.reloads > 0, "{s:?}");
}

/// A directory store: the first pass spills, a second pass over the same directory starts
/// warm (reloads, fewer lowerings), and after every function blob is corrupted a third pass
/// rejects them, lowers again and still gets every result right.
#[test]
fn manifest_cases_pass_under_a_tiny_code_budget_with_a_dir_store() {
    let dir = TempDir::new("dir-store");
    let first = run_budgeted("2 KiB, DirStore, cold", &tiny_budget(), Spill::Dir(&dir.0));
    assert!(first.evictions > 0 && first.spills > 0, "{first:?}");
    let second = run_budgeted("2 KiB, DirStore, warm", &tiny_budget(), Spill::Dir(&dir.0));
    assert!(second.reloads > first.reloads, "{first:?} {second:?}");
    assert!(second.lowerings < first.lowerings, "{first:?} {second:?}");
    assert_eq!(second.rejected, 0);
    // Corrupt every slot file's last byte (the end of the envelope's payload).
    let mut corrupted = 0;
    for entry in std::fs::read_dir(&dir.0).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("function-")) {
            let mut bytes = std::fs::read(&path).unwrap();
            let last = bytes.len() - 1;
            bytes[last] ^= 0xa5;
            std::fs::write(&path, bytes).unwrap();
            corrupted += 1;
        }
    }
    assert!(corrupted > 0);
    let third = run_budgeted("2 KiB, DirStore, corrupted", &tiny_budget(), Spill::Dir(&dir.0));
    assert!(third.rejected > 0 && third.relowers > 0, "{third:?}");
}
