//===- MathApprox.cpp - vectorizable transcendental functions -------------===//
//
// act-math-approx, in three steps:
//
//  1. f32 powf, exp2, rsqrt and fpowi are expanded into the functions the
//     approximations cover (exp, log, sqrt);
//  2. f32 transcendentals (exp, expm1, log, log2, log1p, tanh, erf, erfc,
//     sin, cos, atan, ...) become upstream MLIR's branch-free polynomial
//     approximations (`populateMathPolynomialApproximationPatterns`; f16 and
//     bf16 are computed in f32 by `populateMathF32ExpansionPatterns`);
//  3. what remains and LLVM cannot lower to an instruction or an accurate
//     libm call by itself (f64 tanh, erf, erfc, expm1, log1p, atan, ... which
//     math-to-llvm would turn into exp(x) - 1 and log(1 + x)) becomes libm
//     calls (`populateMathToLibmConversionPatterns`, which scalarizes
//     vectors).
//
// Steps 1 and 3 touch only the ops they are meant for: upstream's expansion
// and libm patterns would otherwise also rewrite f64 ops and the abs, floor
// and fma the approximations are built of.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTMATHAPPROX
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// True when every operand of `op` has element type f32.
static bool isF32Op(Operation *op) {
  return op->getNumOperands() != 0 &&
         llvm::all_of(op->getOperandTypes(), [](Type type) {
           return getElementTypeOrSelf(type).isF32();
         });
}

/// The f32 ops step 1 expands.
static bool needsF32Expansion(Operation *op) {
  return isa<math::PowFOp, math::Exp2Op, math::RsqrtOp, math::FPowIOp>(op) &&
         isF32Op(op);
}

/// The math ops math-to-llvm lowers to an instruction or to an LLVM
/// intrinsic that the backend turns into an accurate libm call.
static bool isNativeInLLVM(Operation *op) {
  return isa<math::AbsFOp, math::AbsIOp, math::CeilOp, math::FloorOp,
             math::CopySignOp, math::FmaOp, math::SqrtOp, math::RsqrtOp,
             math::RoundOp, math::RoundEvenOp, math::TruncOp, math::ExpOp,
             math::Exp2Op, math::LogOp, math::Log2Op, math::Log10Op,
             math::PowFOp, math::FPowIOp, math::SinOp, math::CosOp,
             math::CountLeadingZerosOp, math::CountTrailingZerosOp,
             math::CtPopOp, math::IsNaNOp, math::IsInfOp, math::IsFiniteOp,
             math::IsNormalOp>(op);
}

/// Applies `patterns` to `ops` and to the ops they create.
static LogicalResult applyToOps(ArrayRef<Operation *> ops,
                                RewritePatternSet &&patterns) {
  if (ops.empty())
    return success();
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  return applyOpPatternsGreedily(ops, std::move(patterns), config);
}

namespace {
struct ActMathApproxPass
    : public act::impl::ActMathApproxBase<ActMathApproxPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // 1. f32 functions in terms of those approximated below.
    SmallVector<Operation *> toExpand;
    module.walk([&](Operation *op) {
      if (needsF32Expansion(op))
        toExpand.push_back(op);
    });
    RewritePatternSet expansions(ctx);
    math::populateExpansionPatterns(expansions,
                                    {"powf", "exp2", "rsqrt", "fpowi"});
    if (failed(applyToOps(toExpand, std::move(expansions))))
      return signalPassFailure();

    // 2. Polynomial approximations; each pattern only matches f32 (f16 and
    // bf16 through f32). rsqrt's needs AVX2 intrinsics: not used.
    auto approximated = [](StringRef name) {
      return name != math::RsqrtOp::getOperationName();
    };
    RewritePatternSet approximations(ctx);
    populateMathF32ExpansionPatterns(approximations, approximated);
    populateMathPolynomialApproximationPatterns(approximations, approximated);
    if (failed(applyPatternsGreedily(module, std::move(approximations))))
      return signalPassFailure();

    // 3. libm calls for the rest.
    SmallVector<Operation *> toLibm;
    module.walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) && !isNativeInLLVM(op))
        toLibm.push_back(op);
    });
    RewritePatternSet libm(ctx);
    populateMathToLibmConversionPatterns(libm);
    if (failed(applyToOps(toLibm, std::move(libm))))
      return signalPassFailure();
  }
};
} // namespace
