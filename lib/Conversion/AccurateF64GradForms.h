//===- AccurateF64GradForms.h - accurate f64 derivative forms ---*- C++ -*-===//
//
// precision=accurate: the f64 gradient kernels' derivatives in
// double-double (Approx/AccurateF64Grad.h), rounded about once:
//
//   s(t) + (p m)           silu', swish', quick_gelu': p = s(t) s(-t), m
//                          the factors of t (act-autodiff's strong zero p
//                          m == 0 ? p m : ... included), s = act.sigmoid;
//   tanh(sp) + 4 q s(x) x  mish' (sp softplus(x), q sech^2(sp) / 4 as
//                          act-expand writes them);
//   s(t) s(-t)             sigmoid', tanh' (act-expand leaves both whole:
//                          actc/Dialect/Act/AccurateF64GradRouting.h);
//   (select(c, a, exp(x) k1)) k2, exp(x) k   selu' (and k exp(x) alone);
//   (1 - x / d sign(x)) / d, d = |x| + 1      softsign';
//   tanh(x) tanh(x)                           tanhshrink'.
//
// Applied before AccurateF64Forms.h's forms, whose m * sigmoid(t) would
// take a sigmoid' product as m times one sigmoid.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_ACCURATEF64GRADFORMS_H
#define ACTC_CONVERSION_ACCURATEF64GRADFORMS_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir::act {

/// Rewrites the f64 sums, products and quotients above. `avx512`: see
/// Emitter::setAVX512.
LogicalResult applyAccurateF64GradForms(ModuleOp module, bool avx512);

} // namespace mlir::act

#endif // ACTC_CONVERSION_ACCURATEF64GRADFORMS_H
