//===- MatmulKernels.cpp - matmul with a bias + activation epilogue -------===//
//
// act-matmul-kernels: for every public elementwise activation @f and every
// requested element type, builds the matmul epilogue kernels of ABI.md,
//
//   NAME_matmul_T(a, b, bias, c, m, n, k, P...)       c = f(a.b + bias)
//   NAME_matmul_aux_T(a, b, bias, c, z, m, n, k, P...)  and z = a.b + bias
//
// row-major, bias possibly NULL, as one loop nest with a vector micro-kernel
// written directly (no BLAS, no heap):
//
//   for ic in 0..m step MC                    row block (528 rows)
//     for pc in 0..max(k, 1) step KC          K block (512)
//       for jp in 0..n step NR                column panel, NR = V vectors
//         bias_j = masked loads of bias[jp + j*W]  (-0.0 when bias is NULL)
//         pack B[pc:pc+kc, jp:jp+NR] into a KC x NR stack buffer (zeros
//         past n)
//         for ir in ic..ic+MC step MR         register tile, rows clamped
//           acc[i][j] = 0 on the first K block, else C[ir+i, jp+jW]
//           for p in 0..kc                    MR*V loop-carried vectors
//             b_j = buf[p, jW]
//             acc[i][j] = fma(broadcast(A[ir+i, pc+p]), b_j, acc[i][j])
//           last K block: z = acc + bias_j, (store z), store f(z) to C
//           otherwise:    store acc to C
//
// The epilogue is the activation's body (ActivationCloner) applied to the
// accumulators of the last K block, once, before the one store of the tile.
// A tiny body (relu: up to `epilogue-ops` / (MR * V) ops) is cloned onto
// every accumulator, in registers; any other is cloned once, in a loop over
// the tile stored to a small stack buffer (1.5 KiB, L1), in a function of
// its own that LLVM does not inline (NAME_matmul_T_epilogue). Measured at
// 1024^3 (AVX-512): identity 137 vs 140 GFLOP/s, relu 120 vs 124, sigmoid
// 107 vs 136 (registers vs loop) -- the loop is never slower, and the
// kernel is 25-70% smaller. Columns past n are masked (vector.create_mask
// per vector of the panel) in the one panel that crosses n; the panels
// inside n pack B and load and store C with plain vector loads and stores
// (scf.if on the panel), since AVX-512 masked loads and stores cost the
// kernel 3-5% on Zen 5 even with every lane set (docs/fusion.md, session
// 10). Rows past m recompute row m-1 and are not stored; k = 0 gives c =
// f(bias); m = 0 touches nothing.
//
// Why this order: the A block (MC x KC) stays in L2 while every panel of B
// streams past it; with A re-read per panel (panels outermost),
// 4096 x 1024 x 1024 ran at ~95 GFLOP/s instead of ~145 (same load), A and
// C no longer fitting the caches. B is packed once per panel and row block
// (m / MC times in all). KC = 512 and MC = 528 measured 5-15% faster at
// 4096 x 1024 x 1024 than 256 and 264 (fewer passes over C, fewer repacks
// of B), the same at 1024^3.
//
// Why a stack panel of B: ABI.md forbids allocation, and B read in place
// walks n-strided rows (cache-set conflicts when n is a power of two:
// DESIGN.md measured 65 GFLOP/s with B unpacked). The KC x NR panel is
// 128 KiB for f32 with 512-bit vectors (NR = 64; 64 KiB f64, 32 KiB f32 with
// 256-bit vectors): fine for the 8 MiB main thread and the 2-8 MiB stacks of
// framework threads, to be lowered with `depth` for small-stack threads. A
// is read in place: each micro-kernel streams MR contiguous rows of one K
// block, and the block stays in L2.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/FusedKernels.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Widening.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTMATMULKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// The register tile and the K blocking.
struct Tiling {
  /// Lanes per vector (W).
  int64_t width;
  /// Rows of the register tile (MR).
  int64_t rows;
  /// Vectors per row of the register tile (V); the panel is V * W wide.
  int64_t vectors;
  /// The K block (KC).
  int64_t depth;
  /// Rows per row block (MC), a multiple of `rows`.
  int64_t blockRows;
};

