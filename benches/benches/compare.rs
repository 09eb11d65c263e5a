//! fayasm side by side with wasmi 2 and wasm3 on the C benchmark kernels of `wasm_samples/`.
//!
//! The kernels and their bench-scale arguments and natively computed checksums come from
//! `wasm_samples/bench.toml` (written by `cargo xtask fixtures`). Every engine's answer is
//! checked against the checksum before anything is timed. Per kernel `K` there are three
//! criterion groups, one function per engine:
//!
//! * `call-K`: one call of `bench_K(scale)` on an instance created once (fayasm lazy, wasmi's
//!   default lazy translation, wasm3's on-demand compilation; warm-up pays the lowering).
//! * `load-K`: module creation, instantiation and export lookup from the bytes, with the
//!   engine (wasm3: environment) created once: what a host pays per fresh instance.
//! * `translate-K`: `Module::new` with eager compilation (decode, validate and lower every
//!   function); `cargo xtask bench-compare` turns it into code-section bytes per second.
//!
//! The SIMD kernels (issue #8; `simd_kernels.wasm`, exports `bench_simd_K`) get one group each,
//! `simd-K`: one call, as `call-K`, on fayasm and wasmi only (wasm3 0.3 has no SIMD).
//! `FAYASM_COMPARE_GROUPS=kernels` runs only the C kernels (with `load-largest`),
//! `FAYASM_COMPARE_GROUPS=simd` only the SIMD kernels; unset, both run.
//!
//! One more group, `load-largest`, times load + instantiate (as `load-K`) of the largest module
//! in `wasm_samples/build/` (chosen by file size when the bench starts, see
//! `xtask::fixture::largest_module`), looking up its first exported `(i32) -> (i32)` function.
//!
//! wasm3 is behind the `wasm3` feature (it needs libclang to build, see `benches/Cargo.toml`):
//! `cargo xtask bench-compare` runs this bench with it and writes BENCHMARKS.md. Without the
//! feature only fayasm and wasmi run. Pass a criterion filter to select kernels, e.g.
//! `cargo bench -p fayasm-benches --bench compare -- call-fib`.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, criterion_group, criterion_main};
use std::fmt::Debug;
use std::hint::black_box;
use xtask::manifest::{Expect, Manifest};
use xtask::value::TypedValue;

/// One kernel at bench scale.
struct Kernel {
    /// `fib` for `kernel_fib.wasm` / `bench_fib`.
    name: String,
    export: String,
    scale: i32,
    expected: TypedValue,
    bytes: Vec<u8>,
}

/// The module of the SIMD kernels.
const SIMD_FILE: &str = "simd_kernels.wasm";

