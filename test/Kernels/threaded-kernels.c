// The threaded variants (docs/fusion.md): NAME_bias_mt, NAME_matmul_mt and
// NAME_matmul_aux_mt, f32 and f64, against the single-threaded kernels,
// bit for bit, for thread counts 0 (one), 1, 2, 3, 4, 7, 64 and 1000 (capped
// at 64 and at the blocks there are), over shapes whose rows are not
// multiples of the thread count or of the register tile (6 rows), with a
// runtime parameter (swish); bias_mt also for bf16 and f16 (the 16-bit
// types have no matmul kernels yet). Every array ends at a PROT_NONE page, c and z
// included; m = 0 and rows = 0 touch nothing. Linked with `cc ... -lm`
// alone: pthreads come from libc.
//
// RUN: actc --only identity,relu,gelu,swish --dtype f32,f64,bf16,f16 --kernels=bias_mt,matmul_mt,matmul_aux_mt -o %t.o --header %t.h
// RUN: %cc -O1 -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t
// RUN: llvm-nm -u %t.o | FileCheck %s --check-prefix=UNDEFINED
// UNDEFINED: pthread_create
// UNDEFINED: pthread_join

#include "guard.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const int64_t thread_counts[] = {0, 1, 2, 3, 4, 7, 64, 1000};
enum { NUM_COUNTS = sizeof(thread_counts) / sizeof(thread_counts[0]) };

static unsigned long long rng_state = 88172645463325252ULL;
static double uniform(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (double)(rng_state >> 11) / 4503599627370496.0 - 1.0;
}

/* One activation's kernels, the runtime parameter (if any) passed as p. */
#define KERNEL_TYPES(T, S)                                                     \
  typedef struct {                                                             \
    const char *name;                                                          \
    void (*bias)(const T *, const T *, T *, int64_t, int64_t, float);          \
    void (*bias_mt)(const T *, const T *, T *, int64_t, int64_t, float,        \
                    int64_t);                                                  \
    void (*matmul)(const T *, const T *, const T *, T *, int64_t, int64_t,     \
                   int64_t, float);                                            \
    void (*matmul_mt)(const T *, const T *, const T *, T *, int64_t, int64_t,  \
                      int64_t, float, int64_t);                                \
    void (*matmul_aux)(const T *, const T *, const T *, T *, T *, int64_t,     \
                       int64_t, int64_t, float);                               \
    void (*matmul_aux_mt)(const T *, const T *, const T *, T *, T *, int64_t,  \
                          int64_t, int64_t, float, int64_t);                   \
  } Kernels_##S;
KERNEL_TYPES(float, f32)
KERNEL_TYPES(double, f64)

#define NO_P()
#define WITH_P() , p
#define ADAPT_S(NAME, T, S, P)                                                 \
  static void NAME##_b_##S(const T *x, const T *b, T *y, int64_t r, int64_t c, \
                           float p) {                                          \
    NAME##_bias_##S(x, b, y, r, c P());                                        \
  }                                                                            \
  static void NAME##_bt_##S(const T *x, const T *b, T *y, int64_t r,           \
                            int64_t c, float p, int64_t t) {                   \
    NAME##_bias_mt_##S(x, b, y, r, c P(), t);                                  \
  }                                                                            \
  static void NAME##_m_##S(const T *a, const T *b, const T *bias, T *c,        \
                           int64_t m, int64_t n, int64_t k, float p) {         \
    NAME##_matmul_##S(a, b, bias, c, m, n, k P());                             \
  }                                                                            \
  static void NAME##_mt_##S(const T *a, const T *b, const T *bias, T *c,       \
                            int64_t m, int64_t n, int64_t k, float p,          \
                            int64_t t) {                                       \
    NAME##_matmul_mt_##S(a, b, bias, c, m, n, k P(), t);                       \
  }                                                                            \
  static void NAME##_x_##S(const T *a, const T *b, const T *bias, T *c, T *z,  \
                           int64_t m, int64_t n, int64_t k, float p) {         \
    NAME##_matmul_aux_##S(a, b, bias, c, z, m, n, k P());                      \
  }                                                                            \
  static void NAME##_xt_##S(const T *a, const T *b, const T *bias, T *c, T *z, \
                            int64_t m, int64_t n, int64_t k, float p,          \
                            int64_t t) {                                       \
    NAME##_matmul_aux_mt_##S(a, b, bias, c, z, m, n, k P(), t);                \
  }
