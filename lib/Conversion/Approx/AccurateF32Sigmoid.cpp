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
// With AVX-512 (16 x f32) E comes from the 32-entry table core instead:
// -|t| = (n + j/32) ln 2 + r, |r| <= ln(2) / 64, E = 2^n (th + tl) with
// th = 2^(j/32) rounded to f32 (one vpermt2ps) and tl = th (r + r^2/2 +
// r^3/6) + (2^(j/32) - th) (a second one), about 2^-29 relative and not
// renormalized (|tl| <= 0.023 th: the quotient's residual step takes it
// as its numerator's low part). About 30 vector ops per 16 lanes where
// the degree-5 core with its pair reduction took about 50
// (docs/accuracy.md, "Accurate sigmoid family speed (session 9, sigfwd)").
// The lone sigmoid re-splits E = 2^n (eh + el) with eh = th (1 + r1)
// rounded, so that 1 + E's head and its reciprocal (vrcp14ps) do not wait
// for the polynomial; the residual step makes up the estimate's 2^-14
// (docs/accuracy.md, "Accurate sigmoid forward (session 14, accsig)").
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

namespace {
/// The table core's E = exp(-|t|) = 2^n (th + tl), tl = th w + (2^(j/32) -
/// th) with w = exp(r) - 1; `nf` is n + j/32 (vscalefps floors it), pow2n
/// = 2^n, eh = 2^n th (exact where 2^n >= 2^-126; below, E is under the
/// pairs' precision next to 1; vscalefps gives 2^n = 0 from n < -149) and
/// dh = 1 + E rounded twice (within ~2^-23 of it: it does not wait for
/// tl); `negative` is t < 0 and `far` t < -kTableClamp (where m sigmoid(t)
/// is 0 for every finite m). r1 is the reduced argument before ln 2's low
/// part and ul, w = exp(r) - 1 and tail = 2^(j/32) - th (tl = th w + tail).
struct TableParts {
  Value negative, far, nf, th, tl, pow2n, eh, dh, r1, w, tail;
};
} // namespace

/// -|t| is clamped to -200, not -150: 2^n then lies below 2^-288, so m 2^n
/// (th + tl) / (1 + E) rounds to +-0 for every finite m by itself.
static constexpr double kTableClamp = 200.0;
static constexpr double kLog2e = 1.4426950408889634;
/// 1.5 * 2^18: adding it rounds to a multiple of 1/32 held in the low bits.
static constexpr double kShifter32 = 0x1.8p18;
/// ln 2 rounded to f32 (u - nf ln2_hi is exact for |u| <= 200) and the rest.
static constexpr double kLn2Hi = 0x1.62e430p-1;
static constexpr double kLn2Lo = 0.6931471805599453 - 0x1.62e430p-1;

/// The table core's E = exp(u + ul) for u = -|t| in [-kTableClamp, 0]
/// (ul its low part, or null): nf, th, tl, pow2n, eh, dh, r1, w and tail
/// of `p`.
static void buildTableCore(Emitter &e, Value u, Value ul, TableParts &p) {
  Value shifter = e.c(kShifter32);
  Value k = e.fma(u, e.c(kLog2e), shifter);
  Value bits = e.toBits(k);
  p.nf = e.sub(k, shifter);
  // r = u + ul - nf ln 2: the first FMA exact, then ul and ln 2's rest,
  // each rounded at 2^-31 (|r| < 2^-6.5).
  Value r1 = e.fma(p.nf, e.c(-kLn2Hi), u);
  p.r1 = r1;
  Value r = ul ? e.add(r1, e.fma(p.nf, e.c(-kLn2Lo), ul))
               : e.fma(p.nf, e.c(-kLn2Lo), r1);
  // exp(r) - 1 = r + r^2 (1/2 + r/6) + r^4/24 (< 2^-30.7) + ...
  Value w = e.fma(e.mul(r, r), e.fma(r, e.c(1.0 / 6), e.c(0.5)), r);
  p.w = w;
  SmallVector<double, 32> head, tail;
  getExp2Table32(head, tail);
  p.th = e.lookup32(head, bits);
  p.tail = e.lookup32(tail, bits);
  p.tl = e.fma(p.th, w, p.tail);
  p.pow2n = e.scaleByFloat(e.c(1.0), Value(), p.nf);
  p.eh = e.mul(p.th, p.pow2n);
  p.dh = e.add(e.c(1.0), e.fma(p.eh, w, p.eh));
}

