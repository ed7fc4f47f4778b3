//===- MathApprox.cpp - vectorizable transcendental functions -------------===//
//
// act-math-approx, in four steps:
//
//  1. f32 powf, rsqrt and fpowi are expanded into the functions approximated
//     below (pow = exp(y log x), rsqrt = 1 / sqrt);
//  2. our own branch-free approximations (lib/Conversion/Approx/): f32 exp,
//     exp2, expm1, log, log1p and tanh in f32 arithmetic (`precision=fast`:
//     cheaper variants), f32 erf, erfc and log2 through f64 cores (fast:
//     erf and erfc in f32), and the f64 ops act-expand widened from f32
//     (marked `act.wide`) with the f64 cores accurate to 2^-32 that a
//     result rounded to f32 needs. With `precision=fast`, first the f32
//     composed forms of FastForms.h: act-expand leaves f32 act.sigmoid and
//     act.softplus whole there, and m * sigmoid(t), mish, m * erfc(w) and
//     x - tanh(x) are rewritten as one product each; sin and cos of f32
//     and f64 (any f64, not only widened ones) with exact range reduction
//     (Approx/SinCosF32.cpp, Approx/SinCosF64.cpp; the f64 one reads a
//     table of 2/pi that the pass declares as a private memref.global);
//  3. what is left of f32 (atan, ...) becomes upstream MLIR's
//     polynomial approximations (`populateMathPolynomialApproximationPatterns`;
//     f16 and bf16 are computed in f32 by `populateMathF32ExpansionPatterns`);
//     f64 exp, exp2, expm1, log, log1p, tanh, erf and erfc of the f64 kernels
//     (not widened) are ours too (Approx/ExpLogF64.cpp, ErfF64.cpp, 1 ULP
//     of f64), so their loops stay vector code, and so are the f64 row
//     kernels' act.exp_pair and act.log1p_pair (PairExpLogF64.h);
//  4. what remains and LLVM cannot lower to an instruction or an accurate
//     libm call by itself (f64 log2, atan, pow, ...; math-to-llvm would turn
//     expm1 and log1p into exp(x) - 1 and log(1 + x)) becomes libm
//     calls (`populateMathToLibmConversionPatterns`, which scalarizes
//     vectors). `libm=false` (the GPU target) leaves them to libdevice.
//
// Steps 1 and 4 touch only the ops they are meant for: upstream's expansion
// and libm patterns would otherwise also rewrite f64 ops and the abs, floor
// and fma the approximations are built of.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32Forms.h"
#include "AccurateF64Forms.h"
#include "AccurateF64GradForms.h"
#include "Approx/AccurateF32Rational.h"
#include "Approx/Approx.h"
#include "FastForms.h"
#include "PairExpLogF64.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
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
  return isa<math::PowFOp, math::RsqrtOp, math::FPowIOp>(op) && isF32Op(op);
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
using F32Builder = Value (*)(approx::Emitter &, Value, bool);
using WideBuilder = Value (*)(approx::Emitter &, Value);

/// The builders of one unary math op: in f32 arithmetic, as an f64 core
/// (for widened f64 ops, and for f32 where `f32` is null), and for the
/// other f64 ops (the f64 kernels': 1 ULP of f64; null: libm).
struct Builders {
  F32Builder f32;
  WideBuilder wide;
  WideBuilder f64 = nullptr;
  /// For an f64 op marked act.wide_precise (exp only).
  WideBuilder widePrecise = nullptr;
};

/// log2 and exp2 as f64 cores, from log and exp.
Value buildWideLog2(approx::Emitter &e, Value x) {
  return e.mul(approx::buildWideLog(e, x), e.c(1.4426950408889634));
}
Value buildWideExp2(approx::Emitter &e, Value x) {
  return approx::buildWideExp(e, e.mul(x, e.c(0.6931471805599453)));
}

/// Replaces a unary f32 math op, or an f64 one marked `act.wide`, with our
/// approximation.
template <typename OpTy> struct ApproxPattern : public OpRewritePattern<OpTy> {
  ApproxPattern(MLIRContext *ctx, Builders builders, bool fast, bool avx512)
      : OpRewritePattern<OpTy>(ctx, /*benefit=*/2), builders(builders),
        fast(fast), avx512(avx512) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    Type element = getElementTypeOrSelf(type);
    Location loc = op.getLoc();
    Value x = op->getOperand(0);
    if (element.isF64() && op->hasAttr(kWidePreciseAttrName) &&
        builders.widePrecise) {
      approx::Emitter e(rewriter, loc, type);
      rewriter.replaceOp(op, builders.widePrecise(e, x));
      return success();
    }
    if (element.isF64() && op->hasAttr(kWideAttrName) && builders.wide) {
      approx::Emitter e(rewriter, loc, type);
      rewriter.replaceOp(op, builders.wide(e, x));
      return success();
    }
    if (element.isF64() && !op->hasAttr(kWideAttrName) && builders.f64) {
      approx::Emitter e(rewriter, loc, type);
      rewriter.replaceOp(op, builders.f64(e, x));
      return success();
    }
    if (!element.isF32())
      return failure();
    if (builders.f32) {
      approx::Emitter e(rewriter, loc, type);
      e.setAVX512(avx512);
      rewriter.replaceOp(op, builders.f32(e, x, fast));
      return success();
    }
    if (!builders.wide)
      return failure();
    // Through f64, rounded once.
    Type wideType = rewriter.getF64Type();
    if (auto vector = dyn_cast<VectorType>(type))
      wideType = vector.clone(wideType);
    approx::Emitter e(rewriter, loc, wideType);
    Value wide = arith::ExtFOp::create(rewriter, loc, wideType, x);
    rewriter.replaceOpWithNewOp<arith::TruncFOp>(op, type,
                                                 builders.wide(e, wide));
    return success();
  }

  Builders builders;
  bool fast, avx512;
};

