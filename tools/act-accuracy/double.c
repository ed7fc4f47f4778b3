/* double.c - the exhaustive scan's filter: f and f' in double.
 *
 * Written independently of actc's kernels and of reference.c (glibc's
 * double functions, torch.nn's definitions in forms that keep their digits:
 * erfc for GELU's tail, expm1 for ELU, a series for x - tanh(x) near 0,
 * f' analytic). Their error is a few double ULPs relative to the result
 * except at the zeros of f', where it is absolute (~2^-53): act-accuracy
 * --check-ref measures it against MPFR, and the scan recomputes in MPFR
 * every input whose error from this filter comes within --margin ULP of a
 * decision (the running maximum, 0.5, 1, 2, 4 ULP, the --min-abs floor).
 */

#include "act-accuracy.h"

#include <math.h>
#include <string.h>

/* exp without glibc's slow underflow and overflow paths (which set errno). */
static double ex(double x) {
  return x < -746 ? 0 : (x > 710 ? INFINITY : exp(x));
}
#define exp ex
static double erfc_(double x) { return x > 27.3 ? 0 : erfc(x); }
#define erfc erfc_

static double sig(double x) {
  if (x >= 0)
    return 1 / (1 + exp(-x));
  double e = exp(x);
  return e / (1 + e);
}
static double softplus(double x) {
  return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}
/* x * sigmoid(k x) and its derivative s (1 + k x sigmoid(-k x)). */
static double xsig(double x, double k) { return x * sig(k * x); }
static double xsig_d(double x, double k) {
  return sig(k * x) * (1 + k * x * sig(-k * x));
}

#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_SCALE 1.0507009873554804934193349852946
#define GELU_C 0.79788456080286535587989211986876 /* sqrt(2 / pi) */
#define INV_SQRT_2PI 0.39894228040143267793994605993438

static double d_sigmoid(double x, const double *p) { return sig(x); }
static double d_tanh(double x, const double *p) { return tanh(x); }
static double d_relu(double x, const double *p) { return x > 0 ? x : 0; }
static double d_relu6(double x, const double *p) {
  return x <= 0 ? 0 : (x >= 6 ? 6 : x);
}
static double d_leaky_relu(double x, const double *p) {
  return x >= 0 ? x : 0.01 * x;
}
static double d_elu(double x, const double *p) {
  return x > 0 ? x : expm1(x);
}
static double d_selu(double x, const double *p) {
  return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * expm1(x));
}
static double d_softplus(double x, const double *p) {
  return x > 20 ? x : softplus(x);
}
static double d_softsign(double x, const double *p) {
  return x / (1 + fabs(x));
}
static double d_gelu(double x, const double *p) {
  return 0.5 * x * erfc(-x * M_SQRT1_2);
}
static double gelu_tanh_u(double x) {
  return GELU_C * (x + 0.044715 * x * x * x);
}
static double d_gelu_tanh(double x, const double *p) {
  return x * sig(2 * gelu_tanh_u(x));
}
static double d_quick_gelu(double x, const double *p) {
  return xsig(x, 1.702);
}
static double d_silu(double x, const double *p) { return xsig(x, 1); }
static double d_swish(double x, const double *p) { return xsig(x, p[0]); }
/* tanh(softplus(x)) = -expm1(-2 sp) / (1 + exp(-2 sp)). */
static double tanh_sp(double x) {
  double sp = softplus(x);
  return -expm1(-2 * sp) / (1 + exp(-2 * sp));
}
static double d_mish(double x, const double *p) { return x * tanh_sp(x); }
static double hsig(double x) {
  return x <= -3 ? 0 : (x >= 3 ? 1 : (x + 3) / 6);
}
static double d_hard_sigmoid(double x, const double *p) { return hsig(x); }
static double d_hard_swish(double x, const double *p) { return x * hsig(x); }
static double d_hardtanh(double x, const double *p) {
  return x < -1 ? -1 : (x > 1 ? 1 : x);
}
static double d_logsigmoid(double x, const double *p) {
  return -softplus(-x);
}
static double d_tanhshrink(double x, const double *p) {
  if (fabs(x) < 0.0625) { /* x^3/3 - 2x^5/15 + 17x^7/315 - ... */
    double z = x * x;
    return x * z *
           (1.0 / 3 +
            z * (-2.0 / 15 +
                 z * (17.0 / 315 +
                      z * (-62.0 / 2835 +
                           z * (1382.0 / 155925 - z * 21844.0 / 6081075)))));
  }
  return x - tanh(x);
}
static double d_softshrink(double x, const double *p) {
  return x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0);
}
static double d_hardshrink(double x, const double *p) {
  return x > 0.5 || x < -0.5 ? x : 0;
}
static double d_exp(double x, const double *p) { return exp(x); }
static double d_exp2(double x, const double *p) { return exp2(x); }
static double d_expm1(double x, const double *p) { return expm1(x); }
static double d_log(double x, const double *p) { return log(x); }
static double d_log2(double x, const double *p) { return log2(x); }
static double d_log1p(double x, const double *p) { return log1p(x); }
static double d_erf(double x, const double *p) { return erf(x); }
static double d_erfc(double x, const double *p) { return erfc(x); }
static double d_sin(double x, const double *p) { return sin(x); }
static double d_cos(double x, const double *p) { return cos(x); }

