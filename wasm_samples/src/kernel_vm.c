// Benchmark kernel: a register-machine bytecode interpreter (16 registers, 32-bit instruction
// words, 21 opcodes dispatched by one `switch` in a loop: a `br_table`, no function pointers).
// A small assembler emits the program at run time: for `scale` values n it counts the Collatz
// steps of a pseudo-random start, keeps a histogram of the step counts in the VM's memory,
// calls a gcd subroutine (remainder loop) and folds everything into an accumulator. Unlike
// `interp` (a stack machine with `call_indirect` arithmetic), this one decodes register fields
// with shifts and masks in every handler.
#include "fayasm_sample.h"

enum {
    OP_HALT,  /*                     stop; result is r[a] */
    OP_LI,    /* a, imm16            r[a] = imm */
    OP_MOV,   /* a, b                r[a] = r[b] */
    OP_ADD,   /* a, b, c             r[a] = r[b] + r[c] */
    OP_SUB,   /* a, b, c */
    OP_MUL,   /* a, b, c */
    OP_AND,   /* a, b, c */
    OP_XOR,   /* a, b, c */
    OP_ADDI,  /* a, b, imm16         r[a] = r[b] + imm */
    OP_ANDI,  /* a, b, imm16 */
    OP_SHRI,  /* a, b, imm16         r[a] = r[b] >> (imm & 31), logical */
    OP_ROTLI, /* a, b, imm16 */
    OP_REMU,  /* a, b, c             r[a] = r[b] % r[c] (r[b] if r[c] == 0) */
    OP_LD,    /* a, b, imm16         r[a] = mem[(r[b] + imm) & MEM_MASK] */
    OP_ST,    /* a, b, imm16         mem[(r[b] + imm) & MEM_MASK] = r[a] */
    OP_JMP,   /* imm16               pc = imm */
    OP_JZ,    /* a, imm16            if r[a] == 0: pc = imm */
    OP_JNE,   /* a, b, imm16         if r[a] != r[b]: pc = imm */
    OP_JLTU,  /* a, b, imm16         if r[a] < r[b] (unsigned): pc = imm */
    OP_CALL,  /* imm16               push pc; pc = imm */
    OP_RET,   /*                     pc = pop */
};

#define MEM_WORDS 256u
#define MEM_MASK (MEM_WORDS - 1u)
#define CODE_MAX 128
#define RSTACK 16

static uint32_t code[CODE_MAX];
static uint32_t mem[MEM_WORDS];
static int32_t code_len;

/* Instruction word: op in bits 0-7, a in 8-11, b in 12-15, c in 16-19 or a signed imm16 in
 * bits 16-31. */
static inline uint32_t rrr(uint32_t op, uint32_t a, uint32_t b, uint32_t c) {
    return op | (a << 8) | (b << 12) | (c << 16);
}
static inline uint32_t rri(uint32_t op, uint32_t a, uint32_t b, int32_t imm) {
    return op | (a << 8) | (b << 12) | ((uint32_t)imm << 16);
}
static inline int32_t here(void) { return code_len; }
static inline void emit(uint32_t w) { code[code_len++] = w; }
/* Patches the imm16 of the instruction at `at` to `target`. */
static inline void patch(int32_t at, int32_t target) {
    code[at] = (code[at] & 0xffffu) | ((uint32_t)target << 16);
}

NOINLINE static uint32_t run(const uint32_t *prog, uint32_t *r, uint32_t *m) {
    uint32_t rstack[RSTACK];
    uint32_t rsp = 0;
    uint32_t pc = 0;
    for (;;) {
        uint32_t w = prog[pc++];
        uint32_t a = (w >> 8) & 15u, b = (w >> 12) & 15u, c = (w >> 16) & 15u;
        int32_t imm = (int32_t)w >> 16;
        switch (w & 0xffu) {
        case OP_HALT: return r[a];
        case OP_LI: r[a] = (uint32_t)imm; break;
        case OP_MOV: r[a] = r[b]; break;
        case OP_ADD: r[a] = r[b] + r[c]; break;
        case OP_SUB: r[a] = r[b] - r[c]; break;
        case OP_MUL: r[a] = r[b] * r[c]; break;
        case OP_AND: r[a] = r[b] & r[c]; break;
        case OP_XOR: r[a] = r[b] ^ r[c]; break;
        case OP_ADDI: r[a] = r[b] + (uint32_t)imm; break;
        case OP_ANDI: r[a] = r[b] & (uint32_t)imm; break;
        case OP_SHRI: r[a] = r[b] >> (imm & 31); break;
        case OP_ROTLI: {
            uint32_t n = (uint32_t)imm & 31u, x = r[b];
            r[a] = (x << n) | (x >> ((32u - n) & 31u));
            break;
        }
        case OP_REMU: r[a] = r[c] != 0 ? r[b] % r[c] : r[b]; break;
        case OP_LD: r[a] = m[(r[b] + (uint32_t)imm) & MEM_MASK]; break;
        case OP_ST: m[(r[b] + (uint32_t)imm) & MEM_MASK] = r[a]; break;
        case OP_JMP: pc = (uint32_t)imm; break;
        case OP_JZ: if (r[a] == 0) pc = (uint32_t)imm; break;
        case OP_JNE: if (r[a] != r[b]) pc = (uint32_t)imm; break;
        case OP_JLTU: if (r[a] < r[b]) pc = (uint32_t)imm; break;
        case OP_CALL:
            if (rsp == RSTACK) return 0xdeadu; /* never, for this program */
            rstack[rsp++] = pc;
            pc = (uint32_t)imm;
            break;
        case OP_RET:
            if (rsp == 0) return 0xbeefu;
            pc = rstack[--rsp];
            break;
        default: return 0xbadu;
        }
    }
}

