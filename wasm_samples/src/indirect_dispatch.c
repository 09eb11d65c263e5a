// Function-pointer tables (call_indirect through the module's table) and a dense switch
// (br_table) driving a tiny stack-machine interpreter.
#include "fayasm_sample.h"

typedef int32_t (*binop_t)(int32_t, int32_t);
typedef double (*unop_f64_t)(double);
typedef int64_t (*fold_t)(int64_t, int32_t);

NOINLINE static int32_t op_add(int32_t a, int32_t b) { return a + b; }
NOINLINE static int32_t op_sub(int32_t a, int32_t b) { return a - b; }
NOINLINE static int32_t op_mul(int32_t a, int32_t b) { return a * b; }
NOINLINE static int32_t op_xor(int32_t a, int32_t b) { return a ^ b; }
NOINLINE static int32_t op_max(int32_t a, int32_t b) { return a > b ? a : b; }
NOINLINE static int32_t op_shl(int32_t a, int32_t b) { return (int32_t)((uint32_t)a << (b & 31)); }

static binop_t const binops[6] = {op_add, op_sub, op_mul, op_xor, op_max, op_shl};

NOINLINE static double f_half(double x) { return x * 0.5; }
NOINLINE static double f_square(double x) { return x * x; }
NOINLINE static double f_negate(double x) { return -x; }
NOINLINE static double f_add_pi(double x) { return x + 3.141592653589793; }

static unop_f64_t const unops[4] = {f_half, f_square, f_negate, f_add_pi};

NOINLINE static int64_t fold_sum(int64_t acc, int32_t x) { return acc + x; }
NOINLINE static int64_t fold_hash(int64_t acc, int32_t x) { return (int64_t)((uint64_t)acc * 31u + (uint32_t)x); }
NOINLINE static int64_t fold_sumsq(int64_t acc, int32_t x) { return acc + (int64_t)x * x; }

static fold_t const folds[3] = {fold_sum, fold_hash, fold_sumsq};

/* One call_indirect, selected by a run-time index. */
EXPORT("sample_apply_binop") int32_t sample_apply_binop(int32_t which, int32_t a, int32_t b) {
    return binops[(uint32_t)which % 6u](a, b);
}

/* Every binop applied in a chain. */
EXPORT("sample_chain_binops") int32_t sample_chain_binops(int32_t seed, int32_t rounds) {
    int32_t acc = seed;
    for (int32_t r = 0; r < rounds; r++) acc = binops[(uint32_t)(acc + r) % 6u](acc, r + 1) & 0xffff;
    return acc;
}

/* f64 functions through another table type. */
EXPORT("sample_apply_unops") double sample_apply_unops(double x, int32_t program) {
    for (int32_t i = 0; i < 8; i++) {
        x = unops[program & 3](x);
        program >>= 2;
    }
    return x;
}

EXPORT("sample_fold") int64_t sample_fold(int32_t which, int32_t n) {
    fold_t f = folds[(uint32_t)which % 3u];
    int64_t acc = 0;
    for (int32_t i = 1; i <= n; i++) acc = f(acc, i);
    return acc;
}

/* Function pointer passed through a (volatile) variable and called indirectly. */
EXPORT("sample_callback") int32_t sample_callback(int32_t which, int32_t x) {
    static binop_t volatile slot;
    slot = binops[(uint32_t)which % 6u];
    return slot(x, x + 1);
}

/* A stack-machine interpreter whose dispatch is a dense switch (br_table). Opcodes:
 * 0 push imm, 1 add, 2 sub, 3 mul, 4 dup, 5 swap, 6 jump-if-nonzero (imm = target),
 * 7 decrement, 8 halt, 9 rot (a b c -> b c a). The program sums counter^2 for counter =
 * start..1 with the stack holding [acc, counter]. */
static const int32_t program_squares[] = {
    4, 0, 4, 0, 3, 0, 9, 0, 1, 0, 5, 0, 7, 0, 4, 0, 6, 0, 8, 0,
};

EXPORT("sample_stack_machine") int32_t sample_stack_machine(int32_t start) {
    int32_t stack[16];
    int32_t sp = 0, pc = 0, steps = 0;
    stack[sp++] = 0;
    stack[sp++] = start;
    for (;;) {
        if (++steps > 10000) return -1;
        int32_t op = program_squares[pc], imm = program_squares[pc + 1];
        pc += 2;
        switch (op) {
        case 0: stack[sp++] = imm; break;
        case 1: sp--; stack[sp - 1] += stack[sp]; break;
        case 2: sp--; stack[sp - 1] -= stack[sp]; break;
        case 3: sp--; stack[sp - 1] *= stack[sp]; break;
        case 4: stack[sp] = stack[sp - 1]; sp++; break;
        case 5: { int32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case 6: sp--; if (stack[sp] != 0) pc = imm; break;
        case 7: stack[sp - 1] -= 1; break;
        case 8: return stack[sp - 2] * 1000 + stack[sp - 1];
        case 9: { int32_t a = stack[sp - 3]; stack[sp - 3] = stack[sp - 2]; stack[sp - 2] = stack[sp - 1]; stack[sp - 1] = a; break; }
        default: return -2;
        }
        if (sp < 2 || sp > 14) return -3;
    }
}

/* A dense switch with per-case work (br_table). */
EXPORT("sample_opcode_switch") int64_t sample_opcode_switch(int32_t op, int64_t x) {
    switch (op) {
    case 0: return x + 7;
    case 1: return x * x;
    case 2: return x >> 3;
    case 3: return x ^ (x << 13);
    case 4: return -x;
    case 5: return x / 3;
    case 6: return x % 1000;
    case 7: return (int64_t)((uint64_t)x >> 60);
    default: return 0;
    }
}
