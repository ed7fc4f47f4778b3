//===- Builtins.cpp - elementary functions and constants ------------------===//
//
// Maps each elementary function of the language to the ops that compute it.
// Everything is f64 here; later passes retype to the kernel's dtype.
//
//===----------------------------------------------------------------------===//

#include "Builtins.h"

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace actc::frontend;

Value actc::frontend::buildConstant(OpBuilder &builder, Location loc,
                                    double value) {
  return arith::ConstantOp::create(builder, loc,
                                   builder.getF64FloatAttr(value));
}

/// A one-operand op `OpTy` applied to the only argument.
template <typename OpTy>
static Value buildUnary(OpBuilder &builder, Location loc,
                        ArrayRef<Value> args) {
  return OpTy::create(builder, loc, args[0]);
}

/// A two-operand op `OpTy` applied to both arguments.
template <typename OpTy>
static Value buildBinary(OpBuilder &builder, Location loc,
                         ArrayRef<Value> args) {
  return OpTy::create(builder, loc, args[0], args[1]);
}

/// clamp(x, lo, hi) = min(max(x, lo), hi), NaN-propagating.
static Value buildClamp(OpBuilder &builder, Location loc,
                        ArrayRef<Value> args) {
  Value low = arith::MaximumFOp::create(builder, loc, args[0], args[1]);
  return arith::MinimumFOp::create(builder, loc, low, args[2]);
}

/// sign(x): 1 above zero, -1 below, and x * 0 otherwise, so that
/// sign(+-0) = +-0 and sign(NaN) = NaN; x * 0 rather than x so that the
/// derivative is 0 everywhere (PyTorch: sign' = 0), also at 0.
static Value buildSign(OpBuilder &builder, Location loc, ArrayRef<Value> args) {
  Value x = args[0];
  Value zero = buildConstant(builder, loc, 0.0);
  Value one = buildConstant(builder, loc, 1.0);
  Value minusOne = buildConstant(builder, loc, -1.0);
  Value isNegative =
      arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OLT, x, zero);
  Value signedZero = arith::MulFOp::create(builder, loc, x, zero);
  Value negativeOrSelf =
      arith::SelectOp::create(builder, loc, isNegative, minusOne, signedZero);
  Value isPositive =
      arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OGT, x, zero);
  return arith::SelectOp::create(builder, loc, isPositive, one, negativeOrSelf);
}

static Value buildSelect(OpBuilder &builder, Location loc,
                         ArrayRef<Value> args) {
  return arith::SelectOp::create(builder, loc, args[0], args[1], args[2]);
}

static const BuiltinFunction builtinFunctions[] = {
    // Choice and piecewise functions.
    {"select", 3, true, false, buildSelect},
    {"abs", 1, false, false, buildUnary<math::AbsFOp>},
    {"min", 2, false, false, buildBinary<arith::MinimumFOp>},
    {"max", 2, false, false, buildBinary<arith::MaximumFOp>},
    {"clamp", 3, false, false, buildClamp},
    {"sign", 1, false, false, buildSign},
    // Exponentials.
    {"exp", 1, false, false, buildUnary<math::ExpOp>},
    {"exp2", 1, false, false, buildUnary<math::Exp2Op>},
    {"expm1", 1, false, false, buildUnary<math::ExpM1Op>},
    {"log", 1, false, false, buildUnary<math::LogOp>},
    {"log2", 1, false, false, buildUnary<math::Log2Op>},
    {"log1p", 1, false, false, buildUnary<math::Log1pOp>},
    {"sqrt", 1, false, false, buildUnary<math::SqrtOp>},
    {"rsqrt", 1, false, false, buildUnary<math::RsqrtOp>},
    {"pow", 2, false, false, buildBinary<math::PowFOp>},
    // Transcendentals.
    {"sin", 1, false, false, buildUnary<math::SinOp>},
    {"cos", 1, false, false, buildUnary<math::CosOp>},
    {"tanh", 1, false, false, buildUnary<math::TanhOp>},
    {"sigmoid", 1, false, false, buildUnary<act::SigmoidOp>},
    {"softplus", 1, false, false, buildUnary<act::SoftplusOp>},
    {"erf", 1, false, false, buildUnary<math::ErfOp>},
    {"erfc", 1, false, false, buildUnary<math::ErfcOp>},
    // Reductions over the row.
    {"rowsum", 1, false, true, buildUnary<act::RowSumOp>},
    {"rowmax", 1, false, true, buildUnary<act::RowMaxOp>},
};

const BuiltinFunction *actc::frontend::lookupBuiltinFunction(StringRef name) {
  for (const BuiltinFunction &function : builtinFunctions)
    if (function.name == name)
      return &function;
  return nullptr;
}

std::optional<double> actc::frontend::lookupBuiltinConstant(StringRef name) {
  return llvm::StringSwitch<std::optional<double>>(name)
      .Case("pi", M_PI)
      .Case("e", M_E)
      .Case("inf", std::numeric_limits<double>::infinity())
      .Default(std::nullopt);
}