/* Derivatives (off the kinks). */
static double g_sigmoid(double x, const double *p) {
  return sig(x) * sig(-x);
}
/* 1 - tanh^2 = 4 E / (1 + E)^2, E = exp(-2|x|). */
static double sech2(double x) {
  double e = exp(-2 * fabs(x));
  return 4 * e / ((1 + e) * (1 + e));
}
static double g_tanh(double x, const double *p) { return sech2(x); }
static double g_relu(double x, const double *p) { return x > 0; }
static double g_relu6(double x, const double *p) { return x > 0 && x < 6; }
static double g_leaky_relu(double x, const double *p) {
  return x > 0 ? 1 : 0.01;
}
static double g_elu(double x, const double *p) { return x > 0 ? 1 : exp(x); }
static double g_selu(double x, const double *p) {
  return SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * exp(x));
}
static double g_softplus(double x, const double *p) {
  return x > 20 ? 1 : sig(x);
}
static double g_softsign(double x, const double *p) {
  double d = 1 + fabs(x);
  return 1 / (d * d);
}
/* Phi(x) + x phi(x). */
static double g_gelu(double x, const double *p) {
  return 0.5 * erfc(-x * M_SQRT1_2) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
}
/* s + 2 x u' s (1 - s), s = sigmoid(2u). */
static double g_gelu_tanh(double x, const double *p) {
  double u = gelu_tanh_u(x), du = GELU_C * (1 + 3 * 0.044715 * x * x);
  return sig(2 * u) * (1 + 2 * x * du * sig(-2 * u));
}
static double g_quick_gelu(double x, const double *p) {
  return xsig_d(x, 1.702);
}
static double g_silu(double x, const double *p) { return xsig_d(x, 1); }
static double g_swish(double x, const double *p) { return xsig_d(x, p[0]); }
/* tanh(sp) + x sech^2(sp) sigmoid(x). */
static double g_mish(double x, const double *p) {
  double sp = softplus(x), e = exp(-2 * sp);
  double t = -expm1(-2 * sp) / (1 + e);
  return t + x * (4 * e / ((1 + e) * (1 + e))) * sig(x);
}
static double g_hard_sigmoid(double x, const double *p) {
  return x > -3 && x < 3 ? 1.0 / 6 : 0;
}
static double g_hard_swish(double x, const double *p) {
  return x <= -3 ? 0 : (x >= 3 ? 1 : (2 * x + 3) / 6);
}
static double g_hardtanh(double x, const double *p) {
  return x > -1 && x < 1;
}
static double g_logsigmoid(double x, const double *p) { return sig(-x); }
static double g_tanhshrink(double x, const double *p) {
  double t = tanh(x);
  return t * t;
}
static double g_shrink(double x, const double *p) {
  return x > 0.5 || x < -0.5;
}

static const double kZero[] = {0}, kRelu6[] = {0, 6}, kOne[] = {-1, 1},
                    kThree[] = {-3, 3}, kHalf[] = {-0.5, 0.5},
                    kTwenty[] = {20};

#define K(list) list, sizeof(list) / sizeof(list[0])
static const DoubleRef table[] = {
    {"sigmoid", d_sigmoid, g_sigmoid, 0, 0, 1},
    {"tanh", d_tanh, g_tanh, 0, 0, 1},
    {"relu", d_relu, g_relu, K(kZero), 0},
    {"relu6", d_relu6, g_relu6, K(kRelu6), 0},
    {"leaky_relu", d_leaky_relu, g_leaky_relu, K(kZero), 0},
    {"elu", d_elu, g_elu, 0, 0, 1},
    {"celu", d_elu, g_elu, 0, 0, 1},
    {"selu", d_selu, g_selu, K(kZero), 1},
    {"softplus", d_softplus, g_softplus, K(kTwenty), 1},
    {"softsign", d_softsign, g_softsign, 0, 0, 0},
    {"gelu", d_gelu, g_gelu, 0, 0, -1},
    {"gelu_tanh", d_gelu_tanh, g_gelu_tanh, 0, 0, -1},
    {"new_gelu", d_gelu_tanh, g_gelu_tanh, 0, 0, -1},
    {"quick_gelu", d_quick_gelu, g_quick_gelu, 0, 0, -1},
    {"silu", d_silu, g_silu, 0, 0, -1},
    {"swish", d_swish, g_swish, 0, 0, -1},
    {"mish", d_mish, g_mish, 0, 0, -1},
    {"hard_sigmoid", d_hard_sigmoid, g_hard_sigmoid, K(kThree), 0},
    {"hard_swish", d_hard_swish, g_hard_swish, K(kThree), 0},
    {"hardtanh", d_hardtanh, g_hardtanh, K(kOne), 0},
    {"logsigmoid", d_logsigmoid, g_logsigmoid, 0, 0, 1},
    {"tanhshrink", d_tanhshrink, g_tanhshrink, 0, 0, 1},
    {"softshrink", d_softshrink, g_shrink, K(kHalf), 0},
    {"hardshrink", d_hardshrink, g_shrink, K(kHalf), 0},
    {"exp", d_exp, 0, 0, 0, 0},
    {"exp2", d_exp2, 0, 0, 0, 0},
    {"expm1", d_expm1, 0, 0, 0, 0},
    {"log", d_log, 0, 0, 0, 0},
    {"log2", d_log2, 0, 0, 0, 0},
    {"log1p", d_log1p, 0, 0, 0, 0},
    {"erf", d_erf, 0, 0, 0, 0},
    {"erfc", d_erfc, 0, 0, 0, 0},
    {"sin", d_sin, 0, 0, 0, 0},
    {"cos", d_cos, 0, 0, 0, 0},
};

const DoubleRef *double_lookup(const char *name) {
  for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); ++i)
    if (strcmp(table[i].name, name) == 0)
      return &table[i];
  return 0;
}
