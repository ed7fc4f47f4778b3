/* primitives.c - MPFR references of the elementary functions, and the
 * lookup that falls back to the prelude's (test/Inputs/reference.c). */

#include "act-accuracy.h"
#include "reference.h"

#include <string.h>

#define UNARY(name, call)                                                      \
  static void mp_##name(mpfr_t y, const mpfr_t x, const double *p) {           \
    (void)p;                                                                   \
    call(y, x, MPFR_RNDN);                                                     \
  }
UNARY(exp, mpfr_exp)
UNARY(exp2, mpfr_exp2)
UNARY(expm1, mpfr_expm1)
UNARY(log, mpfr_log)
UNARY(log2, mpfr_log2)
UNARY(log1p, mpfr_log1p)
UNARY(erf, mpfr_erf)
UNARY(erfc, mpfr_erfc)
UNARY(sin, mpfr_sin)
UNARY(cos, mpfr_cos)

static const struct {
  const char *name;
  MpfrFn fn;
} table[] = {
    {"exp", mp_exp},     {"exp2", mp_exp2}, {"expm1", mp_expm1},
    {"log", mp_log},     {"log2", mp_log2}, {"log1p", mp_log1p},
    {"erf", mp_erf},     {"erfc", mp_erfc}, {"sin", mp_sin},
    {"cos", mp_cos},
};

MpfrFn mpfr_lookup(const char *name) {
  for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); ++i)
    if (strcmp(table[i].name, name) == 0)
      return table[i].fn;
  return reference_lookup(name);
}
