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
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cmath>

namespace mlir::act {
#define GEN_PASS_DEF_ACTAUTODIFF
#include "Act/Passes.h.inc"

/// True when `value` is `variable` or computed from it.
static bool dependsOn(Value value, Value variable) {
  SmallVector<Value> worklist{value};
  llvm::SmallPtrSet<Operation *, 16> visited;
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (current == variable)
      return true;
    Operation *def = current.getDefiningOp();
    if (!def || !visited.insert(def).second)
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  return false;
}

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

namespace {
#include "Act/Derivatives.inc"
} // namespace

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

struct ActAutodiffPass : public impl::ActAutodiffBase<ActAutodiffPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<ActivationOp> grads;
    for (auto f : llvm::to_vector(module.getOps<ActivationOp>())) {
      if (f.isPrivate() || f.getGradOf() || f.isRowActivation())
        continue;
      if (symbols.lookup((f.getSymName() + "_grad").str())) {
        f.emitError("cannot name the derivative of '")
            << f.getSymName() << "': '" << f.getSymName()
            << "_grad' is already defined";
        return signalPassFailure();
      }
      grads.push_back(createGradient(f, symbols));
    }

    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    populateActDerivativePatterns(patterns);
    populateActCanonicalizePatterns(patterns);
    for (Dialect *dialect : context->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : context->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, context);
    FrozenRewritePatternSet frozen(std::move(patterns));
    IRRewriter rewriter(context);
    for (ActivationOp grad : grads) {
      if (failed(applyPatternsGreedily(grad, frozen)))
        return signalPassFailure();
      DominanceInfo dominance(grad);
      eliminateCommonSubExpressions(rewriter, dominance, grad);
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
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::act
