//===- Vectorize.cpp - widen the kernels' element loops -------------------===//
//
// act-vectorize: every scf.for marked `act.vectorize` (unit step, scalar
// body) becomes
//
//   - a loop over the full vectors of W = vector-bits / element-bits lanes,
//   - one masked tail (vector.create_mask of the remaining count, masked
//     loads and stores) that is a no-op when nothing remains,
//   - for each iteration argument (a reduction `acc = combine(acc, v)`), a
//     vector accumulator that starts at the neutral element, takes the
//     neutral element in the tail's inactive lanes, and is reduced once
//     after the loop with vector.reduction, combined with the initial value.
//     The compensated sums that act-kernels marks (CompensatedSums.h: a sum
//     whose accumulator also feeds its error's TwoSum) are added up lane by
//     lane with TwoSum instead.
//
// The body is widened by cloning: elementwise-mappable ops (arith, math,
// act.sigmoid, ...) get vector result types; values that do not depend on
// the element are kept scalar and broadcast (constants become splats, by
// Widening.h's broadcastScalar, which the fused kernels' epilogues share);
// memref.load/store indexed by the induction variable in the innermost
// dimension become vector.load/store (masked in the tail).
//
// A loop marked `act.stream_stores` also gets a streaming form when the pass
// has a `stream-bytes` threshold (td/Passes.td): chosen at run time for an
// output array of at least that many bytes whose address is a multiple of
// its element size, it peels a masked head up to the output's next
// vector-size boundary, so that the vector loop's stores to it are aligned
// and non-temporal, and ends with x86's sfence (non-temporal stores are
// weakly ordered): the option is for x86 targets. Its vector loop also
// prefetches each array it reads kStreamPrefetchBytes ahead: unrolled and
// interleaved without it, the copies' bunched non-temporal stores cost the
// fast sigmoid 5-10%; with it, 0-4% was gained on the quiet machine (the
// accurate elu lost 5-7%; docs/accuracy.md "Streaming loops unrolled and
// prefetched (session 11, lead)").
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/CompensatedSums.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Widening.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTVECTORIZE
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// How far ahead of its loads the streaming loop prefetches (bytes): one
/// page, measured at 2-16 KiB alike.
constexpr int64_t kStreamPrefetchBytes = 4096;

/// Prefetches `array` for reading kStreamPrefetchBytes past `indices` (the
/// innermost index advanced; a prefetch past the end never faults).
void prefetchAhead(OpBuilder &builder, Location loc, Value array,
                   ArrayRef<Value> indices) {
  auto type = cast<MemRefType>(array.getType());
  int64_t elements = kStreamPrefetchBytes * 8 / type.getElementTypeBitWidth();
  SmallVector<Value> ahead(indices);
  ahead.back() = arith::AddIOp::create(
      builder, loc, ahead.back(),
      arith::ConstantIndexOp::create(builder, loc, elements));
  memref::PrefetchOp::create(builder, loc, array, ahead, /*isWrite=*/false,
                             /*localityHint=*/3, /*isDataCache=*/true);
}

/// A loop-carried reduction `acc' = combine(acc, value)`.
struct Reduction {
  /// The op that combines the accumulator with the new value.
  Operation *combiner = nullptr;
  /// The position of the new value among the combiner's operands.
  unsigned valueOperand = 0;
  vector::CombiningKind kind = vector::CombiningKind::ADD;
  /// The neutral element of `kind`.
  TypedAttr neutral;
};

/// Widens one marked loop.
class LoopVectorizer {
public:
  /// `getStreamedFlag` gives the function's flag (a memref<i1>) that a
  /// streaming form sets, so the function fences once before returning.
  LoopVectorizer(scf::ForOp loop, unsigned vectorBits, uint64_t streamBytes,
                 function_ref<Value()> getStreamedFlag)
      : loop(loop), vectorBits(vectorBits), streamBytes(streamBytes),
        getStreamedFlag(getStreamedFlag) {}

