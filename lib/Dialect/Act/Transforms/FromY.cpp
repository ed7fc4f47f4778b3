//===- FromY.cpp - a derivative rewritten over the forward output ---------===//
//
// See include/actc/Dialect/Act/FromY.h. Nothing here knows a concrete
// activation:
//
//  1. Equations. f's body is peeled from its result down: y = f(x) holds
//     everywhere; through a select (or max/min, with the tie rule of
//     td/Derivatives.td) each branch equals y where its condition holds;
//     through an invertible step (negation, + - * / by an independent
//     value, exp, expm1, log, log1p, exp2, log2, sqrt, tanh, sigmoid,
//     softplus) the operand equals the inverse applied to the image. A few
//     identities add equations for neighbouring functions of the same
//     operand: exp(a) = 1 + expm1(a), sigmoid(a) = -expm1(-softplus(a)).
//  2. Rewrite. Each partial of f_grad is rebuilt bottom-up over y: a value
//     structurally equal to an equation's term, under the select
//     conditions that make the equation hold, becomes its image; a
//     comparison of x with a constant k becomes the same comparison of y
//     with f(k) (right where f preserves order); a product with a constant
//     zero is zero; other ops are rebuilt from their rewritten operands.
//     Anything that still needs x fails.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/FromY.h"
#include "actc/Dialect/Act/Evaluate.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/Simplify.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <limits>
#include <optional>

using namespace mlir;
using namespace mlir::act;

namespace {

/// A condition a select (or a max/min tie rule) tests, with the value it
/// must have: a comparison `predicate(lhs, rhs)`, or any other boolean
/// `value`.
struct Condition {
  arith::CmpFPredicate predicate = arith::CmpFPredicate::AlwaysFalse;
  Value lhs, rhs, value;
  bool holds = true;

  static Condition of(Value boolean, bool holds) {
    Condition condition;
    condition.holds = holds;
    if (auto compare = boolean.getDefiningOp<arith::CmpFOp>()) {
      condition.predicate = compare.getPredicate();
      condition.lhs = compare.getLhs();
      condition.rhs = compare.getRhs();
    } else {
      condition.value = boolean;
    }
    return condition;
  }
  static Condition compare(arith::CmpFPredicate predicate, Value lhs, Value rhs,
                           bool holds) {
    Condition condition;
    condition.predicate = predicate;
    condition.lhs = lhs;
    condition.rhs = rhs;
    condition.holds = holds;
    return condition;
  }
};

/// term(x) = image(y) wherever every condition of `region` holds. The term
/// is a value of f, or (`derivedOp`, `operand`): that op applied to a value
/// of f.
struct Equation {
  SmallVector<Condition> region;
  Value term;
  std::optional<OperationName> derivedOp;
  Value operand;
  Value image;
};

/// Builds `@f_grad_from_y` for one `@f_grad`.
class FromYBuilder {
public:
  FromYBuilder(ActivationOp f, ActivationOp grad) : f(f), grad(grad) {}

  /// Creates the candidate after `grad`; null when some partial needs x.
  ActivationOp build();

private:
  /// Records the equations that `term` = `image` implies.
  void peel(Value term, Value image, SmallVector<Condition> region);
  void addDerived(StringRef opName, Value operand, Value image,
                  const SmallVector<Condition> &region);
  /// `value` of f_grad rebuilt over y, where `region` holds.
  FailureOr<Value> rewrite(Value value, ArrayRef<Condition> region);
  FailureOr<Value> rewriteUncached(Value value, ArrayRef<Condition> region);
  FailureOr<Value> rewriteCompare(arith::CmpFOp compare,
                                  ArrayRef<Condition> region);
  /// True when f(NaN) is NaN: then `x != x` is `y != y`, and x is y
  /// where that holds (act-autodiff's NaN guard).
  bool propagatesNaN();
  /// True when `region` says x is NaN (an unordered x != x holds).
  bool isNaNRegion(ArrayRef<Condition> region);
  /// An independent value of f or f_grad (constants, parameters) in h.
  Value cloneIndependent(Value value, Value input, IRMapping &mapping);

