// The fast gradients (--precision=fast, f32) next to the zeros of f', where
// the textbook sum f' = s + x s'(...) cancels in f32 (silu' at x = -1.28
// was 1.1e5 ULP, docs/accuracy.md "Fast grads near the zeros of f'"), against
// the closed forms of test/Inputs/grad-reference.c (MPFR). The kernels are
// lib/Conversion/Approx/ComposedF32.cpp's buildSigmoidGradSumF32 with the
// series of FastGradRoots.def next to the zeros, buildMishGradF32 (mish),
// FastForms.cpp's SoftsignQuotient, and the erf GELU's GeluGradForm.cpp
// (this RUN line's default --mcpu has no AVX-512: the f64 sum with the
// series next to the zero; it was 427925 ULP there and 9-22 for x < -1).
//
// For each kernel the zeros of f' in [-4, 4] are located on the MPFR
// reference (sign changes on a 2^-8 grid, then bisection to adjacent
// floats), and every float within 2^18 floats of each zero is an input
// (|x - x0| up to ~2^-5), with a 2^-12 grid over [-8, 4] and random values
// in [-100, 100] (softsign, whose quotient rule cancelled for large |x|:
// random values in [-2^20, 2^20] too). Asserted: at most 4 ULP (issue 4's fast bound) wherever
// |f'| >= 2^-20 (act-accuracy's statistics), and, in the windows around the
// zeros, wherever f' is a normal number (the root forms are accurate in
// relative terms right down to the zero: FastGradRoots.def).
//
// REQUIRES: mpfr
// RUN: actc --only silu,swish,quick_gelu,gelu_tanh,new_gelu,softsign,mish,gelu --dtype f32 --precision=fast --kernels grad -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: MAXULP silu
// CHECK: MAXULP swish(1)
// CHECK: MAXULP swish(1.702)
// CHECK: MAXULP swish(-0.5)
// CHECK: MAXULP quick_gelu
// CHECK: MAXULP gelu_tanh
// CHECK: MAXULP new_gelu
// CHECK: MAXULP softsign
// CHECK: MAXULP mish
// CHECK: MAXULP gelu
// CHECK: 0 failure(s)

#include "grad-reference.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREC 160 /* bits of the references */

typedef void (*Kernel)(const float *x, const float *dy, float *dx, int64_t n,
                       float param);

static void silu_k(const float *x, const float *dy, float *dx, int64_t n,
                   float p) {
  (void)p;
  silu_grad_f32(x, dy, dx, n);
}
static void swish_k(const float *x, const float *dy, float *dx, int64_t n,
                    float p) {
  float dbeta;
  swish_grad_f32(x, dy, dx, n, p, &dbeta);
}
static void gelu_tanh_k(const float *x, const float *dy, float *dx, int64_t n,
                        float p) {
  (void)p;
  gelu_tanh_grad_f32(x, dy, dx, n);
}
static void new_gelu_k(const float *x, const float *dy, float *dx, int64_t n,
                       float p) {
  (void)p;
  new_gelu_grad_f32(x, dy, dx, n);
}
static void softsign_k(const float *x, const float *dy, float *dx, int64_t n,
                       float p) {
  (void)p;
  softsign_grad_f32(x, dy, dx, n);
}
static void mish_k(const float *x, const float *dy, float *dx, int64_t n,
                   float p) {
  (void)p;
  mish_grad_f32(x, dy, dx, n);
}
static void gelu_k(const float *x, const float *dy, float *dx, int64_t n,
                   float p) {
  (void)p;
  gelu_grad_f32(x, dy, dx, n);
}
static void quick_gelu_k(const float *x, const float *dy, float *dx, int64_t n,
                         float p) {
  (void)p;
  quick_gelu_grad_f32(x, dy, dx, n);
}

typedef struct {
  const char *label, *ref;
  Kernel kernel;
  float param;
  int zeros; /* zeros of f' in [-4, 4] */
} Case;

static const Case cases[] = {
    {"silu", "silu", silu_k, 0, 1},
    {"swish(1)", "swish", swish_k, 1.0f, 1},
    {"swish(1.702)", "swish", swish_k, 1.702f, 1},
    {"swish(-0.5)", "swish", swish_k, -0.5f, 1},
    {"quick_gelu", "quick_gelu", quick_gelu_k, 0, 1},
    {"gelu_tanh", "gelu_tanh", gelu_tanh_k, 0, 1},
    {"new_gelu", "new_gelu", new_gelu_k, 0, 1},
    /* no zero; its quotient rule cancelled for large |x| (762 ULP) */
    {"softsign", "softsign", softsign_k, 0, 0},
    {"mish", "mish", mish_k, 0, 1},
    {"gelu", "gelu", gelu_k, 0, 1},
};

