// The piecewise gradients take the branch exact arithmetic takes, right up
// to their kinks. hard_sigmoid's gradient tested the rounded x + 3 against 6:
// at x = 3 - 2^-22 (f32, fast) and x = 3 - 2^-51 (f64), x + 3 rounds to 6 and
// dx was 0 where the derivative is 1/6 (act-canonicalize now compares x with
// 6 - 3 = 3; td/Canonicalize.td). For hard_sigmoid, relu6, hardtanh and
// hard_swish, f32 and f64, every float within 2^12 floats of each kink on
// both sides (at 0: the smallest subnormals and their negatives), with
// dy = 1, against the exact derivative: hard_sigmoid' = 1/6 (rounded to the
// type), relu6' = hardtanh' = 1 strictly inside, 0 strictly outside;
// hard_swish' = 0 below -3, 1 above 3 and (2x + 3) / 6 within 2 ULP in
// between. At a kink itself the kernels return one of the one-sided
// derivatives (act-autodiff's warning says which); not checked here. Both
// precisions: fast f32 rounds x + 3 in f32, accurate computes it in f64.
//
// RUN: actc --only hard_sigmoid,relu6,hardtanh,hard_swish --dtype f32,f64 --precision=fast --kernels grad -o %t.fast.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -include %t.h %s %t.fast.o -lm -o %t.fast
// RUN: %t.fast | FileCheck %s
// RUN: actc --only hard_sigmoid,relu6,hardtanh,hard_swish --dtype f32,f64 --precision=accurate --kernels grad -o %t.acc.o
// RUN: %cc -O1 -ffp-contract=off -include %t.h %s %t.acc.o -lm -o %t.acc
// RUN: %t.acc | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: f32 hard_sigmoid: 16384 inputs, 0 wrong
// CHECK: f32 relu6: 16384 inputs, 0 wrong
// CHECK: f32 hardtanh: 16384 inputs, 0 wrong
// CHECK: f32 hard_swish: 16384 inputs, 0 wrong
// CHECK: f64 hard_sigmoid: 16384 inputs, 0 wrong
// CHECK: f64 relu6: 16384 inputs, 0 wrong
// CHECK: f64 hardtanh: 16384 inputs, 0 wrong
// CHECK: f64 hard_swish: 16384 inputs, 0 wrong
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { kSteps = 1 << 12, kMax = 4 * kSteps };

/// The exact derivative at x (not at a kink); NAN where the kernel's value
/// is checked against (2x + 3) / 6 within 2 ULP instead.
typedef long double Derivative(long double x);

static long double hardSigmoidPrime(long double x) {
  return x > -3 && x < 3 ? 1.0L / 6 : 0;
}
static long double relu6Prime(long double x) { return x > 0 && x < 6; }
static long double hardtanhPrime(long double x) { return x > -1 && x < 1; }
static long double hardSwishPrime(long double x) {
  return x < -3 ? 0 : x > 3 ? 1 : NAN;
}

static const double hardKinks[] = {-3, 3}, relu6Kinks[] = {0, 6},
                    tanhKinks[] = {-1, 1};

/// Checks `kernel` (T = float or double, SUFFIX f32 or f64) at every value
/// within kSteps values of its two kinks; returns the number of wrong dx.
#define DEFINE_CHECK(T, SUFFIX, NEXT, MANT)                                    \
  typedef void GradKernel_##SUFFIX(const T *, const T *, T *, int64_t);        \
  static int check_##SUFFIX(const char *name, GradKernel_##SUFFIX *kernel,    \
                            Derivative *prime, const double *kinks) {          \
    static T xs[kMax], dys[kMax], dxs[kMax];                                   \
    int n = 0;                                                                 \
    for (int k = 0; k < 2; ++k) {                                              \
      T below = (T)kinks[k], above = (T)kinks[k];                              \
      for (int i = 0; i < kSteps; ++i) {                                       \
        xs[n++] = below = NEXT(below, -INFINITY);                              \
        xs[n++] = above = NEXT(above, INFINITY);                               \
      }                                                                        \
    }                                                                          \
    for (int i = 0; i < n; ++i)                                                \
      dys[i] = 1;                                                              \
    kernel(xs, dys, dxs, n);                                                   \
    int wrong = 0;                                                             \
    for (int i = 0; i < n; ++i) {                                              \
      long double exact = prime(xs[i]);                                        \
      int bad;                                                                 \
      if (isnan(exact)) {                                                      \
        exact = (2.0L * xs[i] + 3) / 6;                                        \
        long double ulp = ldexpl(1.0L, ilogbl(exact) - (MANT - 1));            \
        bad = !(fabsl(dxs[i] - exact) <= 2 * ulp);                             \
      } else {                                                                 \
        bad = dxs[i] != (T)exact;                                              \
      }                                                                        \
      if (bad && wrong++ < 5)                                                  \
        printf("FAIL " #SUFFIX " %s'(%a) = %a, exact %La\n", name,             \
               (double)xs[i], (double)dxs[i], exact);                          \
    }                                                                          \
    printf(#SUFFIX " %s: %d inputs, %d wrong\n", name, n, wrong);              \
    return wrong;                                                              \
  }

DEFINE_CHECK(float, f32, nextafterf, 24)
DEFINE_CHECK(double, f64, nextafter, 53)

int main(void) {
  int wrong = 0;
  wrong += check_f32("hard_sigmoid", hard_sigmoid_grad_f32, hardSigmoidPrime,
                     hardKinks);
  wrong += check_f32("relu6", relu6_grad_f32, relu6Prime, relu6Kinks);
  wrong += check_f32("hardtanh", hardtanh_grad_f32, hardtanhPrime, tanhKinks);
  wrong += check_f32("hard_swish", hard_swish_grad_f32, hardSwishPrime,
                     hardKinks);
  wrong += check_f64("hard_sigmoid", hard_sigmoid_grad_f64, hardSigmoidPrime,
                     hardKinks);
  wrong += check_f64("relu6", relu6_grad_f64, relu6Prime, relu6Kinks);
  wrong += check_f64("hardtanh", hardtanh_grad_f64, hardtanhPrime, tanhKinks);
  wrong += check_f64("hard_swish", hard_swish_grad_f64, hardSwishPrime,
                     hardKinks);
  return wrong != 0;
}
