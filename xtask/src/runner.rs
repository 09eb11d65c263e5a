//! Runs manifest cases through the `fayasm-exec` library and judges the outcomes.

use crate::manifest::{Case, Expect};
use crate::value::TypedValue;
use fayasm_exec::{BoxedSpillStore, CodeCacheStats, Config, Engine, Linker, Module, Store};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What running a case produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The call returned these values.
    Values(Vec<TypedValue>),
    /// The call trapped with this message (the trap code's spec message).
    Trap(String),
    /// Anything else: decode/link/signature errors, a panic, a timeout, a missing file.
    Error(String),
}

impl Outcome {
    /// A one-line rendering for tables and messages.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Values(v) if v.is_empty() => "(no results)".into(),
            Outcome::Values(v) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            Outcome::Trap(t) => format!("trap: {t}"),
            Outcome::Error(e) => format!("error: {e}"),
        }
    }
}

/// A one-line rendering of an expectation.
pub fn describe_expect(expect: &Expect) -> String {
    match expect {
        Expect::Results(r) if r.is_empty() => "(no results)".into(),
        Expect::Results(r) => r.join(", "),
        Expect::Trap(t) => format!("trap: {t}"),
        Expect::Missing => "(missing: run `cargo xtask fixtures`)".into(),
    }
}

/// `Ok` if `outcome` satisfies `expect`, else why not. A trap matches when its message starts
/// with the expected one (front ends may append context such as the function).
pub fn judge(expect: &Expect, outcome: &Outcome) -> Result<(), String> {
    match (expect, outcome) {
        (Expect::Missing, _) => {
            Err("the case has no expectation yet: run `cargo xtask fixtures`".into())
        }
        (Expect::Results(want), Outcome::Values(got)) => {
            let want = crate::value::parse_list(want)?;
            let ok = want.len() == got.len() && want.iter().zip(got).all(|(w, g)| w.matches(g));
            if ok {
                Ok(())
            } else {
                Err(format!("expected {}, got {}", describe_expect(expect), outcome.describe()))
            }
        }
        (Expect::Trap(want), Outcome::Trap(got)) if got.starts_with(want.as_str()) => Ok(()),
        _ => Err(format!("expected {}, got {}", describe_expect(expect), outcome.describe())),
    }
}

/// Decodes `bytes` with fayasm and returns the imports it declares (`module.name`).
pub fn fayasm_imports(bytes: &[u8]) -> Result<Vec<String>, String> {
    let module = Module::new(&Engine::default(), bytes).map_err(|e| e.to_string())?;
    let info = module.info();
    Ok(info
        .imports
        .iter()
        .map(|i| format!("{}.{}", info.name(i.module), info.name(i.name)))
        .collect())
}

/// Instantiates `bytes` in a fresh store and calls `export(args)`, on a separate thread so a
/// panic or a hang in the interpreter becomes an [`Outcome::Error`] instead of killing or
/// stalling the caller (a timed-out thread is left behind; the process ends it on exit).
pub fn run_lib(bytes: &[u8], export: &str, args: &[TypedValue], timeout: Duration) -> Outcome {
    run_lib_with(&Config::default(), bytes, export, args, timeout)
}

/// [`run_lib`] with an engine built from `config`.
pub fn run_lib_with(
    config: &Config,
    bytes: &[u8],
    export: &str,
    args: &[TypedValue],
    timeout: Duration,
) -> Outcome {
    run_lib_spilling(config, bytes, export, args, timeout, None).0
}

/// [`run_lib_with`] with `spill` attached to the store as its spill store (where the code
/// cache spills evicted functions); also returns the code cache's figures of the run (`None`
/// if the case did not get as far as a store).
pub fn run_lib_spilling(
    config: &Config,
    bytes: &[u8],
    export: &str,
    args: &[TypedValue],
    timeout: Duration,
    spill: Option<BoxedSpillStore>,
) -> (Outcome, Option<CodeCacheStats>) {
    let config = config.clone();
    let (tx, rx) = mpsc::channel();
    let bytes = bytes.to_vec();
    let export = export.to_string();
    let args: Vec<fayasm_exec::Value> = args.iter().map(TypedValue::to_exec).collect();
    let spawned = std::thread::Builder::new()
        .name(format!("case {export}"))
        .stack_size(32 << 20)
        .spawn(move || {
            // The spill store is dropped with the failed case; nothing observes it afterwards.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let mut stats = None;
                let outcome = call(&config, &bytes, &export, &args, spill, &mut stats);
                (outcome, stats)
            }));
            let outcome = result.unwrap_or_else(|panic| {
                let msg = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-string panic payload".into());
                (Outcome::Error(format!("fayasm panicked: {msg}")), None)
            });
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return (Outcome::Error(format!("cannot spawn a thread: {e}")), None);
    }
    match rx.recv_timeout(timeout) {
        Ok(o) => o,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            (Outcome::Error(format!("timed out after {}s", timeout.as_secs())), None)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            (Outcome::Error("the case thread died".into()), None)
        }
    }
}

