//===- Builtins.h - elementary functions and constants ----------*- C++ -*-===//
//
// The names the language knows without declaration (SPEC.md, "Expressions"):
// elementary functions, which become arith/math/act ops, and the constants
// `pi`, `e` and `inf`.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_LIB_FRONTEND_BUILTINS_H
#define ACTC_LIB_FRONTEND_BUILTINS_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace actc {
namespace frontend {

/// One elementary function: how many arguments it takes and how it is built.
struct BuiltinFunction {
  llvm::StringLiteral name;
  unsigned arity;
  /// `select(c, a, b)`: the first argument is a condition (i1).
  bool firstIsCondition;
  /// `rowsum`/`rowmax`: reduces over the row.
  bool isRowReduction;
  /// Builds the ops for `args` (f64, or i1 where the function wants a
  /// condition) and returns the f64 result.
  mlir::Value (*build)(mlir::OpBuilder &builder, mlir::Location loc,
                       llvm::ArrayRef<mlir::Value> args);
};

/// The elementary function called `name`, or null.
const BuiltinFunction *lookupBuiltinFunction(llvm::StringRef name);

/// The value of the named constant `name` (`pi`, `e`, `inf`), if it is one.
std::optional<double> lookupBuiltinConstant(llvm::StringRef name);

/// An f64 `arith.constant`.
mlir::Value buildConstant(mlir::OpBuilder &builder, mlir::Location loc,
                          double value);

} // namespace frontend
} // namespace actc

#endif // ACTC_LIB_FRONTEND_BUILTINS_H
