//===- Kernels.cpp - ActKernels pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActKernelsPass : public act::impl::ActKernelsBase<ActKernelsPass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
