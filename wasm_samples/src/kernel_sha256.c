// Benchmark kernel: SHA-256 over a 16 KiB buffer, `scale` times; each round's digest is
// written back into the buffer so the rounds chain. Dominated by i32 rotates, shifts, adds and
// big-endian loads. Returns the first digest word of the last round.
#include "fayasm_sample.h"

#define BUF_LEN 16384u

static uint8_t buffer[BUF_LEN];

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, uint32_t n) { return (x >> n) | (x << (32u - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

NOINLINE static void compress_block(uint32_t h[8], const uint8_t *block) {
    uint32_t w[64];
    for (int32_t t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
    for (int32_t t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int32_t t = 0; t < 64; t++) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* SHA-256 of data[0..len); `digest` gets the eight state words. */
NOINLINE static void sha256(const uint8_t *data, uint32_t len, uint32_t digest[8]) {
    static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (int32_t i = 0; i < 8; i++) digest[i] = H0[i];
    uint32_t full = len & ~63u;
    for (uint32_t off = 0; off < full; off += 64) compress_block(digest, data + off);
    uint8_t tail[128];
    uint32_t rest = len - full;
    for (uint32_t i = 0; i < rest; i++) tail[i] = data[full + i];
    tail[rest] = 0x80;
    uint32_t tail_len = rest + 9 <= 64 ? 64 : 128;
    for (uint32_t i = rest + 1; i < tail_len; i++) tail[i] = 0;
    uint64_t bits = (uint64_t)len * 8u;
    for (int32_t i = 0; i < 8; i++) tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (uint32_t off = 0; off < tail_len; off += 64) compress_block(digest, tail + off);
}

EXPORT("bench_sha256") int32_t bench_sha256(int32_t scale) {
    uint32_t x = 0x12345678u;
    for (uint32_t i = 0; i < BUF_LEN; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        buffer[i] = (uint8_t)(x >> 24);
    }
    uint32_t digest[8] = {0};
    for (int32_t r = 0; r < scale; r++) {
        /* An odd length exercises the padding with a partial block. */
        sha256(buffer, BUF_LEN - 13u, digest);
        for (int32_t i = 0; i < 8; i++) {
            buffer[4 * i] ^= (uint8_t)(digest[i] >> 24);
            buffer[4 * i + 1] ^= (uint8_t)digest[i];
        }
    }
    return (int32_t)digest[0];
}

#ifndef __wasm__
/* The FIPS 180-2 test vector "abc", for checking the kernel natively (not an export). */
int32_t kernel_sha256_selftest(void) {
    uint32_t d[8];
    sha256((const uint8_t *)"abc", 3, d);
    return d[0] == 0xba7816bfu && d[7] == 0xf20015adu;
}
#endif
