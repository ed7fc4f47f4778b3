//===- ActOps.td - act dialect operations ------------------*- tablegen -*-===//

#ifndef ACT_OPS_TD
#define ACT_OPS_TD

include "ActDialect.td"
include "ActAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/VectorInterfaces.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Dialect/LLVMIR/LLVMTypes.td"

//===----------------------------------------------------------------------===//
// Definitions
//===----------------------------------------------------------------------===//

def Act_ActivationOp : Act_Op<"activation", [
    IsolatedFromAbove, Symbol, SingleBlock,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "Defines one activation function";
  let description = [{
    The body is a scalar function of the input element, the single block
    argument. Parameters are listed with their defaults and read in the body
    with `act.param`; `formula` keeps the source text for documentation.
    Public activations get kernels; private ones (prelude callees not asked
    for) exist only to be inlined. `grad_of = @f` marks the derivative of
    `@f` built by act-autodiff: it returns df/dx and then df/dp for every
    runtime parameter p.

    ```mlir
    act.activation @leaky_relu params [#act.param<"alpha" = 0.01>] {
    ^bb0(%x: f64):
      %zero = arith.constant 0.0 : f64
      %alpha = act.param "alpha" : f64
      %pos = arith.cmpf oge, %x, %zero : f64
      %neg = arith.mulf %alpha, %x : f64
      %y = arith.select %pos, %x, %neg : f64
      act.return %y : f64
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypedArrayAttrBase<Act_ParamAttr, "parameters">:$params,
                       OptionalAttr<StrAttr>:$formula,
                       OptionalAttr<StrAttr>:$sym_visibility,
                       OptionalAttr<FlatSymbolRefAttr>:$grad_of);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `params` $params attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The input element: the body's only argument.
    ::mlir::BlockArgument getInput() { return getBody().getArgument(0); }
    /// The scalar type the formula is written in.
    ::mlir::FloatType getElementType() {
      return ::llvm::cast<::mlir::FloatType>(getInput().getType());
    }
    /// The parameter named `name`, or null.
    ::mlir::act::ParamAttr lookupParam(::llvm::StringRef name);
    /// The position of parameter `name` in `params`, or -1.
    int64_t getParamIndex(::llvm::StringRef name);
    /// The runtime parameters, in declaration order.
    ::llvm::SmallVector<::mlir::act::ParamAttr> getRuntimeParams();
    /// The value the body returns.
    ::mlir::Value getResult();
    /// True when the body reads a row reduction (softmax-like).
    bool isRowActivation();
  }];
}

def Act_ReturnOp : Act_Op<"return", [
    Pure, Terminator, HasParent<"ActivationOp">]> {
  let summary = "Returns the activation's value (and a gradient's partials)";
  let description = [{
    An activation returns its value. A gradient activation (one with
    `grad_of`) returns df/dx followed by df/dp for each runtime parameter.

    ```mlir
    act.return %y : f64
    act.return %dfdx, %dfdbeta : f64, f64
    ```
  }];
  let arguments = (ins Variadic<AnyFloat>:$values);
  let assemblyFormat = "$values attr-dict `:` type($values)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The first returned value: the activation's value, or df/dx.
    ::mlir::Value getValue() { return getValues().front(); }
  }];
}

def Act_ParamOp : Act_Op<"param", [Pure]> {
  let summary = "Reads a parameter of the enclosing activation";
  let description = [{
    ```mlir
    %alpha = act.param "alpha" : f64
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs AnyFloat:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Act_CallOp : Act_Op<"call", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Applies another activation";
  let description = [{
    The first operand is the input element; the others give every parameter
    of the callee, in its declaration order.

    ```mlir
    %y = act.call @leaky_relu(%x, %alpha) : (f64, f64) -> f64
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<AnyFloat>:$args);
  let results = (outs AnyFloat:$result);
  let assemblyFormat = [{
    $callee `(` $args `)` attr-dict `:` functional-type($args, $result)
  }];
  let extraClassDeclaration = [{
    ::mlir::Value getInput() { return getArgs().front(); }
    ::mlir::OperandRange getParamValues() { return getArgs().drop_front(); }
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise functions arith and math lack
//===----------------------------------------------------------------------===//

class Act_UnaryFloatOp<string mnemonic, list<Trait> traits = []>
    : Act_Op<mnemonic, traits # [Pure, SameOperandsAndResultType,
                                  ElementwiseMappable]> {
  let arguments = (ins FloatLike:$operand);
  let results = (outs FloatLike:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

def Act_SigmoidOp : Act_UnaryFloatOp<"sigmoid"> {
  let summary = "Logistic sigmoid 1 / (1 + exp(-x))";
  let description = [{
    ```mlir
    %s = act.sigmoid %x : f64
    ```
  }];
}

def Act_SoftplusOp : Act_UnaryFloatOp<"softplus"> {
  let summary = "log(1 + exp(x)), evaluated without overflow";
  let description = [{
    ```mlir
    %s = act.softplus %x : vector<16xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Double-double functions (f64 row kernels)
//===----------------------------------------------------------------------===//

def Act_F64Like : TypeOrValueSemanticsContainer<F64, "f64-like">;

class Act_PairFloatOp<string mnemonic>
    : Act_Op<mnemonic, [Pure, ElementwiseMappable,
                        AllTypesMatch<["hi", "lo", "resultHi", "resultLo"]>]> {
  let arguments = (ins Act_F64Like:$hi, Act_F64Like:$lo);
  let results = (outs Act_F64Like:$resultHi, Act_F64Like:$resultLo);
  let assemblyFormat = "$hi `,` $lo attr-dict `:` type($hi)";
}

def Act_ExpPairOp : Act_PairFloatOp<"exp_pair"> {
  let summary = "exp of an unevaluated f64 pair, as a pair";
  let description = [{
    exp(hi + lo) as resultHi + resultLo, to about 2^-60 relative where the
    result is normal; where resultLo is unused, resultHi is exp rounded
    once from the pair, subnormal results too. lo is ignored where
    |hi| >= 746 or hi
    is not finite. act-kernels builds it for f64 row kernels, which have
    no wider type (softmax's exp(x - max) with x - max as a TwoSum pair);
    act-math-approx lowers it.

    ```mlir
    %e, %el = act.exp_pair %d, %dl : vector<8xf64>
    ```
  }];
}

def Act_Log1pPairOp : Act_PairFloatOp<"log1p_pair"> {
  let summary = "log1p of an unevaluated f64 pair, as a pair";
  let description = [{
    log1p(hi + lo) as resultHi + resultLo, to about 2^-58 relative, for
    hi + lo > -1 with |lo| within a few ulp(hi) (a series below 2^-20,
    where 1 + hi + lo as a pair would lose lo); +inf, -1, below -1 and
    NaN hi give log1p's specials (lo 0). act-kernels builds it for f64 row
    kernels (log_softmax's log1p of its compensated row sum, softmax's
    log of its sum); act-math-approx lowers it.

    ```mlir
    %l, %ll = act.log1p_pair %t, %tl : f64
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Row reductions
//===----------------------------------------------------------------------===//

class Act_RowReductionOp<string mnemonic>
    : Act_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let arguments = (ins AnyFloat:$operand);
  let results = (outs AnyFloat:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

def Act_RowSumOp : Act_RowReductionOp<"rowsum"> {
  let summary = "Sum of an expression over the row";
  let description = [{
    The operand is evaluated at every element of the row; the result is the
    same scalar for all of them. An activation using it is a row activation.

    ```mlir
    %e = math.exp %x : f64
    %s = act.rowsum %e : f64
    ```
  }];
}

def Act_RowMaxOp : Act_RowReductionOp<"rowmax"> {
  let summary = "Maximum of an expression over the row";
  let description = [{
    ```mlir
    %m = act.rowmax %x : f64
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Differentiation
//===----------------------------------------------------------------------===//

def Act_DiffOp : Act_Op<"diff", [
    Pure, AllTypesMatch<["value", "wrt", "result"]>]> {
  let summary = "Derivative of a value with respect to a leaf";
  let description = [{
    A pending derivative d`value`/d`wrt`, where `wrt` is the input element
    or a parameter. act-autodiff creates it and rewrites it away with the
    chain rules of td/Derivatives.td; none is left after that pass.

    ```mlir
    %d = act.diff %y wrt %x : f64
    ```
  }];
  let arguments = (ins AnyFloat:$value, AnyFloat:$wrt);
  let results = (outs AnyFloat:$result);
  let assemblyFormat = "$value `wrt` $wrt attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Kernel plumbing
//===----------------------------------------------------------------------===//

def Act_ViewOp : Act_Op<"view", [Pure]> {
  let summary = "Views a raw C pointer as a row-major memref";
  let description = [{
    Kernels take plain C pointers (ABI.md); this builds the memref the loop
    nest reads, with the given dynamic sizes and a contiguous row-major
    layout.

    ```mlir
    %xs = act.view %x[%n] : !llvm.ptr -> memref<?xf32>
    %m = act.view %a[%rows, %cols] : !llvm.ptr -> memref<?x?xf32>
    ```
  }];
  let arguments = (ins LLVM_AnyPointer:$ptr, Variadic<Index>:$sizes);
  let results = (outs AnyRankedOrUnrankedMemRef:$result);
  let assemblyFormat = [{
    $ptr `[` $sizes `]` attr-dict `:` qualified(type($ptr)) `->` type($result)
  }];
  let hasVerifier = 1;
}

// The tensor-level graph act-fuse works on (td/FusionOps.td).
include "FusionOps.td"

#endif // ACT_OPS_TD
