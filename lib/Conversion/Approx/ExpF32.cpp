//===- ExpF32.cpp - exp, exp2 and expm1 in f32 ----------------------------===//
//
// One core: n = round(x / ln 2) by the 1.5 * 2^23 shifter, r = x - n ln 2
// with ln 2 split in a 16-bit head (n * head is exact, so the first FMA is)
// and a tail whose product error is kept (r = rh + rl exactly, accurate
// mode), exp(r) = 1 + r + r^2 q(r) with q a degree-5 (fast: 4) Chebyshev fit
// on |r| <= ln(2) / 2 + 1e-4. The sum 1 + r is kept as a pair so the
// polynomial's rounding lands below the result's last bit, and 2^n is
// applied in two exact power-of-two factors, so a subnormal result rounds
// once.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kLog2e = 1.4426950408889634;
/// ln 2 = kLn2Head + kLn2Tail + O(2^-44); kLn2Head has 16 significant bits.
static constexpr double kLn2Head = 0x1.62e4p-1;
static constexpr float kLn2Tail = (float)(0.6931471805599453 - 0x1.62e4p-1);
/// (exp(r) - 1 - r) / r^2, |r| <= 0.3467: Approx.h's kExpQ5, and fast:
static constexpr double kExpQ4[] = {
    0.49999999995,         1.6666576921985398e-1, 4.1666554532615786e-2,
    8.3631903256151493e-3, 1.3926197669429921e-3};
/// exp(r) ~ 1 + c1 r + ... + c5 r^5, |r| <= 0.3467: relative minimax
/// (Lawson), 2^-23.35 with these f32 coefficients (the coarse fast core).
static constexpr double kExpH5[] = {1.0,
                                    0.9999997019767761,
                                    0.4999914765357971,
                                    0.1666763722896576,
                                    0.04189806431531906,
                                    0.008290289901196957};
/// 1.5 * 2^23: adding it rounds to an integer held in the low bits.
static constexpr double kShifter = 0x1.8p23;

/// exp(r) ~ 1 + c1 r + c2 r^2 on |r| <= ln(2) / 64: relative minimax
/// (Lawson) with f32 coefficients, 2^-24.16 (the table core below).
static constexpr double kExpTableP2[] = {0x1.0000f6p+0, 0x1.000008p-1};
/// ln 2 rounded to f32 and the rest (the table core's reduction).
static constexpr double kLn2F32 = 0x1.62e430p-1;
static constexpr double kLn2F32Rest = (double)(float)(0.6931471805599453 - 0x1.62e430p-1);
/// 1.5 * 2^18: adding it rounds to a multiple of 1/32 held in the low bits.
static constexpr double kShifter32 = 0x1.8p18;

namespace {
/// exp(x) = 2^n (h + l) with h = 1 + r rounded.
struct ExpParts {
  Value n, nf, h, l;
  /// r and its low part (the reduced argument), for expm1.
  Value r, rl;
};
} // namespace

/// The exp core on an argument x + xl that needs no clamping. With
/// `single` (fast callers that only need h + l), h = 1 + r + r^2 q(r) in
/// one Horner chain and l is null: five ops fewer, ~0.2 ULP more.
static ExpParts reduceExp(Emitter &e, Value x, Value xl, bool fast,
                          bool single = false, bool coarse = false,
                          bool minusOne = false) {
  Value shifter = e.c(kShifter);
  Value t = e.fma(x, e.c(kLog2e), shifter);
  Value nf = e.sub(t, shifter);
  Value n = e.isub(e.toBits(t), e.toBits(shifter));
  Value minusN = e.neg(nf);
  Value r1 = e.fma(minusN, e.c(kLn2Head), x); // exact
  ExpParts parts;
  parts.n = n;
  parts.nf = nf;
  // xl (up to 2^-17 for the pair arguments of the composed forms) goes
  // into r itself: the rl (1 + r) term below is only good for |rl| of
  // r's rounding error.
  if (fast) {
    parts.r = e.fma(minusN, e.c(kLn2Tail), xl ? e.add(r1, xl) : r1);
  } else {
    Value qh = e.mul(minusN, e.c(kLn2Tail));
    Value ql = e.fma(minusN, e.c(kLn2Tail), e.neg(qh));
    // |qh + xl| < 2^-12: its rounding is below 2^-36.
    Pair r = e.twoSum(r1, xl ? e.add(qh, xl) : qh);
    parts.r = r.hi;
    parts.rl = e.add(r.lo, ql);
  }
  Value r = parts.r;
  if (single) {
    // 1 + r + r^2 q(r) by Horner's rule alone (six FMAs): the last FMA
    // rounds once and the rest's rounding is scaled by |r| <= 0.35.
    if (minusOne) { // h - 1 = r + r^2 q(r), its rounding once, on p.
      parts.h = e.fma(e.mul(r, r), e.poly(r, kExpQ4), r);
      return parts;
    }
    SmallVector<double, 8> coefficients = {1.0, 1.0};
    coefficients.append(std::begin(kExpQ4), std::end(kExpQ4));
    parts.h = e.poly(r, coarse ? ArrayRef<double>(kExpH5)
                               : ArrayRef<double>(coefficients));
    return parts;
  }
  Value q =
      e.poly(r, fast ? ArrayRef<double>(kExpQ4) : ArrayRef<double>(kExpQ5));
  Value p = e.mul(r, e.mul(r, q));
  // exp(r + rl) = exp(r) (1 + rl) = 1 + r + p + rl (1 + r) + ...
  Value tail = p;
  if (parts.rl)
    tail = e.add(p, e.fma(parts.rl, r, parts.rl));
  Pair head = e.fastTwoSum(e.c(1.0), r);
  parts.h = head.hi;
  parts.l = e.add(head.lo, tail);
  return parts;
}

