// Benchmark kernel: table-driven CRC-32 (IEEE, reflected) over a 32 KiB buffer, `scale` times;
// each round's CRC is written back into the buffer. Dominated by byte loads, table lookups and
// shifts. The table is built at run time on each call.
#include "fayasm_sample.h"

#define BUF_LEN 32768u

static uint8_t buffer[BUF_LEN];
static uint32_t table[256];

static void build_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int32_t k = 0; k < 8; k++) c = (c & 1u) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

NOINLINE static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t len) {
    crc = ~crc;
    for (uint32_t i = 0; i < len; i++) crc = table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

EXPORT("bench_crc32") int32_t bench_crc32(int32_t scale) {
    build_table();
    uint32_t x = 2463534242u;
    for (uint32_t i = 0; i < BUF_LEN; i++) {
        x = x * 1664525u + 1013904223u;
        buffer[i] = (uint8_t)(x >> 23);
    }
    uint32_t crc = 0;
    for (int32_t r = 0; r < scale; r++) {
        crc = crc32(crc, buffer, BUF_LEN);
        buffer[(uint32_t)r % BUF_LEN] ^= (uint8_t)crc;
    }
    return (int32_t)crc;
}

#ifndef __wasm__
/* crc32("123456789") == 0xcbf43926, for checking the kernel natively (not an export). */
int32_t kernel_crc32_selftest(void) {
    build_table();
    return crc32(0, (const uint8_t *)"123456789", 9) == 0xcbf43926u;
}
#endif
