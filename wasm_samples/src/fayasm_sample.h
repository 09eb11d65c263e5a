/* Shared by every fixture in wasm_samples/src: the export macro and fixed-width types.
 *
 * Each fixture is compiled twice: with emcc for wasm32 (the committed .wasm) and with the
 * host C compiler by `cargo xtask fixtures`, whose native run produces the expected results
 * in manifest.toml. Code under `#ifdef __wasm__` uses wasm-only builtins; its `#else` branch
 * implements the same WebAssembly semantics portably so the native oracle agrees.
 *
 * Rules for sample functions: export name == C name, parameters and results are
 * int32_t/uint32_t/int64_t/uint64_t/float/double only (never long or pointers), and
 * multi-value results are structs of two or more such fields. */
#ifndef FAYASM_SAMPLE_H
#define FAYASM_SAMPLE_H

#include <stdint.h>

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

#define NOINLINE __attribute__((noinline))

#endif
