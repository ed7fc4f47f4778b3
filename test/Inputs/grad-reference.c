/* grad-reference.c - closed-form derivatives of the prelude activations.
 *
 * Each function is the derivative of the torch.nn activation of the same
 * name with torch's default parameters; at the kinks it returns what
 * torch's backward kernel returns (see grad-reference.h). Cancellations are
 * avoided the same way reference.c avoids them: 1 - tanh^2 is sech^2,
 * 0.5 (1 + tanh u) is sigmoid(2u), Phi(x) is erfc(-x / sqrt 2) / 2.
 */

#include "grad-reference.h"

#include <math.h>
#include <string.h>

#define RND MPFR_RNDN

#define TEMP(name, like)                                                       \
  mpfr_t name;                                                                 \
  mpfr_init2(name, mpfr_get_prec(like))

static const char *const seluAlpha = "1.6732632423543772848170429916717";
static const char *const seluScale = "1.0507009873554804934193349852946";

/* s = 1 / (1 + exp(-a)). */
static void sigmoid_of(mpfr_t s, const mpfr_t a) {
  TEMP(t, s);
  mpfr_neg(t, a, RND);
  mpfr_exp(t, t, RND);
  mpfr_add_ui(t, t, 1, RND);
  mpfr_ui_div(s, 1, t, RND);
  mpfr_clear(t);
}

/* d = s (1 - s) with s = sigmoid(a), 1 - s = sigmoid(-a) (no cancellation). */
static void sigmoid_prime(mpfr_t d, const mpfr_t a) {
  TEMP(s, d);
  TEMP(t, d);
  sigmoid_of(s, a);
  mpfr_neg(t, a, RND);
  sigmoid_of(t, t);
  mpfr_mul(d, s, t, RND);
  mpfr_clear(s);
  mpfr_clear(t);
}

/* d = s(t) + t s'(t) at t = k x: the derivative of x * sigmoid(k x). */
static void x_sigmoid_prime_at(mpfr_t d, const mpfr_t t) {
  TEMP(s, d);
  TEMP(ds, d);
  sigmoid_of(s, t);
  sigmoid_prime(ds, t);
  mpfr_mul(ds, ds, t, RND);
  mpfr_add(d, s, ds, RND);
  mpfr_clear(s);
  mpfr_clear(ds);
}

static void x_sigmoid_prime(mpfr_t d, const mpfr_t x, double k) {
  TEMP(kx, d);
  mpfr_mul_d(kx, x, k, RND);
  x_sigmoid_prime_at(d, kx);
  mpfr_clear(kx);
}

static void set_decimal(mpfr_t y, const char *decimal) {
  mpfr_set_str(y, decimal, 10, RND);
}

/* x_sigmoid_prime with k given as a decimal (quick_gelu's 1.702, as the
   forward reference takes it: f64 kernels keep its tail beyond the double). */
static void x_sigmoid_prime_decimal(mpfr_t d, const mpfr_t x,
                                    const char *k) {
  TEMP(kx, d);
  set_decimal(kx, k);
  mpfr_mul(kx, kx, x, RND);
  x_sigmoid_prime_at(d, kx);
  mpfr_clear(kx);
}

/* 1 where lo < x < hi, else 0 (torch's hardtanh_backward). */
static void inside(mpfr_t d, const mpfr_t x, double lo, double hi,
                   double slope) {
  if (mpfr_cmp_d(x, lo) > 0 && mpfr_cmp_d(x, hi) < 0)
    mpfr_set_d(d, slope, RND);
  else
    mpfr_set_zero(d, 1);
}

static void d_identity(mpfr_t d, const mpfr_t x, const double *p) {
  mpfr_set_ui(d, 1, RND);
}

static void d_sigmoid(mpfr_t d, const mpfr_t x, const double *p) {
  sigmoid_prime(d, x);
}

/* 1 - tanh^2 = sech^2. */
static void d_tanh(mpfr_t d, const mpfr_t x, const double *p) {
  mpfr_sech(d, x, RND);
  mpfr_sqr(d, d, RND);
}

static void d_relu(mpfr_t d, const mpfr_t x, const double *p) {
  mpfr_set_ui(d, mpfr_sgn(x) > 0 ? 1 : 0, RND);
}

static void d_relu6(mpfr_t d, const mpfr_t x, const double *p) {
  inside(d, x, 0, 6, 1);
}

