//===- Canonicalize.cpp - ActCanonicalize pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTCANONICALIZE
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActCanonicalizePass : public act::impl::ActCanonicalizeBase<ActCanonicalizePass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