/// Builds one matmul epilogue kernel.
class MatmulKernelBuilder {
public:
  MatmulKernelBuilder(ActivationOp activation, FloatType type, StringRef dtype,
                      Tiling tiling, bool aux, bool inRegisters)
      : activation(activation), type(type), dtype(dtype), tiling(tiling),
        aux(aux), inRegisters(inRegisters), loc(activation.getLoc()) {}

  void build(OpBuilder &builder);

private:
  Value index(OpBuilder &b, int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  VectorType vectorType() const {
    return VectorType::get({tiling.width}, type);
  }
  Value splat(OpBuilder &b, double value) {
    return arith::ConstantOp::create(
        b, loc, vectorType(),
        DenseElementsAttr::get(vectorType(), b.getFloatAttr(type, value)));
  }
  /// The column of vector `j` of the panel at `jp`.
  Value column(OpBuilder &b, Value jp, int64_t j) {
    return arith::AddIOp::create(b, loc, jp, index(b, j * tiling.width));
  }
  /// One panel of one K block for one row block: masks, bias, packing of
  /// B, then the register tiles of the row block.
  void buildPanel(OpBuilder &b, Value ic, Value icEnd, Value jp, Value pc,
                  Value kc, Value isFirst, Value isLast, Value hasBias,
                  Value biasView);
  /// The tile, one register-blocked K block at a time.
  void buildRowBlock(OpBuilder &b, Value ir, Value jp, Value pc, Value kc,
                     Value isFirst, Value isLast);
  /// Stores row `i` of the tile (raw, or through the epilogue) at `row`.
  void storeRow(OpBuilder &b, Value row, Value jp, ValueRange acc,
                bool epilogue);
  /// The epilogue through `tile`: stores the accumulators there and calls
  /// `epilogue` on it.
  void buildLoopedEpilogue(OpBuilder &b, Value ir, Value jp, ValueRange acc);
  /// The looped epilogue's function: f over the tile's vectors into C (and
  /// Z), out of line (see build()).
  func::FuncOp buildEpilogueFunction(OpBuilder &builder, StringRef name);
  /// Applies bias and activation to `value`: z and f(z).
  std::pair<Value, Value> applyEpilogue(OpBuilder &b, Value value,
                                        Value bias);
  /// Builds `body(masked)` twice, under `scf.if whole`: with plain loads and
  /// stores where every lane lies inside n, masked ones elsewhere.
  void buildWholeOrMasked(OpBuilder &b, Value whole,
                          function_ref<void(OpBuilder &, bool)> body);
  /// A vector load or store at `indices`, under `mask` unless it is null.
  Value loadVector(OpBuilder &b, Value memref, ValueRange indices, Value mask);
  void storeVector(OpBuilder &b, Value value, Value memref, ValueRange indices,
                   Value mask);

  ActivationOp activation;
  FloatType type;
  StringRef dtype;
  Tiling tiling;
  bool aux;
  /// Whether the epilogue is cloned onto every accumulator (in registers)
  /// or looped over the tile stored to the stack (one clone).
  bool inRegisters;
  Location loc;

  // Values of the function, set by build() (cs, zs and the cloner's
  // parameters by buildEpilogueFunction() in the epilogue's function).
  Value as, bs, cs, zs, buf, tile, biasTile;
  func::FuncOp function, epilogue;
  Value m, n, k;
  SmallVector<Value> masks, biases;
  /// Whether the whole panel lies inside n (its masks all true).
  Value wholePanel;
  std::optional<ActivationCloner> cloner;
};

} // namespace

Value MatmulKernelBuilder::loadVector(OpBuilder &b, Value memref,
                                      ValueRange indices, Value mask) {
  if (!mask)
    return vector::LoadOp::create(b, loc, vectorType(), memref, indices);
  return vector::MaskedLoadOp::create(b, loc, vectorType(), memref, indices,
                                      mask, splat(b, 0.0));
}

void MatmulKernelBuilder::storeVector(OpBuilder &b, Value value, Value memref,
                                      ValueRange indices, Value mask) {
  if (mask)
    vector::MaskedStoreOp::create(b, loc, memref, indices, mask, value);
  else
    vector::StoreOp::create(b, loc, value, memref, indices);
}

