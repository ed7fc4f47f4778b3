//===- AccurateF64MishGrad.cpp - mish' in f64 pairs -----------------------===//
//
// mish' = tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x), as one
// rational function of E = exp(-|x|) (w = e^x: tanh(sp) = w (w + 2) / P,
// sech^2(sp) = 4 (1 + w)^2 / P^2, P = w^2 + 2w + 2):
//
//   x < 0:   E ((E + 2) P + 4x (1 + E)) / P^2,        P = E^2 + 2E + 2,
//   x >= 0:  ((1 + 2E) Q + 4x E^2 (1 + E)) / Q^2,     Q = 1 + 2E + 2E^2,
//
// every sum and product a pair, one division with a residual step, 2^n of
// the leading E last. The formula (tanh of a rounded softplus, plus a
// product) cancels next to mish''s zero at x0 = -1.19: 3.5e4 ULP there.
// Within 1/256 of x0, the series d q(d), d = x - x0
// (AccurateF64GradRoots.cpp): this form's N still carries E's error there.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"
#include "AccurateF64Grad.h"

using namespace mlir;
using namespace mlir::act::approx;

Value mlir::act::approx::buildAccurateMishGradF64(Emitter &e, Value x) {
  Value zero = e.c(0.0);
  ExpOfNegatedAbsF64 start = buildExpOfNegatedAbsF64(e, {x, Value()});
  Value negative = start.negative;
  // B: E next to 1 and 2; the 4x terms with x clamped (inf * 0 at +inf;
  // E = 0 beyond +-1400 anyway).
  Pair b = buildExpNextToOneF64(e, start.exp);
  Value xc = e.clamp(x, -1400.0, 1400.0);
  Pair one = {e.c(1.0), Value()};
  Pair two = {e.c(2.0), Value()};
  Pair onePlusB = e.fastTwoSum(e.c(1.0), b.hi);
  onePlusB.lo = e.add(onePlusB.lo, b.lo);
  Pair bb = e.productPair(b, b);
  // x < 0: A = B + 2, P = B (B + 2) + 2, N = A P + 4x (1 + B).
  Pair a = e.sumPair(b, two, /*subtract=*/false);
  a = e.fastTwoSum(a.hi, a.lo);
  Pair p = e.sumPair(e.productPair(b, a), two, /*subtract=*/false);
  p = e.fastTwoSum(p.hi, p.lo);
  Pair fourX = {e.mul(xc, e.c(4.0)), Value()};
  Pair negTerm = e.productPair(fourX, onePlusB);
  // x >= 0: C = 1 + 2B, Q = C + 2 B^2, N = C Q + 4x B^2 (1 + B).
  Pair twoB = {e.mul(b.hi, e.c(2.0)), e.mul(b.lo, e.c(2.0))};
  Pair c = e.sumPair(one, twoB, /*subtract=*/false);
  c = e.fastTwoSum(c.hi, c.lo);
  Pair twoBB = {e.mul(bb.hi, e.c(2.0)), e.mul(bb.lo, e.c(2.0))};
  Pair q = e.sumPair(c, twoBB, /*subtract=*/false);
  q = e.fastTwoSum(q.hi, q.lo);
  Pair posTerm = e.productPair(fourX, e.productPair(bb, onePlusB));
  // Both sides, then one sum that may cancel (x < 0) as a pair.
  auto pick = [&](Pair neg, Pair pos) {
    return Pair{e.select(negative, neg.hi, pos.hi),
                e.select(negative, neg.lo ? neg.lo : zero,
                         pos.lo ? pos.lo : zero)};
  };
  Pair first = pick(e.productPair(a, p), e.productPair(c, q));
  Pair term = pick(negTerm, posTerm);
  Pair n = e.sumPair(first, term, /*subtract=*/false);
  n = e.twoSum(n.hi, n.lo);
  Pair den = pick(p, q);
  den = e.productPair(den, den);
  // x < 0: times E = 2^n (h + l), 2^n after the division.
  Pair en = e.productPair(n, start.exp.y);
  Pair num = pick(en, n);
  Value y = e.divPair(num, den);
  y = scaleRoundedOnceF64(e, y, e.select(negative, start.exp.n, e.ci(0)));
  // Within 1/256 of the zero: the series d q(d) (E's own error, ~2^-65,
  // grows as 1 / |f'| there: 105 ULP at |f'| = 2^-20).
  const GradRootF64 &root = kMishGradRootF64;
  Pair series = buildGradRootSeriesF64(e, x, root);
  return e.select(isNearGradRootF64(e, x, root), e.add(series.hi, series.lo),
                  y);
}