  /// Structural equality of a value of f_grad and a value of f.
  bool equivalent(Value gradValue, Value fValue);
  bool matches(const Condition &gradCondition, const Condition &fCondition);
  bool holdsIn(const Equation &equation, ArrayRef<Condition> region);
  bool matchesTerm(const Equation &equation, Value gradValue);

  Value constant(double value) {
    return arith::ConstantOp::create(builder, loc,
                                     builder.getFloatAttr(y.getType(), value));
  }
  template <typename OpTy, typename... Args> Value create(Args... args) {
    return OpTy::create(builder, loc, args...);
  }

  ActivationOp f, grad, h;
  OpBuilder builder{f.getContext()};
  Location loc = grad.getLoc();
  Value y;
  SmallVector<Equation> equations;
  IRMapping fToH, gradToH;
  Operation *lastIndependent = nullptr;
  /// The distinct regions seen by `rewrite`, and its results per (value,
  /// region); a null result records a failure.
  SmallVector<SmallVector<Condition>> regions;
  llvm::DenseMap<std::pair<Value, unsigned>, Value> rewritten;
  unsigned getRegionId(ArrayRef<Condition> region);
  llvm::DenseMap<std::pair<Value, Value>, bool> equivalences;
};

} // namespace

/// The predicate p' with p(a, b) == p'(b, a).
static arith::CmpFPredicate getSwapped(arith::CmpFPredicate predicate) {
  using P = arith::CmpFPredicate;
  switch (predicate) {
  case P::OGT:
    return P::OLT;
  case P::OLT:
    return P::OGT;
  case P::OGE:
    return P::OLE;
  case P::OLE:
    return P::OGE;
  case P::UGT:
    return P::ULT;
  case P::ULT:
    return P::UGT;
  case P::UGE:
    return P::ULE;
  case P::ULE:
    return P::UGE;
  default:
    return predicate;
  }
}

static bool isConstantZero(Value value) {
  FloatAttr attr;
  return matchPattern(value, m_Constant(&attr)) && attr.getValue().isZero();
}

Value FromYBuilder::cloneIndependent(Value value, Value input,
                                     IRMapping &mapping) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  Operation *def = value.getDefiningOp();
  assert(def && value != input && "not an independent value");
  for (Value operand : def->getOperands())
    cloneIndependent(operand, input, mapping);
  // Independent values go first, in dependency order, before anything
  // that uses y.
  OpBuilder::InsertionGuard guard(builder);
  if (lastIndependent)
    builder.setInsertionPointAfter(lastIndependent);
  else
    builder.setInsertionPointToStart(&h.getBody().front());
  lastIndependent = builder.clone(*def, mapping);
  return lastIndependent->getResult(0);
}

bool FromYBuilder::equivalent(Value gradValue, Value fValue) {
  if (gradValue == grad.getInput() || fValue == f.getInput())
    return gradValue == grad.getInput() && fValue == f.getInput();
  auto key = std::make_pair(gradValue, fValue);
  if (auto it = equivalences.find(key); it != equivalences.end())
    return it->second;
  Operation *a = gradValue.getDefiningOp(), *b = fValue.getDefiningOp();
  auto operandsMatch = [&](Value lhs, Value rhs) {
    return success(equivalent(lhs, rhs));
  };
  bool same =
      a && b &&
      OperationEquivalence::isEquivalentTo(
          a, b, operandsMatch, nullptr, OperationEquivalence::IgnoreLocations);
  // a * b is b * a (the chain rules do not keep the forward's order).
  if (!same && a && b && a->hasTrait<OpTrait::IsCommutative>() &&
      a->getNumOperands() == 2 &&
      OperationEquivalence::isEquivalentTo(
          a, b, OperationEquivalence::ignoreValueEquivalence, nullptr,
          OperationEquivalence::IgnoreLocations))
    same = equivalent(a->getOperand(0), b->getOperand(1)) &&
           equivalent(a->getOperand(1), b->getOperand(0));
  equivalences[key] = same;
  return same;
}

