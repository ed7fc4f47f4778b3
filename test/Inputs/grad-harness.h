/* grad-harness.h - measures compiled gradient kernels against MPFR.
 *
 * A test lists its gradient kernels in a table of `GradCase` and calls
 * `run_grad_cases`. Each kernel runs with dy = 1 (so dx is f'(x) itself)
 * and with a random dy, over a dense grid, every binade and random inputs;
 * errors are in ULPs of the tested type at the exact value. Only inputs
 * where |f'(x)| >= 2^-20 count toward the asserted budget; where f' is a
 * normal number below that, the tails (|x| >= 4) have a budget of their
 * own and the rest (near a zero of f') is printed, not asserted. The limits at +-inf, NaN in and
 * signed zeros are checked apart. One line per kernel reports the max ULP.
 */

#ifndef ACTC_TEST_GRAD_HARNESS_H
#define ACTC_TEST_GRAD_HARNESS_H

#include "grad-reference.h"

#include <stdint.h>

/* A gradient kernel with its runtime parameters in `params` and their
 * gradients (the dP outputs) in `dparams`. */
typedef void (*GradKernelF32)(const float *x, const float *dy, float *dx,
                              int64_t n, const float *params, float *dparams);
typedef void (*GradKernelF64)(const double *x, const double *dy, double *dx,
                              int64_t n, const float *params, float *dparams);

/* NaN at a limit: expect NaN there. */
typedef struct {
  const char *label;
  GradKernelF32 f32;
  GradKernelF64 f64;
  GradReferenceFn ref; /* f'(x); NULL: grad_reference_lookup(label) */
  float params[2];     /* runtime parameters */
  double at_neg_inf;   /* the kernel's dx at x = -inf, dy = 1 */
  double at_pos_inf;
  double budget_f32;   /* max ULP where |f'| >= 2^-20 */
  double budget_f64;
  double range;        /* inputs in [-range, range] (0: 60) */
  /* Max ULP in the tails, |x| >= 4 out to 104 (f64: 745), where f' is a
   * normal number below 2^-20 (sigmoid' = e^-80 is one in f32); 0: the
   * tails are not checked. */
  double tail_f32, tail_f64;
} GradCase;

/* Measures every case for `dtype` ("f32" or "f64"); returns the number of
 * failed checks. */
int run_grad_cases(const GradCase *cases, int count, const char *dtype);

/* The sampled finite inputs of a type, in [-range, range]. */
typedef struct {
  double *v;
  size_t n;
} GradInputs;
GradInputs grad_make_inputs(int is_f32, double range);

/* Inputs beyond `range` out to where f' of the prelude underflows: every
 * 2^-2 up to 104 (f32), every 2^-1 up to 745 (f64), both signs. */
GradInputs grad_make_tail_inputs(int is_f32, double range);

/* A deterministic uniform double in [lo, hi). */
double grad_random(double lo, double hi);

/* WRAP(name) / WRAP_P(name): name_g32 and name_g64, the harness's calling
 * convention over actc's name_grad_f32/_f64 kernels without runtime
 * parameters / with one (p[0], its gradient in dp). */
#define WRAP(name)                                                             \
  static void name##_g32(const float *x, const float *dy, float *dx,          \
                         int64_t n, const float *p, float *dp) {               \
    (void)p, (void)dp;                                                         \
    name##_grad_f32(x, dy, dx, n);                                             \
  }                                                                            \
  static void name##_g64(const double *x, const double *dy, double *dx,       \
                         int64_t n, const float *p, float *dp) {               \
    (void)p, (void)dp;                                                         \
    name##_grad_f64(x, dy, dx, n);                                             \
  }
#define WRAP_P(name)                                                           \
  static void name##_g32(const float *x, const float *dy, float *dx,          \
                         int64_t n, const float *p, float *dp) {               \
    name##_grad_f32(x, dy, dx, n, p[0], dp);                                   \
  }                                                                            \
  static void name##_g64(const double *x, const double *dy, double *dx,       \
                         int64_t n, const float *p, float *dp) {               \
    name##_grad_f64(x, dy, dx, n, p[0], dp);                                   \
  }

#endif /* ACTC_TEST_GRAD_HARNESS_H */
