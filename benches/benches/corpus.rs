//! fayasm and wasmi 2 on a corpus of wasm modules compiled elsewhere (the execute suite and
//! CoreMark of wasmi-benchmarks), in one process, both with eager compilation.
//!
//! The corpus stays outside the repository: set `FAYASM_CORPUS` to its directory (the one
//! holding `manifest.toml`, format in `xtask::corpus`); without it the bench prints how and
//! exits. `cargo xtask bench-compare --corpus DIR` sets it, runs this bench in the bench and the
//! plain release profile and writes BENCHMARKS.md.
//!
//! Every case follows the manifest's call sequence (`direct`: `run(arg)`; `staged`: `setup`,
//! input at `input_ptr(data)`, `run(data)` `calls` times, the checks and `output_ptr(data)`,
//! `teardown(data)`), once per engine before anything is timed: a wrong answer on either engine
//! panics naming the case and the engine. A direct case without an expected result must give
//! the same result on both engines. Then criterion group `corpus-<case>` times, per engine
//! (`fayasm`, `wasmi`), the `run` call(s) on a freshly instantiated and set-up instance per
//! iteration (instantiation and setup are not timed).
//!
//! A module fayasm rejects at load because it needs a proposal fayasm does not implement (today
//! `fibonacci-tail`, tail calls) is skipped with a note. CoreMark is not timed by criterion:
//! `run()` returns its score, measured [`COREMARK_RUNS`] times per engine on fresh instances
//! (alternating engines), with `env.clock_ms` counting milliseconds since instantiation.
//!
//! For profiling, `FAYASM_CORPUS_ONCE=fayasm` (or `wasmi`) runs each selected case's whole call
//! sequence once on that engine alone, with its checks, and skips criterion, e.g.
//! `FAYASM_CORPUS=DIR FAYASM_CORPUS_ONCE=fayasm valgrind --tool=callgrind
//! target/release/deps/corpus-HASH corpus-sort`.
//!
//! What happened to each case (timed, skipped and why, CoreMark scores) and the dispatch
//! backend go to `corpus.tsv` in criterion's output directory (`CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else `target/criterion`). A criterion filter selects cases:
//! `FAYASM_CORPUS=DIR cargo bench -p fayasm-benches --bench corpus -- corpus-sort`.

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode};
use std::path::{Path, PathBuf};
use std::time::Instant;
use xtask::corpus::{BenchResults, Case, CaseResult, Corpus, Outcome, Run, Staged};
use xtask::value::TypedValue;

/// CoreMark runs per engine; the report shows the median score.
const COREMARK_RUNS: usize = 3;

/// An instance of a case's module with its store.
trait Instance: Sized {
    /// An exported function, looked up once.
    type Func: Copy;
    fn func(&self, name: &str) -> Result<Self::Func, String>;
    fn call(&mut self, f: Self::Func, args: &[TypedValue]) -> Result<Vec<TypedValue>, String>;
    /// The bytes of the exported memory `memory`.
    fn memory(&self) -> Result<&[u8], String>;
    fn memory_mut(&mut self) -> Result<&mut [u8], String>;

    /// Writes `bytes` at `ptr` of memory `memory`.
    fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), String> {
        let memory = self.memory_mut()?;
        let r = range(memory.len(), ptr, bytes.len())?;
        memory[r].copy_from_slice(bytes);
        Ok(())
    }

    /// `len` bytes at `ptr` of memory `memory`.
    fn read(&self, ptr: u32, len: usize) -> Result<Vec<u8>, String> {
        let memory = self.memory()?;
        Ok(memory[range(memory.len(), ptr, len)?].to_vec())
    }

    /// Calls export `name` by name.
    fn call_export(&mut self, name: &str, args: &[TypedValue]) -> Result<Vec<TypedValue>, String> {
        let f = self.func(name)?;
        self.call(f, args).map_err(|e| format!("{name}{}: {e}", show_args(args)))
    }
}

/// An engine with eager compilation and the `env.clock_ms` import.
trait Engine {
    const NAME: &'static str;
    type Module;
    type Instance: Instance;
    fn compile(&self, bytes: &[u8]) -> Result<Self::Module, Rejection>;
    /// A fresh store and instance; its clock starts now.
    fn instantiate(&self, module: &Self::Module) -> Result<Self::Instance, String>;
}

