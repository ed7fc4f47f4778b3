// The gradient kernels of custom specs (test/Autodiff/Inputs/custom.act:
// a rational function, a damped wave, the textbook mish, erf, a fractional
// power, an exp-like, runtime parameters), f32 and f64, against central
// differences of MPFR implementations of the same formulas at 400 bits
// (test/Inputs/grad-reference.c: exact to far below one ULP). The runtime
// parameters' gradients (dP = sum of dy * df/dP) of the custom specs and of
// the prelude's prelu and swish are checked against Richardson-extrapolated
// central differences of the summed output sum(dy * f(x; P)).
//
// REQUIRES: mpfr
// RUN: actc %S/Inputs/custom.act --only rational,wave,mish_textbook,erfy,powy,expish,softclip,mix,cubic,prelu,swish -o %t.o --header %t.h 2>/dev/null
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/grad-harness.c %inputs/grad-reference.c %inputs/reference.c %t.o -lmpfr -lm -o %t
// RUN: %t f32
// RUN: %t f64

#include "grad-harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RND MPFR_RNDN
#define TEMP(name, like)                                                       \
  mpfr_t name;                                                                 \
  mpfr_init2(name, mpfr_get_prec(like))

/* The custom formulas in MPFR, at y's precision. */

static void f_rational(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_sqr(t, x, RND);
  mpfr_add_ui(t, t, 1, RND);
  mpfr_div(y, x, t, RND);
  mpfr_clear(t);
}

static void f_wave(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_sqr(t, x, RND);
  mpfr_div_ui(t, t, 8, RND);
  mpfr_neg(t, t, RND);
  mpfr_exp(t, t, RND);
  mpfr_sin(y, x, RND);
  mpfr_mul(y, y, t, RND);
  mpfr_clear(t);
}

static void f_mish(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_exp(t, x, RND);
  mpfr_log1p(t, t, RND);
  mpfr_tanh(t, t, RND);
  mpfr_mul(y, x, t, RND);
  mpfr_clear(t);
}

static void f_erfy(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_div_2ui(t, x, 1, RND);
  mpfr_erf(t, t, RND);
  mpfr_mul(y, x, t, RND);
  mpfr_clear(t);
}

static void f_powy(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_sqr(t, x, RND);
  mpfr_add_ui(t, t, 1, RND);
  mpfr_set_d(y, 0.75, RND);
  mpfr_pow(y, t, y, RND);
  mpfr_clear(t);
}

static void f_expish(mpfr_t y, const mpfr_t x, const double *p) {
  mpfr_div_2ui(y, x, 2, RND);
  mpfr_expm1(y, y, RND);
}

/* log(1 + exp(beta x)) / beta. */
static void f_softclip(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_mul_d(t, x, p[0], RND);
  mpfr_exp(t, t, RND);
  mpfr_log1p(t, t, RND);
  mpfr_div_d(y, t, p[0], RND);
  mpfr_clear(t);
}

/* a sigmoid(x) + (1 - a) tanh(x). */
static void f_mix(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(s, y);
  TEMP(t, y);
  mpfr_neg(s, x, RND);
  mpfr_exp(s, s, RND);
  mpfr_add_ui(s, s, 1, RND);
  mpfr_ui_div(s, 1, s, RND);
  mpfr_mul_d(s, s, p[0], RND);
  mpfr_tanh(t, x, RND);
  mpfr_mul_d(t, t, 1 - p[0], RND);
  mpfr_add(y, s, t, RND);
  mpfr_clear(s);
  mpfr_clear(t);
}

/* x + c x^3. */
static void f_cubic(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_pow_ui(t, x, 3, RND);
  mpfr_mul_d(t, t, p[0], RND);
  mpfr_add(y, x, t, RND);
  mpfr_clear(t);
}

#define DERIVATIVE(name)                                                       \
  static void d_##name(mpfr_t d, const mpfr_t x, const double *p) {            \
    central_difference(f_##name, d, x, p);                                     \
  }
DERIVATIVE(rational)
DERIVATIVE(wave)
DERIVATIVE(mish)
DERIVATIVE(erfy)
DERIVATIVE(powy)
DERIVATIVE(expish)
DERIVATIVE(softclip)
DERIVATIVE(mix)
DERIVATIVE(cubic)

WRAP(rational)
WRAP(wave)
WRAP(mish_textbook)
WRAP(erfy)
WRAP(powy)
WRAP(expish)
WRAP_P(softclip)
WRAP_P(mix)
WRAP_P(cubic)
WRAP_P(prelu)
WRAP_P(swish)

#define INF INFINITY

