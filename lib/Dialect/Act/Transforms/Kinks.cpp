//===- Kinks.cpp - where an activation is not differentiable --------------===//
//
// See include/actc/Dialect/Act/Kinks.h. Not a pass: act-autodiff calls it
// once f_grad is built, so that a warning can quote the gradient the
// kernels return at the kink.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Kinks.h"
#include "actc/Dialect/Act/Evaluate.h"
#include "actc/Dialect/Act/Simplify.h"
#include "actc/Support/FormatNumber.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace mlir::act;

/// True when `loc` points into the user's spec (or an .mlir file) rather
/// than into the prelude alone: an inlined prelude op called from the spec
/// counts as the user's.
static bool isUserLocation(Location loc) {
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return isUserLocation(callSite.getCallee()) ||
           isUserLocation(callSite.getCaller());
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return file.getFilename() != "<prelude>";
  if (auto name = dyn_cast<NameLoc>(loc))
    return isUserLocation(name.getChildLoc());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    return llvm::any_of(fused.getLocations(), isUserLocation);
  return false;
}

/// True for `v == +-inf` and `v != +-inf`: a guard that picks the limit at
/// an infinity, which is no kink of the finite function.
static bool isInfinityGuard(Value condition) {
  auto compare = condition.getDefiningOp<arith::CmpFOp>();
  if (!compare)
    return false;
  using P = arith::CmpFPredicate;
  P predicate = compare.getPredicate();
  if (predicate != P::OEQ && predicate != P::UEQ && predicate != P::ONE &&
      predicate != P::UNE)
    return false;
  return llvm::any_of(compare->getOperands(), [](Value operand) {
    FloatAttr attr;
    return matchPattern(operand, m_Constant(&attr)) &&
           attr.getValue().isInfinity();
  });
}

/// The values whose lanes decide which side of its kink `op` is on, or
/// none for an op that has no kink.
static SmallVector<Value> getSwitchOperands(Operation *op) {
  if (isa<math::AbsFOp, arith::MaximumFOp, arith::MinimumFOp>(op))
    return llvm::to_vector(op->getOperands());
  if (auto select = dyn_cast<arith::SelectOp>(op))
    if (!isInfinityGuard(select.getCondition()))
      return {select.getCondition()};
  return {};
}

/// The side of its kink `op` is on at lane `i` of its switch operands (the
/// rule of td/Derivatives.td: for max and min, whether the second operand
/// takes the gradient).
static bool getSide(Operation *op, const EvaluatedValues &lanes, size_t i) {
  if (isa<math::AbsFOp>(op))
    return lanes[0][i] >= 0;
  if (isa<arith::MaximumFOp>(op))
    return lanes[1][i] >= lanes[0][i];
  if (isa<arith::MinimumFOp>(op))
    return lanes[1][i] <= lanes[0][i];
  return lanes[0][i] != 0;
}

/// An estimate, to 6 digits.
static std::string formatEstimate(double value) {
  if (std::fabs(value) < 1e-12)
    value = 0;
  return llvm::formatv("{0}", llvm::format("%.6g", value));
}

namespace {
/// One switch point of a kink op and how f behaves there.
struct Switch {
  double at;           // the point reported (one side of the switch)
  double below, above; // f's one-sided slopes, or values where it jumps
  bool continuous;
  bool differentiable;
};

/// A line through f's inputs along which kinks are searched: x with the
/// parameters at their defaults, or one runtime parameter with x fixed.
struct Line {
  ActivationOp f;
  StringRef param; // empty: along x
  double x = 0;    // x along a parameter

  /// The lanes of `wanted` at the points `ts` of the line.
  FailureOr<EvaluatedValues> evaluate(ArrayRef<double> ts,
                                      ArrayRef<Value> wanted) const {
    if (param.empty())
      return evaluateValues(f, ts, wanted);
    EvaluatedValues lanes(wanted.size());
    for (double t : ts) {
      llvm::StringMap<double> params;
      params[param] = t;
      FailureOr<EvaluatedValues> one = evaluateValues(f, {x}, wanted, params);
      if (failed(one))
        return failure();
      for (auto [all, value] : llvm::zip(lanes, *one))
        all.push_back(value[0]);
    }
    return lanes;
  }