/* Registers: r0 = n (count), r1 = i, r2 = Collatz value, r3 = steps, r4 = 1, r5/r6/r13 =
 * temporaries, r7 = accumulator, r8 = multiplier, r10/r11/r12 = gcd arguments and temporary,
 * r14 = 0x7fff mask, r15 = gcd partner. */
static void assemble(void) {
    code_len = 0;
    emit(rri(OP_LI, 1, 0, 0));          /* i = 0 */
    emit(rri(OP_LI, 4, 0, 1));          /* one */
    emit(rri(OP_LI, 7, 0, 0));          /* acc */
    emit(rri(OP_LI, 8, 0, 7919));       /* multiplier */
    emit(rri(OP_LI, 14, 0, 0x7fff));    /* mask */
    emit(rri(OP_LI, 15, 0, 30030));     /* 2*3*5*7*11*13 */
    int32_t loop = here();
    /* x = ((i * 7919) & 0x7fff) + 1 */
    emit(rrr(OP_MUL, 2, 1, 8));
    emit(rrr(OP_AND, 2, 2, 14));
    emit(rri(OP_ADDI, 2, 2, 1));
    emit(rri(OP_MOV, 10, 2, 0));        /* gcd argument: the start */
    emit(rri(OP_LI, 3, 0, 0));
    int32_t collatz = here();
    int32_t to_done = here();
    emit(rri(OP_JNE, 2, 4, 0));         /* patched: x != 1 -> step */
    int32_t jdone = here();
    emit(rri(OP_JMP, 0, 0, 0));         /* patched: -> done */
    patch(to_done, here());
    emit(rri(OP_ANDI, 5, 2, 1));
    int32_t jeven = here();
    emit(rri(OP_JZ, 5, 0, 0));          /* patched: even */
    emit(rrr(OP_ADD, 6, 2, 2));         /* odd: x = 3x + 1 */
    emit(rrr(OP_ADD, 2, 6, 2));
    emit(rri(OP_ADDI, 2, 2, 1));
    int32_t jnext = here();
    emit(rri(OP_JMP, 0, 0, 0));         /* patched: next */
    patch(jeven, here());
    emit(rri(OP_SHRI, 2, 2, 1));        /* even: x = x / 2 */
    patch(jnext, here());
    emit(rri(OP_ADDI, 3, 3, 1));
    emit(rri(OP_JMP, 0, 0, collatz));
    patch(jdone, here());
    /* histogram[steps & 63] += 1 at mem[64..127] */
    emit(rri(OP_ANDI, 5, 3, 63));
    emit(rri(OP_LD, 13, 5, 64));
    emit(rri(OP_ADDI, 13, 13, 1));
    emit(rri(OP_ST, 13, 5, 64));
    /* g = gcd(start, 30030 + i) */
    emit(rrr(OP_ADD, 11, 15, 1));
    int32_t call = here();
    emit(rri(OP_CALL, 0, 0, 0));        /* patched: gcd */
    /* acc = rotl(acc ^ steps, 5) + g; mem[i & 255] ^= acc */
    emit(rrr(OP_XOR, 7, 7, 3));
    emit(rri(OP_ROTLI, 7, 7, 5));
    emit(rrr(OP_ADD, 7, 7, 10));
    emit(rri(OP_ANDI, 5, 1, 255));
    emit(rri(OP_LD, 6, 5, 0));
    emit(rrr(OP_XOR, 6, 6, 7));
    emit(rri(OP_ST, 6, 5, 0));
    emit(rri(OP_ADDI, 1, 1, 1));
    emit(rri(OP_JLTU, 1, 0, loop));
    /* result: acc ^ sum of memory */
    emit(rri(OP_LI, 1, 0, 0));
    emit(rri(OP_LI, 0, 0, (int32_t)MEM_WORDS));
    int32_t sum = here();
    emit(rri(OP_LD, 6, 1, 0));
    emit(rrr(OP_SUB, 7, 7, 6));
    emit(rri(OP_ROTLI, 7, 7, 1));
    emit(rri(OP_ADDI, 1, 1, 1));
    emit(rri(OP_JLTU, 1, 0, sum));
    emit(rri(OP_HALT, 7, 0, 0));
    /* gcd(r10, r11) -> r10 */
    patch(call, here());
    int32_t gcd = here();
    int32_t jret = here();
    emit(rri(OP_JZ, 11, 0, 0));         /* patched: -> ret */
    emit(rrr(OP_REMU, 12, 10, 11));
    emit(rri(OP_MOV, 10, 11, 0));
    emit(rri(OP_MOV, 11, 12, 0));
    emit(rri(OP_JMP, 0, 0, gcd));
    patch(jret, here());
    emit(rri(OP_RET, 0, 0, 0));
}

EXPORT("bench_vm") int32_t bench_vm(int32_t scale) {
    uint32_t reg[16] = {0};
    if (scale <= 0) return 0;
    assemble();
    for (uint32_t i = 0; i < MEM_WORDS; i++) mem[i] = i * 0x9e3779b9u;
    reg[0] = (uint32_t)scale;
    return (int32_t)run(code, reg, mem);
}
