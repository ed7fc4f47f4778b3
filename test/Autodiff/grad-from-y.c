// The gradient kernels from the output, NAME_grad_from_y_S(y, dy, dx, n),
// that act-grad-from-y found for the prelude, f32 and f64:
//  1. against their formula of y (sigmoid: y (1 - y), tanh: 1 - y^2, elu:
//     y + 1 below 0, logsigmoid: -expm1(y), the steps of relu, leaky_relu,
//     softshrink, hardshrink) evaluated in long double at the y the forward
//     kernel returned: the arithmetic of the kernel, in ULPs;
//  2. against the gradient from x, NAME_grad_S(x, ...), at the same x:
//     they may differ only by what the rounding of y to the type carries
//     through the formula, |g'(y)| times a few ulp(y) (from y, sigmoid'
//     cannot tell 1 - 2^-25 from 1), plus a few ULPs of each kernel;
//  3. the same specials: +-inf, NaN and +-0 through y = f(x).
// The header lists exactly these activations as having the kernel.
//
// REQUIRES: mpfr
// RUN: actc --only identity,sigmoid,tanh,relu,leaky_relu,elu,selu,celu,logsigmoid,softshrink,hardshrink,gelu,silu,mish,softplus,prelu -o %t.o --header %t.h
// RUN: FileCheck %s --check-prefix=HEADER < %t.h
// HEADER: function of y alone: identity, sigmoid, tanh, relu, leaky_relu, elu, selu, celu, logsigmoid, softshrink, hardshrink. */
// HEADER-NOT: gelu_grad_from_y
// HEADER-NOT: silu_grad_from_y
// HEADER-NOT: mish_grad_from_y
// HEADER-NOT: softplus_grad_from_y
// HEADER-NOT: prelu_grad_from_y
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/grad-harness.c %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t

#include "grad-harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define SCALE 1.0507009873554804934L
#define ALPHA 1.6732632423543772848L

/* The derivative as a function of y, and its derivative in y, with the
 * constants rounded as the kernel of element type `is_f32` holds them. */
static long double g_of(const char *name, long double y, int is_f32,
                        long double *slope) {
  *slope = 0;
  if (!strcmp(name, "identity"))
    return 1;
  if (!strcmp(name, "sigmoid")) {
    *slope = 1 - 2 * y;
    return y * (1 - y);
  }
  if (!strcmp(name, "tanh")) {
    *slope = -2 * y;
    return (1 - y) * (1 + y); /* 1 - y*y cancels even in long double */
  }
  if (!strcmp(name, "relu"))
    return y > 0 ? 1 : 0;
  if (!strcmp(name, "leaky_relu"))
    return y > 0 ? 1 : 0.01L;
  if (!strcmp(name, "elu") || !strcmp(name, "celu")) {
    *slope = y > 0 ? 0 : 1;
    return y > 0 ? 1 : y + 1;
  }
  if (!strcmp(name, "selu")) {
    /* The kernel's constant: the double product of the double constants
     * (act-grad-from-y folds scale * alpha), then the element type. */
    double product = (double)SCALE * (double)ALPHA;
    long double scale = is_f32 ? (float)SCALE : (double)SCALE;
    long double offset = is_f32 ? (float)product : product;
    *slope = y > 0 ? 0 : 1;
    return y > 0 ? scale : y + offset;
  }
  if (!strcmp(name, "logsigmoid")) {
    *slope = -expl(y);
    return -expm1l(y);
  }
  /* softshrink, hardshrink */
  return y != 0 ? 1 : 0;
}

static long double ulp_of(long double v, int mant) {
  int min_exp = mant == 24 ? -149 : -1074;
  if (v == 0 || !isfinite(v))
    return ldexpl(1, min_exp);
  int e = ilogbl(v) - (mant - 1);
  return ldexpl(1, e > min_exp ? e : min_exp);
}

