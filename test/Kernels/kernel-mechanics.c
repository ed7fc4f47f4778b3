// Kernel mechanics of ABI.md, for representative activations (relu, gelu,
// swish with its runtime beta; softmax and log_softmax rows), f32 and f64:
// n = 0 touches nothing (pointers into PROT_NONE pages), every tail length
// n = 0..67, unaligned pointers, in place (y == x), and a PROT_NONE page
// right after every array, so any access past the end crashes the test.
// Row kernels: rows x cols with cols not a multiple of the vector width,
// rows = 0 and cols = 0.
//
// RUN: actc --only relu,gelu,swish,softmax,log_softmax -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t

#include "guard.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

enum { N_MAX = 67, N_ALL = 256 };

/* Inputs: a spread over [-8, 8] with the special values mixed in. */
static double input(int i) {
  static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN,
                                    1e-40, -1e-310, 30.0, -30.0};
  if (i % 11 == 5)
    return specials[(i / 11) % (sizeof(specials) / sizeof(specials[0]))];
  return (double)((i * 37) % 257 - 128) / 16.0;
}

/* long double references for the row kernels. */
static void row_reference(const long double *x, long double *y, long cols,
                          int log) {
  long double max = -INFINITY, sum = 0;
  for (long j = 0; j < cols; ++j)
    max = x[j] > max ? x[j] : max;
  for (long j = 0; j < cols; ++j)
    sum += expl(x[j] - max);
  for (long j = 0; j < cols; ++j)
    y[j] = log ? x[j] - max - logl(sum) : expl(x[j] - max) / sum;
}

/* The whole test, once per element type T (suffix S). Elementwise results
 * must be bitwise those of one big aligned call: a kernel's value for an
 * element may not depend on where in the array it sits. */