  /// Checks that the loop can be widened and finds its reductions.
  LogicalResult analyze();
  /// Replaces the loop with its vector form.
  void rewrite();

private:
  bool isVarying(Value value) const { return varying.contains(value); }
  VectorType getVectorType(Type scalar) const {
    return VectorType::get({width}, scalar);
  }
  LogicalResult analyzeReduction(unsigned index);
  /// True when `indices` address the innermost dimension with the induction
  /// variable and the others with values uniform over the loop.
  bool isContiguousAccess(ValueRange indices);
  /// Emits one widened copy of the body for the W lanes starting at `iv`;
  /// `mask` is null in the full-vector loop. Stores to `streamed` (when set)
  /// are aligned and non-temporal. Returns the yielded values.
  SmallVector<Value> widenBody(OpBuilder &builder, Value iv, Value mask,
                               ValueRange accumulators,
                               Value streamed = Value());
  /// The vector loop (`step` = W) over the full vectors of the `count`
  /// elements from `start`, then the masked tail; the accumulators start at
  /// what `getInits` gives, called once the loop bounds are built. Returns
  /// the accumulators.
  SmallVector<Value>
  buildVectorLoopAndTail(OpBuilder &builder, Value start, Value count,
                         Value step,
                         function_ref<SmallVector<Value>()> getInits,
                         Value streamed = Value());
  /// The accumulators' starting vectors: the reductions' neutral elements.
  SmallVector<Value> buildNeutralInits(OpBuilder &builder);
  /// The array a streaming form may store non-temporally: the one the loop
  /// stores to and never loads from, at indices defined above the loop.
  /// Null when the loop is not marked or has none.
  memref::StoreOp findStreamedStore();
  /// The streaming form (head, aligned non-temporal loop, tail, fence) when
  /// `store`'s array holds at least streamBytes bytes, else the plain one.
  SmallVector<Value> buildStreamingChoice(OpBuilder &builder,
                                          memref::StoreOp store, Value count,
                                          Value step);

  scf::ForOp loop;
  unsigned vectorBits;
  uint64_t streamBytes;
  function_ref<Value()> getStreamedFlag;
  int64_t width = 0;
  Type elementType;
  SmallVector<Reduction> reductions;
  /// The (sum, error) iteration-argument pairs of compensated sums.
  SmallVector<std::pair<unsigned, unsigned>> compensatedPairs;
  /// Body values that differ between iterations.
  DenseSet<Value> varying;
  /// Broadcasts of values defined above the loop, built once before it.
  DenseMap<Value, Value> outerBroadcasts;
};

} // namespace

/// The combining kind and neutral element of a reduction combiner.
static std::optional<std::pair<vector::CombiningKind, TypedAttr>>
getCombiningKind(Operation *op) {
  auto type = dyn_cast<FloatType>(op->getResult(0).getType());
  if (!type)
    return std::nullopt;
  auto neutral = [&](double value) -> TypedAttr {
    return FloatAttr::get(type, value);
  };
  double inf = std::numeric_limits<double>::infinity();
  if (isa<arith::AddFOp>(op))
    return std::make_pair(vector::CombiningKind::ADD, neutral(-0.0));
  if (isa<arith::MulFOp>(op))
    return std::make_pair(vector::CombiningKind::MUL, neutral(1.0));
  if (isa<arith::MaximumFOp>(op))
    return std::make_pair(vector::CombiningKind::MAXIMUMF, neutral(-inf));
  if (isa<arith::MinimumFOp>(op))
    return std::make_pair(vector::CombiningKind::MINIMUMF, neutral(inf));
  if (isa<arith::MaxNumFOp>(op))
    return std::make_pair(vector::CombiningKind::MAXNUMF, neutral(-inf));
  if (isa<arith::MinNumFOp>(op))
    return std::make_pair(vector::CombiningKind::MINNUMF, neutral(inf));
  return std::nullopt;
}

