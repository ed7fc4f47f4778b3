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

#include "ParserImpl.h"

using namespace mlir;
using namespace actc::frontend;
using namespace actc::frontend::detail;

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
