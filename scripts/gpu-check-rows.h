/* The row activations' reference for scripts/gpu-check.c, in long double:
   softmax and log_softmax of a row of x (max-shifted, as the kernels), and
   their gradients from the y and dy they are given (softmax:
   dx = y * (dy - sum(dy * y)); log_softmax: dx = dy - exp(y) * sum(dy)).
   A NaN in a row makes its max NaN, as the kernels' maximumf does. */
#ifndef GPU_CHECK_ROWS_H
#define GPU_CHECK_ROWS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static void referenceRows(int logSoftmax, const double *x, long double *y,
                          int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const double *xr = x + r * cols;
    long double *yr = y + r * cols;
    long double m = -INFINITY, s = 0;
    for (int64_t j = 0; j < cols; ++j)
      m = isnan(xr[j]) || isnan(m) ? NAN : fmaxl(m, xr[j]);
    for (int64_t j = 0; j < cols; ++j) s += expl(xr[j] - m);
    for (int64_t j = 0; j < cols; ++j)
      yr[j] = logSoftmax ? (xr[j] - m) - logl(s) : expl(xr[j] - m) / s;
  }
}

static void referenceRowGrads(int logSoftmax, const double *y,
                              const double *dy, long double *dx, int64_t rows,
                              int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const double *yr = y + r * cols, *dyr = dy + r * cols;
    long double s = 0;
    for (int64_t j = 0; j < cols; ++j)
      s += logSoftmax ? (long double)dyr[j] : (long double)dyr[j] * yr[j];
    for (int64_t j = 0; j < cols; ++j)
      dx[r * cols + j] = logSoftmax ? dyr[j] - expl(yr[j]) * s
                                    : yr[j] * (dyr[j] - s);
  }
}

#endif
