// The threaded variants (docs/fusion.md): NAME_bias_mt, NAME_bias_grad_mt,
// NAME_matmul_mt and NAME_matmul_aux_mt, f32 and f64, against the
// single-threaded kernels, bit for bit (bias_grad_mt: dx and dbias; its dP,
// added per column block, within the rounding of two summation orders and
// the same on every run), for thread counts 0 (one), 1, 2, 3, 4, 7, 64 and 1000 (capped
// at 64 and at the blocks there are), over shapes whose rows are not
// multiples of the thread count or of the register tile (6 rows), with a
// runtime parameter (swish), bias_grad_mt over column counts below, at and
// past its 64-column blocks; bias_mt and bias_grad_mt also for bf16 and f16 (the 16-bit
// types have no matmul kernels yet). Every array ends at a PROT_NONE page, c and z
// included; m = 0 and rows = 0 touch nothing. Linked with `cc ... -lm`
// alone: pthreads come from libc.
//
// RUN: actc --only identity,relu,gelu,swish --dtype f32,f64,bf16,f16 --kernels=bias_mt,bias_grad_mt,matmul_mt,matmul_aux_mt -o %t.o --header %t.h
// RUN: %cc -O1 -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t
// RUN: llvm-nm -u %t.o | FileCheck %s --check-prefix=UNDEFINED
// UNDEFINED: pthread_create
// UNDEFINED: pthread_join

#include "guard.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "random.h"

static const int64_t thread_counts[] = {0, 1, 2, 3, 4, 7, 64, 1000};
enum { NUM_COUNTS = sizeof(thread_counts) / sizeof(thread_counts[0]) };


