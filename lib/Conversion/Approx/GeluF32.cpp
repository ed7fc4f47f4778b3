//===- GeluF32.cpp - m * erfc(w) from a table of Phi(-t) e^(t^2 / 2) ------===//
//
// The erf GELU's core for 16-lane f32 vectors with AVX-512, both modes.
// With v = -sqrt(2) w (v = x in gelu's 0.5 x erfc(-x / sqrt 2)), t = |v|:
//
//   m erfc(w) = 2m Phi(v),   Phi(-t) = exp(-t^2 / 2) G(t),
//
// G(t) = erfc(t / sqrt 2) exp(t^2 / 2) / 2 a degree-7 polynomial on each
// of 32 half-unit segments of t in [0, 16] (GeluTable.def, made by
// scripts/gelu-table.py, 2^-30.4 relative): one vpermt2ps per coefficient
// picks each lane's segment from two zmm registers, so nothing divides and
// nothing is gathered. t^2 / 2 is an exact pair (twoProd) fed to the exp
// core with its low part; v < 0 gives 2m exp(-t^2/2) G scaled by 2^n last
// (a subnormal result rounds once with vscalefps), v >= 0 gives
// 2m (1 - Phi(-t)), Phi(-t) <= 1/2 (no cancellation).
//
// fast: GeluFastF32.cpp's core (G of degree 5 on the accurate table's
// segments, the table exp core; gelu itself without selects). accurate:
// G's constant and linear terms as pairs (c0 + c1 s exact, s^2 q(s)
// rounded, below 2^-28 of G), the pair exp core, the products as pairs, one rounding at the end (two
// for subnormal results). Accurate gelu itself (m = x * 0.5, x known):
// GeluAccurateF32.cpp's form (a 16-row table, vpermps picks).
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"
#include "GeluAccurateF32.h"

#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// One row of GeluTable.def: G(i/2 + 1/4 + s) = c0 + c1 s + ... + c7 s^7.
struct Segment {
  float c0, c0Lo, c1, c1Lo, c2, c3, c4, c5, c6, c7;
};
} // namespace

static constexpr Segment kSegments[] = {
#define GELU_SEGMENT(i, ...) {__VA_ARGS__},
#define GELU_GRAD_SEGMENT(...)
#define GELU_GRAD_PAIR(...)
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};

namespace {
/// One row of GeluTable.def's gradient part: D(ch + cl + s) = d0 + d1 s +
/// ... + d7 s^7, D(t) = G(t) - t / sqrt(2 pi).
struct GradSegment {
  float ch, cl, d0, d1, d2, d3, d4, d5, d6, d7;
};
} // namespace

static constexpr GradSegment kGradSegments[] = {
#define GELU_SEGMENT(...)
#define GELU_GRAD_SEGMENT(i, ...) {__VA_ARGS__},
#define GELU_GRAD_PAIR(...)
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};
static_assert(sizeof(kGradSegments) == sizeof(kSegments), "32 rows each");

namespace {
/// The low parts that make a gradient row's d0 and d1 float pairs (the
/// accurate gradient; 2^-29.9 relative with them).
struct GradPair {
  float d0Lo, d1Lo;
};
} // namespace

static constexpr GradPair kGradPairs[] = {
#define GELU_SEGMENT(...)
#define GELU_GRAD_SEGMENT(...)
#define GELU_GRAD_PAIR(i, ...) {__VA_ARGS__},
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};
static_assert(sizeof(kGradPairs) / sizeof(kGradPairs[0]) == 32, "32 rows");
static constexpr int kNumSegments = sizeof(kSegments) / sizeof(kSegments[0]);

namespace {
/// One row of GeluTable.def's accurate part: G(i/2 + s) = c0 + c1 s + ...
/// + c6 s^6, c0 a float pair, s in [-1/4, 1/4] ([0, 1/4] for i = 0).
struct AccurateSegment {
  float c0, c0Lo, c1, c2, c3, c4, c5, c6;
};
} // namespace

static constexpr AccurateSegment kAccurateSegments[] = {
#define GELU_SEGMENT(...)
#define GELU_GRAD_SEGMENT(...)
#define GELU_GRAD_PAIR(...)
#define GELU_ACC_SEGMENT(i, ...) {__VA_ARGS__},
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};
static_assert(sizeof(kAccurateSegments) / sizeof(kAccurateSegments[0]) == 32,
              "32 rows");
