/* reference.h - high-precision references of the prelude activations.
 *
 * Written from torch.nn's definitions (not from actc's prelude text), in
 * MPFR, in forms that keep their digits (erfc for GELU's tail, expm1 for
 * ELU, a precision that grows as x shrinks for x - tanh(x)), so that the
 * reference is exact to far below one ULP of the tested type everywhere.
 */

#ifndef ACTC_TEST_REFERENCE_H
#define ACTC_TEST_REFERENCE_H

#include <mpfr.h>

/* y = f(x) for the runtime parameters `params` (compile-time parameters
 * take torch's defaults). x is finite; y was initialized by the caller and
 * keeps its precision. */
typedef void (*ReferenceFn)(mpfr_t y, const mpfr_t x, const double *params);

/* The reference of the elementwise activation `name`, or NULL. */
ReferenceFn reference_lookup(const char *name);

/* Row activations: y[0..cols) = softmax (or, with `log`, log_softmax) of
 * the row x[0..cols), each to its own precision. x holds finite values and
 * -inf (weight 0), at least one finite. */
void reference_softmax_row(mpfr_t *y, const double *x, long cols, int log);

/* Widest exponent range, so that no intermediate of a reference overflows
 * or underflows before the final rounding. Call once. */
void reference_init(void);

#endif /* ACTC_TEST_REFERENCE_H */
