//===- Inline.cpp - inline calls between activations ----------------------===//
//
// act-inline replaces every act.call by a copy of the callee's body in which
// the callee's input is the call's first operand and each act.param reads
// the operand passed for that parameter. Callees are inlined in call-graph
// post-order, so a body is copied only once it is free of calls itself; a
// cycle is a located error. Private activations exist only to be inlined and
// are erased afterwards.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTINLINE
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// Orders activations so that every callee comes before its callers.
class CallGraphOrder {
public:
  explicit CallGraphOrder(SymbolTable &symbols) : symbols(symbols) {}

  /// Appends `activation` and everything it calls, post-order. Fails (and
  /// reports the call that closes the cycle) on recursion.
  LogicalResult visit(ActivationOp activation) {
    if (done.contains(activation))
      return success();
    if (!onStack.insert(activation))
      return failure();
    WalkResult result = activation.walk([&](CallOp call) {
      auto callee = symbols.lookup<ActivationOp>(call.getCallee());
      if (!callee) {
        call.emitOpError("calls unknown activation @") << call.getCallee();
        return WalkResult::interrupt();
      }
      if (onStack.contains(callee)) {
        call.emitError("recursive call: @")
            << callee.getSymName() << " calls itself through @"
            << activation.getSymName();
        return WalkResult::interrupt();
      }
      return failed(visit(callee)) ? WalkResult::interrupt()
                                   : WalkResult::advance();
    });
    onStack.remove(activation);
    if (result.wasInterrupted())
      return failure();
    done.insert(activation);
    order.push_back(activation);
    return success();
  }

  ArrayRef<ActivationOp> getOrder() const { return order; }

private:
  SymbolTable &symbols;
  llvm::SetVector<Operation *> onStack;
  llvm::DenseSet<Operation *> done;
  SmallVector<ActivationOp> order;
};

/// Replaces `call` by a copy of `callee`'s (call-free) body.
static void inlineCall(CallOp call, ActivationOp callee) {
  OpBuilder builder(call);
  IRMapping mapping;
  mapping.map(callee.getInput(), call.getInput());
  OperandRange params = call.getParamValues();
  for (Operation &op : callee.getBody().front().without_terminator()) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      mapping.map(param.getResult(),
                  params[callee.getParamIndex(param.getName())]);
      continue;
    }
    Operation *copy = builder.clone(op, mapping);
    copy->setLoc(CallSiteLoc::get(op.getLoc(), call.getLoc()));
  }
  call.replaceAllUsesWith(mapping.lookup(callee.getResult()));
  call.erase();
}

struct ActInlinePass : public act::impl::ActInlineBase<ActInlinePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    CallGraphOrder graph(symbols);
    for (auto activation : module.getOps<ActivationOp>())
      if (failed(graph.visit(activation)))
        return signalPassFailure();

    for (ActivationOp activation : graph.getOrder()) {
      SmallVector<CallOp> calls;
      activation.walk([&](CallOp call) { calls.push_back(call); });
      for (CallOp call : calls)
        inlineCall(call, symbols.lookup<ActivationOp>(call.getCallee()));
    }

    for (auto activation :
         llvm::make_early_inc_range(module.getOps<ActivationOp>()))
      if (activation.isPrivate())
        activation.erase();
  }
};

} // namespace