/// The table core (AVX-512, fast, coarse): x = (n + j/32) ln 2 + r, |r| <=
/// ln(2) / 64, exp(x) = 2^n T_j (1 + c1 r + c2 r^2) with T_j = 2^(j/32)
/// rounded to f32, read by one vpermt2ps from two registers; h = T_j + T_j
/// r (c1 + c2 r), one rounding. Error: T_j's 2^-25, the polynomial's
/// 2^-24.16 and h's rounding, against the degree-5 core's 2^-23.35 and its
/// rounding, with two FMAs fewer. nf is n + j/32 (vscalef floors it).
/// `cubic`: 1 + r + r^2/2 + r^3/6 (buildExpSplitF32's `table`), the
/// polynomial's error below 2^-30.
void mlir::act::approx::getExp2Table32(SmallVectorImpl<double> &head,
                                       SmallVectorImpl<double> &tail) {
  for (int j = 0; j < 32; ++j) {
    double value = std::exp2(j / 32.0);
    head.push_back((float)value);
    tail.push_back((float)(value - (float)value));
  }
}

static ExpParts reduceExpTable(Emitter &e, Value x, Value xl,
                               bool cubic = false) {
  Value shifter = e.c(kShifter32);
  Value t = e.fma(x, e.c(kLog2e), shifter);
  Value bits = e.toBits(t);
  SmallVector<double, 32> head, tail;
  getExp2Table32(head, tail);
  Value T = e.lookup32(head, bits);
  ExpParts parts;
  parts.nf = e.sub(t, shifter);
  parts.n = e.ashr(e.isub(bits, e.toBits(shifter)), 5);
  Value r = e.fma(parts.nf, e.c(-kLn2F32), x);
  r = e.fma(parts.nf, e.c(-kLn2F32Rest), xl ? e.add(r, xl) : r);
  parts.r = r;
  // cubic: 1 + r + r^2/2 + r^3/6 (Taylor; r^4/24 < 2^-30.7): one FMA more,
  // and h's error is T_j's rounding and its own.
  Value p = cubic ? e.fma(r, e.fma(r, e.c(1.0 / 6), e.c(0.5)), e.c(1.0))
                  : e.fma(r, e.c(kExpTableP2[1]), e.c(kExpTableP2[0]));
  parts.h = e.fma(e.mul(T, r), p, T);
  return parts;
}

ExpSplit mlir::act::approx::buildExpTablePairF32(Emitter &e, Value x,
                                                 Value xl) {
  // reduceExpTable's reduction; T_j = 2^(j/32) = th + tl from two tables
  // (th rounded to f32, tl the rest), so exp(x + xl) = 2^n (th + l) with
  // l = tl + th r (1 + r/2 + r^2/6): |l| <= 0.011 th, its rounding and the
  // cubic's truncation (r^4/24 < 2^-30.7) below 2^-30 of th.
  Value shifter = e.c(kShifter32);
  Value t = e.fma(x, e.c(kLog2e), shifter);
  Value bits = e.toBits(t);
  SmallVector<double, 32> head, tail;
  getExp2Table32(head, tail);
  Value th = e.lookup32(head, bits), tl = e.lookup32(tail, bits);
  Value nf = e.sub(t, shifter);
  Value n = e.ashr(e.isub(bits, e.toBits(shifter)), 5);
  Value r = e.fma(nf, e.c(-kLn2F32), x); // exact
  r = e.fma(nf, e.c(-kLn2F32Rest), xl ? e.add(r, xl) : r);
  Value p = e.fma(r, e.fma(r, e.c(1.0 / 6), e.c(0.5)), e.c(1.0));
  return {n, th, e.fma(e.mul(th, r), p, tl), nf};
}