void MatmulKernelBuilder::buildWholeOrMasked(
    OpBuilder &b, Value whole, function_ref<void(OpBuilder &, bool)> body) {
  scf::IfOp::create(
      b, loc, whole,
      [&](OpBuilder &tb, Location) {
        body(tb, false);
        scf::YieldOp::create(tb, loc);
      },
      [&](OpBuilder &eb, Location) {
        body(eb, true);
        scf::YieldOp::create(eb, loc);
      });
}

std::pair<Value, Value>
MatmulKernelBuilder::applyEpilogue(OpBuilder &b, Value value, Value bias) {
  Value z = createArgumentSum(b, loc, value, bias);
  return {z, cloner->clone(b, z).front()};
}

void MatmulKernelBuilder::storeRow(OpBuilder &b, Value row, Value jp,
                                   ValueRange acc, bool epilogue) {
  // The values first, once; only the stores differ between the branches.
  SmallVector<Value> sums, results(acc.begin(), acc.end());
  if (epilogue)
    for (int64_t j = 0; j < tiling.vectors; ++j) {
      auto [z, y] = applyEpilogue(b, acc[j], biases[j]);
      sums.push_back(z);
      results[j] = y;
    }
  buildWholeOrMasked(b, wholePanel, [&](OpBuilder &sb, bool masked) {
    for (int64_t j = 0; j < tiling.vectors; ++j) {
      SmallVector<Value, 2> indices{row, column(sb, jp, j)};
      Value mask = masked ? masks[j] : Value();
      if (epilogue && aux)
        storeVector(sb, sums[j], zs, indices, mask);
      storeVector(sb, results[j], cs, indices, mask);
    }
  });
}

void MatmulKernelBuilder::buildLoopedEpilogue(OpBuilder &b, Value ir, Value jp,
                                              ValueRange acc) {
  for (int64_t i = 0; i < tiling.rows; ++i)
    for (int64_t j = 0; j < tiling.vectors; ++j)
      vector::StoreOp::create(
          b, loc, acc[i * tiling.vectors + j], tile,
          ValueRange{index(b, i), index(b, j * tiling.width)});
  SmallVector<Value> arguments{tile, biasTile, function.getArgument(3)};
  if (aux)
    arguments.push_back(function.getArgument(4));
  arguments.append({ir, jp, m, n});
  llvm::append_range(arguments, function.getArguments().take_back(
                                    activation.getRuntimeParams().size()));
  func::CallOp::create(b, loc, epilogue, arguments);
}

func::FuncOp MatmulKernelBuilder::buildEpilogueFunction(OpBuilder &builder,
                                                       StringRef name) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), indexType = builder.getIndexType();
  int64_t panelWidth = tiling.vectors * tiling.width;
  SmallVector<Type> types{MemRefType::get({tiling.rows, panelWidth}, type),
                          MemRefType::get({panelWidth}, type), ptr};
  if (aux)
    types.push_back(ptr);
  types.append(4, indexType);
  types.append(activation.getRuntimeParams().size(), builder.getF32Type());
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  func.setPrivate();
  func->setAttr(kNoInlineAttrName, UnitAttr::get(ctx));
  OpBuilder::InsertionGuard guard(builder);
  OpBuilder b = OpBuilder::atBlockBegin(func.addEntryBlock());
  unsigned first = aux ? 4 : 3;
  Value tile = func.getArgument(0), biasTile = func.getArgument(1);
  Value ir = func.getArgument(first), jp = func.getArgument(first + 1);
  Value m = func.getArgument(first + 2), n = func.getArgument(first + 3);
  auto matrixType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, type);
  cs = ViewOp::create(b, loc, matrixType, func.getArgument(2),
                      ValueRange{m, n});
  if (aux)
    zs = ViewOp::create(b, loc, matrixType, func.getArgument(3),
                        ValueRange{m, n});
  cloner.emplace(activation, type, tiling.width,
                 func.getArguments().drop_front(first + 4));

  Value left = arith::SubIOp::create(b, loc, m, ir);
  Value rowCount = arith::MinSIOp::create(b, loc, left, index(b, tiling.rows));
  Value valid = arith::SubIOp::create(b, loc, n, jp);
  scf::ForOp::create(
      b, loc, index(b, 0), rowCount, index(b, 1), ValueRange{},
      [&](OpBuilder &rb, Location, Value i, ValueRange) {
        Value row = arith::AddIOp::create(rb, loc, ir, i);
        scf::ForOp::create(
            rb, loc, index(rb, 0), index(rb, panelWidth),
            index(rb, tiling.width), ValueRange{},
            [&](OpBuilder &vb, Location, Value offset, ValueRange) {
              Value col = arith::AddIOp::create(vb, loc, jp, offset);
              Value count = arith::SubIOp::create(vb, loc, valid, offset);
              count = arith::MaxSIOp::create(vb, loc, count, index(vb, 0));
              count = arith::MinSIOp::create(vb, loc, count,
                                             index(vb, tiling.width));
              Value mask = vector::CreateMaskOp::create(
                  vb, loc, VectorType::get({tiling.width}, vb.getI1Type()),
                  ValueRange{count});
              Value value = vector::LoadOp::create(vb, loc, vectorType(), tile,
                                                   ValueRange{i, offset});
              Value bias = vector::LoadOp::create(vb, loc, vectorType(),
                                                  biasTile, offset);
              Value z, y;
              std::tie(z, y) = applyEpilogue(vb, value, bias);
              Value whole = arith::CmpIOp::create(
                  vb, loc, arith::CmpIPredicate::eq, count,
                  index(vb, tiling.width));
              buildWholeOrMasked(vb, whole, [&](OpBuilder &sb, bool masked) {
                SmallVector<Value, 2> indices{row, col};
                if (aux)
                  storeVector(sb, z, zs, indices, masked ? mask : Value());
                storeVector(sb, y, cs, indices, masked ? mask : Value());
              });
              scf::YieldOp::create(vb, loc);
            });
        scf::YieldOp::create(rb, loc);
      });
  func::ReturnOp::create(b, loc);
  return func;
}