LogicalResult LoopVectorizer::analyzeReduction(unsigned index) {
  BlockArgument acc = loop.getRegionIterArgs()[index];
  Value yielded = loop.getYieldedValues()[index];
  Operation *combiner = yielded.getDefiningOp();
  // A compensated sum's accumulator also feeds its error term: each lane's
  // error is that lane's addition's, still right per lane.
  bool isCompensatedSum = llvm::any_of(
      compensatedPairs, [&](auto pair) { return pair.first == index; });
  bool combinesAcc =
      combiner && (isCompensatedSum
                       ? isa<arith::AddFOp>(combiner) &&
                             llvm::is_contained(combiner->getOperands(), acc)
                       : acc.hasOneUse() &&
                             acc.getUses().begin()->getOwner() == combiner);
  if (!combiner || combiner->getBlock() != loop.getBody() ||
      combiner->getNumOperands() != 2 || !combinesAcc)
    return loop.emitOpError("iteration argument #")
           << index << " is not a reduction acc' = combine(acc, value)";
  auto kind = getCombiningKind(combiner);
  if (!kind)
    return combiner->emitOpError("is not a supported reduction combiner");
  Reduction reduction;
  reduction.combiner = combiner;
  reduction.valueOperand = combiner->getOperand(0) == acc ? 1 : 0;
  reduction.kind = kind->first;
  reduction.neutral = kind->second;
  reductions.push_back(reduction);
  return success();
}

bool LoopVectorizer::isContiguousAccess(ValueRange indices) {
  if (indices.empty() || indices.back() != loop.getInductionVar())
    return false;
  return llvm::none_of(indices.drop_back(), [&](Value index) {
    return index == loop.getInductionVar() || isVarying(index);
  });
}

LogicalResult LoopVectorizer::analyze() {
  std::optional<APInt> step = loop.getConstantStep();
  if (!step || !step->isOne())
    return loop.emitOpError("act.vectorize needs a unit step");
  if (!loop.getInductionVar().getType().isIndex())
    return loop.emitOpError("act.vectorize needs an index induction variable");

  // The element type is the type of the arrays the loop walks.
  Block *body = loop.getBody();
  for (Operation &op : body->without_terminator()) {
    Value memref;
    if (auto load = dyn_cast<memref::LoadOp>(op))
      memref = load.getMemRef();
    else if (auto store = dyn_cast<memref::StoreOp>(op))
      memref = store.getMemRef();
    else
      continue;
    Type type = cast<MemRefType>(memref.getType()).getElementType();
    if (elementType && elementType != type)
      return op.emitOpError("act.vectorize needs one element type per loop");
    elementType = type;
  }
  if (!elementType && loop.getNumRegionIterArgs() != 0)
    elementType = loop.getRegionIterArgs()[0].getType();
  if (!elementType || !elementType.isIntOrFloat())
    return loop.emitOpError("act.vectorize found no element type");
  // Arrays of 16-bit floats (bf16, f16 bits in i16) are computed in f32:
  // as many lanes as f32 vectors have.
  unsigned bits = std::max(elementType.getIntOrFloatBitWidth(), 32u);
  width = std::max<int64_t>(1, vectorBits / bits);

  if (auto pairs =
          loop->getAttrOfType<DenseI64ArrayAttr>(kCompensatedSumsAttrName)) {
    ArrayRef<int64_t> indices = pairs.asArrayRef();
    int64_t count = loop.getNumRegionIterArgs();
    if (indices.size() % 2 != 0 ||
        llvm::any_of(indices,
                     [&](int64_t index) { return index < 0 || index >= count; }))
      return loop.emitOpError(kCompensatedSumsAttrName)
             << " must list (sum, error) pairs of iteration arguments";
    for (size_t i = 0; i < indices.size(); i += 2)
      compensatedPairs.emplace_back(indices[i], indices[i + 1]);
  }
  for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e; ++i)
    if (failed(analyzeReduction(i)))
      return failure();
  for (auto [sum, error] : compensatedPairs)
    if (reductions[sum].kind != vector::CombiningKind::ADD ||
        reductions[error].kind != vector::CombiningKind::ADD)
      return loop.emitOpError(kCompensatedSumsAttrName)
             << " pairs must be sums";

  for (BlockArgument acc : loop.getRegionIterArgs())
    varying.insert(acc);
  Value iv = loop.getInductionVar();
  for (Operation &op : body->without_terminator()) {
    if (op.getNumRegions() != 0)
      return op.emitOpError("cannot be vectorized: it has regions");
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (isContiguousAccess(load.getIndices())) {
        varying.insert(load.getResult());
        continue;
      }
    } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
      if (!isContiguousAccess(store.getIndices()))
        return op.emitOpError(
            "cannot be vectorized: it does not store at the induction "
            "variable in the innermost dimension");
      continue;
    }
    if (llvm::is_contained(op.getOperands(), iv))
      return op.emitOpError(
          "cannot be vectorized: it uses the induction variable");
    bool isVaryingOp = llvm::any_of(
        op.getOperands(), [&](Value operand) { return isVarying(operand); });
    if (isVaryingOp) {
      if (!OpTrait::hasElementwiseMappableTraits(&op) ||
          !llvm::all_of(op.getResultTypes(),
                        [](Type type) { return type.isIntOrIndexOrFloat(); }))
        return op.emitOpError("cannot be vectorized: not elementwise");
      for (Value result : op.getResults())
        varying.insert(result);
    } else if (!isMemoryEffectFree(&op) && !isa<memref::LoadOp>(op)) {
      return op.emitOpError("cannot be vectorized: it has side effects");
    }
  }
  return success();
}

