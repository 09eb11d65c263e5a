// Benchmark kernel: f32 fractals and vector maths, `scale` rounds. Each round renders a 40x30
// Mandelbrot view and a 40x30 Julia view (at most 64 iterations, escape when |z|^2 > 4) around
// a centre that drifts with the round, then normalises 256 pseudo-random f32 3-vectors (sqrt,
// divide, min/max clamp, abs). Everything is `float`, never `double`: dominated by f32
// mul/add/compare, f32.sqrt/min/max/abs and i32 -> f32 conversions. Returns a checksum of the
// iteration counts and the bits of the vector sums.
#include "fayasm_sample.h"

#define W 40
#define H 30
#define MAX_ITER 64
#define NVEC 256

static float vec[NVEC * 3];

static inline uint32_t f32_bits(float f) {
    uint32_t b;
    __builtin_memcpy(&b, &f, 4);
    return b;
}

/* f32.min / f32.max. The native branch spells out wasm's semantics (NaN in, NaN out; -0 below
 * +0); the inputs here are never NaN. */
static inline float min32(float a, float b) {
#ifdef __wasm__
    return __builtin_wasm_min_f32(a, b);
#else
    if (a != a || b != b) return a + b;
    if (a == b) {
        uint32_t u = f32_bits(a) | f32_bits(b);
        float r;
        __builtin_memcpy(&r, &u, 4);
        return r;
    }
    return a < b ? a : b;
#endif
}

static inline float max32(float a, float b) {
#ifdef __wasm__
    return __builtin_wasm_max_f32(a, b);
#else
    if (a != a || b != b) return a + b;
    if (a == b) {
        uint32_t u = f32_bits(a) & f32_bits(b);
        float r;
        __builtin_memcpy(&r, &u, 4);
        return r;
    }
    return a > b ? a : b;
#endif
}

/* Mandelbrot: z = z^2 + c from z = 0, c over the grid. */
NOINLINE static uint32_t mandel(float x0, float y0, float step) {
    uint32_t h = 0;
    for (int32_t py = 0; py < H; py++) {
        float ci = y0 + (float)py * step;
        for (int32_t px = 0; px < W; px++) {
            float cr = x0 + (float)px * step;
            float zr = 0.0f, zi = 0.0f;
            int32_t n = 0;
            while (n < MAX_ITER) {
                float zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0f) break;
                zi = 2.0f * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                n++;
            }
            h = h * 31u + (uint32_t)n;
            if (n < MAX_ITER) h ^= f32_bits(zr) >> 9;
        }
    }
    return h;
}

/* Julia: z = z^2 + c from z over the grid, fixed c. */
NOINLINE static uint32_t julia(float cr, float ci, float step) {
    uint32_t h = 0;
    for (int32_t py = 0; py < H; py++) {
        for (int32_t px = 0; px < W; px++) {
            float zr = -1.6f + (float)px * step;
            float zi = -1.2f + (float)py * step;
            int32_t n = 0;
            for (; n < MAX_ITER; n++) {
                float zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0f) break;
                float t = zr2 - zi2 + cr;
                zi = (zr + zr) * zi + ci;
                zr = t;
            }
            h = (h ^ (uint32_t)n) * 16777619u;
        }
    }
    return h;
}

/* Normalises every vector, clamps its components to [-0.75, 0.75], sums the absolute values
 * and lengths, and perturbs the vectors for the next round. */
NOINLINE static uint32_t normalise(uint32_t round) {
    float sum = 0.0f, lsum = 0.0f, top = 0.0f, bottom = 1.0f;
    float nudge = (float)(int32_t)(round & 7u) * 0.125f - 0.5f;
    for (int32_t i = 0; i < NVEC; i++) {
        float x = vec[3 * i], y = vec[3 * i + 1], z = vec[3 * i + 2];
        float len = __builtin_sqrtf(x * x + y * y + z * z);
        float inv = 1.0f / max32(len, 1e-6f);
        x = min32(max32(x * inv, -0.75f), 0.75f);
        y = min32(max32(y * inv, -0.75f), 0.75f);
        z = min32(max32(z * inv, -0.75f), 0.75f);
        sum += __builtin_fabsf(x) + __builtin_fabsf(y) + __builtin_fabsf(z);
        lsum += len;
        top = max32(top, len);
        bottom = min32(bottom, __builtin_fabsf(x - z));
        vec[3 * i] = x * 1.5f + nudge * y;
        vec[3 * i + 1] = y * 1.5f - nudge * z;
        vec[3 * i + 2] = __builtin_copysignf(z * 1.25f + 0.01f, x - y);
    }
    return f32_bits(sum) ^ (f32_bits(lsum) << 3) ^ (f32_bits(top) >> 2) ^ f32_bits(bottom);
}

EXPORT("bench_mandel32") int32_t bench_mandel32(int32_t scale) {
    uint32_t x = 0x9e3779b9u;
    for (int32_t i = 0; i < NVEC * 3; i++) {
        x = x * 1664525u + 1013904223u;
        /* A 24-bit integer is exact in f32: [-1, 1). */
        vec[i] = (float)((int32_t)(x >> 8) - 8388608) * (1.0f / 8388608.0f);
    }
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        uint32_t k = (uint32_t)r & 63u;
        float drift = (float)(int32_t)k * 0.015625f;
        uint32_t m = mandel(-2.1f + drift * 0.5f, -1.1f + drift * 0.125f, 0.075f - drift * 0.0625f);
        uint32_t j = julia(-0.8f + drift * 0.0625f, 0.156f - drift * 0.03125f, 0.08f);
        uint32_t v = normalise((uint32_t)r);
        checksum = (checksum * 2654435761u) ^ m ^ (j << 1) ^ (v >> 1);
    }
    return (int32_t)checksum;
}
