/*
 * fayasm_host.h: the C ABI of a host function that fayasm loads from a shared library.
 *
 * A library provides, for each host function, two exported symbols:
 *
 *   - the entry, `SYMBOL`, of type `fayasm_entry`;
 *   - its signature, `fayasm_sig_SYMBOL`, a `fayasm_signature` object.
 *
 * fayasm reads the signature when it binds an import to `SYMBOL` and refuses the binding if
 * it does not match the import's type, so a wrong signature is an error at bind time, never a
 * crash at call time.
 *
 * Optionally the library names the imports it means to satisfy in `fayasm_imports`, a
 * NUL-terminated string of lines `module.name=SYMBOL` (separated by '\n'); `fayasm run
 * --import-lib PATH` binds every line of it. `--import-lib PATH:module.name=SYMBOL` binds one
 * import to one symbol and needs no `fayasm_imports`.
 *
 * Values cross the ABI as 64-bit cells: an i32 is zero-extended, an f32 is its IEEE bits in
 * the low 32 bits, an i64 is its two's-complement bits, an f64 its IEEE bits. Only these four
 * types are supported.
 *
 * The entry returns FAYASM_OK, or FAYASM_TRAP to trap the calling wasm (with the message it
 * gave `ctx->trap`, or "host function trapped" if it gave none). Any other status traps too,
 * with a message naming the status. Results not written are zero.
 *
 * The context gives bounds-checked access to the calling instance's linear memory (memory 0).
 * It is valid only during the call; the entry must not keep it.
 */
#ifndef FAYASM_HOST_H
#define FAYASM_HOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes; `fayasm_signature.abi_version` must equal it. */
#define FAYASM_ABI_VERSION 1u

/* The most parameters or results a signature may have. */
#define FAYASM_MAX_VALUES 16u

/* Value types. */
#define FAYASM_I32 0u
#define FAYASM_I64 1u
#define FAYASM_F32 2u
#define FAYASM_F64 3u

/* Status codes an entry returns. */
#define FAYASM_OK 0
#define FAYASM_TRAP 1

/* The signature of one host function, exported as `fayasm_sig_SYMBOL`. */
typedef struct fayasm_signature {
    uint32_t abi_version;                  /* FAYASM_ABI_VERSION */
    uint32_t param_count;                  /* <= FAYASM_MAX_VALUES */
    uint32_t result_count;                 /* <= FAYASM_MAX_VALUES */
    uint8_t params[FAYASM_MAX_VALUES];     /* FAYASM_I32 ... FAYASM_F64, first param_count used */
    uint8_t results[FAYASM_MAX_VALUES];    /* likewise for results */
} fayasm_signature;

/* What the entry can do with its caller. Every function takes `ctx->env` first. */
typedef struct fayasm_ctx {
    uint32_t abi_version;                  /* FAYASM_ABI_VERSION */
    void *env;                             /* opaque; pass it back to the functions below */
    /* Size in bytes of the caller's memory 0 (0 if it has none). */
    uint64_t (*memory_size)(void *env);
    /* Copy `len` bytes at guest `offset` into `dst`; 0 on success, non-zero (and nothing
     * copied) if the range is out of bounds or the caller has no memory. */
    int32_t (*memory_read)(void *env, uint64_t offset, void *dst, uint64_t len);
    /* Copy `len` bytes from `src` to guest `offset`; checked like memory_read. */
    int32_t (*memory_write)(void *env, uint64_t offset, const void *src, uint64_t len);
    /* Set the trap message (UTF-8, `len` bytes, copied) for a following FAYASM_TRAP. */
    void (*trap)(void *env, const char *message, uint64_t len);
} fayasm_ctx;

/* A host function: `args` holds param_count cells, `results` room for result_count cells. */
typedef int32_t (*fayasm_entry)(const fayasm_ctx *ctx, const uint64_t *args, uint64_t *results);

#ifdef __cplusplus
}
#endif

#endif /* FAYASM_HOST_H */