/// Why an engine did not load a module.
enum Rejection {
    /// The module needs a proposal the engine does not implement (the case is skipped).
    Unsupported(String),
    /// Anything else (the bench fails).
    Failed(String),
}

fn show_args(args: &[TypedValue]) -> String {
    let args: Vec<String> = args.iter().map(TypedValue::to_decimal).collect();
    format!("({})", args.join(", "))
}

fn clock_ms(start: &Instant) -> i32 {
    start.elapsed().as_millis() as i32
}

struct Fayasm {
    engine: fayasm_exec::Engine,
    linker: fayasm_exec::Linker<Instant>,
}

impl Fayasm {
    fn new() -> Fayasm {
        let engine = fayasm_exec::Engine::new(
            fayasm_exec::Config::new().compilation_mode(fayasm_exec::CompilationMode::Eager),
        );
        let mut linker = fayasm_exec::Linker::new(&engine);
        linker
            .func_wrap("env", "clock_ms", |caller: fayasm_exec::Caller<'_, Instant>| {
                clock_ms(caller.data())
            })
            .expect("a fresh linker has no clock_ms yet");
        Fayasm { engine, linker }
    }
}

struct FayasmInstance {
    store: fayasm_exec::Store<Instant>,
    instance: fayasm_exec::Instance,
}

impl Engine for Fayasm {
    const NAME: &'static str = "fayasm";
    type Module = fayasm_exec::Module;
    type Instance = FayasmInstance;

    fn compile(&self, bytes: &[u8]) -> Result<Self::Module, Rejection> {
        fayasm_exec::Module::new(&self.engine, bytes).map_err(|e| {
            // wasmparser's words for a feature that is switched off: "tail calls support is
            // not enabled"; fayasm turns off what it does not implement.
            let unsupported = matches!(e.kind(), fayasm_exec::ErrorKind::Decode(d)
                if d.message().contains("not enabled") || d.message().contains("proposal"));
            if unsupported {
                Rejection::Unsupported(e.to_string())
            } else {
                Rejection::Failed(e.to_string())
            }
        })
    }

    fn instantiate(&self, module: &Self::Module) -> Result<Self::Instance, String> {
        let mut store = fayasm_exec::Store::new(&self.engine, Instant::now());
        let instance = self.linker.instantiate(&mut store, module).map_err(|e| e.to_string())?;
        Ok(FayasmInstance { store, instance })
    }
}

impl Instance for FayasmInstance {
    type Func = fayasm_exec::Func;

    fn func(&self, name: &str) -> Result<Self::Func, String> {
        self.instance
            .get_func(&self.store, name)
            .ok_or_else(|| format!("no exported function `{name}`"))
    }

    fn call(&mut self, f: Self::Func, args: &[TypedValue]) -> Result<Vec<TypedValue>, String> {
        let args: Vec<fayasm_exec::Value> = args.iter().map(TypedValue::to_exec).collect();
        let results = f.call(&mut self.store, &args).map_err(|e| e.to_string())?;
        results
            .iter()
            .map(|v| TypedValue::from_exec(v).ok_or_else(|| format!("unexpected result {v:?}")))
            .collect()
    }

    fn memory(&self) -> Result<&[u8], String> {
        let memory = self.instance.get_memory(&self.store, "memory").ok_or(NO_MEMORY)?;
        Ok(memory.data(&self.store))
    }

    fn memory_mut(&mut self) -> Result<&mut [u8], String> {
        let memory = self.instance.get_memory(&self.store, "memory").ok_or(NO_MEMORY)?;
        Ok(memory.data_mut(&mut self.store))
    }
}

struct Wasmi {
    engine: wasmi::Engine,
    linker: wasmi::Linker<Instant>,
}

impl Wasmi {
    fn new() -> Wasmi {
        let engine = wasmi::Engine::new(
            wasmi::Config::default().compilation_mode(wasmi::CompilationMode::Eager),
        );
        let mut linker = wasmi::Linker::new(&engine);
        linker
            .func_wrap("env", "clock_ms", |caller: wasmi::Caller<'_, Instant>| {
                clock_ms(caller.data())
            })
            .expect("wasmi: define env.clock_ms");
        Wasmi { engine, linker }
    }
}

