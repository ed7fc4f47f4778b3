//===- RationalForms.cpp - f32 kernels of rational activations ------------===//
//
// See RationalForms.h. Structural and conservative: a kernel with any
// rounding outside the forms keeps the f64 route.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/RationalForms.h"
#include "actc/Dialect/Act/AccurateF32Routing.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/OperandValues.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;

static bool isF32Value(Type type) {
  return isa<FloatType, VectorType>(type) &&
         getElementTypeOrSelf(type).isF32();
}

static bool isInput(Value value) {
  return value && isExactInput(value) && !getFloatConstant(value);
}

static bool isConstant(Value value, double c) {
  return getFloatConstant(value) == c;
}

/// x where `value` is x + c (either order).
static Value matchAddConstant(Value value, double c, RationalForm &form) {
  auto add = value.getDefiningOp<arith::AddFOp>();
  if (!add)
    return {};
  for (unsigned i = 0; i < 2; ++i)
    if (isConstant(add->getOperand(1 - i), c)) {
      form.ops.push_back(add);
      return add->getOperand(i);
    }
  return {};
}

/// True when `value` is `predicate`(x, c).
static bool isCompare(Value value, arith::CmpFPredicate predicate, Value x,
                      double c) {
  auto cmp = value.getDefiningOp<arith::CmpFOp>();
  return cmp && cmp.getPredicate() == predicate && cmp.getLhs() == x &&
         isConstant(cmp.getRhs(), c);
}

/// The select that defines `value`, if any.
static arith::SelectOp getSelect(Value value) {
  return value.getDefiningOp<arith::SelectOp>();
}

/// x < -3 ? 0 : (x > 3 ? hi : middle): hard_swish and its gradient. Returns
/// the middle value.
static Value matchHardSwishGuards(arith::SelectOp outer, double hiConstant,
                                  bool hiIsX, RationalForm &form) {
  auto lowCmp = outer.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!lowCmp || !isConstant(outer.getTrueValue(), 0.0))
    return {};
  Value x = lowCmp.getLhs();
  if (!isInput(x) ||
      !isCompare(outer.getCondition(), arith::CmpFPredicate::OLT, x, -3.0))
    return {};
  arith::SelectOp inner = getSelect(outer.getFalseValue());
  if (!inner || !inner->hasOneUse() ||
      !isCompare(inner.getCondition(), arith::CmpFPredicate::OGT, x, 3.0))
    return {};
  if (hiIsX ? inner.getTrueValue() != x
            : !isConstant(inner.getTrueValue(), hiConstant))
    return {};
  form.x = x;
  form.ops.append({outer, inner});
  return inner.getFalseValue();
}

/// v / 6 with v's defining op of type OpTy, the division the only user.
template <typename OpTy>
static OpTy matchDivisionBySix(Value value, RationalForm &form) {
  auto div = value.getDefiningOp<arith::DivFOp>();
  if (!div || !div->hasOneUse() || !isConstant(div.getRhs(), 6.0))
    return {};
  auto op = div.getLhs().getDefiningOp<OpTy>();
  if (op)
    form.ops.push_back(div);
  return op;
}

static std::optional<RationalForm> matchHardSigmoid(arith::DivFOp div) {
  RationalForm form{RationalKind::HardSigmoid, {}, {}};
  if (!isConstant(div.getRhs(), 6.0))
    return std::nullopt;
  auto min = div.getLhs().getDefiningOp<arith::MinimumFOp>();
  if (!min || !isConstant(min.getRhs(), 6.0))
    return std::nullopt;
  auto max = min.getLhs().getDefiningOp<arith::MaximumFOp>();
  if (!max || !isConstant(max.getRhs(), 0.0))
    return std::nullopt;
  form.ops.append({div, min, max});
  Value x = matchAddConstant(max.getLhs(), 3.0, form);
  if (!isInput(x))
    return std::nullopt;
  form.x = x;
  return form;
}

static std::optional<RationalForm> matchHardSwish(arith::SelectOp outer) {
  RationalForm form{RationalKind::HardSwish, {}, {}};
  Value middle = matchHardSwishGuards(outer, 0, /*hiIsX=*/true, form);
  if (!middle)
    return std::nullopt;
  // x * (x + 3) / 6
  auto mul = matchDivisionBySix<arith::MulFOp>(middle, form);
  if (!mul)
    return std::nullopt;
  for (unsigned i = 0; i < 2; ++i) {
    if (mul->getOperand(i) != form.x)
      continue;
    if (matchAddConstant(mul->getOperand(1 - i), 3.0, form) == form.x) {
      form.ops.push_back(mul);
      return form;
    }
  }
  return std::nullopt;
}

