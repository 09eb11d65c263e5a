// Control flow: loops, recursion, early exits and a dense switch that lowers to br_table.
#include "fayasm_sample.h"

EXPORT("sample_factorial") int32_t sample_factorial(int32_t n) {
    int32_t acc = 1;
    for (int32_t i = 2; i <= n; i++) acc = (int32_t)((uint32_t)acc * (uint32_t)i);
    return acc;
}

/* No arguments: 6! = 720. The canonical "does anything run at all" case. */
EXPORT("sample_factorial_6") int32_t sample_factorial_6(void) {
    volatile int32_t six = 6;
    return sample_factorial(six);
}

NOINLINE static uint64_t factorial_rec(uint64_t n) { return n <= 1 ? 1 : n * factorial_rec(n - 1); }

EXPORT("sample_factorial_i64") int64_t sample_factorial_i64(int64_t n) { return (int64_t)factorial_rec((uint64_t)n); }

EXPORT("sample_fib_recursive") int32_t sample_fib_recursive(int32_t n) {
    return n < 2 ? n : sample_fib_recursive(n - 1) + sample_fib_recursive(n - 2);
}

EXPORT("sample_fib_iterative") int64_t sample_fib_iterative(int32_t n) {
    uint64_t a = 0, b = 1;
    for (int32_t i = 0; i < n; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return (int64_t)a;
}

EXPORT("sample_nested_loops") int32_t sample_nested_loops(int32_t n) {
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int32_t j = 0; j < i; j++) {
            if ((i + j) % 3 == 0) continue;
            for (int32_t k = j; k < i; k += 2) sum += (uint32_t)(i * j + k) % 7u;
        }
    }
    return (int32_t)sum;
}

EXPORT("sample_gcd") int32_t sample_gcd(int32_t a, int32_t b) {
    while (b != 0) {
        int32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

EXPORT("sample_collatz_steps") int32_t sample_collatz_steps(int64_t n) {
    int32_t steps = 0;
    while (n != 1) {
        n = (n & 1) ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

EXPORT("sample_is_prime") int32_t sample_is_prime(int32_t n) {
    if (n < 2) return 0;
    for (int32_t d = 2; (int64_t)d * d <= n; d++) {
        if (n % d == 0) return 0;
    }
    return 1;
}

EXPORT("sample_count_primes") int32_t sample_count_primes(int32_t limit) {
    int32_t count = 0;
    for (int32_t i = 0; i < limit; i++) count += sample_is_prime(i);
    return count;
}

/* A dense switch over 0..9 whose arms compute different things (so LLVM cannot turn it
 * into a lookup table): lowers to br_table. */
EXPORT("sample_switch_dense") int32_t sample_switch_dense(int32_t op, int32_t x) {
    switch (op) {
    case 0: return x + 1;
    case 1: return x * 3;
    case 2: return x ^ 0x5a5a;
    case 3: return x << 4;
    case 4: return x - 100;
    case 5: return x / 7;
    case 6: return x % 11;
    case 7: return ~x;
    case 8: return x * x;
    case 9: return (x >> 2) + 9;
    default: return -1;
    }
}

/* Labelled-break style exit from a doubly nested search. */
EXPORT("sample_find_pair") int32_t sample_find_pair(int32_t target) {
    for (int32_t i = 1; i < 100; i++) {
        for (int32_t j = i; j < 100; j++) {
            if (i * i + j * j == target) return i * 1000 + j;
            if (i * i + j * j > target) break;
        }
    }
    return -1;
}

/* Mutual recursion. */
NOINLINE static int32_t is_odd(uint32_t n);
NOINLINE static int32_t is_even(uint32_t n) { return n == 0 ? 1 : is_odd(n - 1); }
NOINLINE static int32_t is_odd(uint32_t n) { return n == 0 ? 0 : is_even(n - 1); }
EXPORT("sample_is_even") int32_t sample_is_even(int32_t n) { return is_even((uint32_t)n); }

/* Ackermann: deep, irregular recursion. */
EXPORT("sample_ackermann") int32_t sample_ackermann(int32_t m, int32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return sample_ackermann(m - 1, 1);
    return sample_ackermann(m - 1, sample_ackermann(m, n - 1));
}
