//! The cost of a host call: a wasm loop calling a trivial host function (`env.add`, one i32
//! addition) 100,000 times, on fayasm and on wasmi 2, both with the function defined as a
//! typed closure through their `Linker::func_wrap`. The group `host_call` has one bench per
//! engine; their ratio is what BENCHMARKS.md records.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const CALLS: i32 = 100_000;

const WAT: &str = r#"(module
    (import "env" "add" (func $add (param i32 i32) (result i32)))
    (func (export "run") (param $n i32) (result i32)
      (local $i i32) (local $acc i32)
      (loop $l
        (local.set $acc (call $add (local.get $acc) (local.get $i)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                            (local.get $n))))
      local.get $acc))"#;

/// What `run(n)` returns: the wrapping sum 0 + 1 + ... + (n - 1).
fn reference(n: i32) -> i32 {
    (0..n).fold(0i32, |acc, i| acc.wrapping_add(i))
}

fn host_call(c: &mut Criterion) {
    let wasm = wat::parse_str(WAT).expect("benchmark WAT compiles");
    let mut group = c.benchmark_group("host_call");
    group.sample_size(20);

    let engine = fayasm_exec::Engine::default();
    let module = fayasm_exec::Module::new(&engine, &wasm).expect("fayasm loads the module");
    let mut linker = fayasm_exec::Linker::<()>::new(&engine);
    linker.func_wrap("env", "add", |a: i32, b: i32| a.wrapping_add(b)).expect("one definition");
    let mut store = fayasm_exec::Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).expect("fayasm instantiates");
    let run = instance.get_typed_func::<i32, i32>(&store, "run").expect("run: (i32) -> i32");
    assert_eq!(run.call(&mut store, CALLS).expect("fayasm runs"), reference(CALLS));
    group.bench_function("fayasm", |b| {
        b.iter(|| run.call(&mut store, black_box(CALLS)).expect("fayasm runs"))
    });

    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, &wasm).expect("wasmi loads the module");
    let mut linker = wasmi::Linker::<()>::new(&engine);
    linker.func_wrap("env", "add", |a: i32, b: i32| a.wrapping_add(b)).expect("one definition");
    let mut store = wasmi::Store::new(&engine, ());
    let instance = linker.instantiate_and_start(&mut store, &module).expect("wasmi instantiates");
    let run = instance.get_typed_func::<i32, i32>(&store, "run").expect("run: (i32) -> i32");
    assert_eq!(run.call(&mut store, CALLS).expect("wasmi runs"), reference(CALLS));
    group.bench_function("wasmi", |b| {
        b.iter(|| run.call(&mut store, black_box(CALLS)).expect("wasmi runs"))
    });
    group.finish();
}

criterion_group!(benches, host_call);
criterion_main!(benches);
