//===- ParseExpressions.cpp - operators by precedence ---------------------===//
//
// Expressions, loosest first: `?:`, `or`, `and`, `not`, comparisons, `+ -`,
// `* /`, unary `-`, `^` (right-associative), then primaries: numbers,
// parenthesized expressions, names and calls.
//
//===----------------------------------------------------------------------===//

#include "ParserImpl.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace actc::frontend;
using namespace actc::frontend::detail;

Value Parser::requireNumber(Value value, SMLoc loc) {
  if (!value || isa<FloatType>(value.getType()))
    return value;
  emitError(loc, "expected a number, but this is a condition");
  return nullptr;
}

Value Parser::requireCondition(Value value, SMLoc loc) {
  if (!value || value.getType().isInteger(1))
    return value;
  emitError(loc, "expected a condition (a comparison such as 'x > 0'), but "
                 "this is a number");
  return nullptr;
}

Value Parser::parseExpr() { return parseTernary(); }

bool Parser::tooDeep() {
  if (depth <= maxNestingDepth)
    return false;
  emitError(tok().getLoc(), "expression nested too deeply (more than " +
                                Twine(maxNestingDepth) + " levels)");
  return true;
}

Value Parser::parseTernary() {
  NestingGuard guard(depth);
  if (tooDeep())
    return nullptr;
  SMLoc conditionLoc = tok().getLoc();
  Value condition = parseOr();
  if (!condition || !atOperator(TokenKind::Question))
    return condition;
  const Token &question = tok();
  consume();
  if (!requireCondition(condition, conditionLoc))
    return nullptr;
  skipNewlines();
  SMLoc trueLoc = tok().getLoc();
  Value trueValue = requireNumber(parseTernary(), trueLoc);
  if (!trueValue)
    return nullptr;
  if (!atOperator(TokenKind::Colon)) {
    (void)emitExpected("':' in the choice 'condition ? a : b'");
    return nullptr;
  }
  consume();
  skipNewlines();
  SMLoc falseLoc = tok().getLoc();
  Value falseValue = requireNumber(parseTernary(), falseLoc);
  if (!falseValue)
    return nullptr;
  return arith::SelectOp::create(builder, getLoc(question), condition,
                                 trueValue, falseValue);
}

Value Parser::parseLeftAssociative(
    Value (Parser::*parseOperand)(), ArrayRef<TokenKind> kinds,
    OperandKind operandKind,
    llvm::function_ref<Value(const Token &op, Value lhs, Value rhs)> build) {
  auto require = [&](Value value, SMLoc loc) {
    return operandKind == OperandKind::Condition ? requireCondition(value, loc)
                                                 : requireNumber(value, loc);
  };
  SMLoc lhsLoc = tok().getLoc();
  Value lhs = (this->*parseOperand)();
  while (lhs && atOperator(kinds)) {
    const Token &op = tok();
    consume();
    skipNewlines();
    SMLoc rhsLoc = tok().getLoc();
    Value rhs = require((this->*parseOperand)(), rhsLoc);
    if (!rhs || !require(lhs, lhsLoc))
      return nullptr;
    lhs = build(op, lhs, rhs);
  }
  return lhs;
}

Value Parser::parseOr() {
  return parseLeftAssociative(
      &Parser::parseAnd, TokenKind::KwOr, OperandKind::Condition,
      [&](const Token &op, Value lhs, Value rhs) -> Value {
        return arith::OrIOp::create(builder, getLoc(op), lhs, rhs);
      });
}

Value Parser::parseAnd() {
  return parseLeftAssociative(
      &Parser::parseNot, TokenKind::KwAnd, OperandKind::Condition,
      [&](const Token &op, Value lhs, Value rhs) -> Value {
        return arith::AndIOp::create(builder, getLoc(op), lhs, rhs);
      });
}

Value Parser::parsePrefix(
    TokenKind kind, Value (Parser::*parseOperand)(),
    Value (Parser::*parseNext)(), OperandKind operandKind,
    llvm::function_ref<Value(const Token &op, Value operand)> build) {
  if (!tok().is(kind))
    return (this->*parseNext)();
  NestingGuard guard(depth);
  if (tooDeep())
    return nullptr;
  const Token &op = tok();
  consume();
  SMLoc operandLoc = tok().getLoc();
  Value operand = (this->*parseOperand)();
  operand = operandKind == OperandKind::Condition
                ? requireCondition(operand, operandLoc)
                : requireNumber(operand, operandLoc);
  if (!operand)
    return nullptr;
  return build(op, operand);
}

Value Parser::parseNot() {
  return parsePrefix(
      TokenKind::KwNot, &Parser::parseNot, &Parser::parseComparison,
      OperandKind::Condition, [&](const Token &op, Value operand) -> Value {
        Value trueValue = arith::ConstantOp::create(builder, getLoc(op),
                                                    builder.getBoolAttr(true));
        return arith::XOrIOp::create(builder, getLoc(op), operand, trueValue);
      });
}

