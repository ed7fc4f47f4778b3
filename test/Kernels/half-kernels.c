// The bf16 and f16 kernels (ABI.md: uint16_t arrays, arithmetic in f32)
// against the f32 kernels on the widened inputs, rounded to nearest even by
// an independent reference (bf16: the nearer of the two neighbours, ties to
// the even one, computed in double; f16: the compiler's _Float16). A 16-bit
// kernel must return exactly that, for every one of the 65536 input
// patterns (forward), NaN where the f32 result is NaN. Also every tail
// length n = 0..67 with a PROT_NONE page after every array, in place, the
// gradients (dx and dbeta) and grad_from_y, the bias kernels (cols 1..67)
// and rows (softmax and its gradient); a NaN, infinities, signed zeros,
// subnormals and overflow of the rounding (f16 above 65504) come with the
// exhaustive sweep.
//
// RUN: actc --only relu,gelu,sigmoid,swish,softmax --dtype=f32,bf16,f16 --kernels=forward,grad,grad_from_y,bias -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t
// The header declares the 16-bit kernels as uint16_t and no matmul for them
// (bias_grad: half-bias-grad.c).
// RUN: FileCheck %s --input-file=%t.h
// CHECK: void gelu_bf16(const uint16_t *x, uint16_t *y, int64_t n);
// CHECK: void gelu_f16(const uint16_t *x, uint16_t *y, int64_t n);
// RUN: actc --only gelu --dtype=f32,bf16 --emit=header | FileCheck %s --check-prefix=ALL
// ALL: void gelu_bias_bf16(
// ALL: void gelu_bias_grad_f32(
// ALL: void gelu_bias_grad_bf16(
// ALL: void gelu_matmul_f32(
// ALL-NOT: gelu_matmul_bf16
// ALL: void gelu_matmul_aux_f32(
// ALL-NOT: _bf16(

#include "guard.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PRINT_LIMIT 20
#include "check.h"
#include "half.h"

/* y is what the f32 computation rounds to (any NaN for NaN). */
static int same(const Format *format, uint16_t y, uint16_t expected) {
  if (isnan(format->widen(expected)))
    return isnan(format->widen(y));
  return y == expected;
}

typedef void (*Forward16)(const uint16_t *, uint16_t *, int64_t, float);
typedef void (*Forward32)(const float *, float *, int64_t, float);

enum { ALL = 65536, N_MAX = 67 };

static uint16_t xs[ALL], ys[ALL], expect[ALL];
static float wide[ALL], wide_y[ALL];

static void widen_all(const Format *format, const uint16_t *h, float *f,
                      long n) {
  for (long i = 0; i < n; ++i)
    f[i] = format->widen(h[i]);
}

/* Every input pattern, then every tail length (guard pages, in place). */
static void test_forward(const Format *format, const char *name,
                         Forward16 kernel, Forward32 reference, float param) {
  for (long i = 0; i < ALL; ++i)
    xs[i] = (uint16_t)i;
  widen_all(format, xs, wide, ALL);
  reference(wide, wide_y, ALL, param);
  for (long i = 0; i < ALL; ++i)
    expect[i] = format->round(wide_y[i]);
  guard_context("%s_%s(n=65536)", name, format->name);
  kernel(xs, ys, ALL, param);
  for (long i = 0; i < ALL; ++i)
    CHECK(same(format, ys[i], expect[i]),
          "%s_%s(0x%04lx = %g) = 0x%04x, expected 0x%04x (f32 %g)", name,
          format->name, i, format->widen(xs[i]), ys[i], expect[i],
          wide_y[i]);
  guard_context("%s_%s(n=0) on PROT_NONE pointers", name, format->name);
  kernel(guard_no_access(), guard_no_access(), 0, param);

  /* Tails from a spread of patterns (specials included). */
  for (int n = 0; n <= N_MAX; ++n) {
    size_t bytes = n * sizeof(uint16_t);
    uint16_t *x = guard_end(bytes), *y = guard_end(bytes);
    guard_context("%s_%s(n=%d)", name, format->name, n);
    for (int i = 0; i < n; ++i)
      x[i] = (uint16_t)(i * 977 + n * 131);
    kernel(x, y, n, param);
    for (int i = 0; i < n; ++i)
      CHECK(same(format, y[i], expect[x[i]]), "%s_%s n=%d: y[%d] = 0x%04x, "
            "expected 0x%04x", name, format->name, n, i, y[i], expect[x[i]]);
    uint16_t *copy = malloc(bytes + 2);
    memcpy(copy, x, bytes);
    kernel(x, x, n, param);
    for (int i = 0; i < n; ++i)
      CHECK(same(format, x[i], expect[copy[i]]), "%s_%s n=%d in place: y[%d]"
            " = 0x%04x, expected 0x%04x", name, format->name, n, i, x[i],
            expect[copy[i]]);
    free(copy);
  }
  guard_release_all();
}