Value mlir::act::approx::buildExpF32(Emitter &e, Value x, bool fast) {
  if (!fast) // AccurateF32Exp.cpp: a cheaper reduction, vscalefps.
    return buildAccurateExpF32(e, x);
  // exp(89) overflows and exp(-104) rounds to 0; a NaN passes the clamp.
  Value clamped = e.clamp(x, -104.0, 89.0);
  ExpParts parts = reduceExp(e, clamped, Value(), fast, /*single=*/fast);
  if (fast) // one vscalefps with AVX-512
    return e.scaleByFloat(parts.h, parts.n, parts.nf);
  return e.scale(e.add(parts.h, parts.l), parts.n);
}

Pair mlir::act::approx::buildExpPairF32(Emitter &e, Value x) {
  ExpParts parts = reduceExp(e, x, Value(), /*fast=*/false);
  // Renormalized, so that |lo| <= ulp(hi) / 2 (what divPair assumes).
  Pair pair = e.fastTwoSum(parts.h, parts.l);
  return {e.scale(pair.hi, parts.n), e.scale(pair.lo, parts.n)};
}

ExpSplit mlir::act::approx::buildExpm1SplitF32(Emitter &e, Value x) {
  ExpParts parts = reduceExp(e, x, Value(), /*fast=*/true, /*single=*/true,
                             /*coarse=*/false, /*minusOne=*/true);
  return {parts.n, parts.h, Value(), parts.nf};
}

ExpSplit mlir::act::approx::buildExpSplitF32(Emitter &e, Value x, Value xl,
                                             bool fast, bool pair,
                                             bool coarse, bool table) {
  ExpParts parts =
      fast && !pair && (coarse || table) && e.hasAVX512()
          ? reduceExpTable(e, x, xl, /*cubic=*/!coarse)
          : reduceExp(e, x, xl, fast, /*single=*/fast && !pair, coarse && fast);
  return {parts.n, parts.h, parts.l, parts.nf};
}

ExpSplit mlir::act::approx::buildHalfExpm1OfMinusTwiceF32(Emitter &e,
                                                         Value a) {
  // buildExpm1SplitF32 on -2a with everything scaled by -1/2: u = -r/2 from
  // ln 2's halves, g = u + u^2 Q(u) with Q's coefficients (-2)^(k+1) q_k
  // (f32 rounding commutes with powers of two), so g = -h/2 bit for bit
  // and no -2a is formed.
  Value shifter = e.c(kShifter);
  Value t = e.fma(a, e.c(-2.0 * kLog2e), shifter);
  Value nf = e.sub(t, shifter);
  Value n = e.isub(e.toBits(t), e.toBits(shifter));
  Value u = e.fma(nf, e.c(kLn2Head / 2), a); // exact
  u = e.fma(nf, e.c((double)kLn2Tail / 2), u);
  SmallVector<double, 8> q;
  double scale = -2.0;
  for (double coefficient : kExpQ4) {
    q.push_back(scale * coefficient);
    scale *= -2.0;
  }
  return {n, e.fma(e.mul(u, u), e.poly(u, q), u), Value(), nf};
}

Value mlir::act::approx::buildExp2F32(Emitter &e, Value x, bool fast) {
  // 2^x = 2^n exp((x - n) ln 2), x - n exact; (x - n) ln 2 as a pair.
  Value clamped = e.clamp(x, -151.0, 129.0);
  Value nf = e.roundEven(clamped);
  Value f = e.sub(clamped, nf);
  Pair y = e.twoProd(f, e.c(0.6931471805599453));
  Value yl = e.fma(f, e.c(0.6931471805599453 - (double)(float)0.6931471805599453),
                   y.lo);
  ExpParts parts = reduceExp(e, y.hi, yl, fast);
  // |y| <= ln(2) / 2 gives n = 0 there; the integer part scales apart.
  return e.scale(e.scale(e.add(parts.h, parts.l), parts.n), e.toInt(nf));
}

/// (exp(r) - 1 - r - r^2 / 2) / r^2 = q(r) - 1/2 (kExpQ5's fit).
static constexpr double kExpm1S[] = {
    kExpQ5[0] - 0.5, kExpQ5[1], kExpQ5[2], kExpQ5[3], kExpQ5[4], kExpQ5[5]};

namespace {
/// Accurate expm1 from exp's reduction: exp(r + rl) - 1 for n == 0, and
/// exp(r + rl) = h + l for the others.
struct Expm1Parts {
  Value nearZero, h, l;
};
} // namespace

