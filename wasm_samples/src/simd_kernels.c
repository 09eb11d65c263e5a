// SIMD benchmark kernels (issue #8), built with `-O3 -msimd128` (simd_kernels.flags): loops
// clang auto-vectorizes plus hand-written `wasm_simd128.h` intrinsics. Every export is
// `bench_simd_<name>(int32_t scale)`: it fills its buffers from a fixed LCG, runs its kernel
// `scale` times (each round feeds a little of its result back, so no round can be skipped) and
// returns a checksum.
//
// The native oracle build has no wasm intrinsics: under `#else` each intrinsic kernel is
// written out lane by lane, in the same order of operations (float sums included, with
// -ffp-contract=off on both sides), so both builds give the same bits.
#include "fayasm_sample.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define N_BYTES 8192u
#define N_WORDS (N_BYTES / 4u)
#define N_DOUBLES (N_BYTES / 8u)

static uint8_t bytes_a[N_BYTES];
static uint8_t bytes_b[N_BYTES];
static uint8_t bytes_out[2 * N_BYTES];
static int32_t words_a[N_WORDS];
static int32_t words_b[N_WORDS];
static float floats_a[N_WORDS];
static float floats_b[N_WORDS];
static double doubles_x[N_DOUBLES];
static double doubles_y[N_DOUBLES];

static uint32_t lcg_state;

static uint32_t lcg(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

static void fill_bytes(uint32_t seed) {
    lcg_state = seed;
    for (uint32_t i = 0; i < N_BYTES; i++) {
        bytes_a[i] = (uint8_t)(lcg() >> 24);
        bytes_b[i] = (uint8_t)(lcg() >> 24);
    }
}

// ----- dot product of i32 lanes: auto-vectorized (i32x4.mul, i32x4.add) -----

NOINLINE static uint32_t dot_i32(const int32_t *a, const int32_t *b, uint32_t n) {
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++) sum += (uint32_t)a[i] * (uint32_t)b[i];
    return sum;
}

EXPORT("bench_simd_dot_i32") int32_t bench_simd_dot_i32(int32_t scale) {
    lcg_state = 12345u;
    for (uint32_t i = 0; i < N_WORDS; i++) {
        words_a[i] = (int32_t)lcg() >> 8;
        words_b[i] = (int32_t)lcg() >> 12;
    }
    uint32_t check = 0;
    for (int32_t r = 0; r < scale; r++) {
        uint32_t d = dot_i32(words_a, words_b, N_WORDS);
        check = check * 31u + d;
        words_a[(uint32_t)r % N_WORDS] ^= (int32_t)d;
    }
    return (int32_t)check;
}

// ----- dot product of f32 lanes: intrinsics, four lane sums added pairwise at the end -----

NOINLINE static float dot_f32(const float *a, const float *b, uint32_t n) {
#ifdef __wasm_simd128__
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (uint32_t i = 0; i < n; i += 4) {
        v128_t x = wasm_v128_load(a + i);
        v128_t y = wasm_v128_load(b + i);
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(x, y));
    }
    float l0 = wasm_f32x4_extract_lane(acc, 0), l1 = wasm_f32x4_extract_lane(acc, 1);
    float l2 = wasm_f32x4_extract_lane(acc, 2), l3 = wasm_f32x4_extract_lane(acc, 3);
#else
    float l0 = 0.0f, l1 = 0.0f, l2 = 0.0f, l3 = 0.0f;
    for (uint32_t i = 0; i < n; i += 4) {
        l0 = l0 + a[i] * b[i];
        l1 = l1 + a[i + 1] * b[i + 1];
        l2 = l2 + a[i + 2] * b[i + 2];
        l3 = l3 + a[i + 3] * b[i + 3];
    }
#endif
    return (l0 + l1) + (l2 + l3);
}

EXPORT("bench_simd_dot_f32") int32_t bench_simd_dot_f32(int32_t scale) {
    lcg_state = 777u;
    for (uint32_t i = 0; i < N_WORDS; i++) {
        floats_a[i] = (float)(int32_t)(lcg() >> 16) * (1.0f / 65536.0f) - 0.5f;
        floats_b[i] = (float)(int32_t)(lcg() >> 16) * (1.0f / 32768.0f) - 1.0f;
    }
    uint32_t check = 0;
    for (int32_t r = 0; r < scale; r++) {
        float d = dot_f32(floats_a, floats_b, N_WORDS);
        uint32_t bits;
        __builtin_memcpy(&bits, &d, 4);
        check = check * 31u + bits;
        floats_a[(uint32_t)r % N_WORDS] = d * (1.0f / 1024.0f);
    }
    return (int32_t)check;
}

