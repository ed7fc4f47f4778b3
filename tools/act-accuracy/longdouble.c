/* longdouble.c - fast references in long double (64-bit significand).
 *
 * The exhaustive scan evaluates every input here first; only inputs whose
 * error comes near the worst seen so far are evaluated again with MPFR
 * (reference.c), so these only need to be accurate to a small fraction of
 * an f32 ULP (they are, to ~2^-60 relative, except near zeros of the
 * function, where the MPFR recheck decides). Same formulas as torch.nn, in
 * forms that keep their digits.
 */

#include "act-accuracy.h"

#include <math.h>
#include <string.h>

typedef long double LD;

static LD sigmoid_ld(LD x) {
  if (x >= 0)
    return 1 / (1 + expl(-x));
  LD e = expl(x);
  return e / (1 + e);
}
static LD softplus_ld(LD x) {
  return x > 0 ? x + log1pl(expl(-x)) : log1pl(expl(x));
}
static LD elu_ld(LD x, LD alpha, LD scale) {
  return scale * (x > 0 ? x : alpha * expm1l(x));
}

static LD ld_identity(LD x, const double *p) { return x; }
static LD ld_sigmoid(LD x, const double *p) { return sigmoid_ld(x); }
static LD ld_tanh(LD x, const double *p) { return tanhl(x); }
static LD ld_relu(LD x, const double *p) { return x > 0 ? x : 0; }
static LD ld_relu6(LD x, const double *p) {
  return x <= 0 ? 0 : (x >= 6 ? 6 : x);
}
static LD ld_leaky_relu(LD x, const double *p) {
  return x >= 0 ? x : 0.01L * x;
}
static LD ld_prelu(LD x, const double *p) {
  return x >= 0 ? x : (LD)p[0] * x;
}
static LD ld_elu(LD x, const double *p) { return elu_ld(x, 1, 1); }
static LD ld_selu(LD x, const double *p) {
  return elu_ld(x, 1.6732632423543772848170429916717L,
                1.0507009873554804934193349852946L);
}
static LD ld_softplus(LD x, const double *p) {
  return x > 20 ? x : softplus_ld(x);
}
static LD ld_softsign(LD x, const double *p) { return x / (1 + fabsl(x)); }
static LD ld_gelu(LD x, const double *p) {
  return 0.5L * x * erfcl(-x / 1.4142135623730950488016887242097L);
}
static LD ld_gelu_tanh(LD x, const double *p) {
  LD u = 0.79788456080286535587989211986876L * (x + 0.044715L * x * x * x);
  return x * sigmoid_ld(2 * u);
}
static LD ld_quick_gelu(LD x, const double *p) {
  return x * sigmoid_ld(1.702L * x);
}
static LD ld_silu(LD x, const double *p) { return x * sigmoid_ld(x); }
static LD ld_swish(LD x, const double *p) {
  return x * sigmoid_ld((LD)p[0] * x);
}
static LD ld_mish(LD x, const double *p) { return x * tanhl(softplus_ld(x)); }
static LD ld_hard_sigmoid(LD x, const double *p) {
  return x <= -3 ? 0 : (x >= 3 ? 1 : (x + 3) / 6);
}
static LD ld_hard_swish(LD x, const double *p) {
  return x * ld_hard_sigmoid(x, p);
}
static LD ld_hardtanh(LD x, const double *p) {
  return x < -1 ? -1 : (x > 1 ? 1 : x);
}
static LD ld_logsigmoid(LD x, const double *p) { return -softplus_ld(-x); }
static LD ld_tanhshrink(LD x, const double *p) {
  if (fabsl(x) < 0.0625L) { /* x^3/3 - 2x^5/15 + 17x^7/315 - ... */
    LD z = x * x;
    return x * z *
           (1.0L / 3 + z * (-2.0L / 15 + z * (17.0L / 315 +
                                             z * (-62.0L / 2835 +
                                                  z * 1382.0L / 155925))));
  }
  return x - tanhl(x);
}
static LD ld_softshrink(LD x, const double *p) {
  return x > 0.5L ? x - 0.5L : (x < -0.5L ? x + 0.5L : 0);
}
static LD ld_hardshrink(LD x, const double *p) {
  return x > 0.5L || x < -0.5L ? x : 0;
}
static LD ld_exp(LD x, const double *p) { return expl(x); }
static LD ld_exp2(LD x, const double *p) { return exp2l(x); }
static LD ld_expm1(LD x, const double *p) { return expm1l(x); }
static LD ld_sin(LD x, const double *p) { return sinl(x); }
static LD ld_cos(LD x, const double *p) { return cosl(x); }
static LD ld_log(LD x, const double *p) { return logl(x); }
static LD ld_log2(LD x, const double *p) { return log2l(x); }
static LD ld_log1p(LD x, const double *p) { return log1pl(x); }
static LD ld_erf(LD x, const double *p) { return erfl(x); }
static LD ld_erfc(LD x, const double *p) { return erfcl(x); }

static const struct {
  const char *name;
  LongDoubleFn fn;
} table[] = {
    {"identity", ld_identity},         {"linear", ld_identity},
    {"sigmoid", ld_sigmoid},           {"tanh", ld_tanh},
    {"relu", ld_relu},                 {"relu6", ld_relu6},
    {"leaky_relu", ld_leaky_relu},     {"prelu", ld_prelu},
    {"elu", ld_elu},                   {"selu", ld_selu},
    {"celu", ld_elu},                  {"softplus", ld_softplus},
    {"softsign", ld_softsign},         {"gelu", ld_gelu},
    {"gelu_tanh", ld_gelu_tanh},       {"new_gelu", ld_gelu_tanh},
    {"quick_gelu", ld_quick_gelu},     {"silu", ld_silu},
    {"swish", ld_swish},               {"mish", ld_mish},
    {"hard_sigmoid", ld_hard_sigmoid}, {"hard_swish", ld_hard_swish},
    {"hardtanh", ld_hardtanh},         {"logsigmoid", ld_logsigmoid},
    {"tanhshrink", ld_tanhshrink},     {"softshrink", ld_softshrink},
    {"hardshrink", ld_hardshrink},     {"exp", ld_exp},
    {"exp2", ld_exp2},                 {"expm1", ld_expm1},
    {"log", ld_log},                   {"log2", ld_log2},
    {"log1p", ld_log1p},               {"erf", ld_erf},
    {"erfc", ld_erfc},                 {"sin", ld_sin},
    {"cos", ld_cos},
};

LongDoubleFn longdouble_lookup(const char *name) {
  for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); ++i)
    if (strcmp(table[i].name, name) == 0)
      return table[i].fn;
  return 0;
}
