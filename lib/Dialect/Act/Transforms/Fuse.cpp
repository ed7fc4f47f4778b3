//===- Fuse.cpp - fuse layer graphs into the fused kernels ----------------===//
//
// act-fuse: in a graph of tensors (td/FusionOps.td), recognizes
//
//   f(a . b + bias)         -> act.fused_matmul      (NAME_matmul_T)
//   f(a . b + bias), z kept -> act.fused_matmul_aux  (NAME_matmul_aux_T)
//   f(x + bias)             -> act.fused_bias        (NAME_bias_T)
//   dy * f'(x + bias) and its column sum
//                           -> act.fused_bias_grad   (NAME_bias_grad_T)
//
// The single-root rules are declarative (td/Fusion.td); the two that replace
// two values at once are the C++ patterns below. `linalg.matmul` on tensors
// whose init is a fill with zero is read as act.matmul first, so a graph
// lowered to linalg by a framework fuses the same way.
//
// Each fused op names the one kernel act-bias-kernels / act-matmul-kernels
// build for the activation; this pass changes the graph only, never the
// activations.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTFUSE
#include "Act/Passes.h.inc"

/// act.fused_matmul @f(a, b) [bias(bias)] params(params); `bias` may be
/// null. Called by td/Fusion.td.
static Value buildFusedMatmul(OpBuilder &builder, Location loc,
                              FlatSymbolRefAttr activation, Value a, Value b,
                              Value bias, ValueRange params) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  auto type = RankedTensorType::get({aType.getDimSize(0), bType.getDimSize(1)},
                                    aType.getElementType());
  return FusedMatmulOp::create(builder, loc, type, activation, a, b, bias,
                               params);
}

namespace {
#include "Act/Fusion.inc"
} // namespace
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// linalg.matmul ins(%a, %b) outs(fill 0) on 2-D tensors -> act.matmul.
struct RaiseLinalgMatmul : public OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps() ||
        op.getInputs().size() != 2 || op.getResultTensors().size() != 1)
      return rewriter.notifyMatchFailure(op, "not a plain tensor matmul");
    auto fill = op.getOutputs().front().getDefiningOp<linalg::FillOp>();
    if (!fill || !matchPattern(fill.getInputs().front(), m_AnyZeroFloat()))
      return rewriter.notifyMatchFailure(op, "accumulates into a non-zero");
    Value a = op.getInputs()[0], b = op.getInputs()[1];
    Type result = op.getResultTensors().front().getType();
    auto elementType = cast<RankedTensorType>(result).getElementType();
    if (cast<RankedTensorType>(a.getType()).getElementType() != elementType ||
        cast<RankedTensorType>(b.getType()).getElementType() != elementType)
      return rewriter.notifyMatchFailure(op, "mixed element types");
    rewriter.replaceOpWithNewOp<MatmulOp>(op, result, a, b);
    return success();
  }
};

/// f(a . b [+ bias]) whose pre-activation z other ops read as well (the
/// backward pass): act.fused_matmul_aux, which also returns z.
struct FuseMatmulAux : public OpRewritePattern<ApplyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ApplyOp apply,
                                PatternRewriter &rewriter) const override {
    Value z = apply.getInput();
    if (z.hasOneUse())
      return rewriter.notifyMatchFailure(apply, "td/Fusion.td's case");
    Value bias;
    auto matmul = z.getDefiningOp<MatmulOp>();
    auto biasAdd = z.getDefiningOp<BiasAddOp>();
    if (biasAdd) {
      matmul = biasAdd.getInput().getDefiningOp<MatmulOp>();
      bias = biasAdd.getBias();
      if (!matmul || !matmul.getResult().hasOneUse())
        return rewriter.notifyMatchFailure(apply, "a . b is read elsewhere");
    }
    if (!matmul)
      return rewriter.notifyMatchFailure(apply, "not an epilogue of a matmul");
    // z is defined there, before any of its readers; so must be the
    // runtime parameters.
    Operation *at = biasAdd ? biasAdd.getOperation() : matmul.getOperation();
    DominanceInfo dominance(at->getParentOp());
    for (Value param : apply.getParams())
      if (!dominance.properlyDominates(param, at))
        return rewriter.notifyMatchFailure(apply, "parameters come after z");
    rewriter.setInsertionPoint(at);
    auto fused = FusedMatmulAuxOp::create(
        rewriter, apply.getLoc(), apply.getType(), z.getType(),
        apply.getActivationAttr(), matmul.getA(), matmul.getB(), bias,
        apply.getParams());
    rewriter.replaceOp(apply, fused.getResult());
    rewriter.replaceAllUsesWith(z, fused.getZ());
    if (biasAdd)
      rewriter.eraseOp(biasAdd);
    rewriter.eraseOp(matmul);
    return success();
  }
};

/// column_sum(dy * f'(z)) with z = x + bias (or any z): one pass that
/// stores dx and accumulates the column sums, act.fused_bias_grad. The
/// gradient's other readers get the fused dx.
struct FuseBiasGrad : public OpRewritePattern<ColumnSumOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ColumnSumOp sum,
                                PatternRewriter &rewriter) const override {
    auto grad = sum.getInput().getDefiningOp<ApplyGradOp>();
    if (!grad)
      return rewriter.notifyMatchFailure(sum, "not the sum of a gradient");
    // The bias add is folded in only when nothing else reads z: a forward
    // epilogue that does becomes act.fused_matmul_aux, whose z is read here
    // instead of being recomputed.
    Value input = grad.getInput(), bias;
    auto biasAdd = input.getDefiningOp<BiasAddOp>();
    if (biasAdd && input.hasOneUse()) {
      input = biasAdd.getInput();
      bias = biasAdd.getBias();
    }
    rewriter.setInsertionPoint(grad);
    auto fused = FusedBiasGradOp::create(
        rewriter, grad.getLoc(), grad.getType(), sum.getType(),
        grad.getActivationAttr(), input, grad.getDy(), bias, grad.getParams());
    rewriter.replaceOp(sum, fused.getDbias());
    rewriter.replaceOp(grad, fused.getDx());
    return success();
  }
};

} // namespace

void mlir::act::populateActFusePatterns(RewritePatternSet &patterns) {
  populateWithGenerated(patterns);
  patterns.add<RaiseLinalgMatmul, FuseMatmulAux, FuseBiasGrad>(
      patterns.getContext());
}

namespace {
struct ActFusePass : public act::impl::ActFuseBase<ActFusePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateActFusePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