// ----- byte search: count one byte value with i8x16.eq, summed in u8 lanes and widened with
// extadd_pairwise every 255 blocks (so no lane overflows) -----

NOINLINE static uint32_t count_byte(const uint8_t *p, uint32_t n, uint8_t needle) {
#ifdef __wasm_simd128__
    v128_t want = wasm_i8x16_splat((int8_t)needle);
    v128_t total = wasm_i32x4_splat(0);
    uint32_t i = 0;
    while (i < n) {
        v128_t acc = wasm_i8x16_splat(0);
        uint32_t end = i + 255u * 16u < n ? i + 255u * 16u : n;
        for (; i < end; i += 16) {
            // A matching lane is all ones (-1): subtracting it counts one.
            acc = wasm_i8x16_sub(acc, wasm_i8x16_eq(wasm_v128_load(p + i), want));
        }
        v128_t wide = wasm_u16x8_extadd_pairwise_u8x16(acc);
        total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(wide));
    }
    return (uint32_t)wasm_i32x4_extract_lane(total, 0) + (uint32_t)wasm_i32x4_extract_lane(total, 1) +
           (uint32_t)wasm_i32x4_extract_lane(total, 2) + (uint32_t)wasm_i32x4_extract_lane(total, 3);
#else
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) count += p[i] == needle;
    return count;
#endif
}

EXPORT("bench_simd_byte_count") int32_t bench_simd_byte_count(int32_t scale) {
    fill_bytes(99u);
    uint32_t check = 0;
    for (int32_t r = 0; r < scale; r++) {
        uint32_t c = count_byte(bytes_a, N_BYTES, (uint8_t)r);
        check = check * 31u + c;
        bytes_a[(c * 7u + (uint32_t)r) % N_BYTES] = (uint8_t)r;
    }
    return (int32_t)check;
}

// ----- image blend on u8 lanes: an auto-vectorized alpha blend (widen to 16 bits, multiply,
// narrow) followed by intrinsic saturating adds, subtractions and rounding averages -----

NOINLINE static void alpha_blend(uint8_t *out, const uint8_t *a, const uint8_t *b, uint32_t n,
                                 uint32_t alpha) {
    for (uint32_t i = 0; i < n; i++) {
        out[i] = (uint8_t)(((uint32_t)a[i] * alpha + (uint32_t)b[i] * (255u - alpha)) >> 8);
    }
}

NOINLINE static uint32_t saturate_mix(uint8_t *out, const uint8_t *a, const uint8_t *b,
                                      uint32_t n) {
#ifdef __wasm_simd128__
    v128_t sum = wasm_i32x4_splat(0);
    for (uint32_t i = 0; i < n; i += 16) {
        v128_t x = wasm_v128_load(out + i);
        v128_t y = wasm_v128_load(a + i);
        v128_t z = wasm_v128_load(b + i);
        v128_t lit = wasm_u8x16_add_sat(x, wasm_u8x16_avgr(y, z));
        v128_t dark = wasm_u8x16_sub_sat(lit, wasm_u8x16_min(y, z));
        v128_t px = wasm_u8x16_max(dark, wasm_i8x16_splat(16));
        wasm_v128_store(out + i, px);
        sum = wasm_i32x4_add(sum, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(px)));
    }
    return (uint32_t)wasm_i32x4_extract_lane(sum, 0) + (uint32_t)wasm_i32x4_extract_lane(sum, 1) +
           (uint32_t)wasm_i32x4_extract_lane(sum, 2) + (uint32_t)wasm_i32x4_extract_lane(sum, 3);
#else
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t avg = ((uint32_t)a[i] + (uint32_t)b[i] + 1u) >> 1;
        uint32_t lit = (uint32_t)out[i] + avg;
        if (lit > 255u) lit = 255u;
        uint32_t lo = a[i] < b[i] ? a[i] : b[i];
        uint32_t dark = lit > lo ? lit - lo : 0u;
        uint32_t px = dark > 16u ? dark : 16u;
        out[i] = (uint8_t)px;
        sum += px;
    }
    return sum;
#endif
}

EXPORT("bench_simd_blend") int32_t bench_simd_blend(int32_t scale) {
    fill_bytes(4242u);
    uint32_t check = 0;
    for (int32_t r = 0; r < scale; r++) {
        alpha_blend(bytes_out, bytes_a, bytes_b, N_BYTES, (uint32_t)r & 255u);
        uint32_t s = saturate_mix(bytes_out, bytes_a, bytes_b, N_BYTES);
        check = check * 31u + s;
        bytes_b[(uint32_t)r % N_BYTES] = (uint8_t)s;
    }
    return (int32_t)check;
}

