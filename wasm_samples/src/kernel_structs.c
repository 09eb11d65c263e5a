// Benchmark kernel: struct-heavy code, `scale` rounds over 512 particle records (mixed i32,
// f64, u8 and u16 fields and a pointer). Each round moves every particle (f64 position and
// velocity, wall bounces, a per-kind `switch` for gravity, drag, spin or energy exchange,
// byte and halfword counters), threads the particles of each kind into a linked list sorted by
// energy through their pointer field, walks and reverses those lists, builds an unbalanced
// binary search tree of the positions in a static arena of index-linked nodes, walks it in
// order with an explicit stack and looks up pseudo-random keys. Dominated by loads and stores
// at struct-field offsets, f64 arithmetic and pointer chasing.
#include "fayasm_sample.h"

#define N 512
#define KINDS 4
#define WIDTH 1000.0
#define HEIGHT 600.0
#define DT 0.05
#define NONE (-1)

struct particle {
    int32_t id;
    uint8_t kind;
    uint8_t bounces;
    uint16_t age;
    double x, y;
    double vx, vy;
    int32_t energy;
    uint8_t flags;
    struct particle *next;
};

struct node {
    int32_t key;
    int32_t left, right; /* indices into tree[], NONE if absent */
    int32_t count;
    double weight;
};

static struct particle parts[N];
static struct node tree[N];
static int32_t tree_len;
static struct particle *lists[KINDS];
static int32_t walk_stack[N];

static uint32_t rng;

static inline uint32_t rnd(void) {
    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
    return rng;
}

static inline uint64_t f64_bits(double d) {
    uint64_t b;
    __builtin_memcpy(&b, &d, 8);
    return b;
}

static void init(void) {
    rng = 0x811c9dc5u;
    for (int32_t i = 0; i < N; i++) {
        struct particle *p = &parts[i];
        p->id = i * 7 + 3;
        p->kind = (uint8_t)(rnd() % KINDS);
        p->bounces = 0;
        p->age = (uint16_t)(rnd() & 0xff);
        p->x = (double)(rnd() % 100000u) * (WIDTH / 100000.0);
        p->y = (double)(rnd() % 60000u) * (HEIGHT / 60000.0);
        p->vx = (double)((int32_t)(rnd() % 2001u) - 1000) * 0.05;
        p->vy = (double)((int32_t)(rnd() % 2001u) - 1000) * 0.05;
        p->energy = (int32_t)(rnd() % 1000u);
        p->flags = 0;
        p->next = 0;
    }
}

NOINLINE static void step(void) {
    for (int32_t i = 0; i < N; i++) {
        struct particle *p = &parts[i];
        p->x += p->vx * DT;
        p->y += p->vy * DT;
        if (p->x < 0.0) {
            p->x = -p->x;
            p->vx = -p->vx;
            p->bounces++;
        } else if (p->x >= WIDTH) {
            p->x = 2.0 * WIDTH - p->x - 1e-9;
            p->vx = -p->vx;
            p->bounces++;
        }
        if (p->y < 0.0) {
            p->y = -p->y;
            p->vy = -p->vy * 0.9;
            p->bounces++;
            p->energy -= 3;
        } else if (p->y >= HEIGHT) {
            p->y = 2.0 * HEIGHT - p->y - 1e-9;
            p->vy = -p->vy;
            p->bounces++;
        }
        switch (p->kind) {
        case 0: /* gravity */
            p->vy -= 9.81 * DT;
            p->energy += 1;
            break;
        case 1: /* drag */
            p->vx *= 0.995;
            p->vy *= 0.995;
            p->energy += p->bounces & 3;
            break;
        case 2: { /* spin */
            double t = p->vx;
            p->vx = p->vx * 0.999 - p->vy * 0.02;
            p->vy = p->vy * 0.999 + t * 0.02;
            p->energy ^= p->age & 7;
            break;
        }
        default: { /* exchange with a neighbour */
            struct particle *q = &parts[(i + 1) & (N - 1)];
            int32_t d = (p->energy - q->energy) / 8;
            p->energy -= d;
            q->energy += d;
            double t = p->vx;
            p->vx = q->vx;
            q->vx = t;
            break;
        }
        }
        p->age++;
        if (p->energy < 0) {
            p->energy += 1000;
            p->flags |= 1;
        }
        if (p->bounces >= 200) {
            p->kind = (uint8_t)((p->kind + 1) & (KINDS - 1));
            p->bounces = 0;
            p->flags ^= 2;
        }
    }
}