static_assert(kNumSegments == 32, "two zmm registers of 16 floats each");

/// sqrt(2) = kSqrt2Hi + kSqrt2Lo to 2^-48.
static constexpr float kSqrt2Hi = 0x1.6a09e6p+0f;
static constexpr double kSqrt2Lo = 1.4142135623730951 - (double)kSqrt2Hi;
/// 1.5 * 2^23: adding it rounds to an integer held in the low bits.
static constexpr double kShifter = 0x1.8p23;

bool mlir::act::approx::hasGeluTable(Emitter &e) {
  auto vector = dyn_cast<VectorType>(e.getFloatType());
  return e.hasAVX512() && e.isF32() && vector &&
         vector.getNumElements() == kNumSegments / 2;
}

/// The 32 values of one coefficient as two 16-lane constants, and each
/// lane's own picked by `index` (low 5 bits): vpermt2ps.
template <typename Row>
static Value pick(Emitter &e, Value index, const Row (&rows)[kNumSegments],
                  float Row::*field) {
  OpBuilder &b = e.getBuilder();
  auto type = cast<VectorType>(e.getFloatType());
  SmallVector<float, 16> lo, hi;
  for (int i = 0; i < kNumSegments; ++i)
    (i < kNumSegments / 2 ? lo : hi).push_back(rows[i].*field);
  auto constant = [&](ArrayRef<float> values) -> Value {
    return arith::ConstantOp::create(
        b, e.getLoc(), type,
        DenseElementsAttr::get(type, llvm::ArrayRef<float>(values)));
  };
  return LLVM::CallIntrinsicOp::create(
             b, e.getLoc(), type,
             b.getStringAttr("llvm.x86.avx512.vpermi2var.ps.512"),
             ValueRange{constant(lo), index, constant(hi)})
      ->getResult(0);
}

/// |x| beyond which gelu' is 0 or 1 (the gradient's table: floor(2t) <=
/// 31; Phi(-15.98) < 2^-187).
static constexpr double kTLimit = 15.98;

/// Segment i = floor(2t) of t in [0, kTLimit] (either neighbour at a
/// boundary: both fits hold there) as i + 1.5 * 2^23, so that the index is
/// bits (the low 5 are i) and never poison.
static Value segmentOf(Emitter &e, Value t) {
  return e.add(e.fma(t, e.c(2.0), e.c(-0.5)), e.c(kShifter));
}

/// The accurate table's limits: i = round(2t) stays below 32 for t <=
/// 15.74 (sqrt 2 11.12 = 15.726); beyond, m erfc(w) is 0 or 2m as above
/// (erfc(11.12) < 2^-182, Phi(-15.74) < 2^-183).
static constexpr double kAccurateTLimit = 15.74;
static constexpr double kAccurateWLimit = 11.12;
/// 1.5 * 2^22: adding it rounds to a multiple of 1/2 held in the low bits.
static constexpr double kHalfShifter = 0x1.8p22;

/// ln 2 rounded to f32 and the rest, doubled (ExpF32.cpp's table core).
static constexpr double kTwoLn2F32 = 2 * 0x1.62e430p-1;
static constexpr double kTwoLn2F32Rest =
    2 * (double)(float)(0.6931471805599453 - 0x1.62e430p-1);
static constexpr double kLog2eHalf = 0.5 * 1.4426950408889634;
/// 1.5 * 2^18: adding it rounds to a multiple of 1/32 held in the low bits.
static constexpr double kShifter32 = 0x1.8p18;

