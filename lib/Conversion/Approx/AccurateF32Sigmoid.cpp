//===- AccurateF32Sigmoid.cpp - accurate sigmoid forms in f32 pairs -------===//
//
// precision=accurate without f64: with E = exp(-|t|) = 2^n (h + l) from the
// exp core (h + l unscaled, accurate to about 2^-28 relative),
//
//   m sigmoid(t)       = m / (1 + E)                          t >= 0
//                      = 2^n (m (h + l) / (1 + E))            t < 0
//   sigmoid'(t)        = 2^n ((h + l) / (1 + E)^2)
//
// where 1 + E is an exact pair (Fast2Sum, E <= 1), m (h + l) and (1 + E)^2
// are pairs by FMA error terms, and the quotient is one division for the
// reciprocal of the high part plus one FMA residual step on the pair
// denominator (Emitter::divPair), rounded once. 2^n is applied last, so a
// subnormal result (silu at -100) rounds once more at most. The fast forms
// (ComposedF32.cpp) round m (h + l), 1 + E and the quotient separately and
// drop l: 2-3 ULP; these stay near 0.5 ULP.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

/// Beyond |t| = 150 the t < 0 side is 0 (2^n below 2^-216).
static constexpr double kClamp = 150.0;

AccurateExp mlir::act::approx::buildAccurateExpOfMinusAbsF32(Emitter &e,
                                                               Pair t) {
  AccurateExp p;
  p.negative = e.lt(t.hi, e.c(0.0));
  Value a = e.neg(e.abs(t.hi));
  p.clamped = e.lt(a, e.c(-kClamp));
  // -|t| = a + al; the low part of a clamped argument is meaningless.
  Value al;
  if (t.lo)
    al = e.select(p.clamped, e.c(0.0), e.select(p.negative, t.lo, e.neg(t.lo)));
  ExpSplit s = buildExpSplitF32(e, e.max(a, e.c(-kClamp)), al,
                                /*fast=*/false);
  p.n = s.n;
  p.nf = s.nf;
  // Renormalized (l holds r^2 q(r) unsummed, up to 0.07): |l| <= ulp(h) / 2
  // for the quotient's first step.
  Pair hl = e.fastTwoSum(s.h, s.l);
  p.h = hl.hi;
  p.l = hl.lo;
  // 2^n below 2^-126 only meets sums with 1 (1 + E; softplus's log1p),
  // where it is below the pairs' precision: 2^-127 stands for it there.
  p.scale = e.pow2(e.imax(s.n, e.ci(-127)));
  return p;
}

namespace {
/// E = exp(-|t|) = 2^n (h + l), and 1 + E as an exact pair d.
struct SigmoidParts : AccurateExp {
  Pair d;
};
} // namespace

static SigmoidParts buildParts(Emitter &e, Pair t) {
  SigmoidParts p;
  static_cast<AccurateExp &>(p) = buildAccurateExpOfMinusAbsF32(e, t);
  Pair d = e.fastTwoSum(e.c(1.0), e.mul(p.h, p.scale)); // exact: h 2^n <= 1
  d.lo = e.fma(p.l, p.scale, d.lo);
  p.d = d;
  return p;
}

/// 2^n q on the t < 0 side (q on the other).
static Value scaleNegative(Emitter &e, const SigmoidParts &p, Value q) {
  return e.scaleByFloat(q, e.select(p.negative, p.n, e.ci(0)),
                        e.select(p.negative, p.nf, e.c(0.0)));
}

Value mlir::act::approx::buildAccurateSigmoidProductF32(Emitter &e, Value m,
                                                        Pair t) {
  SigmoidParts p = buildParts(e, t);
  if (!m) {
    Pair num = {e.select(p.negative, p.h, e.c(1.0)),
                e.select(p.negative, p.l, e.c(0.0))};
    return scaleNegative(e, p, e.divPair(num, p.d));
  }
  // m (h + l) as a pair: exact product of the high parts, the rest by FMA.
  Pair mh = e.twoProd(m, p.h);
  mh.lo = e.fma(m, p.l, mh.lo);
  Pair num = {e.select(p.negative, mh.hi, m),
              e.select(p.negative, mh.lo, e.c(0.0))};
  Value y = scaleNegative(e, p, e.divPair(num, p.d));
  // m = +-inf gives inf - inf in the residual step: m sigmoid(t) = m there.
  y = e.select(e.eq(e.abs(m), e.c(INFINITY)), m, y);
  // 0 where t < -150; m's sign everywhere (-0 for silu(-0): the residual
  // step adds +0).
  y = e.select(e.andI1(p.negative, p.clamped), e.c(0.0), y);
  return e.copySign(y, m);
}

Value mlir::act::approx::buildAccurateSigmoidPrimeF32(Emitter &e, Pair t,
                                                      int log2Scale) {
  SigmoidParts p = buildParts(e, t);
  // (1 + E)^2 = dh^2 + 2 dh dl (+ dl^2 < 2^-48), the first exact.
  Pair square = e.twoProd(p.d.hi, p.d.hi);
  square.lo = e.fma(e.add(p.d.hi, p.d.hi), p.d.lo, square.lo);
  Value q = e.divPair({p.h, p.l}, square);
  // Even in t: 2^n on both sides; 2^k (tanh's 4) with it, so that a
  // result on the subnormal grid rounds once there (not before 2^k).
  if (log2Scale)
    return e.scaleByFloat(q, e.iadd(p.n, e.ci(log2Scale)),
                          e.add(p.nf, e.c(log2Scale)));
  return e.scaleByFloat(q, p.n, p.nf);
}
