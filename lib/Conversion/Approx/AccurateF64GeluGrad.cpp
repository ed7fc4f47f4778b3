//===- AccurateF64GeluGrad.cpp - the erf GELU's derivative in f64 pairs ---===//
//
// gelu'(x) = Phi(x) + x phi(x) and gelu'(x) + gelu'(-x) = 1, so with
// F(a) = gelu'(-a), a = |x|:  gelu'(x) = F(a) for x < 0, 1 - F(a) above
// (no cancellation: F <= 1/2). With u = a / sqrt 2 (a pair) and
// exp(-a^2 / 2) = 2^n (h + l) from the exact pair a^2 / 2
// (buildExpOfPairF64: the rounding of x^2 / 2 that the formula's exp
// amplified by x^2 / 2 is gone):
//
//   u < 1/2:   F = 1/2 - erf(u) / 2 - a phi(a),
//   u >= 1/2:  F = 2^n (h + l) (erfcx(u) / 2 - a / sqrt(2 pi)),
//
// ErfF64.cpp's cores as pairs, every sum and product a pair, and within
// 1/4 of F's zero a0 = 0.7518 the series d q(d) (AccurateF64GradRoots.cpp),
// where the sums above cancel (their cores' 2^-58 made 1.3 ULP at 1/8).
// One rounding of F (2^n last) below 0, of 1 - F above. act-autodiff's sum
// erfc(-z) / 2 + x phi(x) lost 1903 ULP next to the zero and 1960 in the
// tails.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"
#include "AccurateF64Grad.h"
#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

/// 1 / sqrt 2 and 1 / sqrt(2 pi) as pairs.
static constexpr double kRsqrt2[] = {0.7071067811865476,
                                     -4.833646656726457e-17};
static constexpr double kRsqrt2Pi[] = {0.3989422804014327,
                                       -2.49232720227773e-17};

Value mlir::act::approx::buildAccurateGeluGradF64(Emitter &e, Value x) {
  // Above a = 39, F < 2^-1080 rounds to -0 (and 1 - F to 1).
  Value a = e.min(e.abs(x), e.c(39.0));
  // exp(-a^2 / 2) = 2^n y, a^2 / 2 exact.
  Pair square = e.twoProd(a, a);
  Pair halfSquare{e.mul(square.hi, e.c(-0.5)), e.mul(square.lo, e.c(-0.5))};
  ExpOfPairF64 gauss = buildExpOfPairF64(e, halfSquare);
  // u = a / sqrt 2 and a / sqrt(2 pi) as pairs.
  Pair u = e.twoProd(a, e.c(kRsqrt2[0]));
  u.lo = e.fma(a, e.c(kRsqrt2[1]), u.lo);
  Pair ca = e.twoProd(a, e.c(kRsqrt2Pi[0]));
  ca.lo = e.fma(a, e.c(kRsqrt2Pi[1]), ca.lo);
  Value isSmall = e.lt(u.hi, e.c(0.5));

  // u < 1/2: 1/2 - erf(u) / 2 - a phi(a), exp(-a^2 / 2) whole (n >= -1).
  Pair halfErf = buildErfSmallPairF64(e, {e.min(u.hi, e.c(0.5)), u.lo});
  halfErf = {e.mul(halfErf.hi, e.c(0.5)), e.mul(halfErf.lo, e.c(0.5))};
  Pair phi = e.productPair(buildExpNextToOneF64(e, gauss), ca);
  Pair small = e.sumPair({e.c(0.5), Value()}, halfErf, /*subtract=*/true);
  small = e.sumPair(small, phi, /*subtract=*/true);

  // u >= 1/2: y (erfcx(u) / 2 - a / sqrt(2 pi)), 2^n apart.
  Value uc = e.max(u.hi, e.c(0.5));
  Pair g = buildErfcxPairF64(e, {uc, e.select(isSmall, e.c(0.0), u.lo)});
  Pair k = e.sumPair({e.mul(g.hi, e.c(0.5)), e.mul(g.lo, e.c(0.5))}, ca,
                     /*subtract=*/true);
  k = e.twoSum(k.hi, k.lo);
  Pair large = e.productPair(gauss.y, k);

  // Next to the zero: d q(d) at -a.
  const GradRootF64 &root = kGeluGradRootF64;
  Value minusA = e.neg(a);
  Value near = isNearGradRootF64(e, minusA, root);
  Pair series = buildGradRootSeriesF64(e, minusA, root);

  Value zeroN = e.ci(0);
  Value n = e.select(near, zeroN, e.select(isSmall, zeroN, gauss.n));
  Pair f{e.select(isSmall, small.hi, large.hi),
         e.select(isSmall, small.lo, large.lo)};
  f = {e.select(near, series.hi, f.hi), e.select(near, series.lo, f.lo)};
  f = e.twoSum(f.hi, f.lo);

  // x < 0: F rounded once, then 2^n; else 1 - F (2^n on both parts first:
  // below 2^-1022 F no longer matters next to 1).
  Value negative = e.lt(x, e.c(0.0));
  Value below = scaleRoundedOnceF64(e, e.add(f.hi, f.lo), n);
  Value p = e.pow2(e.imax(n, e.ci(-1022)));
  Pair one = e.twoSum(e.c(1.0), e.neg(e.mul(f.hi, p)));
  Value above = e.sub(one.hi, e.sub(e.mul(f.lo, p), one.lo));
  Value y = e.select(negative, below, above);
  return e.select(e.isNaN(x), x, y);
}
