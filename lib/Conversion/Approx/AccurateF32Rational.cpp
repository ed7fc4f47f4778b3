//===- AccurateF32Rational.cpp - rational activations in f32 --------------===//
//
// See AccurateF32Rational.h and RationalForms.h. Each form is rounded about
// once (0.5 ULP plus terms near 2^-22 ULP):
//
//  - a + x with |x| <= |a| (clamped or guarded x) is the exact pair h + l
//    by Fast2Sum; (x + 1.5 in hard_swish' is exact by Fast2Sum for |x| <= 3
//    too: Sterbenz below -0.75, equal exponents or an exact h - 1.5 above);
//  - (h + l) / k for k = 3, 6: q = h RN(1/k) is within an ULP of h / k, so
//    the remainder h - k q is exact by one FMA; q + (rem + l) RN(1/k) by one
//    more FMA rounds the quotient once (the correction's own errors are
//    2^-23 of a term below an ULP);
//  - 1 / (h + l) for softsign: r = RN(1 / h), 1 - r h exact by FMA, the
//    residual with l, so 1 / d = r + rl to about 2^-46; x / d =
//    fma(x, r, x rl) and 1 / d^2 = fma(r, r, 2 r rl) round once, subnormal
//    results included (the FMA holds r^2 exactly).
//
// Guards: hard_sigmoid clamps x to [-3, 3] first, softsign |x| to 2^32
// (softsign(+-2^32) rounds to +-1 = sign(+-inf)) and its gradient |x| to
// 2^80 (1 / (1 + 2^80)^2 rounds to 0 = f'(+-inf)), NaN kept (x > c ? c : x,
// one vminps); hard_swish and its gradient keep their selects on x (the
// forward's x > 3 as min(x, 3), where the form gives x exactly), so the
// prelude's decisions at the kinks (x compared with +-3, never x + 3 with
// 0 or 6) stay as they were.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32Rational.h"
#include "../DyProduct.h"
#include "AccurateF32.h"
#include "Emitter.h"
#include "actc/Dialect/Act/OperandValues.h"
#include "actc/Dialect/Act/RationalForms.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;
using approx::Pair;

/// x clamped to [lo, hi], a NaN kept (selects that become vmaxps/vminps).
static Value clampKeepNaN(Emitter &e, Value x, double lo, double hi) {
  Value h = e.c(hi), l = e.c(lo);
  Value t = e.select(e.gt(x, h), h, x);
  return e.select(e.lt(t, l), l, t);
}

/// (h + l) / k rounded about once, for a constant k (3 or 6) whose
/// quotients stay normal here.
static Value divideByConstant(Emitter &e, Pair n, double k) {
  Value r = e.c((float)(1.0 / k));
  Value q = e.mul(n.hi, r);
  Value rem = e.fma(q, e.c(-k), n.hi);
  return e.fma(e.add(rem, n.lo), r, q);
}

/// a + x as an exact pair, |x| <= |a| (Fast2Sum).
static Pair addConstant(Emitter &e, double a, Value x) {
  Value c = e.c(a);
  Value h = e.add(x, c);
  return {h, e.sub(x, e.sub(h, c))};
}

/// 1 + a (a >= 0 or NaN) as an exact pair, then its reciprocal r + rl.
static Pair reciprocalOfOnePlus(Emitter &e, Value a) {
  Value one = e.c(1.0);
  // A NaN a stays in `small` (a > 1 is false).
  Value above = e.gt(a, one);
  Value big = e.select(above, a, one);
  Value small = e.select(above, one, a);
  Value dh = e.add(big, small);
  Value dl = e.sub(small, e.sub(dh, big));
  Value r = e.div(one, dh);
  Value residual = e.fma(e.neg(r), dh, one);
  residual = e.fma(e.neg(r), dl, residual);
  return {r, e.mul(residual, r)};
}

static Value buildHardSigmoid(Emitter &e, Value x) {
  return divideByConstant(e, addConstant(e, 3.0, clampKeepNaN(e, x, -3, 3)),
                          6.0);
}

