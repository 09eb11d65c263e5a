// Benchmark kernel: the sieve of Eratosthenes over a 32 KiB byte array, `scale` times with a
// slightly different limit each round. Dominated by byte loads/stores and short loops.
#include "fayasm_sample.h"

#define SIEVE_N 32768u

static uint8_t composite[SIEVE_N];

NOINLINE static uint32_t count_primes(uint32_t limit) {
    for (uint32_t i = 0; i < limit; i++) composite[i] = 0;
    uint32_t count = 0;
    for (uint32_t i = 2; i < limit; i++) {
        if (composite[i]) continue;
        count++;
        for (uint32_t j = i * i; j < limit; j += i) composite[j] = 1;
    }
    return count;
}

EXPORT("bench_sieve") int32_t bench_sieve(int32_t scale) {
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        uint32_t limit = SIEVE_N - ((uint32_t)r & 1023u);
        checksum = checksum * 31u + count_primes(limit);
    }
    return (int32_t)checksum;
}
