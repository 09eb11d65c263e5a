// Integer arithmetic on i32 and i64: add/sub/mul wrap, signed and unsigned div/rem,
// shifts (count masked like wasm), rotates, bit operations, clz/ctz/popcnt, extensions.
#include "fayasm_sample.h"

EXPORT("sample_add_i32") int32_t sample_add_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
EXPORT("sample_sub_i32") int32_t sample_sub_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
EXPORT("sample_mul_i32") int32_t sample_mul_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }
EXPORT("sample_div_s_i32") int32_t sample_div_s_i32(int32_t a, int32_t b) { return a / b; }
EXPORT("sample_div_u_i32") uint32_t sample_div_u_i32(uint32_t a, uint32_t b) { return a / b; }
EXPORT("sample_rem_s_i32") int32_t sample_rem_s_i32(int32_t a, int32_t b) { return a % b; }
EXPORT("sample_rem_u_i32") uint32_t sample_rem_u_i32(uint32_t a, uint32_t b) { return a % b; }
EXPORT("sample_shl_i32") int32_t sample_shl_i32(int32_t a, int32_t s) { return (int32_t)((uint32_t)a << (s & 31)); }
EXPORT("sample_shr_s_i32") int32_t sample_shr_s_i32(int32_t a, int32_t s) { return a >> (s & 31); }
EXPORT("sample_shr_u_i32") uint32_t sample_shr_u_i32(uint32_t a, int32_t s) { return a >> (s & 31); }

EXPORT("sample_rotl_i32") uint32_t sample_rotl_i32(uint32_t a, uint32_t s) {
    s &= 31;
    return (a << s) | (a >> ((32 - s) & 31));
}

EXPORT("sample_rotr_i32") uint32_t sample_rotr_i32(uint32_t a, uint32_t s) {
    s &= 31;
    return (a >> s) | (a << ((32 - s) & 31));
}

EXPORT("sample_bitops_i32") uint32_t sample_bitops_i32(uint32_t a, uint32_t b) {
    return ((a & b) ^ ((a | b) << 3)) + (~a & 0x00ff00ffu) - (a ^ (b >> 5));
}

EXPORT("sample_clz_i32") int32_t sample_clz_i32(uint32_t a) { return a == 0 ? 32 : __builtin_clz(a); }
EXPORT("sample_ctz_i32") int32_t sample_ctz_i32(uint32_t a) { return a == 0 ? 32 : __builtin_ctz(a); }
EXPORT("sample_popcnt_i32") int32_t sample_popcnt_i32(uint32_t a) { return __builtin_popcount(a); }
EXPORT("sample_extend8_i32") int32_t sample_extend8_i32(int32_t a) { return (int8_t)a; }
EXPORT("sample_extend16_i32") int32_t sample_extend16_i32(int32_t a) { return (int16_t)a; }

/* INT32_MAX + 1 wraps to INT32_MIN. */
EXPORT("sample_overflow_wrap_i32") int32_t sample_overflow_wrap_i32(void) {
    volatile uint32_t max = 0x7fffffffu;
    return (int32_t)(max + 1u);
}

EXPORT("sample_add_i64") int64_t sample_add_i64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
EXPORT("sample_mul_i64") int64_t sample_mul_i64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
EXPORT("sample_div_s_i64") int64_t sample_div_s_i64(int64_t a, int64_t b) { return a / b; }
EXPORT("sample_div_u_i64") uint64_t sample_div_u_i64(uint64_t a, uint64_t b) { return a / b; }
EXPORT("sample_rem_s_i64") int64_t sample_rem_s_i64(int64_t a, int64_t b) { return a % b; }
EXPORT("sample_rem_u_i64") uint64_t sample_rem_u_i64(uint64_t a, uint64_t b) { return a % b; }
EXPORT("sample_shl_i64") int64_t sample_shl_i64(int64_t a, int64_t s) { return (int64_t)((uint64_t)a << (s & 63)); }
EXPORT("sample_shr_s_i64") int64_t sample_shr_s_i64(int64_t a, int64_t s) { return a >> (s & 63); }
EXPORT("sample_shr_u_i64") uint64_t sample_shr_u_i64(uint64_t a, int64_t s) { return a >> (s & 63); }

EXPORT("sample_rotl_i64") uint64_t sample_rotl_i64(uint64_t a, uint64_t s) {
    s &= 63;
    return (a << s) | (a >> ((64 - s) & 63));
}

EXPORT("sample_clz_i64") int64_t sample_clz_i64(uint64_t a) { return a == 0 ? 64 : __builtin_clzll(a); }
EXPORT("sample_ctz_i64") int64_t sample_ctz_i64(uint64_t a) { return a == 0 ? 64 : __builtin_ctzll(a); }
EXPORT("sample_popcnt_i64") int64_t sample_popcnt_i64(uint64_t a) { return __builtin_popcountll(a); }
EXPORT("sample_extend32_i64") int64_t sample_extend32_i64(int64_t a) { return (int32_t)a; }
EXPORT("sample_wrap_i64") int32_t sample_wrap_i64(int64_t a) { return (int32_t)(uint32_t)(uint64_t)a; }
EXPORT("sample_extend_u_i32") uint64_t sample_extend_u_i32(uint32_t a) { return a; }

/* Full 64x64 -> 128 high word, built from 32-bit halves (lots of i64 mul/shift/add). */
EXPORT("sample_mulhi_u64") uint64_t sample_mulhi_u64(uint64_t a, uint64_t b) {
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
    return (hi_lo >> 32) + (cross >> 32) + hi_hi;
}

/* A 64-bit xorshift-multiply hash, iterated n times. */
EXPORT("sample_hash_mix_i64") uint64_t sample_hash_mix_i64(uint64_t x, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdull;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ull;
        x ^= x >> 33;
    }
    return x;
}

/* Signed comparisons of every flavour folded into one bit mask. */
EXPORT("sample_compare_mask") int32_t sample_compare_mask(int32_t a, int32_t b, int64_t c, int64_t d) {
    return (a < b) | (a <= b) << 1 | (a > b) << 2 | (a >= b) << 3 | ((uint32_t)a < (uint32_t)b) << 4 |
           (c < d) << 5 | (c == d) << 6 | ((uint64_t)c > (uint64_t)d) << 7 | (a == 0) << 8 | (c == 0) << 9;
}
