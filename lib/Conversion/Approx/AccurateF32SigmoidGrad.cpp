//===- AccurateF32SigmoidGrad.cpp - accurate sigmoid-product grads --------===//
//
// precision=accurate, f32, without f64: the derivative of m sigmoid(t) with
// m = t (silu, swish, quick_gelu), f'(t) = sigmoid(t) + t sigmoid'(t),
// written without cancellation as ComposedF32.cpp's fast form does, with
// every sum and product a pair and one rounding at the end. f' is odd
// about (0, 1/2): f'(t) = 1 - f'(-t), so only u = -|t| <= 0 is evaluated:
//
//   f'(u) = 2^n ((h + l) G) / (1 + E)^2,   G = 1 + u + E,
//
// E = exp(u) = 2^n (h + l) (AVX-512: the table core below, ~2^-29.5
// relative; otherwise AccurateF32Sigmoid.cpp's, ~2^-28), 1 + E, (1 + E)^2,
// G and (h + l) G as pairs, the quotient one division and a residual
// step, 2^n applied last; t >= 0 takes 1 - f'(u) (f'(u)'s rounding is at
// most a quarter ULP of it there). G vanishes where f' does (u0 =
// -1.278): there E's error would be a large part of G, so within 1/16 of
// u0, G = d q(d) with d = u - u0 (an exact difference plus u0's tail) and
// q the series of FastGradRoots.def: G to ~2^-30 relative.
//
// The tanh GELUs (f = x sigmoid(t), t = k x (1 + a x^2) odd, m = x t'(x))
// have the same symmetry in x: f'(x) = 1 - f'(-x), G = 1 + m + E at v =
// -|x| with t and m pairs from twoProd(v, v), and their series in x next
// to x0 = -0.7525.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

/// Below u = -150 f'(u) is 0 (2^n under 2^-216).
static constexpr double kClamp = 150.0;
static constexpr double kLog2e = 1.4426950408889634;
/// 1.5 * 2^18: adding it rounds to a multiple of 1/32 held in the low bits.
static constexpr double kShifter32 = 0x1.8p18;
/// ln 2 rounded to f32 (n ln2_hi - u is exact for |u| <= 150) and the rest.
static constexpr double kLn2Hi = 0x1.62e430p-1;
static constexpr double kLn2Lo = 0.6931471805599453 - 0x1.62e430p-1;

namespace {
/// E = exp(u) = 2^n N, N = nh + nl (|nl| <= ulp(nh) / 2), and E itself as
/// eh + el where 2^n >= 2^-126 (else E only meets 1 + ..., below the
/// pairs' precision). `nf`: n as a float (AVX-512: n + j/32, which
/// vscalefps floors); `scale`: 2^max(n, -127) without AVX-512.
struct ExpOfU {
  Value n, nf, scale;
  Pair N, E;
};
} // namespace

/// The table core (AVX-512): u = (n + j/32) ln 2 + r1 + rl, |r1| <= ln 2 /
/// 64, exp(u) = 2^n T_j (1 + p), T_j = 2^(j/32) as an f32 pair read by two
/// vpermt2ps, p = r1 + r1^2 (1/2 + r1/6 + r1^2/24) + rl (1 + r1) (r^5 /
/// 120 < 2^-39.6), N = T_hi + (T_hi p + T_lo), the sum rounded at ~0.02 of
/// N: ~2^-29.5 relative.
static ExpOfU expTable(Emitter &e, Value u, Value ul) {
  Value shifter = e.c(kShifter32);
  Value k = e.fma(u, e.c(kLog2e), shifter);
  Value bits = e.toBits(k);
  SmallVector<double, 32> hi, lo;
  getExp2Table32(hi, lo);
  ExpOfU x;
  x.nf = e.sub(k, shifter);
  Value r1 = e.fma(x.nf, e.c(-kLn2Hi), u);
  Value rl = e.mul(x.nf, e.c(-kLn2Lo));
  if (ul)
    rl = e.add(rl, ul);
  Value q = e.fma(e.fma(r1, e.c(1.0 / 24), e.c(1.0 / 6)), r1, e.c(0.5));
  Value w = e.fma(e.mul(r1, r1), q, e.fma(rl, r1, rl));
  Value th = e.lookup32(hi, bits), tl = e.lookup32(lo, bits);
  x.N = e.fastTwoSum(th, e.fma(th, r1, e.fma(th, w, tl)));
  x.E = {e.scaleByFloat(x.N.hi, Value(), x.nf),
         e.scaleByFloat(x.N.lo, Value(), x.nf)};
  return x;
}

