//===- Lexer.h - tokens of the .act language --------------------*- C++ -*-===//
//
// The lexer turns one `.act` buffer into a token vector. Newlines are tokens
// (they end statements) except inside parentheses, where a formula may span
// lines. Lexical errors become `Error` tokens carrying their message, so the
// parser reports them, located, when it reaches them.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_LIB_FRONTEND_LEXER_H
#define ACTC_LIB_FRONTEND_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <vector>

namespace actc {
namespace frontend {

enum class TokenKind {
  Eof,
  Error,
  Newline,
  Semicolon,
  Identifier,
  Number,
  // Keywords.
  KwAct,
  KwReturn,
  KwParam,
  KwAnd,
  KwOr,
  KwNot,
  // Punctuation.
  LParen,
  RParen,
  LBrace,
  RBrace,
  Comma,
  Equal,
  EqualEqual,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  Question,
  Colon,
};

/// One token: its kind and its text, which points into the source buffer.
struct Token {
  TokenKind kind;
  llvm::StringRef spelling;
  /// For `Error` tokens, what is wrong; for `Number`, the value.
  std::string message;
  double number = 0;

  bool is(TokenKind k) const { return kind == k; }
  llvm::SMLoc getLoc() const {
    return llvm::SMLoc::getFromPointer(spelling.data());
  }
  /// One past the last character of the token.
  const char *getEnd() const { return spelling.data() + spelling.size(); }
};

/// Splits `buffer` into tokens; the last one is always `Eof`.
std::vector<Token> tokenize(llvm::StringRef buffer);

/// Parses the text of a number literal (`1`, `0.5`, `1e-3`, `2.`, `.5`).
/// Returns the value, or the reason the text is not a valid literal.
std::optional<double> parseNumberLiteral(llvm::StringRef text,
                                         std::string *error = nullptr);

/// How a token reads in a diagnostic: "'foo'", "')'", "end of file".
std::string describe(const Token &token);

} // namespace frontend
} // namespace actc

#endif // ACTC_LIB_FRONTEND_LEXER_H
