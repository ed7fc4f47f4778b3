// Every prelude gradient kernel, f32 and f64, against the closed-form
// derivatives of test/Inputs/grad-reference.c (MPFR): sigmoid' = s(1 - s),
// tanh' = sech^2, relu's step, gelu' = Phi + x phi, ... with PyTorch's
// values at the kinks. Prints the max ULP of every kernel where
// |f'| >= 2^-20 (MAXULP lines) and fails over its budget, on a wrong limit
// at +-inf, on f'(+-0), or on a NaN that does not propagate through a smooth
// derivative.
//
// Budgets: what the kernels reach today (f32 --precision=accurate: composed
// kernels computed in f64 and rounded once; f64: libm and the f64 cores),
// about 1.25x the measured max. Where they come from:
//  - the zero of f' (silu' at -1.28, the GELUs' near -0.75) is where the
//    sum s + x s'(...) cancels: a relative error that grows without bound
//    as f' -> 0, capped here by the 2^-20 threshold (f64: 200-500 ULPs);
//  - gelu f32, x < -1: erfc(-x / sqrt 2) amplifies the rounding of x /
//    sqrt 2 by ~x^2, as in the forward kernel; gelu_tanh, new_gelu,
//    quick_gelu f32: exp amplifies the rounding of the sigmoid's argument
//    (the forward test's regions (a) and (b));
//  - new_gelu f64: its constants 0.7978845608 and 0.0356774 are gelu_tanh's
//    rounded; the reference is gelu_tanh's exact derivative;
//  - softsign f64: the quotient rule's 1 - |x| / (1 + |x|) cancels (~|x|
//    ULPs);
//  - tanhshrink f64: act-stabilize computes x - tanh(x) by a series below
//    |x| = 0.5, cut for f's accuracy; its derivative is good to 1e-9 only
//    near the branch point;
//  - hard_sigmoid f64: the prelude's relu6(x + 3) / 6 rounds x + 3 to 6 at
//    x = 3 - 2^-51, moving the upper kink by one ULP (f' = 0 there, torch:
//    1/6), so no budget; f32 is exact.
//
// REQUIRES: mpfr
// RUN: actc --only identity,linear,sigmoid,tanh,relu,relu6,leaky_relu,prelu,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,swish,mish,hard_sigmoid,hard_swish,hardtanh,logsigmoid,tanhshrink,softshrink,hardshrink -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/grad-harness.c %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t f32
// RUN: %t f64

#include "grad-harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

WRAP(identity)
WRAP(linear)
WRAP(sigmoid)
WRAP(tanh)
WRAP(relu)
WRAP(relu6)
WRAP(leaky_relu)
WRAP_P(prelu)
WRAP(elu)
WRAP(selu)
WRAP(celu)
WRAP(softplus)
WRAP(softsign)
WRAP(gelu)
WRAP(gelu_tanh)
WRAP(new_gelu)
WRAP(quick_gelu)
WRAP(silu)
WRAP_P(swish)
WRAP(mish)
WRAP(hard_sigmoid)
WRAP(hard_swish)
WRAP(hardtanh)
WRAP(logsigmoid)
WRAP(tanhshrink)
WRAP(softshrink)
WRAP(hardshrink)

#define K(name) #name, name##_g32, name##_g64, NULL
#define INF INFINITY
#define SCALE 1.0507009873554805

// name, params       f'(-inf) f'(+inf) NaN  budget f32  f64
static const GradCase cases[] = {
    {K(identity),     {0},    1,    1,     0,   0,     0},
    {K(linear),       {0},    1,    1,     0,   0,     0},
    {K(sigmoid),      {0},    0,    0,     1,   1,     4.5},
    {K(tanh),         {0},    0,    0,     1,   1,     4.5},
    {K(relu),         {0},    0,    1,     0,   0,     0},
    {K(relu6),        {0},    0,    0,     0,   0,     0},
    {K(leaky_relu),   {0},    0.01, 1,     0,   0.5,   0.5},
    {K(prelu),        {0.25f}, 0.25, 1,    0,   0,     0},
    {K(elu),          {0},    0,    1,     1,   1,     1},
    {K(selu),         {0},    0,    SCALE, 1,   1,     3},
    {K(celu),         {0},    0,    1,     1,   1,     1},
    {K(softplus),     {0},    0,    1,     1,   1,     2.5},
    {K(softsign),     {0},    0,    0,     1,   1,     55},
    {K(gelu),         {0},    0,    1,     1,   680,   400},
    {K(gelu_tanh),    {0},    0,    1,     1,   130,   570},
    {K(new_gelu),     {0},    0,    1,     1,   120,   5500},
    {K(quick_gelu),   {0},    0,    1,     1,   125,   525},
    {K(silu),         {0},    0,    1,     1,   1,     400},
    {K(swish),        {1.0f}, 0,    1,     1,   1,     300},
    {K(mish),         {0},    0,    1,     1,   1,     235},
    {K(hard_sigmoid), {0},    0,    0,     0,   0.5,   INF},
    {K(hard_swish),   {0},    0,    1,     0,   1,     2},
    {K(hardtanh),     {0},    0,    0,     0,   0,     0},
    {K(logsigmoid),   {0},    1,    0,     1,   1,     2.5},
    {K(tanhshrink),   {0},    1,    1,     1,   1,     9e6},
    {K(softshrink),   {0},    1,    1,     0,   0,     0},
    {K(hardshrink),   {0},    1,    1,     0,   0,     0},
};

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *dtype = argc > 1 ? argv[1] : "f32";
  int failures =
      run_grad_cases(cases, sizeof(cases) / sizeof(cases[0]), dtype);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
