//===- ActWriter.cpp - act dialect back to .act source --------------------===//
//
// Each op maps to one .act form with a binding strength; an operand is
// parenthesized when it binds more loosely than its position requires.
// Values used more than once become named locals of a block body so the
// printed formula shows the reuse the compiler found (sigmoid' = s * (1 - s)).
// The printed source compiles back to the same function: literals are the
// shortest decimals that read back exactly, comparisons .act lacks
// (unordered, ordered-not-equal) are spelled with not/and/or, and the
// elementary softplus is `softplus(x, threshold = inf)` (the prelude's
// softplus switches to x above 20).
//
//===----------------------------------------------------------------------===//

#include "actc/Target/ActWriter.h"
#include "actc/Support/FormatNumber.h"
#include "actc/Dialect/Act/Gradients.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::act;

namespace {

/// Binding strength of .act forms, loosest first (SPEC.md's precedence).
enum Precedence : int {
  Choice = 0,
  Or,
  And,
  Not,
  Compare,
  Additive,
  Multiplicative,
  Unary,
  Power,
  Atom
};


struct Formatted {
  std::string text;
  int precedence;
};

class ExpressionWriter {
public:
  /// `named` values print as their name instead of their expression; the
  /// input element prints as `input`.
  ExpressionWriter(const llvm::DenseMap<Value, std::string> &named,
                   StringRef input)
      : named(named), input(input) {}

  Formatted format(Value value) {
    if (auto it = named.find(value); it != named.end())
      return {it->second, Atom};
    if (isa<BlockArgument>(value))
      return {input.str(), Atom};
    Operation *op = value.getDefiningOp();
    return formatOp(op);
  }

private:
  /// `value` as an operand that must bind at least as tightly as `needed`.
  std::string operand(Value value, int needed) {
    Formatted f = format(value);
    return f.precedence < needed ? "(" + f.text + ")" : f.text;
  }

  Formatted binary(Operation *op, StringRef symbol, int precedence,
                   bool rightAssociative = false) {
    int left = rightAssociative ? precedence + 1 : precedence;
    int right = rightAssociative ? precedence : precedence + 1;
    return {operand(op->getOperand(0), left) + " " + symbol.str() + " " +
                operand(op->getOperand(1), right),
            precedence};
  }

  Formatted call(Operation *op, StringRef name) {
    std::string text = name.str() + "(";
    for (auto [index, value] : llvm::enumerate(op->getOperands()))
      text += (index ? ", " : "") + operand(value, Choice);
    return {text + ")", Atom};
  }

  static Formatted literal(FloatAttr attr) {
    double value = attr.getValueAsDouble();
    if (std::isnan(value))
      return {"(inf - inf)", Atom};
    if (std::isinf(value))
      return {value < 0 ? "-inf" : "inf", value < 0 ? Unary : Atom};
    std::string text = actc::formatShortest(value);
    return {text, std::signbit(value) ? Unary : Atom};
  }


  static StringRef comparison(arith::CmpFPredicate predicate) {
    switch (predicate) {
    case arith::CmpFPredicate::OLT:
      return "<";
    case arith::CmpFPredicate::OLE:
      return "<=";
    case arith::CmpFPredicate::OGT:
      return ">";
    case arith::CmpFPredicate::OGE:
      return ">=";
    case arith::CmpFPredicate::OEQ:
      return "==";
    case arith::CmpFPredicate::UNE:
      return "!=";
    default:
      return "";
    }
  }

  /// `lhs symbol rhs` as a comparison.
  std::string compare(arith::CmpFOp o, StringRef symbol) {
    return operand(o.getLhs(), Compare + 1) + " " + symbol.str() + " " +
           operand(o.getRhs(), Compare + 1);
  }