/// exp(-(uh + ul) / 2) = 2^nf (h + l) for u = t^2 as an exact pair:
/// ExpF32.cpp's 32-entry table pair core (buildExpTablePairF32) with the
/// product by -1/2 folded into its constants, so that -t^2 / 2 is never
/// formed. -u/2 = (n + j/32) ln 2 + r; rp = -2r = u + 2 (n + j/32) ln 2
/// (its first step exact, as the core's), h = 2^(j/32)'s head, l = tl +
/// h r (1 + r/2 + r^2/6) = tl + h rp (-1/2 + rp/8 - rp^2/48): 2^-30. A
/// short head (GeluAccurateF32.cpp's 12 bits) leaves part of 2^(j/32) in
/// tl, so r's terms take h + tl there.
ExpSplit mlir::act::approx::buildExpMinusHalfF32(Emitter &e, Value uh,
                                                 Value ul,
                                                 ArrayRef<double> head,
                                                 ArrayRef<double> tail,
                                                 bool shortHead) {
  Value shifter = e.c(kShifter32);
  Value y = e.fma(uh, e.c(-kLog2eHalf), shifter);
  Value bits = e.toBits(y);
  Value th = e.lookup32(head, bits), tl = e.lookup32(tail, bits);
  Value nf = e.sub(y, shifter);
  Value rp = e.fma(nf, e.c(kTwoLn2F32), uh); // exact
  rp = e.fma(nf, e.c(kTwoLn2F32Rest), e.add(rp, ul));
  Value p = e.fma(rp, e.fma(rp, e.c(-1.0 / 48), e.c(0.125)), e.c(-0.5));
  Value h = shortHead ? e.add(th, tl) : th;
  return {Value(), th, e.fma(e.mul(h, rp), p, tl), nf};
}

/// (gh + gl) exp(-u / 2) for u = uh + ul (t^2 as a pair), neither
/// normalized (gl multiplies h + l): 2^n (ph + plo) from the table pair
/// core, and 1 - that = qh + ql, qh = 1 - (2^n ph)hi rounded on the 2^-24
/// grid (the product <= 1/2) and 1 - qh - (2^n ph)hi exact, from 2^n
/// itself (0 or subnormal where the product is negligible against 1).
namespace {
struct GaussianProduct {
  ExpSplit ex;
  Pair ph;
  Value plo, qh, ql;
};
} // namespace

static GaussianProduct multiplyByGaussian(Emitter &e, Value gh, Value gl,
                                          Value uh, Value ul) {
  SmallVector<double, 32> head, tail;
  getExp2Table32(head, tail);
  ExpSplit ex = buildExpMinusHalfF32(e, uh, ul, head, tail);
  Pair ph = e.twoProd(gh, ex.h);
  Value plo = e.fma(gh, ex.l, e.fma(gl, e.add(ex.h, ex.l), ph.lo));
  Value scale = e.scaleByFloat(e.c(1.0), ex.n, ex.nf);
  Value qh = e.fma(e.neg(ph.hi), scale, e.c(1.0));
  Value ql = e.fma(e.neg(ph.hi), scale, e.sub(e.c(1.0), qh)); // exact
  ql = e.fma(e.neg(plo), scale, ql);
  return {ex, ph, plo, qh, ql};
}

