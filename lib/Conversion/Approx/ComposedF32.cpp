//===- ComposedF32.cpp - sigmoid products, mish, softplus in f32 ----------===//
//
// The fast forms of the composed activations, all in f32 (see Approx.h):
// E = exp(-|t|) = 2^n (h + l) from the exp core, unscaled, and
//
//   m sigmoid(t)          = m / (1 + E)                     t >= 0
//                         = 2^n (m (h + l) / (1 + E))       t < 0
//   m tanh(softplus(s))   = m (1 + 2E) / (1 + 2E + 2E^2)    s >= 0
//                         = 2^n (m (h + l)(E + 2) / (E (E + 2) + 2))
//
// No cancellation (every sum is of positive terms), no tanh or log, one
// division, and the power of two applied last so a subnormal result rounds
// once. |t| is clamped to 150: beyond it the t < 0 side is 0.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kClamp = 150.0;

namespace {
/// E = exp(-|t|) = 2^n (h + l) = 2^n N.
struct ExpOfMinusAbs {
  Value negative, clamped, n, nf, h, l, N, E;
};
} // namespace

static ExpOfMinusAbs expOfMinusAbs(Emitter &e, Pair t, bool fast,
                                   bool coarse = false) {
  Value negative = e.lt(t.hi, e.c(0.0));
  Value a = e.neg(e.abs(t.hi));
  Value clamped = e.lt(a, e.c(-kClamp));
  // The low part of a clamped argument is meaningless (and may be large).
  Value al = t.lo ? e.select(negative, t.lo, e.neg(t.lo)) : Value();
  if (al)
    al = e.select(clamped, e.c(0.0), al);
  ExpSplit s = buildExpSplitF32(e, e.max(a, e.c(-kClamp)), al, fast,
                                /*pair=*/false, coarse);
  Value N = s.l ? e.add(s.h, s.l) : s.h;
  // E only meets 1 + E and E^2: where it is subnormal (n < -126) its bits
  // do not matter, so one power of two (0 below 2^-126) does. With AVX-512,
  // one vscalefps (which rounds a subnormal E once: the plain sigmoid's
  // t < 0 numerator).
  Value E = e.hasAVX512() ? e.scaleByFloat(N, s.n, s.nf)
                          : e.mul(N, e.pow2(e.imax(s.n, e.ci(-127))));
  return {negative, clamped, s.n, s.nf, s.h, s.l, N, E};
}

/// m (h + l), one rounding.
static Value timesExp(Emitter &e, Value m, const ExpOfMinusAbs &x) {
  return x.l ? e.fma(m, x.h, e.mul(m, x.l)) : e.mul(m, x.h);
}

/// 2^n q on the t < 0 side, 0 (of m's sign) where |t| was clamped there.
static Value finish(Emitter &e, const ExpOfMinusAbs &x, Value m, Value q) {
  Value y = e.scaleByFloat(q, e.select(x.negative, x.n, e.ci(0)),
                           e.select(x.negative, x.nf, e.c(0.0)));
  if (!m)
    return y;
  Value zero = e.copySign(e.c(0.0), m);
  return e.select(e.andI1(x.negative, x.clamped), zero, y);
}

/// sigmoid(t) = 1 / (1 + E) (t >= 0), E / (1 + E) (t < 0) from x.
static Value sigmoidOf(Emitter &e, const ExpOfMinusAbs &x) {
  Value one = e.c(1.0);
  // AVX-512: E (subnormal ones included) is exp(t) rounded once, so the
  // t < 0 side needs no final scaling.
  if (e.hasAVX512())
    return e.div(e.select(x.negative, x.E, one), e.add(one, x.E));
  return finish(e, x, Value(),
                e.div(e.select(x.negative, x.N, one), e.add(one, x.E)));
}

Value mlir::act::approx::buildSigmoidProductF32(Emitter &e, Value m, Pair t,
                                                bool fast) {
  // The plain sigmoid (fast bound 2.3 ULP with the degree-6 core) takes
  // the degree-5 one.
  ExpOfMinusAbs x = expOfMinusAbs(e, t, fast, /*coarse=*/!m);
  if (!m)
    return sigmoidOf(e, x);
  // m (h + l), one rounding.
  Value num = e.select(x.negative, timesExp(e, m, x), m);
  return finish(e, x, m, e.div(num, e.add(e.c(1.0), x.E)));
}