/* One list per kind, sorted by ascending energy (insertion through a pointer to a link). */
NOINLINE static uint32_t build_lists(void) {
    for (int32_t k = 0; k < KINDS; k++) lists[k] = 0;
    for (int32_t i = 0; i < N; i++) {
        struct particle *p = &parts[i];
        struct particle **link = &lists[p->kind];
        while (*link && (*link)->energy < p->energy) link = &(*link)->next;
        p->next = *link;
        *link = p;
    }
    uint32_t h = 0;
    for (int32_t k = 0; k < KINDS; k++) {
        /* Walk, then reverse in place and walk again. */
        int32_t prev = -1, rank = 0;
        for (struct particle *p = lists[k]; p; p = p->next, rank++) {
            if (p->energy < prev) h += 0x10000u; /* unsorted: never */
            prev = p->energy;
            h = h * 31u + (uint32_t)(p->id ^ rank);
        }
        struct particle *rev = 0;
        for (struct particle *p = lists[k]; p;) {
            struct particle *n = p->next;
            p->next = rev;
            rev = p;
            p = n;
        }
        lists[k] = rev;
        for (struct particle *p = rev; p && rank > 0; p = p->next, rank--)
            h ^= (uint32_t)(p->energy * rank) + p->bounces;
    }
    return h;
}

static inline int32_t key_of(const struct particle *p) {
    return (int32_t)(p->x * 8.0) * 1024 + (int32_t)(p->y * 1.5);
}

NOINLINE static void tree_insert(int32_t key, double weight) {
    if (tree_len == 0) {
        tree[0] = (struct node){key, NONE, NONE, 1, weight};
        tree_len = 1;
        return;
    }
    int32_t at = 0;
    for (;;) {
        struct node *n = &tree[at];
        if (key == n->key) {
            n->count++;
            n->weight += weight;
            return;
        }
        int32_t *link = key < n->key ? &n->left : &n->right;
        if (*link == NONE) {
            int32_t fresh = tree_len++;
            tree[fresh] = (struct node){key, NONE, NONE, 1, weight};
            *link = fresh;
            return;
        }
        at = *link;
    }
}

static inline int32_t tree_find(int32_t key) {
    int32_t at = tree_len ? 0 : NONE;
    while (at != NONE) {
        const struct node *n = &tree[at];
        if (key == n->key) return at;
        at = key < n->key ? n->left : n->right;
    }
    return NONE;
}

/* In-order walk with an explicit stack: checks the order, folds keys, counts and weights. */
NOINLINE static uint64_t tree_walk(void) {
    uint64_t h = 0;
    double total = 0.0;
    int32_t sp = 0, at = tree_len ? 0 : NONE, last = -2147483647 - 1, rank = 0;
    while (at != NONE || sp > 0) {
        while (at != NONE) {
            walk_stack[sp++] = at;
            at = tree[at].left;
        }
        at = walk_stack[--sp];
        const struct node *n = &tree[at];
        if (n->key <= last) h += 1ull << 40; /* out of order: never */
        last = n->key;
        h = h * 0x100000001b3ull + (uint64_t)(uint32_t)(n->key + rank * n->count);
        total = total * 0.5 + n->weight;
        rank++;
        at = n->right;
    }
    return h ^ f64_bits(total);
}

EXPORT("bench_structs") int64_t bench_structs(int32_t scale) {
    init();
    uint64_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        step();
        step();
        uint32_t lh = build_lists();
        tree_len = 0;
        /* Insert in a scrambled order so the tree stays shallow on average. */
        for (int32_t i = 0; i < N; i++) {
            const struct particle *p = &parts[(i * 97 + r) & (N - 1)];
            tree_insert(key_of(p), p->vx * p->vx + p->vy * p->vy);
        }
        uint64_t th = tree_walk();
        int32_t found = 0;
        for (int32_t i = 0; i < N; i++) {
            int32_t key = (i & 1) ? key_of(&parts[(i * 31) & (N - 1)]) : (int32_t)(rnd() % 8192000u);
            int32_t at = tree_find(key);
            if (at != NONE) found += tree[at].count;
        }
        checksum = (checksum ^ th) * 31u + lh + (uint64_t)found + ((uint64_t)(uint32_t)tree_len << 32);
    }
    return (int64_t)checksum;
}
