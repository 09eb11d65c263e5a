/*
 * host_import.c: the C twin of samples/host-import/src/lib.rs, a shared library of host
 * functions in fayasm's C ABI (crates/fayasm-host/include/fayasm_host.h). fayasm-host's tests
 * build it with the system C compiler:
 *
 *   cc -shared -fPIC -I crates/fayasm-host/include -o libhost_import_c.so host_import.c
 *
 * env.host_add adds two i32s, env.host_write writes a greeting into guest memory,
 * env.host_trap traps with a message, env.host_scale multiplies an f64 by an i64.
 */
#include <stdio.h>
#include <string.h>

#include "fayasm_host.h"

const char fayasm_imports[] =
    "env.host_add=host_add\n"
    "env.host_write=host_write\n"
    "env.host_trap=host_trap\n"
    "env.host_scale=host_scale\n";

const fayasm_signature fayasm_sig_host_add = {
    FAYASM_ABI_VERSION, 2, 1, {FAYASM_I32, FAYASM_I32}, {FAYASM_I32}};

int32_t host_add(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    (void)ctx;
    results[0] = (uint32_t)((uint32_t)args[0] + (uint32_t)args[1]);
    return FAYASM_OK;
}

const fayasm_signature fayasm_sig_host_write = {
    FAYASM_ABI_VERSION, 2, 1, {FAYASM_I32, FAYASM_I32}, {FAYASM_I32}};

int32_t host_write(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    static const char greeting[] = "hello from the host";
    uint64_t ptr = (uint32_t)args[0];
    uint64_t n = sizeof greeting - 1;
    if ((uint32_t)args[1] < n) n = (uint32_t)args[1];
    if (ctx->memory_write(ctx->env, ptr, greeting, n) != 0) {
        static const char msg[] = "host_write: guest buffer out of bounds";
        ctx->trap(ctx->env, msg, sizeof msg - 1);
        return FAYASM_TRAP;
    }
    results[0] = n;
    return FAYASM_OK;
}

const fayasm_signature fayasm_sig_host_trap = {FAYASM_ABI_VERSION, 1, 0, {FAYASM_I32}, {0}};

int32_t host_trap(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    char msg[64];
    int len = snprintf(msg, sizeof msg, "host_trap: refused %d", (int32_t)(uint32_t)args[0]);
    (void)results;
    ctx->trap(ctx->env, msg, (uint64_t)len);
    return FAYASM_TRAP;
}

const fayasm_signature fayasm_sig_host_scale = {
    FAYASM_ABI_VERSION, 2, 1, {FAYASM_F64, FAYASM_I64}, {FAYASM_F64}};

int32_t host_scale(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    double x;
    int64_t n = (int64_t)args[1];
    double r;
    (void)ctx;
    memcpy(&x, &args[0], sizeof x);
    r = x * (double)n;
    memcpy(&results[0], &r, sizeof r);
    return FAYASM_OK;
}

/* A library whose signature does not match the imports that expect host_add. */
const fayasm_signature fayasm_sig_host_add_i64 = {
    FAYASM_ABI_VERSION, 2, 1, {FAYASM_I64, FAYASM_I64}, {FAYASM_I64}};

int32_t host_add_i64(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    (void)ctx;
    results[0] = args[0] + args[1];
    return FAYASM_OK;
}

/* A signature of an ABI version this fayasm does not speak. */
const fayasm_signature fayasm_sig_future = {99, 0, 0, {0}, {0}};

int32_t future(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    (void)ctx; (void)args; (void)results;
    return FAYASM_OK;
}

/* An entry without a signature descriptor. */
int32_t unsigned_entry(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    (void)ctx; (void)args; (void)results;
    return FAYASM_OK;
}

/* Returns a status other than OK and TRAP. */
const fayasm_signature fayasm_sig_odd_status = {FAYASM_ABI_VERSION, 0, 0, {0}, {0}};

int32_t odd_status(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results) {
    (void)ctx; (void)args; (void)results;
    return 42;
}