void MatmulKernelBuilder::buildRowBlock(OpBuilder &b, Value ir, Value jp,
                                        Value pc, Value kc, Value isFirst,
                                        Value isLast) {
  int64_t numAcc = tiling.rows * tiling.vectors;
  // Rows past m recompute the last row; their results are not stored.
  Value lastRow = arith::SubIOp::create(b, loc, m, index(b, 1));
  SmallVector<Value> rows;
  for (int64_t i = 0; i < tiling.rows; ++i) {
    Value row = arith::AddIOp::create(b, loc, ir, index(b, i));
    rows.push_back(arith::MinSIOp::create(b, loc, row, lastRow));
  }

  // The accumulators start at zero, or at the partial sums in C.
  auto init = scf::IfOp::create(
      b, loc, isFirst,
      [&](OpBuilder &tb, Location) {
        Value zero = splat(tb, 0.0);
        scf::YieldOp::create(tb, loc, SmallVector<Value>(numAcc, zero));
      },
      [&](OpBuilder &eb, Location) {
        auto loadTile = [&](OpBuilder &lb, bool masked) {
          SmallVector<Value> partial;
          for (int64_t i = 0; i < tiling.rows; ++i)
            for (int64_t j = 0; j < tiling.vectors; ++j)
              partial.push_back(
                  loadVector(lb, cs, ValueRange{rows[i], column(lb, jp, j)},
                             masked ? masks[j] : Value()));
          scf::YieldOp::create(lb, loc, partial);
        };
        auto partial = scf::IfOp::create(
            eb, loc, wholePanel,
            [&](OpBuilder &tb, Location) { loadTile(tb, false); },
            [&](OpBuilder &mb, Location) { loadTile(mb, true); });
        scf::YieldOp::create(eb, loc, partial.getResults());
      });

  // The micro-kernel: one rank-1 update of the tile per p.
  auto kernel = scf::ForOp::create(
      b, loc, index(b, 0), kc, index(b, 1), init.getResults(),
      [&](OpBuilder &lb, Location, Value p, ValueRange acc) {
        SmallVector<Value> panel;
        for (int64_t j = 0; j < tiling.vectors; ++j)
          panel.push_back(vector::LoadOp::create(
              lb, loc, vectorType(), buf,
              ValueRange{p, index(lb, j * tiling.width)}));
        Value kk = arith::AddIOp::create(lb, loc, pc, p);
        SmallVector<Value> next;
        for (int64_t i = 0; i < tiling.rows; ++i) {
          Value a =
              memref::LoadOp::create(lb, loc, as, ValueRange{rows[i], kk});
          Value broadcast =
              vector::BroadcastOp::create(lb, loc, vectorType(), a);
          for (int64_t j = 0; j < tiling.vectors; ++j)
            next.push_back(vector::FMAOp::create(lb, loc, broadcast, panel[j],
                                                 acc[i * tiling.vectors + j]));
        }
        scf::YieldOp::create(lb, loc, next);
      });
  // Unrolled, the loop holds two iterations' operands at once: more than
  // the 32 (16) vector registers, and LLVM spills accumulators in it.
  MLIRContext *ctx = b.getContext();
  kernel->setAttr("loop_annotation",
                  LLVM::LoopAnnotationAttr::get(
                      ctx, {}, {}, {},
                      LLVM::LoopUnrollAttr::get(ctx, b.getBoolAttr(true), {},
                                                {}, {}, {}, {}, {}),
                      {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}));

  // Stores each row that exists: through the epilogue on the last K block.
  auto storeTile = [&](OpBuilder &sb, bool epilogue) {
    for (int64_t i = 0; i < tiling.rows; ++i) {
      ValueRange acc =
          kernel.getResults().slice(i * tiling.vectors, tiling.vectors);
      if (i == 0) {
        storeRow(sb, rows[i], jp, acc, epilogue);
        continue;
      }
      Value row = arith::AddIOp::create(sb, loc, ir, index(sb, i));
      Value exists =
          arith::CmpIOp::create(sb, loc, arith::CmpIPredicate::slt, row, m);
      scf::IfOp::create(sb, loc, exists, [&](OpBuilder &ib, Location) {
        storeRow(ib, rows[i], jp, acc, epilogue);
        scf::YieldOp::create(ib, loc);
      });
    }
  };
  scf::IfOp::create(
      b, loc, isLast,
      [&](OpBuilder &tb, Location) {
        if (inRegisters)
          storeTile(tb, true);
        else
          buildLoopedEpilogue(tb, ir, jp, kernel.getResults());
        scf::YieldOp::create(tb, loc);
      },
      [&](OpBuilder &eb, Location) {
        storeTile(eb, false);
        scf::YieldOp::create(eb, loc);
      });
}

