/* act-accuracy.h - the exhaustive accuracy tool's references. */

#ifndef ACT_ACCURACY_H
#define ACT_ACCURACY_H

#include <mpfr.h>

/* f(x) in long double for the runtime parameters p. */
typedef long double (*LongDoubleFn)(long double x, const double *p);
LongDoubleFn longdouble_lookup(const char *name);

/* f(x) in MPFR at y's precision (the prelude's from test/Inputs/reference.c,
 * the elementary functions from primitives.c). */
typedef void (*MpfrFn)(mpfr_t y, const mpfr_t x, const double *p);
MpfrFn mpfr_lookup(const char *name);

/* The scan's filter in double (double.c): f, f' and the kinks of f (the
 * points where f' does not exist, skipped by --grad). */
typedef double (*DoubleFn)(double x, const double *p);
typedef struct {
  const char *name;
  DoubleFn f, df;
  const double *kinks;
  unsigned nkinks;
} DoubleRef;
const DoubleRef *double_lookup(const char *name);

#endif