SmallVector<Value> LoopVectorizer::widenBody(OpBuilder &builder, Value iv,
                                             Value mask,
                                             ValueRange accumulators,
                                             Value streamed) {
  Location loc = loop.getLoc();
  // Scalar clones of the uniform ops, and vectors of the varying values.
  IRMapping scalars;
  DenseMap<Value, Value> vectors;
  for (auto [acc, vector] :
       llvm::zip_equal(loop.getRegionIterArgs(), accumulators))
    vectors[acc] = vector;

  auto broadcast = [&](OpBuilder &b, Value scalar) -> Value {
    return broadcastScalar(b, loc, getVectorType(scalar.getType()), scalar);
  };
  // The vector of `value`: widened, or the broadcast of a uniform value
  // (values from above the loop are broadcast once, before it).
  auto widen = [&](Value value) -> Value {
    if (Value vector = vectors.lookup(value))
      return vector;
    Value vector;
    if (loop.getRegion().isAncestor(value.getParentRegion())) {
      vector = broadcast(builder, scalars.lookupOrDefault(value));
    } else {
      Value &outer = outerBroadcasts[value];
      if (!outer) {
        // Before the scalar loop: every form of it is created there, and a
        // region's ops are built before its op is inserted.
        OpBuilder::InsertionGuard guard(builder);
        builder.setInsertionPoint(loop);
        outer = broadcast(builder, value);
      }
      vector = outer;
    }
    vectors[value] = vector;
    return vector;
  };
  auto mapIndices = [&](ValueRange indices) {
    SmallVector<Value> mapped;
    for (Value index : indices.drop_back())
      mapped.push_back(scalars.lookupOrDefault(index));
    mapped.push_back(iv);
    return mapped;
  };

  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto load = dyn_cast<memref::LoadOp>(op);
        load && isVarying(load.getResult())) {
      VectorType type = getVectorType(load.getType());
      SmallVector<Value> indices = mapIndices(load.getIndices());
      Value vector;
      if (mask) {
        Value passthru = arith::ConstantOp::create(builder, loc, type,
                                                   builder.getZeroAttr(type));
        vector = vector::MaskedLoadOp::create(
            builder, loc, type, load.getMemRef(), indices, mask, passthru);
      } else {
        vector = vector::LoadOp::create(builder, loc, type, load.getMemRef(),
                                        indices);
        if (streamed)
          prefetchAhead(builder, loc, load.getMemRef(), indices);
      }
      vectors[load.getResult()] = vector;
      continue;
    }
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      Value value = widen(store.getValueToStore());
      SmallVector<Value> indices = mapIndices(store.getIndices());
      if (mask) {
        vector::MaskedStoreOp::create(builder, loc, store.getMemRef(), indices,
                                      mask, value);
      } else if (streamed && store.getMemRef() == streamed) {
        auto type = cast<MemRefType>(streamed.getType());
        unsigned bytes = width * type.getElementTypeBitWidth() / 8;
        vector::StoreOp::create(builder, loc, value, streamed, indices,
                                /*nontemporal=*/true, llvm::Align(bytes));
      } else {
        vector::StoreOp::create(builder, loc, value, store.getMemRef(),
                                indices);
      }
      continue;
    }
    if (op.getNumResults() == 0 || !isVarying(op.getResult(0))) {
      builder.clone(op, scalars);
      continue;
    }
    // A varying elementwise op: clone it over vectors.
    IRMapping operands;
    for (auto [index, operand] : llvm::enumerate(op.getOperands())) {
      Value vector = widen(operand);
      // In the tail, inactive lanes feed the neutral element to reductions.
      if (mask) {
        for (const Reduction &reduction : reductions) {
          if (reduction.combiner != &op || index != reduction.valueOperand)
            continue;
          VectorType type = cast<VectorType>(vector.getType());
          Value neutral = arith::ConstantOp::create(
              builder, loc, type,
              DenseElementsAttr::get(type, reduction.neutral));
          vector = arith::SelectOp::create(builder, loc, mask, vector, neutral);
        }
      }
      operands.map(operand, vector);
    }
    Operation *clone = builder.clone(op, operands);
    for (auto [result, cloneResult] :
         llvm::zip_equal(op.getResults(), clone->getResults())) {
      cloneResult.setType(getVectorType(result.getType()));
      vectors[result] = cloneResult;
    }
  }

  SmallVector<Value> yielded;
  for (Value value : loop.getYieldedValues())
    yielded.push_back(widen(value));
  return yielded;
}

