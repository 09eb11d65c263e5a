//! Execution and lowering benchmarks.
//!
//! * `exec/fib_recursive`: recursive `fib(25)`, dominated by calls and returns.
//! * `exec/sum_squares`: a loop of 10^6 iterations over locals, dominated by simple
//!   arithmetic and branches.
//! * `lower/*`: `Module::new` in eager mode (decode, validate and lower every function) of the
//!   same modules.

use criterion::{Criterion, criterion_group, criterion_main};
use fayasm_benches::{
    FIB_N, FIB_WAT, SUM_SQUARES_N, SUM_SQUARES_WAT, engine, fib_reference, instantiate,
    sum_squares_reference,
};
use fayasm_exec::{CompilationMode, Module};
use std::hint::black_box;

fn wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("benchmark WAT compiles")
}

fn exec(c: &mut Criterion) {
    let engine = engine(CompilationMode::Lazy);
    let mut group = c.benchmark_group("exec");
    group.sample_size(20);

    let (mut store, instance) = instantiate(&engine, &wasm(FIB_WAT)).expect("instantiate fib");
    let fib = instance.get_typed_func::<i32, i32>(&store, "fib").expect("fib: (i32) -> i32");
    assert_eq!(fib.call(&mut store, FIB_N).expect("fib runs"), fib_reference(FIB_N));
    group.bench_function("fib_recursive", |b| {
        b.iter(|| fib.call(&mut store, black_box(FIB_N)).expect("fib runs"))
    });

    let (mut store, instance) =
        instantiate(&engine, &wasm(SUM_SQUARES_WAT)).expect("instantiate sum_squares");
    let sum = instance
        .get_typed_func::<i32, i64>(&store, "sum_squares")
        .expect("sum_squares: (i32) -> i64");
    assert_eq!(
        sum.call(&mut store, SUM_SQUARES_N).expect("sum_squares runs"),
        sum_squares_reference(SUM_SQUARES_N)
    );
    group.bench_function("sum_squares", |b| {
        b.iter(|| sum.call(&mut store, black_box(SUM_SQUARES_N)).expect("sum_squares runs"))
    });
    group.finish();
}

fn lower(c: &mut Criterion) {
    let engine = engine(CompilationMode::Eager);
    let mut group = c.benchmark_group("lower");
    for (name, wat) in [("fib", FIB_WAT), ("sum_squares", SUM_SQUARES_WAT)] {
        let bytes = wasm(wat);
        group.bench_function(name, |b| {
            b.iter(|| Module::new(&engine, black_box(&bytes)).expect("module lowers"))
        });
    }
    group.finish();
}

criterion_group!(benches, exec, lower);
criterion_main!(benches);