#define DEFINE_TESTS(T, S, EPS)                                                \
  static int same_##S(T a, T b) {                                              \
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(T)) == 0;          \
  }                                                                            \
                                                                               \
  typedef void (*Unary_##S)(const T *, T *, int64_t, float);                   \
                                                                               \
  static void test_elementwise_##S(const char *name, Unary_##S kernel,         \
                                   float param) {                              \
    T x_all[N_ALL], y_all[N_ALL];                                              \
    for (int i = 0; i < N_ALL; ++i)                                            \
      x_all[i] = (T)input(i);                                                  \
    guard_context("%s_" #S "(n=%d)", name, N_ALL);                             \
    kernel(x_all, y_all, N_ALL, param);                                        \
    guard_context("%s_" #S "(n=0) on PROT_NONE pointers", name);               \
    kernel(guard_no_access(), guard_no_access(), 0, param);                    \
    for (int n = 0; n <= N_MAX; ++n) {                                         \
      size_t bytes = n * sizeof(T);                                            \
      guard_context("%s_" #S "(n=%d)", name, n);                               \
      /* Arrays ending at a guard page. */                                     \
      T *x = guard_end(bytes), *y = guard_end(bytes);                          \
      memcpy(x, x_all, bytes);                                                 \
      kernel(x, y, n, param);                                                  \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(y[i], y_all[i]), "%s_" #S " n=%d end-aligned: y[%d]"    \
              " = %g, expected %g", name, n, i, (double)y[i],                  \
              (double)y_all[i]);                                               \
      /* In place. */                                                          \
      kernel(x, x, n, param);                                                  \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(x[i], y_all[i]), "%s_" #S " n=%d in place: y[%d] = %g"  \
              ", expected %g", name, n, i, (double)x[i], (double)y_all[i]);    \
      /* Unaligned by one element (x) and three (y), with canaries. */         \
      T *xu = guard_offset(bytes, sizeof(T));                                  \
      T *yu = guard_offset(bytes + 2 * sizeof(T), 3 * sizeof(T));              \
      memcpy(xu, x_all, bytes);                                                \
      yu[n + 1] = yu[n] = (T)12345;                                            \
      yu += 1;                                                                 \
      yu[-1] = (T)54321;                                                       \
      kernel(xu, yu, n, param);                                                \
      for (int i = 0; i < n; ++i)                                              \
        CHECK(same_##S(yu[i], y_all[i]), "%s_" #S " n=%d unaligned: y[%d] = " \
              "%g, expected %g", name, n, i, (double)yu[i], (double)y_all[i]); \
      CHECK(yu[-1] == (T)54321 && yu[n] == (T)12345,                           \
            "%s_" #S " n=%d unaligned: wrote outside y[0..n)", name, n);       \
    }                                                                          \
    guard_release_all();                                                       \
  }                                                                            \
                                                                               \
  typedef void (*Row_##S)(const T *, T *, int64_t, int64_t);                   \
                                                                               \
  static void check_rows_##S(const char *name, Row_##S kernel, int log,        \
                             long rows, long cols, size_t offset) {            \
    size_t bytes = rows * cols * sizeof(T);                                    \
    T *x = offset ? guard_offset(bytes, offset) : guard_end(bytes);            \
    T *y = offset ? guard_offset(bytes, offset) : guard_end(bytes);            \
    guard_context("%s_" #S "(rows=%ld, cols=%ld), offset %zu bytes", name,     \
                  rows, cols, offset);                                         \
    for (long i = 0; i < rows * cols; ++i)                                     \
      x[i] = (T)((double)((i * 29) % 97) / 8.0 - 6.0);                         \
    kernel(x, y, rows, cols);                                                  \
    long double xr[128], yr[128];                                              \
    for (long r = 0; r < rows; ++r) {                                          \
      for (long j = 0; j < cols; ++j)                                          \
        xr[j] = x[r * cols + j];                                               \
      row_reference(xr, yr, cols, log);                                        \
      for (long j = 0; j < cols; ++j) {                                        \
        long double got = y[r * cols + j];                                     \
        CHECK(fabsl(got - yr[j]) <= EPS * (fabsl(yr[j]) + 1),                  \
              "%s_" #S " rows=%ld cols=%ld offset=%zu: y[%ld][%ld] = %.17g, " \
              "expected %.17Lg", name, rows, cols, offset, r, j, (double)got,  \
              yr[j]);                                                          \
      }                                                                        \
    }                                                                          \
  }                                                                            \
                                                                               \
  static void test_rows_##S(const char *name, Row_##S kernel, int log) {       \
    static const long empty[3][2] = {{0, 5}, {0, 0}, {3, 0}};                  \
    for (int e = 0; e < 3; ++e) {                                              \
      guard_context("%s_" #S "(rows=%ld, cols=%ld) on PROT_NONE pointers",     \
                    name, empty[e][0], empty[e][1]);                           \
      kernel(guard_no_access(), guard_no_access(), empty[e][0], empty[e][1]);  \
    }                                                                          \
    static const long rowsList[] = {1, 2, 3};                                  \
    for (int r = 0; r < 3; ++r) {                                              \
      for (long cols = 1; cols <= N_MAX; ++cols) {                             \
        check_rows_##S(name, kernel, log, rowsList[r], cols, 0);               \
        check_rows_##S(name, kernel, log, rowsList[r], cols, sizeof(T));       \
      }                                                                        \
      check_rows_##S(name, kernel, log, rowsList[r], 100, 0);                  \
      check_rows_##S(name, kernel, log, rowsList[r], 128, sizeof(T));          \
      guard_release_all();                                                     \
    }                                                                          \
  }

DEFINE_TESTS(float, f32, 1e-5L)
DEFINE_TESTS(double, f64, 1e-13L)

/* Adapters to one signature; swish passes its runtime beta through. */
static void relu_32(const float *x, float *y, int64_t n, float b) {
  relu_f32(x, y, n);
}
static void relu_64(const double *x, double *y, int64_t n, float b) {
  relu_f64(x, y, n);
}
static void gelu_32(const float *x, float *y, int64_t n, float b) {
  gelu_f32(x, y, n);
}
static void gelu_64(const double *x, double *y, int64_t n, float b) {
  gelu_f64(x, y, n);
}
static void swish_32(const float *x, float *y, int64_t n, float b) {
  swish_f32(x, y, n, b);
}
static void swish_64(const double *x, double *y, int64_t n, float b) {
  swish_f64(x, y, n, b);
}

/* The runtime beta reaches the kernel: swish(x, beta) against
 * x * sigmoid(beta * x) in long double. */
static void test_swish_beta(void) {
  static const float betas[] = {1.0f, 0.5f, 1.702f, -2.0f, 0.0f};
  for (int b = 0; b < 5; ++b) {
    float xf[33], yf[33];
    double xd[33], yd[33];
    for (int i = 0; i < 33; ++i)
      xd[i] = xf[i] = (float)(i - 16) / 4.0f;
    swish_f32(xf, yf, 33, betas[b]);
    swish_f64(xd, yd, 33, betas[b]);
    for (int i = 0; i < 33; ++i) {
      long double want = xd[i] / (1 + expl(-(long double)betas[b] * xd[i]));
      CHECK(fabsl(yf[i] - want) <= 1e-5L * (fabsl(want) + 1e-3L),
            "swish_f32(%g, beta=%g) = %.9g, expected %.9Lg", xd[i], betas[b],
            yf[i], want);
      CHECK(fabsl(yd[i] - want) <= 1e-13L * (fabsl(want) + 1e-3L),
            "swish_f64(%g, beta=%g) = %.17g, expected %.17Lg", xd[i],
            betas[b], yd[i], want);
    }
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  test_elementwise_f32("relu", relu_32, 0);
  test_elementwise_f64("relu", relu_64, 0);
  test_elementwise_f32("gelu", gelu_32, 0);
  test_elementwise_f64("gelu", gelu_64, 0);
  test_elementwise_f32("swish", swish_32, 1.0f);
  test_elementwise_f64("swish", swish_64, 1.0f);
  test_elementwise_f32("swish", swish_32, -0.75f);
  test_elementwise_f64("swish", swish_64, -0.75f);
  test_swish_beta();
  test_rows_f32("softmax", softmax_f32, 0);
  test_rows_f64("softmax", softmax_f64, 0);
  test_rows_f32("log_softmax", log_softmax_f32, 1);
  test_rows_f64("log_softmax", log_softmax_f64, 1);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
