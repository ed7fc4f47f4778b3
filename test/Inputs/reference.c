/* reference.c - MPFR references of the prelude activations, from torch.nn.
 *
 * Each function follows the torch.nn documentation of the same name; where
 * torch's formula cancels (1 + erf(z) for z << 0, exp(x) - 1 near 0,
 * x - tanh(x) near 0) the same function is computed in a form that does not,
 * so the reference keeps every digit. Parameters default to torch's values.
 */

#include "reference.h"

#include <string.h>

#define RND MPFR_RNDN

/* A temporary at the precision of `like`. */
#define TEMP(name, like)                                                       \
  mpfr_t name;                                                                 \
  mpfr_init2(name, mpfr_get_prec(like))

static void set_decimal(mpfr_t y, const char *decimal) {
  mpfr_set_str(y, decimal, 10, RND);
}

/* y = 1 / (1 + exp(-x)). */
static void sigmoid_of(mpfr_t y, const mpfr_t x) {
  TEMP(t, y);
  mpfr_neg(t, x, RND);
  mpfr_exp(t, t, RND);
  mpfr_add_ui(t, t, 1, RND);
  mpfr_ui_div(y, 1, t, RND);
  mpfr_clear(t);
}

/* y = x * sigmoid(beta * x), beta a decimal string or NULL for `betaValue`. */
static void x_sigmoid(mpfr_t y, const mpfr_t x, const char *beta,
                      double betaValue) {
  TEMP(t, y);
  if (beta)
    set_decimal(t, beta);
  else
    mpfr_set_d(t, betaValue, RND);
  mpfr_mul(t, t, x, RND);
  sigmoid_of(t, t);
  mpfr_mul(y, x, t, RND);
  mpfr_clear(t);
}

/* y = log(1 + exp(x)) without overflow. */
static void softplus_of(mpfr_t y, const mpfr_t x) {
  TEMP(t, y);
  if (mpfr_sgn(x) > 0) { /* x + log1p(exp(-x)) */
    mpfr_neg(t, x, RND);
    mpfr_exp(t, t, RND);
    mpfr_log1p(t, t, RND);
    mpfr_add(y, x, t, RND);
  } else {
    mpfr_exp(t, x, RND);
    mpfr_log1p(y, t, RND);
  }
  mpfr_clear(t);
}

/* y = x < 0 ? alpha * expm1(x / alpha) : x ... the ELU family's negative
 * branch scaled by `scale`; alpha and scale are decimal strings. */
static void elu_family(mpfr_t y, const mpfr_t x, const char *alpha,
                       const char *scale) {
  TEMP(a, y);
  TEMP(t, y);
  if (mpfr_sgn(x) > 0) {
    mpfr_set(y, x, RND);
  } else {
    set_decimal(a, alpha);
    mpfr_expm1(t, x, RND);
    mpfr_mul(y, a, t, RND);
  }
  if (scale) {
    set_decimal(t, scale);
    mpfr_mul(y, y, t, RND);
  }
  mpfr_clear(a);
  mpfr_clear(t);
}

static void ref_identity(mpfr_t y, const mpfr_t x, const double *p) {
  mpfr_set(y, x, RND);
}

static void ref_sigmoid(mpfr_t y, const mpfr_t x, const double *p) {
  sigmoid_of(y, x);
}

static void ref_tanh(mpfr_t y, const mpfr_t x, const double *p) {
  mpfr_tanh(y, x, RND);
}

/* Relu(x) = max(0, x). */
static void ref_relu(mpfr_t y, const mpfr_t x, const double *p) {
  if (mpfr_sgn(x) > 0)
    mpfr_set(y, x, RND);
  else
    mpfr_set_zero(y, 1);
}

/* ReLU6(x) = min(max(0, x), 6). */
static void ref_relu6(mpfr_t y, const mpfr_t x, const double *p) {
  if (mpfr_sgn(x) <= 0)
    mpfr_set_zero(y, 1);
  else if (mpfr_cmp_ui(x, 6) >= 0)
    mpfr_set_ui(y, 6, RND);
  else
    mpfr_set(y, x, RND);
}

/* x >= 0 ? x : slope * x. */
static void leaky(mpfr_t y, const mpfr_t x, const char *slope,
                  double slopeValue) {
  if (mpfr_sgn(x) >= 0) {
    mpfr_set(y, x, RND);
    return;
  }
  TEMP(a, y);
  if (slope)
    set_decimal(a, slope);
  else
    mpfr_set_d(a, slopeValue, RND);
  mpfr_mul(y, a, x, RND);
  mpfr_clear(a);
}

/* LeakyReLU(negative_slope = 0.01). */
static void ref_leaky_relu(mpfr_t y, const mpfr_t x, const double *p) {
  leaky(y, x, "0.01", 0);
}

/* PReLU with the runtime weight p[0]. */
static void ref_prelu(mpfr_t y, const mpfr_t x, const double *p) {
  leaky(y, x, NULL, p[0]);
}

