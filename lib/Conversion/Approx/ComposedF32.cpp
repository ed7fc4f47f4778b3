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
// The derivative of m' sigmoid(t), sigmoid(t) + m sigmoid'(t), does cancel
// (silu' at t = -1.28): it is sigmoid'(t) G, G = 1 + m + exp(t) (t < 0),
// with G as pairs and, next to its zero, the series of FastGradRoots.def
// (scripts/fast-grad-roots.py), so it keeps its relative accuracy there.
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
                                   bool coarse = false, bool pair = false,
                                   bool table = false) {
  Value negative = e.lt(t.hi, e.c(0.0));
  Value a = e.neg(e.abs(t.hi));
  Value clamped = e.lt(a, e.c(-kClamp));
  // The low part of a clamped argument is meaningless (and may be large).
  Value al = t.lo ? e.select(negative, t.lo, e.neg(t.lo)) : Value();
  if (al)
    al = e.select(clamped, e.c(0.0), al);
  ExpSplit s = buildExpSplitF32(e, e.max(a, e.c(-kClamp)), al, fast, pair,
                                coarse, table);
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
  // the degree-5 one (AVX-512: the table core, degree 2); the products
  // take the degree-6 one (AVX-512: the table core with a cubic, whose
  // shorter dependency chain made silu 1.17x as fast).
  ExpOfMinusAbs x = expOfMinusAbs(e, t, fast, /*coarse=*/!m, /*pair=*/false,
                                  /*table=*/true);
  if (!m)
    return sigmoidOf(e, x);
  // m (h + l), one rounding.
  Value num = e.select(x.negative, timesExp(e, m, x), m);
  return finish(e, x, m, e.div(num, e.add(e.c(1.0), x.E)));
}

/// sigmoid'(t) = E / (1 + E)^2 from x. `shortSquare` (the exact-t form,
/// AVX-512): the square as 1 + E (E + 2), E + 2 rounded (2^-23 absolute,
/// times E: 2^-25 of the square at most) and the rest in one FMA: two ops
/// where the pair took six; E itself (vscalefps, a subnormal rounded once)
/// over it, no second scaling.
static Value sigmoidPrimeOf(Emitter &e, const ExpOfMinusAbs &x,
                            bool shortSquare = false) {
  // sigmoid(t) sigmoid(-t) = E / (1 + E)^2 = 2^n N / (1 + E)^2: even in t,
  // so no select by sign.
  if (shortSquare) {
    // The same bits as 2^n (N / square): where E is normal, E / square is
    // that exactly; where it is subnormal (t < -87.3) the square is 1 and
    // both are 2^n N rounded once.
    Value square = e.fma(x.E, e.add(x.E, e.c(2.0)), e.c(1.0));
    return e.div(x.E, square);
  }
  // 1 + E = dh + dl exactly (E <= 1), its square dh^2 + 2 dh dl rounded
  // once (dl^2 < 2^-48), one division.
  Pair d = e.fastTwoSum(e.c(1.0), x.E);
  Value square = e.fma(d.hi, d.hi, e.mul(e.add(d.hi, d.hi), d.lo));
  // |t| clamped to 150: 2^n below 2^-216 rounds the result to 0.
  return e.scaleByFloat(e.div(x.N, square), x.n, x.nf);
}

Value mlir::act::approx::buildSigmoidPrimeF32(Emitter &e, Pair t, bool fast) {
  // AVX-512 and an exact t (sigmoid' and tanh' of x): the table exp core
  // (two FMAs fewer than the degree-6 core, one vpermt2ps more; 1.12-1.15x,
  // docs/accuracy.md "Fast tanh, sigmoid and silu speed (session 15,
  // fastgrad)") with the plain sigmoid's quadratic (`coarse`), one FMA
  // fewer than the cubic: 1.07-1.19x, 3.10 -> 3.78 ULP over all 2^32
  // ("Fast sigmoid speed (session 16, gradx)"). A pair t (swish's beta x)
  // keeps the degree-6 core: not measured with the table's.
  return sigmoidPrimeOf(e,
                        expOfMinusAbs(e, t, fast,
                                      /*coarse=*/!t.lo && e.hasAVX512(),
                                      /*pair=*/false, /*table=*/!t.lo),
                        /*shortSquare=*/!t.lo && e.hasAVX512());
}

std::pair<Value, Value>
mlir::act::approx::buildSigmoidAndPrimeF32(Emitter &e, Pair t, bool fast) {
  ExpOfMinusAbs x = expOfMinusAbs(e, t, fast);
  return {sigmoidOf(e, x), sigmoidPrimeOf(e, x)};
}

