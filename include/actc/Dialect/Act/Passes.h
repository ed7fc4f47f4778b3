//===- Passes.h - actc passes -----------------------------------*- C++ -*-===//

#ifndef ACTC_DIALECT_ACT_PASSES_H
#define ACTC_DIALECT_ACT_PASSES_H

#include "actc/Dialect/Act/ActOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class LLVMTypeConverter;

namespace act {

#define GEN_PASS_DECL
#include "Act/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Act/Passes.h.inc"

/// Patterns of act-canonicalize (td/Canonicalize.td plus C++ folds).
void populateActCanonicalizePatterns(RewritePatternSet &patterns);
/// Chain rules of act-autodiff (td/Derivatives.td).
void populateActDerivativePatterns(RewritePatternSet &patterns);
/// Patterns of act-expand (td/Expand.td).
void populateActExpandPatterns(RewritePatternSet &patterns);
/// Lowering of act.view to an LLVM memref descriptor.
void populateActToLLVMPatterns(LLVMTypeConverter &converter,
                               RewritePatternSet &patterns);

/// The attribute act-kernels puts on loops that act-vectorize rewrites.
inline constexpr llvm::StringLiteral kVectorizeAttrName = "act.vectorize";

} // namespace act
} // namespace mlir

#endif // ACTC_DIALECT_ACT_PASSES_H
