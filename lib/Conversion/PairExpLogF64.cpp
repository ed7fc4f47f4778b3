//===- PairExpLogF64.cpp - act.exp_pair and act.log1p_pair ----------------===//
//-----------------===//
//
// See PairExpLogF64.h.
//
//===----------------------------------------------------------------------===//

#include "PairExpLogF64.h"
#include "Approx/AccurateF64.h"
#include "actc/Dialect/Act/ActOps.h"

#include <type_traits>

using namespace mlir;
using namespace mlir::act;

namespace {
/// One pair op, replaced by `build` of its operands as a pair.
template <typename OpTy> struct PairOpF64 : public OpRewritePattern<OpTy> {
  using Builder = approx::Pair (*)(approx::Emitter &, approx::Pair);
  PairOpF64(MLIRContext *ctx, Builder build, bool avx512)
      : OpRewritePattern<OpTy>(ctx), build(build), avx512(avx512) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    approx::Emitter e(rewriter, op.getLoc(), op.getHi().getType());
    e.setAVX512(avx512);
    approx::Pair x{op.getHi(), op.getLo()};
    if (std::is_same_v<OpTy, ExpPairOp> && op.getResultLo().use_empty()) {
      // Only the rounded exp is read (softmax's output): rounded once,
      // subnormal results too, no low part.
      rewriter.replaceOp(
          op, ValueRange{approx::buildExpOfPairRoundedF64(e, x), e.c(0.0)});
      return success();
    }
    approx::Pair y = build(e, x);
    rewriter.replaceOp(op, ValueRange{y.hi, y.lo});
    return success();
  }

  Builder build;
  bool avx512;
};
} // namespace

void mlir::act::populatePairExpLogF64Patterns(RewritePatternSet &patterns,
                                              bool avx512) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<PairOpF64<ExpPairOp>>(ctx, approx::buildExpPairF64, avx512);
  patterns.add<PairOpF64<Log1pPairOp>>(ctx, approx::buildLog1pOfPairF64,
                                       avx512);
}