/// precision=accurate, v = -(t + tl) with t >= 0 (tl the low part where v
/// was rebuilt from w): 2m Phi(v) = m2 Phi(v) under 1 ULP, m2Low the
/// factor of the low parts (m2, or m2 clamped where m2 is unbounded). G on the
/// accurate table's segment i = round(2t) (degree 6 in s = t - i/2, exact;
/// c0 a float pair, 2^-27.4 relative): gh = c0 + c1 s rounded by one FMA,
/// gl = its rounding error by a second one (to 2^-48 of G) plus c0lo and
/// s^2 q(s) (below 2^-4 of G, its rounding at 2^-28). exp(-t^2 / 2) from
/// the 32-entry table pair core (2^-30). One rounding at the end (two where
/// the result is subnormal).
static Value buildAccurateErfcProduct(Emitter &e, Value m2, Value m2Low,
                                      Value t, Value tl, Value negative) {
  Value shifter = e.c(kHalfShifter);
  Value y = e.add(t, shifter);
  Value s = e.sub(t, e.sub(y, shifter));
  Value index = e.toBits(y);
  auto c = [&](float AccurateSegment::*field) {
    return pick(e, index, kAccurateSegments, field);
  };
  Value q = e.fma(c(&AccurateSegment::c6), s, c(&AccurateSegment::c5));
  q = e.fma(q, s, c(&AccurateSegment::c4));
  q = e.fma(q, s, c(&AccurateSegment::c3));
  q = e.fma(q, s, c(&AccurateSegment::c2));
  Value c0 = c(&AccurateSegment::c0), c1 = c(&AccurateSegment::c1);
  Value low = e.fma(e.mul(s, s), q, c(&AccurateSegment::c0Lo));
  // v rebuilt from w: G(t + tl) = G(t) + G'(t) tl, G' ~ c1 (tl / t is up
  // to 2^-24, G' / G up to 0.8: without it 1.43 ULP at x * erfc(-x), x =
  // -5.66).
  if (tl)
    low = e.fma(c1, tl, low);
  // |c1 s| <= 0.2 c0, so gh lies within a factor 2 of c0 and c0 - gh is
  // exact (Sterbenz); c1 s + (c0 - gh) is gh's rounding error, which the
  // second FMA rounds at 2^-24 of itself, then low joins it (4 ops where
  // twoProd, Fast2Sum and two adds took 7).
  Value gh = e.fma(c1, s, c0);
  Value gl = e.add(e.fma(c1, s, e.sub(c0, gh)), low);

  // exp(-(t + tl)^2 / 2) = 2^nf (h + l), t^2 an exact pair (plus 2 t tl),
  // |l| <= 0.011 h, 2^-30 relative.
  Pair square = e.twoProd(t, t);
  Value squareLo = tl ? e.fma(e.add(t, t), tl, square.lo) : square.lo;
  // Phi(-t) 2^-n = ph + plo. gl is not small against gh's rounding (it
  // holds s^2 q, up to 2^-4 of G), so gl multiplies h + l, not h.
  GaussianProduct p = multiplyByGaussian(e, gh, gl, square.hi, squareLo);
  // v < 0: m2 Phi(-t) = 2^n m2 (ph + plo); v >= 0: m2 (1 - Phi(-t)) =
  // m2 (qh + ql). One FMA rounds either: m2 hi + m2 lo (the low parts are
  // below 2^-4 of the result, their product rounds at 2^-28), then 2^n for
  // v < 0 (a subnormal result rounds again).
  Value r = e.fma(m2, e.select(negative, p.ph.hi, p.qh),
                  e.mul(m2Low, e.select(negative, p.plo, p.ql)));
  return e.select(negative, e.scaleByFloat(r, p.ex.n, p.ex.nf), r);
}

/// m + m, or a where m is a * 0.5 (gelu's 0.5 x: x itself, exact where
/// 0.5 x is not).
static Value doubled(Emitter &e, Value m) {
  if (auto mul = m.getDefiningOp<arith::MulFOp>())
    for (unsigned i = 0; i < 2; ++i)
      if (act::getFloatConstant(mul->getOperand(i)) == 0.5)
        return mul->getOperand(1 - i);
  return e.add(m, m);
}

/// True where m is x * 0.5: m erfc(-x / sqrt 2) is gelu's x Phi(x).
static bool isHalfOf(Value m, Value x) {
  auto mul = m.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  for (unsigned i = 0; i < 2; ++i)
    if (mul->getOperand(1 - i) == x &&
        act::getFloatConstant(mul->getOperand(i)) == 0.5)
      return true;
  return false;
}

bool mlir::act::approx::isAccurateGeluTableForm(Value m, Value x) {
  return x && isHalfOf(m, x);
}

