/* accuracy.h - measures compiled kernels against the MPFR references.
 *
 * A test lists its activations in one table of `Activation` (the kernels,
 * their limits at +-inf and the ULP budgets) and calls `run_accuracy`. Errors
 * are in ULPs of the tested type at the exact value (2^-149 / 2^-1074 below
 * the normals); the worst input of every function is printed, for normal
 * results, results below the smallest normal and known bad regions apart.
 * ACTC_ACCURACY_PROFILE=1 also prints the worst error per binade of x.
 */

#ifndef ACTC_TEST_ACCURACY_H
#define ACTC_TEST_ACCURACY_H

#include <stdint.h>

/* Calls an elementwise kernel with its runtime parameters `params`. */
typedef void (*KernelF32)(const float *x, float *y, int64_t n,
                          const float *params);
typedef void (*KernelF64)(const double *x, double *y, int64_t n,
                          const float *params);

/* A known bad region [lo, hi] of x (cancellation, an intermediate flushed
 * to zero): measured and budgeted apart from the rest. lo > hi: none. */
typedef struct {
  double lo, hi;
  double budget_f32, budget_f64;
} Region;

/* Checks that are known to fail today, each printed as XFAIL; one that
 * passes is an error (XPASS) so that the table gets updated. */
enum {
  KNOWN_NEG_INF = 1, /* the limit at -inf */
  KNOWN_POS_INF = 2, /* the limit at +inf */
  KNOWN_NAN = 4,     /* NaN in -> NaN out */
};

typedef struct {
  const char *name;  /* the reference (reference.c) */
  const char *label; /* printed; NULL = name */
  KernelF32 f32;
  KernelF64 f64;
  float params[2];   /* runtime parameters passed to the kernel */
  double at_neg_inf; /* f(-inf); zeros compare without their sign */
  double at_pos_inf; /* f(+inf) */
  int known;         /* KNOWN_* */
  double budget_f32; /* max ULP: normal exact results outside `region` */
  double budget_f64;
  double tiny_f32;   /* max ULP where the exact result is below the smallest
                        normal (2^23 / 2^52: flushing to zero is allowed) */
  double tiny_f64;
  Region regions[2]; /* the first that holds x counts it */
} Activation;

/* Row kernels (softmax-like). */
typedef void (*RowKernelF32)(const float *x, float *y, int64_t rows,
                             int64_t cols);
typedef void (*RowKernelF64)(const double *x, double *y, int64_t rows,
                             int64_t cols);

typedef struct {
  const char *label;
  int log; /* log_softmax */
  RowKernelF32 f32;
  RowKernelF64 f64;
  double budget_f32, budget_f64; /* normal exact results */
  double tiny_f32, tiny_f64;     /* exact results below the smallest normal */
  Region near;                   /* a range of exact *results* [lo, hi] */
} RowActivation;

#define NO_REGION {1, 0, 0, 0}
#define NO_REGIONS {NO_REGION, NO_REGION}

/* 2^23 / 2^52 ULPs: results below the smallest normal flushed to zero. */
#define FTZ_F32 8388608.0
#define FTZ_F64 4503599627370496.0

/* Measures every entry for `dtype` ("f32" or "f64") and prints one line per
 * function; returns the number of failed checks. */
int run_accuracy(const Activation *acts, int count, const char *dtype);
int run_row_accuracy(const RowActivation *acts, int count, const char *dtype);

#endif /* ACTC_TEST_ACCURACY_H */