typedef void (*Grad16)(const uint16_t *, const uint16_t *, uint16_t *, int64_t,
                       float, float *);
typedef void (*Grad32)(const float *, const float *, float *, int64_t, float,
                       float *);

static uint16_t dys[ALL], dxs[ALL];
static float wide_dy[ALL], wide_dx[ALL];

/* dx = dy * f'(x) for every x pattern with a spread of dy values, and the
 * parameter gradient (a float sum, accumulated as the f32 kernel does). */
static void test_grad(const Format *format, const char *name, Grad16 kernel,
                      Grad32 reference, float param, int has_param) {
  for (long i = 0; i < ALL; ++i) {
    xs[i] = (uint16_t)i;
    /* Finite dy in [-4, 4). */
    dys[i] = format->round((float)((i * 7919) % 1024 - 512) / 128.0f);
  }
  widen_all(format, xs, wide, ALL);
  widen_all(format, dys, wide_dy, ALL);
  /* The sums go over finite x only (the others would make them NaN). */
  long finite = 0;
  for (long i = 0; i < ALL; ++i)
    if (isfinite(wide[i])) {
      xs[finite] = xs[i], dys[finite] = dys[i];
      wide[finite] = wide[i], wide_dy[finite] = wide_dy[i];
      ++finite;
    }
  float dp_expected = 0, dp = 0;
  reference(wide, wide_dy, wide_dx, finite, param, &dp_expected);
  guard_context("%s_grad_%s", name, format->name);
  kernel(xs, dys, dxs, finite, param, &dp);
  for (long i = 0; i < finite; ++i)
    CHECK(same(format, dxs[i], format->round(wide_dx[i])),
          "%s_grad_%s(x = %g, dy = %g) = 0x%04x, expected 0x%04x", name,
          format->name, wide[i], wide_dy[i], dxs[i],
          format->round(wide_dx[i]));
  if (has_param)
    CHECK(to_bits(dp) == to_bits(dp_expected),
          "%s_grad_%s: dbeta = %.9g, the f32 kernel's %.9g", name,
          format->name, dp, dp_expected);
  /* Tails with guard pages; dx may equal dy. */
  for (int n = 0; n <= N_MAX; ++n) {
    size_t bytes = n * sizeof(uint16_t);
    uint16_t *x = guard_end(bytes), *dy = guard_end(bytes);
    guard_context("%s_grad_%s(n=%d)", name, format->name, n);
    memcpy(x, xs + 900 * n, bytes);
    memcpy(dy, dys + 900 * n, bytes);
    kernel(x, dy, dy, n, param, &dp);
    for (int i = 0; i < n; ++i)
      CHECK(same(format, dy[i], format->round(wide_dx[900 * n + i])),
            "%s_grad_%s n=%d: dx[%d] = 0x%04x", name, format->name, n, i,
            dy[i]);
  }
  guard_release_all();
}

typedef void (*Bias16)(const uint16_t *, const uint16_t *, uint16_t *, int64_t,
                       int64_t, float);
typedef void (*Bias32)(const float *, const float *, float *, int64_t, int64_t,
                       float);

/* rows x cols for cols 1..67 (each row's masked tail), in place too. */
static void test_bias(const Format *format, const char *name, Bias16 kernel,
                      Bias32 reference, float param) {
  enum { ROWS = 3 };
  for (int cols = 0; cols <= N_MAX; ++cols) {
    size_t count = (size_t)ROWS * cols;
    uint16_t *x = guard_end(count * 2), *y = guard_end(count * 2);
    uint16_t *b = guard_end((size_t)cols * 2);
    float xf[ROWS * N_MAX], bf[N_MAX], yf[ROWS * N_MAX];
    for (size_t i = 0; i < count; ++i)
      x[i] = (uint16_t)(i * 2654435761u >> 16);
    for (int c = 0; c < cols; ++c)
      b[c] = format->round((float)(c % 9 - 4) / 4.0f);
    widen_all(format, x, xf, (long)count);
    widen_all(format, b, bf, cols);
    reference(xf, bf, yf, ROWS, cols, param);
    guard_context("%s_bias_%s(rows=%d, cols=%d)", name, format->name, ROWS,
                  cols);
    kernel(x, b, y, ROWS, cols, param);
    for (size_t i = 0; i < count; ++i)
      CHECK(same(format, y[i], format->round(yf[i])),
            "%s_bias_%s cols=%d: y[%zu] = 0x%04x, expected 0x%04x", name,
            format->name, cols, i, y[i], format->round(yf[i]));
    kernel(x, b, x, ROWS, cols, param);
    CHECK(memcmp(x, y, count * 2) == 0, "%s_bias_%s cols=%d: in place differs",
          name, format->name, cols);
  }
  guard_release_all();
}

