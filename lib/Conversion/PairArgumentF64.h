//===- PairArgumentF64.h - f64 arithmetic as a double-double ----*- C++ -*-===//
//
// The argument of an accurate f64 form (AccurateF64Forms.h) as the
// double-double its arithmetic gives: sums by twoSum, products by
// twoProd, divisions by a constant with a residual step, and constants
// with the part f64 rounded away (FastForms.h's evaluatePairF32 is the f32
// twin).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_PAIRARGUMENTF64_H
#define ACTC_CONVERSION_PAIRARGUMENTF64_H

#include "Approx/Emitter.h"

namespace mlir::act {

/// `value` (an f64 expression) as a double-double; lo is null for a value
/// taken whole (a leaf, or an op other than + - * negation and division by
/// a constant), and 0 where hi is not finite.
approx::Pair evaluatePairF64(approx::Emitter &e, Value value);

/// What an f64 constant c stands for, beyond c: the decimal it prints as
/// in at most 12 significant digits (1.702, 0.044715: a literal of the
/// source), or sqrt(2), 1 / sqrt(2), sqrt(2 / pi), 0.044715 sqrt(2 / pi)
/// (new_gelu's) or selu's alpha and scale rounded; 0 otherwise.
double getConstantTailF64(double c);

} // namespace mlir::act

#endif // ACTC_CONVERSION_PAIRARGUMENTF64_H
