//===- Evaluate.cpp - evaluate an activation's body in double -------------===//
//
// Every value is a vector of lanes, one per input; an op applies lane by
// lane, except the row reductions, which reduce over all lanes and
// broadcast. Conditions (i1) are held as 0 and 1. The arithmetic is IEEE
// double with the NaN and signed-zero semantics of the ops (maximumf
// propagates NaN and orders -0 below +0, cmpf's unordered predicates hold
// for NaN).
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Evaluate.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::act;

namespace {
using Lanes = SmallVector<double>;
} // namespace

static double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

static double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

static double sigmoid(double x) {
  if (x >= 0)
    return 1 / (1 + std::exp(-x));
  double e = std::exp(x);
  return e / (1 + e);
}

static double softplus(double x) {
  if (std::isnan(x))
    return x;
  return std::fmax(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));
}

static bool compare(arith::CmpFPredicate predicate, double a, double b) {
  bool unordered = std::isnan(a) || std::isnan(b);
  switch (predicate) {
  case arith::CmpFPredicate::AlwaysFalse:
    return false;
  case arith::CmpFPredicate::OEQ:
    return !unordered && a == b;
  case arith::CmpFPredicate::OGT:
    return !unordered && a > b;
  case arith::CmpFPredicate::OGE:
    return !unordered && a >= b;
  case arith::CmpFPredicate::OLT:
    return !unordered && a < b;
  case arith::CmpFPredicate::OLE:
    return !unordered && a <= b;
  case arith::CmpFPredicate::ONE:
    return !unordered && a != b;
  case arith::CmpFPredicate::ORD:
    return !unordered;
  case arith::CmpFPredicate::UEQ:
    return unordered || a == b;
  case arith::CmpFPredicate::UGT:
    return unordered || a > b;
  case arith::CmpFPredicate::UGE:
    return unordered || a >= b;
  case arith::CmpFPredicate::ULT:
    return unordered || a < b;
  case arith::CmpFPredicate::ULE:
    return unordered || a <= b;
  case arith::CmpFPredicate::UNE:
    return unordered || a != b;
  case arith::CmpFPredicate::UNO:
    return unordered;
  case arith::CmpFPredicate::AlwaysTrue:
    return true;
  }
  return false;
}

/// The one-operand function of `op`, or null.
static double (*getUnaryFunction(Operation *op))(double) {
  return llvm::TypeSwitch<Operation *, double (*)(double)>(op)
      .Case([](arith::NegFOp) { return [](double a) { return -a; }; })
      .Case([](math::AbsFOp) { return [](double a) { return std::fabs(a); }; })
      .Case([](math::ExpOp) { return [](double a) { return std::exp(a); }; })
      .Case([](math::Exp2Op) { return [](double a) { return std::exp2(a); }; })
      .Case(
          [](math::ExpM1Op) { return [](double a) { return std::expm1(a); }; })
      .Case([](math::LogOp) { return [](double a) { return std::log(a); }; })
      .Case([](math::Log2Op) { return [](double a) { return std::log2(a); }; })
      .Case(
          [](math::Log10Op) { return [](double a) { return std::log10(a); }; })
      .Case(
          [](math::Log1pOp) { return [](double a) { return std::log1p(a); }; })
      .Case([](math::SqrtOp) { return [](double a) { return std::sqrt(a); }; })
      .Case([](math::RsqrtOp) {
        return [](double a) { return 1 / std::sqrt(a); };
      })
      .Case([](math::TanhOp) { return [](double a) { return std::tanh(a); }; })
      .Case([](math::SinOp) { return [](double a) { return std::sin(a); }; })
      .Case([](math::CosOp) { return [](double a) { return std::cos(a); }; })
      .Case([](math::TanOp) { return [](double a) { return std::tan(a); }; })
      .Case([](math::AtanOp) { return [](double a) { return std::atan(a); }; })
      .Case(
          [](math::AtanhOp) { return [](double a) { return std::atanh(a); }; })
      .Case([](math::ErfOp) { return [](double a) { return std::erf(a); }; })
      .Case([](math::ErfcOp) { return [](double a) { return std::erfc(a); }; })
      .Case(
          [](math::FloorOp) { return [](double a) { return std::floor(a); }; })
      .Case([](math::CeilOp) { return [](double a) { return std::ceil(a); }; })
      .Case([](SigmoidOp) { return sigmoid; })
      .Case([](SoftplusOp) { return softplus; })
      .Default([](Operation *) { return nullptr; });
}

