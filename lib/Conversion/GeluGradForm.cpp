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
// Runs with the other gradient sums, before the products. precision=accurate
// (where act-expand routed the f32 sum: AVX-512) takes the table form with
// D's d0 and d1 as pairs and the products as pairs, under 1 ULP.
//===----------------------------------------------------------------------===//

#include "Approx/Approx.h"
#include "DyProduct.h"
#include "FastForms.h"
#include "actc/Dialect/Act/GeluGradient.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

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
  return e.select(e.lt(e.abs(dh), e.c(root->delta)), e.fma(dh, q, e.mul(dl, q)),
                  sum);
}

namespace {
struct GeluGradSumForm : public OpRewritePattern<arith::AddFOp> {
  GeluGradSumForm(MLIRContext *ctx, bool avx512, bool fast)
      : OpRewritePattern(ctx, /*benefit=*/2), avx512(avx512), fast(fast) {}
  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    if (!getElementTypeOrSelf(add.getType()).isF32())
      return failure();
    std::optional<GeluGradSum> sum = matchGeluGradSum(add);
    if (!sum)
      return failure();
    Emitter e(rewriter, add.getLoc(), add.getType());
    e.setAVX512(avx512);
    // precision=accurate: only the table form (act-expand routes the f32
    // sum here only with it; anything else was widened).
    if (!fast && !approx::hasGeluTable(e))
      return failure();
    // precision=accurate, the sum read by one product dy * f' (through
    // the kernels' guards, selects of it against constants k and each
    // other: dy * (c ? f' : k) = c ? dy f' : dy k): that product is built
    // inside the form's last rounding (dy f' rounded once; twice, up to
    // ~1.5 ULP, with f' rounded first).
    if (!fast)
      if (std::optional<DyProduct> product =
              findDyProduct(add.getResult(), /*nested=*/true)) {
        rewriter.setInsertionPoint(product->mul);
        Emitter m(rewriter, product->mul.getLoc(), product->mul.getType());
        m.setAVX512(avx512);
        replaceDyProduct(rewriter, m, *product,
                         approx::buildGeluGradTableF32(m, sum->x,
                                                       /*fast=*/false,
                                                       product->dy));
        for (arith::SelectOp select : llvm::reverse(product->selects))
          rewriter.eraseOp(select);
        rewriter.eraseOp(add);
        return success();
      }
    rewriter.replaceOp(add, approx::hasGeluTable(e)
                                ? approx::buildGeluGradTableF32(e, sum->x, fast)
                                : buildWideGeluGrad(e, sum->x));
    return success();
  }
  bool avx512, fast;
};
} // namespace

void mlir::act::populateFastGeluGradPatterns(RewritePatternSet &patterns,
                                             bool avx512) {
  patterns.add<GeluGradSumForm>(patterns.getContext(), avx512, /*fast=*/true);
}

void mlir::act::populateAccurateGeluGradPatterns(RewritePatternSet &patterns,
                                                 bool avx512) {
  patterns.add<GeluGradSumForm>(patterns.getContext(), avx512,
                                /*fast=*/false);
}
