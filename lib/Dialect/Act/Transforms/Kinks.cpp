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
  double at;            // the point reported (one side of the switch)
  double below, above;  // f's one-sided slopes, or values where it jumps
  bool continuous;
  bool differentiable;
};
} // namespace

/// f's first result at the points `xs` (NaN where it cannot be evaluated).
static SmallVector<double> evaluateF(ActivationOp f, ArrayRef<double> xs) {
  FailureOr<EvaluatedValues> values = evaluateActivation(f, xs);
  if (failed(values))
    return SmallVector<double>(xs.size(),
                               std::numeric_limits<double>::quiet_NaN());
  return (*values)[0];
}

/// Classifies f between the adjacent doubles `lo` and `hi`, where `op`
/// switches sides: continuous when the values agree, differentiable when
/// the one-sided slopes (second-order one-sided differences) agree too.
static Switch classify(ActivationOp f, double lo, double hi) {
  double h = 1e-5 * std::fmax(1.0, std::fabs(lo));
  SmallVector<double> ys =
      evaluateF(f, {lo - 2 * h, lo - h, lo, hi, hi + h, hi + 2 * h});
  Switch s;
  // Report the side that reads shorter: 0 rather than 4.9e-324.
  s.at = actc::formatShortest(lo).size() <= actc::formatShortest(hi).size() ? lo : hi;
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

/// The points where `op` switches sides on the sampled inputs, each refined
/// by bisection to two adjacent doubles; failure when f cannot be
/// evaluated.
static FailureOr<SmallVector<Switch>> findSwitches(ActivationOp f,
                                                   Operation *op) {
  SmallVector<Value> operands = getSwitchOperands(op);
  SmallVector<double> xs = sampleActivationInputs({f});
  llvm::erase_if(xs, [](double x) { return !std::isfinite(x); });
  llvm::sort(xs);
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  FailureOr<EvaluatedValues> lanes = evaluateValues(f, xs, operands);
  if (failed(lanes))
    return failure();
  auto sideAt = [&](double x) -> FailureOr<bool> {
    FailureOr<EvaluatedValues> one = evaluateValues(f, {x}, operands);
    if (failed(one))
      return failure();
    return getSide(op, *one, 0);
  };
  SmallVector<Switch> switches;
  for (size_t i = 0; i + 1 < xs.size(); ++i) {
    bool left = getSide(op, *lanes, i);
    if (left == getSide(op, *lanes, i + 1))
      continue;
    double lo = xs[i], hi = xs[i + 1];
    while (true) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi)
        break;
      FailureOr<bool> side = sideAt(mid);
      if (failed(side))
        return failure();
      (*side == left ? lo : hi) = mid;
    }
    switches.push_back(classify(f, lo, hi));
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

/// The derivative grad returns at `x` (df/dx, its first result).
static double gradientAt(ActivationOp grad, double x) {
  FailureOr<EvaluatedValues> values = evaluateActivation(grad, {x});
  return failed(values) ? std::numeric_limits<double>::quiet_NaN()
                        : (*values)[0][0];
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
    auto [where, rule] = describeRule(&op);
    FailureOr<SmallVector<Switch>> switches = findSwitches(f, &op);
    if (failed(switches)) {
      op.emitWarning() << "'" << f.getSymName()
                       << "' may not be differentiable where " << where
                       << " (not located: the body cannot be evaluated); "
                       << rule;
      continue;
    }
    for (const Switch &s : *switches) {
      if (s.differentiable)
        continue;
      InFlightDiagnostic warning = op.emitWarning();
      warning << "'" << f.getSymName() << "' is not "
              << (s.continuous ? "differentiable" : "continuous")
              << " at x = " << actc::formatShortest(s.at) << ": " << where << " (";
      if (s.continuous)
        warning << "slope " << formatEstimate(s.below) << " below, "
                << formatEstimate(s.above) << " above";
      else
        warning << "the value jumps from " << formatEstimate(s.below)
                << " to " << formatEstimate(s.above);
      warning << "); " << rule << ": the gradient at " << actc::formatShortest(s.at)
              << " is " << formatEstimate(gradientAt(grad, s.at));
    }
  }
}
