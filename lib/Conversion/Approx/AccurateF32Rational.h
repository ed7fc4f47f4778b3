//===- AccurateF32Rational.h - rational activations in f32 ------*- C++ -*-===//
//
// precision=accurate f32 forms of hard_sigmoid, hard_swish and softsign
// (forward and gradient), the kernels act-expand routed
// (actc/Dialect/Act/RationalForms.h): exact error terms instead of f64;
// and hard_swish's guards in fast mode.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF32RATIONAL_H
#define ACTC_CONVERSION_APPROX_ACCURATEF32RATIONAL_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::act {

/// Rewrites the roots of RationalForms.h's forms. `foldDy` (AVX-512
/// targets; x86-64-v3 kernels kept as measured): hard_swish' and softsign'
/// take the kernel's dy product in and round dy f' once (DyProduct.h).
void populateAccurateRationalPatterns(RewritePatternSet &patterns,
                                      bool foldDy = false);

/// precision=fast: hard_swish and its gradient with their guards reordered
/// (x > 3 ? hi : (x < -3 ? 0 : middle), the same values), so that AVX-512
/// folds the zero into middle's last product as a zero mask.
void populateFastRationalPatterns(RewritePatternSet &patterns);

} // namespace mlir::act

#endif // ACTC_CONVERSION_APPROX_ACCURATEF32RATIONAL_H
