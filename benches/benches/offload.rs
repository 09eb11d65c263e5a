//! Offload benchmarks: spilling a linear memory to a spill store and loading it back, and
//! snapshotting and restoring a fixture's instance.
//!
//! * `offload/spill/{mem,dir}/{64KiB,1MiB,16MiB}`: `Memory::spill` of a resident memory of
//!   that size into a `MemStore` or a `DirStore` (one slot ring in a temp directory, each
//!   write fsynced); the load back between iterations is not timed.
//! * `offload/load/...`: `Memory::ensure_loaded` of the spilled memory (the blob is read,
//!   checked against its envelope and CRC, and becomes the memory); the spill is not timed.
//! * `offload/snapshot/kernel_hashmap` and `offload/restore/kernel_hashmap`: the instance after
//!   one `bench_hashmap(1)` call (two pages of memory), saved with `Instance::snapshot` and
//!   restored into a fresh store with `Linker::instantiate_restored`.
//! * `offload/code/{relower,reload}/kernel_parse`: the largest function of `kernel_parse`
//!   lowered again from the wasm bytes (`code_cache::lower`) vs loaded back from its spill
//!   blob (`code_cache::reload_blob`: envelope and CRC, checked decoder, index check, link).
//! * `offload/code/budget/kernel_parse/{unlimited,100%,25%,10%}`: `bench_parse(1)` with a code
//!   budget of that share of the module's total microcode (MemStore as spill store), in one
//!   store that stays warm between iterations.
//! * `offload/code/start/kernel_parse/{cold,warm}`: module, store and instantiation with eager
//!   lowering (a prescan of every function) under a 25% budget with a `DirStore`: with an
//!   empty directory every function is lowered and those that do not fit are written (each
//!   write fsynced); with a directory a previous run filled they are reloaded instead.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fayasm_exec::{
    BoxedSpillStore, Config, Engine, Linker, MemStore, Memory, Module, Store, code_cache,
};
use fayasm_offload::DirStore;
use std::time::{Duration, Instant};

const SIZES: [(&str, u64); 3] = [("64KiB", 1), ("1MiB", 16), ("16MiB", 256)];