/// x < -3 ? 0 : (x > 3 ? hi : middle), as x > 3 ? hi : (x < -3 ? 0 :
/// middle) (the same: the tests exclude each other), so that the zero
/// becomes the masked form of middle's last op with AVX-512 (one op less).
static Value guardHardSwish(Emitter &e, Value x, Value hi, Value middle) {
  return e.select(e.gt(x, e.c(3.0)), hi,
                  e.select(e.lt(x, e.c(-3.0)), e.c(0.0), middle));
}

/// x (x + 3) / 6 = x u, u = (x + 3) / 6 as the pair uh + ul: one FMA.
/// x > 3 needs no select: u is computed at xc = min(x, 3), where uh = 1
/// and ul = 0 exactly, and fma(x, uh, xc ul) = x (+inf too).
static Value buildHardSwish(Emitter &e, Value x) {
  Value three = e.c(3.0);
  Value xc = e.select(e.gt(x, three), three, x);
  Pair s = addConstant(e, 3.0, xc);
  Value r = e.c((float)(1.0 / 6.0));
  Value uh = e.mul(s.hi, r);
  Value rem = e.add(e.fma(uh, e.c(-6.0), s.hi), s.lo);
  Value ul = e.mul(rem, r);
  Value y = e.fma(x, uh, e.mul(xc, ul));
  return e.select(e.lt(x, e.c(-3.0)), e.c(0.0), y);
}

/// (2x + 3) / 6 = (x + 1.5) / 3. With `dy` (the kernel's dx = dy f'),
/// dy (x + 1.5) / 3 = dy (q + (rem + l) RN(1/3)) rounded once, and dy, dy 0
/// on the sides.
static Value buildHardSwishGrad(Emitter &e, Value x, Value dy) {
  if (!dy)
    return guardHardSwish(e, x, e.c(1.0),
                          divideByConstant(e, addConstant(e, 1.5, x), 3.0));
  Pair n = addConstant(e, 1.5, x);
  Value r = e.c((float)(1.0 / 3.0));
  Value q = e.mul(n.hi, r);
  Value rem = e.fma(q, e.c(-3.0), n.hi);
  Value middle =
      approx::buildProductByPairF32(e, dy, {q, e.mul(e.add(rem, n.lo), r)});
  return e.select(e.gt(x, e.c(3.0)), dy,
                  e.select(e.lt(x, e.c(-3.0)), e.mul(dy, e.c(0.0)), middle));
}

static Value buildSoftsign(Emitter &e, Value x) {
  Value xc = clampKeepNaN(e, x, -0x1p32, 0x1p32);
  Pair r = reciprocalOfOnePlus(e, e.abs(xc));
  return e.fma(xc, r.hi, e.mul(xc, r.lo));
}

/// 1 / d^2 = r^2 + 2 r rl; with `dy`, dy r = a + al exactly (one FMA)
/// and dy / d^2 = fma(a, r, al r + 2 a rl) rounded once (the low part
/// dropped where dy = +-inf or +-0: dropLowForSpecialDy).
static Value buildSoftsignGrad(Emitter &e, Value x, Value dy) {
  Value a = e.abs(x);
  Value limit = e.c(0x1p80);
  Pair r = reciprocalOfOnePlus(e, e.select(e.gt(a, limit), limit, a));
  if (!dy)
    return e.fma(r.hi, r.hi, e.mul(e.add(r.hi, r.hi), r.lo));
  Pair p = e.twoProd(dy, r.hi);
  Value low = e.fma(p.lo, r.hi, e.mul(e.add(p.hi, p.hi), r.lo));
  return e.fma(p.hi, r.hi, approx::dropLowForSpecialDy(e, dy, low));
}

/// The select tree of constants k_i as the select tree of RN(k_i / c).
static Value buildConstantQuotient(Emitter &e, Value tree, double c) {
  if (std::optional<double> k = getFloatConstant(tree))
    return e.c((float)(*k / c));
  auto select = tree.getDefiningOp<arith::SelectOp>();
  return e.select(select.getCondition(),
                  buildConstantQuotient(e, select.getTrueValue(), c),
                  buildConstantQuotient(e, select.getFalseValue(), c));
}