struct WasmiInstance {
    store: wasmi::Store<Instant>,
    instance: wasmi::Instance,
}

impl Engine for Wasmi {
    const NAME: &'static str = "wasmi";
    type Module = wasmi::Module;
    type Instance = WasmiInstance;

    fn compile(&self, bytes: &[u8]) -> Result<Self::Module, Rejection> {
        wasmi::Module::new(&self.engine, bytes).map_err(|e| Rejection::Failed(e.to_string()))
    }

    fn instantiate(&self, module: &Self::Module) -> Result<Self::Instance, String> {
        let mut store = wasmi::Store::new(&self.engine, Instant::now());
        let instance =
            self.linker.instantiate_and_start(&mut store, module).map_err(|e| e.to_string())?;
        Ok(WasmiInstance { store, instance })
    }
}

fn to_wasmi(v: &TypedValue) -> wasmi::Val {
    match *v {
        TypedValue::I32(v) => wasmi::Val::I32(v),
        TypedValue::I64(v) => wasmi::Val::I64(v),
        TypedValue::F32(b) => wasmi::Val::F32(wasmi::F32::from_bits(b)),
        TypedValue::F64(b) => wasmi::Val::F64(wasmi::F64::from_bits(b)),
    }
}

fn from_wasmi(v: &wasmi::Val) -> Result<TypedValue, String> {
    Ok(match v {
        wasmi::Val::I32(v) => TypedValue::I32(*v),
        wasmi::Val::I64(v) => TypedValue::I64(*v),
        wasmi::Val::F32(f) => TypedValue::F32(f.to_bits()),
        wasmi::Val::F64(f) => TypedValue::F64(f.to_bits()),
        other => return Err(format!("unexpected result {other:?}")),
    })
}

impl Instance for WasmiInstance {
    type Func = wasmi::Func;

    fn func(&self, name: &str) -> Result<Self::Func, String> {
        self.instance
            .get_func(&self.store, name)
            .ok_or_else(|| format!("no exported function `{name}`"))
    }

    fn call(&mut self, f: Self::Func, args: &[TypedValue]) -> Result<Vec<TypedValue>, String> {
        let args: Vec<wasmi::Val> = args.iter().map(to_wasmi).collect();
        let ty = f.ty(&self.store);
        let mut results: Vec<wasmi::Val> =
            ty.results().iter().map(|t| wasmi::Val::default_for_ty(*t)).collect();
        f.call(&mut self.store, &args, &mut results).map_err(|e| e.to_string())?;
        results.iter().map(from_wasmi).collect()
    }

    fn memory(&self) -> Result<&[u8], String> {
        let memory = self.instance.get_memory(&self.store, "memory").ok_or(NO_MEMORY)?;
        Ok(memory.data(&self.store))
    }

    fn memory_mut(&mut self) -> Result<&mut [u8], String> {
        let memory = self.instance.get_memory(&self.store, "memory").ok_or(NO_MEMORY)?;
        Ok(memory.data_mut(&mut self.store))
    }
}

fn range(memory_len: usize, ptr: u32, len: usize) -> Result<std::ops::Range<usize>, String> {
    let start = ptr as usize;
    start
        .checked_add(len)
        .filter(|&end| end <= memory_len)
        .map(|end| start..end)
        .ok_or_else(|| format!("{len} bytes at {ptr} are outside the {memory_len}-byte memory"))
}

const NO_MEMORY: &str = "no exported memory `memory`";

/// A case's files, read once.
struct Files {
    bytes: Vec<u8>,
    input: Option<Vec<u8>>,
    output: Option<Vec<u8>>,
}