void MatmulKernelBuilder::buildPanel(OpBuilder &pb, Value ic, Value icEnd,
                                     Value jp, Value pc, Value kc,
                                     Value isFirst, Value isLast, Value hasBias,
                                     Value biasView) {
  // The lanes of each vector of the panel that lie inside n; a panel
  // inside n uses none of these masks (plain loads and stores).
  Value valid = arith::SubIOp::create(pb, loc, n, jp);
  wholePanel = arith::CmpIOp::create(
      pb, loc, arith::CmpIPredicate::sge, valid,
      index(pb, tiling.vectors * tiling.width));
  masks.clear();
  for (int64_t j = 0; j < tiling.vectors; ++j) {
    Value count =
        arith::SubIOp::create(pb, loc, valid, index(pb, j * tiling.width));
    count = arith::MaxSIOp::create(pb, loc, count, index(pb, 0));
    count = arith::MinSIOp::create(pb, loc, count, index(pb, tiling.width));
    masks.push_back(vector::CreateMaskOp::create(
        pb, loc, VectorType::get({tiling.width}, pb.getI1Type()),
        ValueRange{count}));
  }
  // -0.0 is the exact neutral element of the bias addition.
  auto biasIf = scf::IfOp::create(
      pb, loc, hasBias,
      [&](OpBuilder &tb, Location) {
        SmallVector<Value> loaded;
        Value negZero = splat(tb, -0.0);
        for (int64_t j = 0; j < tiling.vectors; ++j)
          loaded.push_back(vector::MaskedLoadOp::create(
              tb, loc, vectorType(), biasView, ValueRange{column(tb, jp, j)},
              masks[j], negZero));
        scf::YieldOp::create(tb, loc, loaded);
      },
      [&](OpBuilder &eb, Location) {
        scf::YieldOp::create(
            eb, loc, SmallVector<Value>(tiling.vectors, splat(eb, -0.0)));
      });
  biases.assign(biasIf.getResults().begin(), biasIf.getResults().end());
  if (!inRegisters)
    for (int64_t j = 0; j < tiling.vectors; ++j)
      vector::StoreOp::create(pb, loc, biases[j], biasTile,
                              index(pb, j * tiling.width));

  // Pack B[pc:pc+kc, jp:jp+NR], zeros past n.
  buildWholeOrMasked(pb, wholePanel, [&](OpBuilder &wb, bool masked) {
    scf::ForOp::create(
        wb, loc, index(wb, 0), kc, index(wb, 1), ValueRange{},
        [&](OpBuilder &lb, Location, Value p, ValueRange) {
          Value row = arith::AddIOp::create(lb, loc, pc, p);
          for (int64_t j = 0; j < tiling.vectors; ++j) {
            Value v = loadVector(lb, bs, ValueRange{row, column(lb, jp, j)},
                                 masked ? masks[j] : Value());
            vector::StoreOp::create(lb, loc, v, buf,
                                    ValueRange{p, index(lb, j * tiling.width)});
          }
          scf::YieldOp::create(lb, loc);
        });
  });
  scf::ForOp::create(pb, loc, ic, icEnd, index(pb, tiling.rows), ValueRange{},
                     [&](OpBuilder &rb, Location, Value ir, ValueRange) {
                       buildRowBlock(rb, ir, jp, pc, kc, isFirst, isLast);
                       scf::YieldOp::create(rb, loc);
                     });
}

