//===- CommandLine.cpp - -D and --only as located text --------------------===//
//
// Parses `-D name.param=value` overrides, located in a `<command line>`
// buffer so that their diagnostics point at the offending text.
//
//===----------------------------------------------------------------------===//

#include "CommandLine.h"

#include "Builtins.h"
#include "Lexer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace actc::frontend;
using llvm::StringRef;

unsigned actc::frontend::findOrAddBuffer(llvm::SourceMgr &sourceMgr,
                                         StringRef name, StringRef text) {
  // Diagnostics find a buffer by its name, the first one of that name, so
  // a different text (a second parse with other options) needs a new name.
  std::string unique = name.str();
  for (unsigned attempt = 2;; ++attempt) {
    bool taken = false;
    for (unsigned id = 1, e = sourceMgr.getNumBuffers(); id <= e; ++id) {
      const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
      if (buffer->getBufferIdentifier() != unique)
        continue;
      if (buffer->getBuffer() == text)
        return id;
      taken = true;
    }
    if (!taken)
      break;
    unique = (name.drop_back() + " " + llvm::Twine(attempt) + ">").str();
  }
  return sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, unique), llvm::SMLoc());
}

/// True for a C identifier.
static bool isIdentifier(StringRef text) {
  if (text.empty() || !(llvm::isAlpha(text[0]) || text[0] == '_'))
    return false;
  return llvm::all_of(text,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Parses `text` (one `-D` value) as a number: a literal, `inf`, `pi` or
/// `e`, optionally signed.
static std::optional<double> parseDefineValue(StringRef text) {
  bool negate = false;
  if (text.consume_front("-"))
    negate = true;
  else
    text.consume_front("+");
  std::optional<double> value = lookupBuiltinConstant(text);
  if (!value)
    value = parseNumberLiteral(text);
  if (value && negate)
    *value = -*value;
  return value;
}

FailureOr<CommandLineOptions>
actc::frontend::parseCommandLine(llvm::SourceMgr &sourceMgr,
                                 MLIRContext *context,
                                 const FrontendOptions &options) {
  CommandLineOptions result;
  if (options.defines.empty() && options.only.empty())
    return result;

  // The options as they could have been typed, each part's offset noted.
  std::string text;
  std::vector<size_t> defineOffsets, onlyOffsets;
  for (const std::string &define : options.defines) {
    text += text.empty() ? "-D " : " -D ";
    defineOffsets.push_back(text.size());
    text += define;
  }
  if (!options.only.empty()) {
    text += text.empty() ? "--only " : " --only ";
    for (const std::string &name : options.only) {
      if (&name != &options.only.front())
        text += ',';
      onlyOffsets.push_back(text.size());
      text += name;
    }
  }
  unsigned bufferId = findOrAddBuffer(sourceMgr, commandLineBufferName, text);
  StringRef bufferName =
      sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier();
  auto locAt = [&](size_t offset) -> Location {
    return FileLineColLoc::get(context, bufferName, 1, offset + 1);
  };

  for (auto [define, offset] : llvm::zip(options.defines, defineOffsets)) {
    StringRef spec(define);
    size_t equal = spec.find('=');
    size_t dot = spec.find('.');
    StringRef activation, param;
    if (equal != StringRef::npos && dot < equal) {
      activation = spec.take_front(dot);
      param = spec.slice(dot + 1, equal);
    }
    if (!isIdentifier(activation) || !isIdentifier(param))
      return emitError(locAt(offset))
             << "malformed -D '" << define << "': expected -D name.param=value";
    StringRef valueText = spec.drop_front(equal + 1);
    std::optional<double> value = parseDefineValue(valueText);
    if (!value)
      return emitError(locAt(offset + equal + 1))
             << "invalid number '" << valueText << "' in -D " << define;
    result.overrides.push_back(Override{activation.str(), param.str(), *value,
                                        locAt(offset), locAt(offset + dot + 1),
                                        /*matched=*/false});
  }
  for (auto [name, offset] : llvm::zip(options.only, onlyOffsets)) {
    if (name.empty())
      return emitError(locAt(offset)) << "empty activation name in --only";
    result.only.push_back(OnlyName{name, locAt(offset)});
  }
  return result;
}