fn read_files(corpus: &Corpus, case: &Case) -> Files {
    let bytes = corpus
        .module_bytes(case, |text| wat::parse_str(text).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    let read = |file: &Option<String>| {
        file.as_ref().map(|f| {
            let path = corpus.path(f);
            std::fs::read(&path).unwrap_or_else(|e| {
                panic!("corpus case `{}`: cannot read {}: {e}", case.name, path.display())
            })
        })
    };
    let (input, output) = match &case.run {
        Run::Staged(s) => (read(&s.input), read(&s.output_file)),
        _ => (None, None),
    };
    Files { bytes, input, output }
}

/// An instance ready for the timed `run` call(s).
struct Ready<I: Instance> {
    instance: I,
    run: I::Func,
    args: Vec<TypedValue>,
    calls: u32,
}

/// Instantiates and, for a staged case, calls `setup` and writes the input.
fn ready<E: Engine>(
    engine: &E,
    module: &E::Module,
    case: &Case,
    files: &Files,
) -> Result<Ready<E::Instance>, String> {
    let mut instance = engine.instantiate(module).map_err(|e| format!("instantiation: {e}"))?;
    let (args, calls) = match &case.run {
        Run::Direct { arg, .. } => (arg.iter().copied().collect(), 1),
        Run::Staged(s) => (vec![set_up(&mut instance, s, files)?], s.calls),
        Run::Coremark => (Vec::new(), 1),
    };
    let run = instance.func("run")?;
    Ok(Ready { instance, run, args, calls })
}

/// `setup` and the input; returns `data`.
fn set_up<I: Instance>(instance: &mut I, s: &Staged, files: &Files) -> Result<TypedValue, String> {
    let data = single(
        instance.call_export("setup", &s.setup_args(files.input.as_ref().map(Vec::len)))?,
        "setup",
    )?;
    if let Some(input) = &files.input {
        let ptr = pointer(instance.call_export("input_ptr", &[data])?, "input_ptr")?;
        instance.write(ptr, input).map_err(|e| format!("writing the input: {e}"))?;
    }
    Ok(data)
}

fn single(results: Vec<TypedValue>, export: &str) -> Result<TypedValue, String> {
    match results.as_slice() {
        [v] => Ok(*v),
        other => Err(format!("{export} returned {other:?}, expected one value")),
    }
}

fn pointer(results: Vec<TypedValue>, export: &str) -> Result<u32, String> {
    match single(results, export)? {
        TypedValue::I32(p) => Ok(p as u32),
        other => Err(format!("{export} returned {other:?}, expected an i32 address")),
    }
}

/// The timed part: `run` `calls` times; the last call's results.
fn run_calls<I: Instance>(r: &mut Ready<I>) -> Result<Vec<TypedValue>, String> {
    let mut results = Vec::new();
    for _ in 0..r.calls {
        results = r
            .instance
            .call(r.run, &r.args)
            .map_err(|e| format!("run{}: {e}", show_args(&r.args)))?;
    }
    Ok(results)
}

/// The whole call sequence once, with every check; a direct case's results.
fn verify<E: Engine>(
    engine: &E,
    module: &E::Module,
    case: &Case,
    files: &Files,
) -> Result<Vec<TypedValue>, String> {
    let mut r = ready(engine, module, case, files)?;
    let results = run_calls(&mut r)?;
    let mismatch = |what: String, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
        format!("{what} returned {got:?}, expected {want:?}")
    };
    match &case.run {
        Run::Direct { result: Some(want), .. } => match results.as_slice() {
            [got] if want.matches(got) => {}
            got => return Err(mismatch(format!("run{}", show_args(&r.args)), &got, want)),
        },
        Run::Staged(s) => {
            let data = r.args.clone();
            for (export, want) in &s.checks {
                let got = single(r.instance.call_export(export, &data)?, export)?;
                if !want.matches(&got) {
                    return Err(mismatch(format!("{export}{}", show_args(&data)), &got, want));
                }
            }
            if let Some(want) = &files.output {
                let ptr = pointer(r.instance.call_export("output_ptr", &data)?, "output_ptr")?;
                let got = r.instance.read(ptr, want.len())?;
                if let Some(at) = got.iter().zip(want).position(|(a, b)| a != b) {
                    return Err(format!(
                        "the output at output_ptr{} differs from {} at byte {at} of {}",
                        show_args(&data),
                        s.output_file.as_deref().unwrap_or("the output file"),
                        want.len()
                    ));
                }
            }
            r.instance.call_export("teardown", &data)?;
        }
        _ => {}
    }
    Ok(results)
}