Value mlir::act::approx::buildErfcProductTableF32(Emitter &e, Value m, Pair w,
                                                  bool fast, Value x) {
  if (fast && x && isHalfOf(m, x))
    return buildFastGeluF32(e, x); // GeluFastF32.cpp
  if (!fast && isAccurateGeluTableForm(m, x))
    return buildAccurateGeluF32(e, x); // GeluAccurateF32.cpp
  // The fast core (GeluFastF32.cpp) reads the accurate table's segments.
  double tLimit = fast ? kFastGeluLimit : kAccurateTLimit;
  double wLimit = kAccurateWLimit;
  // t + tl = |v|, v = -sqrt(2) (w + wl) (the erfc argument's own x where
  // the caller found it: t exact, nothing to reconstruct).
  Value beyond, negative, t, tl;
  if (x) {
    t = e.abs(x);
    beyond = e.gt(t, e.c(tLimit));
    negative = e.lt(x, e.c(0.0));
    t = e.min(t, e.c(tLimit));
  } else {
    // v as a pair, w clamped (a NaN passes).
    beyond = e.gt(e.abs(w.hi), e.c(wLimit));
    Value wc = e.clamp(w.hi, -wLimit, wLimit);
    Pair p = e.twoProd(wc, e.c(-(double)kSqrt2Hi));
    Value pl = e.fma(wc, e.c(-kSqrt2Lo), p.lo);
    if (w.lo)
      pl = e.fma(e.select(beyond, e.c(0.0), w.lo), e.c(-(double)kSqrt2Hi), pl);
    Pair v = e.fastTwoSum(p.hi, pl);
    negative = e.lt(v.hi, e.c(0.0));
    t = e.abs(v.hi);
    tl = e.select(negative, e.neg(v.lo), v.lo);
  }

  Value m2, result;
  if (!fast) {
    m2 = doubled(e, m);
    result = buildAccurateErfcProduct(e, m2, m2, t, tl, negative);
  } else {
    FastPhi phi = buildFastPhiOfMinusF32(e, t, tl);
    m2 = e.add(m, m);
    Value below = e.scaleByFloat(e.mul(m2, phi.a), Value(), phi.nf);
    Value above =
        e.fma(e.neg(m2), e.scaleByFloat(phi.a, Value(), phi.nf), m2);
    result = e.select(negative, below, above);
  }
  result = e.select(beyond, e.select(negative, e.c(0.0), m2), result);
  // erfc > 0: the sign is m's (-0 for m = -0 too).
  return e.copySign(result, fast ? m : m2);
}

/// gelu'(x) under 1 ULP (precision=accurate): D = d0 + d1 (s + sl) + s^2
/// q(s) with d0 and d1 float pairs and s + sl the exact t - center (the
/// root segment's center is a pair; segment 0's t - 1/4 rounds, Fast2Sum
/// keeps its error), D E as pairs from the accurate exp core, one rounding
/// at the end (x < 0: E D; x >= 0: 1 - E D with 1 - (E D)hi exact).
static Value buildAccurateGeluGrad(Emitter &e, Value t, Value index,
                                   Value negative, Value dy) {
  auto d = [&](float GradSegment::*field) {
    return pick(e, index, kGradSegments, field);
  };
  auto lo = [&](float GradPair::*field) {
    return pick(e, index, kGradPairs, field);
  };
  Value ch = d(&GradSegment::ch);
  Value s = e.sub(t, ch);
  Value sl = e.sub(e.sub(t, e.add(s, ch)), d(&GradSegment::cl));
  Value sr = e.add(s, sl);
  Value q = e.fma(d(&GradSegment::d7), sr, d(&GradSegment::d6));
  q = e.fma(q, sr, d(&GradSegment::d5));
  q = e.fma(q, sr, d(&GradSegment::d4));
  q = e.fma(q, sr, d(&GradSegment::d3));
  q = e.fma(q, sr, d(&GradSegment::d2));
  // d0 + d1 s exact as a pair (|d1 s| <= |d0| but at the root, where d0
  // = 0), the rest below 2^-3 of D: d0lo + sr (d1lo + sr q) by Horner's
  // rule (each term O(s) at the root, where d0lo = 0), d1 sl.
  Value d1 = d(&GradSegment::d1);
  Pair lin = e.twoProd(d1, s);
  Pair head = e.fastTwoSum(d(&GradSegment::d0), lin.hi);
  Value low = e.fma(e.fma(q, sr, lo(&GradPair::d1Lo)), sr, lo(&GradPair::d0Lo));
  low = e.fma(d1, sl, e.add(low, lin.lo));
  Value dh = head.hi;
  Value dl = e.add(head.lo, low);
  // E = exp(-t^2 / 2) = 2^n (h + l) from t^2 as an exact pair (the
  // forward's table pair core); D E as pairs (neither normalized: dl
  // multiplies h + l, as in the forward).
  Pair square = e.twoProd(t, t);
  // 1 - E D, |E D| <= 1/2.
  GaussianProduct p = multiplyByGaussian(e, dh, dl, square.hi, square.lo);
  if (!dy) {
    Value below = e.scaleByFloat(e.add(p.ph.hi, p.plo), p.ex.n, p.ex.nf);
    return e.select(negative, below, e.add(p.qh, p.ql));
  }
  // dy f' rounded once: dy hi + dy lo by one FMA (the low parts are below
  // 2^-3 of f', their product's rounding 2^-27 of the result), then 2^n
  // for x < 0 (a subnormal result rounds again). dy lo from dy clamped to
  // the finite range, so that an infinite dy gives dy hi's infinity, not
  // inf - inf or inf * 0; -0 for dy = +-0 (keepZeroSignOfDy).
  Value finite = e.clamp(dy, -0x1.fffffep127, 0x1.fffffep127);
  Value dyLow = e.mul(finite, e.select(negative, p.plo, p.ql));
  Value r = e.fma(dy, e.select(negative, p.ph.hi, p.qh),
                  keepZeroSignOfDy(e, dy, dyLow));
  return e.select(negative, e.scaleByFloat(r, p.ex.n, p.ex.nf), r);
}

