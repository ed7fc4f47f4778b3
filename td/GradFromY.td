//===- GradFromY.td - rewrites of act-grad-from-y -------------*- tablegen -*-===//
//
// Rewrites of a derivative written in y = f(x): what inverting f leaves
// (divisions by the constants that f multiplied by) folded back, and the
// forms that are accurate where y is data, exact, rather than a rounded
// value.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_GRAD_FROM_Y_TD
#define ACT_GRAD_FROM_Y_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"

// A float constant equal to `value`.
class FloatEquals<string value> : AttrConstraint<CPred<
    "::llvm::isa<::mlir::FloatAttr>($_self) && "
    "::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() == " # value>,
    "float constant " # value>;

def FiniteFloat : AttrConstraint<CPred<
    "::llvm::isa<::mlir::FloatAttr>($_self) && "
    "::llvm::cast<::mlir::FloatAttr>($_self).getValue().isFinite()">,
    "finite float constant">;
def FiniteNonZeroFloat : AttrConstraint<CPred<
    "::llvm::isa<::mlir::FloatAttr>($_self) && "
    "::llvm::cast<::mlir::FloatAttr>($_self).getValue().isFiniteNonZero()">,
    "finite nonzero float constant">;

def SameAttr : Constraint<CPred<"$0 == $1">, "the same constant">;
def HasOneUse : Constraint<CPred<"$0.hasOneUse()">, "used once">;

// The constant c * k, in k's type.
def BuildProduct : NativeCodeCall<
    "::mlir::act::buildConstantProduct($_builder, $_loc, $0, $1)">;

// (v / k + c) * k -> v + c * k for constants k and c: what inverting
// y = k * g(x) leaves in a derivative (selu: ((y / scale / alpha + 1) *
// alpha) * scale is y + alpha * scale). The division and the addition would
// cancel where y is near -c * k; the sum does not.
def FoldInverseScaling : Pat<
    (Arith_MulFOp
        (Arith_AddFOp (Arith_DivFOp $v, (Arith_ConstantOp $divisor), $fm2),
                      (Arith_ConstantOp FiniteFloat:$c), $fm1),
        (Arith_ConstantOp FiniteNonZeroFloat:$k), $fm),
    (Arith_AddFOp $v, (BuildProduct $c, $k), $fm),
    [(SameAttr $divisor, $k)]>;

// select(c, a, b) * k -> select(c, a * k, b * k) for a constant k (the same
// roundings per branch), so that FoldInverseScaling sees the branch.
def DistributeScalingIntoSelect : Pat<
    (Arith_MulFOp (SelectOp:$select $c, $a, $b),
                  (Arith_ConstantOp:$k $kAttr), $fm),
    (SelectOp $c, (Arith_MulFOp $a, $k, $fm), (Arith_MulFOp $b, $k, $fm)),
    [(HasOneUse $select)]>;

// 1 - v * v -> (1 - v) * (1 + v): the input y of a from-y kernel is data,
// exact, and 1 - y (or 1 + y) is exact where |y| >= 1/2, so tanh' = 1 - y^2
// does not cancel near |y| = 1 (the product of rounded y * y would).
def DifferenceOfSquares : Pat<
    (Arith_SubFOp (Arith_ConstantOp:$one FloatEquals<"1.0">:$oneAttr),
                  (Arith_MulFOp $v, $v, $fm1), $fm),
    (Arith_MulFOp (Arith_SubFOp $one, $v, $fm), (Arith_AddFOp $v, $one, $fm),
                  $fm)>;

#endif // ACT_GRAD_FROM_Y_TD