SmallVector<Value> LoopVectorizer::buildNeutralInits(OpBuilder &builder) {
  SmallVector<Value> inits;
  for (auto [reduction, init] :
       llvm::zip_equal(reductions, loop.getInitArgs())) {
    VectorType type = getVectorType(init.getType());
    inits.push_back(arith::ConstantOp::create(
        builder, loop.getLoc(), type,
        DenseElementsAttr::get(type, reduction.neutral)));
  }
  return inits;
}

SmallVector<Value> LoopVectorizer::buildVectorLoopAndTail(
    OpBuilder &builder, Value start, Value count, Value step,
    function_ref<SmallVector<Value>()> getInits, Value streamed) {
  Location loc = loop.getLoc();
  // The full vectors end at start + count - count % W.
  Value rest = arith::RemUIOp::create(builder, loc, count, step);
  Value mainCount = arith::SubIOp::create(builder, loc, count, rest);
  Value mainEnd = arith::AddIOp::create(builder, loc, start, mainCount);
  // The loop counts from 0 and offsets the index by `start` (the streaming
  // form's peeled head): LLVM computes the trip count of a loop from 0 to a
  // multiple of W, which it needs to unroll it, but not of one from `start`
  // to `mainEnd`, whose increment may overflow as far as it can tell.
  bool startsAtZero = matchPattern(start, m_Zero());
  Value lower = startsAtZero
                    ? start
                    : arith::ConstantIndexOp::create(builder, loc, 0);
  Value upper = startsAtZero ? mainEnd : mainCount;
  auto mainLoop = scf::ForOp::create(
      builder, loc, lower, upper, step, getInits(),
      [&](OpBuilder &b, Location nestedLoc, Value iv, ValueRange args) {
        Value index =
            startsAtZero ? iv : arith::AddIOp::create(b, nestedLoc, start, iv);
        SmallVector<Value> yielded =
            widenBody(b, index, Value(), args, streamed);
        scf::YieldOp::create(b, nestedLoc, yielded);
      });

  // The masked tail covers the `rest` < W remaining elements.
  builder.setInsertionPointAfter(mainLoop);
  Value mask = vector::CreateMaskOp::create(
      builder, loc, getVectorType(builder.getI1Type()), ValueRange{rest});
  return widenBody(builder, mainEnd, mask, mainLoop.getResults());
}