/// The two-operand function of `op`, or null.
static double (*getBinaryFunction(Operation *op))(double, double) {
  using Fn = double (*)(double, double);
  return llvm::TypeSwitch<Operation *, Fn>(op)
      .Case([](arith::AddFOp) { return [](double a, double b) { return a + b; }; })
      .Case([](arith::SubFOp) { return [](double a, double b) { return a - b; }; })
      .Case([](arith::MulFOp) { return [](double a, double b) { return a * b; }; })
      .Case([](arith::DivFOp) { return [](double a, double b) { return a / b; }; })
      .Case([](arith::RemFOp) {
        return [](double a, double b) { return std::fmod(a, b); };
      })
      .Case([](arith::MaximumFOp) { return maximum; })
      .Case([](arith::MinimumFOp) { return minimum; })
      .Case([](arith::MaxNumFOp) {
        return [](double a, double b) { return std::fmax(a, b); };
      })
      .Case([](arith::MinNumFOp) {
        return [](double a, double b) { return std::fmin(a, b); };
      })
      .Case([](math::PowFOp) {
        return [](double a, double b) { return std::pow(a, b); };
      })
      .Case([](math::CopySignOp) {
        return [](double a, double b) { return std::copysign(a, b); };
      })
      .Case([](arith::AndIOp) {
        return [](double a, double b) { return double(a != 0 && b != 0); };
      })
      .Case([](arith::OrIOp) {
        return [](double a, double b) { return double(a != 0 || b != 0); };
      })
      .Case([](arith::XOrIOp) {
        return [](double a, double b) { return double((a != 0) != (b != 0)); };
      })
      .Default([](Operation *) { return nullptr; });
}

/// Evaluates `op` given its operands' lanes; fails on an op it does not
/// know.
static FailureOr<Lanes> evaluateOp(Operation *op, ArrayRef<const Lanes *> args,
                                   size_t width, ActivationOp activation,
                                   const llvm::StringMap<double> &params) {
  Lanes result(width);
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    double value;
    if (auto attr = dyn_cast<FloatAttr>(constant.getValue()))
      value = attr.getValueAsDouble();
    else if (auto attr = dyn_cast<IntegerAttr>(constant.getValue()))
      value = attr.getValue().isZero() ? 0 : 1;
    else
      return failure();
    result.assign(width, value);
    return result;
  }
  if (auto param = dyn_cast<ParamOp>(op)) {
    ParamAttr attr = activation.lookupParam(param.getName());
    if (!attr)
      return failure();
    auto it = params.find(param.getName());
    result.assign(width, it != params.end()
                             ? it->second
                             : attr.getDefaultValue().convertToDouble());
    return result;
  }
  if (isa<RowSumOp, RowMaxOp>(op)) {
    bool isSum = isa<RowSumOp>(op);
    double total = isSum ? 0.0 : -std::numeric_limits<double>::infinity();
    for (double lane : *args[0])
      total = isSum ? total + lane : maximum(total, lane);
    result.assign(width, total);
    return result;
  }
  if (auto compare = dyn_cast<arith::CmpFOp>(op)) {
    for (size_t i = 0; i < width; ++i)
      result[i] = ::compare(compare.getPredicate(), (*args[0])[i],
                            (*args[1])[i]);
    return result;
  }
  if (isa<arith::SelectOp>(op)) {
    for (size_t i = 0; i < width; ++i)
      result[i] = (*args[0])[i] != 0 ? (*args[1])[i] : (*args[2])[i];
    return result;
  }
  if (isa<math::FmaOp>(op)) {
    for (size_t i = 0; i < width; ++i)
      result[i] = std::fma((*args[0])[i], (*args[1])[i], (*args[2])[i]);
    return result;
  }
  if (op->getNumOperands() == 1) {
    if (auto fn = getUnaryFunction(op)) {
      for (size_t i = 0; i < width; ++i)
        result[i] = fn((*args[0])[i]);
      return result;
    }
  }
  if (op->getNumOperands() == 2) {
    if (auto fn = getBinaryFunction(op)) {
      for (size_t i = 0; i < width; ++i)
        result[i] = fn((*args[0])[i], (*args[1])[i]);
      return result;
    }
  }
  return failure();
}

