//===- Expand.cpp - ActExpand pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTEXPAND
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActExpandPass : public act::impl::ActExpandBase<ActExpandPass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
