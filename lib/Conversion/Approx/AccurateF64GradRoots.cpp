//===- AccurateF64GradRoots.cpp - f64 derivatives next to their zeros -----===//
//
// Next to a zero x0 of f', every form of f' that sums terms of opposite
// signs loses digits as 1 / |f'|: the erf GELU's Phi + x phi at x0 =
// -0.7518 (its erf and erfcx cores are 2^-58 of Phi, ~4 times f' at 1/8
// from x0), mish''s rational function of E = exp(-|x|) at -1.1924 (E's own
// error, ~2^-65 absolute, 105 ULP at |f'| = 2^-20). There f'(x0 + d) =
// d q(d), d = x - x0 as a pair ((x - head) exact by Sterbenz, then the
// tail), q a polynomial fitted to f'(x0 + d) / d (Chebyshev interpolation
// at 270 bits, mpmath), its first two coefficients as pairs and c1 d by
// twoProd: d q rounds about once.
//
// The sigmoid products' f' = s(t) + m s(t) s(-t) (silu, swish, quick_gelu
// with m = t, the tanh GELUs with m = x t'(x)) is E G / (1 + E)^2 for t <
// 0, E = exp(t), G = 1 + m + E, and G cancels next to the zero: E's ~2^-66
// absolute (the exp core's r^3 Q3(r) in plain f64) became 18-51 ULP at
// |f'| = 2^-20. There G = (1 + K + m) + K expm1(t - t_c) for a point t_c
// next to the zero, K = exp(t_c) as a pair: an identity for any t and m,
// so no kernel has to match a table's constants (silu''s form: t_c the
// zero t0 itself as a pair, G = d + K expm1(d) = -t0 d + K d^2 P(d), two
// new constants). 1 + K + m cancels exactly as pairs; expm1(d) = d + d^2
// P(d), P to d^5 / 7! (2^-65.8 of G on |d| < 1/120), its coefficients and
// the window the exp core's own 1 / k! (no new registers of constants in
// the loop). Outside the window the general sum's error is below 2^-58 of
// f' (f' > 2^-9.1 there).
//
//===----------------------------------------------------------------------===//

#include "AccurateF64Grad.h"

using namespace mlir;
using namespace mlir::act::approx;

/// 1 / k! for k = 2..7, as ExpLogF64.cpp's exp core has them: expm1(d) = d
/// + d^2 P(d) on |d| < 1/120 = kExpm1Rest[3], 2^-65.8 of G.
static constexpr double kExpm1Rest[] = {1.0 / 2,   1.0 / 6,   1.0 / 24,
                                        1.0 / 120, 1.0 / 720, 1.0 / 5040};

/// scripts/f64-grad-roots.py silu_zero gelu_tanh_center: silu''s zero
/// t0 = -1 - W(1/e) = -1.278464542761073795 as a pair; the tanh GELUs' t =
/// 2 sqrt(2 / pi) (x + 0.044715 x^3) at the zero x0 = -0.752461422071016258
/// of f', -1.231154872331898783.
static constexpr double kSiluZero[] = {-1.2784645427610737,
                                       -1.0946994183093437e-16};
const SigmoidSumCenterF64 mlir::act::approx::kGeluTanhSumCenterF64 = {
    -1.2311548723318988,
    {0.29195521191476714, -1.2813675098853366e-17},
    {1.291955211914767, 9.820862736366229e-17},
    -0.7524614220710163};

/// gelu'(x) = Phi(x) + x phi(x) next to x0 = -0.75179152469356445746,
/// |d| < 1/4 (there F's sums of erf(u) / 2 and a phi(a), of erfcx(u) / 2
/// and a / sqrt(2 pi) lose 2-4 bits): degree 15, 2^-62.9 relative with the
/// coefficients rounded.
static constexpr double kGeluRest[] = {
    -0.018199676398671087,   -0.1140082332972217,    -0.014771522148244167,
    0.01942167983818907,     0.004539228379103509,   -0.0022395380680743497,
    -0.0007448268372971335,  0.00018633974628596658, 8.615943155700084e-05,
    -1.1214382021614744e-05, -7.747570426562661e-06, 4.328798121669628e-07,
    5.614817769932654e-07,   -1.9483211115586473e-09};
/// mish'(x) next to x0 = -1.19243121451549521214, |d| < 1/256 (E's
/// error, 0.1 ULP there): degree 5, 2^-60.9 relative (c1's tail, 2^-65 of
/// q at 1/256, left out: every constant counts against UnrollHints.cpp's
/// 32 registers).
static constexpr double kMishRest[] = {
    0.041907821043466804, -0.02027182271681388, -0.015821101558454953,
    -0.0033606622719013096};

