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

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fayasm_exec::{BoxedSpillStore, Engine, Linker, MemStore, Memory, Module, Store};
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

criterion_group!(benches, spill_load, snapshot_restore);
criterion_main!(benches);
