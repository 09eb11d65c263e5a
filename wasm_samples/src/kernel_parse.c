// Benchmark kernel: byte scanning, `scale` rounds. Each round generates 16 KiB of JSON-like
// text (records of quoted keys, signed decimal numbers, identifiers and keywords, quoted
// strings with `\n \t \" \\ \/ \uXXXX` escapes, brackets and irregular whitespace), then
// tokenizes it: a character-class table and a `switch` on the class pick the token kind,
// numbers are converted to integers, strings are unescaped and hashed, keywords recognised and
// bracket depth tracked. Dominated by byte loads, table lookups, compares and short loops;
// returns a checksum of the token counts, the number sum and the token hashes.
#include "fayasm_sample.h"

#define BUF_LEN 16384u

static uint8_t text[BUF_LEN];
static uint8_t cls[256];
static uint32_t rng;
static uint32_t pos;

enum { C_OTHER, C_SPACE, C_DIGIT, C_ALPHA, C_QUOTE, C_MINUS, C_OPEN, C_CLOSE, C_COLON, C_COMMA };

enum { K_NUM, K_IDENT, K_KEYWORD, K_STRING, K_ESCAPE, K_PUNCT, K_SPACE, K_OTHER, K_KINDS };

static void build_classes(void) {
    for (uint32_t c = 0; c < 256; c++) {
        uint8_t k = C_OTHER;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') k = C_SPACE;
        else if (c >= '0' && c <= '9') k = C_DIGIT;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') k = C_ALPHA;
        else if (c == '"') k = C_QUOTE;
        else if (c == '-') k = C_MINUS;
        else if (c == '{' || c == '[') k = C_OPEN;
        else if (c == '}' || c == ']') k = C_CLOSE;
        else if (c == ':') k = C_COLON;
        else if (c == ',') k = C_COMMA;
        cls[c] = k;
    }
}

/* --- generator ------------------------------------------------------------------------- */

static inline uint32_t rnd(uint32_t n) {
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) % n;
}

static inline void put(uint8_t c) { text[pos++] = c; }

static void put_lit(const char *s) {
    while (*s) put((uint8_t)*s++);
}

static void put_ws(void) {
    uint32_t k = rnd(10);
    if (k < 4) return;
    if (k < 7) { put(' '); return; }
    if (k == 7) { put(' '); put(' '); return; }
    put(k == 8 ? '\n' : '\t');
    for (uint32_t i = rnd(4); i > 0; i--) put(' ');
}

static void put_int(int32_t v) {
    uint8_t digits[12];
    uint32_t u = (uint32_t)v, n = 0;
    if (v < 0) {
        put('-');
        u = 0u - u;
    }
    do {
        digits[n++] = (uint8_t)('0' + u % 10u);
        u /= 10u;
    } while (u != 0);
    while (n > 0) put(digits[--n]);
}

