/* Host calls: a fixture that imports host functions, the ones samples/host-import provides
 * (as a Rust cdylib and in C) through fayasm's C ABI. `cargo xtask smoke` and the fixtures
 * test bind them with `--import-lib` / `fayasm_host::dylib`.
 *
 * The native oracle build has no host: under `#else` the same functions are plain C with the
 * library's semantics, so the expected results still come from native code, not from fayasm.
 */
#include "fayasm_sample.h"

#ifdef __wasm__
#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))
IMPORT("host_add") int32_t host_add(int32_t a, int32_t b);
IMPORT("host_write") int32_t host_write(char *buf, int32_t cap);
IMPORT("host_scale") double host_scale(double x, int64_t n);
IMPORT("host_trap") void host_trap(int32_t code);
#else
#include <stdlib.h>
#include <string.h>
static int32_t host_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t host_write(char *buf, int32_t cap) {
    static const char greeting[] = "hello from the host";
    uint32_t n = sizeof greeting - 1;
    if ((uint32_t)cap < n) n = (uint32_t)cap;
    memcpy(buf, greeting, n);
    return (int32_t)n;
}
static double host_scale(double x, int64_t n) { return x * (double)n; }
static void host_trap(int32_t code) { (void)code; abort(); }
#endif

static char buffer[64];

EXPORT("sample_host_add") int32_t sample_host_add(int32_t a, int32_t b) { return host_add(a, b); }

/* A host call per iteration: the sum 0 + 1 + ... + (n - 1) through the host. */
EXPORT("sample_host_add_loop") int32_t sample_host_add_loop(int32_t n) {
    int32_t acc = 0;
    for (int32_t i = 0; i < n; i++) acc = host_add(acc, i);
    return acc;
}

/* The host writes a greeting into guest memory; the guest checksums what it got. */
EXPORT("sample_host_greet") int32_t sample_host_greet(int32_t cap) {
    if ((uint32_t)cap > sizeof buffer) cap = (int32_t)sizeof buffer;
    int32_t n = host_write(buffer, cap);
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++) sum += (uint32_t)(unsigned char)buffer[i] * (uint32_t)(i + 1);
    return (int32_t)(sum * 100u + (uint32_t)n);
}

EXPORT("sample_host_scale") double sample_host_scale(double x, int64_t n) {
    return host_scale(x, n) + 0.5;
}

/* The host traps: the call never returns. */
EXPORT("sample_host_trap") int32_t sample_host_trap(int32_t code) {
    host_trap(code);
    return code;
}