/// The kernels of bench.toml: the C kernels (`simd == false`) or the SIMD kernels.
fn kernels(simd: bool) -> Vec<Kernel> {
    let samples = xtask::samples_dir();
    let path = samples.join("bench.toml");
    let bench = Manifest::load(&path).unwrap_or_else(|e| panic!("{e}"));
    bench
        .cases
        .iter()
        .filter(|case| (case.file == SIMD_FILE) == simd)
        .map(|case| {
            let at = format!("{}:{}", path.display(), case.line);
            let name = if simd {
                case.export.strip_prefix("bench_simd_")
            } else {
                case.file.strip_prefix("kernel_").and_then(|f| f.strip_suffix(".wasm"))
            }
            .unwrap_or_else(|| {
                panic!(
                    "{at}: `{} {}` is neither a kernel_*.wasm nor a bench_simd_*",
                    case.file, case.export
                )
            })
            .to_string();
            let scale = match case.typed_args().unwrap_or_else(|e| panic!("{at}: {e}")).as_slice() {
                [TypedValue::I32(s)] => *s,
                other => panic!("{at}: a kernel takes one i32 scale, not {other:?}"),
            };
            let expected = match &case.expect {
                Expect::Results(r) if r.len() == 1 => {
                    TypedValue::parse(&r[0]).unwrap_or_else(|e| panic!("{at}: {e}"))
                }
                _ => panic!("{at}: no single result; run `cargo xtask fixtures`"),
            };
            let file = samples.join("build").join(&case.file);
            let bytes = std::fs::read(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            Kernel { name, export: case.export.clone(), scale, expected, bytes }
        })
        .collect()
}

/// What wasm3 needs of a result type (nothing without the feature).
#[cfg(feature = "wasm3")]
trait Wasm3Result: wasm3::WasmType {}
#[cfg(feature = "wasm3")]
impl<T: wasm3::WasmType> Wasm3Result for T {}
#[cfg(not(feature = "wasm3"))]
trait Wasm3Result {}
#[cfg(not(feature = "wasm3"))]
impl<T> Wasm3Result for T {}

/// A kernel's checksum type: `i32` or `i64`, a result type of every engine.
trait Checksum:
    Copy
    + PartialEq
    + Debug
    + fayasm_exec::WasmResults
    + wasmi::WasmResults
    + wasmi::WasmTy
    + Wasm3Result
    + 'static
{
}
impl Checksum for i32 {}
impl Checksum for i64 {}

fn group<'a>(c: &'a mut Criterion, name: String) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    // Calls take 50-500 ms: ten samples of equal iteration counts instead of criterion's
    // linear ramp (which would need 55 iterations per sample set).
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g
}

fn check<R: Checksum>(engine: &str, k: &Kernel, got: R, want: R) {
    assert_eq!(
        got, want,
        "{engine}: {}({}) returned {got:?}, the native build {want:?}",
        k.export, k.scale
    );
}

/// A fresh store, instance and typed export `export` of `bytes` (a module without imports).
fn fayasm_instance<R: Checksum>(
    engine: &fayasm_exec::Engine,
    bytes: &[u8],
    export: &str,
) -> (fayasm_exec::Store<()>, fayasm_exec::TypedFunc<i32, R>) {
    let module = fayasm_exec::Module::new(engine, bytes).expect("fayasm: module");
    let mut store = fayasm_exec::Store::new(engine, ());
    let instance =
        fayasm_exec::Linker::new(engine).instantiate(&mut store, &module).expect("fayasm: link");
    let f = instance.get_typed_func::<i32, R>(&store, export).expect("fayasm: export");
    (store, f)
}

/// As [`fayasm_instance`], on wasmi.
fn wasmi_instance<R: Checksum>(
    engine: &wasmi::Engine,
    bytes: &[u8],
    export: &str,
) -> (wasmi::Store<()>, wasmi::TypedFunc<i32, R>) {
    let module = wasmi::Module::new(engine, bytes).expect("wasmi: module");
    let mut store = wasmi::Store::new(engine, ());
    let instance = wasmi::Linker::<()>::new(engine)
        .instantiate_and_start(&mut store, &module)
        .expect("wasmi: link");
    let f = instance.get_typed_func::<i32, R>(&store, export).expect("wasmi: export");
    (store, f)
}

/// wasm3's stack in bytes (its C default is 64 KiB; the kernels recurse at most ~40 deep).
#[cfg(feature = "wasm3")]
const WASM3_STACK: u32 = 1 << 20;

#[cfg(feature = "wasm3")]
fn wasm3_runtime(env: &wasm3::Environment, bytes: &[u8]) -> wasm3::Runtime {
    let rt = env.create_runtime(WASM3_STACK).expect("wasm3: runtime");
    rt.parse_and_load_module(bytes.to_vec()).expect("wasm3: module");
    rt
}

