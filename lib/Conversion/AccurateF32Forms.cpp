//===- AccurateF32Forms.cpp - accurate f32 sigmoid and softplus forms -----===//
//
// See AccurateF32Forms.h. The argument t is the double-float its arithmetic
// gives (FastForms.h's evaluatePairF32), which act-expand's routing checked
// to be exact arithmetic of leaves; m is a leaf or a constant.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32Forms.h"
#include "Approx/AccurateF32.h"
#include "Approx/Approx.h"
#include "FastForms.h"
#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

static bool isF32(Value value) {
  return getElementTypeOrSelf(value.getType()).isF32();
}

namespace {
/// sigmoid(t) * sigmoid(-t) (sigmoid' after act-expand's 1 - sigmoid(t) ->
/// sigmoid(-t)), and m * sigmoid(t).
struct SigmoidProducts : public OpRewritePattern<arith::MulFOp> {
  SigmoidProducts(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF32(mul.getResult()))
      return failure();
    auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
    auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
    if (!a && !b)
      return failure();
    Emitter e(rewriter, mul.getLoc(), mul.getType());
    e.setAVX512(avx512);
    if (a && b) {
      for (auto [s, other] : {std::pair(a, b), std::pair(b, a)}) {
        auto neg = other.getOperand().getDefiningOp<arith::NegFOp>();
        if (neg && neg.getOperand() == s.getOperand()) {
          rewriter.replaceOp(mul, approx::buildAccurateSigmoidPrimeF32(
                                      e, evaluatePairF32(e, s.getOperand())));
          return success();
        }
      }
      return failure();
    }
    SigmoidOp s = a ? a : b;
    Value m = a ? mul.getRhs() : mul.getLhs();
    rewriter.replaceOp(mul, approx::buildAccurateSigmoidProductF32(
                                e, m, evaluatePairF32(e, s.getOperand())));
    return success();
  }
  bool avx512;
};

/// m * erfc(w) (the erf GELU, where act-expand routed it: AVX-512).
struct ErfcProducts : public OpRewritePattern<arith::MulFOp> {
  ErfcProducts(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF32(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto erfc = mul->getOperand(i).getDefiningOp<math::ErfcOp>();
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      if (!erfc || !approx::hasGeluTable(e))
        continue;
      rewriter.replaceOp(mul, approx::buildErfcProductTableF32(
                                  e, mul->getOperand(1 - i),
                                  evaluatePairF32(e, erfc.getOperand()),
                                  /*fast=*/false,
                                  approx::getGeluArgument(erfc.getOperand())));
      return success();
    }
    return failure();
  }
  bool avx512;
};

/// softplus(t) alone (softplus and logsigmoid forward).
struct LoneSoftplus : public OpRewritePattern<SoftplusOp> {
  LoneSoftplus(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(SoftplusOp softplus,
                                PatternRewriter &rewriter) const override {
    if (!isF32(softplus.getResult()))
      return failure();
    Emitter e(rewriter, softplus.getLoc(), softplus.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(softplus,
                       approx::buildAccurateSoftplusF32(
                           e, evaluatePairF32(e, softplus.getOperand())));
    return success();
  }
  bool avx512;
};

/// sigmoid(t) alone.
struct LoneSigmoid : public OpRewritePattern<SigmoidOp> {
  LoneSigmoid(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(SigmoidOp sigmoid,
                                PatternRewriter &rewriter) const override {
    if (!isF32(sigmoid.getResult()))
      return failure();
    Emitter e(rewriter, sigmoid.getLoc(), sigmoid.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(
        sigmoid, approx::buildAccurateSigmoidProductF32(
                     e, Value(), evaluatePairF32(e, sigmoid.getOperand())));
    return success();
  }
  bool avx512;
};
} // namespace

LogicalResult mlir::act::applyAccurateF32Forms(ModuleOp module, bool avx512) {
  MLIRContext *ctx = module.getContext();
  // The products first: their sigmoid factors must still be whole.
  RewritePatternSet products(ctx);
  products.add<SigmoidProducts, ErfcProducts>(ctx, avx512);
  if (failed(applyPatternsGreedily(module, std::move(products))))
    return failure();
  RewritePatternSet lone(ctx);
  lone.add<LoneSigmoid, LoneSoftplus>(ctx, avx512);
  return applyPatternsGreedily(module, std::move(lone));
}
