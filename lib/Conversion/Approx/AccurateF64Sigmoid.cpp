//===- AccurateF64Sigmoid.cpp - m * sigmoid(t) in f64 pairs ---------------===//
//
// With u = -|t| and E = exp(u) = 2^n (h + l) (a pair: ExpLogF64.cpp's
// core with t's low part), sigmoid(|t|) = 1 / (1 + E) and sigmoid(-|t|) =
// 2^n (h + l) / (1 + E): both share the pair 1 + E, so one division with a
// residual step (Emitter::divPair) serves either sign, the numerator m or
// m (h + l) as a pair, and 2^n comes last (with AVX-512 one vscalefpd,
// which rounds a subnormal result once). No cancellation anywhere; the
// result rounds once where it is normal (subnormal ones twice without
// AVX-512: the quotient, then 2^n), where the formula rounded u, exp, 1 + E, the
// division and the product, and exp amplified u's rounding by |u|.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"

#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

/// -|t| is clamped here: exp's n stays within Emitter::scale's range, and
/// m * sigmoid(t) has underflowed below it for any |m| < 2^945.
static constexpr double kClamp = -1400.0;

ExpOfNegatedAbsF64 mlir::act::approx::buildExpOfNegatedAbsF64(Emitter &e,
                                                               Pair t) {
  Value zero = e.c(0.0);
  Value negative = e.lt(t.hi, zero);
  // u = -|t| as a pair; a NaN passes the clamp (maximumf).
  Value uh = e.neg(e.abs(t.hi));
  Value clamped = e.lt(uh, e.c(kClamp));
  uh = e.max(uh, e.c(kClamp));
  Value ul = zero;
  if (t.lo)
    ul = e.select(clamped, zero, e.select(negative, t.lo, e.neg(t.lo)));
  return {buildExpOfPairF64(e, {uh, ul}), negative, clamped};
}

Value mlir::act::approx::buildAccurateSigmoidProductF64(Emitter &e, Value m,
                                                        Pair t) {
  double inf = std::numeric_limits<double>::infinity();
  Value zero = e.c(0.0);
  auto [ex, negative, clamped] = buildExpOfNegatedAbsF64(e, t);
  // 1 + E (E <= 1).
  Pair big = buildExpNextToOneF64(e, ex);
  Pair den = e.fastTwoSum(e.c(1.0), big.hi);
  den.lo = e.add(den.lo, big.lo);
  Pair num = ex.y;
  Value one = e.c(1.0);
  if (m) {
    // m (h + l); the low part dropped where m is infinite (inf - inf).
    num = e.twoProd(m, ex.y.hi);
    num.lo = e.fma(m, ex.y.lo, num.lo);
    num.lo = e.select(e.lt(e.abs(num.hi), e.c(inf)), num.lo, zero);
    one = m;
  }
  num.hi = e.select(negative, num.hi, one);
  num.lo = e.select(negative, num.lo, zero);
  // An infinite numerator stays infinite (not the residual's inf - inf).
  Value q = e.divPair(num, den);
  q = e.select(e.eq(e.abs(num.hi), e.c(inf)), num.hi, q);
  Value y = scaleRoundedOnceF64(e, q, e.select(negative, ex.n, e.ci(0)));
  // Below the clamp: m * 0, as the formula gives (a NaN for m = +-inf).
  Value under = m ? e.mul(m, zero) : zero;
  return e.select(e.andI1(negative, clamped), under, y);
}
