//===- ParserImpl.h - the recursive-descent parser's state ------*- C++ -*-===//
//
// The parser class behind `parseBuffer`, shared by the files that implement
// it: Parser.cpp (tokens, diagnostics, entry points), ParseDeclarations.cpp
// (`act` declarations and bodies), ParseExpressions.cpp (operators by
// precedence) and ParseCalls.cpp (calls of built-in functions and of other
// activations). Private to lib/Frontend.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_LIB_FRONTEND_PARSERIMPL_H
#define ACTC_LIB_FRONTEND_PARSERIMPL_H

#include "Builtins.h"
#include "Lexer.h"
#include "Parser.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

namespace actc {
namespace frontend {
namespace detail {

using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::SmallVectorImpl;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;
using mlir::InFlightDiagnostic;
using mlir::Location;
using mlir::LogicalResult;
using mlir::OpBuilder;
using mlir::StringAttr;
using mlir::Type;
using mlir::Value;
namespace act = mlir::act;

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
  /// What the operands of an operator must be.
  enum class OperandKind { Number, Condition };
  /// One precedence level of left-associative operators,
  /// `operand (op operand)*`: each operand parsed by `parseOperand` and
  /// checked to be of `operandKind`, each operator built by `build`.
  Value parseLeftAssociative(
      Value (Parser::*parseOperand)(), ArrayRef<TokenKind> kinds,
      OperandKind operandKind,
      llvm::function_ref<Value(const Token &op, Value lhs, Value rhs)> build);
  /// A prefix operator `kind operand` (the operand parsed by
  /// `parseOperand`, so prefixes repeat), or, without one, `parseNext`.
  Value
  parsePrefix(TokenKind kind, Value (Parser::*parseOperand)(),
              Value (Parser::*parseNext)(), OperandKind operandKind,
              llvm::function_ref<Value(const Token &op, Value operand)> build);
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

} // namespace detail
} // namespace frontend
} // namespace actc

#endif // ACTC_LIB_FRONTEND_PARSERIMPL_H
