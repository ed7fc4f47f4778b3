//===- Inline.cpp - ActInline pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTINLINE
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActInlinePass : public act::impl::ActInlineBase<ActInlinePass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
