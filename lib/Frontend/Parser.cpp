//===- Parser.cpp - .act declarations to act.activation ops ---------------===//
//
// A recursive-descent parser that builds the act dialect directly: each
// expression becomes arith/math/act ops in the activation's body as it is
// read. Precedence, loosest first: `?:`, `or`, `and`, `not`, comparisons,
// `+ -`, `* /`, unary `-`, `^` (right-associative), calls.
//
// A statement ends at a newline or `;`. A formula may go on over several
// lines inside parentheses, after an operator, or when the next line starts
// with an operator.
//
//===----------------------------------------------------------------------===//

#include "Parser.h"

#include "Builtins.h"
#include "Lexer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallVector.h"

using namespace mlir;
using namespace actc::frontend;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// True when `value` is computed, directly or through calls of row
/// activations, from a row reduction.
static bool usesRowReduction(Value value, const FrontendState &state) {
  SmallVector<Value> worklist{value};
  llvm::DenseSet<Operation *> visited;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val().getDefiningOp();
    if (!op || !visited.insert(op).second)
      continue;
    if (isa<act::RowSumOp, act::RowMaxOp>(op))
      return true;
    if (auto call = dyn_cast<act::CallOp>(op)) {
      auto it = state.activations.find(call.getCallee());
      if (it != state.activations.end() && it->second.isRow)
        return true;
    }
    llvm::append_range(worklist, op->getOperands());
  }
  return false;
}

