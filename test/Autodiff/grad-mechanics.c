// Kernel mechanics of the gradient kernels of ABI.md, f32 and f64: n = 0
// touches nothing but the dP outputs (set to 0), every tail length n =
// 0..67, unaligned pointers, in place (dx == dy and dx == x / y), and a
// PROT_NONE page right after every array. Elementwise results must be
// bitwise those of one big call; parameter gradients (swish's dbeta) must be
// the sum of dy * df/dbeta. Row gradients (softmax, log_softmax: from y and
// dy): rows x cols with every cols = 1..67, rows = 0 and cols = 0, in place,
// against the closed forms in long double.
//
// RUN: actc --only relu,gelu,swish,sigmoid,elu,softmax,log_softmax -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t

#include "guard.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHECK_PRINT_LIMIT 50
#include "check.h"

enum { N_MAX = 67, N_ALL = 256 };

/* Inputs: a spread over [-8, 8] with the special values mixed in. */
static double input(int i) {
  static const double specials[] = {0.0,   -0.0,   INFINITY, -INFINITY, NAN,
                                    1e-40, -1e-310, 30.0,    -30.0,     3.0};
  if (i % 11 == 5)
    return specials[(i / 11) % (sizeof(specials) / sizeof(specials[0]))];
  return (double)((i * 37) % 257 - 128) / 16.0;
}

/* Incoming gradients: varied signs and magnitudes, no specials. */
static double gradient(int i) { return (double)((i * 53) % 41 - 20) / 8.0; }

static long double sigmoidl(long double x) { return 1 / (1 + expl(-x)); }

/* d swish / d beta = x^2 s(beta x) (1 - s(beta x)). */
static long double dswish_dbeta(long double x, long double beta) {
  long double s = sigmoidl(beta * x);
  return x * x * s * (1 - s);
}

