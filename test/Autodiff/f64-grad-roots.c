// The f64 gradients of the sigmoid products next to the zeros of f'
// (silu, swish with several betas, quick_gelu, gelu_tanh, new_gelu; the
// erf GELU and mish as well), against test/Inputs/grad-reference.c's MPFR
// derivatives at 160 bits. There the f64 forms' sum 1 + E + m cancels
// and an error of ~2^-68 in it becomes 18-51 ULP at |f'| = 2^-20 (session
// 17's dense sample); lib/Conversion/Approx/AccurateF64GradRoots.cpp's
// series d q(d) take over within delta of the zero. prelude-grad-accuracy.c's
// grid misses it (0.5-0.7 there). Also tanh''s tail where sigmoid'(2x) is
// subnormal and tanh' = 4 sigmoid'(2x) is not (2.5 ULP before session 18).
//
// Inputs per case, around its zero x0: runs of 48 consecutive doubles
// starting at x0 +- 2^-k (k = 2..26) and 4000 uniform in x0 +- 1/4 (both
// sides of every series window). Max ULP where |f'| >= 2^-20, budget 1
// (the kernels measure about 0.5-0.6; the formula's was 18-51).
//
// REQUIRES: mpfr
// RUN: actc --only silu,swish,quick_gelu,gelu_tanh,new_gelu,gelu,mish,tanh --dtype f64 -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t | FileCheck %s
// RUN: %t near 24 2000 | FileCheck %s
// CHECK: PASS

#include "grad-reference.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREC 160
#define SMALL 0x1p-20
#define BUDGET 1.0

typedef struct {
  const char *label; /* the reference's name */
  double beta;       /* swish's; 0 for the others */
  double x0;         /* the zero of f' in x */
} RootCase;

/* silu's zero in t = beta x: t0 = -1 - W(1/e). The betas are floats (the
 * kernels take beta as a float). */
#define T0 (-1.2784645427610738)
static const RootCase cases[] = {
    {"silu", 0, T0},
    {"swish", 1, T0},
    {"swish", 1.703125, T0 / 1.703125},
    {"swish", 0.5, T0 / 0.5},
    {"swish", -1, -T0},
    {"swish", 3.25, T0 / 3.25},
    {"quick_gelu", 0, -0.7511542554412891},
    {"gelu_tanh", 0, -0.7524614220710163},
    {"new_gelu", 0, -0.7524614220710163},
    {"gelu", 0, -0.7517915246935645},
    {"mish", 0, -1.1924312145154952},
};

static void run(const RootCase *c, const double *x, const double *dy,
                double *dx, int64_t n) {
  const char *l = c->label;
  if (!strcmp(l, "silu"))
    silu_grad_f64(x, dy, dx, n);
  else if (!strcmp(l, "swish")) {
    float dbeta = 0;
    swish_grad_f64(x, dy, dx, n, (float)c->beta, &dbeta);
  } else if (!strcmp(l, "quick_gelu"))
    quick_gelu_grad_f64(x, dy, dx, n);
  else if (!strcmp(l, "gelu_tanh"))
    gelu_tanh_grad_f64(x, dy, dx, n);
  else if (!strcmp(l, "new_gelu"))
    new_gelu_grad_f64(x, dy, dx, n);
  else if (!strcmp(l, "gelu"))
    gelu_grad_f64(x, dy, dx, n);
  else
    mish_grad_f64(x, dy, dx, n);
}

static uint64_t state = 0x9e3779b97f4a7c15ull;
static double uniform(double lo, double hi) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return lo + (hi - lo) * (double)(state >> 11) * 0x1p-53;
}

/* Arguments: "near K N" for runs from 2^-2 to 2^-K and N random points
 * (defaults 26 and 4000). */
int main(int argc, char **argv) {
  int kmax = argc > 2 ? atoi(argv[2]) : 26;
  int randoms = argc > 3 ? atoi(argv[3]) : 4000;
  enum { RUN = 48 };
  size_t cap = (size_t)(kmax * 2 + 1) * RUN + randoms;
  double *x = malloc(cap * sizeof(double)), *dy = malloc(cap * sizeof(double));
  double *dx = malloc(cap * sizeof(double));
  int failures = 0;
  mpfr_t xm, r;
  mpfr_inits2(PREC, xm, r, (mpfr_ptr)0);
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
    const RootCase *c = &cases[i];
    size_t n = 0;
    for (int k = 2; k <= kmax; ++k)
      for (int s = -1; s <= 1; s += 2) {
        double v = c->x0 + s * ldexp(1, -k);
        for (int j = 0; j < RUN; ++j, v = nextafter(v, INFINITY))
          x[n++] = v;
      }
    for (int j = 0; j < RUN; ++j)
      x[n++] = nextafter(c->x0, -INFINITY) + j * 0x1p-52;
    for (int j = 0; j < randoms; ++j)
      x[n++] = uniform(c->x0 - 0.25, c->x0 + 0.25);
    for (size_t j = 0; j < n; ++j)
      dy[j] = 1;
    run(c, x, dy, dx, (int64_t)n);
    GradReferenceFn ref = grad_reference_lookup(c->label);
    double params[4] = {c->beta, 0, 0, 0};
    double worst = 0, at = 0;
    size_t counted = 0;
    for (size_t j = 0; j < n; ++j) {
      mpfr_set_d(xm, x[j], MPFR_RNDN);
      ref(r, xm, params);
      if (fabs(mpfr_get_d(r, MPFR_RNDN)) < SMALL)
        continue;
      ++counted;
      double err = grad_ulp_error(53, r, dx[j]);
      if (!(err <= worst)) {
        worst = err;
        at = x[j];
      }
    }
    int ok = worst <= BUDGET;
    failures += !ok;
    printf("%-10s beta %-6g %zu inputs, max %.4f ULP at x = %.17g%s\n",
           c->label, c->beta, counted, worst, at, ok ? "" : "   <-- FAIL");
  }
  /* tanh' = 4 sigmoid'(2x) where sigmoid' is subnormal and f' is not
   * (x in [340, 354.9]): the 4 once rounded after sigmoid' (2.5 ULP). */
  {
    size_t n = 0;
    for (double v = 340; v < 372 && n < cap; v += 1.0 / 256)
      x[n++] = v;
    for (size_t j = 0; j < n; ++j)
      dy[j] = 1;
    tanh_grad_f64(x, dy, dx, (int64_t)n);
    GradReferenceFn ref = grad_reference_lookup("tanh");
    double params[4] = {0}, worst = 0, at = 0;
    for (size_t j = 0; j < n; ++j) {
      mpfr_set_d(xm, x[j], MPFR_RNDN);
      ref(r, xm, params);
      if (!(fabs(mpfr_get_d(r, MPFR_RNDN)) >= 0x1p-1022))
        continue;
      double err = grad_ulp_error(53, r, dx[j]);
      if (!(err <= worst))
        worst = err, at = x[j];
    }
    int ok = worst <= BUDGET;
    failures += !ok;
    printf("tanh tail  max %.4f ULP at x = %.17g%s\n", worst, at,
           ok ? "" : "   <-- FAIL");
  }
  mpfr_clears(xm, r, (mpfr_ptr)0);
  printf(failures ? "FAIL (%d)\n" : "PASS\n", failures);
  return failures != 0;
}