memref::StoreOp LoopVectorizer::findStreamedStore() {
  if (streamBytes == 0 || !loop->hasAttr(kStreamStoresAttrName))
    return nullptr;
  Block *body = loop.getBody();
  DenseSet<Value> loaded;
  for (Operation &op : body->without_terminator())
    if (auto load = dyn_cast<memref::LoadOp>(op))
      loaded.insert(load.getMemRef());
  for (Operation &op : body->without_terminator()) {
    auto store = dyn_cast<memref::StoreOp>(op);
    if (!store || loaded.contains(store.getMemRef()))
      continue;
    bool outerIndices = llvm::all_of(
        store.getIndices().drop_back(), [&](Value index) {
          return !loop.getRegion().isAncestor(index.getParentRegion());
        });
    if (outerIndices &&
        !loop.getRegion().isAncestor(store.getMemRef().getParentRegion()))
      return store;
  }
  return nullptr;
}

SmallVector<Value> LoopVectorizer::buildStreamingChoice(OpBuilder &builder,
                                                        memref::StoreOp store,
                                                        Value count,
                                                        Value step) {
  Location loc = loop.getLoc();
  Value array = store.getMemRef();
  auto arrayType = cast<MemRefType>(array.getType());
  int64_t elementBytes = arrayType.getElementTypeBitWidth() / 8;
  int64_t vectorBytes = width * elementBytes;
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, value);
  };

  // The array's size in bytes, and the address the loop starts storing at.
  auto metadata =
      memref::ExtractStridedMetadataOp::create(builder, loc, array);
  Value bytes = index(elementBytes);
  for (Value size : metadata.getSizes())
    bytes = arith::MulIOp::create(builder, loc, bytes, size);
  Value offset = metadata.getOffset();
  SmallVector<Value> indices(store.getIndices().drop_back());
  indices.push_back(loop.getLowerBound());
  for (auto [position, stride] :
       llvm::zip_equal(indices, metadata.getStrides()))
    offset = arith::AddIOp::create(
        builder, loc, offset,
        arith::MulIOp::create(builder, loc, position, stride));
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, array);
  address = arith::AddIOp::create(
      builder, loc, address,
      arith::MulIOp::create(builder, loc, offset, index(elementBytes)));

  // Stream when the array is large and its elements are naturally aligned
  // (only then can a head of whole elements reach a vector boundary).
  Value large =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::uge, bytes,
                            index(static_cast<int64_t>(streamBytes)));
  Value misaligned = arith::RemUIOp::create(builder, loc, address,
                                            index(elementBytes));
  Value aligned = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::eq, misaligned, index(0));
  Value stream = arith::AndIOp::create(builder, loc, large, aligned);

  auto streaming = [&](OpBuilder &b, Location) {
    auto index = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(b, loc, value);
    };
    // head = min(count, (-address mod vectorBytes) / elementBytes) < W.
    Value past = arith::RemUIOp::create(b, loc, address, index(vectorBytes));
    Value toBoundary = arith::RemUIOp::create(
        b, loc, arith::SubIOp::create(b, loc, index(vectorBytes), past),
        index(vectorBytes));
    Value head =
        arith::DivUIOp::create(b, loc, toBoundary, index(elementBytes));
    head = arith::MinUIOp::create(b, loc, head, count);
    Value headMask = vector::CreateMaskOp::create(
        b, loc, getVectorType(b.getI1Type()), ValueRange{head});
    SmallVector<Value> accumulators =
        widenBody(b, loop.getLowerBound(), headMask, buildNeutralInits(b));
    Value start = arith::AddIOp::create(b, loc, loop.getLowerBound(), head);
    Value remaining = arith::SubIOp::create(b, loc, count, head);
    accumulators = buildVectorLoopAndTail(
        b, start, remaining, step, [&] { return accumulators; }, array);
    Value yes = arith::ConstantIntOp::create(b, loc, 1, 1);
    memref::StoreOp::create(b, loc, yes, getStreamedFlag(), ValueRange{});
    scf::YieldOp::create(b, loc, accumulators);
  };
  auto plain = [&](OpBuilder &b, Location) {
    scf::YieldOp::create(
        b, loc,
        buildVectorLoopAndTail(b, loop.getLowerBound(), count, step,
                               [&] { return buildNeutralInits(b); }));
  };
  auto ifOp = scf::IfOp::create(builder, loc, stream, streaming, plain);
  ifOp->setAttr(kStreamingChoiceAttrName, builder.getUnitAttr());
  return ifOp.getResults();
}

