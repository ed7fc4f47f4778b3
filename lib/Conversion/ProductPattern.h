//===- ProductPattern.h - rewrite m * f(...) as one form ---------*- C++ -*-===//
//
// The forms that fold a product's other factor into a function's
// evaluation (m * sigmoid(t) with m in the numerator, m * erfc(w) rounded
// with erfc's 2^n, ...) match the same shape: a mulf of one element width,
// one of whose factors a given op defines. FastForms.cpp's f32 forms and
// AccurateF64Forms.cpp's f64 forms derive their patterns from this one.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_PRODUCTPATTERN_H
#define ACTC_CONVERSION_PRODUCTPATTERN_H

#include "Approx/Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::act {

/// m * f(...) where one factor of a mulf on `Width`-bit floats is defined
/// by `FactorOp`.
template <typename FactorOp, unsigned Width>
struct ProductPattern : public OpRewritePattern<arith::MulFOp> {
  ProductPattern(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}

  /// Builds m * f(factor's operands); null when the factor does not fit.
  virtual Value build(approx::Emitter &e, Value m, FactorOp factor) const = 0;

  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (getElementTypeOrSelf(mul.getType()).getIntOrFloatBitWidth() != Width)
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto factor = mul->getOperand(i).template getDefiningOp<FactorOp>();
      if (!factor)
        continue;
      approx::Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      if (Value y = build(e, mul->getOperand(1 - i), factor)) {
        rewriter.replaceOp(mul, y);
        return success();
      }
    }
    return failure();
  }
  bool avx512;
};

} // namespace mlir::act

#endif // ACTC_CONVERSION_PRODUCTPATTERN_H