  /// .act has the ordered comparisons and `!=` (unordered or unequal); the
  /// other predicates are negations or disjunctions of those.
  Formatted formatCompare(arith::CmpFOp o) {
    using P = arith::CmpFPredicate;
    StringRef symbol = comparison(o.getPredicate());
    if (!symbol.empty())
      return binary(o, symbol, Compare);
    auto negated = [&](StringRef ordered) {
      return Formatted{"not (" + compare(o, ordered) + ")", Not};
    };
    switch (o.getPredicate()) {
    case P::UGT:
      return negated("<=");
    case P::UGE:
      return negated("<");
    case P::ULT:
      return negated(">=");
    case P::ULE:
      return negated(">");
    case P::ONE:
      return {compare(o, "<") + " or " + compare(o, ">"), Or};
    case P::UEQ:
      return {"not (" + compare(o, "<") + " or " + compare(o, ">") + ")", Not};
    case P::ORD:
      return {operand(o.getLhs(), Compare + 1) + " == " +
                  operand(o.getLhs(), Compare + 1) + " and " +
                  operand(o.getRhs(), Compare + 1) + " == " +
                  operand(o.getRhs(), Compare + 1),
              And};
    case P::UNO:
      return {operand(o.getLhs(), Compare + 1) + " != " +
                  operand(o.getLhs(), Compare + 1) + " or " +
                  operand(o.getRhs(), Compare + 1) + " != " +
                  operand(o.getRhs(), Compare + 1),
              Or};
    case P::AlwaysTrue:
      return {"(1 > 0)", Atom};
    default:
      return {"(0 > 1)", Atom};
    }
  }

  Formatted formatOp(Operation *op) {
    return llvm::TypeSwitch<Operation *, Formatted>(op)
        .Case([](arith::ConstantOp c) {
          if (auto f = dyn_cast<FloatAttr>(c.getValue()))
            return literal(f);
          auto flag = cast<IntegerAttr>(c.getValue());
          return Formatted{flag.getValue().isZero() ? "(0 > 1)" : "(1 > 0)",
                           Atom};
        })
        .Case([](ParamOp p) { return Formatted{p.getName().str(), Atom}; })
        .Case([&](arith::AddFOp o) { return binary(o, "+", Additive); })
        .Case([&](arith::SubFOp o) { return binary(o, "-", Additive); })
        .Case([&](arith::MulFOp o) { return binary(o, "*", Multiplicative); })
        .Case([&](arith::DivFOp o) { return binary(o, "/", Multiplicative); })
        .Case([&](arith::NegFOp o) {
          return Formatted{"-" + operand(o.getOperand(), Unary), Unary};
        })
        .Case([&](math::PowFOp o) { return binary(o, "^", Power, true); })
        .Case([&](arith::CmpFOp o) { return formatCompare(o); })
        .Case([&](arith::AndIOp o) { return binary(o, "and", And); })
        .Case([&](arith::OrIOp o) { return binary(o, "or", Or); })
        .Case([&](arith::XOrIOp o) {
          return Formatted{"not " + operand(o.getLhs(), Not), Not};
        })
        .Case([&](arith::SelectOp o) {
          return Formatted{operand(o.getCondition(), Or) + " ? " +
                               operand(o.getTrueValue(), Or) + " : " +
                               operand(o.getFalseValue(), Choice),
                           Choice};
        })
        .Case([&](arith::MaximumFOp o) { return call(o, "max"); })
        .Case([&](arith::MinimumFOp o) { return call(o, "min"); })
        .Case([&](math::AbsFOp o) { return call(o, "abs"); })
        .Case([&](SigmoidOp o) { return call(o, "sigmoid"); })
        .Case([&](SoftplusOp o) {
          return Formatted{"softplus(" + operand(o.getOperand(), Choice) +
                               ", threshold = inf)",
                           Atom};
        })
        .Case([&](RowSumOp o) { return call(o, "rowsum"); })
        .Case([&](RowMaxOp o) { return call(o, "rowmax"); })
        .Default([&](Operation *other) {
          // math.exp -> exp, math.powf -> pow, ...
          StringRef name = other->getName().stripDialect();
          if (name == "powf")
            name = "pow";
          return call(other, name);
        });
  }

  const llvm::DenseMap<Value, std::string> &named;
  StringRef input;
};

/// Ops worth a name when used more than once (not constants or params).
static bool isWorthNaming(Operation *op) {
  return op->getNumResults() == 1 && isa<FloatType>(op->getResult(0).getType()) &&
         !isa<arith::ConstantOp, ParamOp>(op) && !op->hasOneUse() &&
         !op->use_empty();
}

/// The name the input element prints as.
static StringRef getInputName(ActivationOp activation) {
  return isGradientFromY(activation) ? "y" : "x";
}

/// `x, dy, alpha = 0.01, param beta = 1`: the input, `dy` for a gradient
/// (a runtime parameter without default), then the parameters.
static std::string paramList(ActivationOp activation, bool withGradient) {
  std::string text = getInputName(activation).str();
  if (withGradient)
    text += ", dy";
  for (Attribute attr : activation.getParams()) {
    auto param = cast<ParamAttr>(attr);
    text += ", ";
    text += param.getRuntime() ? "param " : "";
    text += param.getName().str() + " = " +
            actc::formatShortest(
                param.getDefaultValue().convertToDouble());
  }
  return text;
}

/// A local name `t<k>` that no parameter already uses.
static std::string freshLocal(ActivationOp activation, unsigned &counter) {
  while (true) {
    std::string name = "t" + std::to_string(++counter);
    if (!activation.lookupParam(name))
      return name;
  }
}

} // namespace

