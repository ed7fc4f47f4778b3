//===- AccurateF32.h - accurate composed forms in f32 pairs --*- C++ -*-===//
//
// The precision=accurate forms of the sigmoid family and softplus
// evaluated in f32 double-float arithmetic instead of f64 (see
// AccurateF32Sigmoid.cpp, AccurateF32Softplus.cpp).
// Arguments as in Approx.h: `t` is the double-float value of an f32
// expression (lo may be null), `m` an exact f32 value (null for 1).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF32_H
#define ACTC_CONVERSION_APPROX_ACCURATEF32_H

#include "Emitter.h"

namespace mlir::act::approx {

/// E = exp(-|t|) = 2^n (h + l) from the exp core (h + l unscaled,
/// renormalized, about 2^-28 relative), -|t| clamped to -150 (`clamped`
/// where it was below), `negative` where t < 0, and scale = 2^max(n, -127)
/// for the sums where E meets numbers near 1 (AccurateF32Sigmoid.cpp).
struct AccurateExp {
  Value negative, clamped, n, nf, h, l, scale;
};
AccurateExp buildAccurateExpOfMinusAbsF32(Emitter &e, Pair t);

/// m * sigmoid(t), rounded about once (0.5 ULP + the exp core's 2^-28).
Value buildAccurateSigmoidProductF32(Emitter &e, Value m, Pair t);
/// sigmoid(t) * sigmoid(-t) = E / (1 + E)^2, E = exp(-|t|), rounded about
/// once.
Value buildAccurateSigmoidPrimeF32(Emitter &e, Pair t);
/// softplus(t) = max(t, 0) + log1p(exp(-|t|)), rounded about once
/// (AccurateF32Softplus.cpp).
Value buildAccurateSoftplusF32(Emitter &e, Pair t);
/// tanh(x) = (m - E) / (m + E) with E = exp(-2|x|) / 2^n, m = 2^-n, rounded
/// about once (AccurateF32Tanh.cpp).
Value buildAccurateTanhF32(Emitter &e, Value x);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_ACCURATEF32_H
