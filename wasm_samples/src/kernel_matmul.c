// Benchmark kernel: dense f64 matrix multiply (40x40), `scale` times, perturbing one input
// element per round. Dominated by f64 loads, multiplies and adds. Returns the bits of an f64
// accumulator (-ffp-contract=off keeps the native oracle bit-identical).
#include "fayasm_sample.h"

#define N 40

static double a[N * N], b[N * N], c[N * N];

NOINLINE static void multiply(void) {
    for (int32_t i = 0; i < N; i++) {
        for (int32_t j = 0; j < N; j++) {
            double s = 0.0;
            for (int32_t k = 0; k < N; k++) s += a[i * N + k] * b[k * N + j];
            c[i * N + j] = s;
        }
    }
}

EXPORT("bench_matmul") int64_t bench_matmul(int32_t scale) {
    for (int32_t i = 0; i < N * N; i++) {
        a[i] = (double)((i * 7) % 13) * 0.25 - 1.5;
        b[i] = (double)((i * 5) % 11) * 0.125 + 0.5;
    }
    double acc = 0.0;
    for (int32_t r = 0; r < scale; r++) {
        multiply();
        double trace = 0.0;
        for (int32_t i = 0; i < N; i++) trace += c[i * N + i];
        acc = acc * 0.5 + trace + c[(r * 17) % (N * N)];
        b[(r * 31) % (N * N)] += 0.0625;
    }
    union { double f; int64_t i; } bits = {acc};
    return bits.i;
}
