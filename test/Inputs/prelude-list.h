/*===- prelude-list.h - the prelude's elementwise activations -------------===*
 *
 * One list for the executable tests that wrap every elementwise prelude
 * activation: ACTC_PRELUDE_ELEMENTWISE(X, XP) expands X(name) for each
 * activation without runtime parameters and XP(name) for those with one
 * (prelu's alpha, swish's beta), in the prelude's order.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ACTC_TEST_PRELUDE_LIST_H
#define ACTC_TEST_PRELUDE_LIST_H

#define ACTC_PRELUDE_ELEMENTWISE(X, XP)                                        \
  X(identity) X(linear) X(sigmoid) X(tanh) X(relu) X(relu6) X(leaky_relu)      \
  XP(prelu) X(elu) X(selu) X(celu) X(softplus) X(softsign) X(gelu)             \
  X(gelu_tanh) X(new_gelu) X(quick_gelu) X(silu) XP(swish) X(mish)             \
  X(hard_sigmoid) X(hard_swish) X(hardtanh) X(logsigmoid) X(tanhshrink)        \
  X(softshrink) X(hardshrink)

#endif /* ACTC_TEST_PRELUDE_LIST_H */
