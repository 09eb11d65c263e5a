// Parameters and results of every numeric type, mixed signatures, reinterpretations,
// promotion and demotion.
#include "fayasm_sample.h"

EXPORT("sample_id_i32") int32_t sample_id_i32(int32_t x) { return x; }
EXPORT("sample_id_i64") int64_t sample_id_i64(int64_t x) { return x; }
EXPORT("sample_id_f32") float sample_id_f32(float x) { return x; }
EXPORT("sample_id_f64") double sample_id_f64(double x) { return x; }

EXPORT("sample_mixed_sum") double sample_mixed_sum(int32_t a, int64_t b, float c, double d) {
    return (double)a + (double)b + (double)c * d;
}

EXPORT("sample_mixed_order") float sample_mixed_order(double a, int32_t b, float c, int64_t d, int32_t e) {
    return (float)(a * b) + c - (float)(d % 1000) * (float)e;
}

EXPORT("sample_pack_i64") int64_t sample_pack_i64(int32_t hi, int32_t lo) {
    return (int64_t)(((uint64_t)(uint32_t)hi << 32) | (uint32_t)lo);
}

EXPORT("sample_high_i32") int32_t sample_high_i32(int64_t x) { return (int32_t)((uint64_t)x >> 32); }

EXPORT("sample_promote") double sample_promote(float x) { return x; }
EXPORT("sample_demote") float sample_demote(double x) { return (float)x; }

EXPORT("sample_f32_bits") int32_t sample_f32_bits(float x) {
    int32_t bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    return bits;
}

EXPORT("sample_f64_from_bits") double sample_f64_from_bits(int64_t bits) {
    double x;
    __builtin_memcpy(&x, &bits, sizeof x);
    return x;
}

EXPORT("sample_select_f64") double sample_select_f64(int32_t flag, double a, double b) { return flag ? a : b; }
EXPORT("sample_select_i64") int64_t sample_select_i64(int64_t a, int64_t b, int32_t flag) { return flag ? a : b; }

EXPORT("sample_many_params") int64_t sample_many_params(int32_t a, int32_t b, int32_t c, int32_t d, int64_t e,
                                                         int64_t f, int64_t g, int64_t h, int32_t i, int32_t j) {
    return (int64_t)a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 + i * 9 + (int64_t)j * 10;
}

EXPORT("sample_u32_to_u64_mul") uint64_t sample_u32_to_u64_mul(uint32_t a, uint32_t b) { return (uint64_t)a * b; }

EXPORT("sample_f32_f64_mix") double sample_f32_f64_mix(float a, double b) {
    float fa = a * 0.5f + 1.25f;
    return fa * b - (double)(float)(b / 3.0);
}

EXPORT("sample_void_roundtrip") void sample_void_roundtrip(int32_t x) {
    static volatile int32_t sink;
    sink = x;
}
