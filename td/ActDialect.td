//===- ActDialect.td - the act dialect ----------------------*- tablegen -*-===//
//
// The act dialect describes activation functions symbolically: one scalar
// function of the input element per activation. Kernels are derived from it.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_DIALECT_TD
#define ACT_DIALECT_TD

include "mlir/IR/OpBase.td"

def Act_Dialect : Dialect {
  let name = "act";
  let summary = "Symbolic activation functions";
  let description = [{
    An `act.activation` holds the formula of one activation as a scalar
    region over the input element. Elementary arithmetic uses `arith` and
    `math`; this dialect adds what they lack: parameters, calls between
    activations, `sigmoid`, `softplus` and the row reductions that make
    softmax-like activations.
  }];
  let cppNamespace = "::mlir::act";
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect"
  ];
  let useDefaultAttributePrinterParser = 1;
}

class Act_Op<string mnemonic, list<Trait> traits = []>
    : Op<Act_Dialect, mnemonic, traits>;

#endif // ACT_DIALECT_TD