// The zeros of G and their series (scripts/fast-grad-roots.py).
#define FAST_GRAD_ROOT(name, inT, head, tail, delta, ...)                      \
  static constexpr double k_##name##_series[] = {__VA_ARGS__};
#include "FastGradRoots.def"
#undef FAST_GRAD_ROOT
#define FAST_GRAD_ROOT(name, inT, head, tail, delta, ...)                      \
  {#name, inT != 0, head, tail, delta, k_##name##_series},
static const GradRoot kGradRoots[] = {
#include "FastGradRoots.def"
};
#undef FAST_GRAD_ROOT

ArrayRef<GradRoot> mlir::act::approx::getGradRoots() { return kGradRoots; }

/// G = d q(d) next to the root, d = v - v0 = dh + dl (the first difference
/// exact by Sterbenz), rounded once. Where v has no low part, dl is the
/// constant -tail: q(dh) and dl q(0) instead of q(dh + dl) and dl q (|dl| <
/// 2^-26: off by 2^-29 of G), two ops fewer.
static Value seriesNearRoot(Emitter &e, const GradRoot *root, Pair v,
                            Value &dh) {
  dh = e.sub(v.hi, e.c(root->head));
  if (!v.lo)
    return e.fma(dh, e.poly(dh, root->series),
                 e.c(-root->tail * root->series[0]));
  Value dl = e.sub(v.lo, e.c(root->tail));
  Value q = e.poly(e.add(dh, dl), root->series);
  return e.fma(dh, q, e.mul(dl, q));
}

/// AVX-512: E = exp(-|t|) = 2^n (h + l) from buildExpTablePairF32 (2^-30),
/// h + l normalized (|l| <= 0.011 h before), E = eh (in x.E) + el, both
/// parts scaled by vscalef; x.N = h. Below 2^-126 eh and el round, where
/// the gradient forms only meet E in 1 + E and in sums next to 1.
static ExpOfMinusAbs expOfMinusAbsTablePair(Emitter &e, Pair t, Value &el) {
  ExpOfMinusAbs x;
  x.negative = e.lt(t.hi, e.c(0.0));
  Value a = e.neg(e.abs(t.hi));
  x.clamped = e.lt(a, e.c(-kClamp));
  Value al = t.lo ? e.select(x.negative, t.lo, e.neg(t.lo)) : Value();
  if (al)
    al = e.select(x.clamped, e.c(0.0), al);
  ExpSplit s = buildExpTablePairF32(e, e.max(a, e.c(-kClamp)), al);
  x.n = s.n;
  x.nf = s.nf;
  x.h = e.add(s.h, s.l);
  x.l = e.sub(s.l, e.sub(x.h, s.h));
  x.N = x.h;
  x.E = e.scaleByFloat(x.h, s.n, s.nf);
  el = e.scaleByFloat(x.l, s.n, s.nf);
  return x;
}

/// buildSigmoidGradSumF32 with AVX-512: E = 2^n (h + l) from the table
/// core with T_j's low part (buildExpTablePairF32: 2^-30, where the
/// degree-4 pair core reached 2^-26 with ~6 more ops and two integer
/// scalings), both parts scaled by vscalef, and the division's 1 / dh from
/// vrcp14ps (no vdivps). G, the pair denominator and the series as in the
/// portable form below.
static Value sigmoidGradSumTable(Emitter &e, Pair t, Pair m,
                                 const GradRoot *root, Pair v) {
  Value one = e.c(1.0);
  Value el;
  ExpOfMinusAbs x = expOfMinusAbsTablePair(e, t, el);
  Value nh = x.h, nl = x.l, eh = x.E;
  // (1 + E)^2 as a pair.
  Pair d = e.fastTwoSum(one, eh);
  d.lo = e.add(d.lo, el);
  Pair square = e.twoProd(d.hi, d.hi);
  square.lo = e.fma(e.add(d.hi, d.hi), d.lo, square.lo);
  Value onePlusM = e.add(one, m.hi);
  Value posNum = e.fma(eh, e.min(onePlusM, e.c(0x1p100)), one);
  Value low = m.lo ? e.add(el, m.lo) : el;
  Value G = e.add(e.add(onePlusM, eh), low);
  if (root) {
    Value dh;
    Value series = seriesNearRoot(e, root, v, dh);
    G = e.select(e.lt(e.abs(dh), e.c(root->delta)), series, G);
  }
  Value negNum = e.fma(G, nh, e.mul(G, nl));
  Value q = e.divPair({e.select(x.negative, negNum, posNum), Value()},
                      square, /*estimate=*/true);
  return finish(e, x, one, q);
}

Value mlir::act::approx::buildSigmoidGradSumF32(Emitter &e, Pair t, Pair m,
                                                const GradRoot *root,
                                                Pair v) {
  if (e.hasAVX512())
    return sigmoidGradSumTable(e, t, m, root, v);
  // The fast core with 1 + r kept as a pair: E = 2^n (h + l) = eh + el to
  // ~2^-26, which G below needs (the single-chain core's h alone is
  // ~2^-24; l is 1 + r's rounding error plus r^2 q(r), not a small low
  // part). eh and el are 0 where n < -126 (E only meets 1 + E and G there,
  // next to 1).
  ExpOfMinusAbs x = expOfMinusAbs(e, t, /*fast=*/true, /*coarse=*/false,
                                  /*pair=*/true);
  Value one = e.c(1.0);
  Value p = e.pow2(e.imax(x.n, e.ci(-127)));
  Value eh = e.mul(x.h, p), el = e.mul(x.l, p);
  // (1 + E)^2 as a pair: 1 + E = dh + dl exactly (E <= 1), dh^2 by twoProd,
  // 2 dh dl into its low part (dl^2 < 2^-48).
  Pair d = e.fastTwoSum(one, x.E);
  // E = 2^n fl(h + l): its rounding, l - (fl(h + l) - h), into dl.
  d.lo = e.fma(e.sub(x.l, e.sub(x.N, x.h)), p, d.lo);
  Pair square = e.twoProd(d.hi, d.hi);
  square.lo = e.fma(e.add(d.hi, d.hi), d.lo, square.lo);
  // t >= 0 (E = exp(-t)): sigmoid + m sigmoid' = (1 + E (1 + m)) / (1 + E)^2,
  // positive terms where m >= 0 (every prelude form); 1 + m capped so that
  // E = 0 (t > 103) times an infinite m is 0, not NaN.
  Value onePlusM = e.add(one, m.hi);
  Value posNum = e.fma(x.E, e.min(onePlusM, e.c(0x1p100)), one);
  // t < 0 (E = exp(t)): sigmoid'(t) G = 2^n N G / (1 + E)^2 with
  // G = 1 + m + E, which vanishes where f' does: 1 + m and E cancel. 1 + m
  // is exact there (Sterbenz: m in [-2, -1/2]), its sum with eh exact by
  // twoSum, and the rest is rounded once: off by E's ~2^-26 (0.09 E / |G|
  // ULP) and half an ULP of G.
  Value low = m.lo ? e.add(el, m.lo) : el;
  Value G = e.add(e.add(onePlusM, eh), low);
  if (root) {
    // Where the general G is short of digits (|G| < G'(v0) delta), G =
    // d q(d) with the root's series (FastGradRoots.def), d = v - v0 = dh +
    // dl, the first difference exact (Sterbenz), rounded once. silu's
    // (v = t, m == t): G = 1 + t + exp(t) = d (1 + K) + K expm1(d),
    // K = exp(t0).
    Value dh = e.sub(v.hi, e.c(root->head));
    Value dl = v.lo ? e.sub(v.lo, e.c(root->tail)) : e.c(-root->tail);
    Value q = e.poly(e.add(dh, dl), root->series);
    Value series = e.fma(dh, q, e.mul(dl, q));
    G = e.select(e.lt(e.abs(dh), e.c(root->delta)), series, G);
  }
  // N G rounded once (timesExp); the division by the pair (one reciprocal,
  // one residual step) rounds about once, where a rounded square and a
  // division rounded twice (1.5 ULP where both sit low in their binades).
  Value negNum = e.fma(G, x.h, e.mul(G, x.l));
  Value q = e.divPair({e.select(x.negative, negNum, posNum), e.c(0.0)},
                      square);
  return finish(e, x, one, q);
}

std::pair<Pair, Pair> mlir::act::approx::buildCubicArgumentsF32(Emitter &e,
                                                               Value x,
                                                               double k,
                                                               double a) {
  auto split = [&](double v) -> Pair {
    float hi = (float)v;
    return {e.c(hi), e.c((double)(float)(v - hi))};
  };
  // c s as a pair, s = x^2 = sh + sl exact, c = ch + cl.
  Pair s = e.twoProd(x, x);
  auto timesSquare = [&](double c) {
    Pair cp = split(c);
    Pair p = e.twoProd(cp.hi, s.hi);
    p.lo = e.fma(cp.lo, s.hi, e.fma(cp.hi, s.lo, p.lo));
    return p;
  };
  // u = 1 + w, w = c x^2 >= 0 (twoSum: 3 a x^2 passes 2 from |x| = 3.9).
  auto onePlus = [&](Pair w) {
    Pair u = e.twoSum(e.c(1.0), w.hi);
    u.lo = e.add(u.lo, w.lo);
    return u;
  };
  // k x = kh x + (kl x + kx's rounding).
  Pair kp = split(k);
  Pair kx = e.twoProd(kp.hi, x);
  kx.lo = e.fma(kp.lo, x, kx.lo);
  auto times = [&](Pair u) {
    Pair p = e.twoProd(kx.hi, u.hi);
    p.lo = e.fma(kx.hi, u.lo, e.fma(kx.lo, u.hi, p.lo));
    return p;
  };
  return {times(onePlus(timesSquare(a))), times(onePlus(timesSquare(3 * a)))};
}

Value mlir::act::approx::buildMishGradF32(Emitter &e, Value x,
                                          const GradRoot *root) {
  // E = exp(-|x|) = 2^n (h + l), as in buildSigmoidGradSumF32 (AVX-512:
  // the table pair, vrcp14ps for the division).
  bool table = e.hasAVX512();
  Value eh, el;
  ExpOfMinusAbs X;
  if (table) {
    X = expOfMinusAbsTablePair(e, {x, Value()}, el);
    eh = X.E;
  } else {
    X = expOfMinusAbs(e, {x, Value()}, /*fast=*/true, /*coarse=*/false,
                      /*pair=*/true);
    // E = eh + el normalized (the core's l holds r^2 q(r): not small):
    // eh = 2^n fl(h + l), el = 2^n (l - (fl(h + l) - h)).
    Value p = e.pow2(e.imax(X.n, e.ci(-127)));
    eh = e.mul(X.N, p);
    el = e.mul(e.sub(X.l, e.sub(X.N, X.h)), p);
  }
  Value one = e.c(1.0), two = e.c(2.0), four = e.c(4.0);
  Value E = X.E;
  // x < 0 (E = exp(x)): mish' = tanh(sp) + x sech^2(sp) sigmoid(x) =
  // E G / A^2, A = E^2 + 2E + 2, G = 4 (1 + x) + E (6 + 4x + E (4 + E)).
  // G vanishes at x0 = -1.19, where 4 (1 + x) (exact) and the E terms
  // cancel: 6 + 4x is exact there (Sterbenz), the E part rounds about
  // twice (~2^-24 of 0.77 absolute against |G| ~ 6.4 |x - x0|), so within
  // 1/4 of x0 G is the series of FastGradRoots.def.
  Value q = e.fma(E, e.add(E, four), e.fma(x, four, e.c(6.0)));
  Value G = e.fma(four, e.add(one, x), e.fma(eh, q, e.mul(el, q)));
  if (root) {
    if (table) {
      Value dh;
      Value series = seriesNearRoot(e, root, {x, Value()}, dh);
      G = e.select(e.lt(e.abs(dh), e.c(root->delta)), series, G);
    } else {
      Value dh = e.sub(x, e.c(root->head));
      Value dl = e.c(-root->tail);
      Value s = e.poly(e.add(dh, dl), root->series);
      G = e.select(e.lt(e.abs(dh), e.c(root->delta)),
                   e.fma(dh, s, e.mul(dl, s)), G);
    }
  }
  Value negNum = e.fma(G, X.h, e.mul(G, X.l));
  // The denominators as pairs from 1 + E = uh + ul (to ~2^-48): A = (1 +
  // E)^2 + 1 and (x >= 0) B = 1 + 2 E (1 + E).
  Pair u = e.fastTwoSum(one, eh);
  u.lo = e.add(u.lo, el);
  // den: A (x < 0) or B (x >= 0) as a pair.
  Pair den, A, B;
  if (table) {
    // One product for both, the factor selected first: A = 1 + u u, B =
    // 1 + u 2E; 1 + P by twoSum (P in [0, 4]).
    Pair f = {e.select(X.negative, u.hi, e.add(eh, eh)),
              e.select(X.negative, u.lo, e.add(el, el))};
    Pair P = e.twoProd(u.hi, f.hi);
    P.lo = e.fma(u.hi, f.lo, e.fma(u.lo, f.hi, P.lo));
    den = e.twoSum(one, P.hi);
    den.lo = e.add(den.lo, P.lo);
  } else {
    Pair u2 = e.twoProd(u.hi, u.hi);
    u2.lo = e.fma(e.add(u.hi, u.hi), u.lo, u2.lo);
    A = e.fastTwoSum(u2.hi, one);
    A.lo = e.add(A.lo, u2.lo);
    Pair w = e.twoProd(eh, u.hi);
    w.lo = e.fma(el, u.hi, e.fma(eh, u.lo, w.lo));
    B = e.fastTwoSum(one, e.add(w.hi, w.hi));
    B.lo = e.fma(w.lo, two, B.lo);
  }
  // x >= 0 (E = exp(-x)): mish' = 1 + C, C = E^2 (4x (1 + E) - 2B) / B^2
  // (tanh(sp) = 1 - 2E^2 / B): |C| <= 0.5, so C's rounding is small next
  // to the 1. x capped so that E = 0 (x > 103) times an infinite x is 0.
  Value k = e.fma(e.mul(e.min(x, e.c(0x1p64)), four), e.add(one, E),
                  e.mul(table ? den.hi : B.hi, e.c(-2.0)));
  Value posNum = e.mul(e.mul(E, E), k);
  if (!table)
    den = {e.select(X.negative, A.hi, B.hi), e.select(X.negative, A.lo, B.lo)};
  // The denominator squared as a pair, one division with a residual step.
  Pair square = e.twoProd(den.hi, den.hi);
  square.lo = e.fma(e.add(den.hi, den.hi), den.lo, square.lo);
  Value y = table ? e.divPair({e.select(X.negative, negNum, posNum), Value()},
                              square, /*estimate=*/true)
                  : e.divPair({e.select(X.negative, negNum, posNum), e.c(0.0)},
                              square);
  y = finish(e, X, one, y);
  return e.select(X.negative, y, e.add(one, y));
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

/// log1p(f) ~ f + f^2 Q(f) on [-1/4, 1/2], Q of degree 7: minimax (Lawson)
/// with f32 coefficients, weighted by the softplus it serves (relative to
/// log1p(f) for f >= 0, to ln 2 + log1p(f) for f < 0): 2^-25.45.
static constexpr double kSoftplusQ7[] = {
    -0.5000004768371582,  0.333332359790802,    -0.24993057548999786,
    0.19987794756889343,  -0.16852697730064392, 0.14911898970603943,
    -0.1173381581902504,  0.051077183336019516};

/// Fast softplus(x) = max(x, 0) + log1p(E), E = exp(-|x|) in [0, 1] from
/// the coarse exp core (AVX-512: the table core), 2^n applied once (a
/// subnormal E rounds once: softplus(x) = E there). log1p(E) = k ln 2 +
/// log1p(f) with f = E (E < 1/2, k = 0) or f = (E - 1) / 2 (k = 1), both
/// exact (Sterbenz), so f lies in [-1/4, 1/2] and no 1 + E is rounded: no
/// pair, no correction division, no exponent extraction, none of log1p's
/// special cases (E is never negative, infinite or -1). f32's ln 2 is off
/// by 2^-29 (0.06 ULP of the sum). A NaN x passes the clamp, so that
/// max(x, 0) may be x > 0 ? x : 0 (one vmaxps). About 25 vector ops where
/// exp plus the general log1p took ~60.
static Value buildSoftplusFastF32(Emitter &e, Value x) {
  Value a = e.max(e.neg(e.abs(x)), e.c(-104.0));
  ExpSplit s = buildExpSplitF32(e, a, Value(), /*fast=*/true, /*pair=*/false,
                                /*coarse=*/true);
  Value E = e.scaleByFloat(s.h, s.n, s.nf);
  Value big = e.ge(E, e.c(0.5));
  Value f = e.select(big, e.fma(E, e.c(0.5), e.c(-0.5)), E);
  Value y = e.fma(e.mul(f, f), e.poly(f, kSoftplusQ7), f);
  y = e.add(e.select(big, e.c(0.6931471805599453), e.c(0.0)), y);
  Value zero = e.c(0.0);
  return e.add(e.select(e.gt(x, zero), x, zero), y);
}

Value mlir::act::approx::buildSoftplusF32(Emitter &e, Value x, bool fast) {
  if (fast)
    return buildSoftplusFastF32(e, x);
  // max(x, 0) + log1p(exp(-|x|)): exp cannot overflow, +-inf and NaN exact.
  Value t = buildExpF32(e, e.neg(e.abs(x)), fast);
  return e.add(e.max(x, e.c(0.0)), buildLog1pF32(e, t, fast));
}
