//===- ActAttrs.td - act dialect attributes ----------------*- tablegen -*-===//

#ifndef ACT_ATTRS_TD
#define ACT_ATTRS_TD

include "ActDialect.td"
include "mlir/IR/AttrTypeBase.td"

def Act_ParamAttr : AttrDef<Act_Dialect, "Param"> {
  let mnemonic = "param";
  let summary = "A parameter of an activation";
  let description = [{
    A named parameter with its default. A compile-time constant is folded
    into the kernels; a `runtime` parameter becomes a `float` argument of
    every kernel (and the backward kernels return its gradient).

    ```mlir
    #act.param<"alpha" = 0.01>
    #act.param<runtime "beta" = 1.0>
    ```
  }];
  let parameters = (ins StringRefParameter<"parameter name">:$name,
                        APFloatParameter<"default value">:$defaultValue,
                        "bool":$runtime);
  let hasCustomAssemblyFormat = 1;
}

#endif // ACT_ATTRS_TD