/// Runs the case; `stats` gets the code cache's figures once the store exists.
fn call(
    config: &Config,
    bytes: &[u8],
    export: &str,
    args: &[fayasm_exec::Value],
    spill: Option<BoxedSpillStore>,
    stats: &mut Option<CodeCacheStats>,
) -> Outcome {
    struct Report<'a>(&'a mut Option<CodeCacheStats>, Store<()>);
    impl Drop for Report<'_> {
        fn drop(&mut self) {
            *self.0 = Some(self.1.code_cache_stats());
        }
    }
    let engine = Engine::new(config);
    let module = match Module::new(&engine, bytes) {
        Ok(m) => m,
        Err(e) => return Outcome::Error(e.to_string()),
    };
    let mut report = Report(stats, Store::new(&engine, ()));
    let store = &mut report.1;
    if let Some(spill) = spill {
        store.attach_spill_store(spill);
    }
    let mut linker = Linker::new(&engine);
    if !module.info().imports.is_empty()
        && let Err(e) = bind_host_lib(&mut linker, &module)
    {
        return Outcome::Error(e);
    }
    let instance = match linker.instantiate(&mut *store, &module) {
        Ok(i) => i,
        Err(e) => return Outcome::Error(e.to_string()),
    };
    let Some(func) = instance.get_func(&*store, export) else {
        return Outcome::Error(format!("no exported function `{export}`"));
    };
    match func.call(&mut *store, args) {
        Ok(values) => {
            let mut out = Vec::with_capacity(values.len());
            for v in &values {
                match TypedValue::from_exec(v) {
                    Some(t) => out.push(t),
                    None => return Outcome::Error(format!("unsupported result value {v:?}")),
                }
            }
            Outcome::Values(out)
        }
        Err(e) => match e.as_trap() {
            Some(t) => Outcome::Trap(t.code().to_string()),
            None => Outcome::Error(e.to_string()),
        },
    }
}

/// Binds the imports of a `host_*` fixture to the sample host library.
fn bind_host_lib(linker: &mut Linker<()>, module: &Module) -> Result<(), String> {
    let path = crate::host_lib::sample_host_lib()?;
    let lib = fayasm_host::dylib::Library::open(&path).map_err(|e| e.to_string())?;
    lib.define_all(linker, Some(module)).map(drop).map_err(|e| e.to_string())
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct Report {
    /// The case.
    pub case: Case,
    /// What happened.
    pub outcome: Outcome,
    /// `Ok` on a match, else the mismatch.
    pub verdict: Result<(), String>,
    /// Wall time of the call (including decode and instantiation).
    pub elapsed: Duration,
}

/// Runs `case` through the library, loading its module from `samples/build`.
pub fn run_case_lib(samples: &Path, case: &Case, timeout: Duration) -> Report {
    run_case_lib_with(&Config::default(), samples, case, timeout)
}

/// [`run_case_lib`] with an engine built from `config`.
pub fn run_case_lib_with(
    config: &Config,
    samples: &Path,
    case: &Case,
    timeout: Duration,
) -> Report {
    let start = Instant::now();
    let path = samples.join("build").join(&case.file);
    let outcome = match (std::fs::read(&path), case.typed_args()) {
        (Err(e), _) => Outcome::Error(format!("cannot read {}: {e}", path.display())),
        (_, Err(e)) => Outcome::Error(e),
        (Ok(bytes), Ok(args)) => run_lib_with(config, &bytes, &case.export, &args, timeout),
    };
    let elapsed = start.elapsed();
    let verdict = judge(&case.expect, &outcome);
    Report { case: case.clone(), outcome, verdict, elapsed }
}

/// One entry of `wasm_samples/expected-failures.txt`: a case key and the reason it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownFailure {
    /// [`Case::key`] of the case.
    pub key: String,
    /// Why it fails (an issue, an interpreter bug).
    pub reason: String,
}

/// Reads `samples/expected-failures.txt` (absent file: none). Each line is a case key
/// (`file export args...`), then ` # ` and the reason; `#` at the start of a line is a comment.
pub fn expected_failures(samples: &Path) -> Result<Vec<KnownFailure>, String> {
    let path = samples.join("expected-failures.txt");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, reason)) = line.split_once(" # ") else {
            return Err(format!(
                "{}:{}: expected `file export args... # reason`",
                path.display(),
                i + 1
            ));
        };
        out.push(KnownFailure { key: key.trim().to_string(), reason: reason.trim().to_string() });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging() {
        let r = |v: &[&str]| Expect::Results(v.iter().map(|s| s.to_string()).collect());
        assert!(judge(&r(&["i32:3"]), &Outcome::Values(vec![TypedValue::I32(3)])).is_ok());
        assert!(judge(&r(&["i32:3"]), &Outcome::Values(vec![TypedValue::I64(3)])).is_err());
        assert!(judge(&r(&[]), &Outcome::Values(vec![])).is_ok());
        assert!(judge(&r(&["i32:3"]), &Outcome::Values(vec![])).is_err());
        let t = Expect::Trap("unreachable".into());
        assert!(judge(&t, &Outcome::Trap("unreachable".into())).is_ok());
        assert!(judge(&t, &Outcome::Trap("unreachable (in function 3)".into())).is_ok());
        assert!(judge(&t, &Outcome::Trap("integer overflow".into())).is_err());
        assert!(judge(&t, &Outcome::Values(vec![])).is_err());
        assert!(judge(&Expect::Missing, &Outcome::Values(vec![])).is_err());
    }
}
