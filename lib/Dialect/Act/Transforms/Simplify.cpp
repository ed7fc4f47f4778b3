//===- Simplify.cpp - helpers shared by the rewriting passes --------------===//
//
// See include/actc/Dialect/Act/Simplify.h. Not a pass: act-canonicalize,
// act-stabilize, act-autodiff and act-grad-from-y call these.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Simplify.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cmath>

namespace mlir::act {

bool dependsOn(Value value, Value variable) {
  SmallVector<Value> worklist{value};
  llvm::SmallPtrSet<Operation *, 16> visited;
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (current == variable)
      return true;
    Operation *def = current.getDefiningOp();
    if (!def || !visited.insert(def).second)
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  return false;
}

void populateActSimplifyPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  populateActCanonicalizePatterns(patterns);
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
}

LogicalResult simplifyAndDeduplicate(Operation *root,
                                     const FrozenRewritePatternSet &patterns) {
  if (failed(applyPatternsGreedily(root, patterns)))
    return failure();
  IRRewriter rewriter(root->getContext());
  DominanceInfo dominance(root);
  eliminateCommonSubExpressions(rewriter, dominance, root);
  return success();
}

void recordExactConstants(Operation *root) {
  Builder builder(root->getContext());
  root->walk([&](Operation *op) {
    if (isa<arith::ConstantOp>(op))
      return;
    SmallVector<Attribute> exact;
    bool any = false;
    for (Value operand : op->getOperands()) {
      FloatAttr attr;
      Attribute entry = builder.getUnitAttr();
      if (matchPattern(operand, m_Constant(&attr)) &&
          attr.getType().isF64()) {
        double value = attr.getValueAsDouble();
        if ((double)(float)value != value && std::isfinite(value)) {
          entry = attr;
          any = true;
        }
      }
      exact.push_back(entry);
    }
    if (any)
      op->setAttr(kExactAttrName, builder.getArrayAttr(exact));
    else
      op->removeAttr(kExactAttrName);
  });
}

} // namespace mlir::act