#define ADAPT(NAME, P) ADAPT_S(NAME, float, f32, P) ADAPT_S(NAME, double, f64, P)
ADAPT(identity, NO_P) ADAPT(relu, NO_P) ADAPT(gelu, NO_P) ADAPT(swish, WITH_P)

#define ENTRY(NAME, S)                                                         \
  {#NAME,         NAME##_b_##S, NAME##_bt_##S, NAME##_m_##S,                   \
   NAME##_mt_##S, NAME##_x_##S, NAME##_xt_##S}
static const Kernels_f32 acts_f32[] = {ENTRY(identity, f32), ENTRY(relu, f32),
                                       ENTRY(gelu, f32), ENTRY(swish, f32)};
static const Kernels_f64 acts_f64[] = {ENTRY(identity, f64), ENTRY(relu, f64),
                                       ENTRY(gelu, f64), ENTRY(swish, f64)};
enum { NUM_ACTS = 4 };

#define DEFINE_TESTS(T, S)                                                     \
  static T *fill_##S(long count, double scale) {                               \
    T *p = guard_end(count * sizeof(T));                                       \
    for (long i = 0; i < count; ++i)                                           \
      p[i] = (T)(scale * uniform());                                           \
    return p;                                                                  \
  }                                                                            \
                                                                               \
  static void check_matmul_##S(const Kernels_##S *f, long m, long n, long k,  \
                               int with_bias) {                                \
    guard_context("%s_matmul(_aux)_mt_" #S "(m=%ld, n=%ld, k=%ld)", f->name,   \
                  m, n, k);                                                    \
    float p = 1.5f;                                                            \
    T *a = fill_##S(m * k, 1.0), *b = fill_##S(k * n, 1.0);                    \
    T *bias = with_bias ? fill_##S(n, 1.0) : NULL;                             \
    T *want = guard_end(m * n * sizeof(T)), *wantz = guard_end(m * n * sizeof(T)); \
    T *c = guard_end(m * n * sizeof(T)), *z = guard_end(m * n * sizeof(T));    \
    f->matmul(a, b, bias, want, m, n, k, p);                                   \
    for (int t = 0; t < NUM_COUNTS; ++t) {                                     \
      memset(c, 0x5a, m * n * sizeof(T));                                      \
      f->matmul_mt(a, b, bias, c, m, n, k, p, thread_counts[t]);               \
      CHECK(memcmp(c, want, m * n * sizeof(T)) == 0,                           \
            "%s_matmul_mt_" #S " m=%ld n=%ld k=%ld bias=%d threads=%ld: "      \
            "differs from %s_matmul_" #S,                                      \
            f->name, m, n, k, with_bias, (long)thread_counts[t], f->name);     \
    }                                                                          \
    f->matmul_aux(a, b, bias, want, wantz, m, n, k, p);                        \
    for (int t = 0; t < NUM_COUNTS; t += 3) {                                  \
      memset(c, 0x5a, m * n * sizeof(T));                                      \
      memset(z, 0x5a, m * n * sizeof(T));                                      \
      f->matmul_aux_mt(a, b, bias, c, z, m, n, k, p, thread_counts[t]);        \
      CHECK(memcmp(c, want, m * n * sizeof(T)) == 0 &&                         \
                memcmp(z, wantz, m * n * sizeof(T)) == 0,                      \
            "%s_matmul_aux_mt_" #S " m=%ld n=%ld k=%ld threads=%ld: "          \
            "differs from %s_matmul_aux_" #S,                                  \
            f->name, m, n, k, (long)thread_counts[t], f->name);                \
    }                                                                          \
    guard_release_all();                                                       \
  }                                                                            \
                                                                               \
  static void check_bias_##S(const Kernels_##S *f, long rows, long cols) {     \
    guard_context("%s_bias_mt_" #S "(rows=%ld, cols=%ld)", f->name, rows,      \
                  cols);                                                       \
    float p = 0.7f;                                                            \
    T *x = fill_##S(rows * cols, 6.0), *bias = fill_##S(cols, 1.0);            \
    T *want = guard_end(rows * cols * sizeof(T));                              \
    T *y = guard_end(rows * cols * sizeof(T));                                 \
    f->bias(x, bias, want, rows, cols, p);                                     \
    for (int t = 0; t < NUM_COUNTS; ++t) {                                     \
      memset(y, 0x5a, rows * cols * sizeof(T));                                \
      f->bias_mt(x, bias, y, rows, cols, p, thread_counts[t]);                 \
      CHECK(memcmp(y, want, rows * cols * sizeof(T)) == 0,                     \
            "%s_bias_mt_" #S " rows=%ld cols=%ld threads=%ld: differs from "   \
            "%s_bias_" #S,                                                     \
            f->name, rows, cols, (long)thread_counts[t], f->name);             \
    }                                                                          \
    /* In place, as the single-threaded kernel allows. */                     \
    f->bias_mt(x, bias, x, rows, cols, p, 3);                                  \
    CHECK(memcmp(x, want, rows * cols * sizeof(T)) == 0,                       \
          "%s_bias_mt_" #S " rows=%ld cols=%ld: in place differs", f->name,    \
          rows, cols);                                                         \
    guard_release_all();                                                       \
  }                                                                            \
                                                                               \
  static void test_##S(const Kernels_##S *f) {                                 \
    static const long shapes[][3] = {{1, 1, 1},   {5, 17, 1},   {7, 13, 31},   \
                                     {13, 65, 17}, {37, 33, 300}, {100, 7, 9}, \
                                     {131, 70, 40}};                           \
    for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); ++s)          \
      check_matmul_##S(f, shapes[s][0], shapes[s][1], shapes[s][2], s % 2);    \
    static const long biases[][2] = {{1, 1},  {1, 67}, {2, 17}, {3, 5},        \
                                     {7, 33}, {64, 3}, {101, 19}};             \
    for (unsigned s = 0; s < sizeof(biases) / sizeof(biases[0]); ++s)          \
      check_bias_##S(f, biases[s][0], biases[s][1]);                           \
    /* Nothing to do: no access at all. */                                     \
    guard_context("%s_*_mt_" #S " with m = 0 / rows = 0 on PROT_NONE "         \
                  "pointers", f->name);                                        \
    void *none = guard_no_access();                                            \
    f->matmul_mt(none, none, none, none, 0, 5, 3, 1.0f, 4);                    \
    f->matmul_aux_mt(none, none, none, none, none, 0, 5, 3, 1.0f, 4);          \
    f->bias_mt(none, none, none, 0, 5, 1.0f, 4);                               \
    guard_release_all();                                                       \
  }