static std::optional<RationalForm> matchHardSwishGrad(arith::SelectOp outer) {
  RationalForm form{RationalKind::HardSwishGrad, {}, {}};
  Value middle = matchHardSwishGuards(outer, 1.0, /*hiIsX=*/false, form);
  if (!middle)
    return std::nullopt;
  // (x + 3 + x) / 6
  auto add = matchDivisionBySix<arith::AddFOp>(middle, form);
  if (!add)
    return std::nullopt;
  for (unsigned i = 0; i < 2; ++i) {
    if (add->getOperand(i) != form.x)
      continue;
    if (matchAddConstant(add->getOperand(1 - i), 3.0, form) == form.x) {
      form.ops.push_back(add);
      return form;
    }
  }
  return std::nullopt;
}

/// x > 0 ? 1 : (x < 0 ? -1 : zero), zero the constant 0 or x * 0: sign(x).
static bool isSign(Value value, Value x, RationalForm &form) {
  arith::SelectOp positive = getSelect(value);
  if (!positive ||
      !isCompare(positive.getCondition(), arith::CmpFPredicate::OGT, x, 0.0) ||
      !isConstant(positive.getTrueValue(), 1.0))
    return false;
  arith::SelectOp negative = getSelect(positive.getFalseValue());
  if (!negative ||
      !isCompare(negative.getCondition(), arith::CmpFPredicate::OLT, x, 0.0) ||
      !isConstant(negative.getTrueValue(), -1.0))
    return false;
  form.ops.append({positive, negative});
  Value zero = negative.getFalseValue();
  if (isConstant(zero, 0.0))
    return true;
  auto mul = zero.getDefiningOp<arith::MulFOp>();
  if (!mul || mul.getLhs() != x || !isConstant(mul.getRhs(), 0.0))
    return false;
  form.ops.push_back(mul);
  return true;
}

/// |x| == inf ? onInf : finite, returning x (an input) and `finite`.
static Value matchInfinityGuard(arith::SelectOp select, RationalForm &form) {
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OEQ ||
      !isConstant(cmp.getRhs(), INFINITY))
    return {};
  auto abs = cmp.getLhs().getDefiningOp<math::AbsFOp>();
  if (!abs || !isInput(abs.getOperand()))
    return {};
  form.x = abs.getOperand();
  form.ops.push_back(select);
  return select.getFalseValue();
}

/// |x| + 1 (either order).
static bool isAbsPlusOne(Value value, Value x, RationalForm &form) {
  Value a = matchAddConstant(value, 1.0, form);
  auto abs = a ? a.getDefiningOp<math::AbsFOp>() : math::AbsFOp();
  return abs && abs.getOperand() == x;
}

static std::optional<RationalForm> matchSoftsign(arith::SelectOp select) {
  RationalForm form{RationalKind::Softsign, {}, {}};
  Value finite = matchInfinityGuard(select, form);
  if (!finite || !isSign(select.getTrueValue(), form.x, form))
    return std::nullopt;
  auto div = finite.getDefiningOp<arith::DivFOp>();
  if (!div || !div->hasOneUse() || div.getLhs() != form.x ||
      !isAbsPlusOne(div.getRhs(), form.x, form))
    return std::nullopt;
  form.ops.push_back(div);
  return form;
}

static std::optional<RationalForm> matchSoftsignGrad(arith::SelectOp select) {
  RationalForm form{RationalKind::SoftsignGrad, {}, {}};
  Value finite = matchInfinityGuard(select, form);
  if (!finite || !isConstant(select.getTrueValue(), 0.0))
    return std::nullopt;
  // (1 - x / t * sign(x)) / t
  auto outerDiv = finite.getDefiningOp<arith::DivFOp>();
  if (!outerDiv || !outerDiv->hasOneUse() ||
      !isAbsPlusOne(outerDiv.getRhs(), form.x, form))
    return std::nullopt;
  Value t = outerDiv.getRhs();
  auto sub = outerDiv.getLhs().getDefiningOp<arith::SubFOp>();
  if (!sub || !sub->hasOneUse() || !isConstant(sub.getLhs(), 1.0))
    return std::nullopt;
  auto mul = sub.getRhs().getDefiningOp<arith::MulFOp>();
  if (!mul || !mul->hasOneUse())
    return std::nullopt;
  form.ops.append({outerDiv, sub, mul});
  for (unsigned i = 0; i < 2; ++i) {
    auto innerDiv = mul->getOperand(i).getDefiningOp<arith::DivFOp>();
    if (!innerDiv || innerDiv.getLhs() != form.x || innerDiv.getRhs() != t ||
        !isSign(mul->getOperand(1 - i), form.x, form))
      continue;
    form.ops.push_back(innerDiv);
    return form;
  }
  return std::nullopt;
}

