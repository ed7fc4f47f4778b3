//===- AccurateF64Forms.cpp - accurate f64 sigmoid and softplus forms -----===//
//
// See AccurateF64Forms.h.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64Forms.h"
#include "Approx/AccurateF64.h"
#include "PairArgumentF64.h"
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
/// m * sigmoid(t) (silu, swish, quick_gelu, the tanh GELUs): m joins the
/// form's numerator, the product rounds once with it.
struct SigmoidProductF64 : public OpRewritePattern<arith::MulFOp> {
  SigmoidProductF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF64(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto sigmoid = mul->getOperand(i).getDefiningOp<SigmoidOp>();
      if (!sigmoid)
        continue;
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      rewriter.replaceOp(mul, approx::buildAccurateSigmoidProductF64(
                                  e, mul->getOperand(1 - i),
                                  evaluatePairF64(e, sigmoid.getOperand())));
      return success();
    }
    return failure();
  }
  bool avx512;
};

/// m * erfc(w) (the erf GELU's negative side, 0.5 x erfc(-x / sqrt(2))):
/// w as a pair (x / sqrt(2)'s rounding, amplified by 2 w^2 in erfc, was
/// 939 ULPs at x = -36), the product rounded once with erfc's 2^n.
struct ErfcProductF64 : public OpRewritePattern<arith::MulFOp> {
  ErfcProductF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF64(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      // Not an f32 kernel's widened erfc (act.wide: the wide cores' 2^-32).
      auto erfc = mul->getOperand(i).getDefiningOp<math::ErfcOp>();
      if (!erfc || erfc->hasAttr(kWideAttrName))
        continue;
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      rewriter.replaceOp(mul, approx::buildErfcProductOfPairF64(
                                  e, mul->getOperand(1 - i),
                                  evaluatePairF64(e, erfc.getOperand())));
      return success();
    }
    return failure();
  }
  bool avx512;
};

/// sigmoid(t) alone.
struct LoneSigmoidF64 : public OpRewritePattern<SigmoidOp> {
  LoneSigmoidF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(SigmoidOp sigmoid,
                                PatternRewriter &rewriter) const override {
    if (!isF64(sigmoid.getResult()))
      return failure();
    Emitter e(rewriter, sigmoid.getLoc(), sigmoid.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(sigmoid, approx::buildAccurateSigmoidProductF64(
                                    e, Value(),
                                    evaluatePairF64(e, sigmoid.getOperand())));
    return success();
  }
  bool avx512;
};

/// softplus(t) alone (softplus, logsigmoid = -softplus(-x)).
struct LoneSoftplusF64 : public OpRewritePattern<SoftplusOp> {
  LoneSoftplusF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(SoftplusOp softplus,
                                PatternRewriter &rewriter) const override {
    if (!isF64(softplus.getResult()))
      return failure();
    Emitter e(rewriter, softplus.getLoc(), softplus.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(softplus,
                       approx::buildAccurateSoftplusF64(
                           e, evaluatePairF64(e, softplus.getOperand())));
    return success();
  }
  bool avx512;
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
