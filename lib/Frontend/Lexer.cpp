//===- Lexer.cpp - tokens of the .act language ----------------------------===//
//
// Splits a `.act` buffer into tokens. Comments (`#` or `//` to the end of the
// line) and blanks vanish; newlines are kept as statement ends except inside
// parentheses.
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Error.h"

using namespace llvm;
using namespace actc::frontend;

std::optional<double> actc::frontend::parseNumberLiteral(StringRef text,
                                                         std::string *error) {
  auto fail = [&](const Twine &why) -> std::optional<double> {
    if (error)
      *error = why.str();
    return std::nullopt;
  };
  // Check the grammar first: APFloat accepts forms (hex, "inf") the
  // language does not.
  size_t pos = 0, size = text.size();
  size_t mantissaDigits = 0;
  while (pos < size && isDigit(text[pos]))
    ++pos, ++mantissaDigits;
  if (pos < size && text[pos] == '.') {
    ++pos;
    while (pos < size && isDigit(text[pos]))
      ++pos, ++mantissaDigits;
  }
  if (mantissaDigits == 0)
    return fail("invalid number literal '" + text + "'");
  if (pos < size && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < size && (text[pos] == '+' || text[pos] == '-'))
      ++pos;
    size_t exponentDigits = 0;
    while (pos < size && isDigit(text[pos]))
      ++pos, ++exponentDigits;
    if (exponentDigits == 0)
      return fail("invalid number literal '" + text +
                  "': the exponent has no digits");
  }
  if (pos != size)
    return fail("invalid number literal '" + text + "'");

  APFloat value(APFloat::IEEEdouble());
  Expected<APFloat::opStatus> status =
      value.convertFromString(text, APFloat::rmNearestTiesToEven);
  if (!status) {
    consumeError(status.takeError());
    return fail("invalid number literal '" + text + "'");
  }
  if (*status & APFloat::opOverflow)
    return fail("number literal '" + text + "' is too large for a double");
  return value.convertToDouble();
}

std::string actc::frontend::describe(const Token &token) {
  switch (token.kind) {
  case TokenKind::Eof:
    return "end of file";
  case TokenKind::Newline:
    return "end of line";
  default:
    return ("'" + token.spelling + "'").str();
  }
}

namespace {
/// A cursor over one buffer.
class Lexer {
public:
  explicit Lexer(StringRef buffer) : buffer(buffer) {}

  std::vector<Token> run();

private:
  Token make(TokenKind kind, size_t begin) {
    return Token{kind, buffer.slice(begin, pos), {}, 0};
  }
  Token lexNumber(size_t begin);
  Token lexIdentifier(size_t begin);
  void skipToEndOfLine() {
    while (pos < buffer.size() && buffer[pos] != '\n')
      ++pos;
  }
  char peek(size_t ahead = 0) const {
    return pos + ahead < buffer.size() ? buffer[pos + ahead] : '\0';
  }

  StringRef buffer;
  size_t pos = 0;
  /// Parentheses open at the current position: newlines inside are blanks.
  unsigned parenDepth = 0;
};
} // namespace

Token Lexer::lexNumber(size_t begin) {
  // Take the longest run that could belong to a number (like C's
  // pp-number), so `1.2.3` and `2x` are one bad literal rather than two
  // tokens that confuse the parser.
  while (pos < buffer.size()) {
    char c = buffer[pos];
    if (isAlnum(c) || c == '_' || c == '.') {
      ++pos;
    } else if ((c == '+' || c == '-') &&
               (buffer[pos - 1] == 'e' || buffer[pos - 1] == 'E') &&
               isDigit(peek(1))) {
      ++pos;
    } else {
      break;
    }
  }
  Token token = make(TokenKind::Number, begin);
  std::string error;
  if (std::optional<double> value =
          parseNumberLiteral(token.spelling, &error)) {
    token.number = *value;
  } else {
    token.kind = TokenKind::Error;
    token.message = error;
  }
  return token;
}

