//===- AccurateF32Mish.cpp - accurate mish in f32 pairs (AVX-512) ---------===//
//
// precision=accurate, f32, without f64: with E = exp(x),
//
//   mish(x) = x tanh(log(1 + E)) = x ((1 + E)^2 - 1) / ((1 + E)^2 + 1)
//           = 2^n (x N (E + 2)) / (E (E + 2) + 2),      E = 2^n N,
//
// E from the 32-entry table core with T_j's tail (ExpF32.cpp
// buildExpTablePairF32, 2^-30 relative), E + 2, N (E + 2), E (E + 2) + 2
// and the product by x as pairs, one division with a residual step, and
// 2^n by vscalefps last, so that a result on the subnormal grid (x below
// about -87) rounds once. tanh(softplus(x)) has relative condition at most
// 1 in E (it is E (E + 2) / (E (E + 2) + 2)), so E's error passes through
// unamplified: no exp(-x) side is needed above 0. x is clamped to [-150,
// 16]: below, mish rounds to -0; above, the quotient is 1 to 2^-44 and
// mish(x) = x (+inf too). The sign is x's (mish(-0) = -0; the residual
// step would give +0).
//
// The gradient from the same exp pair: with u = 1 + E and d = u^2 + 1 =
// E (E + 2) + 2, tanh(softplus(x)) = (u^2 - 1) / d and
//
//   mish'(x) = E w / d^2,   w = (u + 1) d + 4 x u
//            = 4 (x + 1) + E (4x + 6) + 4 E^2 + E^3,
//
// E + 2, u = (E + 2) - 1, d, the products and the sum as pairs, N w over
// d^2 by one division with a residual step, dy into the quotient's pair
// before the one rounding, 2^n partly before (dy q neither underflows nor
// overflows) and partly after it (the subnormal grid). w vanishes at x0 =
// -1.19, where its two terms cancel and E's 2^-30 error is amplified:
// within 1/16 of x0, w is the mish series of FastGradRoots.def. Above x =
// 16, mish'(x) = 1 (it is 1 + 2^-39 there); x is clamped below at -200
// (where dy mish'(x) rounds to 0, the sign of -dy, for every finite dy).
// The kernel is latency-bound: the ops are ordered to keep its path short.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kLow = -150.0, kHigh = 16.0;
/// Below -200, dy mish'(x) rounds to 0 for every finite dy (|mish'| <
/// 2^-281).
static constexpr double kGradLow = -200.0;
/// Where the gradient takes w's series: E's error next to x0 is 2^-28.7
/// of w at 1/16, the series' R(d) roundings 2^-28.5.
static constexpr double kSeriesDelta = 1.0 / 16;

/// A product of pairs, the low parts' product dropped.
static Pair mulPair(Emitter &e, Pair a, Pair b) {
  Pair p = e.twoProd(a.hi, b.hi);
  p.lo = e.fma(a.hi, b.lo, e.fma(a.lo, b.hi, p.lo));
  return p;
}

/// a + c for a constant c > 0 as a pair (Fast2Sum on the larger first).
static Pair addConstant(Emitter &e, Pair a, double c) {
  Value k = e.c(c);
  Pair s = e.fastTwoSum(e.max(a.hi, k), e.min(a.hi, k));
  s.lo = e.add(s.lo, a.lo);
  return s;
}

Value mlir::act::approx::buildAccurateMishF32(Emitter &e, Value x) {
  // Clamped by selects that keep a NaN.
  Value high = e.gt(x, e.c(kHigh));
  Value v = e.select(high, e.c(kHigh), x);
  v = e.select(e.lt(v, e.c(kLow)), e.c(kLow), v);
  ExpSplit t = buildExpTablePairF32(e, v, Value());
  // N renormalized: l is up to 1% of h there, and the pair products below
  // drop the product of the low parts.
  Pair N = e.fastTwoSum(t.h, t.l);
  Pair E = {e.scaleByFloat(N.hi, Value(), t.nf),
            e.scaleByFloat(N.lo, Value(), t.nf)};
  Pair p = addConstant(e, E, 2.0);                // E + 2
  Pair d = addConstant(e, mulPair(e, E, p), 2.0); // E (E + 2) + 2
  Pair np = mulPair(e, N, p);                     // N (E + 2)
  Pair num = e.twoProd(v, np.hi);
  num.lo = e.fma(v, np.lo, num.lo);
  Value q = e.divPair(num, d);
  Value y = e.copySign(e.scaleByFloat(q, Value(), t.nf), x);
  return e.select(high, x, y);
}

/// a + c for a constant c with |a.hi| >= c (Fast2Sum).
static Pair addSmallConstant(Emitter &e, Pair a, double c) {
  Pair s = e.fastTwoSum(a.hi, e.c(c));
  s.lo = e.add(s.lo, a.lo);
  return s;
}

