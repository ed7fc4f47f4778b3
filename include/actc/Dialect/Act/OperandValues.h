//===- OperandValues.h - what the f32 rewrites read off operands -*- C++ -*-===//
//
// act-expand and act-math-approx's f32 forms both ask what an operand is:
// a float constant (scalar or splat), the exact f64 value act-stabilize
// recorded for it (`act.exact`), or 2 softplus(s) (mish's derivative).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_OPERANDVALUES_H
#define ACTC_DIALECT_ACT_OPERANDVALUES_H

#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <optional>

namespace mlir::act {

/// The value of a float constant, scalar or splat.
inline std::optional<double> getFloatConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto splat = dyn_cast<SplatElementsAttr>(attr))
    attr = splat.getSplatValue<Attribute>();
  if (auto scalar = dyn_cast<FloatAttr>(attr))
    return scalar.getValueAsDouble();
  return std::nullopt;
}

/// The exact f64 value act-stabilize recorded for operand `index` of `op`.
inline std::optional<double> getExactOperand(Operation *op, unsigned index) {
  auto exact = op->getAttrOfType<ArrayAttr>(kExactAttrName);
  if (!exact || index >= exact.size())
    return std::nullopt;
  if (auto value = dyn_cast<FloatAttr>(exact[index]))
    return value.getValueAsDouble();
  return std::nullopt;
}

/// 1/c where `divisor` is a float constant c (scalar or splat; `exact`:
/// the value act-stabilize recorded for it, else the constant's) whose
/// reciprocal is a finite normal number of `divisor`'s element type, so
/// that x / c may become x * (1/c) rounded there (act-expand's widened f64,
/// act-math-approx's fast f32 and f64, FastForms' pair arguments). Long
/// double: an f32 pair of it is exact to 2^-64.
inline std::optional<long double>
getConstantReciprocal(Value divisor, std::optional<double> exact = {}) {
  std::optional<double> c = exact ? exact : getFloatConstant(divisor);
  if (!c || *c == 0 || !std::isfinite(*c))
    return std::nullopt;
  long double reciprocal = 1.0L / (long double)*c;
  Type element = getElementTypeOrSelf(divisor.getType());
  if (!isa<FloatType>(element))
    return std::nullopt;
  llvm::APFloat rounded((double)reciprocal);
  bool losesInfo;
  rounded.convert(cast<FloatType>(element).getFloatSemantics(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  if (!rounded.isNormal())
    return std::nullopt;
  return reciprocal;
}

/// True when `a` is arith.negf of `b`.
inline bool isNegationOf(Value a, Value b) {
  auto neg = a.getDefiningOp<arith::NegFOp>();
  return neg && neg.getOperand() == b;
}

/// The other operand of `op` when it is a product (arith.mulf) by `value`,
/// else null.
inline Value getOtherFactor(Operation *op, Value value) {
  auto mul = dyn_cast_or_null<arith::MulFOp>(op);
  if (!mul)
    return Value();
  if (mul.getLhs() == value)
    return mul.getRhs();
  return mul.getRhs() == value ? mul.getLhs() : Value();
}

/// s where `t` is 2 softplus(s) (1 - tanh(softplus(s))^2 in mish'), else
/// null.
inline Value getDoubledSoftplus(Value t) {
  auto mul = t.getDefiningOp<arith::MulFOp>();
  for (unsigned i = 0; mul && i < 2; ++i)
    if (getFloatConstant(mul->getOperand(i)) == 2.0)
      if (auto softplus = mul->getOperand(1 - i).getDefiningOp<SoftplusOp>())
        return softplus.getOperand();
  return Value();
}

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_OPERANDVALUES_H
