//===- Passes.h - actc passes -----------------------------------*- C++ -*-===//

#ifndef ACTC_DIALECT_ACT_PASSES_H
#define ACTC_DIALECT_ACT_PASSES_H

#include "actc/Dialect/Act/ActOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
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
/// Patterns of act-stabilize (td/Stabilize.td plus C++ rules).
void populateActStabilizePatterns(RewritePatternSet &patterns);
/// Patterns of act-fuse (td/Fusion.td plus the two-root C++ fusions).
void populateActFusePatterns(RewritePatternSet &patterns);
/// Patterns of act-expand (td/Expand.td).
void populateActExpandPatterns(RewritePatternSet &patterns);
/// Lowering of act.view to an LLVM memref descriptor.
void populateActToLLVMPatterns(LLVMTypeConverter &converter,
                               RewritePatternSet &patterns);

/// The attribute act-kernels puts on loops that act-vectorize rewrites.
inline constexpr llvm::StringLiteral kVectorizeAttrName = "act.vectorize";
/// On an `act.vectorize` loop: its output array is written once and not read
/// again by the kernel, so act-vectorize may store it with non-temporal
/// (streaming) stores when the array is large (its `stream-bytes` option).
inline constexpr llvm::StringLiteral kStreamStoresAttrName =
    "act.stream_stores";
/// On the scf.if by which act-vectorize chooses at run time between a
/// loop's streaming and plain forms; act-streaming-cost reads and removes it.
inline constexpr llvm::StringLiteral kStreamingChoiceAttrName =
    "act.streaming_choice";
/// Marks an f64 math op of an f32 kernel that act-expand widened: its result
/// is rounded to f32 in the end, so act-math-approx gives it an f64 core
/// accurate to about 2^-32 instead of a libm call.
inline constexpr llvm::StringLiteral kWideAttrName = "act.wide";
/// Marks an f64 exp of an f32 kernel whose result cancels afterwards
/// (log_softmax's gradient dy - exp(y) s): act-math-approx gives it an f64
/// core accurate to about 2^-52, cheaper than the f64 kernels' exp.
inline constexpr llvm::StringLiteral kWidePreciseAttrName = "act.wide_precise";
/// act-stabilize's record of the exact f64 constants an op reads: an array
/// with one entry per operand, an f64 FloatAttr where the operand is a
/// constant that f32 does not hold exactly, a UnitAttr elsewhere.
inline constexpr llvm::StringLiteral kExactAttrName = "act.exact";

/// Marks the sum a fused kernel builds as its activation's argument (x + bias
/// in act-bias-kernels, a.b + bias in act-matmul-kernels): the kernel's
/// argument is that sum rounded to the element type, the z that matmul_aux
/// stores and bias_grad differentiates at. Later passes read it as an
/// input: act-expand neither widens it nor counts it as arithmetic of the
/// f32 routing's leaves, act-math-approx takes it as a leaf of its pairs.
/// act-math-approx removes it.
inline constexpr llvm::StringLiteral kLeafAttrName = "act.leaf";

/// Marks act-bias-kernels' column sum dbias[c] + dx (bias_grad): it adds
/// dx = dy * f'(z) as computed (f32 for f32, the value the kernel stores;
/// ABI.md's dbias accumulated in f32), so act-expand's f32 routing takes it
/// like a store of dx, not as a rounding inside the activation's forms
/// (AccurateF32Routing.cpp). act-math-approx removes it.
inline constexpr llvm::StringLiteral kColumnSumAttrName = "act.column_sum";

/// Marks a select act-stabilize built whose true branch is a truncated
/// series of its false branch (x^3 P(x^2) for x - tanh(x) near 0): the same
/// function, so act-autodiff differentiates the false branch, the
/// definition, whose derivative keeps its digits (tanhshrink' = tanh^2)
/// where the truncated series' derivative does not.
inline constexpr llvm::StringLiteral kSeriesAttrName = "act.series";

} // namespace act
} // namespace mlir

#endif // ACTC_DIALECT_ACT_PASSES_H
