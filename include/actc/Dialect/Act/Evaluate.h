//===- Evaluate.h - evaluate an activation's body in double -----*- C++ -*-===//
//
// A small interpreter of the act dialect's scalar bodies, used where a pass
// decides by measuring rather than by matching: act-autodiff recognizes
// softmax and log_softmax written any way by evaluating them on sampled
// rows, and act-grad-from-y checks each candidate rewrite of a derivative
// against the original on sampled inputs before it accepts it, and
// act-autodiff's kink warnings locate the switch points of abs, max, min
// and select and test whether the activation is differentiable there.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_EVALUATE_H
#define ACTC_DIALECT_ACT_EVALUATE_H

#include "actc/Dialect/Act/ActOps.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace mlir::act {

/// Values of one body at a set of inputs: each value is a vector with one
/// lane per input.
using EvaluatedValues = llvm::SmallVector<llvm::SmallVector<double>>;

/// Evaluates `activation` in double at the inputs `xs` and returns each
/// value its act.return returns, one lane per input. The inputs are one row
/// for a row activation (act.rowsum and act.rowmax reduce over all lanes)
/// and any set of points for an elementwise one. Runtime parameters read
/// `params` (their defaults where absent). Fails, without a diagnostic, on
/// an op it cannot evaluate (act.call, ops outside arith/math/act).
FailureOr<EvaluatedValues>
evaluateActivation(ActivationOp activation, llvm::ArrayRef<double> xs,
                   const llvm::StringMap<double> &params = {});

/// Evaluates `activation` like evaluateActivation but returns the lanes of
/// the values `wanted` of its body (any value, not only those returned).
FailureOr<EvaluatedValues>
evaluateValues(ActivationOp activation, llvm::ArrayRef<double> xs,
               llvm::ArrayRef<Value> wanted,
               const llvm::StringMap<double> &params = {});

/// Inputs to decide a property of elementwise activations by sampling: a
/// grid over [-30, 30], small magnitudes, -0, and every finite float
/// constant of `activations` with its neighbours and its negation (the
/// thresholds of their selects).
llvm::SmallVector<double>
sampleActivationInputs(llvm::ArrayRef<ActivationOp> activations);

/// True when `a` and `b` agree as sampled results: both NaN, equal
/// (infinities included), or within `relTolerance` of the larger magnitude
/// plus `absTolerance`.
bool sameSample(double a, double b, double relTolerance = 1e-9,
                double absTolerance = 1e-12);

/// `op` (arith.negf, addf, subf, mulf or divf) applied to `operands` in
/// long double, as the compile-time evaluations of arguments t and m do
/// (AccurateF32Routing.cpp, FastForms.cpp); nullopt for any other op.
std::optional<long double>
evaluateArithmetic(Operation *op, llvm::ArrayRef<long double> operands);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_EVALUATE_H
