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
