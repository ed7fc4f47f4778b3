//===- Autodiff.cpp - symbolic derivatives of activations -----------------===//
//
// act-autodiff copies each elementwise activation f into f_grad and returns,
// instead of f(x), the pending derivatives `act.diff f wrt x` and
// `act.diff f wrt p` for every runtime parameter p. The chain rules of
// td/Derivatives.td then push the act.diff ops down to the leaves, where
// they become 1 (the variable) or vanish (independent values); the
// canonicalization rules simplify the result. An op without a rule leaves
// an act.diff behind, which is reported at that op.
//
// Row activations need their VJP from y and dy (ABI.md), which no chain
// rule gives in general: a row activation that evaluates to softmax or
// log_softmax on sampled rows is marked with that closed form
// (act.row_grad); any other gets a warning and no gradient kernel. Kinks
// of the user's spec are warnings that name the point, the op and the rule
// applied (Kinks.cpp decides by evaluating whether f really has one).
// Constants the rules and folds create get their exact f64 value recorded
// (act.exact), as act-stabilize does for f's, for the f32 kernels.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Evaluate.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/Kinks.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Simplify.h"
#include "actc/Support/FormatNumber.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace mlir::act {
#define GEN_PASS_DEF_ACTAUTODIFF
#include "Act/Passes.h.inc"

static Value buildConstantLike(OpBuilder &builder, Location loc, Value like,
                               double value) {
  return arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(like.getType(), value));
}

static Value buildCompare(OpBuilder &builder, Location loc,
                          arith::CmpFPredicate predicate, Value lhs,
                          Value rhs) {
  return arith::CmpFOp::create(builder, loc, predicate, lhs, rhs);
}

/// sign(a) with sign(0) = 0: the derivative of |a| (PyTorch: abs'(0) = 0).
static Value buildSign(OpBuilder &builder, Location loc, Value a) {
  Value zero = buildConstantLike(builder, loc, a, 0.0);
  Value one = buildConstantLike(builder, loc, a, 1.0);
  Value minusOne = buildConstantLike(builder, loc, a, -1.0);
  Value positive = buildCompare(builder, loc, arith::CmpFPredicate::OGT, a, zero);
  Value negative = buildCompare(builder, loc, arith::CmpFPredicate::OLT, a, zero);
  Value negOrZero = arith::SelectOp::create(builder, loc, negative, minusOne, zero);
  return arith::SelectOp::create(builder, loc, positive, one, negOrZero);
}

/// True for a finite float constant.
static bool isFiniteConstant(Value value) {
  FloatAttr attr;
  return matchPattern(value, m_Constant(&attr)) && attr.getValue().isFinite();
}

/// True when `condition` is `value == 0`.
static bool isZeroTest(Value condition, Value value) {
  auto compare = condition.getDefiningOp<arith::CmpFOp>();
  FloatAttr zero;
  return compare && compare.getPredicate() == arith::CmpFPredicate::OEQ &&
         compare.getLhs() == value &&
         matchPattern(compare.getRhs(), m_Constant(&zero)) &&
         zero.getValue().isZero();
}

/// True when `value` is finite for every finite or infinite input (and
/// finite parameters): constants, parameters, the bounded functions, and
/// what arithmetic makes of them (a few levels deep).
static bool isBounded(Value value, int depth = 6) {
  if (depth == 0)
    return false;
  Operation *op = value.getDefiningOp();
  if (!op)
    return false;
  if (isFiniteConstant(value) || isa<ParamOp>(op))
    return true;
  if (isa<SigmoidOp, math::TanhOp, math::ErfOp, math::ErfcOp, math::SinOp,
          math::CosOp>(op))
    return true;
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::NegFOp,
          arith::MaximumFOp, arith::MinimumFOp>(op))
    return llvm::all_of(op->getOperands(),
                        [&](Value v) { return isBounded(v, depth - 1); });
  if (auto select = dyn_cast<arith::SelectOp>(op))
    return isBounded(select.getTrueValue(), depth - 1) &&
           isBounded(select.getFalseValue(), depth - 1);
  return false;
}

/// `vanishing * other` with a strong zero: `vanishing` where it is 0 (so
/// 0 * inf is 0), else the product.
static Value buildStrongZeroMul(OpBuilder &builder, Location loc,
                                Value vanishing, Value other) {
  Value product = arith::MulFOp::create(builder, loc, vanishing, other);
  Value zero = buildConstantLike(builder, loc, vanishing, 0.0);
  Value isZero = buildCompare(builder, loc, arith::CmpFPredicate::OEQ,
                              vanishing, zero);
  return arith::SelectOp::create(builder, loc, isZero, vanishing, product);
}

namespace {
#include "Act/Derivatives.inc"
} // namespace