/* Adapters: the kernels without a runtime parameter. */
#define NO_PARAM(NAME)                                                         \
  static void NAME##_bf16_p(const uint16_t *x, uint16_t *y, int64_t n,         \
                            float p) {                                         \
    (void)p;                                                                   \
    NAME##_bf16(x, y, n);                                                      \
  }                                                                            \
  static void NAME##_f16_p(const uint16_t *x, uint16_t *y, int64_t n,          \
                           float p) {                                          \
    (void)p;                                                                   \
    NAME##_f16(x, y, n);                                                       \
  }                                                                            \
  static void NAME##_f32_p(const float *x, float *y, int64_t n, float p) {     \
    (void)p;                                                                   \
    NAME##_f32(x, y, n);                                                       \
  }                                                                            \
  static void NAME##_grad_bf16_p(const uint16_t *x, const uint16_t *dy,        \
                                 uint16_t *dx, int64_t n, float p, float *dp) { \
    (void)p, (void)dp;                                                         \
    NAME##_grad_bf16(x, dy, dx, n);                                            \
  }                                                                            \
  static void NAME##_grad_f16_p(const uint16_t *x, const uint16_t *dy,         \
                                uint16_t *dx, int64_t n, float p, float *dp) {  \
    (void)p, (void)dp;                                                         \
    NAME##_grad_f16(x, dy, dx, n);                                             \
  }                                                                            \
  static void NAME##_grad_f32_p(const float *x, const float *dy, float *dx,    \
                                int64_t n, float p, float *dp) {               \
    (void)p, (void)dp;                                                         \
    NAME##_grad_f32(x, dy, dx, n);                                             \
  }                                                                            \
  static void NAME##_bias_bf16_p(const uint16_t *x, const uint16_t *b,         \
                                 uint16_t *y, int64_t r, int64_t c, float p) {  \
    (void)p;                                                                   \
    NAME##_bias_bf16(x, b, y, r, c);                                           \
  }                                                                            \
  static void NAME##_bias_f16_p(const uint16_t *x, const uint16_t *b,          \
                                uint16_t *y, int64_t r, int64_t c, float p) {   \
    (void)p;                                                                   \
    NAME##_bias_f16(x, b, y, r, c);                                            \
  }                                                                            \
  static void NAME##_bias_f32_p(const float *x, const float *b, float *y,      \
                                int64_t r, int64_t c, float p) {               \
    (void)p;                                                                   \
    NAME##_bias_f32(x, b, y, r, c);                                            \
  }

NO_PARAM(relu)
NO_PARAM(gelu)
NO_PARAM(sigmoid)

static void sigmoid_from_y_bf16(const uint16_t *y, const uint16_t *dy,
                                uint16_t *dx, int64_t n, float p, float *dp) {
  (void)p, (void)dp;
  sigmoid_grad_from_y_bf16(y, dy, dx, n);
}
static void sigmoid_from_y_f16(const uint16_t *y, const uint16_t *dy,
                               uint16_t *dx, int64_t n, float p, float *dp) {
  (void)p, (void)dp;
  sigmoid_grad_from_y_f16(y, dy, dx, n);
}
static void sigmoid_from_y_f32(const float *y, const float *dy, float *dx,
                               int64_t n, float p, float *dp) {
  (void)p, (void)dp;
  sigmoid_grad_from_y_f32(y, dy, dx, n);
}

typedef void (*RowGrad16)(const uint16_t *, const uint16_t *, uint16_t *,
                          int64_t, int64_t);

/* softmax rows and their VJP from y: cols 1..67, against softmax_f32 and
 * softmax_grad_f32 on the widened rows. */
