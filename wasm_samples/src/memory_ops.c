// Linear memory: sorting a static array, data-segment lookup tables, loads and stores of
// every width, and memcpy/memset/memmove lowered to memory.copy/memory.fill (built with
// -mbulk-memory, see memory_ops.flags).
#include "fayasm_sample.h"

#define N 256
static int32_t numbers[N];
static uint8_t bytes_a[1024];
static uint8_t bytes_b[1024];

/* Initialised data: lands in a data segment. */
static const int32_t primes[16] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
static const char greeting[] = "Hello from fayasm's memory_ops fixture!";
static int32_t mutable_table[8] = {10, 20, 30, 40, 50, 60, 70, 80};

NOINLINE static void fill_lcg(int32_t *dst, int32_t n, uint32_t seed) {
    for (int32_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        dst[i] = (int32_t)(seed >> 8) % 100000 - 50000;
    }
}

NOINLINE static void quicksort(int32_t *a, int32_t lo, int32_t hi) {
    while (lo < hi) {
        int32_t pivot = a[lo + (hi - lo) / 2], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* Sorts n (<= 256) pseudo-random numbers, then returns a position-weighted checksum, or -1
 * if the result is not sorted. */
EXPORT("sample_sort_checksum") int32_t sample_sort_checksum(int32_t n, int32_t seed) {
    if (n < 0 || n > N) return -2;
    fill_lcg(numbers, n, (uint32_t)seed);
    quicksort(numbers, 0, n - 1);
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++) {
        if (i > 0 && numbers[i - 1] > numbers[i]) return -1;
        sum = sum * 31u + (uint32_t)numbers[i];
    }
    return (int32_t)sum;
}

/* The k-th smallest of the sorted numbers. */
EXPORT("sample_sorted_nth") int32_t sample_sorted_nth(int32_t n, int32_t seed, int32_t k) {
    if (n <= 0 || n > N || k < 0 || k >= n) return -1;
    fill_lcg(numbers, n, (uint32_t)seed);
    quicksort(numbers, 0, n - 1);
    return numbers[k];
}

EXPORT("sample_prime_lookup") int32_t sample_prime_lookup(int32_t i) { return primes[(uint32_t)i & 15u]; }

EXPORT("sample_greeting_hash") uint32_t sample_greeting_hash(void) {
    uint32_t h = 2166136261u;
    for (const char *p = greeting; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

EXPORT("sample_greeting_char") int32_t sample_greeting_char(int32_t i) {
    return (i >= 0 && i < (int32_t)sizeof greeting) ? greeting[i] : -1;
}

/* Read-modify-write of an initialised mutable table. */
EXPORT("sample_table_update") int32_t sample_table_update(int32_t idx, int32_t delta) {
    mutable_table[idx & 7] += delta;
    int32_t sum = 0;
    for (int32_t i = 0; i < 8; i++) sum += mutable_table[i] * (i + 1);
    return sum;
}

/* CRC-32 (IEEE) over the bytes 0..n-1, with a table built at run time in memory. */
static uint32_t crc_table[256];
EXPORT("sample_crc32") uint32_t sample_crc32(int32_t n) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (int32_t i = 0; i < n; i++) crc = crc_table[(crc ^ (uint32_t)i) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

/* memory.fill then count. */
EXPORT("sample_memset_count") int32_t sample_memset_count(int32_t value, int32_t offset, int32_t len) {
    if (offset < 0 || len < 0 || offset + len > 1024) return -1;
    __builtin_memset(bytes_a, 0, sizeof bytes_a);
    __builtin_memset(bytes_a + offset, value, (uint32_t)len);
    int32_t count = 0;
    for (int32_t i = 0; i < 1024; i++) count += bytes_a[i] == (uint8_t)value;
    return count;
}

/* memory.copy between two buffers, then a checksum of the destination. */
EXPORT("sample_memcpy_checksum") uint32_t sample_memcpy_checksum(int32_t src_off, int32_t dst_off, int32_t len) {
    if (src_off < 0 || dst_off < 0 || len < 0 || src_off + len > 1024 || dst_off + len > 1024) return 0;
    for (int32_t i = 0; i < 1024; i++) bytes_a[i] = (uint8_t)(i * 7 + 3);
    __builtin_memset(bytes_b, 0xee, sizeof bytes_b);
    __builtin_memcpy(bytes_b + dst_off, bytes_a + src_off, (uint32_t)len);
    uint32_t h = 0;
    for (int32_t i = 0; i < 1024; i++) h = h * 131u + bytes_b[i];
    return h;
}

/* Overlapping memmove of a run-time length (memory.copy must behave like memmove). */
EXPORT("sample_memmove_overlap") uint32_t sample_memmove_overlap(int32_t shift, int32_t len) {
    if (shift < -32 || shift > 32 || len < 0 || len > 32) return 0;
    for (int32_t i = 0; i < 64; i++) bytes_a[i] = (uint8_t)i;
    if (shift >= 0) __builtin_memmove(bytes_a + shift, bytes_a, (uint32_t)len);
    else __builtin_memmove(bytes_a, bytes_a - shift, (uint32_t)len);
    uint32_t h = 0;
    for (int32_t i = 0; i < 64; i++) h = h * 33u + bytes_a[i];
    return h;
}

/* Stores of each width at an offset, then loads back with sign/zero extension. */
EXPORT("sample_load_store_widths") int64_t sample_load_store_widths(int32_t off, int64_t v) {
    volatile uint8_t *base = bytes_b + (off & 511);
    *(volatile int64_t *)(void *)base = v;
    int64_t s8 = *(volatile int8_t *)base;
    int64_t u8 = *(volatile uint8_t *)base;
    int64_t s16 = *(volatile int16_t *)(void *)(base + 1);
    int64_t u16 = *(volatile uint16_t *)(void *)(base + 2);
    int64_t s32 = *(volatile int32_t *)(void *)(base + 3);
    uint32_t u32 = *(volatile uint32_t *)(void *)(base + 4);
    *(volatile int16_t *)(void *)(base + 5) = (int16_t)0x8081;
    int64_t after = *(volatile int64_t *)(void *)base;
    return s8 + u8 * 3 + s16 * 5 + u16 * 7 + s32 * 11 + (int64_t)u32 * 13 + after;
}

/* A tiny matrix multiply on static arrays, returning the trace. */
static double mat_a[8][8], mat_b[8][8], mat_c[8][8];
EXPORT("sample_matmul_trace") double sample_matmul_trace(int32_t n) {
    if (n < 1 || n > 8) return -1.0;
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = 0; j < n; j++) {
            mat_a[i][j] = (double)(i + 1) / (double)(j + 2);
            mat_b[i][j] = (double)(i * j) - 0.25 * j;
        }
    double trace = 0.0;
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = 0; j < n; j++) {
            double s = 0.0;
            for (int32_t k = 0; k < n; k++) s += mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = s;
            if (i == j) trace += s;
        }
    return trace;
}

/* memory.fill far past the end of memory: traps (out of bounds memory access). */
EXPORT("sample_fill_out_of_bounds") int32_t sample_fill_out_of_bounds(int32_t len) {
#ifdef __wasm__
    volatile uint32_t far = 0xfffff000u;
    __builtin_memset((void *)(uintptr_t)far, 1, (uint32_t)len);
    return 0;
#else
    return len; /* native: no wasm memory; the manifest expects a trap (written by hand) */
#endif
}