/// True when `value` is a float constant or a select of such trees.
static bool isConstantTree(Value value, RationalForm &form, int depth = 8) {
  if (getFloatConstant(value))
    return true;
  arith::SelectOp select = getSelect(value);
  if (!select || depth == 0)
    return false;
  form.ops.push_back(select);
  return isConstantTree(select.getTrueValue(), form, depth - 1) &&
         isConstantTree(select.getFalseValue(), form, depth - 1);
}

static std::optional<RationalForm> matchConstantQuotient(arith::DivFOp div) {
  RationalForm form{RationalKind::ConstantQuotient, {}, {div}};
  std::optional<double> c = getFloatConstant(div.getRhs());
  if (!c || getFloatConstant(div.getLhs()) ||
      !isConstantTree(div.getLhs(), form))
    return std::nullopt;
  return form;
}

std::optional<RationalForm> mlir::act::matchRationalForm(Operation *root) {
  if (root->getNumResults() != 1 || !isF32Value(root->getResult(0).getType()))
    return std::nullopt;
  if (auto div = dyn_cast<arith::DivFOp>(root)) {
    if (auto form = matchHardSigmoid(div))
      return form;
    return matchConstantQuotient(div);
  }
  auto select = dyn_cast<arith::SelectOp>(root);
  if (!select)
    return std::nullopt;
  if (auto form = matchHardSwish(select))
    return form;
  if (auto form = matchHardSwishGrad(select))
    return form;
  if (auto form = matchSoftsign(select))
    return form;
  return matchSoftsignGrad(select);
}

/// Ops that never round.
static bool isExact(Operation *op) {
  return isa<arith::SelectOp, arith::NegFOp, math::AbsFOp, math::CopySignOp,
             arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
             arith::MinNumFOp, arith::ConstantOp, arith::ExtFOp>(op);
}

SetVector<Operation *> mlir::act::getAccurateRationalForms(func::FuncOp func) {
  SetVector<Operation *> forms;
  DenseSet<Value> results, inputs;
  func.walk([&](Operation *op) {
    if (forms.contains(op))
      return;
    if (std::optional<RationalForm> form = matchRationalForm(op)) {
      forms.insert(form->ops.begin(), form->ops.end());
      results.insert(op->getResult(0));
      if (form->x)
        inputs.insert(form->x);
    }
  });
  if (forms.empty())
    return {};
  // Every f32 value outside the forms: exact ops (of the forms' results,
  // which then count as theirs) or one product of those by a leaf no form
  // reads (dy), or bias_grad's column sum, which adds the stored, rounded
  // dx (as in AccurateF32Routing.cpp).
  bool ok = true;
  func.walk([&](Operation *op) {
    if (!ok || forms.contains(op) ||
        !llvm::any_of(op->getResultTypes(), isF32Value) ||
        !isa<arith::ArithDialect, math::MathDialect, ActDialect>(
            op->getDialect()) ||
        op->hasAttr(kLeafAttrName) || op->hasAttr(kColumnSumAttrName))
      return;
    if (isExact(op)) {
      if (llvm::any_of(op->getOperands(),
                       [&](Value v) { return results.contains(v); }))
        results.insert(op->getResult(0));
      return;
    }
    auto mul = dyn_cast<arith::MulFOp>(op);
    for (unsigned i = 0; mul && i < 2; ++i) {
      Value leaf = mul->getOperand(1 - i);
      if (results.contains(mul->getOperand(i)) && isInput(leaf) &&
          !inputs.contains(leaf))
        return;
    }
    ok = false;
  });
  if (!ok)
    return {};
  return forms;
}
