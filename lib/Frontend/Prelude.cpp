//===- Prelude.cpp - the built-in prelude ---------------------------------===//
//
// The prelude is written in the .act language (Prelude.act) and embedded at
// build time as a string literal (Prelude.inc, made by EmbedText.cmake).
//
//===----------------------------------------------------------------------===//

#include "Parser.h"

#include "actc/Frontend/Frontend.h"

llvm::StringRef actc::getPreludeSource() {
  static const char source[] =
#include "Prelude.inc"
      ;
  return llvm::StringRef(source, sizeof(source) - 1);
}

std::vector<std::string> actc::getPreludeNames() {
  return frontend::scanDeclaredNames(getPreludeSource());
}