/// True when `value` is NaN wherever `x` is (for finite parameters): x
/// itself and any op of a NaN operand, but a select only through the branch
/// a NaN takes (a comparison of a NaN is false unless unordered), and
/// maxnumf/minnumf only when both operands are NaN.
static bool propagatesNaN(Value value, Value x,
                          llvm::DenseMap<Value, bool> &memo) {
  if (value == x)
    return true;
  if (auto it = memo.find(value); it != memo.end())
    return it->second;
  Operation *op = value.getDefiningOp();
  bool result = false;
  if (!op || op->getNumOperands() == 0 || isa<ParamOp>(op)) {
    result = false;
  } else if (auto select = dyn_cast<arith::SelectOp>(op)) {
    auto compare = select.getCondition().getDefiningOp<arith::CmpFOp>();
    auto isNaNThere = [&](Value v) { return propagatesNaN(v, x, memo); };
    if (compare && (isNaNThere(compare.getLhs()) ||
                    isNaNThere(compare.getRhs()))) {
      // ueq ... uno and true hold for a NaN operand, the others do not.
      auto predicate = static_cast<uint64_t>(compare.getPredicate());
      bool unordered =
          predicate >= static_cast<uint64_t>(arith::CmpFPredicate::UEQ);
      result = isNaNThere(unordered ? select.getTrueValue()
                                    : select.getFalseValue());
    } else {
      result = isNaNThere(select.getTrueValue()) &&
               isNaNThere(select.getFalseValue());
    }
  } else if (isa<arith::MaxNumFOp, arith::MinNumFOp>(op)) {
    result = llvm::all_of(op->getOperands(), [&](Value v) {
      return propagatesNaN(v, x, memo);
    });
  } else if (isa<arith::CmpFOp>(op)) {
    result = false;
  } else {
    result = llvm::any_of(op->getOperands(), [&](Value v) {
      return propagatesNaN(v, x, memo);
    });
  }
  memo[value] = result;
  return result;
}

/// A NaN x gives a NaN df/dx (the forward gives NaN there too): where the
/// derivative would not carry it -- piecewise-constant ones, relu' =
/// `x > 0 ? 1 : 0` gives 0 -- it becomes `x != x ? x : df/dx`. (PyTorch's
/// threshold/hardtanh backward pass dy through for a NaN x instead;
/// docs/autodiff.md.) Parameter partials are left as they are.
static void guardNaNInput(ActivationOp grad) {
  auto ret = cast<ReturnOp>(grad.getBody().front().getTerminator());
  Value x = grad.getInput();
  Value partial = ret.getValues().front();
  llvm::DenseMap<Value, bool> memo;
  if (propagatesNaN(partial, x, memo))
    return;
  OpBuilder builder(ret);
  Value isNaN =
      buildCompare(builder, ret.getLoc(), arith::CmpFPredicate::UNE, x, x);
  Value guarded =
      arith::SelectOp::create(builder, ret.getLoc(), isNaN, x, partial);
  ret->setOperand(0, guarded);
}

void populateActDerivativePatterns(RewritePatternSet &patterns) {
  populateWithGenerated(patterns);
}

namespace {

/// The variables of f_grad: the input, then each runtime parameter's value.
static SmallVector<Value> getVariables(ActivationOp grad, OpBuilder &builder) {
  SmallVector<Value> variables{grad.getInput()};
  Block &body = grad.getBody().front();
  for (ParamAttr param : grad.getRuntimeParams()) {
    ParamOp read;
    for (auto op : body.getOps<ParamOp>())
      if (op.getName() == param.getName()) {
        read = op;
        break;
      }
    if (!read) {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointToStart(&body);
      read = ParamOp::create(builder, grad.getLoc(), grad.getElementType(),
                             param.getName());
    }
    variables.push_back(read);
  }
  return variables;
}

/// Adds `@f_grad` after `f` with pending derivatives as its results.
static ActivationOp createGradient(ActivationOp f, SymbolTable &symbols) {
  OpBuilder builder(f->getContext());
  builder.setInsertionPointAfter(f);
  auto grad = cast<ActivationOp>(builder.clone(*f));
  grad.setSymName((f.getSymName() + "_grad").str());
  grad.setGradOfAttr(FlatSymbolRefAttr::get(f.getSymNameAttr()));
  symbols.insert(grad, Block::iterator(grad));

  auto ret = cast<ReturnOp>(grad.getBody().front().getTerminator());
  Value result = ret.getValue();
  SmallVector<Value> variables = getVariables(grad, builder);
  builder.setInsertionPoint(ret);
  SmallVector<Value> partials;
  for (Value variable : variables)
    partials.push_back(
        DiffOp::create(builder, ret.getLoc(), result, variable));
  ReturnOp::create(builder, ret.getLoc(), partials);
  ret.erase();
  return grad;
}

/// Softmax and log_softmax of one row, in double, shifted by the maximum.
static void softmaxRow(ArrayRef<double> row, SmallVectorImpl<double> &softmax,
                       SmallVectorImpl<double> &logSoftmax) {
  double max = -std::numeric_limits<double>::infinity();
  for (double x : row)
    max = std::max(max, x);
  double sum = 0;
  for (double x : row)
    sum += std::exp(x - max);
  for (double x : row) {
    softmax.push_back(std::exp(x - max) / sum);
    logSoftmax.push_back(x - max - std::log(sum));
  }
}

/// The closed-form VJP that applies to the row activation `f`: "softmax" or
/// "log_softmax" when f computes that function (decided by evaluating f on
/// sampled rows, so any way of writing it qualifies), else "".
static StringRef classifyRowActivation(ActivationOp f) {
  // Rows of several widths: moderate values, one near 25 (the textbook
  // exp(x) / rowsum(exp(x)) still fits in double), equal values, a single
  // element.
  SmallVector<SmallVector<double>> rows = {
      {0.5},
      {1.0, 2.0},
      {-3.0, 0.25, 2.5},
      {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5},
      {25.0, 26.5, 24.25, 27.0, 25.75, 23.5}};
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (int width : {5, 8, 13}) {
    SmallVector<double> row;
    for (int i = 0; i < width; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      row.push_back(static_cast<double>(state >> 11) * 0x1p-53 * 16 - 8);
    }
    rows.push_back(row);
  }
  bool isSoftmax = true, isLogSoftmax = true;
  for (ArrayRef<double> row : rows) {
    FailureOr<EvaluatedValues> values = evaluateActivation(f, row);
    if (failed(values))
      return "";
    SmallVector<double> softmax, logSoftmax;
    softmaxRow(row, softmax, logSoftmax);
    for (auto [got, s, l] : llvm::zip_equal((*values)[0], softmax, logSoftmax)) {
      isSoftmax &= sameSample(got, s);
      isLogSoftmax &= sameSample(got, l);
    }
  }
  if (isSoftmax)
    return kSoftmaxRowGrad;
  if (isLogSoftmax)
    return kLogSoftmaxRowGrad;
  return "";
}

struct ActAutodiffPass : public impl::ActAutodiffBase<ActAutodiffPass> {
  using Base::Base;