/* x > 0 ? 1 : slope (torch's leaky_relu_backward: self > 0). */
static void d_leaky_relu(mpfr_t d, const mpfr_t x, const double *p) {
  if (mpfr_sgn(x) > 0)
    mpfr_set_ui(d, 1, RND);
  else
    set_decimal(d, "0.01");
}

static void d_prelu(mpfr_t d, const mpfr_t x, const double *p) {
  if (mpfr_sgn(x) > 0)
    mpfr_set_ui(d, 1, RND);
  else
    mpfr_set_d(d, p[0], RND);
}

/* x > 0 ? 1 : alpha exp(x) (alpha = 1). */
static void d_elu(mpfr_t d, const mpfr_t x, const double *p) {
  if (mpfr_sgn(x) > 0)
    mpfr_set_ui(d, 1, RND);
  else
    mpfr_exp(d, x, RND);
}

static void d_selu(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(t, d);
  if (mpfr_sgn(x) > 0) {
    mpfr_set_ui(d, 1, RND);
  } else {
    set_decimal(t, seluAlpha);
    mpfr_exp(d, x, RND);
    mpfr_mul(d, d, t, RND);
  }
  set_decimal(t, seluScale);
  mpfr_mul(d, d, t, RND);
  mpfr_clear(t);
}

/* celu(alpha = 1) is elu. */
static void d_celu(mpfr_t d, const mpfr_t x, const double *p) {
  d_elu(d, x, p);
}

/* beta x > threshold ? 1 : sigmoid(beta x) (beta = 1, threshold = 20). */
static void d_softplus(mpfr_t d, const mpfr_t x, const double *p) {
  if (mpfr_cmp_ui(x, 20) > 0)
    mpfr_set_ui(d, 1, RND);
  else
    sigmoid_of(d, x);
}

/* 1 / (1 + |x|)^2. */
static void d_softsign(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(t, d);
  mpfr_abs(t, x, RND);
  mpfr_add_ui(t, t, 1, RND);
  mpfr_sqr(t, t, RND);
  mpfr_ui_div(d, 1, t, RND);
  mpfr_clear(t);
}

/* Phi(x) + x phi(x) = erfc(-x / sqrt 2) / 2 + x exp(-x^2 / 2) / sqrt(2 pi). */
static void d_gelu(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(t, d);
  TEMP(u, d);
  mpfr_sqrt_ui(t, 2, RND);
  mpfr_div(t, x, t, RND);
  mpfr_neg(t, t, RND);
  mpfr_erfc(t, t, RND);
  mpfr_div_2ui(t, t, 1, RND);
  mpfr_sqr(u, x, RND);
  mpfr_div_2ui(u, u, 1, RND);
  mpfr_neg(u, u, RND);
  mpfr_exp(u, u, RND);
  mpfr_mul(u, u, x, RND);
  mpfr_const_pi(d, RND);
  mpfr_mul_2ui(d, d, 1, RND);
  mpfr_sqrt(d, d, RND);
  mpfr_div(u, u, d, RND);
  mpfr_add(d, t, u, RND);
  mpfr_clear(t);
  mpfr_clear(u);
}

/* f = 0.5 x (1 + tanh u), u = c (x + k x^3), c = sqrt(2 / pi), k = 0.044715:
 * f' = sigmoid(2u) + 0.5 x sech^2(u) c (1 + 3 k x^2). */
static void d_gelu_tanh(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(c, d);
  TEMP(k, d);
  TEMP(u, d);
  TEMP(t, d);
  mpfr_const_pi(c, RND);
  mpfr_ui_div(c, 2, c, RND);
  mpfr_sqrt(c, c, RND);
  set_decimal(k, "0.044715");
  mpfr_sqr(t, x, RND);         /* x^2 */
  mpfr_mul(u, t, k, RND);      /* k x^2 */
  mpfr_mul_ui(t, u, 3, RND);   /* 3 k x^2 */
  mpfr_add_ui(t, t, 1, RND);   /* 1 + 3 k x^2 */
  mpfr_mul(t, t, c, RND);      /* c (1 + 3 k x^2) */
  mpfr_add_ui(u, u, 1, RND);   /* 1 + k x^2 */
  mpfr_mul(u, u, x, RND);      /* x + k x^3 */
  mpfr_mul(u, u, c, RND);      /* u */
  mpfr_sech(k, u, RND);
  mpfr_sqr(k, k, RND);         /* sech^2 u */
  mpfr_mul(t, t, k, RND);
  mpfr_mul(t, t, x, RND);
  mpfr_div_2ui(t, t, 1, RND);
  mpfr_mul_2ui(u, u, 1, RND);
  sigmoid_of(c, u);
  mpfr_add(d, c, t, RND);
  mpfr_clear(c);
  mpfr_clear(k);
  mpfr_clear(u);
  mpfr_clear(t);
}

