// Benchmark kernel: 64-bit integer arithmetic: xorshift64, multiply, unsigned division,
// signed remainder, rotates, popcount and count-leading-zeros, `scale` iterations. Returns the
// 64-bit accumulator.
#include "fayasm_sample.h"

static inline uint64_t rotl64(uint64_t x, uint32_t n) { return (x << n) | (x >> (64u - n)); }

EXPORT("bench_i64") int64_t bench_i64(int32_t scale) {
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint64_t acc = 0x0123456789abcdefull;
    for (int32_t i = 0; i < scale; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t m = x * 0x2545f4914f6cdd1dull;
        acc += m / ((x >> 40) | 1u);
        acc ^= (uint64_t)((int64_t)m % 1000003);
        acc = rotl64(acc, 5) + (uint64_t)__builtin_popcountll(m) + (uint64_t)__builtin_clzll(x | 1u);
        acc -= (uint64_t)((int64_t)acc >> 3);
    }
    return (int64_t)acc;
}