/// w next to its zero x0 = head + tail (`root`, FastGradRoots.def's mish
/// series: w = d q(d), d = x - x0) from dh = x - head (exact): c0 d with c0
/// and d pairs (c0h tail a constant), plus d^2 R(d), R to c5 (w's terms
/// from d^7 on are below 2^-32 of it within 1/16).
static Pair seriesOfW(Emitter &e, const GradRoot &root, Value dh) {
  double c0 = root.series[0], c0h = (float)c0, dl = -root.tail;
  Pair g = e.twoProd(e.c(c0h), dh);
  g.lo = e.fma(e.c((float)(c0 - c0h)), dh, e.add(g.lo, e.c(c0h * dl)));
  Value d = e.add(dh, e.c(dl));
  g.lo = e.fma(e.mul(d, d), e.poly(d, root.series.slice(1, 5)), g.lo);
  return g;
}

Value mlir::act::approx::buildAccurateMishGradF32(Emitter &e, Value x,
                                                  const GradRoot &root,
                                                  Value dy) {
  // Clamped by selects that keep a NaN.
  Value high = e.gt(x, e.c(kHigh));
  Value v = e.select(high, e.c(kHigh), x);
  v = e.select(e.lt(v, e.c(kGradLow)), e.c(kGradLow), v);
  ExpSplit t = buildExpTablePairF32(e, v, Value());
  Pair N = e.fastTwoSum(t.h, t.l);
  Pair E = {e.scaleByFloat(N.hi, Value(), t.nf),
            e.scaleByFloat(N.lo, Value(), t.nf)};
  // p = E + 2, u = p - 1 = 1 + E (ph - 1 is exact for ph >= 2).
  Pair p = addConstant(e, E, 2.0);
  Pair u = {e.sub(p.hi, e.c(1.0)), p.lo};
  // d = u^2 + 1 (u^2 >= 1), u^2's low part 2 uh ul (ul^2 < 2^-46 of it).
  Pair square = e.twoProd(u.hi, u.hi);
  square.lo = e.fma(e.add(u.hi, u.hi), u.lo, square.lo);
  Pair d = addSmallConstant(e, square, 1.0);
  // w = p d + 4 x u: the high parts' sum exact (they cancel at x0), by
  // Fast2Sum on the larger first (4 x u below x0, p d above).
  Pair pd = mulPair(e, p, d);
  Value x4 = e.mul(v, e.c(4.0));
  Pair xu = e.twoProd(x4, u.hi);
  xu.lo = e.fma(x4, u.lo, xu.lo);
  Value dh = e.sub(v, e.c(root.head));
  Value below = e.lt(dh, e.c(0.0));
  Pair w = e.fastTwoSum(e.select(below, xu.hi, pd.hi),
                        e.select(below, pd.hi, xu.hi));
  w.lo = e.add(w.lo, e.add(pd.lo, xu.lo));
  Value near = e.lt(e.abs(dh), e.c(kSeriesDelta));
  // The series renormalized (off w's path): its low part holds d^2 R(d)
  // (2^-5.5 of w), whose share of the quotient would round three times
  // more, and its high part is 0 at x0's f32 head.
  Pair s = seriesOfW(e, root, dh);
  s = e.fastTwoSum(s.hi, s.lo);
  w = {e.select(near, s.hi, w.hi), e.select(near, s.lo, w.lo)};
  // N w / d^2, d^2 as a pair as u^2 above.
  Pair num = mulPair(e, N, w);
  Pair den = e.twoProd(d.hi, d.hi);
  den.lo = e.fma(e.add(d.hi, d.hi), d.lo, den.lo);
  if (!dy) {
    Value y = e.scaleByFloat(e.divPair(num, den), Value(), t.nf);
    return e.select(high, e.c(1.0), y);
  }
  // divPair's quotient before its last FMA, q + ql, times dy and rounded
  // once (num.lo last into the residual: the kernel is latency-bound). q is
  // about 2^-n f', so 2^n scales q and 1 / dh first, down to 2^-64 (dy q
  // neither loses bits for a tiny dy nor overflows for a huge one), and the
  // rest of it the result (which the subnormal grid rounds once).
  Value reciprocal = e.div(e.c(1.0), den.hi);
  Value q = e.mul(num.hi, reciprocal);
  Value residual = e.fma(e.neg(q), den.hi, num.hi);
  residual = e.add(e.fma(e.neg(q), den.lo, residual), num.lo);
  Value nfFirst = e.max(t.nf, e.c(-64.0));
  Value nfLast = e.sub(t.nf, nfFirst);
  Value ql = e.mul(residual, e.scaleByFloat(reciprocal, Value(), nfFirst));
  // dy q + -0 for dy = +-inf (not inf - inf) and for dy = +-0 (the zero
  // of the product's sign, where dy q + dy ql may be +0 - 0).
  Value a = e.abs(dy);
  Value ordinary = e.andI1(e.lt(a, e.c(INFINITY)), e.gt(a, e.c(0.0)));
  Value low = e.select(ordinary, e.mul(dy, ql), e.c(-0.0));
  Value y = e.fma(dy, e.scaleByFloat(q, Value(), nfFirst), low);
  y = e.scaleByFloat(y, Value(), nfLast);
  return e.select(high, dy, y);
}