  /// f at the points `ts` (NaN where it cannot be evaluated).
  SmallVector<double> evaluateF(ArrayRef<double> ts) const {
    ActivationOp activation = f;
    FailureOr<EvaluatedValues> values = evaluate(ts, {activation.getResult()});
    if (failed(values))
      return SmallVector<double>(ts.size(),
                                 std::numeric_limits<double>::quiet_NaN());
    return (*values)[0];
  }
};
} // namespace

/// Classifies f between the adjacent doubles `lo` and `hi` of `line`,
/// where `op` switches sides: continuous when the values agree,
/// differentiable when the one-sided slopes (second-order one-sided
/// differences) agree too.
static Switch classify(const Line &line, double lo, double hi) {
  double h = 1e-5 * std::fmax(1.0, std::fabs(lo));
  SmallVector<double> ys =
      line.evaluateF({lo - 2 * h, lo - h, lo, hi, hi + h, hi + 2 * h});
  Switch s;
  // Report the side that reads shorter: 0 rather than 4.9e-324.
  s.at = actc::formatShortest(lo).size() <= actc::formatShortest(hi).size()
             ? lo
             : hi;
  if (lo == 0 || hi == 0)
    s.at = 0; // +0, whichever zero the samples held
  s.continuous = sameSample(ys[2], ys[3], 1e-9, 1e-12) &&
                 std::isfinite(ys[2]) && std::isfinite(ys[3]);
  if (!s.continuous) {
    s.below = ys[2];
    s.above = ys[3];
    s.differentiable = false;
    return s;
  }
  s.below = (3 * ys[2] - 4 * ys[1] + ys[0]) / (2 * h);
  s.above = (-3 * ys[3] + 4 * ys[4] - ys[5]) / (2 * h);
  s.differentiable =
      std::isfinite(s.below) && std::isfinite(s.above) &&
      std::fabs(s.below - s.above) <=
          1e-6 * (1 + std::fmax(std::fabs(s.below), std::fabs(s.above)));
  return s;
}

/// The points of `line` where `op` switches sides on the sampled inputs,
/// each refined by bisection to two adjacent doubles; failure when f
/// cannot be evaluated.
static FailureOr<SmallVector<Switch>> findSwitches(const Line &line,
                                                   Operation *op) {
  SmallVector<Value> operands = getSwitchOperands(op);
  SmallVector<double> ts = sampleActivationInputs({line.f});
  llvm::erase_if(ts, [](double t) { return !std::isfinite(t); });
  llvm::sort(ts);
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  FailureOr<EvaluatedValues> lanes = line.evaluate(ts, operands);
  if (failed(lanes))
    return failure();
  auto sideAt = [&](double t) -> FailureOr<bool> {
    FailureOr<EvaluatedValues> one = line.evaluate({t}, operands);
    if (failed(one))
      return failure();
    return getSide(op, *one, 0);
  };
  SmallVector<Switch> switches;
  for (size_t i = 0; i + 1 < ts.size(); ++i) {
    bool left = getSide(op, *lanes, i);
    if (left == getSide(op, *lanes, i + 1))
      continue;
    double lo = ts[i], hi = ts[i + 1];
    while (true) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi)
        break;
      FailureOr<bool> side = sideAt(mid);
      if (failed(side))
        return failure();
      (*side == left ? lo : hi) = mid;
    }
    switches.push_back(classify(line, lo, hi));
  }
  return switches;
}

/// What the op's rule is, for the warning: where it switches and which
/// derivative td/Derivatives.td uses there.
static std::pair<StringRef, StringRef> describeRule(Operation *op) {
  if (isa<math::AbsFOp>(op))
    return {"the operand of 'abs' is 0 there",
            "abs'(0) = 0 is used (as PyTorch)"};
  if (isa<arith::MaximumFOp>(op))
    return {"the operands of 'max' are equal there",
            "at the tie the gradient goes to the second operand of 'max'"};
  if (isa<arith::MinimumFOp>(op))
    return {"the operands of 'min' are equal there",
            "at the tie the gradient goes to the second operand of 'min'"};
  return {"'select' (c ? a : b) switches branches there",
          "the derivative of the branch the condition takes there is used"};
}