/* ELU(alpha = 1) = x > 0 ? x : alpha * (exp(x) - 1). */
static void ref_elu(mpfr_t y, const mpfr_t x, const double *p) {
  elu_family(y, x, "1", NULL);
}

/* SELU = scale * (max(0, x) + min(0, alpha * (exp(x) - 1))), torch's
 * constants. */
static void ref_selu(mpfr_t y, const mpfr_t x, const double *p) {
  elu_family(y, x, "1.6732632423543772848170429916717",
             "1.0507009873554804934193349852946");
}

/* CELU(alpha = 1) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1)); with
 * alpha = 1 the same function as ELU. */
static void ref_celu(mpfr_t y, const mpfr_t x, const double *p) {
  elu_family(y, x, "1", NULL);
}

/* Softplus(beta = 1, threshold = 20): x when beta * x > threshold, else
 * log(1 + exp(beta * x)) / beta. */
static void ref_softplus(mpfr_t y, const mpfr_t x, const double *p) {
  if (mpfr_cmp_ui(x, 20) > 0)
    mpfr_set(y, x, RND);
  else
    softplus_of(y, x);
}

/* Softsign = x / (1 + |x|). */
static void ref_softsign(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_abs(t, x, RND);
  mpfr_add_ui(t, t, 1, RND);
  mpfr_div(y, x, t, RND);
  mpfr_clear(t);
}

/* GELU = x * Phi(x) = x / 2 * (1 + erf(x / sqrt 2)) = x / 2 * erfc(-x / sqrt 2). */
static void ref_gelu(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_sqrt_ui(t, 2, RND);
  mpfr_div(t, x, t, RND);
  mpfr_neg(t, t, RND);
  mpfr_erfc(t, t, RND);
  mpfr_mul(t, t, x, RND);
  mpfr_div_2ui(y, t, 1, RND);
  mpfr_clear(t);
}

/* GELU(approximate='tanh') = x / 2 * (1 + tanh(u)),
 * u = sqrt(2 / pi) * (x + 0.044715 x^3); 1 + tanh(u) = 2 sigmoid(2u). */
static void ref_gelu_tanh(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(u, y);
  TEMP(t, y);
  mpfr_mul(u, x, x, RND);
  mpfr_mul(u, u, x, RND);
  set_decimal(t, "0.044715");
  mpfr_mul(u, u, t, RND);
  mpfr_add(u, u, x, RND);
  mpfr_const_pi(t, RND);
  mpfr_ui_div(t, 2, t, RND);
  mpfr_sqrt(t, t, RND);
  mpfr_mul(u, u, t, RND);
  mpfr_mul_2ui(u, u, 1, RND);
  sigmoid_of(t, u);
  mpfr_mul(y, x, t, RND);
  mpfr_clear(u);
  mpfr_clear(t);
}

/* quick_gelu = x * sigmoid(1.702 x). */
static void ref_quick_gelu(mpfr_t y, const mpfr_t x, const double *p) {
  x_sigmoid(y, x, "1.702", 0);
}

/* SiLU = x * sigmoid(x). */
static void ref_silu(mpfr_t y, const mpfr_t x, const double *p) {
  x_sigmoid(y, x, "1", 0);
}

/* swish = x * sigmoid(beta x), beta the runtime p[0]. */
static void ref_swish(mpfr_t y, const mpfr_t x, const double *p) {
  x_sigmoid(y, x, NULL, p[0]);
}

/* Mish = x * tanh(softplus(x)) (softplus without threshold). */
static void ref_mish(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  softplus_of(t, x);
  mpfr_tanh(t, t, RND);
  mpfr_mul(y, x, t, RND);
  mpfr_clear(t);
}

/* Hardsigmoid = 0 for x <= -3, 1 for x >= 3, x / 6 + 1 / 2 between. */
static void hard_sigmoid_of(mpfr_t y, const mpfr_t x) {
  if (mpfr_cmp_si(x, -3) <= 0) {
    mpfr_set_zero(y, 1);
  } else if (mpfr_cmp_si(x, 3) >= 0) {
    mpfr_set_ui(y, 1, RND);
  } else {
    mpfr_add_ui(y, x, 3, RND);
    mpfr_div_ui(y, y, 6, RND);
  }
}

static void ref_hard_sigmoid(mpfr_t y, const mpfr_t x, const double *p) {
  hard_sigmoid_of(y, x);
}

/* Hardswish = x * Hardsigmoid(x). */
static void ref_hard_swish(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  hard_sigmoid_of(t, x);
  mpfr_mul(y, x, t, RND);
  mpfr_clear(t);
}

/* Hardtanh(min_val = -1, max_val = 1). */
static void ref_hardtanh(mpfr_t y, const mpfr_t x, const double *p) {
  if (mpfr_cmp_si(x, -1) < 0)
    mpfr_set_si(y, -1, RND);
  else if (mpfr_cmp_si(x, 1) > 0)
    mpfr_set_si(y, 1, RND);
  else
    mpfr_set(y, x, RND);
}

