/* grad-reference.h - closed-form derivatives of the prelude activations.
 *
 * Written from the textbook derivatives (sigmoid' = s(1 - s), tanh' =
 * sech^2, gelu' = Phi + x phi, ...) and, at the points where an activation
 * is not differentiable, from PyTorch's backward kernels (relu'(0) = 0,
 * leaky_relu/prelu take the slope at x <= 0, hardtanh/relu6/hardsigmoid are
 * 0 at and beyond their bounds, softshrink/hardshrink 0 at +-lambda,
 * hardswish' = (2x + 3) / 6 on [-3, 3]), in MPFR, in forms that keep their
 * digits. Not from actc's derivation rules: the tests compare the two.
 */

#ifndef ACTC_TEST_GRAD_REFERENCE_H
#define ACTC_TEST_GRAD_REFERENCE_H

#include "reference.h"

/* d = f'(x) for the runtime parameters `params` (compile-time parameters
 * take torch's defaults). x is finite; d keeps its precision. */
typedef void (*GradReferenceFn)(mpfr_t d, const mpfr_t x,
                                const double *params);

/* The derivative of the prelude activation `name`, or NULL. */
GradReferenceFn grad_reference_lookup(const char *name);

/* d = df/dx of any reference f by a central difference at a precision far
 * above d's (h = 2^-100 |x|, 400 bits): exact to far below one ULP of d
 * wherever f is smooth around x. */
void central_difference(ReferenceFn f, mpfr_t d, const mpfr_t x,
                        const double *params);

/* The same with respect to params[index]. */
void central_difference_param(ReferenceFn f, mpfr_t d, const mpfr_t x,
                              const double *params, int index);

/* |y - r| in ULPs of the type (24 or 53 bits) at the exact value r: 0
 * where both are NaN or the same infinity, infinite for a NaN or an
 * infinity on one side only. */
double grad_ulp_error(int mant_bits, mpfr_t r, double y);

#endif /* ACTC_TEST_GRAD_REFERENCE_H */