/// exp(a - b) in an f64 kernel (not act.wide: those subtract exactly in
/// f64), both precisions: the difference as a pair (ExpLogF64.cpp). f64
/// softmax was 130 ULP on rows spanning 200.
struct ExpOfDifferenceF64 : public OpRewritePattern<math::ExpOp> {
  ExpOfDifferenceF64(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/3) {}
  LogicalResult matchAndRewrite(math::ExpOp op,
                                PatternRewriter &rewriter) const override {
    auto sub = op.getOperand().getDefiningOp<arith::SubFOp>();
    if (!sub || !getElementTypeOrSelf(op.getType()).isF64() ||
        op->hasAttr(kWideAttrName) || op->hasAttr(kWidePreciseAttrName))
      return failure();
    approx::Emitter e(rewriter, op.getLoc(), op.getType());
    rewriter.replaceOp(op, approx::buildExpOfDifferenceF64(e, sub.getLhs(),
                                                           sub.getRhs(), sub));
    return success();
  }
};

/// sin and cos, both precisions: f32 through f64 with the exact chunk
/// reduction of SinCosF32.cpp, rounded once; f64 with SinCosF64.cpp's
/// (its table declared by the pass beforehand).
template <typename OpTy> struct SinCosPattern : public OpRewritePattern<OpTy> {
  SinCosPattern(MLIRContext *ctx, bool cosine)
      : OpRewritePattern<OpTy>(ctx, /*benefit=*/2), cosine(cosine) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    Location loc = op.getLoc();
    if (getElementTypeOrSelf(type).isF64()) {
      approx::Emitter e(rewriter, loc, type);
      rewriter.replaceOp(op,
                         approx::buildSinCosF64(e, op.getOperand(), cosine));
      return success();
    }
    if (!getElementTypeOrSelf(type).isF32())
      return failure();
    Type wideType = rewriter.getF64Type();
    if (auto vector = dyn_cast<VectorType>(type))
      wideType = vector.clone(wideType);
    approx::Emitter e(rewriter, loc, wideType);
    Value wide =
        arith::ExtFOp::create(rewriter, loc, wideType, op.getOperand());
    rewriter.replaceOpWithNewOp<arith::TruncFOp>(
        op, type, approx::buildSinCosOfF32(e, wide, cosine));
    return success();
  }

  bool cosine;
};

/// The ops of step 2 (for upstream's filter of step 3).
bool isOurs(StringRef name) {
  return llvm::is_contained(
      {math::ExpOp::getOperationName(), math::Exp2Op::getOperationName(),
       math::ExpM1Op::getOperationName(), math::LogOp::getOperationName(),
       math::Log2Op::getOperationName(), math::Log1pOp::getOperationName(),
       math::TanhOp::getOperationName(), math::ErfOp::getOperationName(),
       math::ErfcOp::getOperationName(), math::SinOp::getOperationName(),
       math::CosOp::getOperationName()},
      name);
}

void populateApproxPatterns(RewritePatternSet &patterns, bool fast,
                            bool avx512) {
  MLIRContext *ctx = patterns.getContext();
  using namespace approx;
  patterns.add<ApproxPattern<math::ExpOp>>(
      ctx,
      Builders{buildExpF32, buildWideExp, buildExpF64, buildWidePreciseExp},
      fast, avx512);
  patterns.add<ApproxPattern<math::Exp2Op>>(
      ctx, Builders{buildExp2F32, buildWideExp2, buildExp2F64}, fast, avx512);
  patterns.add<ApproxPattern<math::ExpM1Op>>(
      ctx, Builders{buildExpm1F32, buildWideExpm1, buildExpm1F64}, fast,
      avx512);
  patterns.add<ApproxPattern<math::LogOp>>(
      ctx, Builders{buildLogF32, buildWideLog, buildLogF64}, fast, avx512);
  patterns.add<ApproxPattern<math::Log2Op>>(
      ctx, Builders{nullptr, buildWideLog2}, fast, avx512);
  patterns.add<ApproxPattern<math::Log1pOp>>(
      ctx, Builders{buildLog1pF32, buildWideLog1p, buildLog1pF64}, fast,
      avx512);
  patterns.add<ApproxPattern<math::TanhOp>>(
      ctx, Builders{buildTanhF32, buildWideTanh, buildTanhF64}, fast, avx512);
  patterns.add<ApproxPattern<math::ErfOp>>(
      ctx, Builders{nullptr, buildWideErf, buildErfF64}, fast, avx512);
  patterns.add<ApproxPattern<math::ErfcOp>>(
      ctx, Builders{nullptr, buildWideErfc, buildErfcF64}, fast, avx512);
  patterns.add<ExpOfDifferenceF64>(ctx);
  patterns.add<SinCosPattern<math::SinOp>>(ctx, /*cosine=*/false);
  patterns.add<SinCosPattern<math::CosOp>>(ctx, /*cosine=*/true);
}