const GradRootF64 mlir::act::approx::kGeluGradRootF64 = {
    -0.7517915246935645,
    1.4956759177009883e-17,
    0.25,
    {0.4314939923140469, 2.7308936741361944e-17},
    {0.388284982990552, 2.334485203331659e-17},
    kGeluRest};
const GradRootF64 mlir::act::approx::kMishGradRootF64 = {
    -1.1924312145154952,
    -4.8484829848031044e-17,
    0x1p-8,
    {0.2669479140495345, 1.5454098641279463e-17},
    {0.20473126408010586, 0.0},
    kMishRest};

Value mlir::act::approx::isNearGradRootF64(Emitter &e, Value x,
                                           const GradRootF64 &root) {
  return e.lt(e.abs(e.sub(x, e.c(root.head))), e.c(root.delta));
}

Pair mlir::act::approx::buildGradRootSeriesF64(Emitter &e, Value x,
                                               const GradRootF64 &root) {
  // d = dh + dl, dh exact within delta (x within a factor 2 of head).
  Value dh = e.sub(x, e.c(root.head));
  Value dl = e.c(-root.tail);
  // q = c0 + c1 d + d^2 Q(d): c0 + fl(c1 dh) by twoSum (|c1 d| < c0),
  // every smaller term in its low part.
  Value rest = e.mul(e.mul(dh, dh), e.poly(dh, root.rest));
  Pair c1d = e.twoProd(dh, e.c(root.c1[0]));
  Value low = e.fma(dl, e.c(root.c1[0]), e.c(root.c0[1]));
  if (root.c1[1] != 0)
    low = e.fma(dh, e.c(root.c1[1]), low);
  low = e.add(e.add(rest, c1d.lo), low);
  Pair q = e.fastTwoSum(e.c(root.c0[0]), c1d.hi);
  q.lo = e.add(q.lo, low);
  return e.productPair({dh, dl}, q);
}

/// K expm1(d) = K d + K d^2 P(d) for d = dh + dl (dl may be null), K d
/// as a pair (unrenormalized).
static Pair buildScaledExpm1F64(Emitter &e, Pair k, Pair d) {
  Value dd = d.lo ? e.add(d.hi, d.lo) : d.hi;
  Value square = e.mul(e.mul(dd, dd), e.poly(dd, kExpm1Rest));
  Pair kd = e.productPair(k, d);
  kd.lo = e.fma(k.hi, square, kd.lo);
  return kd;
}

SigmoidSumNearZeroF64 mlir::act::approx::buildSigmoidSumNearCenterF64(
    Emitter &e, Pair t, Pair m, const SigmoidSumCenterF64 &center) {
  // d = t - t_c = dh + t.lo, dh exact within the window (Sterbenz).
  Value dh = e.sub(t.hi, e.c(center.t));
  Value near = e.lt(e.abs(dh), e.c(kExpm1Rest[3]));
  Pair kd = buildScaledExpm1F64(e, {e.c(center.k[0]), e.c(center.k[1])},
                                {dh, t.lo});
  // 1 + K + m: the sum that cancels next to the zero, exact as pairs.
  Pair s = e.sumPair(m, {e.c(center.onePlusK[0]), e.c(center.onePlusK[1])},
                     /*subtract=*/false);
  Pair g = e.sumPair(s, kd, /*subtract=*/false);
  return {near, e.twoSum(g.hi, g.lo)};
}

SigmoidSumNearZeroF64 mlir::act::approx::buildSiluSumNearZeroF64(Emitter &e,
                                                                 Pair t) {
  // With 1 + K = -t0: G = d + K (d + d^2 P) = -t0 d + K d^2 P, d = t - t0 =
  // (t - head) + (t.lo - tail), the first difference exact; -t0 d as a
  // pair (-head dh exact), K d^2 P = -head y - y with y = d^2 P (K = -1 -
  // head to 2^-107 of d^2 P). Only -head and -tail are new constants next
  // to the loop's others (AVX-512 keeps its 4 copies of silu' and swish').
  Value minusHead = e.c(-kSiluZero[0]), minusTail = e.c(-kSiluZero[1]);
  Value dh = e.add(t.hi, minusHead);
  Value near = e.lt(e.abs(dh), e.c(kExpm1Rest[3]));
  Value dl = t.lo ? e.add(t.lo, minusTail) : minusTail;
  Value dd = e.add(dh, dl);
  Value y = e.mul(e.mul(dd, dd), e.poly(dd, kExpm1Rest));
  Pair g = e.twoProd(minusHead, dh);
  Value low = e.fma(minusHead, y, e.neg(y));
  low = e.fma(minusTail, dh, e.fma(minusHead, dl, low));
  return {near, e.fastTwoSum(g.hi, e.add(g.lo, low))};
}
