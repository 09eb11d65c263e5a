//! Shared pieces of fayasm's benchmarks: the WAT sources of the benchmark kernels and helpers
//! that set up engines and instances through the public embedding API of `fayasm-exec`.
//!
//! The benchmarks themselves live in `benches/` (criterion, `harness = false`); this crate has
//! no other users and is never published.

use fayasm_exec::{CompilationMode, Config, Engine, Error, Instance, Linker, Module, Store};

/// Recursive Fibonacci: `fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)`. Measures calls and
/// returns.
pub const FIB_WAT: &str = r#"(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2))))))))"#;

/// A tight loop over locals: the sum of `i * i` for `i < n`, in 64-bit arithmetic. Measures
/// the dispatch of simple arithmetic, local accesses and a backward branch.
pub const SUM_SQUARES_WAT: &str = r#"(module
  (func (export "sum_squares") (param $n i32) (result i64)
    (local $i i32) (local $wide i64) (local $acc i64)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $wide (i64.extend_i32_u (local.get $i)))
        (local.set $acc (i64.add (local.get $acc) (i64.mul (local.get $wide) (local.get $wide))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc)))"#;

/// The argument of the `fib` benchmark.
pub const FIB_N: i32 = 25;
/// The iteration count of the `sum_squares` benchmark.
pub const SUM_SQUARES_N: i32 = 1_000_000;

/// `fib(n)` computed natively, to check the interpreter's answer.
pub fn fib_reference(n: i32) -> i32 {
    let (mut a, mut b) = (0i32, 1i32);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

/// The sum of `i * i` for `0 <= i < n`, computed natively (closed form).
pub fn sum_squares_reference(n: i32) -> i64 {
    let n = i128::from(n.max(0));
    (n * (n - 1) * (2 * n - 1) / 6) as i64
}

/// An engine with the given compilation mode.
pub fn engine(mode: CompilationMode) -> Engine {
    Engine::new(Config::new().compilation_mode(mode))
}

/// Decodes `wasm` and instantiates it without imports in a fresh store.
pub fn instantiate(engine: &Engine, wasm: &[u8]) -> Result<(Store<()>, Instance), Error> {
    let module = Module::new(engine, wasm)?;
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, &module)?;
    Ok((store, instance))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(fib_reference(10), 55);
        assert_eq!(fib_reference(25), 75025);
        assert_eq!(sum_squares_reference(4), 14);
        assert_eq!(sum_squares_reference(SUM_SQUARES_N), 333_332_833_333_500_000);
    }

    #[test]
    fn kernels_compute_what_the_benchmarks_expect() -> Result<(), Error> {
        for mode in [CompilationMode::Lazy, CompilationMode::Eager] {
            let engine = engine(mode);
            let fib = wat::parse_str(FIB_WAT).expect("FIB_WAT compiles");
            let (mut store, instance) = instantiate(&engine, &fib)?;
            let f = instance.get_typed_func::<i32, i32>(&store, "fib")?;
            for n in [0, 1, 2, 10, 20] {
                assert_eq!(f.call(&mut store, n)?, fib_reference(n));
            }
            let sum = wat::parse_str(SUM_SQUARES_WAT).expect("SUM_SQUARES_WAT compiles");
            let (mut store, instance) = instantiate(&engine, &sum)?;
            let f = instance.get_typed_func::<i32, i64>(&store, "sum_squares")?;
            for n in [0, 1, 4, 1000] {
                assert_eq!(f.call(&mut store, n)?, sum_squares_reference(n));
            }
        }
        Ok(())
    }
}
