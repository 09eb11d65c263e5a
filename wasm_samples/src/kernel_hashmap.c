// Benchmark kernel: open-addressing hash tables with linear probing, `scale` rounds.
// Each round (1) fills a 4096-slot table of u32 keys and values (multiplicative hash) with 2400
// pseudo-random keys, looks up every one and as many absent keys, deletes a third of them
// (tombstones), inserts 600 new keys (reusing tombstones) and looks everything up again; and
// (2) counts 3000 words drawn from a 600-word vocabulary in a 1024-slot table of short byte
// strings hashed with FNV-1a, deletes every fifth word and looks the vocabulary up again.
// Dominated by hashing, probe loops with unpredictable branches, and byte compares.
#include "fayasm_sample.h"

#define CAP 4096u          /* power of two */
#define CAP_BITS 12
#define EMPTY 0u
#define TOMB 1u            /* keys 0 and 1 are reserved */
#define N_KEYS 2400
#define N_NEW 600

#define SCAP 1024u         /* power of two */
#define VOCAB 600u
#define N_WORDS 3000
#define POOL_LEN 8192u

static uint32_t keys[CAP];
static uint32_t vals[CAP];

struct sslot {
    uint32_t hash;
    uint16_t off;    /* into pool */
    uint8_t len;     /* 0: empty */
    uint8_t dead;    /* tombstone */
    uint32_t count;
};

static struct sslot strings[SCAP];
static uint8_t pool[POOL_LEN];
static uint32_t pool_used;

static inline uint32_t slot_of(uint32_t key) { return (key * 0x9e3779b1u) >> (32 - CAP_BITS); }

/* Returns 1 if the key was new, 0 if its value was replaced. */
NOINLINE static uint32_t map_insert(uint32_t key, uint32_t val) {
    uint32_t i = slot_of(key);
    uint32_t tomb = CAP;
    for (;;) {
        uint32_t k = keys[i];
        if (k == key) {
            vals[i] = val;
            return 0;
        }
        if (k == EMPTY) break;
        if (k == TOMB && tomb == CAP) tomb = i;
        i = (i + 1u) & (CAP - 1u);
    }
    if (tomb != CAP) i = tomb;
    keys[i] = key;
    vals[i] = val;
    return 1;
}

/* Returns the slot of `key`, or CAP if absent. */
NOINLINE static uint32_t map_find(uint32_t key) {
    uint32_t i = slot_of(key);
    for (;;) {
        uint32_t k = keys[i];
        if (k == key) return i;
        if (k == EMPTY) return CAP;
        i = (i + 1u) & (CAP - 1u);
    }
}

static inline uint32_t map_delete(uint32_t key) {
    uint32_t i = map_find(key);
    if (i == CAP) return 0;
    keys[i] = TOMB;
    return 1;
}

static inline uint32_t next_key(uint32_t *x) {
    *x ^= *x << 13; *x ^= *x >> 17; *x ^= *x << 5;
    return *x < 2u ? *x + 2u : *x;
}

static uint32_t u32_round(uint32_t seed) {
    for (uint32_t i = 0; i < CAP; i++) keys[i] = EMPTY;
    uint32_t h = 0;
    uint32_t x = seed;
    for (int32_t i = 0; i < N_KEYS; i++) h += map_insert(next_key(&x), (uint32_t)i);
    /* Every inserted key, then as many others (mostly absent). */
    x = seed;
    for (int32_t i = 0; i < N_KEYS; i++) {
        uint32_t s = map_find(next_key(&x));
        h = h * 33u + (s == CAP ? 0xffffu : vals[s]);
    }
    uint32_t y = seed ^ 0xa5a5a5a4u;
    for (int32_t i = 0; i < N_KEYS; i++) h += map_find(next_key(&y)) != CAP;
    /* Delete every third key. */
    x = seed;
    for (int32_t i = 0; i < N_KEYS; i++) {
        uint32_t k = next_key(&x);
        if (i % 3 == 0) h += map_delete(k) << 4;
    }
    /* New keys land in tombstones or empty slots; a few collide with live keys. */
    for (int32_t i = 0; i < N_NEW; i++) h += map_insert(next_key(&y), (uint32_t)i * 7u) << 8;
    x = seed;
    for (int32_t i = 0; i < N_KEYS; i++) {
        uint32_t s = map_find(next_key(&x));
        h = (h ^ (s == CAP ? (uint32_t)i : vals[s] + s)) * 16777619u;
    }
    return h;
}