FailureOr<EvaluatedValues>
mlir::act::evaluateValues(ActivationOp activation, ArrayRef<double> xs,
                          ArrayRef<Value> wanted,
                          const llvm::StringMap<double> &params) {
  Block &body = activation.getBody().front();
  llvm::DenseMap<Value, Lanes> values;
  values[activation.getInput()] = Lanes(xs.begin(), xs.end());
  for (Operation &op : body.without_terminator()) {
    if (op.getNumResults() != 1 || op.getNumRegions() != 0)
      return failure();
    SmallVector<const Lanes *> args;
    for (Value operand : op.getOperands()) {
      auto it = values.find(operand);
      if (it == values.end())
        return failure();
      args.push_back(&it->second);
    }
    FailureOr<Lanes> result =
        evaluateOp(&op, args, xs.size(), activation, params);
    if (failed(result))
      return failure();
    values[op.getResult(0)] = std::move(*result);
  }
  EvaluatedValues results;
  for (Value value : wanted) {
    auto it = values.find(value);
    if (it == values.end())
      return failure();
    results.push_back(it->second);
  }
  return results;
}

FailureOr<EvaluatedValues>
mlir::act::evaluateActivation(ActivationOp activation, ArrayRef<double> xs,
                              const llvm::StringMap<double> &params) {
  Operation *terminator = activation.getBody().front().getTerminator();
  return evaluateValues(activation, xs, llvm::to_vector(terminator->getOperands()),
                        params);
}

SmallVector<double>
mlir::act::sampleActivationInputs(ArrayRef<ActivationOp> activations) {
  SmallVector<double> xs;
  for (int i = -240; i <= 240; ++i)
    xs.push_back(i / 8.0);
  for (double small : {1e-3, 1e-6, 1e-12, 0.3, 0.7, 1.1, 2.9, 5.3})
    xs.append({small, -small});
  xs.push_back(-0.0);
  for (ActivationOp activation : activations)
    activation.walk([&](arith::ConstantOp constant) {
      auto attr = dyn_cast<FloatAttr>(constant.getValue());
      if (!attr || !attr.getValue().isFinite())
        return;
      double k = attr.getValueAsDouble();
      xs.append({k, std::nextafter(k, -INFINITY), std::nextafter(k, INFINITY),
                 -k});
    });
  return xs;
}

bool mlir::act::sameSample(double a, double b, double relTolerance,
                           double absTolerance) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  if (a == b)
    return true;
  if (std::isinf(a) || std::isinf(b))
    return false;
  return std::fabs(a - b) <=
         relTolerance * std::fmax(std::fabs(a), std::fabs(b)) + absTolerance;
}

std::optional<long double>
mlir::act::evaluateArithmetic(Operation *op, ArrayRef<long double> operands) {
  if (isa<arith::NegFOp>(op))
    return -operands[0];
  if (isa<arith::AddFOp>(op))
    return operands[0] + operands[1];
  if (isa<arith::SubFOp>(op))
    return operands[0] - operands[1];
  if (isa<arith::MulFOp>(op))
    return operands[0] * operands[1];
  if (isa<arith::DivFOp>(op))
    return operands[0] / operands[1];
  return std::nullopt;
}