fn memory_instance(engine: &Engine, pages: u64, spill: BoxedSpillStore) -> (Store<()>, Memory) {
    let wat = format!(r#"(module (memory (export "mem") {pages}))"#);
    let module = Module::new(engine, &wat::parse_str(&wat).expect("WAT")).expect("module");
    let mut store = Store::new(engine, ());
    store.attach_spill_store(spill);
    let inst = Linker::new(engine).instantiate(&mut store, &module).expect("instantiate");
    let mem = inst.get_memory(&store, "mem").expect("memory");
    // Non-zero contents, so nothing benefits from zero pages.
    for (i, b) in mem.data_mut(&mut store).iter_mut().enumerate() {
        *b = (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3];
    }
    (store, mem)
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("fayasm-bench-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

fn spill_load(c: &mut Criterion) {
    let engine = Engine::default();
    let mut group = c.benchmark_group("offload");
    group.sample_size(10);
    let dir = temp_dir("spill");
    for (backend, make) in [
        ("mem", &(|| Box::new(MemStore::new()) as BoxedSpillStore) as &dyn Fn() -> BoxedSpillStore),
        ("dir", &|| Box::new(DirStore::open(&dir, 2).expect("open the bench directory"))),
    ] {
        for (label, pages) in SIZES {
            group.throughput(Throughput::Bytes(pages * 65536));
            let (mut store, mem) = memory_instance(&engine, pages, make());
            group.bench_function(format!("spill/{backend}/{label}"), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let t = Instant::now();
                        mem.spill(&mut store).expect("spill");
                        total += t.elapsed();
                        mem.ensure_loaded(&mut store).expect("load");
                    }
                    total
                })
            });
            group.bench_function(format!("load/{backend}/{label}"), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        mem.spill(&mut store).expect("spill");
                        let t = Instant::now();
                        mem.ensure_loaded(&mut store).expect("load");
                        total += t.elapsed();
                    }
                    total
                })
            });
        }
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn snapshot_restore(c: &mut Criterion) {
    let engine = Engine::default();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../wasm_samples/build/kernel_hashmap.wasm");
    let module = Module::new(&engine, &std::fs::read(path).expect("fixture")).expect("module");
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    let run = inst.get_typed_func::<i32, i32>(&store, "bench_hashmap").expect("bench_hashmap");
    let expected = run.call(&mut store, 1).expect("run");
    let blob = inst.snapshot(&mut store).expect("snapshot");

    let mut group = c.benchmark_group("offload");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(blob.len() as u64));
    group.bench_function("snapshot/kernel_hashmap", |b| {
        b.iter(|| inst.snapshot(&mut store).expect("snapshot"))
    });
    group.bench_function("restore/kernel_hashmap", |b| {
        b.iter(|| {
            let mut s = Store::new(&engine, ());
            Linker::new(&engine).instantiate_restored(&mut s, &module, &blob).expect("restore")
        })
    });
    group.finish();
    // The restored instance continues correctly.
    let mut s = Store::new(&engine, ());
    let inst = Linker::new(&engine).instantiate_restored(&mut s, &module, &blob).expect("restore");
    let run = inst.get_typed_func::<i32, i32>(&s, "bench_hashmap").expect("bench_hashmap");
    assert_eq!(run.call(&mut s, 1).expect("run"), expected);
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../wasm_samples/build/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Creates the module, a store over `spill` and an instance under `config` (the start of a
/// run); returns the code cache's reloads.
fn start(config: &Config, bytes: &[u8], spill: BoxedSpillStore) -> u64 {
    let engine = Engine::new(config);
    let module = Module::new(&engine, bytes).expect("module");
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(spill);
    Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    store.code_cache_stats().reloads
}

/// Calls `bench_parse(1)` in a fresh store over `spill` under `config`; returns the result.
fn parse_once(config: &Config, bytes: &[u8], spill: BoxedSpillStore) -> i32 {
    let engine = Engine::new(config);
    let module = Module::new(&engine, bytes).expect("module");
    let mut store = Store::new(&engine, ());
    store.attach_spill_store(spill);
    let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
    let run = inst.get_typed_func::<i32, i32>(&store, "bench_parse").expect("bench_parse");
    run.call(&mut store, 1).expect("run")
}

fn code(c: &mut Criterion) {
    let bytes = fixture("kernel_parse.wasm");
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).expect("module");
    let defs = module.info().bodies.len() as u32;
    let lowered: Vec<_> =
        (0..defs).map(|d| code_cache::lower(&module, d).expect("lower")).collect();
    let total: usize = lowered.iter().map(|c| c.len() * size_of::<fayasm_ir::Op>()).sum();
    let (def, largest) =
        lowered.iter().enumerate().max_by_key(|(_, c)| c.len()).expect("a function");
    let def = def as u32;
    let blob = code_cache::spill_blob(&module, def, largest);
    assert_eq!(&code_cache::reload_blob(&module, def, &blob).expect("reload"), largest);
    println!(
        "kernel_parse: {defs} functions, {total} bytes of microcode; the largest, {def}, has {} instructions, a {}-byte blob",
        largest.len(),
        blob.len()
    );

    let mut group = c.benchmark_group("offload");
    group.bench_function("code/relower/kernel_parse", |b| {
        b.iter(|| code_cache::lower(&module, def).expect("lower"))
    });
    group.bench_function("code/reload/kernel_parse", |b| {
        b.iter(|| code_cache::reload_blob(&module, def, &blob).expect("reload"))
    });

    let expected = parse_once(&Config::new(), &bytes, Box::new(MemStore::new()));
    for (label, budget) in [
        ("unlimited", None),
        ("100%", Some(total)),
        ("25%", Some(total / 4)),
        ("10%", Some(total / 10)),
    ] {
        let mut config = Config::new();
        config.code_budget(budget);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, &bytes).expect("module");
        let mut store = Store::new(&engine, ());
        store.attach_spill_store(Box::new(MemStore::new()));
        let inst = Linker::new(&engine).instantiate(&mut store, &module).expect("instantiate");
        let run = inst.get_typed_func::<i32, i32>(&store, "bench_parse").expect("bench_parse");
        assert_eq!(run.call(&mut store, 1).expect("run"), expected);
        group.bench_function(format!("code/budget/kernel_parse/{label}"), |b| {
            b.iter(|| run.call(&mut store, 1).expect("run"))
        });
        let s = store.code_cache_stats();
        println!(
            "kernel_parse at {label}: evictions {}, spills {}, reloads {}, relowers {}",
            s.evictions, s.spills, s.reloads, s.relowers
        );
    }

    let mut config = Config::new();
    config.code_budget(Some(total / 4)).compilation_mode(fayasm_exec::CompilationMode::Eager);
    let dir = temp_dir("code-start");
    let open = || Box::new(DirStore::open(&dir, 1).expect("open the bench directory"));
    group.bench_function("code/start/kernel_parse/cold", |b| {
        b.iter_custom(|iters| {
            let mut time = Duration::ZERO;
            for _ in 0..iters {
                let _ = std::fs::remove_dir_all(&dir);
                let t = Instant::now();
                assert_eq!(start(&config, &bytes, open()), 0);
                time += t.elapsed();
            }
            time
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
    start(&config, &bytes, open());
    assert_eq!(parse_once(&config, &bytes, open()), expected);
    group.bench_function("code/start/kernel_parse/warm", |b| {
        b.iter(|| assert!(start(&config, &bytes, open()) > 0))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, spill_load, snapshot_restore, code);
criterion_main!(benches);
