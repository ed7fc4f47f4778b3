//===- GeluGradForm.cpp - the fast erf GELU's gradient as one form --------===//
//
// act-autodiff's gelu'(x) after act-expand is
//
//   erfc(-z) * 0.5 + (t2 == 0 ? t2 : t2 * (x * 0.5)),
//   z = x / sqrt 2, t2 = exp(-(z * z)) * k1 * k2  (k1 k2 = sqrt(2 / pi)),
//
// Phi(x) + x phi(x), whose two terms cancel next to its zero at x = -0.7518
// (427925 ULP over all 2^32 inputs in fast mode). With the erf GELU's table
// (16 x f32, AVX-512) the sum is rebuilt whole from D = G - t / sqrt(2 pi)
// (Approx/GeluF32.cpp, buildGeluGradTableF32): one exp, no erfc, no
// cancellation. Without the table (x86-64-v3) the sum is evaluated in f64
// with the f64 cores of act-expand's widening and rounded once, and within
// 1/16 of the zero as d q(d) with the series of FastGradRoots.def (the
// cores' 2^-32 of Phi would be 10^4 ULP where f' is ~1e-8): slower than
// the f32 sum, which was 9-22 ULP for x < -1 and 427925 next to the zero.
// Runs with the other gradient sums, before the products.
//===----------------------------------------------------------------------===//

#include "Approx/Approx.h"
#include "FastForms.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

/// The other operand of a product `mul` by `value`, if any.
static Value otherFactor(arith::MulFOp mul, Value value) {
  if (!mul)
    return Value();
  if (mul.getLhs() == value)
    return mul.getRhs();
  return mul.getRhs() == value ? mul.getLhs() : Value();
}

/// True when `v` is x * 0.5 (either order).
static bool isHalfOf(Value v, Value x) {
  Value other = otherFactor(v.getDefiningOp<arith::MulFOp>(), x);
  return other && getFloatConstant(other) == 0.5;
}

/// True when `t2` is exp(-(z * z)) * k1 * k2 with k1 k2 = sqrt(2 / pi)
/// (the exact constants, act.exact, or the f32 ones).
static bool isScaledGaussian(Value t2, Value z) {
  auto outer = t2.getDefiningOp<arith::MulFOp>();
  if (!outer)
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    auto inner = outer->getOperand(i).getDefiningOp<arith::MulFOp>();
    std::optional<double> k2 = getExactOperand(outer, 1 - i);
    if (!inner || !k2)
      continue;
    for (unsigned j = 0; j < 2; ++j) {
      auto exp = inner->getOperand(j).getDefiningOp<math::ExpOp>();
      std::optional<double> k1 = getExactOperand(inner, 1 - j);
      auto neg = exp ? exp.getOperand().getDefiningOp<arith::NegFOp>()
                     : arith::NegFOp();
      auto square = neg ? neg.getOperand().getDefiningOp<arith::MulFOp>()
                        : arith::MulFOp();
      if (!k1 || !square || square.getLhs() != z || square.getRhs() != z)
        continue;
      if (std::fabs(*k1 * *k2 - 0.7978845608028654) < 1e-7)
        return true;
    }
  }
  return false;
}

/// Phi(x) + x phi(x) in f64, rounded once to x's type (phi's 0 * inf kept
/// out as in the f32 sum), and next to the zero d q(d), d = x - x0 with
/// x - head exact (Sterbenz).
static Value buildWideGeluGrad(Emitter &e, Value x) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  Type type = x.getType();
  Type wideType = b.getF64Type();
  if (auto vector = dyn_cast<VectorType>(type))
    wideType = vector.clone(wideType);
  Emitter w(b, loc, wideType);
  Value wide = arith::ExtFOp::create(b, loc, wideType, x);
  Value z = w.mul(wide, w.c(M_SQRT1_2));
  Value phi = w.mul(approx::buildWideExp(w, w.neg(w.mul(z, z))),
                    w.c(0.3989422804014327));
  Value cdf = w.mul(approx::buildWideErfc(w, w.neg(z)), w.c(0.5));
  Value term = w.select(w.eq(phi, w.c(0.0)), phi, w.mul(phi, wide));
  Value sum = arith::TruncFOp::create(b, loc, type, w.add(cdf, term));
  const approx::GradRoot *root = nullptr;
  for (const approx::GradRoot &candidate : approx::getGradRoots())
    if (StringRef(candidate.name) == "gelu")
      root = &candidate;
  assert(root && "FastGradRoots.def has gelu's zero");
  Value dh = e.sub(x, e.c(root->head));
  Value dl = e.c(-root->tail);
  Value q = e.poly(e.add(dh, dl), root->series);
  return e.select(e.lt(e.abs(dh), e.c(root->delta)),
                  e.fma(dh, q, e.mul(dl, q)), sum);
}

namespace {
struct GeluGradSum : public OpRewritePattern<arith::AddFOp> {
  GeluGradSum(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx, /*benefit=*/2), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    if (!getElementTypeOrSelf(add.getType()).isF32())
      return failure();
    Emitter e(rewriter, add.getLoc(), add.getType());
    e.setAVX512(avx512);
    for (unsigned i = 0; i < 2; ++i) {
      // erfc(w) * 0.5 with w = -(x / sqrt 2).
      auto half = add->getOperand(i).getDefiningOp<arith::MulFOp>();
      math::ErfcOp erfc;
      for (unsigned j = 0; half && j < 2 && !erfc; ++j)
        if (getFloatConstant(half->getOperand(1 - j)) == 0.5)
          erfc = half->getOperand(j).getDefiningOp<math::ErfcOp>();
      Value x = erfc ? approx::getGeluArgument(erfc.getOperand()) : Value();
      if (!x)
        continue;
      Value z = erfc.getOperand().getDefiningOp<arith::NegFOp>().getOperand();
      // t2 == 0 ? t2 : t2 * (x * 0.5) (the select keeps 0 * inf out).
      auto select = add->getOperand(1 - i).getDefiningOp<arith::SelectOp>();
      Value t2 = select ? select.getTrueValue() : Value();
      Value m = select ? otherFactor(select.getFalseValue()
                                         .getDefiningOp<arith::MulFOp>(),
                                     t2)
                       : Value();
      if (!m || !isHalfOf(m, x) || !isScaledGaussian(t2, z))
        continue;
      rewriter.replaceOp(add, approx::hasGeluTable(e)
                                  ? approx::buildGeluGradTableF32(e, x)
                                  : buildWideGeluGrad(e, x));
      return success();
    }
    return failure();
  }
  bool avx512;
};
} // namespace

void mlir::act::populateFastGeluGradPatterns(RewritePatternSet &patterns,
                                             bool avx512) {
  patterns.add<GeluGradSum>(patterns.getContext(), avx512);
}