static void put_ident(void) {
    static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    static const char rest[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    uint32_t k = rnd(16);
    if (k == 0) { put_lit("true"); return; }
    if (k == 1) { put_lit("false"); return; }
    if (k == 2) { put_lit("null"); return; }
    put((uint8_t)first[rnd(sizeof first - 1)]);
    for (uint32_t n = rnd(9); n > 0; n--) put((uint8_t)rest[rnd(sizeof rest - 1)]);
}

static void put_string(void) {
    static const char hex[] = "0123456789abcdef";
    put('"');
    for (uint32_t n = rnd(15); n > 0; n--) {
        uint32_t k = rnd(24);
        if (k < 16) put((uint8_t)('a' + rnd(26)));
        else if (k < 18) put(' ');
        else if (k == 18) put_lit("\\\"");
        else if (k == 19) put_lit("\\\\");
        else if (k == 20) put_lit("\\n");
        else if (k == 21) put_lit("\\t");
        else if (k == 22) put_lit("\\/");
        else {
            put_lit("\\u");
            uint32_t code = rnd(0x3000) + 0x20u;
            for (int32_t s = 12; s >= 0; s -= 4) put((uint8_t)hex[(code >> s) & 15u]);
        }
    }
    put('"');
}

static void put_key(const char *key) {
    put_ws();
    put('"');
    put_lit(key);
    put('"');
    put(':');
    put_ws();
}

/* One record, at most about 400 bytes. */
static void put_record(void) {
    put('{');
    put_key("id");
    put_int((int32_t)rnd(100000));
    put(',');
    put_key("name");
    put_string();
    put(',');
    put_key("tags");
    put('[');
    for (uint32_t n = rnd(5); n > 0; n--) {
        put_ws();
        put_ident();
        if (n > 1) put(',');
    }
    put(']');
    put(',');
    put_key("values");
    put('[');
    for (uint32_t n = rnd(7); n > 0; n--) {
        uint32_t mag = rnd(4);
        int32_t v = (int32_t)rnd(mag == 0 ? 10 : mag == 1 ? 1000 : mag == 2 ? 1000000 : 16000000);
        if (rnd(3) == 0) v = -v;
        if (mag == 3) v *= 100; /* up to 10 digits */
        put_int(v);
        if (n > 1) { put(','); put_ws(); }
    }
    put(']');
    put(',');
    put_key("note");
    if (rnd(4) == 0) put_ident(); else put_string();
    put_ws();
    put('}');
    put(',');
    put('\n');
}

static uint32_t generate(void) {
    pos = 0;
    put('[');
    while (pos < BUF_LEN - 512u) put_record();
    put(']');
    return pos;
}

/* --- tokenizer ------------------------------------------------------------------------- */

static inline uint32_t hex_value(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10u;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10u;
    return 0;
}

NOINLINE static uint32_t tokenize(const uint8_t *p, uint32_t len) {
    uint32_t count[K_KINDS] = {0};
    uint32_t hash = 2166136261u;
    uint32_t sum = 0;
    int32_t depth = 0, max_depth = 0, depth_errors = 0;
    uint32_t i = 0;
    while (i < len) {
        uint8_t c = p[i];
        uint32_t neg = 0;
        switch (cls[c]) {
        case C_SPACE:
            i++;
            while (i < len && cls[p[i]] == C_SPACE) i++;
            count[K_SPACE]++;
            break;
        case C_MINUS:
            if (i + 1 >= len || cls[p[i + 1]] != C_DIGIT) {
                count[K_OTHER]++;
                i++;
                break;
            }
            neg = 1;
            i++;
            /* fall through */
        case C_DIGIT: {
            uint32_t v = 0;
            while (i < len && cls[p[i]] == C_DIGIT) {
                v = v * 10u + (uint32_t)(p[i] - '0');
                i++;
            }
            if (neg) v = 0u - v;
            sum += v;
            hash = (hash ^ v) * 16777619u;
            count[K_NUM]++;
            break;
        }
        case C_ALPHA: {
            uint32_t start = i;
            uint32_t h = 2166136261u;
            while (i < len && (cls[p[i]] == C_ALPHA || cls[p[i]] == C_DIGIT)) {
                h = (h ^ p[i]) * 16777619u;
                i++;
            }
            uint32_t n = i - start;
            const uint8_t *s = p + start;
            if ((n == 4 && s[0] == 't' && s[1] == 'r' && s[2] == 'u' && s[3] == 'e') ||
                (n == 4 && s[0] == 'n' && s[1] == 'u' && s[2] == 'l' && s[3] == 'l') ||
                (n == 5 && s[0] == 'f' && s[1] == 'a' && s[2] == 'l' && s[3] == 's' && s[4] == 'e')) {
                count[K_KEYWORD]++;
                hash += n;
            } else {
                count[K_IDENT]++;
                hash = (hash ^ h) * 16777619u;
            }
            break;
        }
        case C_QUOTE: {
            uint32_t h = 2166136261u;
            uint32_t n = 0;
            i++;
            for (;;) {
                if (i >= len) {
                    count[K_OTHER]++; /* unterminated */
                    break;
                }
                uint32_t ch = p[i];
                if (ch == '"') {
                    i++;
                    break;
                }
                if (ch == '\\' && i + 1 < len) {
                    uint8_t e = p[i + 1];
                    i += 2;
                    count[K_ESCAPE]++;
                    switch (e) {
                    case 'n': ch = '\n'; break;
                    case 't': ch = '\t'; break;
                    case 'r': ch = '\r'; break;
                    case 'b': ch = 8; break;
                    case 'f': ch = 12; break;
                    case 'u':
                        if (i + 4 <= len) {
                            ch = (hex_value(p[i]) << 12) | (hex_value(p[i + 1]) << 8) |
                                 (hex_value(p[i + 2]) << 4) | hex_value(p[i + 3]);
                            i += 4;
                        }
                        break;
                    default: ch = e; break; /* \" \\ \/ */
                    }
                } else {
                    i++;
                }
                h = (h ^ ch) * 16777619u;
                n++;
            }
            count[K_STRING]++;
            hash = (hash ^ h) * 16777619u + n;
            break;
        }
        case C_OPEN:
            depth++;
            if (depth > max_depth) max_depth = depth;
            count[K_PUNCT]++;
            i++;
            break;
        case C_CLOSE:
            if (--depth < 0) {
                depth_errors++;
                depth = 0;
            }
            count[K_PUNCT]++;
            i++;
            break;
        case C_COLON:
        case C_COMMA:
            count[K_PUNCT]++;
            hash ^= c;
            i++;
            break;
        default:
            count[K_OTHER]++;
            i++;
            break;
        }
    }
    uint32_t r = hash ^ sum;
    for (int32_t k = 0; k < K_KINDS; k++) r = r * 31u + count[k];
    return r * 31u + (uint32_t)(max_depth * 64 + depth * 8 + depth_errors);
}

EXPORT("bench_parse") int32_t bench_parse(int32_t scale) {
    build_classes();
    rng = 0x1234567u;
    uint32_t checksum = 0;
    for (int32_t r = 0; r < scale; r++) {
        uint32_t len = generate();
        checksum = checksum * 0x01000193u ^ tokenize(text, len);
    }
    return (int32_t)checksum;
}
