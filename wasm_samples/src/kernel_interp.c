// Benchmark kernel: a small stack-machine bytecode interpreter. Control ops are dispatched by a
// dense switch (`br_table`), arithmetic ops through a table of function pointers
// (`call_indirect`). The program runs an LCG-and-mix loop `scale` times and returns its
// accumulator.
#include "fayasm_sample.h"

enum {
    OP_HALT,
    OP_PUSH,  /* imm: push imm */
    OP_LOAD,  /* r: push reg[r] */
    OP_STORE, /* r: reg[r] = pop */
    OP_ALU,   /* k: b = pop, a = pop, push alu[k](a, b) */
    OP_JNZ,   /* t: if pop != 0 goto t */
    OP_JMP,   /* t: goto t */
    OP_DUP,
    OP_DROP,
    OP_SWAP,
    OP_DEC,   /* r: reg[r] -= 1, push reg[r] */
    OP_NEG,
};

typedef int32_t (*alu_t)(int32_t, int32_t);

NOINLINE static int32_t alu_add(int32_t a, int32_t b) { return a + b; }
NOINLINE static int32_t alu_sub(int32_t a, int32_t b) { return a - b; }
NOINLINE static int32_t alu_mul(int32_t a, int32_t b) { return a * b; }
NOINLINE static int32_t alu_xor(int32_t a, int32_t b) { return a ^ b; }
NOINLINE static int32_t alu_and(int32_t a, int32_t b) { return a & b; }
NOINLINE static int32_t alu_or(int32_t a, int32_t b) { return a | b; }
NOINLINE static int32_t alu_shr(int32_t a, int32_t b) { return (int32_t)((uint32_t)a >> (b & 31)); }
NOINLINE static int32_t alu_rotl(int32_t a, int32_t b) {
    uint32_t x = (uint32_t)a, n = (uint32_t)b & 31u;
    return (int32_t)((x << n) | (x >> ((32u - n) & 31u)));
}

static alu_t alu[8] = {alu_add, alu_sub, alu_mul, alu_xor, alu_and, alu_or, alu_shr, alu_rotl};

enum { ADD, SUB, MUL, XOR, AND, OR, SHR, ROTL };

/* reg0: counter, reg1: LCG state, reg2: accumulator. */
static const int32_t program[] = {
    /* 0 */ OP_LOAD, 1, OP_PUSH, 1103515245, OP_ALU, MUL, OP_PUSH, 12345, OP_ALU, ADD,
    /* 10 */ OP_DUP, OP_STORE, 1,
    /* 13 */ OP_PUSH, 7, OP_ALU, SHR, OP_LOAD, 2, OP_ALU, XOR,
    /* 21 */ OP_PUSH, 5, OP_ALU, ROTL, OP_LOAD, 1, OP_PUSH, 0xff, OP_ALU, AND, OP_ALU, ADD,
    /* 33 */ OP_DUP, OP_PUSH, 3, OP_ALU, OR, OP_SWAP, OP_DROP, OP_NEG, OP_NEG,
    /* 42 */ OP_LOAD, 0, OP_ALU, SUB, OP_STORE, 2,
    /* 48 */ OP_DEC, 0, OP_JNZ, 0,
    /* 52 */ OP_LOAD, 2, OP_HALT,
};

NOINLINE static int32_t run(const int32_t *code, int32_t *reg) {
    int32_t stack[64];
    int32_t sp = 0, pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: return sp > 0 ? stack[sp - 1] : 0;
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOAD: stack[sp++] = reg[code[pc++]]; break;
        case OP_STORE: reg[code[pc++]] = stack[--sp]; break;
        case OP_ALU: {
            int32_t b = stack[--sp];
            int32_t a = stack[sp - 1];
            stack[sp - 1] = alu[code[pc++] & 7](a, b);
            break;
        }
        case OP_JNZ: {
            int32_t t = code[pc++];
            if (stack[--sp] != 0) pc = t;
            break;
        }
        case OP_JMP: pc = code[pc]; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_SWAP: {
            int32_t t = stack[sp - 1];
            stack[sp - 1] = stack[sp - 2];
            stack[sp - 2] = t;
            break;
        }
        case OP_DEC: {
            int32_t r = code[pc++];
            reg[r] -= 1;
            stack[sp++] = reg[r];
            break;
        }
        case OP_NEG: stack[sp - 1] = -stack[sp - 1]; break;
        default: return -1;
        }
    }
}

EXPORT("bench_interp") int32_t bench_interp(int32_t scale) {
    int32_t reg[4] = {scale, 42, 0, 0};
    if (scale <= 0) return 0;
    return run(program, reg);
}
