//===- GPUOutline.cpp - move the GPU kernels into a gpu.module ------------===//
//
// act-gpu-outline: the kernels of act-gpu-kernels are func.func while
// act-expand and act-math-approx rewrite them (both work on func.func);
// afterwards each becomes a `gpu.func ... kernel` of the same name and
// arguments in `gpu.module @actc_kernels`, ready for convert-gpu-to-nvvm.
// The body moves as it is; only func.return becomes gpu.return.
//
// A kernel that still calls a function cannot move: the callee (a libm
// declaration, say) would be an unresolved `.extern` in the PTX.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/GPUKernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Interfaces/CallInterfaces.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTGPUOUTLINE
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// Replaces `func` by a gpu.func kernel at the end of `gpuModule`.
static void outline(func::FuncOp func, gpu::GPUModuleOp gpuModule) {
  OpBuilder builder = OpBuilder::atBlockEnd(gpuModule.getBody());
  auto kernel = gpu::GPUFuncOp::create(builder, func.getLoc(), func.getName(),
                                       func.getFunctionType());
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                  builder.getUnitAttr());
  kernel->setAttr(kGPUKernelAttrName, func->getAttr(kGPUKernelAttrName));
  if (Attribute lanes = func->getAttr(kGPULanesAttrName))
    kernel->setAttr(kGPULanesAttrName, lanes);
  kernel.getBody().takeBody(func.getBody());
  kernel.walk([&](func::ReturnOp ret) {
    builder.setInsertionPoint(ret);
    gpu::ReturnOp::create(builder, ret.getLoc(), ret.getOperands());
    ret.erase();
  });
  func.erase();
}

namespace {
struct ActGPUOutlinePass
    : public act::impl::ActGPUOutlineBase<ActGPUOutlinePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(kGPUKernelAttrName))
        kernels.push_back(func);
    if (kernels.empty())
      return;
    for (func::FuncOp kernel : kernels) {
      WalkResult calls = kernel.walk([](CallOpInterface call) {
        call->emitOpError("in a GPU kernel: the callee would be an "
                          "unresolved .extern in the PTX");
        return WalkResult::interrupt();
      });
      if (calls.wasInterrupted())
        return signalPassFailure();
    }
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    builder.getUnitAttr());
    auto gpuModule =
        gpu::GPUModuleOp::create(builder, module.getLoc(), kGPUModuleName);
    for (func::FuncOp kernel : kernels)
      outline(kernel, gpuModule);
  }
};
} // namespace
