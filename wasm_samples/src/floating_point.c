// f32/f64 arithmetic, the math operators wasm has as instructions (sqrt, floor, ceil,
// trunc, nearest, abs, copysign), int<->float conversions and saturating truncation.
// Built with -mnontrapping-fptoint (see floating_point.flags): in-range C casts lower to
// trunc_sat, and the explicit saturating samples use the wasm builtins.
#include "fayasm_sample.h"

EXPORT("sample_f64_add") double sample_f64_add(double a, double b) { return a + b; }
EXPORT("sample_f64_mul") double sample_f64_mul(double a, double b) { return a * b; }
EXPORT("sample_f64_div") double sample_f64_div(double a, double b) { return a / b; }
EXPORT("sample_f32_add") float sample_f32_add(float a, float b) { return a + b; }
EXPORT("sample_f32_mul") float sample_f32_mul(float a, float b) { return a * b; }
EXPORT("sample_f32_div") float sample_f32_div(float a, float b) { return a / b; }

EXPORT("sample_f32_chain") float sample_f32_chain(float a, float b) { return (a + b) * (a - b) / b; }

EXPORT("sample_f64_sqrt") double sample_f64_sqrt(double x) { return __builtin_sqrt(x); }
EXPORT("sample_f32_sqrt") float sample_f32_sqrt(float x) { return __builtin_sqrtf(x); }
EXPORT("sample_f64_floor") double sample_f64_floor(double x) { return __builtin_floor(x); }
EXPORT("sample_f64_ceil") double sample_f64_ceil(double x) { return __builtin_ceil(x); }
EXPORT("sample_f64_trunc") double sample_f64_trunc(double x) { return __builtin_trunc(x); }
EXPORT("sample_f64_nearest") double sample_f64_nearest(double x) { return __builtin_rint(x); }
EXPORT("sample_f32_nearest") float sample_f32_nearest(float x) { return __builtin_rintf(x); }
EXPORT("sample_f32_floor") float sample_f32_floor(float x) { return __builtin_floorf(x); }
EXPORT("sample_f64_abs") double sample_f64_abs(double x) { return __builtin_fabs(x); }
EXPORT("sample_f64_copysign") double sample_f64_copysign(double a, double b) { return __builtin_copysign(a, b); }
EXPORT("sample_f32_neg") float sample_f32_neg(float x) { return -x; }

/* Ordered comparisons (false on NaN) folded into a mask. */
EXPORT("sample_f64_compare_mask") int32_t sample_f64_compare_mask(double a, double b) {
    return (a < b) | (a <= b) << 1 | (a > b) << 2 | (a >= b) << 3 | (a == b) << 4 | (a != b) << 5 | (a != a) << 6;
}

EXPORT("sample_f64_min") double sample_f64_min(double a, double b) { return a < b ? a : b; }

/* Leibniz series for pi: many dependent f64 ops, result bits must match exactly. */
EXPORT("sample_pi_series") double sample_pi_series(int32_t terms) {
    double sum = 0.0, sign = 1.0;
    for (int32_t k = 0; k < terms; k++) {
        sum += sign / (2.0 * k + 1.0);
        sign = -sign;
    }
    return 4.0 * sum;
}

EXPORT("sample_newton_sqrt") double sample_newton_sqrt(double x, int32_t iters) {
    double g = x > 1.0 ? x / 2.0 : 1.0;
    for (int32_t i = 0; i < iters; i++) g = 0.5 * (g + x / g);
    return g;
}

EXPORT("sample_f32_poly") float sample_f32_poly(float x) {
    float acc = 0.0f;
    static const float coeffs[6] = {1.0f, -0.5f, 0.041666668f, -0.0013888889f, 2.4801588e-05f, -2.7557319e-07f};
    float x2 = x * x, p = 1.0f;
    for (int i = 0; i < 6; i++) {
        acc += coeffs[i] * p;
        p *= x2;
    }
    return acc;
}

/* int -> float */
EXPORT("sample_i32_to_f32") float sample_i32_to_f32(int32_t x) { return (float)x; }
EXPORT("sample_u32_to_f32") float sample_u32_to_f32(uint32_t x) { return (float)x; }
EXPORT("sample_i32_to_f64") double sample_i32_to_f64(int32_t x) { return (double)x; }
EXPORT("sample_u32_to_f64") double sample_u32_to_f64(uint32_t x) { return (double)x; }
EXPORT("sample_i64_to_f64") double sample_i64_to_f64(int64_t x) { return (double)x; }
EXPORT("sample_u64_to_f64") double sample_u64_to_f64(uint64_t x) { return (double)x; }
EXPORT("sample_i64_to_f32") float sample_i64_to_f32(int64_t x) { return (float)x; }
EXPORT("sample_u64_to_f32") float sample_u64_to_f32(uint64_t x) { return (float)x; }

/* float -> int, inputs in range (plain C casts) */
EXPORT("sample_f64_to_i32") int32_t sample_f64_to_i32(double x) { return (int32_t)x; }
EXPORT("sample_f32_to_u32") uint32_t sample_f32_to_u32(float x) { return (uint32_t)x; }
EXPORT("sample_f64_to_i64") int64_t sample_f64_to_i64(double x) { return (int64_t)x; }
EXPORT("sample_f64_to_u64") uint64_t sample_f64_to_u64(double x) { return (uint64_t)x; }

/* Saturating truncation: NaN -> 0, out of range -> the nearest bound. The native branch
 * spells out the WebAssembly trunc_sat semantics. */
EXPORT("sample_sat_f32_to_i32") int32_t sample_sat_f32_to_i32(float x) {
#ifdef __wasm__
    return __builtin_wasm_trunc_saturate_s_i32_f32(x);
#else
    if (x != x) return 0;
    if (x >= 2147483648.0f) return INT32_MAX;
    if (x < -2147483648.0f) return INT32_MIN;
    return (int32_t)x;
#endif
}

EXPORT("sample_sat_f64_to_u32") uint32_t sample_sat_f64_to_u32(double x) {
#ifdef __wasm__
    return __builtin_wasm_trunc_saturate_u_i32_f64(x);
#else
    if (x != x) return 0;
    if (x >= 4294967296.0) return UINT32_MAX;
    if (x <= -1.0) return 0;
    return (uint32_t)x;
#endif
}

EXPORT("sample_sat_f64_to_i64") int64_t sample_sat_f64_to_i64(double x) {
#ifdef __wasm__
    return __builtin_wasm_trunc_saturate_s_i64_f64(x);
#else
    if (x != x) return 0;
    if (x >= 9223372036854775808.0) return INT64_MAX;
    if (x < -9223372036854775808.0) return INT64_MIN;
    return (int64_t)x;
#endif
}

EXPORT("sample_sat_f32_to_u64") uint64_t sample_sat_f32_to_u64(float x) {
#ifdef __wasm__
    return __builtin_wasm_trunc_saturate_u_i64_f32(x);
#else
    if (x != x) return 0;
    if (x >= 18446744073709551616.0f) return UINT64_MAX;
    if (x <= -1.0f) return 0;
    return (uint64_t)x;
#endif
}

EXPORT("sample_is_nan") int32_t sample_is_nan(double x) { return x != x; }

/* 1/0 = +inf, built at run time. */
EXPORT("sample_inf_from_zero") double sample_inf_from_zero(double zero) { return 1.0 / zero; }
