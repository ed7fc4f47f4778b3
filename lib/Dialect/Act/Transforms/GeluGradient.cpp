//===- GeluGradient.cpp - act-autodiff's erf GELU gradient, matched -------===//
//
// See GeluGradient.h.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/GeluGradient.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;

Value mlir::act::getGeluArgument(Value w) {
  auto neg = w.getDefiningOp<arith::NegFOp>();
  auto div = neg ? neg.getOperand().getDefiningOp<arith::DivFOp>()
                 : arith::DivFOp();
  if (!div)
    return Value();
  std::optional<double> c = getExactOperand(div, 1);
  if (!c || *c != 1.4142135623730951)
    return Value();
  Operation *def = div.getLhs().getDefiningOp();
  if (def && isa<arith::ArithDialect, math::MathDialect>(def->getDialect()) &&
      !isa<arith::ExtFOp>(def) && !def->hasAttr(kLeafAttrName))
    return Value();
  return div.getLhs();
}

/// True when `v` is x * 0.5 (either order).
static bool isHalfOf(Value v, Value x) {
  Value other = getOtherFactor(v.getDefiningOp(), x);
  return other && getFloatConstant(other) == 0.5;
}

/// True when `t2` is exp(-(z * z)) * k1 * k2 with k1 k2 = sqrt(2 / pi)
/// (the exact constants, act.exact, or the f32 ones); adds its ops.
static bool isScaledGaussian(Value t2, Value z, SmallVector<Operation *> &ops) {
  auto outer = t2.getDefiningOp<arith::MulFOp>();
  if (!outer)
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    auto inner = outer->getOperand(i).getDefiningOp<arith::MulFOp>();
    std::optional<double> k2 = getExactOperand(outer, 1 - i);
    if (!inner || !k2)
      continue;
    for (unsigned j = 0; j < 2; ++j) {
      auto exp = inner->getOperand(j).getDefiningOp<math::ExpOp>();
      std::optional<double> k1 = getExactOperand(inner, 1 - j);
      auto neg = exp ? exp.getOperand().getDefiningOp<arith::NegFOp>()
                     : arith::NegFOp();
      auto square = neg ? neg.getOperand().getDefiningOp<arith::MulFOp>()
                        : arith::MulFOp();
      if (!k1 || !square || square.getLhs() != z || square.getRhs() != z)
        continue;
      if (std::fabs(*k1 * *k2 - 0.7978845608028654) < 1e-7) {
        ops.append({outer, inner, exp, neg, square});
        return true;
      }
    }
  }
  return false;
}

std::optional<GeluGradSum> mlir::act::matchGeluGradSum(arith::AddFOp add) {
  for (unsigned i = 0; i < 2; ++i) {
    // erfc(w) * 0.5 with w = -(x / sqrt 2).
    auto half = add->getOperand(i).getDefiningOp<arith::MulFOp>();
    math::ErfcOp erfc;
    for (unsigned j = 0; half && j < 2 && !erfc; ++j)
      if (getFloatConstant(half->getOperand(1 - j)) == 0.5)
        erfc = half->getOperand(j).getDefiningOp<math::ErfcOp>();
    Value x = erfc ? getGeluArgument(erfc.getOperand()) : Value();
    if (!x)
      continue;
    auto w = erfc.getOperand().getDefiningOp<arith::NegFOp>();
    Value z = w.getOperand();
    // t2 == 0 ? t2 : t2 * (x * 0.5) (the select keeps 0 * inf out).
    auto select = add->getOperand(1 - i).getDefiningOp<arith::SelectOp>();
    Value t2 = select ? select.getTrueValue() : Value();
    auto product = select ? select.getFalseValue().getDefiningOp<arith::MulFOp>()
                          : arith::MulFOp();
    Value m = getOtherFactor(product, t2);
    auto isZero = select ? select.getCondition().getDefiningOp<arith::CmpFOp>()
                         : arith::CmpFOp();
    GeluGradSum sum{x, {add, half, erfc, w, z.getDefiningOp()}};
    if (!m || !isHalfOf(m, x) || !isScaledGaussian(t2, z, sum.ops))
      continue;
    sum.ops.append({select, product, m.getDefiningOp()});
    // The condition is t2 == 0 as act-autodiff writes it; another one
    // only changes where the select reads t2 (still exact).
    if (isZero && isZero.getLhs() == t2)
      sum.ops.push_back(isZero);
    return sum;
  }
  return std::nullopt;
}