/// The low part of -|t| for a pair argument t (null without one): t.lo with
/// its sign flipped where t.hi >= 0 (t.lo = 0 where t.hi = 0; one
/// vpternlogd), 0 where |t.hi| > kTableClamp (t.lo is meaningless next to
/// a clamped t.hi; a comparison of its own, not u's mask, keeps vmaxps).
static Value negatedAbsLowPart(Emitter &e, Pair t) {
  if (!t.lo)
    return Value();
  OpBuilder &builder = e.getBuilder();
  Location loc = e.getLoc();
  Value sign = e.ci(INT32_MIN);
  Value flip = arith::AndIOp::create(
      builder, loc,
      arith::XOrIOp::create(builder, loc, e.toBits(t.hi), e.ci(-1)), sign);
  return e.select(
      e.le(e.abs(t.hi), e.c(kTableClamp)),
      e.fromBits(arith::XOrIOp::create(builder, loc, e.toBits(t.lo), flip)),
      e.c(0.0));
}

static TableParts buildTableParts(Emitter &e, Pair t) {
  TableParts p;
  Value zero = e.c(0.0), bound = e.c(-kTableClamp);
  p.negative = e.lt(t.hi, zero);
  p.far = e.lt(t.hi, bound);
  // u = -|t| clamped (NaN passes: the comparison is false; one vmaxps).
  Value a = e.neg(e.abs(t.hi));
  Value u = e.select(e.lt(a, bound), bound, a);
  buildTableCore(e, u, negatedAbsLowPart(e, t), p);
  return p;
}

/// 1 + E = dh + dl with |dl| about ulp(dh) / 2 (a residual step on a pair
/// denominator needs it normalized; tl is up to 0.023 th): dl = (2^n th -
/// (dh - 1)) + 2^n tl, the difference exact.
static Pair onePlusE(Emitter &e, const TableParts &p) {
  return {p.dh,
          e.fma(p.tl, p.pow2n, e.sub(p.eh, e.sub(p.dh, e.c(1.0))))};
}

/// a, except where b is +-inf (+inf alone with `positiveOnly`): b (token 1
/// of vfixupimmps for classes 4 and 5).
static Value infinityTakesB(Emitter &e, Value a, Value b,
                            bool positiveOnly = false) {
  return e.fixupByClass(a, b, (positiveOnly ? 0 : 1 << 16) | (1 << 20));
}

/// sigmoid(t) alone on the table core: N / (1 + E) with N = 2^-n E for t <
/// 0 (2^n applied last: a subnormal result rounds again in vscalefps), N =
/// 1 elsewhere, rounded once.
///
/// E = 2^n (eh + el) with eh = th (1 + r1) rounded (one FMA from r1, the
/// reduced argument before ln 2's low part: neither 1 + E's head nor its
/// reciprocal waits for the polynomial, the tail or ul) and el = th w + tail
/// - (eh - th) (eh - th exact, |el| <= 2^-14 eh). eh <= 2^-n where E <= 1,
/// so dh = 1 + 2^n eh (one FMA; within 2^-15 of 1 + E) lies in [1, 2].
///
/// The quotient: q = nh c with c = vrcp14ps(dh) (q within 2^-12.7 of the
/// quotient, with the 2^-14 of N's low part that q leaves out), then one
/// residual step, N - q (1 + E) = (nh - q) - q 2^n eh - (q 2^n - [t < 0])
/// el, times c: q in [nh/2, nh] makes nh - q exact (vrcp14ps is exact at 1
/// and 2 and monotone between them: c in [1/2, 1]), q 2^n is exact where
/// it is not below 2^-126 (there q E is below the residual's precision),
/// and the two FMAs round at 2^-24 of terms up to 2^-14 q. The step leaves
/// the product of the two first errors, 2^-12.7 * 2^-13.4 = 2^-26.1 of the
/// result at most.
static Value buildTableSigmoid(Emitter &e, Pair t) {
  TableParts p;
  Value one = e.c(1.0);
  p.negative = e.lt(t.hi, e.c(0.0));
  // u = -min(|t|, 200) in one vrangeps; it gives -200 for a NaN t (the NaN
  // comes back through nh below).
  Value u = e.negatedMinMagnitude(t.hi, e.c(kTableClamp));
  buildTableCore(e, u, negatedAbsLowPart(e, t), p);
  Value eh = e.fma(p.th, p.r1, p.th);
  Value el = e.fma(p.th, p.w, e.sub(p.tail, e.sub(eh, p.th)));
  // nh = eh where t < 0 or t = -inf, 1 where t >= 0 (+-0, +1 and +inf
  // among them), NaN where t is NaN: one vfixupimmps (tokens: 2 QNaN of
  // t, 0 keeps eh, 10 gives +1; by class QNaN, SNaN, +-0, +1, -inf, +inf,
  // negative, positive).
  Value nh = e.fixupByClass(eh, t.hi, static_cast<int32_t>(0xA0A0AA22u));
  Value reciprocal = e.reciprocalEstimate(e.fma(p.pow2n, eh, one));
  Value q = e.mul(nh, reciprocal);
  // The residual negated (no product is negated: LLVM would move an fneg
  // of q 2^n onto 2^n, one vxorps more); el's factor is q 2^n - 1 where t
  // < 0 (a masked vaddps off the residual's chain).
  Value qScaled = e.mul(q, p.pow2n);
  Value excess = e.fma(qScaled, eh, e.sub(q, nh));
  Value lowFactor = e.select(p.negative, e.sub(qScaled, one), qScaled);
  excess = e.fma(lowFactor, el, excess);
  Value s = e.fma(e.neg(excess), reciprocal, q);
  return e.select(p.negative, e.scaleByFloat(s, Value(), p.nf), s);
}

