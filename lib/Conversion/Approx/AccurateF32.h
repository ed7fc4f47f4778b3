//===- AccurateF32.h - accurate sigmoid forms in f32 pairs ---*- C++ -*-===//
//
// The precision=accurate forms of the sigmoid family evaluated in f32
// double-float arithmetic instead of f64 (see AccurateF32Sigmoid.cpp).
// Arguments as in Approx.h: `t` is the double-float value of an f32
// expression (lo may be null), `m` an exact f32 value (null for 1).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF32_H
#define ACTC_CONVERSION_APPROX_ACCURATEF32_H

#include "Emitter.h"

namespace mlir::act::approx {

/// m * sigmoid(t), rounded about once (0.5 ULP + the exp core's 2^-28).
Value buildAccurateSigmoidProductF32(Emitter &e, Value m, Pair t);
/// sigmoid(t) * sigmoid(-t) = E / (1 + E)^2, E = exp(-|t|), rounded about
/// once.
Value buildAccurateSigmoidPrimeF32(Emitter &e, Pair t);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_ACCURATEF32_H
