//===- LowerToLLVM.cpp - ActLowerToLLVM pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTLOWERTOLLVM
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActLowerToLLVMPass : public act::impl::ActLowerToLLVMBase<ActLowerToLLVMPass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