void MatmulKernelBuilder::build(OpBuilder &builder) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = builder.getI64Type();
  size_t numParams = activation.getRuntimeParams().size();
  SmallVector<Type> types(aux ? 5 : 4, ptr);
  types.append(3, i64);
  types.append(numParams, builder.getF32Type());
  std::string name = getKernelName(activation.getSymName(),
                                   aux ? "matmul_aux" : "matmul", dtype);
  // Out of line, the looped epilogue's constants and temporaries stay out
  // of the micro-kernel's register allocation: inlined, the accurate gelu
  // epilogue (20 table registers) left 32 register copies in every
  // iteration of the K loop (docs/fusion.md, session 14).
  if (!inRegisters)
    epilogue = buildEpilogueFunction(builder, name + "_epilogue");
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  function = func;
  OpBuilder::InsertionGuard guard(builder);
  OpBuilder b = OpBuilder::atBlockBegin(func.addEntryBlock());
  unsigned sizes = aux ? 5 : 4;
  auto toIndex = [&](Value value) -> Value {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
  };
  m = toIndex(func.getArgument(sizes));
  n = toIndex(func.getArgument(sizes + 1));
  k = toIndex(func.getArgument(sizes + 2));
  cloner.emplace(activation, type, tiling.width,
                 func.getArguments().take_back(numParams));

  int64_t panelWidth = tiling.vectors * tiling.width;
  auto matrixType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, type);
  auto view = [&](unsigned arg, Value rows, Value cols) -> Value {
    return ViewOp::create(b, loc, matrixType, func.getArgument(arg),
                          ValueRange{rows, cols});
  };
  as = view(0, m, k);
  bs = view(1, k, n);
  cs = view(3, m, n);
  if (aux)
    zs = view(4, m, n);
  Value biasPtr = func.getArgument(2);
  Value biasView =
      ViewOp::create(b, loc, MemRefType::get({ShapedType::kDynamic}, type),
                     biasPtr, ValueRange{n});
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  Value hasBias =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, biasPtr, null);
  buf = memref::AllocaOp::create(
      b, loc, MemRefType::get({tiling.depth, panelWidth}, type),
      b.getI64IntegerAttr(64));
  if (!inRegisters) {
    tile = memref::AllocaOp::create(
        b, loc, MemRefType::get({tiling.rows, panelWidth}, type),
        b.getI64IntegerAttr(64));
    biasTile = memref::AllocaOp::create(
        b, loc, MemRefType::get({panelWidth}, type), b.getI64IntegerAttr(64));
  }
  // k = 0 still runs one (empty) K block: c = f(bias).
  Value kEnd = arith::MaxSIOp::create(b, loc, k, index(b, 1));

  // Row blocks of MC rows, K blocks, then column panels: the block of A
  // (MC x KC) stays in L2 while every panel of B streams past it, packed
  // per panel; m = 0 runs no row block, so it touches nothing.
  scf::ForOp::create(
      b, loc, index(b, 0), m, index(b, tiling.blockRows), ValueRange{},
      [&](OpBuilder &ib, Location, Value ic, ValueRange) {
        Value icEnd =
            arith::AddIOp::create(ib, loc, ic, index(ib, tiling.blockRows));
        icEnd = arith::MinSIOp::create(ib, loc, icEnd, m);
        scf::ForOp::create(
            ib, loc, index(ib, 0), kEnd, index(ib, tiling.depth), ValueRange{},
            [&](OpBuilder &kb, Location, Value pc, ValueRange) {
              Value rest = arith::SubIOp::create(kb, loc, k, pc);
              Value kc = arith::MinSIOp::create(kb, loc, rest,
                                                index(kb, tiling.depth));
              Value isFirst = arith::CmpIOp::create(
                  kb, loc, arith::CmpIPredicate::eq, pc, index(kb, 0));
              Value blockEnd =
                  arith::AddIOp::create(kb, loc, pc, index(kb, tiling.depth));
              Value isLast = arith::CmpIOp::create(
                  kb, loc, arith::CmpIPredicate::sge, blockEnd, k);
              scf::ForOp::create(
                  kb, loc, index(kb, 0), n, index(kb, panelWidth), ValueRange{},
                  [&](OpBuilder &pb, Location, Value jp, ValueRange) {
                    buildPanel(pb, ic, icEnd, jp, pc, kc, isFirst, isLast,
                               hasBias, biasView);
                    scf::YieldOp::create(pb, loc);
                  });
              scf::YieldOp::create(kb, loc);
            });
        scf::YieldOp::create(ib, loc);
      });
  func::ReturnOp::create(b, loc);
}