#define DEFINE_TEST(T, S, MANT)                                                \
  typedef void (*Fwd_##S)(const T *, T *, int64_t);                            \
  typedef void (*Grad_##S)(const T *, const T *, T *, int64_t);                \
  static void test_##S(const char *name, Fwd_##S forward, Grad_##S fromX,     \
                       Grad_##S fromY, double formulaBudget) {                 \
    enum { N = 4000 };                                                         \
    static T x[N + 5], y[N + 5], dy[N + 5], a[N + 5], b[N + 5];                \
    for (int i = 0; i < N; ++i) {                                              \
      x[i] = (T)(i < N / 2 ? ldexp((double)(i - N / 4), -6)                    \
                           : grad_random(-40, 40));                            \
      dy[i] = 1;                                                               \
    }                                                                          \
    const double specials[5] = {INFINITY, -INFINITY, NAN, 0.0, -0.0};          \
    for (int i = 0; i < 5; ++i) {                                              \
      x[N + i] = (T)specials[i];                                               \
      dy[N + i] = 1;                                                           \
    }                                                                          \
    forward(x, y, N + 5);                                                      \
    fromX(x, dy, a, N + 5);                                                    \
    fromY(y, dy, b, N + 5);                                                    \
    double worstFormula = 0, worstRatio = 0, atFormula = 0, atRatio = 0;       \
    for (int i = 0; i < N; ++i) {                                              \
      if (!isfinite(y[i]))                                                     \
        continue;                                                              \
      long double slope;                                                       \
      long double g = g_of(name, y[i], MANT == 24, &slope);                                \
      long double ulpG = ulp_of(g, MANT);                                      \
      double formula = (double)(fabsl(b[i] - g) / ulpG);                       \
      if (formula > worstFormula)                                              \
        worstFormula = formula, atFormula = x[i];                              \
      /* y itself is good to a few ULPs (the forward kernel). */             \
      long double allowed = 8 * fabsl(slope) * ulp_of(y[i], MANT) +            \
                            8 * ulp_of(a[i], MANT) + 8 * ulpG;                 \
      double ratio = (double)(fabsl((long double)b[i] - a[i]) / allowed);      \
      if (ratio > worstRatio)                                                  \
        worstRatio = ratio, atRatio = x[i];                                    \
    }                                                                          \
    int ok1 = worstFormula <= formulaBudget, ok2 = worstRatio <= 1;            \
    printf(#S " %-12s formula of y: max %.3g ulp (budget %g) at x = %g%s; "    \
           "vs from x: max %.3g of the allowance at x = %g%s\n",               \
           name, worstFormula, formulaBudget, atFormula,                       \
           ok1 ? "" : " <-- FAIL", worstRatio, atRatio,                        \
           ok2 ? "" : " <-- FAIL");                                            \
    printf("MAXULP " #S " %s_grad_from_y %.3g\n", name, worstFormula);         \
    failures += !ok1 + !ok2;                                                   \
    for (int i = N; i < N + 5; ++i) {                                          \
      /* One ulp (of dx or of y) apart at most where both are finite:   \
         selu's f64 kernels round alpha scale from their decimals         \
         (1.7580993408473768: dx at x = +-0, -y at x = -inf), the formula \
         of y holds the doubles' product (...766), so y + alpha scale     \
         leaves -2.2e-16 for 0 at x = -inf. */                            \
      long double apart = fabsl((long double)b[i] - a[i]);                    \
      int same = (isnan(a[i]) && isnan(b[i])) || a[i] == b[i] ||              \
                 (isfinite(a[i]) && isfinite(y[i]) &&                         \
                  (apart <= ulp_of(a[i], MANT) ||                             \
                   apart <= ulp_of(y[i], MANT)));                             \
      if (!same) {                                                             \
        printf("  FAIL %s_grad_from_y_" #S "(y = %g) = %g, from x (x = %g): " \
               "%g\n", name, (double)y[i], (double)b[i], (double)x[i],         \
               (double)a[i]);                                                  \
        ++failures;                                                            \
      }                                                                        \
    }                                                                          \
  }

DEFINE_TEST(float, f32, 24)
DEFINE_TEST(double, f64, 53)

#define RUN(name, b32, b64)                                                    \
  test_f32(#name, name##_f32, name##_grad_f32, name##_grad_from_y_f32, b32);  \
  test_f64(#name, name##_f64, name##_grad_f64, name##_grad_from_y_f64, b64)

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  // name         formula budget (ULPs) f32, f64
  RUN(identity,   0,   0);
  RUN(sigmoid,    1.5, 1.5);
  RUN(tanh,       1.5, 1.5);
  RUN(relu,       0,   0);
  RUN(leaky_relu, 0.5, 0.5);
  RUN(elu,        1,   1);
  RUN(selu,       2,   4);
  RUN(celu,       1,   1);
  RUN(logsigmoid, 1,   1);
  RUN(softshrink, 0,   0);
  RUN(hardshrink, 0,   0);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
