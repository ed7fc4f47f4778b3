//===- AccurateF64.h - accurate composed forms in f64 pairs ----*- C++ -*-===//
//
// The precision=accurate forms of the f64 sigmoid family and softplus,
// evaluated in double-double and rounded about once (AccurateF64Sigmoid.cpp,
// AccurateF64Softplus.cpp), and the pieces of ExpLogF64.cpp they take.
// Arguments: `t` is the double-double value of an f64 expression (lo may
// be null), `m` an f64 value (null for 1).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF64_H
#define ACTC_CONVERSION_APPROX_ACCURATEF64_H

#include "Emitter.h"

namespace mlir::act::approx {

/// exp(x) = 2^n (y.hi + y.lo) for a pair x, |x.hi| <= 1500 (n as an
/// integer; y within 2^-60 of exp(x) / 2^n, in [0.7, 1.42]; ExpLogF64.cpp).
struct ExpOfPairF64 {
  Value n;
  Pair y;
};
ExpOfPairF64 buildExpOfPairF64(Emitter &e, Pair x);
/// E = 2^n (y.hi + y.lo) as a pair to be added to 1 (E <= 1): 2^n with n
/// clamped to -1022, where E stops mattering next to 1 (ExpLogF64.cpp).
Pair buildExpNextToOneF64(Emitter &e, const ExpOfPairF64 &exp);
/// a 2^n for an integer n in (-2046, 0]: one vscalefpd with AVX-512
/// (Emitter::setAVX512; a subnormal result rounds once), else
/// Emitter::scale (twice: the product before it rounded a).
Value scaleRoundedOnceF64(Emitter &e, Value a, Value n);
/// log(u) + correction for a positive finite u as an unrounded pair
/// (ExpLogF64.cpp's log core before its last sum).
Pair buildLogPairF64(Emitter &e, Value u, Value correction);

/// exp(x) of a pair x as a pair (act.exp_pair, both results used): to
/// 2^-60 relative where normal, hi rounded from 2^n y.hi (a subnormal hi
/// rounds twice); x.lo (may be null) is ignored where |x.hi| >= 746, +-inf
/// or NaN (ExpLogF64.cpp).
Pair buildExpPairF64(Emitter &e, Pair x);
/// The same rounded once from 2^n (y.hi + y.lo), subnormal results
/// included (act.exp_pair whose low result is unused: the output of a
/// softmax; ExpLogF64.cpp).
Value buildExpOfPairRoundedF64(Emitter &e, Pair x);
/// log1p(t) of a pair t > -1 (|t.lo| a few ulp(t.hi) at most) as a
/// normalized pair, with log1p's specials (lo 0) for t.hi +inf, -1,
/// below -1 or NaN (act.log1p_pair; ExpLogF64.cpp).
Pair buildLog1pOfPairF64(Emitter &e, Pair t);

/// expm1(x) as a pair for x in [-40, 709.79] (NaN passes; ExpLogF64.cpp).
Pair buildExpm1PairF64(Emitter &e, Value x);
/// tanh(x) as a pair within about 2^-62 relative for |x| >= 1/4, +-1 from
/// |x| = 22 on (NaN passes; ExpLogF64.cpp).
Pair buildTanhPairF64(Emitter &e, Value x);

/// E = exp(-|t|) for a pair t, -|t| clamped at -1400 (exp's n within
/// Emitter::scale's range; E is 0 below it, and so is m * sigmoid(t) for
/// any |m| < 2^945), with where t is negative and where the clamp applied:
/// the start of the sigmoid and softplus forms (AccurateF64Sigmoid.cpp).
struct ExpOfNegatedAbsF64 {
  ExpOfPairF64 exp;
  Value negative;
  Value clamped;
};
ExpOfNegatedAbsF64 buildExpOfNegatedAbsF64(Emitter &e, Pair t);

/// m * sigmoid(t) = m / (1 + E) for t >= 0 and 2^n m (h + l) / (1 + E)
/// below, E = exp(-|t|) = 2^n (h + l): one division with a residual step
/// on the pair 1 + E, then 2^n (a subnormal result rounds twice).
Value buildAccurateSigmoidProductF64(Emitter &e, Value m, Pair t);
/// m * erfc(w) (the erf GELU's 0.5 x erfc(-x / sqrt(2))) rounded about
/// once: erfc of the pair w as the pair of ErfF64.cpp's cores (first-order
/// terms in w's low part), 2^n of exp(-w^2) applied after the product.
Value buildErfcProductOfPairF64(Emitter &e, Value m, Pair w);
/// softplus(t) = max(t, 0) + log1p(E), E = exp(-|t|), the log of 1 + E
/// as a pair and the sum with t rounded once; E itself below 2^-60.
Value buildAccurateSoftplusF64(Emitter &e, Pair t);

/// c * a rounded once for a pair constant c (c.lo may be null); an
/// infinite product stays infinite (AccurateF64Products.cpp).
Value buildConstantProductF64(Emitter &e, Pair c, Value a);
/// c * expm1(t) rounded once for a pair constant c (selu's scale alpha);
/// t's expm1 as a pair, clamped to [-40, 709.79]; -0 stays -0
/// (AccurateF64Products.cpp).
Value buildConstantExpm1ProductF64(Emitter &e, Pair c, Value t);
/// x - tanh(x) rounded about once: x^3 (1/3 + x^2 P(x^2)) in pairs below
/// |x| = 1/2, x minus tanh's pair above (AccurateF64Tanh.cpp).
Value buildAccurateTanhshrinkF64(Emitter &e, Value x);
/// m * tanh(softplus(t)) (mish) rounded about once: E (E + 2) / (E (E + 2)
/// + 2) with E = exp(t) as a pair, 2^n applied last (AccurateF64Tanh.cpp).
Value buildAccurateMishProductF64(Emitter &e, Value m, Pair t);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_ACCURATEF64_H
