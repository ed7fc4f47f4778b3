//===- TanhF32.cpp - tanh in f32 ------------------------------------------===//
//
// tanh(|x|) = (1 - E) / (1 + E), E = exp(-2|x|) from the exp core as a pair;
// 1 - E and 1 + E are formed exactly as pairs and divided with one
// reciprocal and a residual step, so no separate polynomial is needed near
// 0 (E's pair keeps 1 - E's relative accuracy). |x| >= 10 gives 1;
// |x| < 2^-13 gives x (x^3/3 is below half an ULP), which also keeps -0.
// fast: x + x^3 P(x^2) below 0.5625, (1 - E) / (1 + E) with E from the
// fast exp core above (one plain division), chosen by a select.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

/// fast: (tanh(a) / a - 1) / a^2 in a^2 on [0, 0.5625^2] (Chebyshev fit,
/// 5e-9 relative on tanh).
static constexpr double kTanhSmall = 0.5625;
static constexpr double kTanhP4[] = {
    -0.3333333169526055, 0.1333307381350117, -0.053901753164581234,
    0.021263353447151623, -0.006525572168998148};

Value mlir::act::approx::buildTanhF32(Emitter &e, Value x, bool fast) {
  Value a = e.min(e.abs(x), e.c(10.0));
  Value m2a = e.mul(a, e.c(-2.0));
  Value y;
  if (fast) {
    // |x| < 0.5625: x + x^3 P(x^2); above, (1 - E) / (1 + E) with E =
    // exp(-2|x|) = 2^n h from the exp core (1 - E >= 0.67: no cancellation).
    Value z = e.mul(a, a);
    Value small = e.fma(e.mul(z, a), e.poly(z, kTanhP4), a);
    ExpSplit s = buildExpSplitF32(e, m2a, Value(), /*fast=*/true);
    Value E = e.mul(s.h, e.pow2(s.n));
    Value one = e.c(1.0);
    Value large = e.div(e.sub(one, E), e.add(one, E));
    y = e.select(e.lt(a, e.c(kTanhSmall)), small, large);
  } else {
    Pair ex = buildExpPairF32(e, m2a);
    Pair num = e.twoSum(e.c(1.0), e.neg(ex.hi));
    num.lo = e.sub(num.lo, ex.lo);
    Pair den = e.fastTwoSum(e.c(1.0), ex.hi);
    den.lo = e.add(den.lo, ex.lo);
    y = e.divPair(num, den);
  }
  y = e.copySign(y, x);
  return e.select(e.lt(e.abs(x), e.c(0x1p-13)), x, y);
}

Pair mlir::act::approx::buildTanhPairF32(Emitter &e, Value x) {
  Value a = e.min(e.abs(x), e.c(10.0));
  Pair ex = buildExpPairF32(e, e.mul(a, e.c(-2.0)));
  Pair num = e.twoSum(e.c(1.0), e.neg(ex.hi));
  num.lo = e.sub(num.lo, ex.lo);
  Pair den = e.fastTwoSum(e.c(1.0), ex.hi);
  den.lo = e.add(den.lo, ex.lo);
  Pair y = e.divPairToPair(num, den);
  // tanh(10) rounds to 1 in f32 and in the pair's sum alike.
  Value big = e.ge(a, e.c(10.0));
  y.hi = e.select(big, e.c(1.0), y.hi);
  y.lo = e.select(big, e.c(0.0), y.lo);
  Value negative = e.lt(x, e.c(0.0));
  return {e.copySign(y.hi, x), e.select(negative, e.neg(y.lo), y.lo)};
}

Value mlir::act::approx::buildTanhShrinkF32(Emitter &e, Value x) {
  // A NaN x keeps its NaN through x - hi; +-inf - +-1 is +-inf.
  Pair t = buildTanhPairF32(e, x);
  return e.sub(e.sub(x, t.hi), t.lo);
}
