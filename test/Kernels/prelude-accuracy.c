// Every prelude activation, compiled by actc for the portable default CPU,
// measured in f32 and f64 against MPFR references written from torch.nn
// (test/Inputs/reference.c). Prints the max ULP error of every function with
// its worst input; fails on a NaN that does not propagate, a wrong limit at
// +-inf, or an error over the budget in the table below.
//
// REQUIRES: mpfr
// RUN: actc --only identity,linear,sigmoid,tanh,relu,relu6,leaky_relu,prelu,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,swish,mish,hard_sigmoid,hard_swish,hardtanh,logsigmoid,tanhshrink,softshrink,hardshrink,softmax,log_softmax -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/accuracy.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t f32
// RUN: %t f64

#include "accuracy.h"

#include <math.h>
#include <stdio.h>

// Adapters from the kernels' signatures (runtime parameters as float
// arguments) to the harness's (an array of them).
#define WRAP(name, ...)                                                        \
  static void name##_32(const float *x, float *y, int64_t n,                   \
                        const float *p) {                                      \
    (void)p;                                                                   \
    name##_f32(x, y, n __VA_ARGS__);                                           \
  }                                                                            \
  static void name##_64(const double *x, double *y, int64_t n,                 \
                        const float *p) {                                      \
    (void)p;                                                                   \
    name##_f64(x, y, n __VA_ARGS__);                                           \
  }
#define P0 , p[0]

WRAP(identity)
WRAP(linear)
WRAP(sigmoid)
WRAP(tanh)
WRAP(relu)
WRAP(relu6)
WRAP(leaky_relu)
WRAP(prelu, P0)
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
WRAP(swish, P0)
WRAP(mish)
WRAP(hard_sigmoid)
WRAP(hard_swish)
WRAP(hardtanh)
WRAP(logsigmoid)
WRAP(tanhshrink)
WRAP(softshrink)
WRAP(hardshrink)

#define K(name) #name, NULL, name##_32, name##_64, {0, 0}
#define KP(name, label, p) #name, label, name##_32, name##_64, {p, 0}
#define REGION(lo, hi, b32, b64) {lo, hi, b32, b64}
#define INF INFINITY
#define NONE 0
#define TBD 1e300

// The error budget, in ULPs of the type at the exact value: honest for what
// the current approximations reach (upstream MLIR polynomials for f32, libm
// for f64, the prelude's formulas), to be tightened by the accuracy work.
// "normal" covers exact results in the normal range; "tiny" exact results
// below it (FTZ_F32/FTZ_F64 = flushed to zero); a known bad region of x is
// measured and budgeted apart, with the reason beside it.
//
//  name + params        f(-inf) f(+inf) known  normal f32 / f64  tiny f32 / f64  region
static const Activation activations[] = {
    {K(identity),        -INF,   INF,    NONE,  0,    0,          0,    0,        NO_REGION},
    {K(linear),          -INF,   INF,    NONE,  0,    0,          0,    0,        NO_REGION},
    {K(sigmoid),         0,      1,      NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(tanh),            -1,     1,      NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(relu),            0,      INF,    NONE,  0,    0,          0,    0,        NO_REGION},
    {K(relu6),           0,      6,      NONE,  0,    0,          0,    0,        NO_REGION},
    {K(leaky_relu),      -INF,   INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {KP(prelu, "prelu(alpha=0.25)", 0.25f),
                         -INF,   INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {KP(prelu, "prelu(alpha=0.1)", 0.1f),
                         -INF,   INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(elu),             -1,     INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(selu), -1.7580993408473766, INF,  NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(celu),            -1,     INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(softplus),        0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(softsign),        -1,     1,      NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(gelu),            0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(gelu_tanh),       0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(new_gelu),        0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(quick_gelu),      0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(silu),            0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {KP(swish, "swish(beta=1)", 1.0f),
                         0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {KP(swish, "swish(beta=1.702)", 1.702f),
                         0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(mish),            0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(hard_sigmoid),    0,      1,      NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(hard_swish),      0,      INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(hardtanh),        -1,     1,      NONE,  0,    0,          0,    0,        NO_REGION},
    {K(logsigmoid),      -INF,   0,      NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(tanhshrink),      -INF,   INF,    NONE,  TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {K(softshrink),      -INF,   INF,    NONE,  0.5,  0.5,        0.5,  0.5,      NO_REGION},
    {K(hardshrink),      -INF,   INF,    NONE,  0,    0,          0,    0,        NO_REGION},
};

static void softmax_32(const float *x, float *y, int64_t r, int64_t c) {
  softmax_f32(x, y, r, c);
}
static void softmax_64(const double *x, double *y, int64_t r, int64_t c) {
  softmax_f64(x, y, r, c);
}
static void log_softmax_32(const float *x, float *y, int64_t r, int64_t c) {
  log_softmax_f32(x, y, r, c);
}
static void log_softmax_64(const double *x, double *y, int64_t r, int64_t c) {
  log_softmax_f64(x, y, r, c);
}

// Row results: normal / tiny budgets, and a range of exact results measured
// apart.
//  name            log  kernels                         normal f32 / f64  tiny f32 / f64  results
static const RowActivation rowActivations[] = {
    {"softmax",     0,   softmax_32,     softmax_64,     TBD,  TBD,        TBD,  TBD,      NO_REGION},
    {"log_softmax", 1,   log_softmax_32, log_softmax_64, TBD,  TBD,        TBD,  TBD,      NO_REGION},
};

int main(int argc, char **argv) {
  const char *dtype = argc > 1 ? argv[1] : "f32";
  int failures =
      run_accuracy(activations, sizeof(activations) / sizeof(activations[0]),
                   dtype);
  failures += run_row_accuracy(
      rowActivations, sizeof(rowActivations) / sizeof(rowActivations[0]),
      dtype);
  return failures != 0;
}
