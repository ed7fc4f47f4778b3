// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate scale * (x > 0 ? x : alpha * expm1(x)) in f32 (the
// kernels act-expand routes: AccurateF32Routing.h's getAccurateEluForms;
// AccurateF32Forms.cpp's EluSelect, Approx/AccurateF32Exp.cpp): the expm1
// is one-sided (x <= 0): n held at -24 or above by a max on the shifter's
// sum, r1 = x - n ln2_head exact, the polynomial on r = r1 + c, 2^n from
// the shifter's bits, (2^n - 1) + 2^n r1 as an exact Fast2Sum pair by two
// FMAs, 2^n w joined to its low part, one final sum; the test is x >= 0.

// elu: no constants, the pair's sum is the result.
// CHECK-LABEL: func.func @elu_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[SH:.*]] = arith.constant dense<0x4B400000> : vector<16xf32>
// CHECK-DAG:     %[[FLOOR:.*]] = arith.constant dense<0x4B3FFFE8> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<-1.800000e+01> : vector<16xf32>
// CHECK:         %[[GE:.*]] = arith.cmpf oge, %[[X]], %[[ZERO]]
// CHECK-NEXT:    %[[A:.*]] = arith.maximumf %[[X]], %[[LO]]
// CHECK-NEXT:    %[[T0:.*]] = math.fma %[[A]], %{{.*}}, %[[SH]]
// CHECK-NEXT:    %[[T:.*]] = arith.maximumf %[[T0]], %[[FLOOR]]
// CHECK-NEXT:    %[[MN:.*]] = arith.subf %[[SH]], %[[T]]
// CHECK-NEXT:    %[[R1:.*]] = math.fma %[[MN]], %{{.*}}, %[[A]]
// CHECK-NEXT:    %[[C:.*]] = arith.mulf %[[MN]], %{{.*}}
// CHECK-NEXT:    %[[R:.*]] = arith.addf %[[R1]], %[[C]]
// CHECK-COUNT-5: math.fma %{{.*}}, %[[R]], %{{.*}}
// CHECK-NEXT:    %[[RQ:.*]] = arith.mulf %[[R]], %{{.*}}
// CHECK-NEXT:    %[[W:.*]] = math.fma %[[RQ]], %[[R]], %[[C]]
// CHECK-NEXT:    %[[TB:.*]] = arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT:    %[[SHL:.*]] = arith.shli %[[TB]]
// CHECK-NEXT:    %[[MB:.*]] = arith.addi %[[SHL]]
// CHECK-NEXT:    %[[M:.*]] = arith.bitcast %[[MB]] : vector<16xi32> to vector<16xf32>
// CHECK-NEXT:    %[[M1:.*]] = arith.subf %[[M]], %[[ONE]]
// CHECK-NEXT:    %[[HI:.*]] = math.fma %[[M]], %[[R1]], %[[M1]]
// CHECK-NEXT:    %[[Z:.*]] = arith.subf %[[HI]], %[[M1]]
// CHECK-NEXT:    %[[NZ:.*]] = arith.negf %[[Z]]
// CHECK-NEXT:    %[[PL:.*]] = math.fma %[[M]], %[[R1]], %[[NZ]]
// CHECK-NEXT:    %[[L:.*]] = math.fma %[[M]], %[[W]], %[[PL]]
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %[[HI]], %[[L]]
// CHECK-NEXT:    %[[S:.*]] = arith.select %[[GE]], %[[X]], %[[Y]]
// CHECK-NEXT:    return %[[S]]
func.func @elu_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %y = arith.select %c, %x, %e : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// selu: both products join the form, with their act.exact values as f32
// pairs (scale * alpha = 1.75809932 + 2.33e-8, scale = 1.0507009 +
// 8.44e-8, heads rounded toward zero): kh hi exact by one FMA, kh lo + kl hi
// added, one sum; x sh + x sl by one FMA; below |x| = 2^-100 c x on x 2^48
// scaled back.
// CHECK-LABEL: func.func @selu_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[KH:.*]] = arith.constant dense<1.75809932> : vector<16xf32>
// CHECK-DAG:     %[[KL:.*]] = arith.constant dense<2.32967174E-8> : vector<16xf32>
// CHECK-DAG:     %[[SH:.*]] = arith.constant dense<1.0507009> : vector<16xf32>
// CHECK-DAG:     %[[SL:.*]] = arith.constant dense<8.44166407E-8> : vector<16xf32>
// CHECK-DAG:     %[[UP:.*]] = arith.constant dense<2.81474977E+14> : vector<16xf32>
// CHECK-DAG:     %[[DOWN:.*]] = arith.constant dense<3.55271368E-15> : vector<16xf32>
// CHECK-DAG:     %[[TINY:.*]] = arith.constant dense<7.88860905E-31> : vector<16xf32>
// CHECK:         %[[GE:.*]] = arith.cmpf oge, %[[X]], %{{.*}}
// CHECK-NOT:     math.expm1
// CHECK:         %[[PH:.*]] = arith.mulf %[[HI:.*]], %[[KH]]
// CHECK-NEXT:    %[[NPH:.*]] = arith.negf %[[PH]]
// CHECK-NEXT:    %[[PL:.*]] = math.fma %[[KH]], %[[HI]], %[[NPH]]
// CHECK-NEXT:    %[[Q:.*]] = math.fma %[[KL]], %[[HI]], %[[PL]]
// CHECK-NEXT:    %[[Q2:.*]] = math.fma %[[KH]], %{{.*}}, %[[Q]]
// CHECK-NEXT:    %[[NEG:.*]] = arith.addf %[[PH]], %[[Q2]]
// CHECK-NEXT:    %[[XL:.*]] = arith.mulf %[[X]], %[[SL]]
// CHECK-NEXT:    %[[POS:.*]] = math.fma %[[X]], %[[SH]], %[[XL]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[GE]], %[[POS]], %[[NEG]]
// CHECK-NEXT:    %[[XS:.*]] = arith.mulf %[[X]], %[[UP]]
// CHECK-NEXT:    %[[CH:.*]] = arith.select %[[GE]], %[[SH]], %[[KH]]
// CHECK-NEXT:    %[[CL:.*]] = arith.select %[[GE]], %[[SL]], %[[KL]]
// CHECK-NEXT:    %[[XCL:.*]] = arith.mulf %[[XS]], %[[CL]]
// CHECK-NEXT:    %[[YS:.*]] = math.fma %[[XS]], %[[CH]], %[[XCL]]
// CHECK-NEXT:    %[[YT:.*]] = arith.mulf %[[YS]], %[[DOWN]]
// CHECK-NEXT:    %[[AX:.*]] = math.absf %[[X]]
// CHECK-NEXT:    %[[SMALL:.*]] = arith.cmpf olt, %[[AX]], %[[TINY]]
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[SMALL]], %[[YT]], %[[Y]]
// CHECK-NEXT:    return %[[R]]
func.func @selu_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %alpha = arith.constant dense<1.67326319> : vector<16xf32>
  %scale = arith.constant dense<1.05070102> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %a = arith.mulf %e, %alpha {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
  %y = arith.select %c, %x, %a : vector<16xi1>, vector<16xf32>
  %s = arith.mulf %y, %scale {act.exact = [unit, 1.0507009873554805]} : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// Not this form: a test other than x > 0 keeps the two-sided expm1 (its
// upper clamp, a minimumf).
// CHECK-LABEL: func.func @not_elu(
// CHECK:         arith.minimumf
// CHECK-NOT:     arith.cmpf oge
func.func @not_elu(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %c = arith.cmpf olt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %y = arith.select %c, %x, %e : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// selu's gradient: scale * (x > 0 ? 1 : alpha * exp(x)) is x > 0 ? scale :
// k exp(x), k = scale alpha as an f32 pair: kh h exact by one FMA, kh l +
// kl h added, one sum, then 2^n (two exact factors without AVX-512).
// CHECK-LABEL: func.func @selu_grad_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[KH:.*]] = arith.constant dense<1.75809932> : vector<16xf32>
// CHECK-DAG:     %[[KL:.*]] = arith.constant dense<2.32967174E-8> : vector<16xf32>
// CHECK-DAG:     %[[S:.*]] = arith.constant dense<1.05070102> : vector<16xf32>
// CHECK-NOT:     math.exp
// CHECK:         %[[PH:.*]] = arith.mulf %[[H:.*]], %[[KH]]
// CHECK-NEXT:    %[[NPH:.*]] = arith.negf %[[PH]]
// CHECK-NEXT:    %[[PL:.*]] = math.fma %[[KH]], %[[H]], %[[NPH]]
// CHECK-NEXT:    %[[Q:.*]] = math.fma %[[KL]], %[[H]], %[[PL]]
// CHECK-NEXT:    %[[Q2:.*]] = math.fma %[[KH]], %{{.*}}, %[[Q]]
// CHECK-NEXT:    %[[SUM:.*]] = arith.addf %[[PH]], %[[Q2]]
// CHECK:         %[[S1:.*]] = arith.mulf %[[SUM]], %{{.*}} : vector<16xf32>
// CHECK:         %[[NEG:.*]] = arith.mulf %[[S1]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[GT:.*]] = arith.cmpf ogt, %[[X]], %{{.*}}
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[GT]], %[[S]], %[[NEG]]
// CHECK-NEXT:    return %[[Y]]
func.func @selu_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %alpha = arith.constant dense<1.67326319> : vector<16xf32>
  %scale = arith.constant dense<1.05070102> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.exp %x : vector<16xf32>
  %a = arith.mulf %e, %alpha {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
  %s = arith.select %c, %one, %a : vector<16xi1>, vector<16xf32>
  %g = arith.mulf %s, %scale {act.exact = [unit, 1.0507009873554805]} : vector<16xf32>
  return %g : vector<16xf32>
}
