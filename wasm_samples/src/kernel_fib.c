// Benchmark kernel: naive recursive Fibonacci. Dominated by calls, returns and small frames.
// `bench_fib(n)` returns fib(n) (wrapping); n is the scale.
#include "fayasm_sample.h"

NOINLINE static int32_t fib(int32_t n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

EXPORT("bench_fib") int32_t bench_fib(int32_t scale) { return fib(scale); }