/// Without AVX-512: AccurateF32Sigmoid.cpp's core on -|u| = u.
static ExpOfU expCore(Emitter &e, Value u, Value ul) {
  AccurateExp p = buildAccurateExpOfMinusAbsF32(e, {u, ul});
  ExpOfU x;
  x.n = p.n;
  x.nf = p.nf;
  x.scale = p.scale;
  x.N = {p.h, p.l};
  x.E = {e.mul(p.h, p.scale), e.mul(p.l, p.scale)};
  return x;
}

/// 2^n a (vscalefps with AVX-512).
static Value scaleBy(Emitter &e, const ExpOfU &x, Value a) {
  return e.hasAVX512() ? e.scaleByFloat(a, Value(), x.nf)
                       : e.scaleByFloat(a, x.n, x.nf);
}

/// A product of pairs, the low parts' product dropped.
static Pair mulPair(Emitter &e, Pair a, Pair b) {
  Pair p = e.twoProd(a.hi, b.hi);
  p.lo = e.fma(a.hi, b.lo, e.fma(a.lo, b.hi, p.lo));
  return p;
}

/// G = d q(d) next to the zero of `root`, d = u - u0 = dh + dl (dh exact,
/// Sterbenz), as c0 d + d^2 R(d) with c0 a pair (|d R| < 2^-7 c0: R's
/// roundings are below 2^-31 of G).
Pair mlir::act::approx::buildSeriesOfRootF32(Emitter &e, const GradRoot &root,
                                             Pair u) {
  Value dh = e.sub(u.hi, e.c(root.head));
  Value dl = u.lo ? e.sub(u.lo, e.c(root.tail)) : e.c(-root.tail);
  double c0 = root.series[0];
  double c0h = (double)(float)c0;
  Pair g = e.twoProd(e.c(c0h), dh);
  g.lo = e.fma(e.c(c0h), dl, e.fma(e.c((double)(float)(c0 - c0h)), dh, g.lo));
  Value d = e.add(dh, dl);
  g.lo = e.fma(e.mul(d, d), e.poly(d, root.series.drop_front()), g.lo);
  return g;
}

Value mlir::act::approx::keepZeroSignOfDy(Emitter &e, Value dy, Value low) {
  return e.select(e.eq(dy, e.c(0.0)), e.c(-0.0), low);
}

Value mlir::act::approx::dropLowForSpecialDy(Emitter &e, Value dy, Value low) {
  Value infinite = e.eq(e.abs(dy), e.c(INFINITY));
  return keepZeroSignOfDy(e, dy, e.select(infinite, e.c(-0.0), low));
}

Value mlir::act::approx::buildProductByPairF32(Emitter &e, Value dy, Pair p) {
  return e.fma(dy, p.hi, dropLowForSpecialDy(e, dy, e.mul(dy, p.lo)));
}

/// f'(u) = 2^n (h + l) G / (1 + E)^2 from E's pair and G (`d` = 1 + E as
/// a pair), rounded once (a subnormal result twice at most); then for the
/// lanes where the input was >= 0 (not `negative`), 1 - f'(u) with
/// f'(u) in [-0.17, 1/2] rounded (0.53 ULP of it: under 0.27 ULP of the
/// difference in [1/2, 1.17]), rounded again. With `dy` (the kernel's
/// product dx = dy f', folded in by act-math-approx), the quotient stays a
/// pair q + ql and dy multiplies it before the one rounding: 2^n fma(dy,
/// q, dy ql) where the input was negative, and where it was not, 1 -
/// 2^n (q + ql) as the exact pair Fast2Sum(1, -2^n q) less 2^n ql, times
/// dy the same way (dy f' rounded twice measured 1.89 ULP of dx).
static Value finish(Emitter &e, const ExpOfU &x, Pair d, Pair G,
                    Value negative, Value dy) {
  // (1 + E)^2 as a pair: dh^2 by twoProd, 2 dh dl into its low part (dl^2
  // < 2^-48): small next to the high part, as the division's one residual
  // step needs.
  Pair square = e.twoProd(d.hi, d.hi);
  square.lo = e.fma(e.add(d.hi, d.hi), d.lo, square.lo);
  if (!dy) {
    Value q = e.divPair(mulPair(e, x.N, G), square);
    Value y = scaleBy(e, x, q);
    return e.select(negative, y, e.sub(e.c(1.0), y));
  }
  // divPair's quotient before its last FMA: q + ql.
  Pair num = mulPair(e, x.N, G);
  Value reciprocal = e.div(e.c(1.0), square.hi);
  Value q = e.mul(num.hi, reciprocal);
  Value residual = e.fma(e.neg(q), square.hi, num.hi);
  residual = e.add(residual, e.fma(e.neg(q), square.lo, num.lo));
  Value ql = e.mul(residual, reciprocal);
  Pair one = e.fastTwoSum(e.c(1.0), e.neg(scaleBy(e, x, q)));
  one.lo = e.sub(one.lo, scaleBy(e, x, ql));
  Value p = buildProductByPairF32(
      e, dy, {e.select(negative, q, one.hi), e.select(negative, ql, one.lo)});
  return e.select(negative, scaleBy(e, x, p), p);
}

