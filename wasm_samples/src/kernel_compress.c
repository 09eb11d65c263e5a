// Benchmark kernel: a byte-wise LZ77 round trip. Each round generates 12 KiB of
// semi-repetitive text, compresses it (3-byte hash, one candidate per bucket, literal runs and
// back-references), decompresses it, checks the result and folds the compressed bytes into a
// checksum. Dominated by byte loads/stores, hashing and short copy loops.
#include "fayasm_sample.h"

#define IN_LEN 12288u
#define OUT_CAP (IN_LEN + IN_LEN / 64u + 16u)
#define HASH_BITS 12
#define MIN_MATCH 3u
#define MAX_MATCH 130u
#define MAX_LIT 128u
#define WINDOW 65535u

static uint8_t input[IN_LEN];
static uint8_t packed[OUT_CAP];
static uint8_t unpacked[IN_LEN];
static uint16_t head[1u << HASH_BITS];

static uint32_t rng;

static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void generate(void) {
    static const char words[] = "the quick brown fox jumps over lazy dogs while wasm runs fast ";
    uint32_t i = 0;
    while (i < IN_LEN) {
        uint32_t r = next();
        if ((r & 7u) == 0) {
            input[i++] = (uint8_t)(r >> 8);
        } else {
            uint32_t start = (r >> 3) % (sizeof words - 8u);
            uint32_t len = 3u + (r >> 16) % 6u;
            for (uint32_t k = 0; k < len && i < IN_LEN; k++) input[i++] = (uint8_t)words[start + k];
        }
    }
}

static inline uint32_t hash3(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static uint32_t flush_literals(uint32_t out, uint32_t from, uint32_t to) {
    while (from < to) {
        uint32_t n = to - from;
        if (n > MAX_LIT) n = MAX_LIT;
        packed[out++] = (uint8_t)(n - 1u);
        for (uint32_t k = 0; k < n; k++) packed[out++] = input[from + k];
        from += n;
    }
    return out;
}

/* Returns the compressed length. Positions are stored +1 so 0 means empty. */
NOINLINE static uint32_t compress(void) {
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++) head[i] = 0;
    uint32_t out = 0, lit = 0, i = 0;
    while (i + MIN_MATCH <= IN_LEN) {
        uint32_t h = hash3(input + i);
        uint32_t cand = head[h];
        head[h] = (uint16_t)(i + 1u);
        uint32_t len = 0;
        if (cand != 0) {
            uint32_t c = cand - 1u;
            uint32_t max = IN_LEN - i;
            if (max > MAX_MATCH) max = MAX_MATCH;
            while (len < max && input[c + len] == input[i + len]) len++;
            if (i - c > WINDOW) len = 0;
        }
        if (len >= MIN_MATCH) {
            out = flush_literals(out, lit, i);
            uint32_t dist = i - (cand - 1u);
            packed[out++] = (uint8_t)(0x80u | (len - MIN_MATCH));
            packed[out++] = (uint8_t)dist;
            packed[out++] = (uint8_t)(dist >> 8);
            i += len;
            lit = i;
        } else {
            i++;
        }
    }
    return flush_literals(out, lit, IN_LEN);
}

/* Returns the decompressed length, or 0xffffffff on malformed input. */
NOINLINE static uint32_t decompress(uint32_t len) {
    uint32_t in = 0, out = 0;
    while (in < len) {
        uint32_t tag = packed[in++];
        if (tag < 0x80u) {
            uint32_t n = tag + 1u;
            if (out + n > IN_LEN || in + n > len) return 0xffffffffu;
            for (uint32_t k = 0; k < n; k++) unpacked[out++] = packed[in++];
        } else {
            uint32_t n = (tag & 0x7fu) + MIN_MATCH;
            uint32_t dist = (uint32_t)packed[in] | ((uint32_t)packed[in + 1] << 8);
            in += 2;
            if (dist == 0 || dist > out || out + n > IN_LEN) return 0xffffffffu;
            for (uint32_t k = 0; k < n; k++, out++) unpacked[out] = unpacked[out - dist];
        }
    }
    return out;
}

EXPORT("bench_compress") int32_t bench_compress(int32_t scale) {
    rng = 0x9e3779b9u;
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        generate();
        uint32_t clen = compress();
        if (decompress(clen) != IN_LEN) return -1;
        for (uint32_t i = 0; i < IN_LEN; i++) {
            if (unpacked[i] != input[i]) return -2;
        }
        checksum = checksum * 31u + clen;
        for (uint32_t i = 0; i < clen; i += 7) checksum = (checksum ^ packed[i]) * 16777619u;
    }
    return (int32_t)checksum;
}