/* LogSigmoid = log(1 / (1 + exp(-x))) = -softplus(-x). */
static void ref_logsigmoid(mpfr_t y, const mpfr_t x, const double *p) {
  TEMP(t, y);
  mpfr_neg(t, x, RND);
  softplus_of(y, t);
  mpfr_neg(y, y, RND);
  mpfr_clear(t);
}

/* Tanhshrink = x - tanh(x): about x^3 / 3 near 0, so the working precision
 * grows by three bits per halving of |x|. */
static void ref_tanhshrink(mpfr_t y, const mpfr_t x, const double *p) {
  mpfr_prec_t prec = mpfr_get_prec(y) + 8;
  if (mpfr_cmp_ui(x, 0) != 0 && mpfr_get_exp(x) < 0)
    prec += 3 * (mpfr_prec_t)(-mpfr_get_exp(x));
  mpfr_t t;
  mpfr_init2(t, prec);
  mpfr_tanh(t, x, RND);
  mpfr_sub(t, x, t, RND);
  mpfr_set(y, t, RND);
  mpfr_clear(t);
}

/* Softshrink(lambda = 0.5). */
static void ref_softshrink(mpfr_t y, const mpfr_t x, const double *p) {
  if (mpfr_cmp_d(x, 0.5) > 0)
    mpfr_sub_d(y, x, 0.5, RND);
  else if (mpfr_cmp_d(x, -0.5) < 0)
    mpfr_add_d(y, x, 0.5, RND);
  else
    mpfr_set_zero(y, 1);
}

/* Hardshrink(lambda = 0.5). */
static void ref_hardshrink(mpfr_t y, const mpfr_t x, const double *p) {
  if (mpfr_cmp_d(x, 0.5) > 0 || mpfr_cmp_d(x, -0.5) < 0)
    mpfr_set(y, x, RND);
  else
    mpfr_set_zero(y, 1);
}

static const struct {
  const char *name;
  ReferenceFn fn;
} references[] = {
    {"identity", ref_identity},         {"linear", ref_identity},
    {"sigmoid", ref_sigmoid},           {"tanh", ref_tanh},
    {"relu", ref_relu},                 {"relu6", ref_relu6},
    {"leaky_relu", ref_leaky_relu},     {"prelu", ref_prelu},
    {"elu", ref_elu},                   {"selu", ref_selu},
    {"celu", ref_celu},                 {"softplus", ref_softplus},
    {"softsign", ref_softsign},         {"gelu", ref_gelu},
    {"gelu_tanh", ref_gelu_tanh},       {"new_gelu", ref_gelu_tanh},
    {"quick_gelu", ref_quick_gelu},     {"silu", ref_silu},
    {"swish", ref_swish},               {"mish", ref_mish},
    {"hard_sigmoid", ref_hard_sigmoid}, {"hard_swish", ref_hard_swish},
    {"hardtanh", ref_hardtanh},         {"logsigmoid", ref_logsigmoid},
    {"tanhshrink", ref_tanhshrink},     {"softshrink", ref_softshrink},
    {"hardshrink", ref_hardshrink},
};

ReferenceFn reference_lookup(const char *name) {
  for (unsigned i = 0; i < sizeof(references) / sizeof(references[0]); ++i)
    if (strcmp(references[i].name, name) == 0)
      return references[i].fn;
  return NULL;
}

void reference_softmax_row(mpfr_t *y, const double *x, long cols, int log) {
  mpfr_prec_t prec = mpfr_get_prec(y[0]) + 32;
  mpfr_t sum, t, max;
  mpfr_inits2(prec, sum, t, max, (mpfr_ptr)0);
  long top = 0;
  for (long j = 1; j < cols; ++j)
    if (x[j] > x[top])
      top = j;
  mpfr_set_d(max, x[top], RND);
  /* The sum less one, the maxima (exp(0) = 1 each) apart from the rest, so
   * that log(sum) = log1p(sum - 1) keeps the digits of a sum close to 1
   * even where the rest is below 2^-prec (a sum of 1 + 2^-193 would round
   * to 1 and give log_softmax 0 at the max instead of -2^-193). */
  mpfr_set_zero(sum, 1);
  long maxima = 0;
  for (long j = 0; j < cols; ++j) {
    if (x[j] == x[top]) {
      ++maxima;
      continue;
    }
    mpfr_set_d(t, x[j], RND);
    mpfr_sub(t, t, max, RND);
    mpfr_exp(t, t, RND);
    mpfr_add(sum, sum, t, RND);
  }
  mpfr_add_si(t, sum, maxima - 1, RND);
  mpfr_log1p(sum, t, RND);
  for (long j = 0; j < cols; ++j) {
    mpfr_set_d(t, x[j], RND);
    mpfr_sub(t, t, max, RND);
    mpfr_sub(t, t, sum, RND);
    if (log)
      mpfr_set(y[j], t, RND);
    else
      mpfr_exp(y[j], t, RND);
  }
  mpfr_clears(sum, t, max, (mpfr_ptr)0);
}

void reference_init(void) {
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
}
