// Benchmark kernel: sorting 8192 pseudo-random i32 (quicksort with median-of-three pivots and
// insertion sort for short ranges), `scale` times with new data each round. Dominated by i32
// compares, branches, loads/stores and recursion.
#include "fayasm_sample.h"

#define LEN 8192

static int32_t data[LEN];

static void insertion_sort(int32_t *a, int32_t lo, int32_t hi) {
    for (int32_t i = lo + 1; i <= hi; i++) {
        int32_t v = a[i];
        int32_t j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(int32_t *a, int32_t i, int32_t j) {
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

NOINLINE static void quicksort(int32_t *a, int32_t lo, int32_t hi) {
    while (hi - lo > 16) {
        int32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        int32_t pivot = a[mid];
        int32_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                swap(a, i, j);
                i++;
                j--;
            }
        }
        /* Recurse into the smaller side, loop on the larger: bounded depth. */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

EXPORT("bench_sort") int32_t bench_sort(int32_t scale) {
    uint32_t x = 0x2545f491u;
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        for (int32_t i = 0; i < LEN; i++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            data[i] = (int32_t)(x % 100000u) - 50000;
        }
        quicksort(data, 0, LEN - 1);
        for (int32_t i = 1; i < LEN; i++) {
            if (data[i - 1] > data[i]) return -1;
        }
        for (int32_t i = 0; i < LEN; i += 97) checksum = checksum * 31u + (uint32_t)data[i];
    }
    return (int32_t)checksum;
}
