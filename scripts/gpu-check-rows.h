/* The row activations' reference for scripts/gpu-check.c, in long double:
   softmax and log_softmax of a row of x (max-shifted, as the kernels; the
   log of the sum as log1p of the sum less one), and
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
    long double m = -INFINITY, rest = 0;
    for (int64_t j = 0; j < cols; ++j)
      m = isnan(xr[j]) || isnan(m) ? NAN : fmaxl(m, xr[j]);
    /* The sum less one, without adding the maxima's ones to the rest: a
       rest below 2^-64 would vanish in 1 + rest even in long double. */
    int64_t maxima = 0;
    for (int64_t j = 0; j < cols; ++j) {
      if (xr[j] == m)
        ++maxima;
      else
        rest += expl(xr[j] - m);
    }
    rest += maxima - 1; /* a NaN m: rest is NaN */
    for (int64_t j = 0; j < cols; ++j)
      yr[j] = logSoftmax ? (xr[j] - m) - log1pl(rest)
                         : expl(xr[j] - m) / (1 + rest);
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