/* One activation's kernels, the runtime parameter (if any) passed as p. */
#define KERNEL_TYPES(T, S)                                                     \
  typedef struct {                                                             \
    const char *name;                                                          \
    void (*bias)(const T *, const T *, T *, int64_t, int64_t, float);          \
    void (*bias_mt)(const T *, const T *, T *, int64_t, int64_t, float,        \
                    int64_t);                                                  \
    void (*bias_grad)(const T *, const T *, const T *, T *, T *, int64_t,      \
                      int64_t, float, float *);                                \
    void (*bias_grad_mt)(const T *, const T *, const T *, T *, T *, int64_t,   \
                         int64_t, float, float *, int64_t);                    \
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
#define NO_DP()
#define WITH_DP() , dp
#define ADAPT_S(NAME, T, S, P, DP)                                             \
  static void NAME##_g_##S(const T *x, const T *b, const T *dy, T *dx, T *db,  \
                           int64_t r, int64_t c, float p, float *dp) {         \
    if (!DP##_USED)                                                            \
      *dp = 0.0f;                                                              \
    NAME##_bias_grad_##S(x, b, dy, dx, db, r, c P() DP());                     \
  }                                                                            \
  static void NAME##_gt_##S(const T *x, const T *b, const T *dy, T *dx, T *db, \
                            int64_t r, int64_t c, float p, float *dp,          \
                            int64_t t) {                                       \
    if (!DP##_USED)                                                            \
      *dp = 0.0f;                                                              \
    NAME##_bias_grad_mt_##S(x, b, dy, dx, db, r, c P() DP(), t);               \
  }                                                                            \
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
#define NO_DP_USED 0
#define WITH_DP_USED 1
#define ADAPT(NAME, P, DP)                                                     \
  ADAPT_S(NAME, float, f32, P, DP) ADAPT_S(NAME, double, f64, P, DP)
ADAPT(identity, NO_P, NO_DP) ADAPT(relu, NO_P, NO_DP) ADAPT(gelu, NO_P, NO_DP)
ADAPT(swish, WITH_P, WITH_DP)

#define ENTRY(NAME, S)                                                         \
  {#NAME,         NAME##_b_##S, NAME##_bt_##S, NAME##_g_##S, NAME##_gt_##S,    \
   NAME##_m_##S,  NAME##_mt_##S, NAME##_x_##S, NAME##_xt_##S}
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
  /* dx and dbias bit for bit; dP (swish's dbeta, >= 0 per term, so the     \
     sum with |dy| bounds the sum of |terms|) within two orders' rounding. */ \
  static void check_bias_grad_##S(const Kernels_##S *f, long rows,             \
                                  long cols) {                                 \
    guard_context("%s_bias_grad_mt_" #S "(rows=%ld, cols=%ld)", f->name, rows, \
                  cols);                                                       \
    float p = 0.7f;                                                            \
    long size = rows * cols;                                                   \
    T *x = fill_##S(size, 4.0), *bias = fill_##S(cols, 1.0);                   \
    T *dy = fill_##S(size, 1.0), *ady = fill_##S(size, 1.0);                   \
    for (long i = 0; i < size; ++i)                                            \
      ady[i] = dy[i] < 0 ? -dy[i] : dy[i];                                     \
    T *want = guard_end(size * sizeof(T)), *wantb = guard_end(cols * sizeof(T)); \
    T *dx = guard_end(size * sizeof(T)), *db = guard_end(cols * sizeof(T));    \
    T *scratch = guard_end(size * sizeof(T)), *sb = guard_end(cols * sizeof(T)); \
    float wantp, absp, dp, again;                                              \
    f->bias_grad(x, bias, ady, scratch, sb, rows, cols, p, &absp);             \
    f->bias_grad(x, bias, dy, want, wantb, rows, cols, p, &wantp);             \
    double tol = (2.0 * size + 130.0) * 5.96e-8 * absp;                        \
    for (int t = 0; t < NUM_COUNTS; ++t) {                                     \
      long threads = (long)thread_counts[t];                                   \
      memset(dx, 0x5a, size * sizeof(T));                                      \
      memset(db, 0x5a, cols * sizeof(T));                                      \
      dp = again = -1e30f;                                                     \
      f->bias_grad_mt(x, bias, dy, dx, db, rows, cols, p, &dp, threads);       \
      CHECK(memcmp(dx, want, size * sizeof(T)) == 0 &&                         \
                memcmp(db, wantb, cols * sizeof(T)) == 0,                      \
            "%s_bias_grad_mt_" #S " rows=%ld cols=%ld threads=%ld: dx or "     \
            "dbias differs from %s_bias_grad_" #S,                             \
            f->name, rows, cols, threads, f->name);                            \
      int one = threads <= 1 || cols <= 64;                                    \
      CHECK(one ? memcmp(&dp, &wantp, sizeof dp) == 0                          \
                : (dp - wantp <= tol && wantp - dp <= tol),                    \
            "%s_bias_grad_mt_" #S " rows=%ld cols=%ld threads=%ld: dP %.9g "   \
            "vs %.9g (tolerance %.3g)",                                        \
            f->name, rows, cols, threads, dp, wantp, tol);                     \
      f->bias_grad_mt(x, bias, dy, scratch, sb, rows, cols, p, &again,         \
                      threads);                                                \
      CHECK(memcmp(&dp, &again, sizeof dp) == 0,                               \
            "%s_bias_grad_mt_" #S " rows=%ld cols=%ld threads=%ld: dP not "    \
            "the same on a second run",                                        \
            f->name, rows, cols, threads);                                     \
    }                                                                          \
    /* In place (dx == dy), as the single-threaded kernel allows. */          \
    f->bias_grad_mt(x, bias, dy, dy, db, rows, cols, p, &dp, 3);               \
    CHECK(memcmp(dy, want, size * sizeof(T)) == 0 &&                           \
              memcmp(db, wantb, cols * sizeof(T)) == 0,                        \
          "%s_bias_grad_mt_" #S " rows=%ld cols=%ld: in place differs",        \
          f->name, rows, cols);                                                \
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
    static const long grads[][2] = {{1, 1},   {4, 64},  {3, 65},  {5, 130},    \
                                    {17, 257}, {2, 1000}, {101, 19}, {9, 700}}; \
    for (unsigned s = 0; s < sizeof(grads) / sizeof(grads[0]); ++s)            \
      check_bias_grad_##S(f, grads[s][0], grads[s][1]);                        \
    /* rows = 0: dbias and dP set to zero in every block. */                  \
    {                                                                          \
      guard_context("%s_bias_grad_mt_" #S " rows = 0", f->name);               \
      T *db = guard_end(300 * sizeof(T));                                      \
      float dp = -1.0f;                                                        \
      memset(db, 0x5a, 300 * sizeof(T));                                       \
      void *no = guard_no_access();                                            \
      f->bias_grad_mt(no, no, no, no, db, 0, 300, 1.0f, &dp, 4);               \
      int zero = dp == 0.0f;                                                   \
      for (int c = 0; c < 300; ++c)                                            \
        zero &= db[c] == 0 && !signbit(db[c]);                                 \
      CHECK(zero, "%s_bias_grad_mt_" #S " rows=0: dbias or dP not zero",       \
            f->name);                                                          \
      guard_release_all();                                                     \
    }                                                                          \
    /* Nothing to do: no access at all. */                                     \
    guard_context("%s_*_mt_" #S " with m = 0 / rows = 0 on PROT_NONE "         \
                  "pointers", f->name);                                        \
    void *none = guard_no_access();                                            \
    f->matmul_mt(none, none, none, none, 0, 5, 3, 1.0f, 4);                    \
    f->matmul_aux_mt(none, none, none, none, none, 0, 5, 3, 1.0f, 4);          \
    f->bias_mt(none, none, none, 0, 5, 1.0f, 4);                               \
    float dp = -1.0f;                                                          \
    f->bias_grad_mt(none, none, none, none, none, 5, 0, 1.0f, &dp, 4);         \
    CHECK(dp == 0.0f, "%s_bias_grad_mt_" #S " cols=0: dP %g", f->name, dp);    \
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

/* bf16 / f16 storage: bias_grad_mt against bias_grad, bit for bit. */
typedef void (*HalfGrad)(const uint16_t *, const uint16_t *, const uint16_t *,
                         uint16_t *, uint16_t *, int64_t, int64_t);
typedef void (*HalfGradMt)(const uint16_t *, const uint16_t *,
                           const uint16_t *, uint16_t *, uint16_t *, int64_t,
                           int64_t, int64_t);
static void check_half_grad(const char *name, HalfGrad grad,
                            HalfGradMt grad_mt, uint16_t one, long rows,
                            long cols) {
  guard_context("%s(rows=%ld, cols=%ld)", name, rows, cols);
  long size = rows * cols;
  uint16_t *x = guard_end(size * 2), *b = guard_end(cols * 2);
  uint16_t *dy = guard_end(size * 2);
  uint16_t *want = guard_end(size * 2), *wantb = guard_end(cols * 2);
  uint16_t *dx = guard_end(size * 2), *db = guard_end(cols * 2);
  for (long i = 0; i < size; ++i) {
    x[i] = (uint16_t)(one + (i % 300) - 150) ^ (i % 2 ? 0x8000 : 0);
    dy[i] = (uint16_t)(one - 0x200 + (i % 97)) ^ (i % 3 ? 0x8000 : 0);
  }
  for (long j = 0; j < cols; ++j)
    b[j] = (uint16_t)(one - 0x100 + j % 256);
  grad(x, b, dy, want, wantb, rows, cols);
  for (int t = 0; t < NUM_COUNTS; ++t) {
    memset(dx, 0x5a, size * 2);
    memset(db, 0x5a, cols * 2);
    grad_mt(x, b, dy, dx, db, rows, cols, thread_counts[t]);
    CHECK(memcmp(dx, want, size * 2) == 0 && memcmp(db, wantb, cols * 2) == 0,
          "%s rows=%ld cols=%ld threads=%ld: differs from the "
          "single-threaded kernel",
          name, rows, cols, (long)thread_counts[t]);
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
  check_half_grad("gelu_bias_grad_mt_bf16", gelu_bias_grad_bf16,
                  gelu_bias_grad_mt_bf16, 0x3f80, 37, 200);
  check_half_grad("gelu_bias_grad_mt_f16", gelu_bias_grad_f16,
                  gelu_bias_grad_mt_f16, 0x3c00, 5, 2200);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