static void d_quick_gelu(mpfr_t d, const mpfr_t x, const double *p) {
  x_sigmoid_prime_decimal(d, x, "1.702");
}

static void d_silu(mpfr_t d, const mpfr_t x, const double *p) {
  x_sigmoid_prime(d, x, 1.0);
}

static void d_swish(mpfr_t d, const mpfr_t x, const double *p) {
  x_sigmoid_prime(d, x, p[0]);
}

/* mish = x tanh(sp), sp = softplus(x): tanh(sp) + x sech^2(sp) sigmoid(x). */
static void d_mish(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(sp, d);
  TEMP(t, d);
  if (mpfr_sgn(x) > 0) { /* x + log1p(exp(-x)) */
    mpfr_neg(t, x, RND);
    mpfr_exp(t, t, RND);
    mpfr_log1p(t, t, RND);
    mpfr_add(sp, x, t, RND);
  } else {
    mpfr_exp(t, x, RND);
    mpfr_log1p(sp, t, RND);
  }
  mpfr_sech(t, sp, RND);
  mpfr_sqr(t, t, RND);
  mpfr_mul(t, t, x, RND);
  sigmoid_of(d, x);
  mpfr_mul(t, t, d, RND);
  mpfr_tanh(d, sp, RND);
  mpfr_add(d, d, t, RND);
  mpfr_clear(sp);
  mpfr_clear(t);
}

static void d_hard_sigmoid(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(t, d);
  inside(t, x, -3, 3, 1);
  mpfr_div_ui(d, t, 6, RND);
  mpfr_clear(t);
}

/* torch's hardswish_backward: x < -3: 0; x <= 3: (2x + 3) / 6; else 1. */
static void d_hard_swish(mpfr_t d, const mpfr_t x, const double *p) {
  if (mpfr_cmp_si(x, -3) < 0) {
    mpfr_set_zero(d, 1);
  } else if (mpfr_cmp_ui(x, 3) <= 0) {
    mpfr_mul_2ui(d, x, 1, RND);
    mpfr_add_ui(d, d, 3, RND);
    mpfr_div_ui(d, d, 6, RND);
  } else {
    mpfr_set_ui(d, 1, RND);
  }
}

static void d_hardtanh(mpfr_t d, const mpfr_t x, const double *p) {
  inside(d, x, -1, 1, 1);
}

/* logsigmoid' = sigmoid(-x). */
static void d_logsigmoid(mpfr_t d, const mpfr_t x, const double *p) {
  TEMP(t, d);
  mpfr_neg(t, x, RND);
  sigmoid_of(d, t);
  mpfr_clear(t);
}

/* (x - tanh x)' = tanh^2 x. */
static void d_tanhshrink(mpfr_t d, const mpfr_t x, const double *p) {
  mpfr_tanh(d, x, RND);
  mpfr_sqr(d, d, RND);
}

/* softshrink and hardshrink: 1 where |x| > lambda = 0.5, else 0. */
static void d_shrink(mpfr_t d, const mpfr_t x, const double *p) {
  mpfr_set_ui(d, mpfr_cmp_d(x, 0.5) > 0 || mpfr_cmp_d(x, -0.5) < 0 ? 1 : 0,
              RND);
}

static const struct {
  const char *name;
  GradReferenceFn fn;
} table[] = {
    {"identity", d_identity},         {"linear", d_identity},
    {"sigmoid", d_sigmoid},           {"tanh", d_tanh},
    {"relu", d_relu},                 {"relu6", d_relu6},
    {"leaky_relu", d_leaky_relu},     {"prelu", d_prelu},
    {"elu", d_elu},                   {"selu", d_selu},
    {"celu", d_celu},                 {"softplus", d_softplus},
    {"softsign", d_softsign},         {"gelu", d_gelu},
    {"gelu_tanh", d_gelu_tanh},       {"new_gelu", d_gelu_tanh},
    {"quick_gelu", d_quick_gelu},     {"silu", d_silu},
    {"swish", d_swish},               {"mish", d_mish},
    {"hard_sigmoid", d_hard_sigmoid}, {"hard_swish", d_hard_swish},
    {"hardtanh", d_hardtanh},         {"logsigmoid", d_logsigmoid},
    {"tanhshrink", d_tanhshrink},     {"softshrink", d_shrink},
    {"hardshrink", d_shrink},
};

