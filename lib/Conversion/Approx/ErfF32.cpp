//===- ErfF32.cpp - erf and erfc in f32 -----------------------------------===//
//
// For the fast kernels (accurate ones round f64 cores once, ErfF64.cpp).
// erfc(a) = exp(-a^2) t h(t) for a = |w| >= 0, t = 2 / (2 + a), h of degree
// 10 on t in [2/14.6, 1] (2^-27.7 relative): one form from 0 to 12.6, where
// erfc(a) is far below the smallest float. a^2 is formed exactly as a pair
// and fed to the exp core with its low part, t as a pair by one residual
// step, and a product m * erfc(w) is scaled by 2^n last, so gelu's
// 0.5 x erfc(-x / sqrt 2) rounds once where erfc's factor is subnormal.
// h's constant term, t h(t), m t h(t) and exp's 1 + r are kept as pairs
// (fast gelu: 4.38 -> 2.84 ULP on every 97th input, ~15% more vector ops).
// erf(w) = w P(w^2) for |w| < 1 (degree 6, 2^-29.6), 1 - erfc(|w|) above;
// erfc(w) = 1 - w P(w^2) for |w| < 1/2.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

/// erfc(a) exp(a^2) / t, t = 2 / (2 + a), on [2/14.6, 1].
static constexpr double kErfcH10[] = {
    0.28209206461906433,  0.28216716647148132,  0.24605782330036163,
    0.18047372996807098,  0.07361428439617157,  -0.0096844891086220741,
    0.050545372068881989, -0.36674413084983826, 0.43356040120124817,
    -0.21129640936851501, 0.039214197546243668};
/// erf(sqrt(z)) / sqrt(z) on [0, 1].
static constexpr double kErfP6[] = {
    1.1283791657266902,     -0.3761262582409417,   0.1128358514704034,
    -0.02685381186950489,   0.005188327560801245,  -0.0008010192528211252,
    7.853857732949276e-05};
/// erfc(12.6) < 2^-230: beyond it, m * erfc is 0 for any |m| < 2^80.
static constexpr double kErfcLimit = 12.6;

namespace {
/// erfc(a) = 2^n (g * (h + l)), a = |w| clamped to kErfcLimit.
struct ErfcParts {
  Value negative, beyond, g, gl, n, h, l;
};
} // namespace

static ErfcParts erfcParts(Emitter &e, Pair w) {
  Value negative = e.lt(w.hi, e.c(0.0));
  Value a = e.abs(w.hi);
  Value al = w.lo ? e.select(negative, e.neg(w.lo), w.lo) : Value();
  Value beyond = e.gt(a, e.c(kErfcLimit));
  a = e.min(a, e.c(kErfcLimit));
  if (al) // meaningless (and maybe large) for a clamped argument
    al = e.select(beyond, e.c(0.0), al);
  // -a^2 exactly as a pair (plus 2 a al).
  Pair square = e.twoProd(a, a);
  Value squareLo = square.lo;
  if (al)
    squareLo = e.fma(e.add(a, a), al, squareLo);
  ExpSplit ex = buildExpSplitF32(e, e.neg(square.hi), e.neg(squareLo),
                                 /*fast=*/true, /*pair=*/true);
  // t = 2 / (2 + a) and its residual: t (1 + r / 2), r = 2 - t (2 + a).
  Pair d = e.twoSum(e.c(2.0), a);
  if (al)
    d.lo = e.add(d.lo, al);
  Value t = e.div(e.c(2.0), d.hi);
  Value r = e.sub(e.fma(e.neg(t), d.hi, e.c(2.0)), e.mul(t, d.lo));
  Value tLo = e.mul(e.mul(t, r), e.c(0.5));
  // h(t) with its constant term as an f32 pair, t h(t) as a pair (g, gl):
  // rounding h's first coefficient and the product alone cost ~1.5 ULP
  // near erfc's binade ends (gelu 4.38 ULP at x = -1.313).
  Value q = e.poly(t, ArrayRef<double>(kErfcH10).drop_front());
  float c0 = (float)kErfcH10[0];
  Value u = e.fma(t, q, e.c(kErfcH10[0] - (double)c0));
  Pair hv = e.fastTwoSum(e.c(c0), u);
  Pair g = e.twoProd(t, hv.hi);
  g.lo = e.fma(t, hv.lo, e.fma(tLo, hv.hi, g.lo));
  return {negative, beyond, g.hi, g.lo, ex.n, ex.h, ex.l};
}

/// P(w^2) for erf(w) = w P(w^2), |w| < 1.
static Value erfSmallPoly(Emitter &e, Pair w) {
  return e.poly(e.mul(w.hi, w.hi), kErfP6);
}

/// m (g + gl) (h + l) unscaled, rounded once (m null for 1).
static Value timesGExp(Emitter &e, Value m, const ErfcParts &p) {
  Pair mg = m ? e.twoProd(m, p.g) : Pair{p.g, Value()};
  Value tail = m ? e.fma(m, p.gl, mg.lo) : p.gl;
  Value rest = e.mul(tail, p.h);
  if (p.l)
    rest = e.fma(mg.hi, p.l, rest);
  return e.fma(mg.hi, p.h, rest);
}

Value mlir::act::approx::buildErfcProductF32(Emitter &e, Value m, Pair w) {
  ErfcParts p = erfcParts(e, w);
  // |w| < 1/2: 1 - w P(w^2) (>= 0.47: the exp form's polynomial is the
  // weaker there, just below 1).
  Value pv = erfSmallPoly(e, w);
  Value nearZero = e.fma(e.neg(w.hi), pv,
                         w.lo ? e.fma(e.neg(w.lo), pv, e.c(1.0)) : e.c(1.0));
  if (m)
    nearZero = e.mul(m, nearZero);
  // w >= 0: m g (h + l) 2^n, rounded once at the end.
  Value positive = e.scale(timesGExp(e, m, p), p.n);
  if (m)
    positive = e.select(p.beyond, e.copySign(e.c(0.0), m), positive);
  // w < 0: m (2 - erfc(|w|)).
  Value small = e.scale(timesGExp(e, Value(), p), p.n);
  Value negative = e.sub(e.c(2.0), small);
  if (m)
    negative = e.mul(m, negative);
  Value y = e.select(p.negative, negative, positive);
  return e.select(e.lt(e.abs(w.hi), e.c(0.5)), nearZero, y);
}

Value mlir::act::approx::buildErfF32(Emitter &e, Pair w) {
  ErfcParts p = erfcParts(e, w);
  Value erfc = e.scale(timesGExp(e, Value(), p), p.n);
  Value large = e.copySign(e.sub(e.c(1.0), erfc), w.hi);
  // |w| < 1: w P(w^2), w's low part through the leading term.
  Value pv = erfSmallPoly(e, w);
  Value small = w.lo ? e.fma(w.hi, pv, e.mul(w.lo, pv)) : e.mul(w.hi, pv);
  // -0 stays -0 (small); a NaN is passed on explicitly.
  Value isSmall = e.lt(e.abs(w.hi), e.c(1.0));
  Value y = e.select(isSmall, small, large);
  return e.select(e.isNaN(w.hi), w.hi, y);
}