/// m sigmoid(t) from the table parts: (m S) / (1 + E) scaled by 2^n where
/// t < 0 (S = 2^-n E as a pair there, m S a pair), m / (1 + E) elsewhere.
/// `mNegative` is the m where t < 0, `mPositive` the m elsewhere.
static Value buildTableQuotient(Emitter &e, const TableParts &p,
                                Value mNegative, Value mPositive) {
  Pair d = onePlusE(e, p);
  Value zero = e.c(0.0);
  Pair mh = e.twoProd(mNegative, p.th);
  mh.lo = e.fma(mNegative, p.tl, mh.lo);
  Pair num = {e.select(p.negative, mh.hi, mPositive),
              e.select(p.negative, mh.lo, zero)};
  Value s = e.divPair(num, d);
  return e.scaleByFloat(s, Value(), e.select(p.negative, p.nf, zero));
}

/// m sigmoid(t) on the table core: m (th + tl) / (1 + E) for t < 0, m /
/// (1 + E) otherwise, the quotient rounded once (Emitter::divPair's
/// residual step on 1 + E as a pair; m th by twoProd, m tl by FMA), 2^n
/// for t < 0 last. (The lone sigmoid's session-11 step, 1 + E never a pair,
/// measured 0.83-0.85x here: the four interleaved copies of silu's loop,
/// with three masks each, were scheduled one after another.) `independent`:
/// as in buildAccurateSigmoidProductF32.
static Value buildTableSigmoidProduct(Emitter &e, Value m, Pair t,
                                      bool independent) {
  if (!m)
    return buildTableSigmoid(e, t);
  TableParts p = buildTableParts(e, t);
  Value y = buildTableQuotient(e, p, m, m);
  Value zero = e.c(0.0);
  if (independent) {
    // dy = +-inf: dy sigmoid(t) is dy wherever sigmoid(t) > 0, also where
    // it underflows; NaN where t is NaN (nf is, and is finite elsewhere:
    // m + nf 0 is m when m is infinite); dy's sign everywhere.
    return e.copySign(infinityTakesB(e, y, e.fma(p.nf, zero, m)), m);
  }
  // m = +-inf meets inf - inf or inf 0: m sigmoid(t) = m there, but 0
  // where t < -200 (silu(-inf) = -0); m's sign everywhere (-0 for
  // silu(-0): m c is +0).
  y = e.select(p.far, zero, infinityTakesB(e, y, m));
  return e.copySign(y, m);
}

/// |x| where the tanh GELUs' clamp starts: t(11) = 112.5 for gelu_tanh, so
/// that 2^n (11 S) underflows beyond it on the x < 0 side and x / (1 + E)
/// rounds to x on the other.
static constexpr double kCubicClamp = 11.0;