GradReferenceFn grad_reference_lookup(const char *name) {
  for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); ++i)
    if (strcmp(table[i].name, name) == 0)
      return table[i].fn;
  return NULL;
}

enum { CD_PREC = 400 };

void central_difference(ReferenceFn f, mpfr_t d, const mpfr_t x,
                        const double *params) {
  mpfr_t h, a, b, fa, fb;
  mpfr_inits2(CD_PREC, h, a, b, fa, fb, (mpfr_ptr)0);
  /* h = 2^-100 max(|x|, 2^-40): far below any ULP of f32/f64 results, far
   * above the 400-bit rounding. */
  mpfr_abs(h, x, RND);
  if (mpfr_cmp_d(h, 0x1p-40) < 0)
    mpfr_set_d(h, 0x1p-40, RND);
  mpfr_div_2ui(h, h, 100, RND);
  mpfr_add(a, x, h, RND);
  mpfr_sub(b, x, h, RND);
  f(fa, a, params);
  f(fb, b, params);
  mpfr_sub(fa, fa, fb, RND);
  mpfr_div(fa, fa, h, RND);
  mpfr_div_2ui(fa, fa, 1, RND);
  mpfr_set(d, fa, RND);
  mpfr_clears(h, a, b, fa, fb, (mpfr_ptr)0);
}

/* (f(p + h) - f(p - h)) / 2h at the parameter params[index]. */
static void param_difference(ReferenceFn f, mpfr_t d, const mpfr_t x,
                             const double *params, int index, double h) {
  double p[4];
  memcpy(p, params, sizeof(p));
  mpfr_t fa, fb;
  mpfr_inits2(CD_PREC, fa, fb, (mpfr_ptr)0);
  p[index] = params[index] + h;
  f(fa, x, p);
  p[index] = params[index] - h;
  f(fb, x, p);
  mpfr_sub(fa, fa, fb, RND);
  mpfr_div_d(d, fa, 2 * h, RND);
  mpfr_clears(fa, fb, (mpfr_ptr)0);
}

void central_difference_param(ReferenceFn f, mpfr_t d, const mpfr_t x,
                              const double *params, int index) {
  /* Parameters are doubles, so h is too: Richardson's extrapolation of two
   * central differences, (4 D(h/2) - D(h)) / 3, is exact to O(h^4). */
  double scale = params[index] != 0 ? params[index] : 1;
  double h = (scale < 0 ? -scale : scale) * 0x1p-18;
  mpfr_t d1, d2;
  mpfr_inits2(CD_PREC, d1, d2, (mpfr_ptr)0);
  param_difference(f, d1, x, params, index, h);
  param_difference(f, d2, x, params, index, h / 2);
  mpfr_mul_ui(d2, d2, 4, RND);
  mpfr_sub(d2, d2, d1, RND);
  mpfr_div_ui(d, d2, 3, RND);
  mpfr_clears(d1, d2, (mpfr_ptr)0);
}

double grad_ulp_error(int mant_bits, mpfr_t r, double y) {
  int is_f32 = mant_bits == 24;
  if (isnan(y))
    return mpfr_nan_p(r) ? 0 : INFINITY;
  if (mpfr_nan_p(r))
    return INFINITY;
  double rounded =
      is_f32 ? mpfr_get_flt(r, MPFR_RNDN) : mpfr_get_d(r, MPFR_RNDN);
  if (isinf(rounded) || isinf(y))
    return rounded == y ? 0 : INFINITY;
  mpfr_t t;
  mpfr_init2(t, 160); /* as the references: r - y rounds below 2^-100 ULP */
  mpfr_sub_d(t, r, y, MPFR_RNDN);
  mpfr_abs(t, t, MPFR_RNDN);
  long ulp_exp = is_f32 ? -149 : -1074;
  if (!mpfr_zero_p(r)) {
    long e = mpfr_get_exp(r) - 1 - (mant_bits - 1);
    if (e > ulp_exp)
      ulp_exp = e;
  }
  mpfr_mul_2si(t, t, -ulp_exp, MPFR_RNDN);
  double err = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  return err;
}
