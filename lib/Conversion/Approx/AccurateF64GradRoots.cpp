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
//===----------------------------------------------------------------------===//

#include "AccurateF64Grad.h"

using namespace mlir;
using namespace mlir::act::approx;

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