fn compiled<E: Engine>(engine: &E, case: &Case, files: &Files) -> Result<E::Module, Rejection> {
    engine.compile(&files.bytes).map_err(|r| match r {
        Rejection::Failed(e) => Rejection::Failed(format!(
            "corpus case `{}` on {}: cannot load {}: {e}",
            case.name,
            E::NAME,
            case.file
        )),
        unsupported => unsupported,
    })
}

fn fail<T>(case: &Case, engine: &str) -> impl FnOnce(String) -> T {
    let name = case.name.clone();
    let engine = engine.to_string();
    move |e| panic!("corpus case `{name}` on {engine}: {e}")
}

/// Checks both engines, then times both; returns what happened.
fn bench_case(
    c: &mut Criterion,
    fayasm: &Fayasm,
    wasmi: &Wasmi,
    case: &Case,
    files: &Files,
) -> Outcome {
    let fm = match compiled(fayasm, case, files) {
        Ok(m) => m,
        Err(Rejection::Unsupported(e)) => {
            println!(
                "note: corpus case `{}` skipped: fayasm rejects {}: {e}",
                case.name, case.file
            );
            return Outcome::Skipped(e);
        }
        Err(Rejection::Failed(e)) => panic!("{e}"),
    };
    let wm = match compiled(wasmi, case, files) {
        Ok(m) => m,
        Err(Rejection::Unsupported(e) | Rejection::Failed(e)) => panic!("{e}"),
    };
    if let Run::Coremark = case.run {
        return coremark(fayasm, &fm, wasmi, &wm, case, files);
    }
    let f_results = verify(fayasm, &fm, case, files).unwrap_or_else(fail(case, "fayasm"));
    let w_results = verify(wasmi, &wm, case, files).unwrap_or_else(fail(case, "wasmi"));
    if f_results != w_results {
        panic!(
            "corpus case `{}`: fayasm returned {f_results:?}, wasmi {w_results:?} (the manifest gives no expected result, so the engines must agree)",
            case.name
        );
    }
    let mut g = c.benchmark_group(format!("corpus-{}", case.name));
    // Calls take 50-300 ms: ten samples of equal iteration counts.
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    time(&mut g, fayasm, &fm, case, files);
    time(&mut g, wasmi, &wm, case, files);
    g.finish();
    Outcome::Timed
}

/// Times the `run` call(s) of `case` on `engine`, each iteration on a fresh instance (the
/// instance is dropped after the clock stops).
fn time<E: Engine>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    engine: &E,
    module: &E::Module,
    case: &Case,
    files: &Files,
) {
    g.bench_function(E::NAME, |b| {
        b.iter_batched(
            || ready(engine, module, case, files).unwrap_or_else(fail(case, E::NAME)),
            |mut r| {
                run_calls(&mut r).unwrap_or_else(fail(case, E::NAME));
                r
            },
            BatchSize::PerIteration,
        )
    });
}

/// One CoreMark score on a fresh instance.
fn coremark_score<E: Engine>(engine: &E, module: &E::Module, case: &Case, files: &Files) -> f64 {
    let mut r = ready(engine, module, case, files).unwrap_or_else(fail(case, E::NAME));
    let started = Instant::now();
    let results = run_calls(&mut r).unwrap_or_else(fail(case, E::NAME));
    let score = match results.as_slice() {
        [TypedValue::F32(bits)] => f64::from(f32::from_bits(*bits)),
        other => panic!(
            "corpus case `{}` on {}: run() returned {other:?}, expected the score as one f32",
            case.name,
            E::NAME
        ),
    };
    assert!(
        score.is_finite() && score > 0.0,
        "corpus case `{}` on {}: run() returned the score {score}, expected a positive number",
        case.name,
        E::NAME
    );
    println!(
        "{}/{}: score {score:.1} ({:.1} s)",
        case.name,
        E::NAME,
        started.elapsed().as_secs_f64()
    );
    score
}

fn coremark(
    fayasm: &Fayasm,
    fm: &fayasm_exec::Module,
    wasmi: &Wasmi,
    wm: &wasmi::Module,
    case: &Case,
    files: &Files,
) -> Outcome {
    let (mut f, mut w) = (Vec::new(), Vec::new());
    // Alternating engines spreads the machine's drift over both.
    for _ in 0..COREMARK_RUNS {
        f.push(coremark_score(fayasm, fm, case, files));
        w.push(coremark_score(wasmi, wm, case, files));
    }
    Outcome::Scores { fayasm: f, wasmi: w }
}

