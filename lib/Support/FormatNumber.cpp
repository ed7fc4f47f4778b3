//===- FormatNumber.cpp - numbers as users read them ----------------------===//
//
// See include/actc/Support/FormatNumber.h.
//
//===----------------------------------------------------------------------===//

#include "actc/Support/FormatNumber.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>

std::string actc::formatShortest(double value) {
  if (value == std::trunc(value) && std::fabs(value) < 1e15)
    return llvm::formatv("{0}", llvm::format("%.0f", value)).str();
  std::string text;
  for (int digits = 1; digits <= 17; ++digits) {
    text = llvm::formatv("{0}", llvm::format("%.*g", digits, value)).str();
    if (std::strtod(text.c_str(), nullptr) == value)
      break;
  }
  return text;
}
