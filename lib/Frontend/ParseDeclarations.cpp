//===- ParseDeclarations.cpp - `act NAME(x, ...) = ...` -------------------===//
//
// Declarations: the name, the input element, the parameters with their
// defaults and `-D` overrides, and the body (one expression, or a block of
// assignments ending in `return`).
//
//===----------------------------------------------------------------------===//

#include "ParserImpl.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace actc::frontend;
using namespace actc::frontend::detail;

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