/// criterion's output directory, where `corpus.tsv` goes.
fn results_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| xtask::workspace_root().join("target"));
    target.join("criterion")
}

/// The criterion filter among the arguments (the first that is not an option or an option's
/// value), to skip checking cases criterion will not time.
fn filter_arg() -> Option<String> {
    const WITH_VALUE: &[&str] = &[
        "--color",
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--format",
        "--profile-time",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--plotting-backend",
        "--output-format",
    ];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if WITH_VALUE.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}

/// `FAYASM_CORPUS_ONCE`: every selected case once on one engine, checked, untimed.
fn run_once(corpus: &Corpus, filter: Option<&str>, fayasm: &Fayasm, wasmi: &Wasmi, engine: &str) {
    fn once<E: Engine>(engine: &E, case: &Case, files: &Files) {
        let module = match compiled(engine, case, files) {
            Ok(m) => m,
            Err(Rejection::Unsupported(e) | Rejection::Failed(e)) => panic!("{e}"),
        };
        let started = Instant::now();
        let results = verify(engine, &module, case, files).unwrap_or_else(fail(case, E::NAME));
        let took = started.elapsed().as_secs_f64();
        println!("{}/{}: {results:?} in {took:.3} s", case.name, E::NAME);
    }
    for case in &corpus.cases {
        if filter.is_some_and(|f| !case.name.contains(f.trim_start_matches("corpus-"))) {
            continue;
        }
        let files = read_files(corpus, case);
        match engine {
            "fayasm" => once(fayasm, case, &files),
            "wasmi" => once(wasmi, case, &files),
            other => panic!("FAYASM_CORPUS_ONCE={other:?}: expected `fayasm` or `wasmi`"),
        }
    }
}

fn main() {
    let Some(dir) = std::env::var_os("FAYASM_CORPUS") else {
        println!(
            "corpus bench: nothing to do; set FAYASM_CORPUS to a corpus directory (one with a \
             manifest.toml), or run `cargo xtask bench-compare --corpus DIR`"
        );
        return;
    };
    let corpus = Corpus::load(Path::new(&dir)).unwrap_or_else(|e| panic!("{e}"));
    corpus.check_files().unwrap_or_else(|e| panic!("{e}"));
    let mut c = Criterion::default().configure_from_args();
    let filter = filter_arg();
    if std::env::args().any(|a| a == "--list") {
        // criterion's listing, without checking every case first (CoreMark is not a benchmark).
        for case in corpus.cases.iter().filter(|c| c.run != Run::Coremark) {
            for engine in [Fayasm::NAME, Wasmi::NAME] {
                println!("corpus-{}/{engine}: benchmark", case.name);
            }
        }
        return;
    }
    let (fayasm, wasmi) = (Fayasm::new(), Wasmi::new());
    if let Some(engine) = std::env::var_os("FAYASM_CORPUS_ONCE") {
        run_once(&corpus, filter.as_deref(), &fayasm, &wasmi, &engine.to_string_lossy());
        return;
    }
    let mut results =
        BenchResults { backend: fayasm_exec::dispatch_backend().into(), cases: Vec::new() };
    println!(
        "corpus bench: {} cases from {}, fayasm dispatch backend `{}`",
        corpus.cases.len(),
        corpus.dir.display(),
        results.backend
    );
    for case in &corpus.cases {
        let group = format!("corpus-{}", case.name);
        if filter.as_ref().is_some_and(|f| !group.contains(f.as_str()) && !f.starts_with(&group)) {
            continue;
        }
        let files = read_files(&corpus, case);
        let outcome = bench_case(&mut c, &fayasm, &wasmi, case, &files);
        results.cases.push(CaseResult {
            name: case.name.clone(),
            kind: case.run.kind().into(),
            outcome,
        });
    }
    c.final_summary();
    let dir = results_dir();
    let path = dir.join(xtask::corpus::RESULTS_FILE);
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, results.to_tsv()))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!("corpus bench: wrote {}", path.display());
}