// ----- hex encoding: nibbles split with shifts and masks, looked up with i8x16.swizzle and
// interleaved with i8x16.shuffle, 16 input bytes to 32 output bytes per step -----

static const char HEX_DIGITS[16] = "0123456789abcdef";

NOINLINE static void hex_encode(uint8_t *out, const uint8_t *in, uint32_t n) {
#ifdef __wasm_simd128__
    v128_t digits = wasm_v128_load(HEX_DIGITS);
    v128_t low_nibble = wasm_i8x16_splat(0x0f);
    for (uint32_t i = 0; i < n; i += 16) {
        v128_t x = wasm_v128_load(in + i);
        v128_t hi = wasm_i8x16_swizzle(digits, wasm_u8x16_shr(x, 4));
        v128_t lo = wasm_i8x16_swizzle(digits, wasm_v128_and(x, low_nibble));
        v128_t first = wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        v128_t second = wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        wasm_v128_store(out + 2 * i, first);
        wasm_v128_store(out + 2 * i + 16, second);
    }
#else
    for (uint32_t i = 0; i < n; i++) {
        out[2 * i] = (uint8_t)HEX_DIGITS[in[i] >> 4];
        out[2 * i + 1] = (uint8_t)HEX_DIGITS[in[i] & 15u];
    }
#endif
}

// FNV-1a over 32-bit words of the output: auto-vectorization cannot touch it (a serial chain),
// so it is kept short by hashing every 16th word.
NOINLINE static uint32_t hash_sparse(const uint8_t *p, uint32_t n) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i += 64) {
        uint32_t w;
        __builtin_memcpy(&w, p + i, 4);
        h = (h ^ w) * 16777619u;
    }
    return h;
}

EXPORT("bench_simd_hex") int32_t bench_simd_hex(int32_t scale) {
    fill_bytes(31337u);
    uint32_t check = 0;
    for (int32_t r = 0; r < scale; r++) {
        hex_encode(bytes_out, bytes_a, N_BYTES);
        uint32_t h = hash_sparse(bytes_out, 2 * N_BYTES);
        check = check * 31u + h;
        bytes_a[(uint32_t)r % N_BYTES] ^= (uint8_t)h;
    }
    return (int32_t)check;
}

// ----- f64x2: lengths of 2-D vectors, sqrt(x*x + y*y) summed in two lane sums -----

NOINLINE static double sum_lengths(const double *x, const double *y, uint32_t n) {
#ifdef __wasm_simd128__
    v128_t acc = wasm_f64x2_splat(0.0);
    for (uint32_t i = 0; i < n; i += 2) {
        v128_t a = wasm_v128_load(x + i);
        v128_t b = wasm_v128_load(y + i);
        v128_t len = wasm_f64x2_sqrt(wasm_f64x2_add(wasm_f64x2_mul(a, a), wasm_f64x2_mul(b, b)));
        acc = wasm_f64x2_add(acc, wasm_f64x2_max(len, wasm_f64x2_splat(0.25)));
    }
    return wasm_f64x2_extract_lane(acc, 0) + wasm_f64x2_extract_lane(acc, 1);
#else
    double l0 = 0.0, l1 = 0.0;
    for (uint32_t i = 0; i < n; i += 2) {
        double len0 = __builtin_sqrt(x[i] * x[i] + y[i] * y[i]);
        double len1 = __builtin_sqrt(x[i + 1] * x[i + 1] + y[i + 1] * y[i + 1]);
        l0 = l0 + (len0 > 0.25 ? len0 : 0.25);
        l1 = l1 + (len1 > 0.25 ? len1 : 0.25);
    }
    return l0 + l1;
#endif
}

EXPORT("bench_simd_f64_lengths") int64_t bench_simd_f64_lengths(int32_t scale) {
    lcg_state = 2718u;
    for (uint32_t i = 0; i < N_DOUBLES; i++) {
        doubles_x[i] = (double)(int32_t)lcg() * (1.0 / 2147483648.0);
        doubles_y[i] = (double)(int32_t)lcg() * (1.0 / 1073741824.0);
    }
    uint64_t check = 0;
    for (int32_t r = 0; r < scale; r++) {
        double s = sum_lengths(doubles_x, doubles_y, N_DOUBLES);
        uint64_t bits;
        __builtin_memcpy(&bits, &s, 8);
        check = check * 31u + bits;
        doubles_x[(uint32_t)r % N_DOUBLES] = s * (1.0 / 4096.0);
    }
    return (int64_t)check;
}