// Budgets (ULPs where |f'| >= 2^-20): f32 is computed in f64 and rounded
// once; f64 loses digits near the zeros of f' (rational' at +-1, wave' at
// 1.26, mish' at -1.19), where f' is a sum that cancels: its relative error
// grows as 1 / |f'| (capped here by the 2^-20 threshold; the harness's
// 2^-11 grid over [-2.5, 0] gets close to the zeros there: ~2000 ULP;
// mish' 3.5e4 at x = -1.1924, moving between 2e3 and 3.5e4 with the
// roundings of the f64 cores).
//  label, kernels, reference      params   f'(-inf) f'(+inf) f32  f64  range
static const GradCase cases[] = {
    {"rational", rational_g32, rational_g64, d_rational, {0}, NAN, NAN, 1,
     1050, 20},
    {"wave", wave_g32, wave_g64, d_wave, {0}, NAN, NAN, 1, 2420, 20},
    {"mish_textbook", mish_textbook_g32, mish_textbook_g64, d_mish, {0}, 0, 1,
     1, 44000, 20},
    {"erfy", erfy_g32, erfy_g64, d_erfy, {0}, -1, 1, 1.5, 2, 20},
    /* pow's rule has no strong zero: (1 + x^2)^-0.25 x is inf * 0 at inf. */
    {"powy", powy_g32, powy_g64, d_powy, {0}, NAN, NAN, 1, 3, 20},
    {"expish", expish_g32, expish_g64, d_expish, {0}, 0, INF, 1, 1, 20},
    {"softclip", softclip_g32, softclip_g64, d_softclip, {2.0f}, 0, 1, 1, 3,
     20},
    {"mix", mix_g32, mix_g64, d_mix, {0.25f}, 0, 0, 1, 4.5, 20},
    {"cubic", cubic_g32, cubic_g64, d_cubic, {0.5f}, INF, INF, 1.5, 1.5, 20},
};

/* A parameter gradient: the kernel's dP over `n` inputs against the
 * central difference of sum(dy * f(x; P)) in MPFR. */
typedef struct {
  const char *label;
  GradKernelF32 f32;
  GradKernelF64 f64;
  ReferenceFn f;
  float param;
  double budget_f32, budget_f64; /* in units of eps * sum |dy df/dP| */
} ParamCase;

static int check_param(int is_f32, const ParamCase *c) {
  enum { N = 1000 };
  double x[N], dy[N], dx[N];
  for (int i = 0; i < N; ++i) {
    x[i] = grad_random(-6, 6);
    dy[i] = grad_random(-2, 2);
    if (is_f32) {
      x[i] = (float)x[i];
      dy[i] = (float)dy[i];
    }
  }
  float p[2] = {c->param, 0}, dp[2] = {0, 0};
  if (is_f32) {
    float xf[N], dyf[N], dxf[N];
    for (int i = 0; i < N; ++i) {
      xf[i] = (float)x[i];
      dyf[i] = (float)dy[i];
    }
    c->f32(xf, dyf, dxf, N, p, dp);
  } else {
    c->f64(x, dy, dx, N, p, dp);
  }
  double params[4] = {c->param, 0, 0, 0};
  mpfr_t xm, d, sum, scale;
  mpfr_inits2(200, xm, d, sum, scale, (mpfr_ptr)0);
  mpfr_set_zero(sum, 1);
  mpfr_set_zero(scale, 1);
  for (int i = 0; i < N; ++i) {
    mpfr_set_d(xm, x[i], RND);
    central_difference_param(c->f, d, xm, params, 0);
    mpfr_mul_d(d, d, dy[i], RND);
    mpfr_add(sum, sum, d, RND);
    mpfr_abs(d, d, RND);
    mpfr_add(scale, scale, d, RND);
  }
  double want = mpfr_get_d(sum, RND);
  /* dP is a float: the error is in units of 2^-24 times sum |dy df/dP|. */
  double units =
      fabs((double)dp[0] - want) / (0x1p-24 * mpfr_get_d(scale, RND));
  double budget = is_f32 ? c->budget_f32 : c->budget_f64;
  int ok = units <= budget;
  printf("%s d%s/dP: %.9g, exact %.12g: %.3g units of 2^-24 sum|dy df/dP| "
         "(budget %g)%s\n",
         is_f32 ? "f32" : "f64", c->label, dp[0], want, units, budget,
         ok ? "" : "   <-- FAIL");
  printf("MAXPARAM %s %s %.3g\n", is_f32 ? "f32" : "f64", c->label, units);
  mpfr_clears(xm, d, sum, scale, (mpfr_ptr)0);
  return !ok;
}

static const ParamCase params[] = {
    {"softclip", softclip_g32, softclip_g64, f_softclip, 2.0f, 2, 0.5},
    {"mix", mix_g32, mix_g64, f_mix, 0.25f, 2, 0.5},
    {"cubic", cubic_g32, cubic_g64, f_cubic, 0.5f, 2, 0.5},
    {"prelu", prelu_g32, prelu_g64, NULL, 0.25f, 2, 0.5},
    {"swish", swish_g32, swish_g64, NULL, 1.0f, 2, 0.5},
    {"swish", swish_g32, swish_g64, NULL, 1.702f, 2, 0.5},
    {"swish", swish_g32, swish_g64, NULL, -0.5f, 2, 0.5},
};

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char *dtype = argc > 1 ? argv[1] : "f32";
  int failures =
      run_grad_cases(cases, sizeof(cases) / sizeof(cases[0]), dtype);
  int is_f32 = strcmp(dtype, "f32") == 0;
  for (unsigned i = 0; i < sizeof(params) / sizeof(params[0]); ++i) {
    ParamCase c = params[i];
    if (!c.f)
      c.f = reference_lookup(c.label);
    failures += check_param(is_f32, &c);
  }
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
