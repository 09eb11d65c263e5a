// One export per trap kind, each triggered on purpose, plus a few that return normally.
// Built WITHOUT -mnontrapping-fptoint. Volatile reads keep the optimiser from folding the
// faulting operation away. The manifest's trap expectations are written by hand (the
// native oracle would crash); the non-trapping exports get native expectations.
#include "fayasm_sample.h"

static volatile int32_t zero_i32 = 0;
static volatile int64_t zero_i64 = 0;
static volatile int32_t minus_one = -1;

EXPORT("sample_trap_div_zero") int32_t sample_trap_div_zero(int32_t a) { return a / zero_i32; }
EXPORT("sample_trap_rem_zero_u") uint32_t sample_trap_rem_zero_u(uint32_t a) { return a % (uint32_t)zero_i32; }
EXPORT("sample_trap_div_zero_i64") int64_t sample_trap_div_zero_i64(int64_t a) { return a / zero_i64; }

/* INT32_MIN / -1: i32.div_s overflows. */
EXPORT("sample_trap_int_overflow") int32_t sample_trap_int_overflow(void) {
    volatile int32_t min = INT32_MIN;
    return min / minus_one;
}

/* INT32_MIN % -1 is 0 in wasm (no trap): a control case. */
EXPORT("sample_rem_min_minus_one") int32_t sample_rem_min_minus_one(int32_t a) {
#ifdef __wasm__
    return a % minus_one;
#else
    return minus_one == -1 ? 0 : a % minus_one;
#endif
}

/* A load from far past the end of memory. */
EXPORT("sample_trap_oob_load") int32_t sample_trap_oob_load(int32_t addr) {
    volatile int32_t *p = (volatile int32_t *)(uintptr_t)(uint32_t)addr;
    return *p;
}

EXPORT("sample_trap_oob_store") void sample_trap_oob_store(void) {
    volatile uint32_t addr = 0xfffffffcu;
    *(volatile int64_t *)(uintptr_t)addr = 42;
}

EXPORT("sample_trap_unreachable") int32_t sample_trap_unreachable(int32_t x) {
    if (x > 0) __builtin_trap();
    return x;
}

typedef int32_t (*fn1_t)(int32_t);
typedef int64_t (*fn2_t)(int64_t, int64_t);
typedef int32_t (*fn0_t)(void);

NOINLINE static int32_t times_two(int32_t x) { return x * 2; }
static fn1_t volatile times_two_ptr = times_two;

/* Calls a (i32)->i32 function through a pointer of type (i64, i64)->i64. */
EXPORT("sample_trap_indirect_type_mismatch") int64_t sample_trap_indirect_type_mismatch(void) {
    fn2_t wrong = (fn2_t)(void *)times_two_ptr;
    return wrong(1, 2);
}

/* The same pointer called with its real type works. */
EXPORT("sample_indirect_ok") int32_t sample_indirect_ok(int32_t x) { return times_two_ptr(x); }

/* A function pointer (table index) far past the end of the table. */
EXPORT("sample_trap_undefined_element") int32_t sample_trap_undefined_element(void) {
    volatile uintptr_t index = 100000;
    return ((fn0_t)index)();
}

/* A null function pointer: table slot 0 is never initialised. */
EXPORT("sample_trap_null_function") int32_t sample_trap_null_function(void) {
    volatile uintptr_t index = 0;
    return ((fn0_t)index)();
}

/* Trapping float->int truncation. (A plain C cast is not enough: without
 * nontrapping-fptoint clang guards i32.trunc_f32_s with a range check and yields INT_MIN,
 * so the raw instruction is requested through the builtin.) */
EXPORT("sample_trap_invalid_conversion") int32_t sample_trap_invalid_conversion(float x) {
#ifdef __wasm__
    return __builtin_wasm_trunc_s_i32_f32(x);
#else
    return (int32_t)x;
#endif
}

EXPORT("sample_trap_conversion_overflow") int64_t sample_trap_conversion_overflow(double x) {
#ifdef __wasm__
    return __builtin_wasm_trunc_s_i64_f64(x);
#else
    return (int64_t)x;
#endif
}

/* The plain C cast of an out-of-range value: clang's guarded lowering gives INT32_MIN. */
EXPORT("sample_guarded_cast") int32_t sample_guarded_cast(float x) {
#ifdef __wasm__
    return (int32_t)x;
#else
    return (x != x || x >= 2147483648.0f || x < -2147483648.0f) ? INT32_MIN : (int32_t)x;
#endif
}

/* Unbounded recursion through a volatile function pointer (so it can be neither turned
 * into a loop nor proven infinite). */
static int32_t recurse(int32_t n);
static int32_t (*volatile recurse_ptr)(int32_t) = recurse;
NOINLINE static int32_t recurse(int32_t n) { return recurse_ptr(n + 1) + 1; }
EXPORT("sample_trap_stack_exhausted") int32_t sample_trap_stack_exhausted(void) { return recurse_ptr(0); }

/* Division that does not trap, as a control. */
EXPORT("sample_safe_div") int32_t sample_safe_div(int32_t a, int32_t b) { return b == 0 ? 0 : a / b; }
