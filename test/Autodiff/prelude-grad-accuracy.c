// Every prelude gradient kernel, f32 and f64, against the closed-form
// derivatives of test/Inputs/grad-reference.c (MPFR): sigmoid' = s(1 - s),
// tanh' = sech^2, relu's step, gelu' = Phi + x phi, ... with PyTorch's
// values at the kinks. Prints the max ULP of every kernel where
// |f'| >= 2^-20 (MAXULP lines) and fails over its budget, on a wrong limit
// at +-inf, on f'(+-0), or on a NaN x whose dx is not NaN (every kernel,
// the piecewise ones too: relu'(NaN) is NaN in actc, 0 or dy in PyTorch;
// docs/autodiff.md).
//
// Inputs: the harness's grid, binades and random values in [-60, 60], a
// 2^-12 grid (f64: 2^-11) over [-2.5, 0] where silu', mish' and the GELUs'
// cross zero, and the tails out to 104 (f64: 745), where sigmoid' = e^-80
// and the like are still normal numbers: a kernel that returns 0 there
// fails the tail budget.
//
// Budgets (max ULP where |f'| >= 2^-20; then in the tails where f' is a
// normal number below 2^-20): about 1.25x what the kernels reach today.
// f32 (--precision=accurate: composed kernels computed in f64 and rounded
// once, constants exact through act.exact): 0.5 ULP measured for every
// kernel, budget 1. f64 (--precision=accurate, no wider type: double-double
// forms, lib/Conversion/AccurateF64GradForms.h and AccurateF64Forms.h):
// sigmoid', tanh' (E / (1 + E)^2 as one quotient of pairs), silu', swish',
// quick_gelu', gelu_tanh', new_gelu' (s(t) (1 + m s(-t)) with the sum 1 +
// E + m as a pair, so nothing cancels next to the zero of f'), selu'
// (alpha scale exp(x), the constants' decimals kept), softsign' (1 / (1 +
// |x|)^2), softplus', logsigmoid' (sigmoid's form), hard_swish', mish'
// (one rational function of E = exp(-|x|) in pairs, and within 1/256 of its
// zero at -1.1924 a series d q(d), d = x - x0), gelu' (Phi + x phi as
// gelu'(-|x|) in pairs on the f64 erf and erfcx cores, exp(-x^2 / 2) of the
// exact pair x^2 / 2, the series within 1/4 of its zero at -0.7518)
// measure 0.48-0.59, budget 0.7 (0.75 quick_gelu); tanhshrink' (tanh^2 as
// M^2 / (2 + M)^2, M = expm1(-2|x|)) 0.64, budget 0.8. Before session 17
// mish' read 2.35 ULP next to its zero (E's own error amplified as 1 /
// |f'|) and gelu' 1903 there and 1960 in the tails (the formula's sum
// cancels; exp(-x^2 / 2) amplified the rounding of x^2 / 2).
//  (hard_sigmoid f64 had no budget: relu6(x + 3) / 6 rounded x + 3 to 6 at
//  x = 3 - 2^-51 and its gradient was 0 there; act-canonicalize now
//  compares x with 3, test/Kernels/kink-grads.c.)
//
// REQUIRES: mpfr
// RUN: actc --only identity,linear,sigmoid,tanh,relu,relu6,leaky_relu,prelu,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,swish,mish,hard_sigmoid,hard_swish,hardtanh,logsigmoid,tanhshrink,softshrink,hardshrink -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/grad-harness.c %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t f32
// RUN: %t f64

#include "grad-harness.h"
#include "prelude-list.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

ACTC_PRELUDE_ELEMENTWISE(WRAP, WRAP_P)

#define K(name) #name, name##_g32, name##_g64, NULL
#define INF INFINITY
#define SCALE 1.0507009873554805

// name, params        f'(-inf) f'(+inf) budget f32 f64  range tail f32 f64
static const GradCase cases[] = {
    {K(identity),     {0},    1,    1,   0,    0,     60,  0.5, 0.5},
    {K(linear),       {0},    1,    1,   0,    0,     60,  0.5, 0.5},
    {K(sigmoid),      {0},    0,    0,   1,    0.7,   60,  1,   0.7},
    {K(tanh),         {0},    0,    0,   1,    0.7,   60,  1,   0.7},
    {K(relu),         {0},    0,    1,   0,    0,     60,  0.5, 0.5},
    {K(relu6),        {0},    0,    0,   0,    0,     60,  0.5, 0.5},
    {K(leaky_relu),   {0},    0.01, 1,   0.5,  0.5,   60,  0.5, 0.5},
    {K(prelu),        {0.25f},0.25, 1,   0,    0,     60,  0.5, 0.5},
    {K(elu),          {0},    0,    1,   1,    1,     60,  1,   1},
    {K(selu),         {0},    0,    SCALE,   1,    0.7,   60,  1,   0.7},
    {K(celu),         {0},    0,    1,   1,    1,     60,  1,   1},
    {K(softplus),     {0},    0,    1,   1,    0.7,   60,  1,   0.7},
    {K(softsign),     {0},    0,    0,   1,    0.7,   60,  1,   1},
    {K(gelu),         {0},    0,    1,   1,    0.7,   60,  1,   0.7},
    {K(gelu_tanh),    {0},    0,    1,   1,    0.7,   60,  1,   0.7},
    {K(new_gelu),     {0},    0,    1,   1,    0.7,   60,  1,   0.7},
    {K(quick_gelu),   {0},    0,    1,   1,    0.75,  60,  1,   0.7},
    {K(silu),         {0},    0,    1,   1,    0.7,   60,  1,   0.7},
    {K(swish),        {1.0f}, 0,    1,   1,    0.7,   60,  1,   0.7},
    {K(mish),         {0},    0,    1,   1,    0.7,   60,  1,   0.7},
    {K(hard_sigmoid), {0},    0,    0,   0.5,  0.5,   60,  0.5, 0.5},
    {K(hard_swish),   {0},    0,    1,   1,    0.7,   60,  1,   1},
    {K(hardtanh),     {0},    0,    0,   0,    0,     60,  0.5, 0.5},
    {K(logsigmoid),   {0},    1,    0,   1,    0.7,   60,  1,   0.7},
    {K(tanhshrink),   {0},    1,    1,   1,    0.8,   60,  1,   1},
    {K(softshrink),   {0},    1,    1,   0,    0,     60,  0.5, 0.5},
    {K(hardshrink),   {0},    1,    1,   0,    0,     60,  0.5, 0.5},
};

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *dtype = argc > 1 ? argv[1] : "f32";
  int failures =
      run_grad_cases(cases, sizeof(cases) / sizeof(cases[0]), dtype);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