struct ActMathApproxPass
    : public act::impl::ActMathApproxBase<ActMathApproxPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (precision != "accurate" && precision != "fast") {
      module.emitError("act-math-approx: unknown precision '")
          << precision << "' (expected accurate or fast)";
      return signalPassFailure();
    }
    bool fast = precision == "fast";

    // 1. f32 functions in terms of those approximated below.
    SmallVector<Operation *> toExpand;
    module.walk([&](Operation *op) {
      if (needsF32Expansion(op))
        toExpand.push_back(op);
    });
    RewritePatternSet expansions(ctx);
    math::populateExpansionPatterns(expansions, {"powf", "rsqrt", "fpowi"});
    if (failed(applyToOps(toExpand, std::move(expansions))))
      return signalPassFailure();

    // 2. The f32 products act-expand left whole (fast), before their
    // factors are rewritten alone; first the derivatives' sums that would
    // cancel next to a zero of f' (they read sigmoid(t) sigmoid(-t)).
    if (fast) {
      RewritePatternSet sums(ctx);
      populateFastGradSumPatterns(sums, avx512);
      populateFastGeluGradPatterns(sums, avx512);
      if (failed(applyPatternsGreedily(module, std::move(sums))))
        return signalPassFailure();
      RewritePatternSet products(ctx);
      populateFastProductPatterns(products, avx512);
      populateFastRationalPatterns(products);
      if (failed(applyPatternsGreedily(module, std::move(products))))
        return signalPassFailure();
    } else {
      // precision=accurate: the erf GELU's gradient sum where act-expand
      // kept it (before its erfc product could be taken alone), then the
      // f32 sigmoid forms act-expand kept whole, then the f64 gradients'
      // forms (before the f64 forms, which would take a sigmoid' product
      // as m * sigmoid(t)).
      RewritePatternSet sums(ctx);
      populateAccurateGeluGradPatterns(sums, avx512);
      if (failed(applyPatternsGreedily(module, std::move(sums))) ||
          failed(applyAccurateF32Forms(module, avx512)) ||
          failed(applyAccurateF64GradForms(module, avx512)) ||
          failed(applyAccurateF64Forms(module, avx512)))
        return signalPassFailure();
    }

    // f64 sin and cos read a table of 2/pi.
    bool needsTable = false;
    module.walk([&](Operation *op) {
      if (isa<math::SinOp, math::CosOp>(op) &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF64())
        needsTable = true;
    });
    if (needsTable)
      approx::declareTwoOverPiTable(module);

    // 2 and 3. Ours, then upstream's polynomials for the other f32 ops
    // (rsqrt's needs AVX2 intrinsics: not used).
    auto upstream = [](StringRef name) {
      return name != math::RsqrtOp::getOperationName() && !isOurs(name);
    };
    RewritePatternSet approximations(ctx);
    populateFastLonePatterns(approximations, fast, avx512);
    populateApproxPatterns(approximations, fast, avx512);
    populatePairExpLogF64Patterns(approximations, avx512);
    populateMathF32ExpansionPatterns(approximations, upstream);
    populateMathPolynomialApproximationPatterns(approximations, upstream);
    if (failed(applyPatternsGreedily(module, std::move(approximations))))
      return signalPassFailure();

    // 3b. fast: the products by a constant f32 rounds that the forms above
    // left, rounded once from about the exact product, and the divisions
    // by a constant, as products by its reciprocal.
    if (fast) {
      RewritePatternSet exactProducts(ctx);
      populateFastExactProductPatterns(exactProducts);
      if (failed(applyPatternsGreedily(module, std::move(exactProducts))))
        return signalPassFailure();
    }

    // 4. libm calls for the rest (not for the GPU: libdevice has them).
    SmallVector<Operation *> toLibm;
    module.walk([&](Operation *op) {
      if (libm && isa<math::MathDialect>(op->getDialect()) &&
          !isNativeInLLVM(op))
        toLibm.push_back(op);
    });
    RewritePatternSet libm(ctx);
    populateMathToLibmConversionPatterns(libm);
    if (failed(applyToOps(toLibm, std::move(libm))))
      return signalPassFailure();
    module.walk([](Operation *op) {
      op->removeAttr(kWideAttrName);
      op->removeAttr(kWidePreciseAttrName);
      op->removeAttr(kExactAttrName);
      op->removeAttr(kLeafAttrName);
      op->removeAttr(kColumnSumAttrName);
    });
  }
};
} // namespace
