//===- Fusion.td - the fusions of act-fuse -----------------*- tablegen -*-===//
//
// In the manner of Triton's Combine.td: each rule matches a chain of graph
// ops (td/FusionOps.td) whose intermediates nobody else reads and replaces
// it with the op that names one fused kernel of ABI.md. The fusions that
// replace two roots at once (the aux epilogue, the backward with its column
// sum) are C++ patterns in lib/Dialect/Act/Transforms/Fuse.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_FUSION_TD
#define ACT_FUSION_TD

include "mlir/IR/PatternBase.td"
include "ActOps.td"

// The value feeds one op only: fusing it away loses nothing.
def HasOneUse : Constraint<CPred<"$0.hasOneUse()">, "has one use">;

def BuildFusedMatmul : NativeCodeCall<
    "::mlir::act::buildFusedMatmul($_builder, $_loc, $0, $1, $2, $3, $4)">;
def BuildFusedMatmulNoBias : NativeCodeCall<
    "::mlir::act::buildFusedMatmul($_builder, $_loc, $0, $1, $2, "
    "::mlir::Value(), $3)">;

// f(a . b + bias) -> act.fused_matmul (NAME_matmul_T): the epilogue runs
// on the accumulators, c is stored once.
def FuseMatmulBiasApply : Pat<
    (Act_ApplyOp $f,
        (Act_BiasAddOp:$z (Act_MatmulOp:$mm $a, $b), $bias), $params),
    (BuildFusedMatmul $f, $a, $b, $bias, $params),
    [(HasOneUse $mm), (HasOneUse $z)]>;

// f(a . b) -> act.fused_matmul without bias.
def FuseMatmulApply : Pat<
    (Act_ApplyOp $f, (Act_MatmulOp:$mm $a, $b), $params),
    (BuildFusedMatmulNoBias $f, $a, $b, $params),
    [(HasOneUse $mm)]>;

// f(x + bias) -> act.fused_bias (NAME_bias_T): one pass over x instead of
// two. Matches fewer ops than the rules above, so it applies only where
// they do not (x a matmul other ops read as well).
def FuseBiasApply : Pat<
    (Act_ApplyOp $f, (Act_BiasAddOp:$z $x, $bias), $params),
    (Act_FusedBiasOp $f, $x, $bias, $params),
    [(HasOneUse $z)]>;

#endif // ACT_FUSION_TD