bool FromYBuilder::matches(const Condition &gradCondition,
                           const Condition &fCondition) {
  if (gradCondition.holds != fCondition.holds)
    return false;
  if (gradCondition.value || fCondition.value)
    return gradCondition.value && fCondition.value &&
           equivalent(gradCondition.value, fCondition.value);
  if (gradCondition.predicate == fCondition.predicate &&
      equivalent(gradCondition.lhs, fCondition.lhs) &&
      equivalent(gradCondition.rhs, fCondition.rhs))
    return true;
  return gradCondition.predicate == getSwapped(fCondition.predicate) &&
         equivalent(gradCondition.lhs, fCondition.rhs) &&
         equivalent(gradCondition.rhs, fCondition.lhs);
}

bool FromYBuilder::holdsIn(const Equation &equation,
                           ArrayRef<Condition> region) {
  return llvm::all_of(equation.region, [&](const Condition &needed) {
    return llvm::any_of(
        region, [&](const Condition &known) { return matches(known, needed); });
  });
}

bool FromYBuilder::matchesTerm(const Equation &equation, Value gradValue) {
  if (equation.term)
    return equivalent(gradValue, equation.term);
  Operation *def = gradValue.getDefiningOp();
  return def && def->getName() == *equation.derivedOp &&
         def->getNumOperands() == 1 &&
         equivalent(def->getOperand(0), equation.operand);
}

void FromYBuilder::addDerived(StringRef opName, Value operand, Value image,
                              const SmallVector<Condition> &region) {
  Equation equation;
  equation.region = region;
  equation.derivedOp = OperationName(opName, f.getContext());
  equation.operand = operand;
  equation.image = image;
  equations.push_back(std::move(equation));
}

void FromYBuilder::peel(Value term, Value image,
                        SmallVector<Condition> region) {
  Value x = f.getInput();
  if (!dependsOn(term, x))
    return;
  equations.push_back({region, term, std::nullopt, Value(), image});
  Operation *op = term.getDefiningOp();
  if (!op)
    return;
  auto independent = [&](Value v) { return !dependsOn(v, x); };
  auto inH = [&](Value v) { return cloneIndependent(v, x, fToH); };
  using P = arith::CmpFPredicate;

  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    SmallVector<Condition> whenTrue = region, whenFalse = region;
    whenTrue.push_back(Condition::of(select.getCondition(), true));
    whenFalse.push_back(Condition::of(select.getCondition(), false));
    peel(select.getTrueValue(), image, whenTrue);
    peel(select.getFalseValue(), image, whenFalse);
    return;
  }
  // max(a, b) is b where b >= a (the tie rule of DiffMaximum), else a.
  if (isa<arith::MaximumFOp, arith::MinimumFOp>(op)) {
    P predicate = isa<arith::MaximumFOp>(op) ? P::OGE : P::OLE;
    Value a = op->getOperand(0), b = op->getOperand(1);
    SmallVector<Condition> secondWins = region, firstWins = region;
    secondWins.push_back(Condition::compare(predicate, b, a, true));
    firstWins.push_back(Condition::compare(predicate, b, a, false));
    peel(b, image, secondWins);
    peel(a, image, firstWins);
    return;
  }
  if (auto neg = dyn_cast<arith::NegFOp>(op))
    return peel(neg.getOperand(), create<arith::NegFOp>(image), region);

  if (op->getNumOperands() == 2 &&
      isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(op)) {
    Value a = op->getOperand(0), b = op->getOperand(1);
    if (independent(a) == independent(b))
      return;
    bool firstVaries = independent(b);
    Value varying = firstVaries ? a : b;
    Value k = inH(firstVaries ? b : a);
    Value inverse;
    if (isa<arith::AddFOp>(op))
      inverse = create<arith::SubFOp>(image, k);
    else if (isa<arith::SubFOp>(op))
      inverse = firstVaries ? create<arith::AddFOp>(image, k)
                            : create<arith::SubFOp>(k, image);
    else if (isa<arith::MulFOp>(op))
      inverse = isConstantZero(k) ? Value() : create<arith::DivFOp>(image, k);
    else
      inverse = firstVaries ? create<arith::MulFOp>(image, k)
                            : create<arith::DivFOp>(k, image);
    if (inverse)
      peel(varying, inverse, region);
    return;
  }

  if (op->getNumOperands() != 1)
    return;
  Value a = op->getOperand(0);
  Value one = constant(1.0);
  if (isa<math::ExpOp>(op)) {
    addDerived(math::ExpM1Op::getOperationName(), a,
               create<arith::SubFOp>(image, one), region);
    return peel(a, create<math::LogOp>(image), region);
  }
  if (isa<math::ExpM1Op>(op)) {
    addDerived(math::ExpOp::getOperationName(), a,
               create<arith::AddFOp>(image, one), region);
    return peel(a, create<math::Log1pOp>(image), region);
  }
  if (isa<SoftplusOp>(op)) {
    // softplus(a) = log(1 + e^a): e^a = expm1(y), sigmoid(a) = 1 - e^-y.
    addDerived(math::ExpOp::getOperationName(), a, create<math::ExpM1Op>(image),
               region);
    addDerived(SigmoidOp::getOperationName(), a,
               create<arith::NegFOp>(
                   create<math::ExpM1Op>(create<arith::NegFOp>(image))),
               region);
    return peel(a, create<math::LogOp>(create<math::ExpM1Op>(image)), region);
  }
  if (isa<SigmoidOp>(op))
    return peel(a,
                create<arith::SubFOp>(
                    create<math::LogOp>(image),
                    create<math::Log1pOp>(create<arith::NegFOp>(image))),
                region);
  if (isa<math::LogOp>(op))
    return peel(a, create<math::ExpOp>(image), region);
  if (isa<math::Log1pOp>(op))
    return peel(a, create<math::ExpM1Op>(image), region);
  if (isa<math::Exp2Op>(op))
    return peel(a, create<math::Log2Op>(image), region);
  if (isa<math::Log2Op>(op))
    return peel(a, create<math::Exp2Op>(image), region);
  if (isa<math::SqrtOp>(op))
    return peel(a, create<arith::MulFOp>(image, image), region);
  if (isa<math::TanhOp>(op))
    return peel(a, create<math::AtanhOp>(image), region);
}

