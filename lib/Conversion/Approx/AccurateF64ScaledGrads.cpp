//===- AccurateF64ScaledGrads.cpp - selu', softsign', tanh^2 in pairs ----===//
//
// Three f64 derivatives whose formulas round more than they need to:
//
//  - selu' = scale alpha exp(x) below 0: exp rounded, then two products by
//    constants (2.55 ULP); here exp(x) = 2^n (h + l) times the pair
//    scale alpha, rounded once, then 2^n;
//  - softsign' by the quotient rule, (1 - x / (1 + |x|) sign(x)) / (1 +
//    |x|): the difference cancels (~|x| / 2 ULP, 349 at |x| = 731); it is
//    1 / (1 + |x|)^2, here the pair (1 + |x|)^2 and one division with a
//    residual step;
//  - tanhshrink' = tanh(x)^2: tanh rounded, then squared (1.74 ULP); here
//    M^2 / (2 + M)^2 with M = expm1(-2|x|) as a pair (no cancellation:
//    2 + M is in [1, 2]).
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"
#include "AccurateF64Grad.h"

using namespace mlir;
using namespace mlir::act::approx;

Value mlir::act::approx::buildAccurateScaledExpF64(Emitter &e, Value x,
                                                   double khi, double klo) {
  // exp(710) overflows whatever k >= 2^-4; below -1400 the result is 0
  // (Emitter::scale's range); a NaN passes the clamp.
  Value clamped = e.clamp(x, -1400.0, 710.0);
  ExpOfPairF64 ex = buildExpOfPairF64(e, {clamped, e.c(0.0)});
  Pair k{e.c(khi), klo != 0 ? e.c(klo) : Value()};
  Pair p = e.productPair(ex.y, k);
  return e.scale(e.add(p.hi, p.lo), ex.n);
}

Value mlir::act::approx::buildAccurateSoftsignGradF64(Emitter &e, Value x) {
  // Above 2^600 the result is below 2^-1200 and rounds to 0; the clamp
  // keeps (1 + |x|)^2 finite (inf would make the residual inf * 0).
  Value a = e.min(e.abs(x), e.c(0x1p600));
  Pair d = e.twoSum(e.c(1.0), a);
  Pair square = e.productPair(d, d);
  return e.divPair({e.c(1.0), Value()}, square);
}

Value mlir::act::approx::buildAccurateTanhSquaredF64(Emitter &e, Value x) {
  // tanh(20)^2 rounds to 1; a NaN passes the clamp.
  Value a = e.min(e.abs(x), e.c(20.0));
  Pair m = buildExpm1PairF64(e, e.mul(a, e.c(-2.0)));
  Pair d = e.fastTwoSum(e.c(2.0), m.hi);
  d.lo = e.add(d.lo, m.lo);
  d = e.fastTwoSum(d.hi, d.lo);
  return e.divPair(e.productPair(m, m), e.productPair(d, d));
}