/// Load + instantiate of `bytes` in group `name` on every engine, looking up the `(i32) -> R`
/// function `export` (lazy modes, engines created once; see the module docs).
fn bench_load<R: Checksum>(c: &mut Criterion, name: String, bytes: &[u8], export: &str) {
    let fayasm_lazy = fayasm_exec::Engine::new(
        fayasm_exec::Config::new().compilation_mode(fayasm_exec::CompilationMode::Lazy),
    );
    let wasmi_lazy = wasmi::Engine::default();
    #[cfg(feature = "wasm3")]
    let wasm3_env = wasm3::Environment::new().expect("wasm3: environment");

    // wasm3 0.3 predates some of the 2.0 binary format (the data count section, for one), so
    // a fixture it cannot parse gets no wasm3 time rather than failing the whole run.
    #[cfg(feature = "wasm3")]
    let wasm3_loads = {
        let probe = wasm3_env.create_runtime(WASM3_STACK).expect("wasm3: runtime");
        let loaded = probe.parse_and_load_module(bytes.to_vec()).map(|_| ());
        if let Err(e) = &loaded {
            eprintln!("note: wasm3 cannot load the module of `{name}` ({e}); it gets no time");
        }
        loaded.is_ok()
    };
    let mut g = group(c, name);
    g.bench_function("fayasm", |b| {
        b.iter(|| fayasm_instance::<R>(&fayasm_lazy, black_box(bytes), export))
    });
    g.bench_function("wasmi", |b| {
        b.iter(|| wasmi_instance::<R>(&wasmi_lazy, black_box(bytes), export))
    });
    #[cfg(feature = "wasm3")]
    if wasm3_loads {
        g.bench_function("wasm3", |b| {
            b.iter(|| {
                let rt = wasm3_runtime(&wasm3_env, black_box(bytes));
                // Looking the export up compiles it (wasm3 compiles functions on first use).
                rt.find_function::<i32, R>(export).map(|_| ()).expect("wasm3: export");
                rt
            })
        });
    }
    g.finish();
}

/// `load-largest`: the largest module of `wasm_samples/build/`, looking up its first exported
/// `(i32) -> (i32)` function. Fixtures have no imports (the fixtures test checks that).
fn bench_largest(c: &mut Criterion) {
    use xtask::wasm::ValType;
    let (file, bytes) =
        xtask::fixture::largest_module(&xtask::samples_dir()).unwrap_or_else(|e| panic!("{e}"));
    let summary = xtask::wasm::summarize(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(
        summary.imports.is_empty(),
        "{file}: a fixture must not import anything, this one imports {:?}",
        summary.imports
    );
    let export = summary
        .func_exports
        .iter()
        .find(|(_, sig)| sig.params == [ValType::I32] && sig.results == [ValType::I32])
        .map(|(name, _)| name.clone())
        .unwrap_or_else(|| panic!("{file}: no exported (i32) -> (i32) function to look up"));
    bench_load::<i32>(c, "load-largest".into(), &bytes, &export);
}

fn bench_kernel<R: Checksum>(c: &mut Criterion, k: &Kernel, want: R) {
    let fayasm_lazy = fayasm_exec::Engine::new(
        fayasm_exec::Config::new().compilation_mode(fayasm_exec::CompilationMode::Lazy),
    );
    let fayasm_eager = fayasm_exec::Engine::new(
        fayasm_exec::Config::new().compilation_mode(fayasm_exec::CompilationMode::Eager),
    );
    let wasmi_lazy = wasmi::Engine::default();
    let wasmi_eager = wasmi::Engine::new(
        wasmi::Config::default().compilation_mode(wasmi::CompilationMode::Eager),
    );
    #[cfg(feature = "wasm3")]
    let wasm3_env = wasm3::Environment::new().expect("wasm3: environment");

    let mut g = group(c, format!("call-{}", k.name));
    bench_fayasm_and_wasmi_calls(&mut g, k, want, &fayasm_lazy, &wasmi_lazy);
    #[cfg(feature = "wasm3")]
    {
        let rt = wasm3_runtime(&wasm3_env, &k.bytes);
        let f = rt.find_function::<i32, R>(&k.export).expect("wasm3: export");
        check("wasm3", k, f.call(k.scale).expect("wasm3: call"), want);
        g.bench_function("wasm3", |b| b.iter(|| f.call(black_box(k.scale)).expect("wasm3: call")));
    }
    g.finish();

    bench_load::<R>(c, format!("load-{}", k.name), &k.bytes, &k.export);

    let mut g = group(c, format!("translate-{}", k.name));
    g.bench_function("fayasm-eager", |b| {
        b.iter(|| fayasm_exec::Module::new(&fayasm_eager, black_box(&k.bytes)).expect("fayasm"))
    });
    g.bench_function("wasmi-eager", |b| {
        b.iter(|| wasmi::Module::new(&wasmi_eager, black_box(&k.bytes)).expect("wasmi"))
    });
    g.finish();
}

/// The `fayasm` and `wasmi` benchmarks of group `g`: one call of `k`'s export at its scale on
/// an instance of each engine created once, after checking the result against `want`.
fn bench_fayasm_and_wasmi_calls<R: Checksum>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    k: &Kernel,
    want: R,
    fayasm: &fayasm_exec::Engine,
    wasmi: &wasmi::Engine,
) {
    {
        let (mut store, f) = fayasm_instance::<R>(fayasm, &k.bytes, &k.export);
        check("fayasm", k, f.call(&mut store, k.scale).expect("fayasm: call"), want);
        g.bench_function("fayasm", |b| {
            b.iter(|| f.call(&mut store, black_box(k.scale)).expect("fayasm: call"))
        });
    }
    {
        let (mut store, f) = wasmi_instance::<R>(wasmi, &k.bytes, &k.export);
        check("wasmi", k, f.call(&mut store, k.scale).expect("wasmi: call"), want);
        g.bench_function("wasmi", |b| {
            b.iter(|| f.call(&mut store, black_box(k.scale)).expect("wasmi: call"))
        });
    }
}