  /// Checks the `grad-params` requests: only runtime parameters have
  /// gradients.
  LogicalResult checkRequestedParams(SymbolTable &symbols) {
    for (const std::string &entry : gradParams) {
      auto [name, param] = StringRef(entry).split('.');
      if (name.empty() || param.empty())
        return getOperation().emitError("grad-params: '")
               << entry << "' is not 'activation.param'";
      auto f = symbols.lookup<ActivationOp>(name);
      if (!f)
        return getOperation().emitError("grad-params: no activation named '")
               << name << "'";
      ParamAttr attr = f.lookupParam(param);
      if (!attr)
        return f.emitError("cannot differentiate '")
               << name << "' with respect to '" << param
               << "': it has no such parameter";
      if (!attr.getRuntime()) {
        return f.emitError("cannot differentiate '")
               << name << "' with respect to '" << param
               << "': it is a compile-time constant, folded into the kernels; "
                  "declare it 'param "
               << param << " = "
               << actc::formatShortest(attr.getDefaultValue().convertToDouble())
               << "' to get its gradient from the grad kernels";
      }
    }
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    if (failed(checkRequestedParams(symbols)))
      return signalPassFailure();

    SmallVector<std::pair<ActivationOp, ActivationOp>> grads;
    for (auto f : llvm::to_vector(module.getOps<ActivationOp>())) {
      if (f.isPrivate() || f.getGradOf())
        continue;
      if (f.isRowActivation()) {
        StringRef kind = classifyRowActivation(f);
        if (kind.empty()) {
          f.emitWarning("no gradient kernel for row activation '")
              << f.getSymName()
              << "': only softmax and log_softmax (written any way) have "
                 "one, the closed-form VJP from y = f(x); its forward "
                 "kernels are still built";
          continue;
        }
        f->setAttr(kRowGradAttrName, StringAttr::get(&getContext(), kind));
        continue;
      }
      if (symbols.lookup((f.getSymName() + "_grad").str())) {
        f.emitError("cannot name the derivative of '")
            << f.getSymName() << "': '" << f.getSymName()
            << "_grad' is already defined";
        return signalPassFailure();
      }
      grads.push_back({f, createGradient(f, symbols)});
    }

    RewritePatternSet patterns(&getContext());
    populateActDerivativePatterns(patterns);
    populateActSimplifyPatterns(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (auto [f, grad] : grads) {
      if (failed(simplifyAndDeduplicate(grad, frozen)))
        return signalPassFailure();
      guardNaNInput(grad);
      recordExactConstants(grad);
    }
    bool failedToDifferentiate = false;
    module.walk([&](DiffOp diff) {
      Operation *def = diff.getValue().getDefiningOp();
      InFlightDiagnostic error = (def ? def : diff.getOperation())->emitError(
          "cannot differentiate '");
      error << (def ? def->getName().getStringRef() : "value")
            << "': no derivative rule in td/Derivatives.td";
      failedToDifferentiate = true;
    });
    if (failedToDifferentiate)
      return signalPassFailure();
    for (auto [f, grad] : grads)
      warnNonDifferentiable(f, grad);
  }
};

} // namespace
} // namespace mlir::act
