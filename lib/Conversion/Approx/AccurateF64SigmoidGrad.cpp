//===- AccurateF64SigmoidGrad.cpp - sigmoid' in f64 pairs -----------------===//
//
// With E = exp(-|t|) = 2^n (h + l) (a pair: ExpLogF64.cpp's core with t's
// low part) and B = E as a pair next to 1 (2^max(n, -1022) (h + l)):
//
//   sigmoid'(t) = s(t) s(-t)      = (h + l) 2^n / (1 + B)^2,
//   s(t) (1 + t s(-t)), t >= 0    = (1 + B + t B) / (1 + B)^2,
//                       t < 0     = (h + l) 2^n (1 + B + t) / (1 + B)^2,
//
// each one division of pairs with a residual step (Emitter::divPair) and
// 2^n last (AVX-512: one vscalefpd). act-expand's SigmoidPrime rounded exp,
// 1 + E, 1 / (1 + E) and two products (3.8 ULP); the sum s + t s' of silu'
// cancels next to its zero at t = -1.278 (2440 ULP there), where 1 + B + t
// as a pair keeps its digits.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"
#include "AccurateF64Grad.h"

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// E = exp(-|t|), the pair 1 + B and its square.
struct SigmoidPrimeParts {
  ExpOfNegatedAbsF64 start;
  Pair onePlusE;
  Pair square;
  Pair big;
};
} // namespace

static SigmoidPrimeParts buildParts(Emitter &e, Pair t) {
  ExpOfNegatedAbsF64 start = buildExpOfNegatedAbsF64(e, t);
  Pair big = buildExpNextToOneF64(e, start.exp);
  Pair d = e.fastTwoSum(e.c(1.0), big.hi);
  d.lo = e.add(d.lo, big.lo);
  d = e.fastTwoSum(d.hi, d.lo);
  return {start, d, e.productPair(d, d), big};
}

Value mlir::act::approx::buildAccurateSigmoidPrimeF64(Emitter &e, Pair t,
                                                      int k) {
  SigmoidPrimeParts parts = buildParts(e, t);
  const ExpOfNegatedAbsF64 &start = parts.start;
  Value q = e.divPair(start.exp.y, parts.square);
  Value n = k ? e.iadd(start.exp.n, e.ci(k)) : start.exp.n;
  Value y = scaleRoundedOnceF64(e, q, n);
  // Below the clamp: 0 (a NaN t passed it and stays NaN).
  return e.select(start.clamped, e.c(0.0), y);
}

Value mlir::act::approx::buildAccurateSigmoidGradSumF64(
    Emitter &e, Pair t, Pair m, const SigmoidSumNearZeroF64 *nearZero) {
  SigmoidPrimeParts parts = buildParts(e, t);
  const ExpOfNegatedAbsF64 &start = parts.start;
  Value zero = e.c(0.0);
  // m as 0 where |t| > 1400 (the exp's clamp; a NaN t gives a NaN E): at
  // +-inf, m B would be inf * 0; -inf gives 0 through 2^n.
  Value far = start.clamped;
  Pair mm{e.select(far, zero, m.hi), m.lo ? e.select(far, zero, m.lo) : zero};
  // g = m below 0, m B above; w = 1 + B + g as a renormalized pair.
  Pair mb = e.productPair(mm, parts.big);
  Value negative = start.negative;
  Pair g{e.select(negative, mm.hi, mb.hi), e.select(negative, mm.lo, mb.lo)};
  Pair w = e.sumPair(parts.onePlusE, g, /*subtract=*/false);
  w = e.twoSum(w.hi, w.lo);
  if (nearZero)
    w = {e.select(nearZero->near, nearZero->sum.hi, w.hi),
         e.select(nearZero->near, nearZero->sum.lo, w.lo)};
  // Below 0 the numerator is (h + l) w, 2^n applied after the division.
  Pair hw = e.productPair(w, start.exp.y);
  Pair num{e.select(negative, hw.hi, w.hi), e.select(negative, hw.lo, w.lo)};
  Value q = e.divPair(num, parts.square);
  return scaleRoundedOnceF64(e, q, e.select(negative, start.exp.n, e.ci(0)));
}
