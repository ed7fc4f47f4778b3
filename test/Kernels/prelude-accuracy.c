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
#include "prelude-list.h"

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

#define WRAP_PLAIN(name) WRAP(name)
#define WRAP_PARAM(name) WRAP(name, P0)
ACTC_PRELUDE_ELEMENTWISE(WRAP_PLAIN, WRAP_PARAM)

#define K(name) #name, NULL, name##_32, name##_64, {0, 0}
#define KP(name, label, p) #name, label, name##_32, name##_64, {p, 0}
#define R(lo, hi, b32, b64) {lo, hi, b32, b64}
#define INF INFINITY
#define NONE 0
#define FTZ FTZ_F32

// The error budgets, in ULPs of the type at the exact value: what the
// kernels measure on this test's sample (test/Inputs/accuracy.c), with a
// small margin. f32 kernels are precision=accurate (the default): every
// composed one is evaluated in f64 and rounded once (act-expand), so they
// measure 0.5 and get 0.6 everywhere, tails included (hard_sigmoid,
// hard_swish and softsign in f32 forms with exact error terms instead,
// RationalForms.h: also 0.5, exhaustively), except the sigmoid
// forms act-expand routes to f32 double-float (AccurateF32Routing.h:
// sigmoid, silu, swish, quick_gelu, gelu_tanh, new_gelu; softplus and
// logsigmoid), which measure up to 0.61 on normal results and 0.75 below
// them (q 2^n rounds twice; exhaustive max 0.80) and get 0.7 / 0.85;
// gelu, on AVX-512 only (--mcpu=native here: the erf GELU's f32 table
// form, Approx/GeluF32.cpp; exhaustive max 0.78, below the smallest
// normal; x86-64-v3 keeps f64 and 0.5) gets 0.85;
// tanh is an f32 approximation (0.70), elu, celu and selu the ELU
// family's f32 form (AccurateF32Routing.h's getAccurateEluForms; elu 0.70
// here, exhaustive 0.85; selu 0.72 normal, 0.75 below: c x on x 2^48
// scaled back rounds twice, and gets 0.8 / 0.85), leaky_relu a rounded
// 0.01 (0.84).
// f64 kernels are the formulas in f64 with act-math-approx's f64 exp,
// expm1, log, log1p, tanh (tanh alone: 0.50), erf and erfc: their
// tails still lose digits (regions below), except the sigmoid and softplus
// forms (sigmoid, silu, swish, quick_gelu, gelu_tanh, new_gelu; softplus,
// logsigmoid), evaluated in double-double with the argument as a pair
// (lib/Conversion/AccurateF64Forms.h): at most 0.53 everywhere, tails
// included, and 0.6 (regions (b) and (c) gone from them); selu, softsign,
// hard_swish, mish and tanhshrink likewise (selu's constants as pairs,
// the quotients of pairs, mish as one quotient of exp's pair, tanhshrink's
// series to x^37 and tanh as a pair: 0.53 at most on normal results, 0.6;
// subnormal ones of selu 0.70, tanhshrink 0.67: x^3 scaled back). "normal": exact results in the normal
// range outside the regions; "tiny": exact results below the smallest
// normal. A region of x is measured and budgeted apart:
//
//  (a) gelu x < -1: erfc(-x/sqrt2) amplifies the rounding of x/sqrt2 by
//      ~x^2 (f64 was ~940 ULPs at x = -36; m * erfc(w) with w as a pair,
//      AccurateF64Forms.h: 0.57, since erfcx's slope takes g whole).
//  (b) sigmoid(k x) tails (gelu_tanh, new_gelu, quick_gelu, swish(1.702)):
//      exp amplifies the rounding of its argument by its size (f64 was up
//      to 110 ULPs; the pair argument of the f64 forms takes it away).
//  (c) x * sigmoid(..) where the sigmoid factor is below the smallest
//      normal but the product is not (f64 was up to 900 ULPs, as (b);
//      mish 2.1, its softplus a formula's, before its own f64 form).
//  (d) tanhshrink |x| < 1: x - tanh(x) cancels; act-stabilize's series
//      (to x^21) lost ~6e5 ULPs just below 1/2 in f64 (its f64 form's
//      series goes to x^37, and tanh is a pair above 1/2).
//
// docs/accuracy.md has the f32 numbers over all 2^32 inputs or every 97th
// bit pattern (both precisions), and how to run the exhaustive scan.
//
//  name + params        f(-inf) f(+inf) known  normal       tiny          regions
//                                              f32   f64    f32   f64
static const Activation activations[] = {
    {K(identity),        -INF,   INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(linear),          -INF,   INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(sigmoid),         0,      1,      NONE,  0.7,  0.6,   0.85,  0.5,    NO_REGIONS},
    {K(tanh),            -1,     1,      NONE,  0.8,  0.55,  0,    0,      NO_REGIONS},
    {K(relu),            0,      INF,    NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(relu6),           0,      6,      NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(leaky_relu),      -INF,   INF,    NONE,  0.9,  0.75,  0.7,  0.6,    NO_REGIONS},
    {KP(prelu, "prelu(alpha=0.25)", 0.25f),
                         -INF,   INF,    NONE,  0.5,  0.5,   0.5,  0.5,    NO_REGIONS},
    {KP(prelu, "prelu(alpha=0.1)", 0.1f),
                         -INF,   INF,    NONE,  0.5,  0.5,   0.5,  0.5,    NO_REGIONS},
    {K(elu),             -1,     INF,    NONE,  0.8,  0.8,   0.1,  0.1,    NO_REGIONS},
    {K(selu), -1.7580993408473766, INF,  NONE,  0.8,  0.6,   0.85, 0.75,   NO_REGIONS},
    {K(celu),            -1,     INF,    NONE,  0.8,  0.8,   0.1,  0.1,    NO_REGIONS},
    {K(softplus),        0,      INF,    NONE,  0.7,  0.6,   0.85, 0.5,    NO_REGIONS},
    {K(softsign),        -1,     1,      NONE,  0.6,  0.6,   0.1,  0.1,    NO_REGIONS},
    {K(gelu),            0,      INF,    NONE,  0.85, 0.65,  0.85, 0.6,
     {R(-INF, -1, 0.85, 0.65) /* (a) */, NO_REGION}},
    {K(gelu_tanh),       0,      INF,    NONE,  0.7,  0.6,   0.85,  0.6,
     {R(-10, -1, 0.85, 0.6) /* (b) */, R(-INF, -10, 0.85, 0.6) /* (c) */}},
    {K(new_gelu),        0,      INF,    NONE,  0.7,  0.6,   0.85,  0.6,
     {R(-10, -1, 0.85, 0.6) /* (b) */, R(-INF, -10, 0.85, 0.6) /* (c) */}},
    {K(quick_gelu),      0,      INF,    NONE,  0.7,  0.6,   0.85,  0.6,
     {R(-51.5, -1, 0.85, 0.6) /* (b) */, R(-INF, -51.5, 0.85, 0.6) /* (c) */}},
    {K(silu),            0,      INF,    NONE,  0.7,  0.6,   0.85,  0.6,
     {R(-INF, -87.5, 0.85, 0.6) /* (c) */, NO_REGION}},
    {KP(swish, "swish(beta=1)", 1.0f),
                         0,      INF,    NONE,  0.7,  0.6,   0.85,  0.6,
     {R(-INF, -87.5, 0.85, 0.6) /* (c) */, NO_REGION}},
    {KP(swish, "swish(beta=1.702)", 1.702f),
                         0,      INF,    NONE,  0.7,  0.6,   0.85,  0.6,
     {R(-51.5, -1, 0.85, 0.6) /* (b) */, R(-INF, -51.5, 0.85, 0.6) /* (c) */}},
    {K(mish),            0,      INF,    NONE,  0.6,  0.6,   0.6,  0.5,
     {R(-INF, -87.5, 0.6, 0.6) /* (c) */, NO_REGION}},
    {K(hard_sigmoid),    0,      1,      NONE,  0.6,  1,     0,    0,      NO_REGIONS},
    {K(hard_swish),      0,      INF,    NONE,  0.6,  0.6,   0.6,  0.6,    NO_REGIONS},
    {K(hardtanh),        -1,     1,      NONE,  0,    0,     0,    0,      NO_REGIONS},
    {K(logsigmoid),      -INF,   0,      NONE,  0.7,  0.6,   0.85, 0.5,    NO_REGIONS},
    {K(tanhshrink),      -INF,   INF,    NONE,  0.6,  0.6,   0.6,  0.7,
     {R(-1, 1, 0.6, 0.6) /* (d) */, NO_REGION}},
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

// Row results. softmax: exp(x - max) would amplify the rounding of x - max
// by |x - max| (rows span up to 200 here: f64 was 130 ULPs); act-math-approx
// takes x - max as a pair (f64: ExpOfDifferenceF64), 9.7 ULP left, the f64
// row sum's rounding (no wider type to sum in): f64 row sums are now
// compensated pairs (act-kernels, CompensatedSums.h) and softmax scales by
// 1 / (hi + lo) as a pair: 1.44 (the stored exp's rounding, then the
// scaling's); log_softmax 1.58 / 1.90 -> 1.17 / 0.85. Since f64rows the
// f64 kernels compute in double-double (RowPairForms.cpp: exp of x - m as
// a pair into the sum, softmax as exp((x - m) - log(s)) rounded once,
// log_softmax's (x - m) - log1p(t) rounded once): softmax 0.53, log_softmax
// 0.50 / 0.48 here; with ACTC_ROW_REPEATS=200 (2.2e6 elements) 1.67 ->
// 0.56, 1.19 / 1.80 -> 0.52 / 0.59. f32 rows are summed in f64. log_softmax: results in [-0.5, 0] (the row's dominant elements) are
// z - log1p(t), t the row's sum less its ones (act-stabilize), so they keep
// their relative accuracy (before: z - log(sum), 2^24 ULP in f32, 9e14 in
// f64). f32: (x - max) - log1p(t) is computed in f64 from the unrounded f64
// sums and rounded once (act-kernels): 1.18 / 0.93 -> 0.55 / 0.74 (x - max
// and log1p(t) were each rounded to f32 before the subtraction). Since
// session 20 the f32 sum's terms exp(x - m) are computed in f64 too: the
// row kind whose other weights sum below the smallest normal (subnormal
// log_softmax results -log1p(t)) was 27.5 ULP from f32 exp's subnormal
// terms, results in [-0.5, 0] 0.88; now 0.47 and 0.49 (normal 0.50).
// f64 has no wider type: its subnormal terms kept only the bits the
// subnormal grid leaves them (subnormal log_softmax results 3.4 ULP);
// the sum of the rest is now summed times 2^512 (exp(z + 512 ln 2), the
// pair scaled back once per row): 0.48. f32 softmax (session 21): e
// stored in y, then scaled, was rounded twice (1.44 normal, 0.98 below the
// smallest normal); accurate kernels compute e again in f64 in the output
// loop and round e * (1 / s) once: 0.50 / 0.50.
//
//  name            log  kernels                         normal       tiny          results
//                                                       f32   f64    f32   f64
static const RowActivation rowActivations[] = {
    {"softmax",     0,   softmax_32,     softmax_64,     0.6,  0.6,   0.6,  0.6,    NO_REGION},
    {"log_softmax", 1,   log_softmax_32, log_softmax_64, 0.6,  0.6,   0.6,  0.6,
     R(-0.5, 0, 0.6, 0.65)},
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
