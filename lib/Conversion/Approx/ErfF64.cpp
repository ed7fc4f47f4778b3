//===- ErfF64.cpp - erf and erfc as f64 cores -----------------------------===//
//
// erf(a) = a P(a^2) for a = |x| < 1 (degree 8 in a^2, 2^-40), and
// erfc(a) = exp(-a^2) t h(t), t = 2 / (2 + a), for 1 <= a <= 28 (h of degree
// 13 in t, 2^-38; above 28 the exp underflows f64). Each side gives the
// other without cancellation: 1 - erf(a) >= 0.157 below 1, and 1 - erfc(a)
// >= 0.84 above. f64 arithmetic, for results rounded to f32: erf and erfc
// have no exact leading term to carry the rounding errors of an f32
// evaluation, so f32 kernels call these through f64 too.
//
// The f64 kernels' erf and erfc (1 ULP of f64, branch-free, selects only):
// erf(a) = a P(a^2) below 1/2 (degree 10, the constant as a pair), and
// erfc(a) = exp(-a^2) erfcx(a) from 1/2 to 28 (above, exp(-a^2) underflows
// to 0), erfcx on nine segments of a (degree 17 in a - center, the first two
// coefficients as pairs, 2^-58.5; the segment's coefficients chosen by
// selects), a^2 as an exact pair, exp(-a^2) as the unscaled pair 2^n (h + l)
// of ExpLogF64.cpp, the product rounded once before the 2^n scaling (twice
// for a subnormal erfc). erf = 1 - erfc and erfc(-a) = 2 - erfc(a) by
// error-free sums. Coefficients: Chebyshev interpolation at 300 bits
// (mpmath), rounded to double.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"
#include "Approx.h"

#include <iterator>
#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

/// erf(sqrt(z)) / sqrt(z) on [0, 1].
static constexpr double kErfP8[] = {
    1.1283791670946767,     -3.7612638889635307e-1, 1.1283791308604581e-1,
    -2.6866133235095592e-2, 5.2237834771892481e-3,  -8.5426379970872296e-4,
    1.195656256820733e-4,   -1.3909340021874599e-5, 1.0589380641075019e-6};
/// erfc(a) exp(a^2) / t, t = 2 / (2 + a), t in [2/30, 2/3].
static constexpr double kErfcH13[] = {
    2.8209479003649062e-1,  2.8209490363032448e-1,  2.468298225296236e-1,
    1.7635907738794464e-1,  8.3240083518247482e-2,  -9.6299261827035237e-4,
    -7.2624601613928217e-2, -4.9106668558828141e-3, -9.2625068892365584e-2,
    1.0252829766881873e-1,  2.1483437856198224e-1,  -4.3572458775993433e-1,
    2.8914141041007631e-1,  -7.0331380917284152e-2};