/// The derivative `grad` returns at the point `t` of `line`: df/dx along
/// x, df/dP along the parameter P (grad's results: df/dx, then df/dP for
/// each runtime parameter in order).
static double gradientAt(ActivationOp grad, const Line &line, double t) {
  unsigned result = 0;
  llvm::StringMap<double> params;
  if (!line.param.empty()) {
    params[line.param] = t;
    for (auto [i, param] : llvm::enumerate(grad.getRuntimeParams()))
      if (param.getName() == line.param)
        result = 1 + i;
  }
  FailureOr<EvaluatedValues> values =
      evaluateActivation(grad, {line.param.empty() ? t : line.x}, params);
  return failed(values) ? std::numeric_limits<double>::quiet_NaN()
                        : (*values)[result][0];
}

/// Warns at `op` for each switch of `line` where f is not differentiable;
/// returns whether `line` crosses the op's switch at all.
static bool warnAlong(ActivationOp f, ActivationOp grad, Operation *op,
                      const Line &line) {
  auto [where, rule] = describeRule(op);
  FailureOr<SmallVector<Switch>> switches = findSwitches(line, op);
  if (failed(switches)) {
    op->emitWarning() << "'" << f.getSymName()
                      << "' may not be differentiable where " << where
                      << " (not located: the body cannot be evaluated); "
                      << rule;
    return true;
  }
  std::string variable = line.param.empty() ? "x" : line.param.str();
  for (const Switch &s : *switches) {
    if (s.differentiable)
      continue;
    InFlightDiagnostic warning = op->emitWarning();
    warning << "'" << f.getSymName() << "' is not "
            << (s.continuous ? "differentiable" : "continuous");
    if (!line.param.empty())
      warning << " in its parameter '" << line.param << "'";
    warning << " at " << variable << " = " << actc::formatShortest(s.at);
    if (!line.param.empty())
      warning << " (x = " << actc::formatShortest(line.x) << ")";
    warning << ": " << where << " (";
    if (s.continuous)
      warning << "slope " << formatEstimate(s.below) << " below, "
              << formatEstimate(s.above) << " above";
    else
      warning << "the value jumps from " << formatEstimate(s.below) << " to "
              << formatEstimate(s.above);
    warning << "); " << rule << ": the gradient ";
    if (!line.param.empty())
      warning << "with respect to '" << line.param << "' ";
    warning << "at " << actc::formatShortest(s.at) << " is "
            << formatEstimate(gradientAt(grad, line, s.at));
  }
  return !switches->empty();
}

void mlir::act::warnNonDifferentiable(ActivationOp f, ActivationOp grad) {
  SmallVector<Value> variables{f.getInput()};
  for (auto param : f.getBody().getOps<ParamOp>())
    if (ParamAttr attr = f.lookupParam(param.getName());
        attr && attr.getRuntime())
      variables.push_back(param);
  llvm::DenseSet<std::pair<Location, OperationName>> warned;
  for (Operation &op : f.getBody().front().without_terminator()) {
    if (getSwitchOperands(&op).empty() || !isUserLocation(op.getLoc()))
      continue;
    bool dependent = llvm::any_of(op.getOperands(), [&](Value operand) {
      return llvm::any_of(variables,
                          [&](Value v) { return dependsOn(operand, v); });
    });
    if (!dependent || !warned.insert({op.getLoc(), op.getName()}).second)
      continue;
    if (warnAlong(f, grad, &op, Line{f, StringRef(), 0}))
      continue;
    // A switch that x never crosses at the parameters' defaults may be
    // crossed by a runtime parameter (x * max(a, 0) at a = 0): search along
    // each one the op depends on, at an x where f depends on it.
    for (ParamAttr param : f.getRuntimeParams()) {
      bool usesParam = llvm::any_of(op.getOperands(), [&](Value operand) {
        return llvm::any_of(f.getBody().getOps<ParamOp>(), [&](ParamOp read) {
          return read.getName() == param.getName() && dependsOn(operand, read);
        });
      });
      if (usesParam)
        warnAlong(f, grad, &op, Line{f, param.getName(), /*x=*/1.5});
    }
  }
}
