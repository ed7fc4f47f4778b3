//===- AccurateF64Grad.h - accurate f64 derivatives in pairs ----*- C++ -*-===//
//
// The precision=accurate forms of the f64 gradient kernels' derivatives,
// evaluated in double-double and rounded about once
// (AccurateF64SigmoidGrad.cpp, AccurateF64ScaledGrads.cpp), on the pieces
// of AccurateF64.h. `t` is the double-double value of an f64 expression
// (lo may be null).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF64GRAD_H
#define ACTC_CONVERSION_APPROX_ACCURATEF64GRAD_H

#include "Emitter.h"

namespace mlir::act::approx {

/// 2^k sigmoid(t) sigmoid(-t) = 2^k E / (1 + E)^2, E = exp(-|t|) = 2^n (h
/// + l): (h + l) over the pair (1 + E)^2 by one division with a residual
/// step, then 2^(n + k) (sigmoid', and tanh' = 4 sigmoid'(2x) with k = 2:
/// rounded once where 4 sigmoid' is a normal number and sigmoid' is not).
Value buildAccurateSigmoidPrimeF64(Emitter &e, Pair t, int k = 0);
/// A point t = t_c where G = 1 + m + exp(t) vanishes for some kernels
/// (the tanh GELUs' t at the zero x0 of f'): K = exp(t_c) and 1 + K as
/// pairs (AccurateF64GradRoots.cpp).
struct SigmoidSumCenterF64 {
  double t;
  double k[2], onePlusK[2];
  /// Where the kernels' t reaches t_c (AccurateF64GradForms.cpp checks a
  /// kernel's G there).
  double x0;
};
extern const SigmoidSumCenterF64 kGeluTanhSumCenterF64;
/// G = 1 + m + exp(t) as a pair to ~2^-104 absolute where `near`, next to
/// the zero of G, where the general sum keeps the exp core's own error
/// (~2^-66 absolute).
struct SigmoidSumNearZeroF64 {
  Value near;
  Pair sum;
};
/// G = (1 + K + m) + K expm1(t - t_c) within 1/120 of `center`.
SigmoidSumNearZeroF64 buildSigmoidSumNearCenterF64(
    Emitter &e, Pair t, Pair m, const SigmoidSumCenterF64 &center);
/// G = 1 + t + exp(t) (m = t: silu, swish, quick_gelu) as d + K expm1(d),
/// d = t - t0, within 1/120 of its zero t0 = -1 - W(1/e), K = exp(t0) =
/// -1 - t0.
SigmoidSumNearZeroF64 buildSiluSumNearZeroF64(Emitter &e, Pair t);

/// sigmoid(t) + m sigmoid(t) sigmoid(-t) = sigmoid(t) (1 + m sigmoid(-t))
/// (silu', swish', quick_gelu' with m = t; the tanh GELUs' with m = x
/// t'(x)): (1 + E + m E) / (1 + E)^2 for t >= 0, E (1 + E + m) / (1 + E)^2
/// below, the numerator's sum as a pair, and where `nearZero` (if given) is
/// near, its sum instead (next to the zero of f', silu''s at t = -1.278,
/// where E's error no longer cancels). m is taken as 0 where |t| >= 1400
/// (E = 0 there; m may be infinite).
Value buildAccurateSigmoidGradSumF64(
    Emitter &e, Pair t, Pair m,
    const SigmoidSumNearZeroF64 *nearZero = nullptr);
/// k exp(x) for an f64 x and a constant k given as a pair (selu':
/// alpha scale exp(x)): exp's pair times k, rounded once, then 2^n.
Value buildAccurateScaledExpF64(Emitter &e, Value x, double khi, double klo);
/// 1 / (1 + |x|)^2 (softsign', whose quotient rule 1 - |x| / (1 + |x|)
/// cancels): the pair (1 + |x|)^2 and one division with a residual step.
Value buildAccurateSoftsignGradF64(Emitter &e, Value x);

/// tanh(x)^2 (tanhshrink'): with M = expm1(-2|x|) as a pair, M^2 / (2 +
/// M)^2, one division of pairs (tanh rounded, then squared: 1.74 ULP).
Value buildAccurateTanhSquaredF64(Emitter &e, Value x);

/// mish' = tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x), as one
/// rational function of E = exp(-|x|) in pairs (AccurateF64MishGrad.cpp).
Value buildAccurateMishGradF64(Emitter &e, Value x);

/// gelu' = Phi(x) + x phi(x) (the erf GELU) rounded about once: F(a) =
/// gelu'(-a) for a = |x| as one pair, gelu'(x) = F for x < 0 and 1 - F
/// above (AccurateF64GeluGrad.cpp).
Value buildAccurateGeluGradF64(Emitter &e, Value x);

/// A zero x0 = head + tail of f' and the series f'(x0 + d) = d q(d) for
/// |d| < delta, q = c0 + c1 d + d^2 (rest[0] + rest[1] d + ...), c0 and c1
/// as pairs (c1's tail may be 0: left out; AccurateF64GradRoots.cpp).
struct GradRootF64 {
  double head, tail, delta;
  double c0[2], c1[2];
  ArrayRef<double> rest;
};
extern const GradRootF64 kGeluGradRootF64;
extern const GradRootF64 kMishGradRootF64;
/// |x - head| < delta.
Value isNearGradRootF64(Emitter &e, Value x, const GradRootF64 &root);
/// f'(x) = d q(d), d = x - x0, as an unrounded pair (within delta).
Pair buildGradRootSeriesF64(Emitter &e, Value x, const GradRootF64 &root);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_ACCURATEF64GRAD_H