/// erf(a) / a = P(a^2) for a < 1/2: degree 10 in a^2 (the constant term as a
/// pair), 2^-58.0 relative.
static constexpr double kErfSmallC0[] = {1.1283791670955126, 1.5335333826647484e-17};
static constexpr double kErfSmallP[] = {-0.37612638903183754, 0.11283791670955123, -0.026866170645130034, 0.005223977625403192, -0.0008548327016159163, 0.00012055332131175981, -1.4925586560096415e-05, 1.6459034327218912e-06, -1.6273138761686977e-07, 1.3214378238338438e-08};
/// erfcx(a) = erfc(a) exp(a^2) on [kErfcxStart[i], kErfcxStart[i + 1]): degree
/// 17 in a - kErfcxCenter[i] (the first two coefficients as pairs), 2^-58.5.
static constexpr double kErfcxStart[] = {0.5, 1.375, 2.5, 3.875, 5.625, 8.5, 12.125, 17.75, 24.75};
static constexpr double kErfcxCenter[] = {0.9375, 1.9375, 3.1875, 4.75, 7.0625, 10.3125, 14.9375, 21.25, 26.375};
static constexpr double kErfcxC01[][4] = {
    {0.4452822731368817, -2.3182184542336876e-19, -0.2934749049638594, -8.914791929884915e-18},
    {0.2622376065503814, 1.9760848464616213e-17, -0.1122084417127845, 5.6084364503820766e-18},
    {0.16933669983724775, 1.2486229441347835e-17, -0.048857705633058086, 1.7711887588639415e-18},
    {0.11630270721024731, -3.1747488874520873e-18, -0.02350344859816315, -4.19128164396543e-19},
    {0.07910741169913021, -3.183407180558649e-18, -0.010986976845298339, -3.0157424221476355e-19},
    {0.05445561926980594, 3.4666156223317496e-18, -0.005232019655765026, -3.2493958157951845e-19},
    {0.0376859394590235, 2.9425885165448523e-19, -0.0025117257571854613, -1.942164868322525e-19},
    {0.026520797134730087, 1.17510820163712e-18, -0.0012452888694838295, 6.619864864088761e-20},
    {0.021375732202399234, -1.3509365330630608e-18, -0.0008092934189530388, 3.0391848096583145e-20},
};
static constexpr double kErfcxP[][16] = {
    {0.17014954973326343, -0.08930646805928327, 0.043212367963847274, -0.01951794923727356, 0.008304763517721112, -0.0033520666968407486, 0.0012905502539917208, -0.00047603907735729325, 0.00016885262359712933, -5.777081782648128e-05, 1.9116302561778415e-05, -6.131030512879943e-06, 1.905184474353465e-06, -5.774906936836839e-07, 1.8328534596508252e-07, -5.264401260434153e-08},
    {0.04483375073186146, -0.01689536644653526, 0.006049489120850941, -0.0020697925099558783, 0.0006797553775633664, -0.00021507613309017354, 6.576134308337231e-05, -1.9480785073175583e-05, 5.603458386654179e-06, -1.5680118379151434e-06, 4.276048566747658e-07, -1.1379057849977181e-07, 2.948982651028165e-08, -7.504300504714822e-09, 2.039087814618505e-09, -4.965144507285355e-10},
    {0.013602763131875115, -0.0036659321001374294, 0.0009588022813436566, -0.00024389993134199588, 6.045708339425346e-05, -1.4626565146332186e-05, 3.458726777661095e-06, -8.004163698461327e-07, 1.8147973571886474e-07, -4.0354351263957795e-08, 8.809034806086583e-09, -1.888997503579452e-09, 3.968803059875501e-10, -8.233832778929087e-11, 1.836684721859036e-11, -3.6854598313656155e-12},
    {0.004661326368972339, -0.0009080988970296904, 0.0001739283040406751, -3.277578113463489e-05, 6.0811145501155155e-06, -1.1115677200442912e-06, 2.0029197179851618e-07, -3.559574753417441e-08, 6.242427319347175e-09, -1.080759874716746e-09, 1.848182549444622e-10, -3.12247420731337e-11, 5.194650461591699e-12, -8.578377422260754e-13, 1.5375000203431418e-13, -2.4796721161591072e-14},
    {0.0015118877292106861, -0.0002061798384985601, 2.7871309907353717e-05, -3.7354849112995626e-06, 4.964825735125344e-07, -6.545049542175146e-08, 8.55961303328895e-09, -1.1107184795304668e-09, 1.4303186624356126e-10, -1.828165971629268e-11, 2.3203377577548503e-12, -2.922990632480925e-13, 3.621796400944543e-14, -4.500475124510328e-15, 6.445965153904341e-16, -7.886620306270898e-17},
    {0.0005004165697291106, -4.764918695571321e-05, 4.51716462416123e-06, -4.26370707629161e-07, 4.007223390515797e-08, -3.75022726048092e-09, 3.495038308338837e-10, -3.24375814151919e-11, 2.998245276073929e-12, -2.760142271850293e-13, 2.5312862530655028e-14, -2.311811303759591e-15, 2.0889236872554565e-16, -1.8932420747071146e-17, 1.9400492188798786e-18, -1.7432539345897102e-19},
    {0.0001670359610656706, -1.108405917800059e-05, 7.339135471447592e-07, -4.84902270184975e-08, 3.196927016875823e-09, -2.1032276491412078e-10, 1.3807680149338876e-11, -9.045689171855597e-13, 5.913596662724274e-14, -3.858003199119438e-15, 2.512648918701793e-16, -1.6324975509024767e-17, 1.0472700899228501e-18, -6.777232160071508e-20, 5.133500266052406e-21, -3.3064603101888166e-22},
    {5.840865819871161e-05, -2.736588507471522e-06, 1.2807620747092533e-07, -5.9876394861067394e-09, 2.7962279701654195e-10, -1.3044299640727549e-11, 6.07857427839261e-13, -2.8295471118061685e-14, 1.3157297573368541e-15, -6.111598828465238e-17, 2.836327974676361e-18, -1.314688521851717e-19, 6.047944967880045e-21, -2.797507653437623e-22, 1.4643607014696336e-23, -6.757432475726112e-25},
    {3.061827751283506e-05, -1.1575663680093404e-06, 4.373227829435426e-08, -1.6510111982987203e-09, 6.228597974183747e-11, -2.3481378879301934e-12, 8.846073691976432e-14, -3.330211483192206e-15, 1.2528180999200917e-16, -4.709771166375163e-18, 1.769326582064318e-19, -6.642213833303715e-21, 2.491518268252959e-22, -9.340382181573349e-24, 3.558378399466779e-25, -1.3321116652703067e-26},
};