/// sigmoid'(t) = E / (1 + E)^2 from x.
static Value sigmoidPrimeOf(Emitter &e, const ExpOfMinusAbs &x) {
  // sigmoid(t) sigmoid(-t) = E / (1 + E)^2 = 2^n N / (1 + E)^2: even in t,
  // so no select by sign. 1 + E = dh + dl exactly (E <= 1), its square
  // dh^2 + 2 dh dl rounded once (dl^2 < 2^-48), one division.
  Pair d = e.fastTwoSum(e.c(1.0), x.E);
  Value square = e.fma(d.hi, d.hi, e.mul(e.add(d.hi, d.hi), d.lo));
  // |t| clamped to 150: 2^n below 2^-216 rounds the result to 0.
  return e.scaleByFloat(e.div(x.N, square), x.n, x.nf);
}

Value mlir::act::approx::buildSigmoidPrimeF32(Emitter &e, Pair t, bool fast) {
  return sigmoidPrimeOf(e, expOfMinusAbs(e, t, fast));
}

std::pair<Value, Value>
mlir::act::approx::buildSigmoidAndPrimeF32(Emitter &e, Pair t, bool fast) {
  ExpOfMinusAbs x = expOfMinusAbs(e, t, fast);
  return {sigmoidOf(e, x), sigmoidPrimeOf(e, x)};
}

Value mlir::act::approx::buildSechSquaredOfSoftplusQuarterF32(Emitter &e,
                                                              Pair s,
                                                              bool fast) {
  ExpOfMinusAbs x = expOfMinusAbs(e, s, fast);
  // With w = exp(s), sech^2(softplus(s)) / 4 = (1 + w)^2 / ((1 + w)^2 + 1)^2:
  // A / (A + 1)^2 for s < 0 (w = E), A = (1 + E)^2 in [1, 4], and
  // E^2 A / (A + E^2)^2 = 2^2n N^2 A / (A + E^2)^2 for s >= 0 (w = 1 / E).
  // Sums of positive terms only, one division, 2^2n applied last (0 beyond
  // 2^-252: the result underflows from s = 52 on).
  Value one = e.c(1.0);
  Value onePlusE = e.add(one, x.E);
  Value a = e.mul(onePlusE, onePlusE);
  Value num = e.select(x.negative, a, e.mul(e.mul(x.N, x.N), a));
  Value den = e.add(a, e.select(x.negative, one, e.mul(x.E, x.E)));
  Value n = e.select(x.negative, e.ci(0), e.imax(e.iadd(x.n, x.n), e.ci(-252)));
  Value nf = e.select(x.negative, e.c(0.0),
                      e.max(e.add(x.nf, x.nf), e.c(-252.0)));
  return e.scaleByFloat(e.div(num, e.mul(den, den)), n, nf);
}

Value mlir::act::approx::buildMishProductF32(Emitter &e, Value m, Pair s,
                                             bool fast) {
  ExpOfMinusAbs x = expOfMinusAbs(e, s, fast);
  Value one = e.c(1.0), two = e.c(2.0);
  Value ePlus2 = e.add(x.E, two);
  // s < 0: m (h + l) (E + 2) as mN E + 2 mN, mN = m (h + l) (one rounding
  // each).
  Value mN = m ? timesExp(e, m, x) : x.N;
  Value negNum = e.fma(mN, x.E, e.add(mN, mN));
  Value negDen = e.fma(x.E, ePlus2, two);
  Value posNum = e.fma(x.E, two, one);
  Value posDen = e.fma(e.mul(x.E, x.E), two, posNum);
  if (m)
    posNum = e.mul(m, posNum);
  Value num = e.select(x.negative, negNum, posNum);
  Value den = e.select(x.negative, negDen, posDen);
  return finish(e, x, m, e.div(num, den));
}

Value mlir::act::approx::buildSoftplusF32(Emitter &e, Value x, bool fast) {
  // max(x, 0) + log1p(exp(-|x|)): exp cannot overflow, +-inf and NaN exact.
  Value t = buildExpF32(e, e.neg(e.abs(x)), fast);
  return e.add(e.max(x, e.c(0.0)), buildLog1pF32(e, t, fast));
}