/* |y - r| in float ULPs at the exact value r (2^-149 below the normal
 * range); 0 where both are the same zero or NaN. */
static double ulp_error(mpfr_t r, float y) {
  if (isnan(y))
    return mpfr_nan_p(r) ? 0 : INFINITY;
  mpfr_t t;
  mpfr_init2(t, PREC);
  mpfr_sub_d(t, r, y, MPFR_RNDN);
  mpfr_abs(t, t, MPFR_RNDN);
  long e = -149;
  if (!mpfr_zero_p(r) && mpfr_get_exp(r) - 24 > e)
    e = mpfr_get_exp(r) - 24;
  mpfr_mul_2si(t, t, -e, MPFR_RNDN);
  double err = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  return err;
}

static GradReferenceFn ref_fn;
static double ref_params[2];

static double ref_at(double x) {
  mpfr_t mx, d;
  mpfr_inits2(PREC, mx, d, (mpfr_ptr)0);
  mpfr_set_d(mx, x, MPFR_RNDN);
  ref_fn(d, mx, ref_params);
  double v = mpfr_get_d(d, MPFR_RNDN);
  mpfr_clears(mx, d, (mpfr_ptr)0);
  return v;
}

/* Appends every float within `radius` floats of each zero of f' in [-4, 4]
 * (and within 8 * 2^-8 / beta for swish's scaled argument). */
static size_t add_root_windows(float *v, size_t n, int radius, int *roots) {
  double lo = -4, step = 0x1p-8;
  double prev = ref_at(lo);
  for (double x = lo + step; x <= 4; x += step) {
    double cur = ref_at(x);
    if ((prev < 0) != (cur < 0) && prev != 0) {
      float a = (float)(x - step), b = (float)x;
      while (nextafterf(a, b) != b) {
        float m = (float)(0.5 * ((double)a + b));
        if (m == a || m == b)
          break;
        if ((ref_at(m) < 0) == (ref_at(a) < 0))
          a = m;
        else
          b = m;
      }
      ++*roots;
      float y = a;
      for (int i = 0; i < radius; ++i)
        y = nextafterf(y, -INFINITY);
      for (int i = 0; i < 2 * radius; ++i, y = nextafterf(y, INFINITY))
        v[n++] = y;
    }
    prev = cur;
  }
  return n;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  enum { Radius = 1 << 18 };
  size_t cap = 8 * (size_t)Radius + (12 << 12) + 300000 + 16;
  float *x = malloc(cap * sizeof(float)), *dy = malloc(cap * sizeof(float)),
        *dx = malloc(cap * sizeof(float));
  int failures = 0;
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); ++c) {
    ref_fn = grad_reference_lookup(cases[c].ref);
    ref_params[0] = cases[c].param;
    int roots = 0;
    size_t window = add_root_windows(x, 0, Radius, &roots);
    size_t n = window;
    for (double g = -8; g <= 4; g += 0x1p-12)
      x[n++] = (float)g;
    srand(12345);
    for (int i = 0; i < 200000; ++i)
      x[n++] = (float)(-100 + 200.0 * rand() / RAND_MAX);
    for (int i = 0; i < 100000; ++i)
      x[n++] = (float)ldexp(-1 + 2.0 * rand() / RAND_MAX, 20);
    for (size_t i = 0; i < n; ++i)
      dy[i] = 1;
    cases[c].kernel(x, dy, dx, (int64_t)n, cases[c].param);
    double worst = 0, worst_near = 0, wx = 0, wnx = 0;
    mpfr_t mx, d;
    mpfr_inits2(PREC, mx, d, (mpfr_ptr)0);
    for (size_t i = 0; i < n; ++i) {
      mpfr_set_flt(mx, x[i], MPFR_RNDN);
      ref_fn(d, mx, ref_params);
      double err = ulp_error(d, dx[i]);
      double a = fabs(mpfr_get_d(d, MPFR_RNDN));
      if (a >= 0x1p-20 && err > worst)
        worst = err, wx = x[i];
      if (i < window && a >= 0x1p-126 && err > worst_near)
        worst_near = err, wnx = x[i];
    }
    mpfr_clears(mx, d, (mpfr_ptr)0);
    printf("MAXULP %s %.4f at x = %a (|f'| >= 2^-20); %.4f at x = %a next to "
           "its %d zero(s) (f' normal); %zu inputs\n",
           cases[c].label, worst, wx, worst_near, wnx, roots, n);
    if (roots != cases[c].zeros) {
      printf("  FAIL %s: %d zero(s) of f' found\n", cases[c].label, roots);
      ++failures;
    }
    if (!(worst <= 4) || !(worst_near <= 4)) {
      printf("  FAIL %s over 4 ULP\n", cases[c].label);
      ++failures;
    }
  }
  printf("%d failure(s)\n", failures);
  free(x), free(dy), free(dx);
  return failures != 0;
}