namespace {
/// erf(a) for a < 1 and erfc(a) for a >= 1, a = |x|.
struct ErfParts {
  Value a, small, erfSmall, erfcLarge;
};
} // namespace

static ErfParts erfParts(Emitter &e, Value x) {
  Value a = e.abs(x);
  Value erfSmall = e.mul(a, e.poly(e.mul(a, a), kErfP8));
  Value b = e.clamp(a, 1.0, 28.0);
  Value t = e.div(e.c(2.0), e.add(b, e.c(2.0)));
  Value q = e.mul(t, e.poly(t, kErfcH13));
  Value erfcLarge = e.mul(buildWideExp(e, e.neg(e.mul(b, b))), q);
  return {a, e.lt(a, e.c(1.0)), erfSmall, erfcLarge};
}

Value mlir::act::approx::buildWideErf(Emitter &e, Value x) {
  ErfParts parts = erfParts(e, x);
  Value y = e.select(parts.small, parts.erfSmall,
                     e.sub(e.c(1.0), parts.erfcLarge));
  return e.copySign(y, x);
}

Value mlir::act::approx::buildWideErfc(Emitter &e, Value x) {
  ErfParts parts = erfParts(e, x);
  Value positive =
      e.select(parts.small, e.sub(e.c(1.0), parts.erfSmall), parts.erfcLarge);
  Value negative =
      e.select(parts.small, e.add(e.c(1.0), parts.erfSmall),
               e.sub(e.c(2.0), parts.erfcLarge));
  return e.select(e.ge(x, e.c(0.0)), positive, negative);
}

/// The coefficient `at(i)` of a's segment (a in [1/2, 28]).
template <typename Fn> static Value pickSegment(Emitter &e, Value a, Fn at) {
  Value v = e.c(at(0));
  for (unsigned i = 1; i < std::size(kErfcxStart); ++i)
    v = e.select(e.ge(a, e.c(kErfcxStart[i])), e.c(at(i)), v);
  return v;
}

namespace {
/// erfc(a) = 2^n (hi + lo) for a in [1/2, 28] (lo unrounded).
struct ErfcF64 {
  Value n, hi, lo;
};
} // namespace

/// erfcx(a) = hi + lo for a in [1/2, 28]: the segment's c0 + s (c1 + s Q),
/// s = a - center, with c0, c1 and s c1 as pairs.
static Pair erfcxCoreF64(Emitter &e, Value a) {
  Value center = pickSegment(e, a, [](unsigned i) { return kErfcxCenter[i]; });
  Value s = e.sub(a, center); // exact: a is within a factor 2 of center
  SmallVector<Value> q;
  for (unsigned k = 0; k < std::size(kErfcxP[0]); ++k)
    q.push_back(pickSegment(e, a, [k](unsigned i) { return kErfcxP[i][k]; }));
  Value qv = q.back();
  for (unsigned k = q.size() - 1; k-- > 0;)
    qv = e.fma(qv, s, q[k]);
  auto c01 = [&](unsigned k) {
    return pickSegment(e, a, [k](unsigned i) { return kErfcxC01[i][k]; });
  };
  Value u = e.fma(s, qv, c01(3));
  Pair p = e.twoProd(s, c01(2));
  Value tail = e.add(e.fma(s, u, p.lo), c01(1));
  Pair g = e.twoSum(c01(0), p.hi);
  g.lo = e.add(g.lo, tail);
  return g;
}