static Value buildForm(Emitter &e, const RationalForm &form, Operation *root,
                       Value dy) {
  switch (form.kind) {
  case RationalKind::HardSigmoid:
    return buildHardSigmoid(e, form.x);
  case RationalKind::HardSwish:
    return buildHardSwish(e, form.x);
  case RationalKind::HardSwishGrad:
    return buildHardSwishGrad(e, form.x, dy);
  case RationalKind::Softsign:
    return buildSoftsign(e, form.x);
  case RationalKind::SoftsignGrad:
    return buildSoftsignGrad(e, form.x, dy);
  case RationalKind::ConstantQuotient:
    return buildConstantQuotient(e, root->getOperand(0),
                                 *getFloatConstant(root->getOperand(1)));
  }
  llvm_unreachable("unknown rational form");
}

namespace {
/// The root of a form (a division or a select): replaced by the form.
template <typename OpTy>
struct RationalRoot : public OpRewritePattern<OpTy> {
  RationalRoot(MLIRContext *ctx, bool foldDy)
      : OpRewritePattern<OpTy>(ctx), foldDy(foldDy) {}
  bool foldDy;
  LogicalResult matchAndRewrite(OpTy root,
                                PatternRewriter &rewriter) const override {
    std::optional<RationalForm> form = matchRationalForm(root);
    if (!form)
      return failure();
    // The gradients whose f' is a pair take the kernel's dy product in
    // (DyProduct.h): dy f' rounded once.
    std::optional<DyProduct> dy;
    if (foldDy && (form->kind == RationalKind::HardSwishGrad ||
                   form->kind == RationalKind::SoftsignGrad))
      dy = findDyProduct(root.getResult());
    if (dy)
      rewriter.setInsertionPoint(dy->mul);
    Emitter e(rewriter, root.getLoc(), root.getType());
    Value result = buildForm(e, *form, root, dy ? dy->dy : Value());
    if (dy)
      replaceDyProduct(rewriter, e, *dy, result);
    else
      rewriter.replaceOp(root, result);
    return success();
  }
};
} // namespace

/// precision=fast hard_swish: min(x (x + 3) / 6, max(x, 0)), two ops in
/// place of two compares and two masked ops. The same function: x (x + 3)
/// / 6 - x = x (x - 3) / 6 is >= 0 for x >= 3 and <= 0 on [0, 3], and
/// x (x + 3) / 6 is > 0 below -3 and <= 0 on [-3, 0]. Where the rounded
/// product crosses x (next to 3) either side is within its rounding of the
/// exact value. Each select is one vmaxps / vminps whose NaN operand comes
/// second, so NaN propagates; -0 and +-inf come out as the prelude's.
static Value buildFastHardSwish(Emitter &e, Value x, Value middle) {
  Value zero = e.c(0.0);
  Value positive = e.select(e.lt(x, zero), zero, x);
  return e.select(e.lt(positive, middle), positive, middle);
}

namespace {
/// precision=fast: hard_swish as buildFastHardSwish; its gradient's
/// x < -3 ? 0 : (x > 3 ? 1 : middle) as x > 3 ? 1 : (x < -3 ? 0 : middle),
/// so the zero is the masked form of middle's last op with AVX-512. middle
/// is untouched (act-math-approx's step 3b makes its division by 6 a
/// product by RN(1/6), as before).
struct FastHardSwishGuards : public OpRewritePattern<arith::SelectOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::SelectOp root,
                                PatternRewriter &rewriter) const override {
    std::optional<RationalForm> form = matchRationalForm(root);
    if (!form || (form->kind != RationalKind::HardSwish &&
                  form->kind != RationalKind::HardSwishGrad))
      return failure();
    auto inner = root.getFalseValue().getDefiningOp<arith::SelectOp>();
    Emitter e(rewriter, root.getLoc(), root.getType());
    if (form->kind == RationalKind::HardSwish) {
      rewriter.replaceOp(root,
                         buildFastHardSwish(e, form->x, inner.getFalseValue()));
      return success();
    }
    rewriter.replaceOp(root, guardHardSwish(e, form->x, inner.getTrueValue(),
                                            inner.getFalseValue()));
    return success();
  }
};
} // namespace

void mlir::act::populateFastRationalPatterns(RewritePatternSet &patterns) {
  patterns.add<FastHardSwishGuards>(patterns.getContext());
}

void mlir::act::populateAccurateRationalPatterns(RewritePatternSet &patterns,
                                                 bool foldDy) {
  patterns.add<RationalRoot<arith::DivFOp>, RationalRoot<arith::SelectOp>>(
      patterns.getContext(), foldDy);
}