Value mlir::act::approx::buildGeluGradTableF32(Emitter &e, Value x, bool fast,
                                               Value dy) {
  // gelu'(x) = Phi(x) + x phi(x) = E D(t) for x < 0, 1 - E D(t) for x >= 0,
  // t = |x|, E = exp(-t^2 / 2), D(t) = G(t) - t / sqrt(2 pi): the sum's
  // cancellation next to gelu's zero at x = -0.7518 is D's zero, and the
  // table's segment there is centered on it (d0 = 0, s = t - t0 as the
  // difference of t and the pair t0), so D = s R(s) keeps its digits.
  Value t = e.abs(x);
  Value beyond = e.gt(t, e.c(kTLimit));
  Value negative = e.lt(x, e.c(0.0));
  t = e.min(t, e.c(kTLimit));
  Value index = e.toBits(segmentOf(e, t));
  // Beyond the table f' is 1, or -0 (D < 0 there: E D underflows to -0);
  // dy there is dy, or (dy -2^-149) 2^-149 left: a zero of the sign of -dy
  // for a finite dy, -dy for an infinite one (dy times an f' that
  // underflowed, not inf * 0). The factors are 1 in every other lane, so
  // that only the left tail's lanes meet subnormal numbers (microcode
  // assists: 2x the time where every lane did).
  if (!fast) {
    Value outside;
    if (dy) {
      Value tail = e.andI1(beyond, negative);
      Value m = e.select(tail, e.c(-0x1p-149), e.c(1.0));
      outside = e.mul(e.mul(dy, m), e.abs(m));
    } else {
      outside = e.select(negative, e.c(-0.0), e.c(1.0));
    }
    return e.select(beyond, outside,
                    buildAccurateGeluGrad(e, t, index, negative, dy));
  }
  assert(!dy && "the fast gradient is multiplied by dy after it");
  auto d = [&](float GradSegment::*field) {
    return pick(e, index, kGradSegments, field);
  };
  // t - ch is exact (ch within a factor 2 of t), its rounding minus cl is
  // relative to s.
  Value s = e.sub(e.sub(t, d(&GradSegment::ch)), d(&GradSegment::cl));
  Value q = e.fma(d(&GradSegment::d7), s, d(&GradSegment::d6));
  q = e.fma(q, s, d(&GradSegment::d5));
  q = e.fma(q, s, d(&GradSegment::d4));
  q = e.fma(q, s, d(&GradSegment::d3));
  q = e.fma(q, s, d(&GradSegment::d2));
  q = e.fma(q, s, d(&GradSegment::d1));
  Value dv = e.fma(q, s, d(&GradSegment::d0));
  // E with exp's 1 + r as a pair (the single chain's ~2^-24 would add
  // ~1 ULP to every result); with AVX-512 the table core's pair (2^-30,
  // six ops fewer: ExpF32.cpp buildExpTablePairF32).
  Pair half = e.twoProd(t, e.mul(t, e.c(0.5)));
  ExpSplit ex = e.hasAVX512()
                    ? buildExpTablePairF32(e, e.neg(half.hi), e.neg(half.lo))
                    : buildExpSplitF32(e, e.neg(half.hi), e.neg(half.lo),
                                       /*fast=*/true, /*pair=*/true);
  Value ed = e.scaleByFloat(e.fma(dv, ex.h, e.mul(dv, ex.l)), ex.n, ex.nf);
  Value result = e.select(negative, ed, e.sub(e.c(1.0), ed));
  return e.select(beyond, e.select(negative, e.c(0.0), e.c(1.0)), result);
}
