//===- FusionOps.td - tensor-level activation graph ops -----*- tablegen -*-===//
//
// The ops act-fuse reads and writes: a network layer as a graph of tensors,
// the way a framework lowers `f(x @ W + b)` and its backward, and the fused
// forms that name exactly one kernel of ABI.md each. Included from
// ActOps.td: these are act dialect ops.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_FUSION_OPS_TD
#define ACT_FUSION_OPS_TD

include "ActDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonTypeConstraints.td"

def Act_FloatMatrix : 2DTensorOf<[AnyFloat]>;
def Act_FloatRow : 1DTensorOf<[AnyFloat]>;

class Act_GraphOp<string mnemonic, list<Trait> traits = []>
    : Act_Op<mnemonic, traits # [Pure]> {
  let hasVerifier = 1;
}

class Act_ActivationUserOp<string mnemonic, list<Trait> traits = []>
    : Act_GraphOp<mnemonic, traits # [
          DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let extraClassDeclaration = [{
    /// The number of runtime parameters @activation must have.
    size_t getNumRuntimeParams() { return getParams().size(); }
  }];
}

//===----------------------------------------------------------------------===//
// The unfused graph
//===----------------------------------------------------------------------===//

def Act_MatmulOp : Act_GraphOp<"matmul"> {
  let summary = "Matrix product of two row-major tensors";
  let description = [{
    `a` is m x k, `b` is k x n; the result is m x n. act-fuse also reads
    `linalg.matmul` whose init is a fill with zero as this op.

    ```mlir
    %c = act.matmul %a, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins Act_FloatMatrix:$a, Act_FloatMatrix:$b);
  let results = (outs Act_FloatMatrix:$result);
  let assemblyFormat = [{
    $a `,` $b attr-dict `:` type($a) `,` type($b) `->` type($result)
  }];
}

def Act_BiasAddOp : Act_GraphOp<"bias_add",
                                 [AllTypesMatch<["input", "result"]>]> {
  let summary = "Adds a row vector to every row of a matrix";
  let description = [{
    result[r, c] = x[r, c] + bias[c].

    ```mlir
    %z = act.bias_add %x, %bias : tensor<?x?xf32>, tensor<?xf32>
    ```
  }];
  let arguments = (ins Act_FloatMatrix:$input, Act_FloatRow:$bias);
  let results = (outs Act_FloatMatrix:$result);
  let assemblyFormat = [{
    $input `,` $bias attr-dict `:` type($input) `,` type($bias)
  }];
}

def Act_ColumnSumOp : Act_GraphOp<"column_sum"> {
  let summary = "Sums a matrix over its rows";
  let description = [{
    result[c] = sum over r of x[r, c]: the bias gradient of a layer.

    ```mlir
    %db = act.column_sum %dx : tensor<?x?xf32> -> tensor<?xf32>
    ```
  }];
  let arguments = (ins Act_FloatMatrix:$input);
  let results = (outs Act_FloatRow:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Act_ApplyOp : Act_ActivationUserOp<"apply",
                                       [AllTypesMatch<["input", "result"]>]> {
  let summary = "Applies an elementwise activation to every element";
  let description = [{
    `params` are the runtime parameters of the activation, in declaration
    order.

    ```mlir
    %y = act.apply @gelu(%z) : tensor<?x?xf32>
    %y = act.apply @swish(%z) params(%beta) : tensor<?x?xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$activation, Act_FloatMatrix:$input,
                       Variadic<F32>:$params);
  let results = (outs Act_FloatMatrix:$result);
  let assemblyFormat = [{
    $activation `(` $input `)` (`params` `(` $params^ `)`)? attr-dict `:`
    type($input)
  }];
}

def Act_ApplyGradOp : Act_ActivationUserOp<"apply_grad", [
    AllTypesMatch<["input", "dy", "result"]>]> {
  let summary = "The backward of act.apply: dx = dy * f'(x)";
  let description = [{
    ```mlir
    %dx = act.apply_grad @gelu(%z, %dy) : tensor<?x?xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$activation, Act_FloatMatrix:$input,
                       Act_FloatMatrix:$dy, Variadic<F32>:$params);
  let results = (outs Act_FloatMatrix:$result);
  let assemblyFormat = [{
    $activation `(` $input `,` $dy `)` (`params` `(` $params^ `)`)? attr-dict
    `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// The fused forms: one ABI.md kernel each
//===----------------------------------------------------------------------===//

def Act_FusedBiasOp : Act_ActivationUserOp<"fused_bias",
                                           [AllTypesMatch<["input", "result"]>]> {
  let summary = "f(x + bias) in one pass: NAME_bias_T";
  let description = [{
    ```mlir
    %y = act.fused_bias @gelu(%x, %bias) : tensor<?x?xf32>, tensor<?xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$activation, Act_FloatMatrix:$input,
                       Act_FloatRow:$bias, Variadic<F32>:$params);
  let results = (outs Act_FloatMatrix:$result);
  let assemblyFormat = [{
    $activation `(` $input `,` $bias `)` (`params` `(` $params^ `)`)?
    attr-dict `:` type($input) `,` type($bias)
  }];
}

def Act_FusedBiasGradOp : Act_ActivationUserOp<"fused_bias_grad", [
    AttrSizedOperandSegments, AllTypesMatch<["input", "dy", "dx"]>]> {
  let summary = "dx = dy * f'(x + bias) and its column sums: NAME_bias_grad_T";
  let description = [{
    Without `bias`, z is `input` itself (the kernel runs with a zero bias).

    ```mlir
    %dx, %db = act.fused_bias_grad @gelu(%x, %dy) bias(%bias : tensor<?xf32>)
        : tensor<?x?xf32>, tensor<?xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$activation, Act_FloatMatrix:$input,
                       Act_FloatMatrix:$dy, Optional<Act_FloatRow>:$bias,
                       Variadic<F32>:$params);
  let results = (outs Act_FloatMatrix:$dx, Act_FloatRow:$dbias);
  let assemblyFormat = [{
    $activation `(` $input `,` $dy `)` (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`params` `(` $params^ `)`)? attr-dict `:` type($input) `,` type($dbias)
  }];
}

def Act_FusedMatmulOp : Act_ActivationUserOp<"fused_matmul",
                                             [AttrSizedOperandSegments]> {
  let summary = "f(a . b + bias), the epilogue in registers: NAME_matmul_T";
  let description = [{
    ```mlir
    %c = act.fused_matmul @gelu(%a, %b) bias(%bias : tensor<?xf32>)
        : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$activation, Act_FloatMatrix:$a,
                       Act_FloatMatrix:$b, Optional<Act_FloatRow>:$bias,
                       Variadic<F32>:$params);
  let results = (outs Act_FloatMatrix:$result);
  let assemblyFormat = [{
    $activation `(` $a `,` $b `)` (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`params` `(` $params^ `)`)? attr-dict `:` type($a) `,` type($b) `->`
    type($result)
  }];
}

def Act_FusedMatmulAuxOp : Act_ActivationUserOp<"fused_matmul_aux", [
    AttrSizedOperandSegments, AllTypesMatch<["result", "z"]>]> {
  let summary = "f(a . b + bias) and z = a . b + bias: NAME_matmul_aux_T";
  let description = [{
    For a z the backward pass keeps (cuBLASLt's GELU_AUX).

    ```mlir
    %c, %z = act.fused_matmul_aux @gelu(%a, %b) bias(%bias : tensor<?xf32>)
        : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$activation, Act_FloatMatrix:$a,
                       Act_FloatMatrix:$b, Optional<Act_FloatRow>:$bias,
                       Variadic<F32>:$params);
  let results = (outs Act_FloatMatrix:$result, Act_FloatMatrix:$z);
  let assemblyFormat = [{
    $activation `(` $a `,` $b `)` (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`params` `(` $params^ `)`)? attr-dict `:` type($a) `,` type($b) `->`
    type($result)
  }];
}

#endif // ACT_FUSION_OPS_TD
