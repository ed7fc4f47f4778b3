//===- GeluGradient.h - act-autodiff's erf GELU gradient, matched -*- C++ -*-===//
//
// The erf GELU's gradient Phi(x) + x phi(x) is one form in both precisions
// (lib/Conversion/Approx/GeluF32.cpp's table, GeluGradForm.cpp), and
// act-expand's accurate routing must see the same sum that act-math-approx
// rewrites (AccurateF32Routing.h): one matcher for both.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_GELUGRADIENT_H
#define ACTC_DIALECT_ACT_GELUGRADIENT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::act {

/// x where `w` is -(x / c), c's exact value sqrt(2) (act.exact, the
/// prelude gelu's erfc argument) and x an input: not computed by arith or
/// math (a load, an argument), extended from a narrower float (the bf16
/// and f16 kernels), or a fused kernel's rounded argument (kLeafAttrName);
/// else null. A computed x has a rounding error that
/// erfc's exp would amplify by x^2.
Value getGeluArgument(Value w);

/// act-autodiff's gelu'(x) after act-expand's rules:
///
///   erfc(-z) * 0.5 + (t2 == 0 ? t2 : t2 * (x * 0.5)),
///   z = x / sqrt 2, t2 = exp(-(z * z)) * k1 * k2  (k1 k2 = sqrt(2 / pi)).
struct GeluGradSum {
  Value x;
  /// The sum's ops, the root (the final add) first; only the root's result
  /// may be read outside them (checked by the routing, not here).
  SmallVector<Operation *> ops;
};

/// The sum `add` is the root of, if any (x as getGeluArgument finds it).
std::optional<GeluGradSum> matchGeluGradSum(arith::AddFOp add);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_GELUGRADIENT_H
