/* The CPU's f32 softmax and log_softmax kernels (and their gradients from
   y) against scripts/gpu-check-rows.h's long double reference, on
   scripts/gpu-check.c's inputs (rows of 1000: special values, then |x|
   log-uniform over [1e-30, 1e4] and uniform over [-12, 12]): the max ULP
   from the reference rounded to f32, and where it is. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu-check-rows.h"
#include "gpu-check-util.h"
#include "rows.h"

static void report(const char *what, const float *result,
                   const long double *truth, int64_t count) {
  double worst = 0;
  int64_t at = 0;
  for (int64_t i = 0; i < count; ++i) {
    double u = ulp32(result[i], (float)truth[i]);
    if (u > worst) worst = u, at = i;
  }
  printf("%s: max %.0f ULP; result %.9g, truth %.9Lg\n", what, worst,
         result[at], truth[at]);
}

int main(void) {
  enum { N = 1 << 20, COLS = 1000, ROWS = N / COLS, COUNT = ROWS * COLS };
  float *x = malloc(N * 4), *y = malloc(N * 4), *dy = malloc(N * 4),
        *dx = malloc(N * 4);
  double *xd = malloc(N * 8), *yd = malloc(N * 8), *dyd = malloc(N * 8);
  long double *truth = malloc(N * sizeof(long double));
  /* gpu-check.c's inputs, then its dy. */
  fillInputs(xd, N);
  for (int64_t i = 0; i < N; ++i) {
    x[i] = (float)xd[i];
    xd[i] = x[i];
  }
  for (int64_t i = 0; i < N; ++i) {
    dy[i] = (float)(-2 + 4 * uniform());
    dyd[i] = dy[i];
  }
  for (int logSoftmax = 0; logSoftmax < 2; ++logSoftmax) {
    const char *name = logSoftmax ? "log_softmax" : "softmax";
    char what[64];
    (logSoftmax ? log_softmax_f32 : softmax_f32)(x, y, ROWS, COLS);
    referenceRows(logSoftmax, xd, truth, ROWS, COLS);
    snprintf(what, sizeof what, "%s forward", name);
    report(what, y, truth, COUNT);
    for (int64_t i = 0; i < COUNT; ++i) yd[i] = y[i];
    (logSoftmax ? log_softmax_grad_f32 : softmax_grad_f32)(y, dy, dx, ROWS,
                                                           COLS);
    referenceRowGrads(logSoftmax, yd, dyd, truth, ROWS, COLS);
    snprintf(what, sizeof what, "%s grad", name);
    report(what, dx, truth, COUNT);
  }
  return 0;
}