Token Lexer::lexIdentifier(size_t begin) {
  while (pos < buffer.size() && (isAlnum(buffer[pos]) || buffer[pos] == '_'))
    ++pos;
  Token token = make(TokenKind::Identifier, begin);
  token.kind = StringSwitch<TokenKind>(token.spelling)
                   .Case("act", TokenKind::KwAct)
                   .Case("return", TokenKind::KwReturn)
                   .Case("param", TokenKind::KwParam)
                   .Case("and", TokenKind::KwAnd)
                   .Case("or", TokenKind::KwOr)
                   .Case("not", TokenKind::KwNot)
                   .Default(TokenKind::Identifier);
  return token;
}

std::vector<Token> Lexer::run() {
  std::vector<Token> tokens;
  while (true) {
    // Blanks and comments.
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
      continue;
    }
    if (c == '#' || (c == '/' && peek(1) == '/')) {
      skipToEndOfLine();
      continue;
    }
    size_t begin = pos;
    if (pos >= buffer.size()) {
      tokens.push_back(make(TokenKind::Eof, begin));
      return tokens;
    }
    ++pos;
    auto punct = [&](TokenKind kind) { tokens.push_back(make(kind, begin)); };
    switch (c) {
    case '\n':
      if (parenDepth == 0)
        punct(TokenKind::Newline);
      continue;
    case ';':
      punct(TokenKind::Semicolon);
      continue;
    case '(':
      ++parenDepth;
      punct(TokenKind::LParen);
      continue;
    case ')':
      if (parenDepth > 0)
        --parenDepth;
      punct(TokenKind::RParen);
      continue;
    case '{':
      // A brace cannot be inside a formula; recover the line structure if
      // a parenthesis was left open before it.
      parenDepth = 0;
      punct(TokenKind::LBrace);
      continue;
    case '}':
      parenDepth = 0;
      punct(TokenKind::RBrace);
      continue;
    case ',':
      punct(TokenKind::Comma);
      continue;
    case '+':
      punct(TokenKind::Plus);
      continue;
    case '-':
      punct(TokenKind::Minus);
      continue;
    case '*':
      punct(TokenKind::Star);
      continue;
    case '/':
      punct(TokenKind::Slash);
      continue;
    case '^':
      punct(TokenKind::Caret);
      continue;
    case '?':
      punct(TokenKind::Question);
      continue;
    case ':':
      punct(TokenKind::Colon);
      continue;
    case '=':
      if (peek() == '=') {
        ++pos;
        punct(TokenKind::EqualEqual);
      } else {
        punct(TokenKind::Equal);
      }
      continue;
    case '<':
      if (peek() == '=') {
        ++pos;
        punct(TokenKind::LessEqual);
      } else {
        punct(TokenKind::Less);
      }
      continue;
    case '>':
      if (peek() == '=') {
        ++pos;
        punct(TokenKind::GreaterEqual);
      } else {
        punct(TokenKind::Greater);
      }
      continue;
    case '!':
      if (peek() == '=') {
        ++pos;
        punct(TokenKind::NotEqual);
        continue;
      }
      tokens.push_back(make(TokenKind::Error, begin));
      tokens.back().message = "unexpected character '!' (write 'not')";
      continue;
    default:
      break;
    }
    if (isDigit(c) || (c == '.' && isDigit(peek()))) {
      tokens.push_back(lexNumber(begin));
      continue;
    }
    if (isAlpha(c) || c == '_') {
      tokens.push_back(lexIdentifier(begin));
      continue;
    }
    // Anything else is one bad character (a whole UTF-8 sequence, so the
    // message shows it intact).
    if (static_cast<unsigned char>(c) >= 0x80)
      while (pos < buffer.size() &&
             (static_cast<unsigned char>(buffer[pos]) & 0xC0) == 0x80)
        ++pos;
    Token bad = make(TokenKind::Error, begin);
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      bad.message = "unexpected control character (byte 0x" +
                    llvm::utohexstr(static_cast<unsigned char>(c), false, 2) +
                    ")";
    } else {
      std::string hint;
      if ((c == '&' && peek() == '&') || (c == '|' && peek() == '|'))
        hint = c == '&' ? " (write 'and')" : " (write 'or')";
      bad.message =
          ("unexpected character '" + bad.spelling + "'" + hint).str();
    }
    tokens.push_back(std::move(bad));
  }
}

std::vector<Token> actc::frontend::tokenize(StringRef buffer) {
  return Lexer(buffer).run();
}
