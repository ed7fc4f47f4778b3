//===- AccurateF64Forms.cpp - accurate f64 sigmoid and softplus forms -----===//
//
// See AccurateF64Forms.h.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64Forms.h"
#include "Approx/AccurateF64.h"
#include "PairArgumentF64.h"
#include "ProductPattern.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

static bool isF64(Value value) {
  return getElementTypeOrSelf(value.getType()).isF64();
}

namespace {
/// The f64 forms' products (ProductPattern.h).
template <typename FactorOp>
using ProductF64 = ProductPattern<FactorOp, 64>;

/// m * sigmoid(t) (silu, swish, quick_gelu, the tanh GELUs): m joins the
/// form's numerator, the product rounds once with it.
struct SigmoidProductF64 : public ProductF64<SigmoidOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, SigmoidOp sigmoid) const override {
    return approx::buildAccurateSigmoidProductF64(
        e, m, evaluatePairF64(e, sigmoid.getOperand()));
  }
};

/// m * erfc(w) (the erf GELU's negative side, 0.5 x erfc(-x / sqrt(2))):
/// w as a pair (x / sqrt(2)'s rounding, amplified by 2 w^2 in erfc, was
/// 939 ULPs at x = -36), the product rounded once with erfc's 2^n.
struct ErfcProductF64 : public ProductF64<math::ErfcOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, math::ErfcOp erfc) const override {
    // Not an f32 kernel's widened erfc (act.wide: the wide cores' 2^-32).
    if (erfc->hasAttr(kWideAttrName))
      return Value();
    return approx::buildErfcProductOfPairF64(
        e, m, evaluatePairF64(e, erfc.getOperand()));
  }
};

/// f(t) alone, t an f64 value taken as a pair.
template <typename OpT>
struct LoneF64 : public OpRewritePattern<OpT> {
  LoneF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern<OpT>(ctx), avx512(avx512) {}

  virtual Value build(Emitter &e, approx::Pair t) const = 0;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    if (!isF64(op.getResult()))
      return failure();
    Emitter e(rewriter, op.getLoc(), op.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(op, build(e, evaluatePairF64(e, op.getOperand())));
    return success();
  }
  bool avx512;
};

/// sigmoid(t) alone.
struct LoneSigmoidF64 : public LoneF64<SigmoidOp> {
  using LoneF64::LoneF64;
  Value build(Emitter &e, approx::Pair t) const override {
    return approx::buildAccurateSigmoidProductF64(e, Value(), t);
  }
};

/// softplus(t) alone (softplus, logsigmoid = -softplus(-x)).
struct LoneSoftplusF64 : public LoneF64<SoftplusOp> {
  using LoneF64::LoneF64;
  Value build(Emitter &e, approx::Pair t) const override {
    return approx::buildAccurateSoftplusF64(e, t);
  }
};
} // namespace

LogicalResult mlir::act::applyAccurateF64Forms(ModuleOp module, bool avx512) {
  MLIRContext *ctx = module.getContext();
  // The products first: their sigmoid factors must still be whole.
  RewritePatternSet products(ctx);
  products.add<SigmoidProductF64, ErfcProductF64>(ctx, avx512);
  if (failed(applyPatternsGreedily(module, std::move(products))))
    return failure();
  RewritePatternSet lone(ctx);
  lone.add<LoneSigmoidF64, LoneSoftplusF64>(ctx, avx512);
  return applyPatternsGreedily(module, std::move(lone));
}