bool FromYBuilder::propagatesNaN() {
  FailureOr<EvaluatedValues> image =
      evaluateActivation(f, std::numeric_limits<double>::quiet_NaN());
  return succeeded(image) && std::isnan((*image)[0][0]);
}

bool FromYBuilder::isNaNRegion(ArrayRef<Condition> region) {
  Value x = grad.getInput();
  return llvm::any_of(region, [&](const Condition &c) {
    return c.lhs == x && c.rhs == x && c.holds &&
           (c.predicate == arith::CmpFPredicate::UNE ||
            c.predicate == arith::CmpFPredicate::UNO);
  });
}

FailureOr<Value> FromYBuilder::rewriteCompare(arith::CmpFOp compare,
                                              ArrayRef<Condition> region) {
  Value x = grad.getInput();
  Value lhs = compare.getLhs(), rhs = compare.getRhs();
  arith::CmpFPredicate predicate = compare.getPredicate();
  // x != x (a NaN test) is y != y where f takes NaN to NaN.
  if (lhs == x && rhs == x) {
    if (!propagatesNaN())
      return failure();
    return create<arith::CmpFOp>(predicate, y, y);
  }
  FailureOr<Value> newLhs = rewrite(lhs, region);
  FailureOr<Value> newRhs = rewrite(rhs, region);
  if (succeeded(newLhs) && succeeded(newRhs))
    return create<arith::CmpFOp>(predicate, *newLhs, *newRhs);
  // x against a constant k: y against f(k), right where f keeps the order
  // (the verification decides).
  bool xOnLeft = lhs == x;
  Value other = xOnLeft ? rhs : lhs;
  FloatAttr threshold;
  if ((lhs != x && rhs != x) || !matchPattern(other, m_Constant(&threshold)))
    return failure();
  FailureOr<EvaluatedValues> image =
      evaluateActivation(f, threshold.getValueAsDouble());
  if (failed(image) || std::isnan((*image)[0][0]))
    return failure();
  Value imageOfK = constant((*image)[0][0]);
  return xOnLeft ? create<arith::CmpFOp>(predicate, y, imageOfK)
                 : create<arith::CmpFOp>(predicate, imageOfK, y);
}