/// A rough count of the vector ops one clone of the body becomes: the
/// transcendental functions expand into a polynomial each.
static int64_t getEpilogueCost(ActivationOp activation) {
  int64_t cost = 0;
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (isa<ParamOp, arith::ConstantOp>(op))
      continue;
    bool expands = isa<SigmoidOp, SoftplusOp>(op) ||
                   op.getDialect()->getNamespace() == "math";
    cost += expands ? 20 : 1;
  }
  return cost;
}

namespace {
struct ActMatmulKernelsPass
    : public act::impl::ActMatmulKernelsBase<ActMatmulKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (vectorBits < 64 || rows < 1 || depth < 1) {
      module.emitError("act-matmul-kernels: vector-bits must be at least 64, "
                       "rows and depth positive");
      return signalPassFailure();
    }
    FailureOr<SmallVector<KernelDType>> types = parseKernelDTypes(
        module, SmallVector<std::string>(dtypes.begin(), dtypes.end()));
    if (failed(types))
      return signalPassFailure();
    FailureOr<SmallVector<std::string>> selected = parseKernelKinds(
        module, SmallVector<std::string>(kinds.begin(), kinds.end()),
        "act-matmul-kernels: ");
    if (failed(selected))
      return signalPassFailure();
    SmallVector<bool, 2> auxKinds;
    for (bool aux : {false, true})
      if (isKernelKindSelected(*selected, aux ? "matmul_aux" : "matmul"))
        auxKinds.push_back(aux);
    if (auxKinds.empty())
      return;
    for (const FusedActivation &entry : collectFusedActivations(module)) {
      if (failed(ActivationCloner(entry.forward,
                                  Float32Type::get(&getContext()), 0, {})
                     .verify()))
        return signalPassFailure();
      OpBuilder builder(entry.forward);
      for (const KernelDType &dtype : *types) {
        if (!isKernelKindAvailable("matmul", dtype.name))
          continue;
        Tiling tiling;
        tiling.width =
            std::max<int64_t>(1, vectorBits / FloatType(dtype.type).getWidth());
        tiling.rows = rows;
        // 32 registers of 512 bits hold a 6 x 4 tile with its operands; 16
        // of 256 bits a 6 x 2 tile.
        tiling.vectors = vectors ? vectors : (vectorBits >= 512 ? 4 : 2);
        tiling.depth = depth;
        tiling.blockRows =
            (std::max<int64_t>(blockRows, 1) + rows - 1) / rows * rows;
        bool inRegisters =
            getEpilogueCost(entry.forward) * tiling.rows * tiling.vectors <=
            epilogueOps;
        for (bool aux : auxKinds)
          MatmulKernelBuilder(entry.forward, dtype.type, dtype.name, tiling,
                              aux, inRegisters)
              .build(builder);
      }
    }
  }
};
} // namespace
