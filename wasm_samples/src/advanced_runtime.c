// Multi-value returns (structs returned as several wasm results under clang's
// experimental-mv ABI, see advanced_runtime.flags), the shadow-stack global, deep recursion
// with a depth parameter, and memory.size/memory.grow.
#include "fayasm_sample.h"

typedef struct { int32_t quot; int32_t rem; } divmod_t;
typedef struct { int32_t lo; int32_t hi; } halves_t;
typedef struct { int64_t sum; int32_t count; } sum_count_t;
typedef struct { double mean; int32_t min; int32_t max; } stats_t;

/* (i32, i32) */
EXPORT("sample_divmod") divmod_t sample_divmod(int32_t a, int32_t b) {
    divmod_t r = {a / b, a % b};
    return r;
}

/* (i32, i32) from an i64 */
EXPORT("sample_split_i64") halves_t sample_split_i64(int64_t x) {
    halves_t r = {(int32_t)(uint32_t)(uint64_t)x, (int32_t)(uint32_t)((uint64_t)x >> 32)};
    return r;
}

/* (i64, i32) */
EXPORT("sample_sum_count") sum_count_t sample_sum_count(int32_t from, int32_t to) {
    sum_count_t r = {0, 0};
    for (int32_t i = from; i <= to; i++) {
        r.sum += i;
        r.count++;
    }
    return r;
}

/* (f64, i32, i32) */
EXPORT("sample_stats") stats_t sample_stats(int32_t seed, int32_t n) {
    stats_t r = {0.0, INT32_MAX, INT32_MIN};
    uint32_t x = (uint32_t)seed;
    double total = 0.0;
    for (int32_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        int32_t v = (int32_t)(x >> 16) - 32768;
        total += v;
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
    }
    r.mean = n > 0 ? total / n : 0.0;
    return r;
}

/* Note: a multi-value result consumed by a non-inlined call inside the module crashes
 * clang 14's WebAssembly register colouring (Debian emscripten 3.1.6), so multi-value
 * results are only returned from exports here. */

/* A counter kept in static memory, bumped through a non-inlined function. */
static int32_t counter;
NOINLINE static void bump(int32_t by) { counter += by; }
EXPORT("sample_counter") int32_t sample_counter(int32_t times) {
    for (int32_t i = 0; i < times; i++) bump(i);
    return counter;
}

/* A local array whose address escapes lives on the shadow stack: exercises the mutable
 * __stack_pointer global (global.get/global.set). */
NOINLINE static int32_t sum_array(const int32_t *a, int32_t n) {
    int32_t s = 0;
    for (int32_t i = 0; i < n; i++) s += a[i] * (i + 1);
    return s;
}
NOINLINE static int32_t stack_frame(int32_t n, int32_t depth) {
    int32_t local[32];
    for (int32_t i = 0; i < 32; i++) local[i] = n + i * depth;
    int32_t here = sum_array(local, 32);
    return depth > 0 ? here + stack_frame(n + 1, depth - 1) : here;
}
EXPORT("sample_shadow_stack") int32_t sample_shadow_stack(int32_t n, int32_t depth) {
    if (depth < 0 || depth > 100) return -1;
    return stack_frame(n, depth);
}

/* Non-tail recursion `depth` calls deep (no shadow-stack use, so only the wasm call stack
 * grows). */
EXPORT("sample_deep_recursion") int32_t sample_deep_recursion(int32_t depth) {
    if (depth <= 0) return 1;
    return (depth ^ (sample_deep_recursion(depth - 1) * 3)) & 0xfffffff;
}

/* memory.size / memory.grow. Results are relative to the initial size so they do not
 * depend on the build's INITIAL_MEMORY. The native branch emulates wasm memory with the
 * same 256-page maximum (-sMAXIMUM_MEMORY=16777216). */
#ifdef __wasm__
static int32_t mem_size(void) { return (int32_t)__builtin_wasm_memory_size(0); }
static int32_t mem_grow(int32_t n) { return (int32_t)__builtin_wasm_memory_grow(0, (uint32_t)n); }
#else
static int32_t fake_pages = 2;
static int32_t mem_size(void) { return fake_pages; }
static int32_t mem_grow(int32_t n) {
    if (n < 0 || fake_pages + n > 256) return -1;
    int32_t old = fake_pages;
    fake_pages += n;
    return old;
}
#endif

/* Grows by n pages: returns the growth seen by memory.size, or -1000 - (what grow returned)
 * if grow did not return the old size. */
EXPORT("sample_memory_grow") int32_t sample_memory_grow(int32_t n) {
    int32_t before = mem_size();
    int32_t old = mem_grow(n);
    if (old != before) return -1000 - old;
    return mem_size() - before;
}

/* Growing past the maximum fails with -1 and leaves the size unchanged. */
EXPORT("sample_memory_grow_too_far") int32_t sample_memory_grow_too_far(void) {
    int32_t before = mem_size();
    int32_t r = mem_grow(1000);
    return r * 10 + (mem_size() - before);
}

/* Grows, then writes and reads the last bytes of the new memory. */
EXPORT("sample_memory_grow_touch") int32_t sample_memory_grow_touch(int32_t n, int32_t value) {
    int32_t old = mem_grow(n);
    if (old < 0) return -1;
#ifdef __wasm__
    volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)((uint32_t)(old + n) * 65536u - 4u);
    int32_t fresh = last[0] + last[1] + last[2] + last[3]; /* new pages are zeroed */
    last[3] = (uint8_t)value;
    last[0] = (uint8_t)(value >> 8);
    return fresh * 100000 + last[3] + last[0] * 256;
#else
    return (value & 0xff) + ((value >> 8) & 0xff) * 256;
#endif
}
