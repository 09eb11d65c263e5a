// Benchmark kernel: comparison sorts without recursion, `scale` rounds. Each round generates
// 4096 pseudo-random i32 (with duplicates), heap-sorts one copy in place (sift-down) and sorts
// another with a bottom-up merge sort through a scratch buffer, then checks that the first is
// ascending and that both agree; the number of violations is folded into the checksum with a
// sample of the sorted values. Dominated by i32 compares, data-dependent branches and indexed
// loads/stores.
#include "fayasm_sample.h"

#define LEN 4096

static int32_t heap[LEN];
static int32_t merged[LEN];
static int32_t scratch[LEN];

static inline void sift_down(int32_t *a, int32_t root, int32_t end) {
    int32_t v = a[root];
    for (;;) {
        int32_t child = 2 * root + 1;
        if (child >= end) break;
        if (child + 1 < end && a[child] < a[child + 1]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

NOINLINE static void heap_sort(int32_t *a, int32_t n) {
    for (int32_t i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
    for (int32_t end = n - 1; end > 0; end--) {
        int32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

/* Merges src[lo, mid) and src[mid, hi) into dst[lo, hi). */
static inline void merge(const int32_t *src, int32_t *dst, int32_t lo, int32_t mid, int32_t hi) {
    int32_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (src[j] < src[i]) dst[k++] = src[j++];
        else dst[k++] = src[i++];
    }
    while (i < mid) dst[k++] = src[i++];
    while (j < hi) dst[k++] = src[j++];
}

/* Bottom-up merge sort of a[0, n), ping-ponging with tmp; the result ends in a. */
NOINLINE static void merge_sort(int32_t *a, int32_t *tmp, int32_t n) {
    int32_t *src = a, *dst = tmp;
    for (int32_t width = 1; width < n; width *= 2) {
        for (int32_t lo = 0; lo < n; lo += 2 * width) {
            int32_t mid = lo + width < n ? lo + width : n;
            int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(src, dst, lo, mid, hi);
        }
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) {
        for (int32_t i = 0; i < n; i++) a[i] = src[i];
    }
}

EXPORT("bench_heapsort") int32_t bench_heapsort(int32_t scale) {
    uint32_t x = 0x6b43a9b5u;
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        /* Narrow ranges on odd rounds: many equal keys. */
        uint32_t range = (r & 1) ? 1000u : 2000000u;
        for (int32_t i = 0; i < LEN; i++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            int32_t v = (int32_t)(x % range) - (int32_t)(range / 2u);
            heap[i] = v;
            merged[i] = v;
        }
        heap_sort(heap, LEN);
        merge_sort(merged, scratch, LEN);
        uint32_t bad = 0;
        for (int32_t i = 1; i < LEN; i++) bad += heap[i - 1] > heap[i];
        for (int32_t i = 0; i < LEN; i++) bad += heap[i] != merged[i];
        checksum = checksum * 31u + bad * 0x9e3779b9u;
        for (int32_t i = (r * 7) & 63; i < LEN; i += 61) checksum = checksum * 31u + (uint32_t)merged[i];
    }
    return (int32_t)checksum;
}