/* Word `w` of the vocabulary: 2 to 11 lowercase letters. Returns its length. */
static uint32_t make_word(uint32_t w, uint8_t *out) {
    uint32_t len = 2u + (w * 7u) % 10u;
    uint32_t s = w * 2654435761u + 12345u;
    for (uint32_t k = 0; k < len; k++) {
        s = s * 1103515245u + 12345u;
        out[k] = (uint8_t)('a' + (s >> 16) % 26u);
    }
    return len;
}

static inline uint32_t fnv1a(const uint8_t *p, uint32_t len) {
    uint32_t h = 2166136261u;
    for (uint32_t k = 0; k < len; k++) h = (h ^ p[k]) * 16777619u;
    return h;
}

static inline int32_t same_bytes(const uint8_t *a, const uint8_t *b, uint32_t len) {
    for (uint32_t k = 0; k < len; k++)
        if (a[k] != b[k]) return 0;
    return 1;
}

/* Returns the slot holding the word, or SCAP if absent. */
NOINLINE static uint32_t str_find(const uint8_t *word, uint32_t len, uint32_t hash) {
    uint32_t i = hash & (SCAP - 1u);
    for (;;) {
        struct sslot *s = &strings[i];
        if (s->len == 0) return SCAP;
        if (!s->dead && s->hash == hash && s->len == len && same_bytes(&pool[s->off], word, len))
            return i;
        i = (i + 1u) & (SCAP - 1u);
    }
}

/* Counts one occurrence; returns the new count. */
NOINLINE static uint32_t str_count(const uint8_t *word, uint32_t len) {
    uint32_t hash = fnv1a(word, len);
    uint32_t i = str_find(word, len, hash);
    if (i != SCAP) return ++strings[i].count;
    i = hash & (SCAP - 1u);
    while (strings[i].len != 0 && !strings[i].dead) i = (i + 1u) & (SCAP - 1u);
    struct sslot *s = &strings[i];
    s->hash = hash;
    s->off = (uint16_t)pool_used;
    s->len = (uint8_t)len;
    s->dead = 0;
    s->count = 1;
    for (uint32_t k = 0; k < len; k++) pool[pool_used + k] = word[k];
    pool_used += len;
    return 1;
}

static uint32_t string_round(uint32_t seed) {
    for (uint32_t i = 0; i < SCAP; i++) {
        strings[i].len = 0;
        strings[i].dead = 0;
    }
    pool_used = 0;
    uint8_t word[16];
    uint32_t h = 0;
    uint32_t x = seed;
    for (int32_t i = 0; i < N_WORDS; i++) {
        x = x * 1664525u + 1013904223u;
        /* Skewed: low word numbers are common. */
        uint32_t w = ((x >> 8) % VOCAB) & ((x >> 28) < 8u ? 0x3fu : 0x3ffu);
        uint32_t len = make_word(w, word);
        h = h * 31u + str_count(word, len);
        /* A new word can make the pool run out: start it over (not at these sizes). */
        if (pool_used + 16u > POOL_LEN) return h;
    }
    for (uint32_t w = 0; w < VOCAB; w += 5u) {
        uint32_t len = make_word(w, word);
        uint32_t i = str_find(word, len, fnv1a(word, len));
        if (i != SCAP) strings[i].dead = 1;
    }
    for (uint32_t w = 0; w < VOCAB; w++) {
        uint32_t len = make_word(w, word);
        uint32_t i = str_find(word, len, fnv1a(word, len));
        h = (h ^ (i == SCAP ? w : strings[i].count + (i << 12))) * 16777619u;
    }
    return h ^ pool_used;
}

EXPORT("bench_hashmap") int32_t bench_hashmap(int32_t scale) {
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        uint32_t seed = (0x2545f491u + (uint32_t)r * 0x9e3779b9u) | 1u; /* xorshift: never 0 */
        checksum = checksum * 31u + u32_round(seed);
        checksum ^= string_round(seed ^ 0x5bd1e995u) << 1;
    }
    return (int32_t)checksum;
}