Value mlir::act::approx::buildAccurateCubicSigmoidProductF32(Emitter &e,
                                                             Value x, double k,
                                                             double a) {
  double tAtClamp = k * kCubicClamp * (1 + a * kCubicClamp * kCubicClamp);
  if (!(k > 0 && a > 0 && tAtClamp >= 104 + std::log(kCubicClamp) &&
        tAtClamp <= kTableClamp))
    return Value();
  // t is odd and increasing in x: -|t| = t(-|xc|) as a pair, within the
  // table core's range, so that neither it nor its low part is clamped or
  // sign-flipped (four ops fewer than buildTableParts).
  Value xc = e.clamp(x, -kCubicClamp, kCubicClamp);
  Pair u = buildAccurateCubicArgumentF32(e, e.neg(e.abs(xc)), k, a);
  TableParts p;
  p.negative = e.lt(x, e.c(0.0));
  buildTableCore(e, u.hi, u.lo, p);
  // As buildTableSigmoidProduct with m = xc where x < 0 (beyond the clamp
  // 2^n (xc S) underflows to -0) and m = x elsewhere (x / (1 + E) rounds to
  // x beyond it).
  Value y = buildTableQuotient(e, p, xc, x);
  // x = +inf meets inf - inf in the residual step (x = -inf took xc); x's
  // sign everywhere (-0 for x = -0: the step adds +0).
  return e.copySign(infinityTakesB(e, y, x, /*positiveOnly=*/true), x);
}

Pair mlir::act::approx::buildAccurateCubicArgumentF32(Emitter &e, Value x,
                                                      double k, double a) {
  // A constant's f32 head and the rest (null where the rest is 0).
  auto split = [&](double v) -> Pair {
    float hi = (float)v, lo = (float)(v - hi);
    return {e.c(hi), lo == 0 ? Value() : e.c(lo)};
  };
  if (a == 0) {
    if (k == 1)
      return {x, Value()};
    Pair kp = split(k);
    Pair t = e.twoProd(kp.hi, x);
    if (kp.lo)
      t.lo = e.fma(kp.lo, x, t.lo);
    return t;
  }
  // x^2 = sh + sl exactly; c x^2 (c = k a = ch + cl) as a pair, the
  // product of the low parts dropped (2^-48).
  Pair s = e.twoProd(x, x);
  Pair c = split(k * a);
  Pair p = e.twoProd(c.hi, s.hi);
  if (c.lo)
    p.lo = e.fma(c.lo, s.hi, p.lo);
  p.lo = e.fma(c.hi, s.lo, p.lo);
  // g = k + c x^2: twoSum of the high parts (either may be the larger),
  // then the low parts.
  Pair kp = split(k);
  Pair g = e.twoSum(kp.hi, p.hi);
  g.lo = e.add(g.lo, kp.lo ? e.add(p.lo, kp.lo) : p.lo);
  // t = x g.
  Pair t = e.twoProd(x, g.hi);
  t.lo = e.fma(x, g.lo, t.lo);
  return t;
}

Value mlir::act::approx::buildAccurateSigmoidProductF32(Emitter &e, Value m,
                                                        Pair t,
                                                        bool independent) {
  if (e.hasAVX512() && e.isF32())
    return buildTableSigmoidProduct(e, m, t, independent);
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

/// 2^k E / (1 + E)^2 on the table core, 2^n 2^k applied last; with dy,
/// dy (th + tl) as the numerator pair (dy th by twoProd), so that dy f'
/// rounds once.
static Value buildTableSigmoidPrime(Emitter &e, Pair t, int log2Scale,
                                    Value dy) {
  TableParts p = buildTableParts(e, t);
  // (1 + E)^2 = dh^2 + 2 dh dl (+ dl^2 < 2^-46), the first exact.
  Pair d = onePlusE(e, p);
  Pair square = e.twoProd(d.hi, d.hi);
  square.lo = e.fma(e.add(d.hi, d.hi), d.lo, square.lo);
  Pair num = {p.th, p.tl};
  if (dy) {
    num = e.twoProd(dy, p.th);
    num.lo = e.fma(dy, p.tl, num.lo);
  }
  Value q = e.divPair(num, square);
  Value nf = log2Scale ? e.add(p.nf, e.c(log2Scale)) : p.nf;
  Value y = e.scaleByFloat(q, Value(), nf);
  if (!dy)
    return y;
  // dy = +-inf meets inf - inf in the residual step: dy f' = dy there (f'
  // > 0, also where it underflows), but NaN where t is NaN (nf is, and is
  // finite elsewhere: dy + nf 0 is dy when dy is infinite); dy's sign
  // everywhere (f' >= 0; -0 for dy = -0: the residual step adds +0).
  Value special = e.fma(p.nf, e.c(0.0), dy);
  return e.copySign(infinityTakesB(e, y, special), dy);
}

Value mlir::act::approx::buildAccurateSigmoidPrimeF32(Emitter &e, Pair t,
                                                      int log2Scale,
                                                      Value dy) {
  if (e.hasAVX512() && e.isF32())
    return buildTableSigmoidPrime(e, t, log2Scale, dy);
  if (dy) // the former form: the product after it, as before
    return e.mul(dy, buildAccurateSigmoidPrimeF32(e, t, log2Scale));
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