/// True when the body of `op` uses a row reduction, directly or through a
/// call of a row activation (even in a local nothing reads: the dialect's
/// `isRowActivation` counts those too).
static bool isRowBody(act::ActivationOp op, const FrontendState &state) {
  WalkResult result = op.getBody().walk([&](Operation *nested) {
    if (isa<act::RowSumOp, act::RowMaxOp>(nested))
      return WalkResult::interrupt();
    if (auto call = dyn_cast<act::CallOp>(nested)) {
      auto it = state.activations.find(call.getCallee());
      if (it != state.activations.end() && it->second.isRow)
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// "1 parameter (alpha)", "2 parameters (beta, threshold)".
static std::string describeParams(act::ActivationOp op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  size_t count = op.getParams().size();
  os << count << (count == 1 ? " parameter (" : " parameters (");
  llvm::interleaveComma(op.getParams(), os, [&](Attribute attr) {
    os << cast<act::ParamAttr>(attr).getName();
  });
  os << ")";
  return text;
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

namespace {

/// One argument of a call as written.
struct CallArgument {
  /// The parameter name of a named argument (`alpha = 0.2`), else empty.
  StringRef name;
  SMLoc nameLoc;
  SMLoc loc;
  Value value;
};

/// The activation whose body is being parsed.
struct Scope {
  StringRef name;
  act::ActivationOp op;
  StringRef inputName;
  Value input;
  llvm::StringMap<Value> locals;
  llvm::StringMap<SMLoc> localLocs;
};

class Parser {
public:
  Parser(FrontendState &state, unsigned bufferId, bool isPrelude);

  LogicalResult parseFile();

private:
  //===--- Tokens ---------------------------------------------------------===//

  const Token &tok() const { return tokens[index]; }
  const Token &peekToken(size_t ahead = 1) const {
    return tokens[std::min(index + ahead, tokens.size() - 1)];
  }
  void consume() {
    if (!tok().is(TokenKind::Eof))
      ++index;
  }
  bool consumeIf(TokenKind kind) {
    if (!tok().is(kind))
      return false;
    consume();
    return true;
  }
  bool atSeparator() const {
    return tok().is(TokenKind::Newline) || tok().is(TokenKind::Semicolon);
  }
  void skipSeparators() {
    while (atSeparator())
      consume();
  }
  void skipNewlines() {
    while (tok().is(TokenKind::Newline))
      consume();
  }
  /// True when the current token, or the first one after line breaks, is
  /// one of `kinds`: an operator that starts a line continues the formula.
  /// Moves past the line breaks in that case.
  bool atOperator(ArrayRef<TokenKind> kinds);

  //===--- Diagnostics ----------------------------------------------------===//

  Location getLoc(SMLoc loc);
  Location getLoc(const Token &token) { return getLoc(token.getLoc()); }
  InFlightDiagnostic emitError(SMLoc loc, const Twine &message) {
    return mlir::emitError(getLoc(loc), message);
  }
  /// Reports that the current token is not `what`; a lexical error token
  /// reports its own message instead.
  LogicalResult emitExpected(const Twine &what);

  //===--- Declarations ---------------------------------------------------===//

  LogicalResult parseActivation();
  LogicalResult checkNewName(const Token &name);
  LogicalResult parseParamDefault(StringRef paramName, double &value);
  LogicalResult applyOverrides(StringRef name, SMLoc nameLoc,
                               SmallVectorImpl<act::ParamAttr> &params);
  LogicalResult parseExpressionBody(std::string &formula, Value &result,
                                    SMLoc &resultLoc);
  LogicalResult parseBlockBody(std::string &formula, Value &result,
                               SMLoc &resultLoc);
  LogicalResult parseLocal();
  /// The source text of tokens [begin, end), blanks and comments collapsed
  /// to single spaces.
  std::string textOf(size_t begin, size_t end) const;

  //===--- Expressions ----------------------------------------------------===//

  Value parseExpr();
  /// Reports an expression nested more than `maxNestingDepth` levels.
  bool tooDeep();
  Value parseTernary();
  Value parseOr();
  Value parseAnd();
  Value parseNot();
  Value parseComparison();
  Value parseAdditive();
  Value parseMultiplicative();
  Value parseUnary();
  Value parsePower();
  Value parsePrimary();
  Value parseCall();
  Value parseName();
  Value buildActivationCall(const Token &name, const ActivationInfo &callee,
                            ArrayRef<CallArgument> args, SMLoc closeLoc);
  Value buildBuiltinCall(const Token &name, const BuiltinFunction &builtin,
                         ArrayRef<CallArgument> args);
  LogicalResult reportUnknownCallee(const Token &name);

  /// `value` if it is a number; otherwise reports that a condition was
  /// used as a number (at `loc`) and returns null.
  Value requireNumber(Value value, SMLoc loc);
  /// `value` if it is a condition (i1); otherwise reports and returns null.
  Value requireCondition(Value value, SMLoc loc);

  FrontendState &state;
  unsigned bufferId;
  bool isPrelude;
  StringAttr fileName;
  std::vector<Token> tokens;
  size_t index = 0;
  /// Every `act NAME` of this buffer: the token index of the name.
  llvm::StringMap<size_t> declaredHere;
  OpBuilder builder;
  Type f64;
  /// The activation being parsed.
  Scope *scope = nullptr;
  /// How deeply the expression being parsed nests (parentheses, operands of
  /// unary operators, branches of choices); bounded so that a pathological
  /// input reports an error instead of overflowing the stack.
  unsigned depth = 0;
};

/// Counts one level of expression nesting for as long as it lives.
class NestingGuard {
public:
  explicit NestingGuard(unsigned &depth) : depth(depth) { ++depth; }
  ~NestingGuard() { --depth; }
  NestingGuard(const NestingGuard &) = delete;
  NestingGuard &operator=(const NestingGuard &) = delete;

private:
  unsigned &depth;
};

/// The deepest expression nesting the parser accepts.
constexpr unsigned maxNestingDepth = 256;
} // namespace

Parser::Parser(FrontendState &state, unsigned bufferId, bool isPrelude)
    : state(state), bufferId(bufferId), isPrelude(isPrelude),
      builder(state.module.getContext()) {
  const llvm::MemoryBuffer *buffer = state.sourceMgr.getMemoryBuffer(bufferId);
  fileName = builder.getStringAttr(buffer->getBufferIdentifier());
  tokens = tokenize(buffer->getBuffer());
  f64 = builder.getF64Type();
  for (size_t i = 0; i + 1 < tokens.size(); ++i)
    if (tokens[i].is(TokenKind::KwAct) &&
        tokens[i + 1].is(TokenKind::Identifier))
      declaredHere.try_emplace(tokens[i + 1].spelling, i + 1);
}

bool Parser::atOperator(ArrayRef<TokenKind> kinds) {
  size_t next = index;
  while (tokens[next].is(TokenKind::Newline))
    ++next;
  if (!llvm::is_contained(kinds, tokens[next].kind))
    return false;
  index = next;
  return true;
}

Location Parser::getLoc(SMLoc loc) {
  auto [line, column] = state.sourceMgr.getLineAndColumn(loc, bufferId);
  return FileLineColLoc::get(fileName, line, column);
}

LogicalResult Parser::emitExpected(const Twine &what) {
  const Token &token = tok();
  if (token.is(TokenKind::Error))
    return emitError(token.getLoc(), token.message);
  return emitError(token.getLoc(),
                   "expected " + what + ", got " + describe(token));
}

std::string Parser::textOf(size_t begin, size_t end) const {
  std::string text;
  const char *previousEnd = nullptr;
  for (size_t i = begin; i < end; ++i) {
    const Token &token = tokens[i];
    if (token.is(TokenKind::Newline))
      continue;
    if (previousEnd && previousEnd != token.spelling.data())
      text += ' ';
    text += token.spelling;
    previousEnd = token.getEnd();
  }
  return text;
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

LogicalResult Parser::parseFile() {
  skipSeparators();
  while (!tok().is(TokenKind::Eof)) {
    if (!tok().is(TokenKind::KwAct))
      return emitExpected("a declaration 'act NAME(x, ...) = ...'");
    if (failed(parseActivation()))
      return failure();
    if (!atSeparator() && !tok().is(TokenKind::Eof))
      return emitExpected("the end of the line after the declaration");
    skipSeparators();
  }
  return success();
}

LogicalResult Parser::checkNewName(const Token &name) {
  StringRef spelling = name.spelling;
  if (!isPrelude && lookupBuiltinFunction(spelling) &&
      !state.activations.count(spelling))
    return emitError(name.getLoc(), "'" + spelling +
                                        "' is an elementary function and "
                                        "cannot be redefined");
  auto it = state.activations.find(spelling);
  if (it == state.activations.end())
    return success();
  if (it->second.fromPrelude && !isPrelude) {
    InFlightDiagnostic diag =
        emitError(name.getLoc(), "'" + spelling +
                                     "' is already defined by the prelude; "
                                     "choose another name");
    diag.attachNote(it->second.op.getLoc()) << "the prelude defines it here";
    return diag;
  }
  InFlightDiagnostic diag =
      emitError(name.getLoc(), "redefinition of '" + spelling + "'");
  diag.attachNote(it->second.op.getLoc()) << "previous definition is here";
  return diag;
}

LogicalResult Parser::parseParamDefault(StringRef paramName, double &value) {
  bool negate = consumeIf(TokenKind::Minus);
  const Token &token = tok();
  if (token.is(TokenKind::Number)) {
    value = token.number;
  } else if (std::optional<double> constant =
                 token.is(TokenKind::Identifier)
                     ? lookupBuiltinConstant(token.spelling)
                     : std::nullopt) {
    value = *constant;
  } else {
    return emitExpected("a number as the default of '" + paramName + "'");
  }
  consume();
  if (negate)
    value = -value;
  return success();
}

LogicalResult Parser::applyOverrides(StringRef name, SMLoc nameLoc,
                                     SmallVectorImpl<act::ParamAttr> &params) {
  for (Override &override : state.overrides) {
    if (override.activation != name)
      continue;
    override.matched = true;
    auto it = llvm::find_if(params, [&](act::ParamAttr param) {
      return param.getName() == override.param;
    });
    if (it == params.end()) {
      InFlightDiagnostic diag = mlir::emitError(override.paramLoc)
                                << "activation '" << name
                                << "' has no parameter '" << override.param
                                << "'";
      diag.attachNote(getLoc(nameLoc)) << "'" << name << "' is declared here";
      return diag;
    }
    if (it->getRuntime()) {
      InFlightDiagnostic diag =
          mlir::emitError(override.paramLoc)
          << "'" << override.param << "' of '" << name
          << "' is a runtime argument ('param'): the kernels take it as an "
             "argument, -D sets only compile-time parameters";
      diag.attachNote(getLoc(nameLoc)) << "'" << name << "' is declared here";
      return diag;
    }
    *it = act::ParamAttr::get(builder.getContext(), it->getName(),
                              llvm::APFloat(override.value),
                              /*runtime=*/false);
  }
  return success();
}

LogicalResult Parser::parseActivation() {
  consume(); // 'act'
  if (!tok().is(TokenKind::Identifier))
    return emitExpected("an activation name after 'act'");
  const Token &name = tok();
  if (failed(checkNewName(name)))
    return failure();
  consume();
  if (!consumeIf(TokenKind::LParen))
    return emitExpected("'(' after '" + name.spelling + "'");

  // The input element, then the parameters with their defaults.
  if (tok().is(TokenKind::KwParam))
    return emitError(tok().getLoc(),
                     "the first argument of '" + name.spelling +
                         "' is the input element; it cannot be a 'param'");
  if (tok().is(TokenKind::RParen))
    return emitError(tok().getLoc(), "'" + name.spelling +
                                         "' needs the input element as its "
                                         "first argument, e.g. '" +
                                         name.spelling + "(x)'");
  if (!tok().is(TokenKind::Identifier))
    return emitExpected("the name of the input element");
  const Token &input = tok();
  consume();
  if (tok().is(TokenKind::Equal))
    return emitError(tok().getLoc(), "the input element '" + input.spelling +
                                         "' cannot have a default");

  SmallVector<act::ParamAttr> params;
  SmallVector<unsigned> required;
  llvm::StringMap<SMLoc> paramLocs;
  while (consumeIf(TokenKind::Comma)) {
    bool runtime = consumeIf(TokenKind::KwParam);
    if (!tok().is(TokenKind::Identifier))
      return emitExpected("a parameter name");
    const Token &paramName = tok();
    consume();
    if (paramName.spelling == input.spelling)
      return emitError(paramName.getLoc(),
                       "parameter '" + paramName.spelling +
                           "' has the name of the input element");
    if (paramLocs.count(paramName.spelling)) {
      InFlightDiagnostic diag =
          emitError(paramName.getLoc(),
                    "parameter '" + paramName.spelling + "' is declared twice");
      diag.attachNote(getLoc(paramLocs[paramName.spelling]))
          << "first declared here";
      return diag;
    }
    paramLocs[paramName.spelling] = paramName.getLoc();
    // Without a default, a parameter is a runtime one that every call must
    // pass (`dy` of the gradients `actc --emit=act-grad` prints); 0 only
    // fills the attribute.
    double value = 0;
    if (!consumeIf(TokenKind::Equal)) {
      runtime = true;
      required.push_back(params.size());
    } else if (failed(parseParamDefault(paramName.spelling, value))) {
      return failure();
    }
    params.push_back(act::ParamAttr::get(builder.getContext(),
                                         paramName.spelling,
                                         llvm::APFloat(value), runtime));
  }
  if (!consumeIf(TokenKind::RParen))
    return emitExpected("',' or ')' in the arguments of '" + name.spelling +
                        "'");
  if (failed(applyOverrides(name.spelling, name.getLoc(), params)))
    return failure();

  // The op, then its body.
  builder.setInsertionPointToEnd(state.module.getBody());
  SmallVector<Attribute> paramAttrs(params.begin(), params.end());
  // Built generically and then filled in, so that optional attributes
  // added to the op later need no change here.
  OperationState opState(getLoc(name), act::ActivationOp::getOperationName());
  opState.addRegion();
  auto op = cast<act::ActivationOp>(builder.create(opState));
  op.setSymName(name.spelling);
  op.setParamsAttr(builder.getArrayAttr(paramAttrs));
  Block *body = new Block();
  op.getBody().push_back(body);
  Value x = body->addArgument(f64, getLoc(input));

  Scope current{name.spelling, op, input.spelling, x, {}, {}};
  scope = &current;
  llvm::scope_exit resetScope([&] { scope = nullptr; });
  builder.setInsertionPointToEnd(body);

  std::string formula;
  Value result;
  SMLoc resultLoc;
  if (tok().is(TokenKind::Equal)) {
    consume();
    if (failed(parseExpressionBody(formula, result, resultLoc)))
      return failure();
  } else if (tok().is(TokenKind::LBrace)) {
    if (failed(parseBlockBody(formula, result, resultLoc)))
      return failure();
  } else {
    return emitExpected("'=' or '{' after the arguments of '" + name.spelling +
                        "'");
  }
  if (!requireNumber(result, resultLoc))
    return failure();
  act::ReturnOp::create(builder, getLoc(resultLoc), result);
  op.setFormulaAttr(builder.getStringAttr(formula));

  // Remember it for the declarations that follow.
  ActivationInfo info;
  info.op = op;
  info.fromPrelude = isPrelude;
  info.isRow = isRowBody(op, state);
  info.required = std::move(required);
  state.activations[name.spelling] = info;
  state.order.push_back(name.spelling.str());
  return success();
}

LogicalResult Parser::parseExpressionBody(std::string &formula, Value &result,
                                          SMLoc &resultLoc) {
  skipNewlines();
  size_t begin = index;
  resultLoc = tok().getLoc();
  result = parseExpr();
  if (!result)
    return failure();
  if (!atSeparator() && !tok().is(TokenKind::Eof))
    return emitExpected("the end of the line after the declaration");
  formula = textOf(begin, index);
  return success();
}

LogicalResult Parser::parseLocal() {
  const Token &name = tok();
  consume(); // the name
  consume(); // '='
  StringRef spelling = name.spelling;
  if (spelling == scope->inputName)
    return emitError(name.getLoc(),
                     "cannot assign to the input element '" + spelling + "'");
  if (scope->op.lookupParam(spelling))
    return emitError(name.getLoc(), "cannot assign to '" + spelling +
                                        "': it is a parameter of '" +
                                        scope->name + "'");
  auto previous = scope->localLocs.find(spelling);
  if (previous != scope->localLocs.end()) {
    InFlightDiagnostic diag =
        emitError(name.getLoc(), "'" + spelling +
                                     "' is assigned twice; a name is "
                                     "assigned once in a body");
    diag.attachNote(getLoc(previous->second)) << "first assigned here";
    return diag;
  }
  skipNewlines();
  Value value = parseExpr();
  if (!value)
    return failure();
  scope->locals[spelling] = value;
  scope->localLocs[spelling] = name.getLoc();
  return success();
}

LogicalResult Parser::parseBlockBody(std::string &formula, Value &result,
                                     SMLoc &resultLoc) {
  const Token &open = tok();
  consume(); // '{'
  auto unterminated = [&]() -> LogicalResult {
    return emitError(open.getLoc(), "unterminated block: this '{' of '" +
                                        scope->name + "' has no matching '}'");
  };
  SmallVector<std::string> statements;
  skipSeparators();
  while (true) {
    if (tok().is(TokenKind::Eof) || tok().is(TokenKind::KwAct))
      return unterminated();
    if (tok().is(TokenKind::RBrace))
      return emitError(tok().getLoc(),
                       "missing 'return' in the body of '" + scope->name + "'");
    size_t begin = index;
    if (tok().is(TokenKind::KwReturn)) {
      consume();
      skipNewlines();
      resultLoc = tok().getLoc();
      result = parseExpr();
      if (!result)
        return failure();
      statements.push_back(textOf(begin, index));
      if (!atSeparator() && !tok().is(TokenKind::RBrace))
        return emitExpected("the end of the line after the 'return' "
                            "statement");
      skipSeparators();
      if (tok().is(TokenKind::Eof) || tok().is(TokenKind::KwAct))
        return unterminated();
      if (!tok().is(TokenKind::RBrace))
        return emitExpected("'}' after the 'return' statement of '" +
                            scope->name + "'");
      consume();
      formula = llvm::join(statements, "; ");
      return success();
    }
    if (!tok().is(TokenKind::Identifier))
      return emitExpected("a statement ('name = expression' or 'return "
                          "expression')");
    if (!peekToken().is(TokenKind::Equal)) {
      if (peekToken().is(TokenKind::Error))
        return emitError(peekToken().getLoc(), peekToken().message);
      return emitError(peekToken().getLoc(),
                       "expected '=' after '" + tok().spelling +
                           "' (a statement is 'name = expression' or "
                           "'return expression'), got " +
                           describe(peekToken()));
    }
    if (failed(parseLocal()))
      return failure();
    statements.push_back(textOf(begin, index));
    if (tok().is(TokenKind::RBrace))
      return emitError(tok().getLoc(),
                       "missing 'return' in the body of '" + scope->name + "'");
    if (!atSeparator()) {
      if (tok().is(TokenKind::Eof))
        return unterminated();
      return emitExpected("the end of the line after the statement");
    }
    skipSeparators();
  }
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

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

Value Parser::parseOr() {
  SMLoc lhsLoc = tok().getLoc();
  Value lhs = parseAnd();
  while (lhs && atOperator(TokenKind::KwOr)) {
    const Token &op = tok();
    consume();
    skipNewlines();
    SMLoc rhsLoc = tok().getLoc();
    Value rhs = requireCondition(parseAnd(), rhsLoc);
    if (!rhs || !requireCondition(lhs, lhsLoc))
      return nullptr;
    lhs = arith::OrIOp::create(builder, getLoc(op), lhs, rhs);
  }
  return lhs;
}

Value Parser::parseAnd() {
  SMLoc lhsLoc = tok().getLoc();
  Value lhs = parseNot();
  while (lhs && atOperator(TokenKind::KwAnd)) {
    const Token &op = tok();
    consume();
    skipNewlines();
    SMLoc rhsLoc = tok().getLoc();
    Value rhs = requireCondition(parseNot(), rhsLoc);
    if (!rhs || !requireCondition(lhs, lhsLoc))
      return nullptr;
    lhs = arith::AndIOp::create(builder, getLoc(op), lhs, rhs);
  }
  return lhs;
}

Value Parser::parseNot() {
  if (!tok().is(TokenKind::KwNot))
    return parseComparison();
  NestingGuard guard(depth);
  if (tooDeep())
    return nullptr;
  const Token &op = tok();
  consume();
  SMLoc operandLoc = tok().getLoc();
  Value operand = requireCondition(parseNot(), operandLoc);
  if (!operand)
    return nullptr;
  Value trueValue =
      arith::ConstantOp::create(builder, getLoc(op), builder.getBoolAttr(true));
  return arith::XOrIOp::create(builder, getLoc(op), operand, trueValue);
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
  SMLoc lhsLoc = tok().getLoc();
  Value lhs = parseMultiplicative();
  while (lhs && atOperator({TokenKind::Plus, TokenKind::Minus})) {
    const Token &op = tok();
    consume();
    skipNewlines();
    SMLoc rhsLoc = tok().getLoc();
    Value rhs = requireNumber(parseMultiplicative(), rhsLoc);
    if (!rhs || !requireNumber(lhs, lhsLoc))
      return nullptr;
    if (op.is(TokenKind::Plus))
      lhs = arith::AddFOp::create(builder, getLoc(op), lhs, rhs);
    else
      lhs = arith::SubFOp::create(builder, getLoc(op), lhs, rhs);
  }
  return lhs;
}

Value Parser::parseMultiplicative() {
  SMLoc lhsLoc = tok().getLoc();
  Value lhs = parseUnary();
  while (lhs && atOperator({TokenKind::Star, TokenKind::Slash})) {
    const Token &op = tok();
    consume();
    skipNewlines();
    SMLoc rhsLoc = tok().getLoc();
    Value rhs = requireNumber(parseUnary(), rhsLoc);
    if (!rhs || !requireNumber(lhs, lhsLoc))
      return nullptr;
    if (op.is(TokenKind::Star))
      lhs = arith::MulFOp::create(builder, getLoc(op), lhs, rhs);
    else
      lhs = arith::DivFOp::create(builder, getLoc(op), lhs, rhs);
  }
  return lhs;
}

Value Parser::parseUnary() {
  if (!tok().is(TokenKind::Minus))
    return parsePower();
  NestingGuard guard(depth);
  if (tooDeep())
    return nullptr;
  const Token &op = tok();
  consume();
  SMLoc operandLoc = tok().getLoc();
  Value operand = requireNumber(parseUnary(), operandLoc);
  if (!operand)
    return nullptr;
  return arith::NegFOp::create(builder, getLoc(op), operand);
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

LogicalResult Parser::reportUnknownCallee(const Token &name) {
  StringRef spelling = name.spelling;
  if (spelling == scope->name)
    return emitError(name.getLoc(),
                     "'" + spelling +
                         "' calls itself; recursion is not allowed");
  auto later = declaredHere.find(spelling);
  if (later != declaredHere.end()) {
    InFlightDiagnostic diag =
        emitError(name.getLoc(),
                  "'" + spelling + "' is declared after '" + scope->name +
                      "'; an activation can call only activations declared "
                      "before it (no recursion)");
    diag.attachNote(getLoc(tokens[later->second]))
        << "'" << spelling << "' is declared here";
    return diag;
  }
  if (scope->locals.count(spelling) || scope->op.lookupParam(spelling) ||
      spelling == scope->inputName)
    return emitError(name.getLoc(),
                     "'" + spelling + "' is a value, not a function");
  return emitError(name.getLoc(), "unknown function '" + spelling + "'");
}

Value Parser::parseCall() {
  const Token &name = tok();
  const BuiltinFunction *builtin = lookupBuiltinFunction(name.spelling);
  auto activation = state.activations.find(name.spelling);
  bool isActivation = activation != state.activations.end();
  if (!builtin && !isActivation) {
    (void)reportUnknownCallee(name);
    return nullptr;
  }
  consume(); // the name
  consume(); // '('

  SmallVector<CallArgument> args;
  bool sawNamed = false;
  if (!tok().is(TokenKind::RParen)) {
    while (true) {
      CallArgument arg;
      if (tok().is(TokenKind::Identifier) && peekToken().is(TokenKind::Equal)) {
        arg.name = tok().spelling;
        arg.nameLoc = tok().getLoc();
        consume();
        consume();
        sawNamed = true;
      } else if (sawNamed) {
        emitError(tok().getLoc(), "a positional argument cannot follow a "
                                  "named one");
        return nullptr;
      }
      arg.loc = tok().getLoc();
      arg.value = parseExpr();
      if (!arg.value)
        return nullptr;
      args.push_back(arg);
      if (!consumeIf(TokenKind::Comma))
        break;
    }
  }
  SMLoc closeLoc = tok().getLoc();
  if (!consumeIf(TokenKind::RParen)) {
    (void)emitExpected("',' or ')' in the arguments of '" + name.spelling +
                       "'");
    return nullptr;
  }

  // A name that is both an elementary function and an activation (sigmoid,
  // tanh, softplus) is the elementary function when called with the input
  // alone: the two are the same function then.
  if (builtin && (!isActivation || (args.size() == 1 && !sawNamed)))
    return buildBuiltinCall(name, *builtin, args);
  return buildActivationCall(name, activation->second, args, closeLoc);
}

Value Parser::buildBuiltinCall(const Token &name,
                               const BuiltinFunction &builtin,
                               ArrayRef<CallArgument> args) {
  for (const CallArgument &arg : args) {
    if (!arg.name.empty()) {
      emitError(arg.nameLoc, "'" + name.spelling +
                                 "' is an elementary function and takes no "
                                 "named arguments");
      return nullptr;
    }
  }
  if (args.size() != builtin.arity) {
    emitError(name.getLoc(),
              "'" + name.spelling + "' takes " + Twine(builtin.arity) +
                  (builtin.arity == 1 ? " argument" : " arguments") + ", but " +
                  Twine(args.size()) + (args.size() == 1 ? " was" : " were") +
                  " given");
    return nullptr;
  }
  SmallVector<Value> values;
  for (auto [position, arg] : llvm::enumerate(args)) {
    Value value = position == 0 && builtin.firstIsCondition
                      ? requireCondition(arg.value, arg.loc)
                      : requireNumber(arg.value, arg.loc);
    if (!value)
      return nullptr;
    values.push_back(value);
  }
  return builtin.build(builder, getLoc(name), values);
}

Value Parser::buildActivationCall(const Token &name,
                                  const ActivationInfo &callee,
                                  ArrayRef<CallArgument> args, SMLoc closeLoc) {
  act::ActivationOp op = callee.op;
  StringRef spelling = name.spelling;
  size_t numParams = op.getParams().size();
  if (args.empty() || !args.front().name.empty()) {
    emitError(args.empty() ? closeLoc : args.front().nameLoc,
              "'" + spelling +
                  "' needs the input element as its first argument");
    return nullptr;
  }
  size_t numPositional = llvm::count_if(
      args, [](const CallArgument &arg) { return arg.name.empty(); });
  if (numPositional > 1 + numParams) {
    std::string takes = numParams == 0
                            ? std::string("only the input element")
                            : "the input element and " + describeParams(op);
    emitError(args[1 + numParams].loc, "'" + spelling + "' takes " + takes +
                                           ", but " + Twine(numPositional) +
                                           " arguments were given");
    return nullptr;
  }

  Value input = requireNumber(args.front().value, args.front().loc);
  if (!input)
    return nullptr;
  SmallVector<Value> paramValues(numParams);
  for (const CallArgument &arg : args.drop_front()) {
    int64_t position;
    SMLoc where = arg.loc;
    if (arg.name.empty()) {
      position = &arg - args.data() - 1;
    } else {
      position = op.getParamIndex(arg.name);
      where = arg.nameLoc;
      if (position < 0) {
        InFlightDiagnostic diag =
            emitError(arg.nameLoc,
                      "'" + spelling + "' has no parameter '" + arg.name + "'");
        if (numParams == 0)
          diag << "; it takes only the input element";
        else
          diag << "; it takes " << describeParams(op);
        return nullptr;
      }
    }
    auto param = cast<act::ParamAttr>(op.getParams()[position]);
    if (paramValues[position]) {
      emitError(where, "parameter '" + param.getName() + "' of '" + spelling +
                           "' is given twice");
      return nullptr;
    }
    Value value = requireNumber(arg.value, arg.loc);
    if (!value)
      return nullptr;
    if (usesRowReduction(value, state)) {
      emitError(arg.loc,
                "row reduction in an elementwise context: the argument for "
                "parameter '" +
                    param.getName() + "' of '" + spelling +
                    "' uses rowsum/rowmax, but a parameter is one scalar for "
                    "the whole kernel");
      return nullptr;
    }
    paramValues[position] = value;
  }

  // A parameter without a default must be passed.
  for (unsigned position : callee.required) {
    if (paramValues[position])
      continue;
    auto param = cast<act::ParamAttr>(op.getParams()[position]);
    emitError(closeLoc, "'" + spelling + "' needs its parameter '" +
                            param.getName() + "', which has no default");
    return nullptr;
  }

  // A parameter not passed takes its default as a compile-time constant,
  // even a runtime `param` of the callee (SPEC.md).
  Location loc = getLoc(name);
  for (auto [value, attr] : llvm::zip(paramValues, op.getParams()))
    if (!value)
      value = buildConstant(
          builder, loc,
          cast<act::ParamAttr>(attr).getDefaultValue().convertToDouble());

  SmallVector<Value> operands{input};
  llvm::append_range(operands, paramValues);
  return act::CallOp::create(builder, loc, f64, op.getSymName(), operands);
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

LogicalResult actc::frontend::parseBuffer(FrontendState &state,
                                          unsigned bufferId, bool isPrelude) {
  return Parser(state, bufferId, isPrelude).parseFile();
}

std::vector<std::string> actc::frontend::scanDeclaredNames(StringRef source) {
  std::vector<Token> tokens = tokenize(source);
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < tokens.size(); ++i)
    if (tokens[i].is(TokenKind::KwAct) &&
        tokens[i + 1].is(TokenKind::Identifier))
      names.push_back(tokens[i + 1].spelling.str());
  return names;
}
