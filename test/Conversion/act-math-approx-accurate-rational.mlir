// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate f32 forms of the rational activations (the kernels
// act-expand routes: RationalForms.h; Approx/AccurateF32Rational.cpp),
// each rounded about once with exact error terms instead of f64.

// hard_sigmoid: x clamped to [-3, 3] (NaN kept: x > 3 ? 3 : x), x + 3 as
// an exact Fast2Sum pair, then (h + l) / 6: q = h RN(1/6), its remainder
// h - 6q exact by FMA, one correcting FMA.
// CHECK-LABEL: func.func @hard_sigmoid(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[M6:.*]] = arith.constant dense<-6.000000e+00>
// CHECK-DAG:     %[[R6:.*]] = arith.constant dense<0.166666672>
// CHECK-DAG:     %[[P3:.*]] = arith.constant dense<3.000000e+00>
// CHECK-DAG:     %[[M3:.*]] = arith.constant dense<-3.000000e+00>
// CHECK:         %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[P3]]
// CHECK-NEXT:    %[[X1:.*]] = arith.select %[[GT]], %[[P3]], %[[X]]
// CHECK-NEXT:    %[[LT:.*]] = arith.cmpf olt, %[[X1]], %[[M3]]
// CHECK-NEXT:    %[[XC:.*]] = arith.select %[[LT]], %[[M3]], %[[X1]]
// CHECK-NEXT:    %[[H:.*]] = arith.addf %[[XC]], %[[P3]]
// CHECK-NEXT:    %[[Z:.*]] = arith.subf %[[H]], %[[P3]]
// CHECK-NEXT:    %[[L:.*]] = arith.subf %[[XC]], %[[Z]]
// CHECK-NEXT:    %[[Q:.*]] = arith.mulf %[[H]], %[[R6]]
// CHECK-NEXT:    %[[REM:.*]] = math.fma %[[Q]], %[[M6]], %[[H]]
// CHECK-NEXT:    %[[REML:.*]] = arith.addf %[[REM]], %[[L]]
// CHECK-NEXT:    %[[Y:.*]] = math.fma %[[REML]], %[[R6]], %[[Q]]
// CHECK-NEXT:    return %[[Y]]
func.func @hard_sigmoid(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %lo = arith.maximumf %s, %zero : vector<16xf32>
  %hi = arith.minimumf %lo, %six : vector<16xf32>
  %y = arith.divf %hi, %six : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// hard_swish: x (x + 3) / 6 = x (uh + ul), u = (x + 3) / 6 as a pair from
// the Fast2Sum pair of xc + 3 (xc = min(x, 3), NaN kept) and the exact
// remainder; one FMA x uh + xc ul rounds and gives x itself above 3 (uh =
// 1, ul = 0): no select there; x < -3 keeps its select (AVX-512 folds it
// into the FMA as a zero mask).
// CHECK-LABEL: func.func @hard_swish(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-DAG:     %[[M3:.*]] = arith.constant dense<-3.000000e+00>
// CHECK-DAG:     %[[M6:.*]] = arith.constant dense<-6.000000e+00>
// CHECK-DAG:     %[[R6:.*]] = arith.constant dense<0.166666672>
// CHECK-DAG:     %[[P3:.*]] = arith.constant dense<3.000000e+00>
// CHECK:         %[[ABOVE:.*]] = arith.cmpf ogt, %[[X]], %[[P3]]
// CHECK-NEXT:    %[[XC:.*]] = arith.select %[[ABOVE]], %[[P3]], %[[X]]
// CHECK-NEXT:    %[[H:.*]] = arith.addf %[[XC]], %[[P3]]
// CHECK-NEXT:    %[[Z:.*]] = arith.subf %[[H]], %[[P3]]
// CHECK-NEXT:    %[[L:.*]] = arith.subf %[[XC]], %[[Z]]
// CHECK-NEXT:    %[[UH:.*]] = arith.mulf %[[H]], %[[R6]]
// CHECK-NEXT:    %[[REM:.*]] = math.fma %[[UH]], %[[M6]], %[[H]]
// CHECK-NEXT:    %[[REML:.*]] = arith.addf %[[REM]], %[[L]]
// CHECK-NEXT:    %[[UL:.*]] = arith.mulf %[[REML]], %[[R6]]
// CHECK-NEXT:    %[[XUL:.*]] = arith.mulf %[[XC]], %[[UL]]
// CHECK-NEXT:    %[[Y:.*]] = math.fma %[[X]], %[[UH]], %[[XUL]]
// CHECK-NEXT:    %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[M3]]
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[BELOW]], %[[ZERO]], %[[Y]]
// CHECK-NEXT:    return %[[R]]
func.func @hard_swish(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %below = arith.cmpf olt, %x, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %x, %three : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %q = arith.divf %p, %six : vector<16xf32>
  %a = arith.select %above, %x, %q : vector<16xi1>, vector<16xf32>
  %y = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// hard_swish' = (x + 3 + x) / 6 = (x + 1.5) / 3: Fast2Sum (exact for
// |x| <= 3), the division by 3 as for hard_sigmoid; dy's product after.
// CHECK-LABEL: func.func @hard_swish_grad(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-DAG:     %[[M3:.*]] = arith.constant dense<-3.000000e+00>
// CHECK-DAG:     %[[R3:.*]] = arith.constant dense<0.333333343>
// CHECK-DAG:     %[[HALF3:.*]] = arith.constant dense<1.500000e+00>
// CHECK:         %[[H:.*]] = arith.addf %[[X]], %[[HALF3]]
// CHECK-NEXT:    %[[Z:.*]] = arith.subf %[[H]], %[[HALF3]]
// CHECK-NEXT:    %[[L:.*]] = arith.subf %[[X]], %[[Z]]
// CHECK-NEXT:    %[[Q:.*]] = arith.mulf %[[H]], %[[R3]]
// CHECK-NEXT:    %[[REM:.*]] = math.fma %[[Q]], %[[M3]], %[[H]]
// CHECK-NEXT:    %[[REML:.*]] = arith.addf %[[REM]], %[[L]]
// CHECK-NEXT:    %[[G:.*]] = math.fma %[[REML]], %[[R3]], %[[Q]]
// CHECK:         %[[A:.*]] = arith.select %{{.*}}, %[[ZERO]], %[[G]]
// CHECK-NEXT:    %[[S:.*]] = arith.select %{{.*}}, %[[ONE]], %[[A]]
// CHECK-NEXT:    %[[DX:.*]] = arith.mulf %[[DY]], %[[S]]
// CHECK-NEXT:    return %[[DX]]
func.func @hard_swish_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %below = arith.cmpf olt, %x, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %x, %three : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %t = arith.addf %s, %x : vector<16xf32>
  %q = arith.divf %t, %six : vector<16xf32>
  %a = arith.select %above, %one, %q : vector<16xi1>, vector<16xf32>
  %g = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// A select tree of constants divided by a constant (hard_sigmoid'): the
// tree of the rounded quotients, no division left.
// CHECK-LABEL: func.func @hard_sigmoid_grad(
// CHECK-DAG:     %[[SIXTH:.*]] = arith.constant dense<0.166666672>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-NOT:     arith.divf
// CHECK:         %[[A:.*]] = arith.select %{{.*}}, %[[ZERO]], %[[SIXTH]]
// CHECK-NEXT:    arith.select %{{.*}}, %[[ZERO]], %[[A]]
// CHECK-NOT:     arith.divf
func.func @hard_sigmoid_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %hi = arith.cmpf ole, %three, %x : vector<16xf32>
  %lo = arith.cmpf oge, %mthree, %x : vector<16xf32>
  %a = arith.select %lo, %zero, %one : vector<16xi1>, vector<16xf32>
  %b = arith.select %hi, %zero, %a : vector<16xi1>, vector<16xf32>
  %q = arith.divf %b, %six : vector<16xf32>
  %nan = arith.cmpf une, %x, %x : vector<16xf32>
  %g = arith.select %nan, %x, %q : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// softsign: x clamped to +-2^32 (sign(+-inf) without the select), 1 + |x|
// as a Fast2Sum pair (larger term first, a NaN kept in the smaller), its
// reciprocal r + rl by one division and two FMA residuals, then
// fma(x, r, x rl).
// CHECK-LABEL: func.func @softsign(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00>
// CHECK-DAG:     %[[BIG:.*]] = arith.constant dense<4.2949673E+9>
// CHECK-DAG:     %[[MBIG:.*]] = arith.constant dense<-4.2949673E+9>
// CHECK:         arith.select %{{.*}}, %[[BIG]], %[[X]]
// CHECK:         %[[XC:.*]] = arith.select %{{.*}}, %[[MBIG]], %{{.*}}
// CHECK-NEXT:    %[[A:.*]] = math.absf %[[XC]]
// CHECK-NEXT:    %[[GT:.*]] = arith.cmpf ogt, %[[A]], %[[ONE]]
// CHECK-NEXT:    %[[B:.*]] = arith.select %[[GT]], %[[A]], %[[ONE]]
// CHECK-NEXT:    %[[S:.*]] = arith.select %[[GT]], %[[ONE]], %[[A]]
// CHECK-NEXT:    %[[DH:.*]] = arith.addf %[[B]], %[[S]]
// CHECK-NEXT:    %[[Z:.*]] = arith.subf %[[DH]], %[[B]]
// CHECK-NEXT:    %[[DL:.*]] = arith.subf %[[S]], %[[Z]]
// CHECK-NEXT:    %[[R:.*]] = arith.divf %[[ONE]], %[[DH]]
// CHECK-NEXT:    %[[NR:.*]] = arith.negf %[[R]]
// CHECK-NEXT:    %[[E1:.*]] = math.fma %[[NR]], %[[DH]], %[[ONE]]
// CHECK-NEXT:    %[[NR2:.*]] = arith.negf %[[R]]
// CHECK-NEXT:    %[[E2:.*]] = math.fma %[[NR2]], %[[DL]], %[[E1]]
// CHECK-NEXT:    %[[RL:.*]] = arith.mulf %[[E2]], %[[R]]
// CHECK-NEXT:    %[[XRL:.*]] = arith.mulf %[[XC]], %[[RL]]
// CHECK-NEXT:    %[[Y:.*]] = math.fma %[[XC]], %[[R]], %[[XRL]]
// CHECK-NEXT:    return %[[Y]]
func.func @softsign(%x: vector<16xf32>) -> vector<16xf32> {
  %inf = arith.constant dense<0x7F800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %mone = arith.constant dense<-1.000000e+00> : vector<16xf32>
  %abs = math.absf %x : vector<16xf32>
  %isinf = arith.cmpf oeq, %abs, %inf : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %z = arith.mulf %x, %zero : vector<16xf32>
  %s0 = arith.select %neg, %mone, %z : vector<16xi1>, vector<16xf32>
  %pos = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %sign = arith.select %pos, %one, %s0 : vector<16xi1>, vector<16xf32>
  %t = arith.addf %abs, %one : vector<16xf32>
  %q = arith.divf %x, %t : vector<16xf32>
  %y = arith.select %isinf, %sign, %q : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// softsign' = 1 / (1 + |x|)^2 = fma(r, r, 2 r rl), one rounding (subnormal
// results too); |x| held at 2^80, where it rounds to 0 = f'(+-inf).
// CHECK-LABEL: func.func @softsign_grad(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[LIMIT:.*]] = arith.constant dense<1.20892582E+24>
// CHECK:         %[[A:.*]] = math.absf %[[X]]
// CHECK-NEXT:    %[[GT:.*]] = arith.cmpf ogt, %[[A]], %[[LIMIT]]
// CHECK-NEXT:    arith.select %[[GT]], %[[LIMIT]], %[[A]]
// CHECK:         %[[R:.*]] = arith.divf
// CHECK:         %[[RL:.*]] = arith.mulf %{{.*}}, %[[R]]
// CHECK-NEXT:    %[[R2:.*]] = arith.addf %[[R]], %[[R]]
// CHECK-NEXT:    %[[T:.*]] = arith.mulf %[[R2]], %[[RL]]
// CHECK-NEXT:    %[[G:.*]] = math.fma %[[R]], %[[R]], %[[T]]
// CHECK-NEXT:    %[[DX:.*]] = arith.mulf %[[DY]], %[[G]]
// CHECK-NEXT:    return %[[DX]]
func.func @softsign_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %inf = arith.constant dense<0x7F800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %mone = arith.constant dense<-1.000000e+00> : vector<16xf32>
  %abs = math.absf %x : vector<16xf32>
  %isinf = arith.cmpf oeq, %abs, %inf : vector<16xf32>
  %t = arith.addf %abs, %one : vector<16xf32>
  %q = arith.divf %x, %t : vector<16xf32>
  %pos = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %s0 = arith.select %neg, %mone, %zero : vector<16xi1>, vector<16xf32>
  %sign = arith.select %pos, %one, %s0 : vector<16xi1>, vector<16xf32>
  %m = arith.mulf %q, %sign : vector<16xf32>
  %d = arith.subf %one, %m : vector<16xf32>
  %g0 = arith.divf %d, %t : vector<16xf32>
  %g = arith.select %isinf, %zero, %g0 : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// A bare x * (x + 3) / 6 without the guards on x is not a form (its
// Fast2Sum needs |x| <= 3): left as it is.
// CHECK-LABEL: func.func @unguarded(
// CHECK:         arith.divf
// CHECK-NOT:     math.fma
func.func @unguarded(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %q = arith.divf %p, %six : vector<16xf32>
  return %q : vector<16xf32>
}
