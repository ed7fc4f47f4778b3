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
 * points where f' does not exist, skipped by --grad). tailSign is the sign
 * of f' where df underflows to 0 at an x != 0 (tanh' beyond |x| = 372:
 * +1; silu' far left: -1); 0 where every zero of df is an exact zero of
 * f' (relu' at x < 0), whose sign nothing defines. */
typedef double (*DoubleFn)(double x, const double *p);
typedef struct {
  const char *name;
  DoubleFn f, df;
  const double *kinks;
  unsigned nkinks;
  int tailSign;
} DoubleRef;
const DoubleRef *double_lookup(const char *name);

#endif
