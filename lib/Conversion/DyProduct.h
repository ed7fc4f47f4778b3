//===- DyProduct.h - the dy product after an accurate grad form -*- C++ -*-===//
//
// A gradient kernel computes dx = dy * f'(x). Where act-expand routed f'
// to an accurate f32 form (actc/Dialect/Act/AccurateF32Routing.h), the
// form rounds f' once and the product by dy rounds it again: up to 1.9
// ULP of dx with dy uniform in [-1, 1] (docs/accuracy.md, session 9). The
// forms that keep f' as a pair take dy in instead and round dy f' once;
// this finds that product and rebuilds what lies between.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_DYPRODUCT_H
#define ACTC_CONVERSION_DYPRODUCT_H

#include "Approx/Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::act {

/// The product `mul` = dy * v, where v is `value` or selects of it:
/// `value`'s only user, through selects each of which has the previous
/// value on one side and a constant on the other (act-autodiff's guards,
/// f'(-inf) = 0), is an f32 arith.mulf by an exact input (a load: dy).
/// With `nested`, the selects may also read each other and `value` more
/// than once (gelu's guards: c1 ? (c2 ? f' : k) : f'), all in `value`'s
/// block; only the last (`factor`) reaches the product.
struct DyProduct {
  arith::MulFOp mul;
  Value dy;
  /// Innermost first (with `nested`: in block order).
  SmallVector<arith::SelectOp> selects;
  /// The matched f' (`value`) and the product's other operand: `value`
  /// or the last select.
  Value value, factor;
};

/// `value`'s dy product, if any.
std::optional<DyProduct> findDyProduct(Value value, bool nested = false);

/// Replaces `product.mul` by `dx` (the form's dy f', built at the product)
/// with the selects rebuilt around it, their constant sides times dy as
/// before (c ? dy k : dx). The old selects are left unused.
void replaceDyProduct(PatternRewriter &rewriter, approx::Emitter &e,
                      const DyProduct &product, Value dx);

/// The gradient form's last step: replaceDyProduct when the form found its
/// dy product (`dx` is then dy f'), else `gradient` (f' alone) replaced by
/// `dx`.
void replaceGradient(PatternRewriter &rewriter, approx::Emitter &e,
                     const std::optional<DyProduct> &product,
                     Operation *gradient, Value dx);

} // namespace mlir::act

#endif // ACTC_CONVERSION_DYPRODUCT_H
