//===- ActWriter.cpp - act dialect back to .act source --------------------===//
//
// Each op maps to one .act form with a binding strength; an operand is
// parenthesized when it binds more loosely than its position requires.
// Values used more than once become named locals of a block body so the
// printed formula shows the reuse the compiler found (sigmoid' = s * (1 - s)).
//
//===----------------------------------------------------------------------===//

#include "actc/Target/ActWriter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/TypeSwitch.h"

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
  /// `named` values print as their name instead of their expression.
  explicit ExpressionWriter(const llvm::DenseMap<Value, std::string> &named)
      : named(named) {}

  Formatted format(Value value) {
    if (auto it = named.find(value); it != named.end())
      return {it->second, Atom};
    if (isa<BlockArgument>(value))
      return {"x", Atom};
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
    APFloat value = attr.getValue();
    if (value.isInfinity())
      return {value.isNegative() ? "-inf" : "inf",
              value.isNegative() ? Unary : Atom};
    SmallString<32> text;
    value.toString(text, /*FormatPrecision=*/0, /*FormatMaxPadding=*/0);
    bool negative = text.starts_with("-");
    return {std::string(text), negative ? Unary : Atom};
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
        .Case([&](arith::CmpFOp o) -> Formatted {
          StringRef symbol = comparison(o.getPredicate());
          if (!symbol.empty())
            return binary(o, symbol, Compare);
          // Unordered predicates: the negation of the ordered opposite.
          return {"not (" + operand(o.getLhs(), Compare) + " " +
                      stringifyCmpFPredicate(o.getPredicate()).str() + " " +
                      operand(o.getRhs(), Compare + 1) + ")",
                  Not};
        })
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
        .Case([&](SoftplusOp o) { return call(o, "softplus"); })
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
};

/// Ops worth a name when used more than once (not constants or params).
static bool isWorthNaming(Operation *op) {
  return op->getNumResults() == 1 && isa<FloatType>(op->getResult(0).getType()) &&
         !isa<arith::ConstantOp, ParamOp>(op) && !op->hasOneUse() &&
         !op->use_empty();
}

static std::string paramList(ActivationOp activation, bool withGradient) {
  std::string text = "x";
  if (withGradient)
    text += ", dy";
  for (Attribute attr : activation.getParams()) {
    auto param = cast<ParamAttr>(attr);
    SmallString<32> value;
    param.getDefaultValue().toString(value, 0, 0);
    text += ", ";
    text += param.getRuntime() ? "param " : "";
    text += param.getName().str() + " = " + std::string(value);
  }
  return text;
}

} // namespace

std::string actc::formatActExpression(ActivationOp activation,
                                      unsigned resultIndex) {
  llvm::DenseMap<Value, std::string> none;
  auto ret = cast<ReturnOp>(activation.getBody().front().getTerminator());
  return ExpressionWriter(none).format(ret.getValues()[resultIndex]).text;
}

void actc::writeActSource(ActivationOp activation, raw_ostream &os) {
  Block &body = activation.getBody().front();
  auto ret = cast<ReturnOp>(body.getTerminator());
  bool isGradient = static_cast<bool>(activation.getGradOf());

  // Name every multiply-used value, in program order, so each local is
  // defined before its uses.
  llvm::DenseMap<Value, std::string> named;
  SmallVector<std::pair<std::string, std::string>> locals;
  ExpressionWriter writer(named);
  for (Operation &op : body.without_terminator()) {
    if (!isWorthNaming(&op))
      continue;
    std::string expression = writer.format(op.getResult(0)).text;
    std::string name = "t" + std::to_string(locals.size() + 1);
    locals.push_back({name, expression});
    named[op.getResult(0)] = name;
  }

  SmallVector<std::string> params{""};
  for (ParamAttr param : activation.getRuntimeParams())
    params.push_back(("_" + param.getName()).str());
  for (auto [index, value] : llvm::enumerate(ret.getValues())) {
    std::string result = writer.format(value).text;
    if (isGradient)
      result = "dy * " + (ExpressionWriter(named).format(value).precedence <
                                  Multiplicative
                              ? "(" + result + ")"
                              : result);
    std::string name = activation.getSymName().str() + params[index];
    std::string header =
        "act " + name + "(" + paramList(activation, isGradient) + ")";
    if (locals.empty()) {
      os << header << " = " << result << "\n";
      continue;
    }
    os << header << " {\n";
    for (auto &[local, expression] : locals)
      os << "  " << local << " = " << expression << "\n";
    os << "  return " << result << "\n}\n";
  }
}
