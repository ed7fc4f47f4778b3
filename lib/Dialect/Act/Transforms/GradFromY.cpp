//===- GradFromY.cpp - derivatives as functions of the forward output -----===//
//
// act-grad-from-y: for each @f_grad built by act-autodiff, tries to write
// every partial in terms of y = f(x), the way training frameworks save the
// output instead of the input (sigmoid' = y(1 - y), tanh' = 1 - y^2,
// relu' = y > 0, elu' = y + alpha below zero). Nothing here knows a
// concrete activation:
//
//  1. Candidate. buildGradientFromY (FromY.cpp) peels f into equations
//     term(x) = image(y) and rebuilds each partial of f_grad over y; it
//     gives up on any partial that still needs x.
//  2. Simplification: td/GradFromY.td folds what inverting f leaves (the
//     divisions by f's constant factors) and writes 1 - y^2 as
//     (1 - y)(1 + y), exact for data y; then act-canonicalize's rules.
//  3. Verification. The candidate @f_grad_from_y is evaluated in double at
//     y = f(x) on sampled x (and sampled runtime parameter values) and must
//     agree with @f_grad there; otherwise it is dropped. So a rewrite that
//     is only right for some parameters (prelu with a negative slope) or
//     some inputs never reaches a kernel.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Evaluate.h"
#include "actc/Dialect/Act/FromY.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Simplify.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

#include <cmath>

namespace mlir::act {
#define GEN_PASS_DEF_ACTGRADFROMY
#include "Act/Passes.h.inc"

/// The constant c * k, in k's type (td/GradFromY.td).
static Value buildConstantProduct(OpBuilder &builder, Location loc, Attribute c,
                                  Attribute k) {
  auto kAttr = cast<FloatAttr>(k);
  return arith::ConstantOp::create(
      builder, loc,
      builder.getFloatAttr(kAttr.getType(),
                           cast<FloatAttr>(c).getValueAsDouble() *
                               kAttr.getValueAsDouble()));
}
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
#include "Act/GradFromY.inc"
} // namespace

/// Runtime parameter values to verify with: the defaults, then each
/// parameter halved, doubled and negated.
static SmallVector<llvm::StringMap<double>> sampleParams(ActivationOp f) {
  SmallVector<llvm::StringMap<double>> sets(1);
  for (ParamAttr param : f.getRuntimeParams()) {
    double d = param.getDefaultValue().convertToDouble();
    SmallVector<double> values = d == 0
                                     ? SmallVector<double>{1.0, -1.0, 0.5}
                                     : SmallVector<double>{0.5 * d, 2 * d, -d};
    for (double value : values) {
      llvm::StringMap<double> set;
      set[param.getName()] = value;
      sets.push_back(std::move(set));
    }
  }
  return sets;
}

/// True when `h`(f(x)) agrees with `grad`(x) on every sample where f(x) is
/// finite.
static bool verifyFromY(ActivationOp f, ActivationOp grad, ActivationOp h) {
  SmallVector<double> xs = sampleActivationInputs({f, grad});
  for (const llvm::StringMap<double> &params : sampleParams(f)) {
    FailureOr<EvaluatedValues> ys = evaluateActivation(f, xs, params);
    FailureOr<EvaluatedValues> expected = evaluateActivation(grad, xs, params);
    if (failed(ys) || failed(expected))
      return false;
    FailureOr<EvaluatedValues> got = evaluateActivation(h, (*ys)[0], params);
    if (failed(got))
      return false;
    for (size_t i = 0; i < xs.size(); ++i) {
      if (!std::isfinite((*ys)[0][i]))
        continue;
      for (size_t k = 0; k < expected->size(); ++k)
        if (!sameSample((*got)[k][i], (*expected)[k][i]))
          return false;
    }
  }
  return true;
}

namespace {
struct ActGradFromYPass : public act::impl::ActGradFromYBase<ActGradFromYPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    populateWithGenerated(patterns);
    populateActSimplifyPatterns(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));

    for (auto grad : llvm::to_vector(module.getOps<ActivationOp>())) {
      std::optional<StringRef> gradOf = grad.getGradOf();
      if (!gradOf || isGradientFromY(grad))
        continue;
      auto f = symbols.lookup<ActivationOp>(*gradOf);
      if (!f || f.isRowActivation())
        continue;
      if (symbols.lookup((*gradOf + "_grad_from_y").str())) {
        f.emitError("cannot name the derivative of '")
            << *gradOf << "' from its output: '" << *gradOf
            << "_grad_from_y' is already defined";
        return signalPassFailure();
      }
      ActivationOp h = buildGradientFromY(f, grad);
      if (!h)
        continue;
      if (failed(simplifyAndDeduplicate(h, frozen)))
        return signalPassFailure();
      if (!verifyFromY(f, grad, h)) {
        h.erase();
        continue;
      }
      recordExactConstants(h);
      symbols.insert(h, std::next(Block::iterator(grad)));
    }
  }
};
} // namespace