/// `al`: a's low part, when a is a pair (null: 0).
static ErfcF64 erfcLargeF64(Emitter &e, Value a, Value al = Value()) {
  Pair g = erfcxCoreF64(e, a);
  // exp(-a^2) = 2^n (h + l) (1 - al), a^2 = ah + al exactly.
  Pair square = e.twoProd(a, a);
  if (al) {
    // erfcx(a + al) = g + al (2 a g - 2 / sqrt(pi)), (a + al)^2 = a^2 +
    // 2 a al, to first order (al <= 2^-49: the rest is 2^-98). g whole in
    // the slope: g.hi alone (s^2 Q is a few percent of erfcx) made it
    // 10 times too steep above a = 8, 11 ULPs of gelu at x = -17.2.
    Value twoA = e.add(a, a);
    Value slope =
        e.fma(twoA, e.add(g.hi, g.lo), e.c(-1.1283791670955126));
    g.lo = e.fma(al, slope, g.lo);
    square.lo = e.fma(twoA, al, square.lo);
  }
  ExpSplit ex = buildExpSplitF64(e, e.neg(square.hi));
  // (h + l)(g.hi + g.lo) = prod.hi + rest (g.lo is not small: s^2 Q is a
  // few percent of erfcx), then times 1 - al.
  Pair prod = e.twoProd(ex.h, g.hi);
  Value rest = e.fma(ex.h, g.lo, e.fma(ex.l, g.hi, prod.lo));
  Value whole = e.add(prod.hi, rest);
  rest = e.fma(e.neg(whole), square.lo, rest);
  return {ex.n, prod.hi, rest};
}

/// erf(a) 2^64 = hi + lo for a < 1/2: scaled, so that the product's error
/// term stays a normal number for the smallest a.
static Pair erfSmallF64(Emitter &e, Value a) {
  Value z = e.mul(a, a);
  Value r = e.mul(z, e.poly(z, kErfSmallP));
  Value as = e.mul(a, e.c(0x1p64));
  Pair p = e.twoProd(as, e.c(kErfSmallC0[0]));
  return {p.hi, e.fma(as, e.add(r, e.c(kErfSmallC0[1])), p.lo)};
}

/// 1 + sign (hi + lo) rounded once, by an exact sum (|hi| <= 1).
static Value onePlus(Emitter &e, double one, Value hi, Value lo) {
  Pair d = e.twoSum(e.c(one), hi);
  return e.add(d.hi, e.add(d.lo, lo));
}

Value mlir::act::approx::buildErfF64(Emitter &e, Value x) {
  Value a = e.abs(x);
  Pair small = erfSmallF64(e, a);
  ErfcF64 large = erfcLargeF64(e, e.clamp(a, 0.5, 28.0));
  Value hi = e.scale(large.hi, large.n), lo = e.scale(large.lo, large.n);
  Value erfLarge = onePlus(e, 1.0, e.neg(hi), e.neg(lo));
  Value erfSmall = e.mul(e.add(small.hi, small.lo), e.c(0x1p-64));
  Value y = e.select(e.lt(a, e.c(0.5)), erfSmall, erfLarge);
  return e.copySign(y, x); // erf(-0) = -0; a NaN stays a NaN
}

Value mlir::act::approx::buildErfcF64(Emitter &e, Value x) {
  Value a = e.abs(x);
  Value negative = e.lt(x, e.c(0.0));
  Pair small = erfSmallF64(e, a);
  small = {e.mul(small.hi, e.c(0x1p-64)), e.mul(small.lo, e.c(0x1p-64))};
  Value nearZero =
      e.select(negative, onePlus(e, 1.0, small.hi, small.lo),
               onePlus(e, 1.0, e.neg(small.hi), e.neg(small.lo)));
  ErfcF64 large = erfcLargeF64(e, e.clamp(a, 0.5, 28.0));
  Value positive = e.scale(e.add(large.hi, large.lo), large.n);
  Value hi = e.scale(large.hi, large.n), lo = e.scale(large.lo, large.n);
  Value far = e.select(negative, onePlus(e, 2.0, e.neg(hi), e.neg(lo)),
                       positive);
  Value y = e.select(e.lt(a, e.c(0.5)), nearZero, far);
  return e.select(e.isNaN(x), x, y);
}

/// c + sign (hi + lo) as a pair (|hi| <= c), by an exact sum.
static Pair plusPair(Emitter &e, double c, Value hi, Value lo) {
  Pair d = e.twoSum(e.c(c), hi);
  return {d.hi, e.add(d.lo, lo)};
}

