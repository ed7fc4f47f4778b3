//===- GPUFastTanh.cpp - tanh.approx.f32 in the fast GPU kernels ----------===//
//
// act-gpu-fast-tanh: in the fast GPU pipeline only, between act-expand and
// act-math-approx (which would otherwise expand the tanh into our
// polynomial), each f32 math.tanh of a forward GPU kernel (forward, bias,
// row) that
// isHardwareTanhCandidate accepts becomes the PTX instruction
// `tanh.approx.f32` (sm_75+: both supported architectures have it) as an
// llvm.inline_asm without side effects, so CSE and LICM treat it as pure.
// A vector tanh (the 128-bit path) is done lane by lane. f64 tanh is left
// alone (no f64 hardware tanh).
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/GPUFastTanh.h"
#include "actc/Dialect/Act/GPUKernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTGPUFASTTANH
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// tanh.approx.f32 of the f32 `x`.
static Value buildHardwareTanh(OpBuilder &builder, Location loc, Value x) {
  Type f32 = builder.getF32Type();
  return LLVM::InlineAsmOp::create(
             builder, loc, f32, ValueRange{x}, "tanh.approx.f32 $0, $1;",
             "=f,f", /*has_side_effects=*/false,
             /*is_align_stack=*/false, LLVM::tailcallkind::TailCallKind::None,
             /*asm_dialect=*/nullptr, /*operand_attrs=*/nullptr)
      .getResult(0);
}

namespace {
struct ActGPUFastTanhPass
    : public act::impl::ActGPUFastTanhBase<ActGPUFastTanhPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<math::TanhOp> tanhs;
    // Forward kernels only: gradients keep the polynomial (tanhshrink's
    // gradient, tanh^2, is the one lone tanh act-expand leaves there).
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (auto kind = func->getAttrOfType<StringAttr>(kGPUKernelAttrName);
          kind && (kind.getValue() == kGPUElementwiseKind ||
                   kind.getValue() == kGPUBiasKind ||
                   kind.getValue() == kGPURowKind))
        func.walk([&](math::TanhOp tanh) {
          if (getElementTypeOrSelf(tanh.getType()).isF32() &&
              isHardwareTanhCandidate(tanh))
            tanhs.push_back(tanh);
        });
    for (math::TanhOp tanh : tanhs) {
      OpBuilder builder(tanh);
      Location loc = tanh.getLoc();
      Value x = tanh.getOperand();
      auto vectorType = dyn_cast<VectorType>(x.getType());
      if (!vectorType) {
        tanh.replaceAllUsesWith(buildHardwareTanh(builder, loc, x));
        tanh.erase();
        continue;
      }
      Value result = LLVM::UndefOp::create(builder, loc, vectorType);
      for (int64_t lane = 0; lane < vectorType.getNumElements(); ++lane) {
        Value index = LLVM::ConstantOp::create(builder, loc,
                                               builder.getI64Type(), lane);
        Value element = LLVM::ExtractElementOp::create(builder, loc, x, index);
        result = LLVM::InsertElementOp::create(
            builder, loc, result, buildHardwareTanh(builder, loc, element),
            index);
      }
      tanh.replaceAllUsesWith(result);
      tanh.erase();
    }
  }
};
} // namespace