/// The predicate of a comparison token, or none.
static std::optional<arith::CmpFPredicate> getPredicate(TokenKind kind) {
  switch (kind) {
  case TokenKind::Less:
    return arith::CmpFPredicate::OLT;
  case TokenKind::LessEqual:
    return arith::CmpFPredicate::OLE;
  case TokenKind::Greater:
    return arith::CmpFPredicate::OGT;
  case TokenKind::GreaterEqual:
    return arith::CmpFPredicate::OGE;
  case TokenKind::EqualEqual:
    return arith::CmpFPredicate::OEQ;
  case TokenKind::NotEqual:
    // True for unordered operands, so `x != x` tests for NaN.
    return arith::CmpFPredicate::UNE;
  default:
    return std::nullopt;
  }
}

static constexpr TokenKind comparisonKinds[] = {
    TokenKind::Less,         TokenKind::LessEqual,  TokenKind::Greater,
    TokenKind::GreaterEqual, TokenKind::EqualEqual, TokenKind::NotEqual};

Value Parser::parseComparison() {
  SMLoc lhsLoc = tok().getLoc();
  Value lhs = parseAdditive();
  if (!lhs || !atOperator(comparisonKinds))
    return lhs;
  const Token &op = tok();
  consume();
  skipNewlines();
  SMLoc rhsLoc = tok().getLoc();
  Value rhs = requireNumber(parseAdditive(), rhsLoc);
  if (!rhs || !requireNumber(lhs, lhsLoc))
    return nullptr;
  if (atOperator(comparisonKinds)) {
    emitError(tok().getLoc(), "comparisons do not chain: write 'a < b and "
                              "b < c'");
    return nullptr;
  }
  return arith::CmpFOp::create(builder, getLoc(op), *getPredicate(op.kind), lhs,
                               rhs);
}

Value Parser::parseAdditive() {
  return parseLeftAssociative(
      &Parser::parseMultiplicative, {TokenKind::Plus, TokenKind::Minus},
      OperandKind::Number, [&](const Token &op, Value lhs, Value rhs) -> Value {
        if (op.is(TokenKind::Plus))
          return arith::AddFOp::create(builder, getLoc(op), lhs, rhs);
        return arith::SubFOp::create(builder, getLoc(op), lhs, rhs);
      });
}

Value Parser::parseMultiplicative() {
  return parseLeftAssociative(
      &Parser::parseUnary, {TokenKind::Star, TokenKind::Slash},
      OperandKind::Number, [&](const Token &op, Value lhs, Value rhs) -> Value {
        if (op.is(TokenKind::Star))
          return arith::MulFOp::create(builder, getLoc(op), lhs, rhs);
        return arith::DivFOp::create(builder, getLoc(op), lhs, rhs);
      });
}

Value Parser::parseUnary() {
  return parsePrefix(
      TokenKind::Minus, &Parser::parseUnary, &Parser::parsePower,
      OperandKind::Number, [&](const Token &op, Value operand) -> Value {
        return arith::NegFOp::create(builder, getLoc(op), operand);
      });
}

Value Parser::parsePower() {
  SMLoc baseLoc = tok().getLoc();
  Value base = parsePrimary();
  if (!base || !atOperator(TokenKind::Caret))
    return base;
  const Token &op = tok();
  consume();
  skipNewlines();
  NestingGuard guard(depth);
  if (tooDeep())
    return nullptr;
  // The exponent may itself be negated or a power: right-associative.
  SMLoc exponentLoc = tok().getLoc();
  Value exponent = requireNumber(parseUnary(), exponentLoc);
  if (!exponent || !requireNumber(base, baseLoc))
    return nullptr;
  return math::PowFOp::create(builder, getLoc(op), base, exponent);
}

Value Parser::parsePrimary() {
  const Token &token = tok();
  switch (token.kind) {
  case TokenKind::Number:
    consume();
    return buildConstant(builder, getLoc(token), token.number);
  case TokenKind::LParen: {
    consume();
    Value value = parseExpr();
    if (!value)
      return nullptr;
    if (!consumeIf(TokenKind::RParen)) {
      (void)emitExpected("')'");
      return nullptr;
    }
    return value;
  }
  case TokenKind::Identifier:
    if (peekToken().is(TokenKind::LParen))
      return parseCall();
    return parseName();
  default:
    (void)emitExpected("an expression");
    return nullptr;
  }
}

Value Parser::parseName() {
  const Token &name = tok();
  consume();
  StringRef spelling = name.spelling;
  auto local = scope->locals.find(spelling);
  if (local != scope->locals.end())
    return local->second;
  if (spelling == scope->inputName)
    return scope->input;
  if (scope->op.lookupParam(spelling))
    return act::ParamOp::create(builder, getLoc(name), f64, spelling);
  if (std::optional<double> value = lookupBuiltinConstant(spelling))
    return buildConstant(builder, getLoc(name), *value);
  if (lookupBuiltinFunction(spelling) || state.activations.count(spelling) ||
      spelling == scope->name) {
    emitError(name.getLoc(), "'" + spelling +
                                 "' is a function: call it, "
                                 "e.g. '" +
                                 spelling + "(x)'");
    return nullptr;
  }
  emitError(name.getLoc(), "unknown name '" + spelling + "'");
  return nullptr;
}