/// 1 + E = dh + dl (E <= 1).
static Pair onePlus(Emitter &e, const ExpOfU &x) {
  Pair d = e.fastTwoSum(e.c(1.0), x.E.hi);
  d.lo = e.add(d.lo, x.E.lo);
  return d;
}

static ExpOfU expOf(Emitter &e, Value uh, Value ul) {
  return e.hasAVX512() ? expTable(e, uh, ul) : expCore(e, uh, ul);
}

Value mlir::act::approx::buildAccurateSiluGradF32(Emitter &e, Pair t,
                                                  const GradRoot &root,
                                                  Value dy) {
  Value zero = e.c(0.0);
  Value negative = e.lt(t.hi, zero);
  // u = -|t| = uh + ul, clamped to -150 (NaN passes).
  Value a = e.neg(e.abs(t.hi)), bound = e.c(-kClamp);
  Value uh = e.select(e.lt(a, bound), bound, a);
  Value ul;
  if (t.lo)
    ul = e.select(e.lt(e.abs(t.hi), e.c(kClamp)),
                  e.select(negative, t.lo, e.neg(t.lo)), zero);
  ExpOfU x = expOf(e, uh, ul);
  Pair d = onePlus(e, x);
  // G = u + (1 + E): the high parts' sum exact, next to u0 the series.
  Pair G = e.twoSum(uh, d.hi);
  G.lo = e.add(G.lo, ul ? e.add(ul, d.lo) : d.lo);
  Value near = e.lt(e.abs(e.sub(uh, e.c(root.head))), e.c(root.delta));
  Pair s = buildSeriesOfRootF32(e, root, {uh, ul});
  G = {e.select(near, s.hi, G.hi), e.select(near, s.lo, G.lo)};
  return finish(e, x, d, G, negative, dy);
}

/// Below x = -12, t = k x (1 + a x^2) < -142 for the tanh GELUs: f' rounds
/// to -0 there.
static constexpr double kCubicClamp = 12.0;

Value mlir::act::approx::buildAccurateCubicGeluGradF32(Emitter &e, Value x,
                                                       double k, double a,
                                                       const GradRoot &root,
                                                       Value dy) {
  // f(x) = x sigmoid(t(x)) with t odd: f'(x) = 1 - f'(-x), so only v =
  // -|x| (clamped, NaN passes) is evaluated, t(v) <= 0, m(v) <= 0.
  Value negative = e.lt(x, e.c(0.0));
  Value a0 = e.neg(e.abs(x)), bound = e.c(-kCubicClamp);
  Value v = e.select(e.lt(a0, bound), bound, a0);
  auto [t, m] = buildCubicArgumentsF32(e, v, k, a);
  ExpOfU ex = expOf(e, t.hi, t.lo);
  Pair d = onePlus(e, ex);
  // G = m + (1 + E), next to x0 the series in x.
  Pair G = e.twoSum(m.hi, d.hi);
  G.lo = e.add(G.lo, e.add(m.lo, d.lo));
  Value near = e.lt(e.abs(e.sub(v, e.c(root.head))), e.c(root.delta));
  Pair s = buildSeriesOfRootF32(e, root, {v, Value()});
  G = {e.select(near, s.hi, G.hi), e.select(near, s.lo, G.lo)};
  return finish(e, ex, d, G, negative, dy);
}