DEFINE_TESTS(float, f32)
DEFINE_TESTS(double, f64)

/* bf16 / f16 storage: bias_mt against bias, bit for bit. */
typedef void (*Half)(const uint16_t *, const uint16_t *, uint16_t *, int64_t,
                     int64_t);
typedef void (*HalfMt)(const uint16_t *, const uint16_t *, uint16_t *,
                       int64_t, int64_t, int64_t);
static void check_half(const char *name, Half bias, HalfMt bias_mt,
                       uint16_t one) {
  long rows = 37, cols = 45;
  guard_context("%s(rows=%ld, cols=%ld)", name, rows, cols);
  uint16_t *x = guard_end(rows * cols * 2), *b = guard_end(cols * 2);
  uint16_t *want = guard_end(rows * cols * 2), *y = guard_end(rows * cols * 2);
  for (long i = 0; i < rows * cols; ++i)
    x[i] = (uint16_t)(one + (i % 300) - 150) ^ (i % 2 ? 0x8000 : 0);
  for (long j = 0; j < cols; ++j)
    b[j] = (uint16_t)(one - 0x100 + j);
  bias(x, b, want, rows, cols);
  for (int t = 0; t < NUM_COUNTS; ++t) {
    memset(y, 0x5a, rows * cols * 2);
    bias_mt(x, b, y, rows, cols, thread_counts[t]);
    CHECK(memcmp(y, want, rows * cols * 2) == 0,
          "%s threads=%ld: differs from the single-threaded kernel", name,
          (long)thread_counts[t]);
  }
  guard_release_all();
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < NUM_ACTS; ++i) {
    test_f32(&acts_f32[i]);
    test_f64(&acts_f64[i]);
  }
  /* 1.0 is 0x3f80 in bf16, 0x3c00 in f16. */
  check_half("gelu_bias_mt_bf16", gelu_bias_bf16, gelu_bias_mt_bf16, 0x3f80);
  check_half("gelu_bias_mt_f16", gelu_bias_f16, gelu_bias_mt_f16, 0x3c00);
  check_half("relu_bias_mt_bf16", relu_bias_bf16, relu_bias_mt_bf16, 0x3f80);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