#define DEFINE_TESTS(T, S, EPS)                                                \
  static int same_##S(T a, T b) {                                              \
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(T)) == 0;          \
  }                                                                            \
                                                                               \
  /* A gradient kernel with at most one runtime parameter. */                  \
  typedef void (*Grad_##S)(const T *x, const T *dy, T *dx, int64_t n,         \
                           float p, float *dp);                                \
                                                                               \
  static void test_grad_##S(const char *name, Grad_##S kernel, float p,       \
                            int hasParam) {                                    \
    T x_all[N_ALL], dy_all[N_ALL], dx_all[N_ALL];                              \
    for (int i = 0; i < N_ALL; ++i) {                                          \
      x_all[i] = (T)input(i);                                                  \
      dy_all[i] = (T)gradient(i);                                              \
    }                                                                          \
    float dp = 12345;                                                          \
    guard_context("%s_" #S "(n=%d)", name, N_ALL);                             \
    kernel(x_all, dy_all, dx_all, N_ALL, p, &dp);                              \
    dp = 12345;                                                                \
    guard_context("%s_" #S "(n=0) on PROT_NONE pointers", name);               \
    kernel(guard_no_access(), guard_no_access(), guard_no_access(), 0, p,      \
           &dp);                                                               \
    CHECK(!hasParam || dp == 0, "%s_" #S " n=0: *dp = %g, expected 0", name,   \
          dp);                                                                 \
    for (int n = 0; n <= N_MAX; ++n) {                                         \
      size_t bytes = n * sizeof(T);                                            \
      guard_context("%s_" #S "(n=%d)", name, n);                               \
      T *x = guard_end(bytes), *dy = guard_end(bytes), *dx = guard_end(bytes); \
      memcpy(x, x_all, bytes);                                                 \
      memcpy(dy, dy_all, bytes);                                               \
      kernel(x, dy, dx, n, p, &dp);                                            \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(dx[i], dx_all[i]), "%s_" #S " n=%d: dx[%d] = %g, "     \
              "expected %g", name, n, i, (double)dx[i], (double)dx_all[i]);    \
      if (hasParam) {                                                          \
        /* dbeta = sum dy * df/dbeta over the finite inputs (the special  */   \
        /* ones are left out of these n: see input()). */                      \
        /* An infinite x contributes 0 (the strong zero), a NaN x NaN. */     \
        long double sum = 0, scale = 0;                                        \
        int hasNaN = 0;                                                        \
        for (int i = 0; i < n; ++i) {                                          \
          hasNaN |= isnan(x[i]);                                               \
          if (!isfinite(x[i]))                                                 \
            continue;                                                          \
          long double t = dy[i] * dswish_dbeta(x[i], p);                       \
          sum += t;                                                            \
          scale += fabsl(t);                                                   \
        }                                                                      \
        if (hasNaN)                                                            \
          CHECK(isnan(dp), "%s_" #S " n=%d: dbeta = %g with a NaN x", name, n, \
                dp);                                                           \
        else                                                                   \
          CHECK(fabsl(dp - sum) <= 0x1p-23L * (n + 4) * (scale + 1e-30L),      \
                "%s_" #S " n=%d: dbeta = %.9g, expected %.12Lg", name, n,      \
                dp, sum);                                                      \
      }                                                                        \
      /* In place over dy, then over x. */                                     \
      kernel(x, dy, dy, n, p, &dp);                                            \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(dy[i], dx_all[i]), "%s_" #S " n=%d dx == dy: dx[%d] = " \
              "%g, expected %g", name, n, i, (double)dy[i],                    \
              (double)dx_all[i]);                                              \
      memcpy(dy, dy_all, bytes);                                               \
      kernel(x, dy, x, n, p, &dp);                                             \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(x[i], dx_all[i]), "%s_" #S " n=%d dx == x: dx[%d] = "   \
              "%g, expected %g", name, n, i, (double)x[i], (double)dx_all[i]); \
      /* Unaligned, with canaries around dx. */                                \
      T *xu = guard_offset(bytes, sizeof(T));                                  \
      T *dyu = guard_offset(bytes, 2 * sizeof(T));                             \
      T *dxu = guard_offset(bytes + 2 * sizeof(T), 3 * sizeof(T));             \
      memcpy(xu, x_all, bytes);                                                \
      memcpy(dyu, dy_all, bytes);                                              \
      dxu[n + 1] = dxu[n] = (T)12345;                                          \
      dxu += 1;                                                                \
      dxu[-1] = (T)54321;                                                      \
      kernel(xu, dyu, dxu, n, p, &dp);                                         \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(dxu[i], dx_all[i]), "%s_" #S " n=%d unaligned: dx[%d]" \
              " = %g, expected %g", name, n, i, (double)dxu[i],                \
              (double)dx_all[i]);                                              \
      CHECK(dxu[-1] == (T)54321 && dxu[n] == (T)12345,                         \
            "%s_" #S " n=%d unaligned: wrote outside dx[0..n)", name, n);      \
    }                                                                          \
    guard_release_all();                                                       \
  }                                                                            \
                                                                               \
  typedef void (*Row_##S)(const T *, T *, int64_t, int64_t);                   \
  typedef void (*RowGrad_##S)(const T *, const T *, T *, int64_t, int64_t);    \
                                                                               \
  /* dx of one row from y and dy: y (dy - sum(dy y)) or dy - exp(y) sum(dy), \
   * with the scale of its terms (the error is relative to that). */          \
  static void row_grad_reference_##S(const T *y, const T *dy, long cols,      \
                                     int log, long double *dx,                 \
                                     long double *scale) {                     \
    long double s = 0, abs_s = 0;                                              \
    for (long j = 0; j < cols; ++j) {                                          \
      long double t = log ? (long double)dy[j]                                 \
                          : (long double)dy[j] * y[j];                         \
      s += t;                                                                  \
      abs_s += fabsl(t);                                                       \
    }                                                                          \
    for (long j = 0; j < cols; ++j) {                                          \
      if (log) {                                                               \
        long double p = expl((long double)y[j]);                               \
        dx[j] = dy[j] - p * s;                                                 \
        scale[j] = fabsl(dy[j]) + p * abs_s;                                   \
      } else {                                                                 \
        dx[j] = y[j] * (dy[j] - s);                                            \
        scale[j] = fabsl(y[j]) * (fabsl(dy[j]) + abs_s);                       \
      }                                                                        \
    }                                                                          \
  }                                                                            \
                                                                               \
  static void check_row_grad_##S(const char *name, Row_##S forward,           \
                                 RowGrad_##S grad, int log, long rows,         \
                                 long cols, size_t offset, int inPlace) {      \
    size_t bytes = rows * cols * sizeof(T);                                    \
    T *y = offset ? guard_offset(bytes, offset) : guard_end(bytes);            \
    T *dy = offset ? guard_offset(bytes, offset) : guard_end(bytes);           \
    T *dx = inPlace ? dy : (offset ? guard_offset(bytes, offset)               \
                                   : guard_end(bytes));                        \
    guard_context("%s_grad_" #S "(rows=%ld, cols=%ld), offset %zu%s", name,   \
                  rows, cols, offset, inPlace ? ", in place" : "");            \
    for (long i = 0; i < rows * cols; ++i) {                                   \
      y[i] = (T)((double)((i * 29) % 97) / 8.0 - 6.0);                         \
      dy[i] = (T)gradient((int)i);                                             \
    }                                                                          \
    forward(y, y, rows, cols);                                                 \
    long double ref[128], scale[128];                                          \
    long double want[3][128], wantScale[3][128];                               \
    for (long r = 0; r < rows; ++r) {                                          \
      row_grad_reference_##S(y + r * cols, dy + r * cols, cols, log, ref,      \
                             scale);                                           \
      memcpy(want[r], ref, cols * sizeof(long double));                        \
      memcpy(wantScale[r], scale, cols * sizeof(long double));                 \
    }                                                                          \
    grad(y, dy, dx, rows, cols);                                               \
    for (long r = 0; r < rows; ++r)                                            \
      for (long j = 0; j < cols; ++j) {                                        \
        long double got = dx[r * cols + j];                                    \
        CHECK(fabsl(got - want[r][j]) <=                                       \
                  EPS * (cols + 4) * (wantScale[r][j] + 1e-300L),              \
              "%s_grad_" #S " rows=%ld cols=%ld offset=%zu%s: dx[%ld][%ld] = " \
              "%.17g, expected %.17Lg", name, rows, cols, offset,              \
              inPlace ? " in place" : "", r, j, (double)got, want[r][j]);      \
      }                                                                        \
  }                                                                            \
                                                                               \
  static void test_row_grad_##S(const char *name, Row_##S forward,            \
                                RowGrad_##S grad, int log) {                   \
    static const long empty[3][2] = {{0, 5}, {0, 0}, {3, 0}};                  \
    for (int e = 0; e < 3; ++e) {                                              \
      guard_context("%s_grad_" #S "(rows=%ld, cols=%ld) on PROT_NONE "         \
                    "pointers", name, empty[e][0], empty[e][1]);               \
      grad(guard_no_access(), guard_no_access(), guard_no_access(),            \
           empty[e][0], empty[e][1]);                                          \
    }                                                                          \
    for (long rows = 1; rows <= 3; ++rows) {                                   \
      for (long cols = 1; cols <= N_MAX; ++cols) {                             \
        check_row_grad_##S(name, forward, grad, log, rows, cols, 0, 0);        \
        check_row_grad_##S(name, forward, grad, log, rows, cols, sizeof(T),    \
                           0);                                                 \
        check_row_grad_##S(name, forward, grad, log, rows, cols, 0, 1);        \
      }                                                                        \
      check_row_grad_##S(name, forward, grad, log, rows, 128, sizeof(T), 1);  \
      guard_release_all();                                                     \
    }                                                                          \
  }