Value mlir::act::approx::buildErfcProductOfPairF64(Emitter &e, Value m,
                                                   Pair w) {
  double inf = std::numeric_limits<double>::infinity();
  Value zero = e.c(0.0);
  Value negative = e.lt(w.hi, zero);
  Value a = e.abs(w.hi);
  // |w| = a + al.
  Value al = w.lo ? e.select(negative, e.neg(w.lo), w.lo) : Value();
  // Below 1/2: 1 -+ erf(a + al), erf(a + al) = erf(a) + al 2/sqrt(pi)
  // exp(-a^2), exp(-a^2) by its series to a^6 (a^8 / 24 <= 2^-12.6 of it).
  Pair small = erfSmallF64(e, a);
  small = {e.mul(small.hi, e.c(0x1p-64)), e.mul(small.lo, e.c(0x1p-64))};
  if (al) {
    Value slope = e.poly(e.mul(a, a), {1.1283791670955126, -1.1283791670955126,
                                       0.5641895835477563, -0.1880631945159188});
    small.lo = e.fma(al, slope, small.lo);
  }
  Pair nearZero = plusPair(e, 1.0, small.hi, small.lo);
  Pair nearZeroPositive = plusPair(e, 1.0, e.neg(small.hi), e.neg(small.lo));
  nearZero.hi = e.select(negative, nearZero.hi, nearZeroPositive.hi);
  nearZero.lo = e.select(negative, nearZero.lo, nearZeroPositive.lo);
  // From 1/2 to 28: erfc(a + al) = 2^n (hi + lo); erfc(-a) = 2 - erfc(a).
  Value b = e.clamp(a, 0.5, 28.0);
  Value bl = al ? e.select(e.eq(a, b), al, zero) : Value();
  ErfcF64 large = erfcLargeF64(e, b, bl);
  Pair twoMinus = plusPair(e, 2.0, e.neg(e.scale(large.hi, large.n)),
                           e.neg(e.scale(large.lo, large.n)));
  // m times the pair the side takes, 2^n last for erfc(a) itself.
  Value isSmall = e.lt(a, e.c(0.5));
  Value scaled = e.andI1(e.ge(a, e.c(0.5)), e.cmp(arith::CmpFPredicate::UGE,
                                                 w.hi, zero));
  Value hi = e.select(isSmall, nearZero.hi, twoMinus.hi);
  Value lo = e.select(isSmall, nearZero.lo, twoMinus.lo);
  hi = e.select(scaled, large.hi, hi);
  lo = e.select(scaled, large.lo, lo);
  Pair p = e.twoProd(m, hi);
  p.lo = e.fma(m, lo, p.lo);
  p.lo = e.select(e.lt(e.abs(p.hi), e.c(inf)), p.lo, zero);
  Value y = scaleRoundedOnceF64(e, e.add(p.hi, p.lo),
                                e.select(scaled, large.n, e.ci(0)));
  // Above 28 erfc(a) has underflowed: m 0, as the formula gives.
  return e.select(e.andI1(e.gt(a, e.c(28.0)), e.ge(w.hi, zero)),
                  e.mul(m, zero), y);
}

Pair mlir::act::approx::buildErfSmallPairF64(Emitter &e, Pair u) {
  // erf(u + ul) = erf(u) + ul 2/sqrt(pi) exp(-u^2), exp(-u^2) by its series
  // to u^6 (as buildErfcProductOfPairF64's small side).
  Pair small = erfSmallF64(e, u.hi);
  small = {e.mul(small.hi, e.c(0x1p-64)), e.mul(small.lo, e.c(0x1p-64))};
  if (u.lo) {
    Value slope = e.poly(e.mul(u.hi, u.hi),
                         {1.1283791670955126, -1.1283791670955126,
                          0.5641895835477563, -0.1880631945159188});
    small.lo = e.fma(u.lo, slope, small.lo);
  }
  return small;
}

Pair mlir::act::approx::buildErfcxPairF64(Emitter &e, Pair u) {
  // erfcLargeF64's erfcx = c0 + s (c1 + s Q), without exp(-u^2).
  Value a = u.hi;
  Pair g = erfcxCoreF64(e, a);
  // erfcx(a + al) = g + al (2 a g - 2 / sqrt(pi)) to first order.
  if (u.lo) {
    Value slope =
        e.fma(e.add(a, a), e.add(g.hi, g.lo), e.c(-1.1283791670955126));
    g.lo = e.fma(u.lo, slope, g.lo);
  }
  return g;
}
