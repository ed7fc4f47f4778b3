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
#define R(lo, hi, b32, b64) {lo, hi, b32, b64}
#define INF INFINITY
#define NONE 0
#define FTZ FTZ_F32

// The error budgets, in ULPs of the type at the exact value: what the
// current approximations reach (upstream MLIR polynomials for f32, libm for
// f64, the prelude's formulas), with a little room; the accuracy work will
// tighten them. "normal": exact results in the normal range outside the
// regions; "tiny": exact results below the smallest normal (FTZ = flushed to
// zero, 2^23 ULPs). A region of x is measured and budgeted apart:
//
//  (a) gelu x < -1: erfc(-x/sqrt2) amplifies the rounding of x/sqrt2 by
//      ~x^2 (f64: ~1000 ULPs at x = -36).
//  (b) sigmoid(k x) tails (gelu_tanh, new_gelu, quick_gelu, swish(1.702)):
//      exp amplifies the rounding of its argument by its size; the exact
//      argument would need double-word arithmetic.
//  (c) x * sigmoid(..) where the sigmoid factor is below the smallest
//      normal but the product is not: f32's exp flushes the factor to zero,
//      so the result is 0 (up to 2^24 ULPs). f64 (libm) only keeps (b).
//  (d) tanhshrink |x| < 1: x - tanh(x) cancels; no correct digit is left
//      for |x| < 2^-12 (f32) / 2^-26 (f64), and f64 goes wrong in sign as
//      well (1e33 ULPs). Needs a series near 0.
//
//  name + params        f(-inf) f(+inf) known  normal       tiny          regions
//                                              f32   f64    f32   f64
static const Activation activations[] = {
    {K(identity),        -INF,   INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(linear),          -INF,   INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(sigmoid),         0,      1,      NONE,  3,    3,     FTZ,  1,      NO_REGIONS},
    {K(tanh),            -1,     1,      NONE,  5,    2.5,   1,    1,      NO_REGIONS},
    {K(relu),            0,      INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(relu6),           0,      6,      NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(leaky_relu),      -INF,   INF,    NONE,  1,    1,     1,    1,      NO_REGIONS},
    {KP(prelu, "prelu(alpha=0.25)", 0.25f),
                         -INF,   INF,    NONE,  0.5,  0.5,   0.5,  0.5,    NO_REGIONS},
    {KP(prelu, "prelu(alpha=0.1)", 0.1f),
                         -INF,   INF,    NONE,  0.5,  0.5,   0.5,  0.5,    NO_REGIONS},
    {K(elu),             -1,     INF,    NONE,  2.5,  1,     1,    1,      NO_REGIONS},
    {K(selu), -1.7580993408473766, INF,  NONE,  3,    3,     1.5,  1.5,    NO_REGIONS},
    {K(celu),            -1,     INF,    NONE,  2.5,  1,     1,    1,      NO_REGIONS},
    {K(softplus),        0,      INF,    NONE,  3,    2,     FTZ,  1,      NO_REGIONS},
    {K(softsign),        -1,     1,      NONE,  2,    2,     1,    1,      NO_REGIONS},
    {K(gelu),            0,      INF,    NONE,  4,    3,     FTZ,  1,
     {R(-INF, -1, 250, 1200) /* (a) */, NO_REGION}},
    {K(gelu_tanh),       0,      INF,    NONE,  4,    3,     FTZ,  100,
     {R(-10, -1, 250, 200) /* (b) */, R(-INF, -10, 2 * FTZ, 1000) /* (c) */}},
    {K(new_gelu),        0,      INF,    NONE,  4,    3,     FTZ,  100,
     {R(-10, -1, 250, 200) /* (b) */, R(-INF, -10, 2 * FTZ, 1000) /* (c) */}},
    {K(quick_gelu),      0,      INF,    NONE,  4,    3,     FTZ,  1,
     {R(-51.5, -1, 100, 100) /* (b) */, R(-INF, -51.5, 2 * FTZ, 500) /* (c) */}},
    {K(silu),            0,      INF,    NONE,  4,    3.5,   FTZ,  200,
     {R(-INF, -87.5, 2 * FTZ, 3.5) /* (c) */, NO_REGION}},
    {KP(swish, "swish(beta=1)", 1.0f),
                         0,      INF,    NONE,  4,    3.5,   FTZ,  200,
     {R(-INF, -87.5, 2 * FTZ, 3.5) /* (c) */, NO_REGION}},
    {KP(swish, "swish(beta=1.702)", 1.702f),
                         0,      INF,    NONE,  4,    4,     FTZ,  1,
     {R(-51.5, -1, 100, 100) /* (b) */, R(-INF, -51.5, 2 * FTZ, 500) /* (c) */}},
    {K(mish),            0,      INF,    NONE,  7,    4,     FTZ,  200,
     {R(-INF, -87.5, 2 * FTZ, 4) /* (c) */, NO_REGION}},
    {K(hard_sigmoid),    0,      1,      NONE,  1,    1,     0,    0,      NO_REGIONS},
    {K(hard_swish),      0,      INF,    NONE,  2,    2,     1,    1,      NO_REGIONS},
    {K(hardtanh),        -1,     1,      NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(logsigmoid),      -INF,   0,      NONE,  3,    2,     FTZ,  1,      NO_REGIONS},
    {K(tanhshrink),      -INF,   INF,    NONE,  8,    3,     FTZ,  FTZ_F64,
     {R(-1, 1, 6e7, 1e34) /* (d) */, NO_REGION}},
    {K(softshrink),      -INF,   INF,    NONE,  0.5,  0.5,   0.5,  0.5,    NO_REGIONS},
    {K(hardshrink),      -INF,   INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
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

// Row results. softmax: exp(x - max) amplifies the rounding of x - max by
// |x - max| (rows span up to 200 here). log_softmax: results in [-0.5, 0]
// (the row's dominant elements) are z - log(sum) with sum rounded near 1: an
// absolute error of ~1 ULP of 1, so no relative accuracy near 0 (needs
// log1p(sum - 1)).
//
//  name            log  kernels                         normal       tiny          results
//                                                       f32   f64    f32   f64
static const RowActivation rowActivations[] = {
    {"softmax",     0,   softmax_32,     softmax_64,     80,   160,   FTZ,  1,      NO_REGION},
    {"log_softmax", 1,   log_softmax_32, log_softmax_64, 4,    4,     1,    1,
     R(-0.5, 0, 2 * FTZ, 1e15)},
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
