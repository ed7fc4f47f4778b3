//===- ParseCalls.cpp - calls of functions and activations ----------------===//
//
// A call `f(a, name = b)` is either a built-in elementary function (built
// inline) or an earlier activation (an `act.call` passing every parameter,
// defaults filled in).
//
//===----------------------------------------------------------------------===//

#include "ParserImpl.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace actc::frontend;
using namespace actc::frontend::detail;

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