unsigned FromYBuilder::getRegionId(ArrayRef<Condition> region) {
  auto same = [](const Condition &a, const Condition &b) {
    return a.predicate == b.predicate && a.lhs == b.lhs && a.rhs == b.rhs &&
           a.value == b.value && a.holds == b.holds;
  };
  for (auto [id, known] : llvm::enumerate(regions))
    if (known.size() == region.size() &&
        llvm::all_of(llvm::zip_equal(known, region), [&](auto pair) {
          return same(std::get<0>(pair), std::get<1>(pair));
        }))
      return id;
  regions.emplace_back(region.begin(), region.end());
  return regions.size() - 1;
}

FailureOr<Value> FromYBuilder::rewrite(Value value,
                                       ArrayRef<Condition> region) {
  auto key = std::make_pair(value, getRegionId(region));
  if (auto it = rewritten.find(key); it != rewritten.end())
    return it->second ? FailureOr<Value>(it->second)
                      : FailureOr<Value>(failure());
  FailureOr<Value> result = rewriteUncached(value, region);
  rewritten[key] = succeeded(result) ? *result : Value();
  return result;
}

FailureOr<Value> FromYBuilder::rewriteUncached(Value value,
                                               ArrayRef<Condition> region) {
  Value x = grad.getInput();
  if (!dependsOn(value, x))
    return cloneIndependent(value, x, gradToH);
  for (const Equation &equation : equations)
    if (matchesTerm(equation, value) && holdsIn(equation, region))
      return equation.image;
  // x where it is NaN: y is NaN there too (rewriteCompare checked f).
  if (value == x && isNaNRegion(region))
    return y;
  Operation *op = value.getDefiningOp();
  if (!op)
    return failure();

  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    FailureOr<Value> condition = rewrite(select.getCondition(), region);
    if (failed(condition))
      return failure();
    SmallVector<Condition> whenTrue(region), whenFalse(region);
    whenTrue.push_back(Condition::of(select.getCondition(), true));
    whenFalse.push_back(Condition::of(select.getCondition(), false));
    FailureOr<Value> a = rewrite(select.getTrueValue(), whenTrue);
    FailureOr<Value> b = rewrite(select.getFalseValue(), whenFalse);
    if (failed(a) || failed(b))
      return failure();
    return create<arith::SelectOp>(*condition, *a, *b);
  }
  if (auto compare = dyn_cast<arith::CmpFOp>(op))
    return rewriteCompare(compare, region);
  // A finite factor times a constant zero is zero.
  if (isa<arith::MulFOp>(op) && llvm::any_of(op->getOperands(), isConstantZero))
    return constant(0.0);

  IRMapping operands;
  for (Value operand : op->getOperands()) {
    FailureOr<Value> rewritten = rewrite(operand, region);
    if (failed(rewritten))
      return failure();
    operands.map(operand, *rewritten);
  }
  return builder.clone(*op, operands)->getResult(0);
}

ActivationOp FromYBuilder::build() {
  builder.setInsertionPointAfter(grad);
  OperationState state(loc, ActivationOp::getOperationName());
  state.addRegion();
  h = cast<ActivationOp>(builder.create(state));
  h.setSymName((f.getSymName() + "_grad_from_y").str());
  h.setParamsAttr(grad.getParamsAttr());
  if (auto formula = grad.getFormulaAttr())
    h.setFormulaAttr(formula);
  h.setGradOfAttr(FlatSymbolRefAttr::get(f.getSymNameAttr()));
  h->setAttr(kFromYAttrName, builder.getUnitAttr());
  Block *body = new Block();
  h.getBody().push_back(body);
  y = body->addArgument(f.getElementType(), loc);
  builder.setInsertionPointToEnd(body);

  peel(f.getResult(), y, {});
  SmallVector<Value> partials;
  auto ret = cast<ReturnOp>(grad.getBody().front().getTerminator());
  for (Value partial : ret.getValues()) {
    FailureOr<Value> rewritten = rewrite(partial, {});
    if (failed(rewritten)) {
      h.erase();
      return {};
    }
    partials.push_back(*rewritten);
  }
  ReturnOp::create(builder, loc, partials);
  return h;
}

ActivationOp mlir::act::buildGradientFromY(ActivationOp f, ActivationOp grad) {
  return FromYBuilder(f, grad).build();
}