static void test_rows(const Format *format,
                      void (*kernel)(const uint16_t *, uint16_t *, int64_t,
                                     int64_t),
                      RowGrad16 grad) {
  enum { ROWS = 2 };
  for (int cols = 1; cols <= N_MAX; ++cols) {
    size_t count = (size_t)ROWS * cols;
    uint16_t *x = guard_end(count * 2), *y = guard_end(count * 2);
    float xf[ROWS * N_MAX], yf[ROWS * N_MAX];
    for (size_t i = 0; i < count; ++i)
      x[i] = format->round((float)((i * 29) % 97) / 8.0f - 6.0f);
    widen_all(format, x, xf, (long)count);
    softmax_f32(xf, yf, ROWS, cols);
    guard_context("softmax_%s(rows=%d, cols=%d)", format->name, ROWS, cols);
    kernel(x, y, ROWS, cols);
    for (size_t i = 0; i < count; ++i)
      CHECK(same(format, y[i], format->round(yf[i])),
            "softmax_%s cols=%d: y[%zu] = 0x%04x, expected 0x%04x",
            format->name, cols, i, y[i], format->round(yf[i]));
    uint16_t *dy = guard_end(count * 2), *dx = guard_end(count * 2);
    float yw[ROWS * N_MAX], dyf[ROWS * N_MAX], dxf[ROWS * N_MAX];
    for (size_t i = 0; i < count; ++i)
      dy[i] = format->round((float)((i * 13) % 17) / 4.0f - 2.0f);
    widen_all(format, y, yw, (long)count);
    widen_all(format, dy, dyf, (long)count);
    softmax_grad_f32(yw, dyf, dxf, ROWS, cols);
    guard_context("softmax_grad_%s(rows=%d, cols=%d)", format->name, ROWS,
                  cols);
    grad(y, dy, dx, ROWS, cols);
    for (size_t i = 0; i < count; ++i)
      CHECK(same(format, dx[i], format->round(dxf[i])),
            "softmax_grad_%s cols=%d: dx[%zu] = 0x%04x, expected 0x%04x",
            format->name, cols, i, dx[i], format->round(dxf[i]));
  }
  guard_release_all();
}

int main(void) {
  /* The reference rounding itself, on values whose answer is known. */
  CHECK(round_bf16(1.0f) == 0x3f80 && round_bf16(-2.0f) == 0xc000,
        "round_bf16 exact");
  CHECK(round_bf16(from_bits(0x3f808000)) == 0x3f80, "bf16 tie to even down");
  CHECK(round_bf16(from_bits(0x3f818000)) == 0x3f82, "bf16 tie to even up");
  CHECK(round_bf16(from_bits(0x3f808001)) == 0x3f81, "bf16 above the tie");
  CHECK(round_bf16(from_bits(0x7f7f8000)) == 0x7f80, "bf16 overflow to inf");
  CHECK(round_bf16(from_bits(0x7f7f7fff)) == 0x7f7f, "bf16 largest finite");
  CHECK(round_bf16(from_bits(0x00008000)) == 0x0000, "bf16 subnormal tie");
  CHECK(round_f16(65520.0f) == 0x7c00 && round_f16(65519.0f) == 0x7bff,
        "f16 overflow threshold");

  const Format *formats[] = {&bf16, &f16};
  for (int k = 0; k < 2; ++k) {
    const Format *f = formats[k];
    int b = f == &bf16;
    test_forward(f, "relu", b ? relu_bf16_p : relu_f16_p, relu_f32_p, 0);
    test_forward(f, "gelu", b ? gelu_bf16_p : gelu_f16_p, gelu_f32_p, 0);
    test_forward(f, "sigmoid", b ? sigmoid_bf16_p : sigmoid_f16_p,
                 sigmoid_f32_p, 0);
    test_forward(f, "swish", b ? swish_bf16 : swish_f16, swish_f32, 1.5f);
    test_grad(f, "relu", b ? relu_grad_bf16_p : relu_grad_f16_p,
              relu_grad_f32_p, 0, 0);
    test_grad(f, "gelu", b ? gelu_grad_bf16_p : gelu_grad_f16_p,
              gelu_grad_f32_p, 0, 0);
    test_grad(f, "swish", b ? swish_grad_bf16 : swish_grad_f16,
              swish_grad_f32, 0.75f, 1);
    test_grad(f, "sigmoid_from_y",
              b ? sigmoid_from_y_bf16 : sigmoid_from_y_f16,
              sigmoid_from_y_f32, 0, 0);
    test_bias(f, "relu", b ? relu_bias_bf16_p : relu_bias_f16_p,
              relu_bias_f32_p, 0);
    test_bias(f, "gelu", b ? gelu_bias_bf16_p : gelu_bias_f16_p,
              gelu_bias_f32_p, 0);
    test_bias(f, "swish", b ? swish_bias_bf16 : swish_bias_f16,
              swish_bias_f32, 1.5f);
    test_rows(f, b ? softmax_bf16 : softmax_f16,
              b ? softmax_grad_bf16 : softmax_grad_f16);
  }
  if (failures)
    printf("%d failures\n", failures);
  else
    printf("all bf16/f16 kernel checks passed\n");
  return failures != 0;
}