std::string actc::formatActExpression(ActivationOp activation,
                                      unsigned resultIndex) {
  llvm::DenseMap<Value, std::string> none;
  auto ret = cast<ReturnOp>(activation.getBody().front().getTerminator());
  return ExpressionWriter(none, getInputName(activation))
      .format(ret.getValues()[resultIndex])
      .text;
}

void actc::writeActSource(ActivationOp activation, raw_ostream &os) {
  Block &body = activation.getBody().front();
  auto ret = cast<ReturnOp>(body.getTerminator());
  bool isGradient = static_cast<bool>(activation.getGradOf());

  // Name every multiply-used value, in program order, so each local is
  // defined before its uses.
  llvm::DenseMap<Value, std::string> named;
  SmallVector<std::pair<std::string, std::string>> locals;
  ExpressionWriter writer(named, getInputName(activation));
  unsigned counter = 0;
  for (Operation &op : body.without_terminator()) {
    if (!isWorthNaming(&op))
      continue;
    std::string expression = writer.format(op.getResult(0)).text;
    std::string name = freshLocal(activation, counter);
    locals.push_back({name, expression});
    named[op.getResult(0)] = name;
  }

  SmallVector<std::string> params{""};
  for (ParamAttr param : activation.getRuntimeParams())
    params.push_back(("_" + param.getName()).str());
  for (auto [index, value] : llvm::enumerate(ret.getValues())) {
    // Only the locals this result reads.
    llvm::SmallPtrSet<Operation *, 32> reached;
    SmallVector<Value> worklist{value};
    while (!worklist.empty()) {
      Operation *def = worklist.pop_back_val().getDefiningOp();
      if (def && reached.insert(def).second)
        llvm::append_range(worklist, def->getOperands());
    }
    SmallVector<std::pair<std::string, std::string>> used;
    for (Operation &op : body.without_terminator())
      if (reached.contains(&op))
        if (auto it = named.find(op.getResult(0)); it != named.end())
          for (auto &local : locals)
            if (local.first == it->second)
              used.push_back(local);
    Formatted formatted = writer.format(value);
    std::string result = formatted.text;
    if (isGradient)
      result = "dy * " + (formatted.precedence <= Multiplicative
                              ? "(" + result + ")"
                              : result);
    std::string name = activation.getSymName().str() + params[index];
    std::string header =
        "act " + name + "(" + paramList(activation, isGradient) + ")";
    if (used.empty()) {
      os << header << " = " << result << "\n";
      continue;
    }
    os << header << " {\n";
    for (auto &[local, expression] : used)
      os << "  " << local << " = " << expression << "\n";
    os << "  return " << result << "\n}\n";
  }
}

void actc::writeRowGradientComment(ActivationOp activation, StringRef prefix,
                                   raw_ostream &os) {
  StringRef kind = getRowGradKind(activation);
  if (kind.empty())
    return;
  StringRef name = activation.getSymName();
  os << prefix << name << "_grad: ";
  if (name != kind)
    os << name << " computes " << kind << ", so ";
  os << "the VJP of " << name << " from y = " << name
     << "(x) and a row of dy is\n"
     << prefix << "  dx = " << getRowGradFormula(kind) << "\n";
}

void actc::writeActGradients(ModuleOp module, raw_ostream &os) {
  os << "# Derivatives derived by actc (act-autodiff, act-grad-from-y): each\n"
        "# NAME_grad returns dy * df/dx, NAME_grad_P dy * df/dP for a runtime\n"
        "# parameter P, and NAME_grad_from_y the same from y = f(x).\n";
  for (auto f : module.getOps<ActivationOp>()) {
    if (f.isPrivate() || f.getGradOf())
      continue;
    os << "\n";
    if (f.isRowActivation()) {
      writeRowGradientComment(f, "# ", os);
      continue;
    }
    for (bool fromY : {false, true})
      if (ActivationOp grad = lookupGradient(module, f, fromY))
        writeActSource(grad, os);
  }
}
