// Benchmark kernel: 64-bit modular arithmetic without a 128-bit type (wasm has none).
// `scale` consecutive odd numbers just below 2^62 are each trial-divided by the primes below
// 64 and, if that finds no factor, tested with Miller-Rabin on the twelve prime bases up to 37
// (deterministic below 2^64). Modular multiplication is Montgomery's, with the high half of a
// 64x64-bit product built from four 32x32->64 multiplies; R^2 mod n comes from a double-and-add
// multiplication, and each prime found gets an extra Euler-criterion exponentiation.
// Dominated by i64 mul, add with carry detection, shifts, compares and i64.rem_u. Returns a
// 64-bit checksum of the primes and the exponentiation results.
#include "fayasm_sample.h"

#define BASE 0x3fffffffffff0001ull /* odd, below 2^62 */

/* The high 64 bits of a * b. */
static inline uint64_t mulhi64(uint64_t a, uint64_t b) {
    uint64_t a_lo = (uint32_t)a, a_hi = a >> 32;
    uint64_t b_lo = (uint32_t)b, b_hi = b >> 32;
    uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* a * b mod m by doubling and adding, for m < 2^63 (no sum overflows). */
NOINLINE static uint64_t mulmod_slow(uint64_t a, uint64_t b, uint64_t m) {
    uint64_t r = 0;
    a %= m;
    while (b != 0) {
        if (b & 1u) {
            r += a;
            if (r >= m) r -= m;
        }
        a += a;
        if (a >= m) a -= m;
        b >>= 1;
    }
    return r;
}

struct mont {
    uint64_t n;    /* odd modulus, below 2^63 */
    uint64_t ninv; /* -n^-1 mod 2^64 */
    uint64_t one;  /* R mod n */
    uint64_t r2;   /* R^2 mod n */
};

/* a * b / R mod n, for a, b < n. */
static inline uint64_t mont_mul(const struct mont *m, uint64_t a, uint64_t b) {
    uint64_t lo = a * b, hi = mulhi64(a, b);
    uint64_t q = lo * m->ninv;
    /* lo + low(q * n) is 0 mod 2^64; it carries unless lo is 0. */
    uint64_t t = hi + mulhi64(q, m->n) + (lo != 0);
    return t >= m->n ? t - m->n : t;
}

static void mont_init(struct mont *m, uint64_t n) {
    uint64_t x = n; /* n * n == 1 mod 8: 3 correct bits, doubled per Newton step */
    for (int32_t k = 0; k < 5; k++) x *= 2u - n * x;
    m->n = n;
    m->ninv = 0u - x;
    m->one = (0u - n) % n;
    m->r2 = mulmod_slow(m->one, m->one, n);
}

static inline uint64_t to_mont(const struct mont *m, uint64_t a) { return mont_mul(m, a % m->n, m->r2); }
static inline uint64_t from_mont(const struct mont *m, uint64_t a) { return mont_mul(m, a, 1); }

/* base^e in Montgomery form (base in Montgomery form). */
NOINLINE static uint64_t mont_pow(const struct mont *m, uint64_t base, uint64_t e) {
    uint64_t r = m->one;
    while (e != 0) {
        if (e & 1u) r = mont_mul(m, r, base);
        base = mont_mul(m, base, base);
        e >>= 1;
    }
    return r;
}

static const uint32_t small_primes[] = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61};
static const uint32_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

/* Miller-Rabin for odd n > 37. */
static int32_t is_prime(const struct mont *m) {
    uint64_t n = m->n;
    uint64_t d = n - 1u;
    int32_t s = 0;
    while ((d & 1u) == 0) {
        d >>= 1;
        s++;
    }
    uint64_t minus_one = n - m->one; /* -1 in Montgomery form */
    for (uint32_t k = 0; k < sizeof bases / sizeof bases[0]; k++) {
        uint64_t x = mont_pow(m, to_mont(m, bases[k]), d);
        if (x == m->one || x == minus_one) continue;
        int32_t composite = 1;
        for (int32_t j = 1; j < s; j++) {
            x = mont_mul(m, x, x);
            if (x == minus_one) {
                composite = 0;
                break;
            }
        }
        if (composite) return 0;
    }
    return 1;
}

EXPORT("bench_modpow") int64_t bench_modpow(int32_t scale) {
    uint64_t checksum = 0x0123456789abcdefull;
    uint64_t primes = 0;
    for (int32_t i = 0; i < scale; i++) {
        uint64_t n = BASE + 2u * (uint64_t)(uint32_t)i;
        int32_t factor = 0;
        for (uint32_t k = 0; k < sizeof small_primes / sizeof small_primes[0]; k++) {
            if (n % small_primes[k] == 0) {
                factor = (int32_t)small_primes[k];
                break;
            }
        }
        if (factor != 0) {
            checksum = checksum * 31u + (uint64_t)factor;
            continue;
        }
        struct mont m;
        mont_init(&m, n);
        if (!is_prime(&m)) {
            checksum ^= m.r2;
            continue;
        }
        primes++;
        /* Euler's criterion: 3^((n-1)/2) is +1 or -1 mod a prime n. */
        uint64_t e = from_mont(&m, mont_pow(&m, to_mont(&m, 3), (n - 1u) >> 1));
        checksum = (checksum ^ n) * 0x100000001b3ull + (e == 1u ? 1u : e == n - 1u ? 2u : e);
    }
    return (int64_t)(checksum + (primes << 48));
}

#ifndef __wasm__
/* Checks Miller-Rabin against trial division on odd n in [39, 200001) and mont_mul against
 * mulmod_slow, for running the kernel natively (not an export). Returns 1 when all agree. */
int32_t kernel_modpow_selftest(void) {
    for (uint64_t n = 39; n < 200001; n += 2) {
        int32_t p = 1;
        for (uint64_t f = 3; f * f <= n; f += 2)
            if (n % f == 0) {
                p = 0;
                break;
            }
        struct mont m;
        mont_init(&m, n);
        if (is_prime(&m) != p) return 0;
    }
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int32_t k = 0; k < 100000; k++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        uint64_t n = (x >> 1) | 1u;
        uint64_t a = (x * 0x2545f4914f6cdd1dull) % n, b = (x >> 3) % n;
        struct mont m;
        mont_init(&m, n);
        if (from_mont(&m, mont_mul(&m, to_mont(&m, a), to_mont(&m, b))) != mulmod_slow(a, b, n)) return 0;
    }
    return 1;
}
#endif