/// The head r + r^2 / 2 is an exact pair (r^2 by an FMA), so what rounds is
/// r^2 s(r) (|.| < 0.0072) and the low parts, all below 2^-30 (before, with
/// exp's tail r^2 q(r) rounded as one term, ~2^-28 absolute, expm1 reached
/// 1.042 ULP at x = 0.347, where 2 (h + l) - 1 (n = 1) doubles that error on
/// a result of 0.41). n == 0 adds the low part to r + r^2 / 2 directly: going
/// through h = 1 + ... would round l (as small as 2^-24 x) at half the
/// result's ULP and then the result (0.75 ULP at x = 2^-24).
static Expm1Parts expm1Accurate(Emitter &e, const ExpParts &parts) {
  Value r = parts.r;
  Pair r2 = e.twoProd(r, r);
  Pair head = e.twoSum(r, e.mul(r2.hi, e.c(0.5)));
  Value low = e.add(e.fma(r2.lo, e.c(0.5), head.lo),
                    e.fma(parts.rl, r, parts.rl));
  low = e.fma(r2.hi, e.poly(r, kExpm1S), low);
  Pair h = e.fastTwoSum(e.c(1.0), head.hi);
  return {e.add(head.hi, low), h.hi, e.add(h.lo, low)};
}

/// Fast expm1(x) = 2^n (1 + h) - 1 = 2 (2^(n-1) h + (2^(n-1) - 1/2)), h =
/// r + r^2 q(r) (one Horner chain): one FMA rounds the sum, whose terms
/// carry no cancellation the FMA does not see (2^(n-1) - 1/2 is exact for
/// -24 <= n <= 25; beyond, it rounds by less than 2^-25 of the result).
/// 2^(n-1) is finite for every n up to 128 (x up to 89), so x in
/// [88.38, 88.72], whose 2^n overflows, stays finite; the doubling is
/// exact and overflows where expm1 does. 2^(n-1) comes from the shifter's
/// bits alone (n << 23 plus the bias, n - 1 >= -26): no vscalef. n = 0
/// (|x| < 0.347) gives y = 2 (h / 2), exact but where h / 2 is subnormal;
/// |x| < 2^-25 (where expm1 rounds to x, -0 and subnormals included) takes
/// x itself. About 20 vector ops where the compensated form took ~40, for
/// about 1 ULP (docs/accuracy.md, "Fast-mode speed (session 6)").
static Value buildExpm1FastF32(Emitter &e, Value x) {
  Value clamped = e.clamp(x, -18.0, 89.0);
  ExpSplit s = buildExpm1SplitF32(e, clamped);
  Value half = e.fromBits(e.iadd(e.shl(s.n, 23), e.ci(126 << 23)));
  Value b = e.fma(half, s.h, e.sub(half, e.c(0.5)));
  Value y = e.add(b, b);
  return e.select(e.lt(e.abs(x), e.c(0x1p-25)), x, y);
}

Value mlir::act::approx::buildExpm1NonPositiveF32(Emitter &e, Value x) {
  // x <= 0: n in [-26, 0], so 2^n comes from n's bits and 2^n - 1 is exact
  // down to n = -24 (below, it rounds by 2^-25 next to a result of -1):
  // y = 2^n h + (2^n - 1) rounds once. n = 0 gives h itself (no halving,
  // no select for tiny x); -0 gives +0 (the caller's select takes x there).
  Value clamped = e.max(x, e.c(-18.0));
  ExpSplit s = buildExpm1SplitF32(e, clamped);
  Value pow2n = e.fromBits(e.iadd(e.shl(s.n, 23), e.ci(127 << 23)));
  return e.fma(pow2n, s.h, e.sub(pow2n, e.c(1.0)));
}

Value mlir::act::approx::buildExpm1F32(Emitter &e, Value x, bool fast) {
  if (fast)
    return buildExpm1FastF32(e, x);
  // Below -18, expm1 rounds to -1; above 89 it overflows.
  Value clamped = e.clamp(x, -18.0, 89.0);
  ExpParts parts = reduceExp(e, clamped, Value(), fast);
  // n == 0 (|x| < ln(2) / 2): r == x exactly and expm1 = r + (p + ...);
  // fast: h - 1 is exact (h in [0.7, 1.5]).
  Value nearZero;
  if (fast) {
    nearZero = e.add(e.sub(parts.h, e.c(1.0)), parts.l);
  } else {
    Expm1Parts accurate = expm1Accurate(e, parts);
    nearZero = accurate.nearZero;
    parts.h = accurate.h;
    parts.l = accurate.l;
  }
  // Otherwise 2^n (h + l) - 1, the subtraction exact as a pair.
  Value eh = e.scale(parts.h, parts.n);
  Value el = e.scale(parts.l, parts.n);
  Pair d = e.twoSum(eh, e.c(-1.0));
  Value far = e.add(d.hi, e.add(d.lo, el));
  // Overflow: inf - 1 would meet inf - inf inside twoSum.
  far = e.select(e.eq(eh, e.c(INFINITY)), eh, far);
  Value y = e.select(e.ieq(parts.n, e.ci(0)), nearZero, far);
  // expm1(-0) = -0.
  return e.select(e.eq(x, e.c(0.0)), x, y);
}