/// `simd-K`: one call of `bench_simd_K(scale)` on fayasm and on wasmi (built with its `simd`
/// feature), on instances created once (lazy translation).
fn bench_simd<R: Checksum>(c: &mut Criterion, k: &Kernel, want: R) {
    let fayasm_lazy = fayasm_exec::Engine::new(
        fayasm_exec::Config::new().compilation_mode(fayasm_exec::CompilationMode::Lazy),
    );
    let wasmi_lazy = wasmi::Engine::default();
    let mut g = group(c, format!("simd-{}", k.name));
    bench_fayasm_and_wasmi_calls(&mut g, k, want, &fayasm_lazy, &wasmi_lazy);
    g.finish();
}

/// Which groups `FAYASM_COMPARE_GROUPS` selects: (C kernels, SIMD kernels).
fn selected_groups() -> (bool, bool) {
    match std::env::var("FAYASM_COMPARE_GROUPS").as_deref() {
        Ok("kernels") => (true, false),
        Ok("simd") => (false, true),
        Ok("") | Err(_) => (true, true),
        Ok(other) => panic!("FAYASM_COMPARE_GROUPS={other}: expected kernels or simd"),
    }
}

fn compare(c: &mut Criterion) {
    let (c_kernels, simd) = selected_groups();
    if c_kernels {
        for k in kernels(false) {
            match k.expected {
                TypedValue::I32(want) => bench_kernel::<i32>(c, &k, want),
                TypedValue::I64(want) => bench_kernel::<i64>(c, &k, want),
                ref other => panic!("bench_{}: unsupported checksum type {other:?}", k.name),
            }
        }
        bench_largest(c);
    }
    if simd {
        for k in kernels(true) {
            match k.expected {
                TypedValue::I32(want) => bench_simd::<i32>(c, &k, want),
                TypedValue::I64(want) => bench_simd::<i64>(c, &k, want),
                ref other => panic!("{}: unsupported checksum type {other:?}", k.export),
            }
        }
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