void LoopVectorizer::rewrite() {
  Location loc = loop.getLoc();
  OpBuilder builder(loop);
  Value lb = loop.getLowerBound(), ub = loop.getUpperBound();
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value step = arith::ConstantIndexOp::create(builder, loc, width);
  // count = max(ub - lb, 0).
  Value count = arith::SubIOp::create(builder, loc, ub, lb);
  count = arith::MaxSIOp::create(builder, loc, count, zero);

  SmallVector<Value> accumulators;
  if (memref::StoreOp store = findStreamedStore())
    accumulators = buildStreamingChoice(builder, store, count, step);
  else
    accumulators = buildVectorLoopAndTail(
        builder, lb, count, step, [&] { return buildNeutralInits(builder); });

  builder.setInsertionPoint(loop);
  SmallVector<Value> results(reductions.size());
  for (auto [sum, error] : compensatedPairs)
    std::tie(results[sum], results[error]) = buildCompensatedLaneSum(
        builder, loc, accumulators[sum], accumulators[error],
        loop.getInitArgs()[sum], loop.getInitArgs()[error]);
  for (auto [index, reduction] : llvm::enumerate(reductions))
    if (!results[index])
      results[index] = vector::ReductionOp::create(
          builder, loc, reduction.kind, accumulators[index],
          loop.getInitArgs()[index]);
  for (auto [index, result] : llvm::enumerate(results))
    loop.getResult(index).replaceAllUsesWith(result);
  loop.erase();
}

/// Before each return of `func`: x86's sfence when `flag` is set (an
/// ordinary fence may be lowered to a locked stack operation, which need
/// not order write-combined stores).
static void fenceBeforeReturns(func::FuncOp func, Value flag) {
  func.walk([&](func::ReturnOp ret) {
    OpBuilder builder(ret);
    Location loc = ret.getLoc();
    Value streamed = memref::LoadOp::create(builder, loc, flag, ValueRange{});
    scf::IfOp::create(builder, loc, streamed, [&](OpBuilder &b, Location) {
      LLVM::CallIntrinsicOp::create(
          b, loc, b.getStringAttr("llvm.x86.sse.sfence"), ValueRange{});
      scf::YieldOp::create(b, loc);
    });
  });
}

namespace {
struct ActVectorizePass : public act::impl::ActVectorizeBase<ActVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    if (vectorBits == 0) {
      getOperation().emitError("act-vectorize: vector-bits must be positive");
      return signalPassFailure();
    }
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(kVectorizeAttrName))
        loops.push_back(loop);
    });
    // Each function's "something was streamed" flag, made when first asked.
    llvm::MapVector<func::FuncOp, Value> flags;
    for (scf::ForOp loop : loops) {
      auto func = loop->getParentOfType<func::FuncOp>();
      auto getStreamedFlag = [&]() -> Value {
        Value &flag = flags[func];
        if (!flag) {
          OpBuilder builder = OpBuilder::atBlockBegin(&func.front());
          Location loc = func.getLoc();
          flag = memref::AllocaOp::create(
              builder, loc, MemRefType::get({}, builder.getI1Type()));
          Value no = arith::ConstantIntOp::create(builder, loc, 0, 1);
          memref::StoreOp::create(builder, loc, no, flag, ValueRange{});
        }
        return flag;
      };
      // Streaming needs a function to fence in.
      LoopVectorizer vectorizer(loop, vectorBits, func ? streamBytes : 0,
                                getStreamedFlag);
      if (failed(vectorizer.analyze()))
        return signalPassFailure();
      vectorizer.rewrite();
    }
    for (auto [func, flag] : flags)
      fenceBeforeReturns(func, flag);
  }
};
} // namespace