DEFINE_TESTS(float, f32, 0x1p-23L)
DEFINE_TESTS(double, f64, 0x1p-52L)

/* Adapters to one signature. */
#define ADAPT(name, call)                                                      \
  static void name##_32(const float *x, const float *dy, float *dx,           \
                        int64_t n, float p, float *dp) {                       \
    (void)p, (void)dp;                                                         \
    call##_f32(x, dy, dx, n);                                                  \
  }                                                                            \
  static void name##_64(const double *x, const double *dy, double *dx,        \
                        int64_t n, float p, float *dp) {                       \
    (void)p, (void)dp;                                                         \
    call##_f64(x, dy, dx, n);                                                  \
  }
ADAPT(relu, relu_grad)
ADAPT(gelu, gelu_grad)
ADAPT(sigmoid_from_y, sigmoid_grad_from_y)
ADAPT(elu_from_y, elu_grad_from_y)
static void swish_32(const float *x, const float *dy, float *dx, int64_t n,
                     float p, float *dp) {
  swish_grad_f32(x, dy, dx, n, p, dp);
}
static void swish_64(const double *x, const double *dy, double *dx, int64_t n,
                     float p, float *dp) {
  swish_grad_f64(x, dy, dx, n, p, dp);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_grad_f32("relu_grad", relu_32, 0, 0);
  test_grad_f64("relu_grad", relu_64, 0, 0);
  test_grad_f32("gelu_grad", gelu_32, 0, 0);
  test_grad_f64("gelu_grad", gelu_64, 0, 0);
  test_grad_f32("swish_grad", swish_32, 1.0f, 1);
  test_grad_f64("swish_grad", swish_64, 1.0f, 1);
  test_grad_f32("swish_grad", swish_32, -0.75f, 1);
  test_grad_f64("swish_grad", swish_64, -0.75f, 1);
  test_grad_f32("sigmoid_grad_from_y", sigmoid_from_y_32, 0, 0);
  test_grad_f64("sigmoid_grad_from_y", sigmoid_from_y_64, 0, 0);
  test_grad_f32("elu_grad_from_y", elu_from_y_32, 0, 0);
  test_grad_f64("elu_grad_from_y", elu_from_y_64, 0, 0);
  test_row_grad_f32("softmax", softmax_f32, softmax_grad_f32, 0);
  test_row_grad_f64("softmax", softmax_f64, softmax_grad_f64, 0);
  test_row_grad_f32("log_softmax", log_softmax_f32, log_softmax_grad_f32, 1);
  test_row_grad_f64("log_softmax", log_softmax_f64, log_softmax_grad_f64, 1);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
