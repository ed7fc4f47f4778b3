// The dense-sample knobs of test/Inputs/accuracy.c and grad-harness.c
// (scripts/f64-dense.sh sets them): each kind of input is counted, on a
// tiny sample of one function, and ACTC_ONLY picks it out of two.
//
// REQUIRES: mpfr
// RUN: actc --only sigmoid,tanh -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/accuracy.c %inputs/grad-harness.c %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: env ACTC_ONLY=sigmoid ACTC_GRID_BITS=1 ACTC_GRID_RANGE=2 ACTC_PER_BINADE=1 ACTC_RANDOMS=3 ACTC_LOG_RANDOMS=5 ACTC_NEAR_RANDOMS=7 ACTC_UNIFORM_RANDOMS=11 ACTC_KNOTS=0.5,-1 ACTC_KNOT_POINTS=13 ACTC_FINE_BITS=2 ACTC_TAIL_STEP=100 %t f64 | FileCheck %s

// 118 specials, 9 grid points, 2 x 2098 binades, 3 bit patterns, 5 + 7 +
// 11 random values, 2 x (33 + 13) around the knots.
// CHECK: 4441 inputs per function
// CHECK: f64 sigmoid
// CHECK-NOT: f64 tanh
// CHECK: 0 failure(s)
// Gradients: 84 kinks and neighbours, 241 grid points over [-60, 60], 11
// fine ones over [-2.5, 0], 2 x 46 binades, 3 + 7 random values, 2 x (33 +
// 13) around the knots, 14 tail points.
// CHECK: f64 sigmoid (544 inputs)
// CHECK-NOT: f64 tanh
// CHECK: 0 failure(s)

#include "accuracy.h"
#include "grad-harness.h"

#include <math.h>
#include <stdio.h>

static void sigmoid_32(const float *x, float *y, int64_t n, const float *p) {
  (void)p;
  sigmoid_f32(x, y, n);
}
static void sigmoid_64(const double *x, double *y, int64_t n, const float *p) {
  (void)p;
  sigmoid_f64(x, y, n);
}
static void tanh_32(const float *x, float *y, int64_t n, const float *p) {
  (void)p;
  tanh_f32(x, y, n);
}
static void tanh_64(const double *x, double *y, int64_t n, const float *p) {
  (void)p;
  tanh_f64(x, y, n);
}

WRAP(sigmoid)
WRAP(tanh)

static const Activation activations[] = {
    {"sigmoid", NULL, sigmoid_32, sigmoid_64, {0, 0}, 0, 1, 0, 0.7, 0.6, 0.85,
     0.5, NO_REGIONS},
    {"tanh", NULL, tanh_32, tanh_64, {0, 0}, -1, 1, 0, 0.8, 0.6, 0, 0,
     NO_REGIONS},
};

static const GradCase cases[] = {
    {"sigmoid", sigmoid_g32, sigmoid_g64, NULL, {0}, 0, 0, 1, 0.7, 60, 1, 0.7},
    {"tanh", tanh_g32, tanh_g64, NULL, {0}, 0, 0, 1, 0.7, 60, 1, 0.7},
};

int main(int argc, char **argv) {
  const char *dtype = argc > 1 ? argv[1] : "f64";
  int failures = run_accuracy(activations, 2, dtype);
  int grad_failures = run_grad_cases(cases, 2, dtype);
  printf("%d failure(s)\n", grad_failures);
  return failures + grad_failures != 0;
}
