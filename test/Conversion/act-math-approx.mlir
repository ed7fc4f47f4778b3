// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s --check-prefix=FAST

// f32 exp is ours: n = round(x log2(e)) by the 1.5 * 2^23 shifter (its
// integer from the bits), r = x - n ln 2 by FMAs with a split ln 2, the
// polynomial by FMAs, 2^n applied as two exact power-of-two factors built
// from bits. No libm call, no upstream floor.

// CHECK-LABEL: func.func @exp_f32(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     math.exp
// CHECK:         %[[T:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// CHECK:         arith.shrsi %{{.*}} : vector<16xi32>
// CHECK:         arith.shli %{{.*}} : vector<16xi32>
// CHECK:         arith.bitcast %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK-NOT:     math.floor
// CHECK-NOT:     call
// CHECK:         return
// FAST-LABEL:  func.func @exp_f32(
// FAST-NOT:      math.exp
// FAST:          math.fma
func.func @exp_f32(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.exp %x : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Every f32 transcendental of the prelude is approximated: no math op but
// the native abs/floor/fma/copysign/sqrt is left, no libm call.

// CHECK-LABEL: func.func @transcendentals_f32(
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.erfc
// CHECK-NOT:     math.log1p
// CHECK-NOT:     math.expm1
// CHECK-NOT:     math.log {{.*}}
// CHECK-NOT:     math.exp {{.*}}
// CHECK-NOT:     call
// CHECK:         return
func.func @transcendentals_f32(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %0 = math.tanh %x : vector<16xf32>
  %1 = math.erf %x : vector<16xf32>
  %2 = math.erfc %x : vector<16xf32>
  %3 = math.log1p %x : vector<16xf32>
  %4 = math.expm1 %x : vector<16xf32>
  %5 = math.log %x : vector<16xf32>
  return %0, %1, %2, %3, %4, %5 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// -----

// f32 powf and rsqrt are first expanded into what is approximated (pow =
// exp(y log x), rsqrt = 1 / sqrt); exp2 is ours directly.

// CHECK-LABEL: func.func @expanded_f32(
// CHECK-NOT:     math.powf
// CHECK-NOT:     math.exp2
// CHECK-NOT:     math.rsqrt
// CHECK-NOT:     call
// CHECK:         math.sqrt %{{.*}} : vector<8xf32>
// CHECK:         arith.divf
// CHECK:         return
func.func @expanded_f32(%x: vector<8xf32>, %p: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %0 = math.powf %x, %p : vector<8xf32>
  %1 = math.exp2 %x : vector<8xf32>
  %2 = math.rsqrt %x : vector<8xf32>
  return %0, %1, %2 : vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// -----

// f64: exp, exp2, expm1, log, log1p, tanh, erf and erfc are ours (1 ULP
// of f64, vector code: no call, no math op left); atan becomes libm calls,
// one per lane (math-to-llvm cannot lower it); powf stays for LLVM (a libm
// call in the backend); abs, floor, fma, sqrt are instructions.

// CHECK-DAG:   func.func private @atan(f64) -> f64
// CHECK-NOT:   func.func private @erf
// CHECK-NOT:   func.func private @exp2
// CHECK-NOT:   func.func private @tanh
// CHECK-NOT:   func.func private @expm1
// CHECK-NOT:   func.func private @log1p
// CHECK-LABEL: func.func @libm_f64(
// CHECK-SAME:      %[[X:.*]]: vector<2xf64>, %[[S:.*]]: f64)
// CHECK-NOT:     math.tanh
// CHECK:         %[[X0:.*]] = vector.extract %[[X]][0] : f64 from vector<2xf64>
// CHECK:         %[[T0:.*]] = call @atan(%[[X0]]) : (f64) -> f64
// CHECK:         %[[V0:.*]] = vector.insert %[[T0]], %{{.*}} [0] : f64 into vector<2xf64>
// CHECK:         %[[X1:.*]] = vector.extract %[[X]][1] : f64 from vector<2xf64>
// CHECK:         %[[T1:.*]] = call @atan(%[[X1]]) : (f64) -> f64
// CHECK:         vector.insert %[[T1]], %[[V0]] [1] : f64 into vector<2xf64>
// CHECK-NOT:     math.erfc
// CHECK-NOT:     math.exp2
// CHECK-NOT:     math.expm1
// CHECK-NOT:     math.log1p
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.log
// CHECK:         math.powf %[[S]], %[[S]] : f64
// CHECK:         math.absf %[[X]] : vector<2xf64>
// CHECK:         math.floor %[[X]] : vector<2xf64>
// CHECK:         math.fma %[[X]], %[[X]], %[[X]] : vector<2xf64>
// CHECK:         math.sqrt %[[X]] : vector<2xf64>
func.func @libm_f64(%x: vector<2xf64>, %s: f64) -> (vector<2xf64>, vector<2xf64>, f64, f64, f64, f64, f64, f64, vector<2xf64>, vector<2xf64>, vector<2xf64>, vector<2xf64>) {
  %0 = math.tanh %x : vector<2xf64>
  %1 = math.atan %x : vector<2xf64>
  %2 = math.erfc %s : f64
  %e = math.erf %s : f64
  %e2 = math.exp2 %s : f64
  %3 = math.expm1 %s : f64
  %4 = math.log1p %s : f64
  %5 = math.exp %s : f64
  %6 = math.log %s : f64
  %7 = math.powf %s, %s : f64
  %8 = math.absf %x : vector<2xf64>
  %9 = math.floor %x : vector<2xf64>
  %10 = math.fma %x, %x, %x : vector<2xf64>
  %11 = math.sqrt %x : vector<2xf64>
  %s1 = arith.addf %2, %e : f64
  %s2 = arith.addf %s1, %e2 : f64
  return %0, %1, %s2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : vector<2xf64>, vector<2xf64>, f64, f64, f64, f64, f64, f64, vector<2xf64>, vector<2xf64>, vector<2xf64>, vector<2xf64>
}

// -----

// f64 ops act-expand widened from an f32 kernel (act.wide) get the f64 cores
// (accurate to 2^-32 for a result rounded to f32): no libm call, and the
// marks are gone.

// CHECK-LABEL: func.func @wide_f64(
// CHECK-NOT:     call
// CHECK-NOT:     act.wide
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.erfc
// CHECK-NOT:     math.log1p
// CHECK-NOT:     math.tanh
// CHECK:         return
func.func @wide_f64(%x: vector<8xf64>) -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>) {
  %0 = math.exp %x {act.wide} : vector<8xf64>
  %1 = math.erfc %x {act.wide} : vector<8xf64>
  %2 = math.log1p %x {act.wide} : vector<8xf64>
  %3 = math.tanh %x {act.wide} : vector<8xf64>
  return %0, %1, %2, %3 : vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>
}

// -----

// An f64 exp whose result cancels afterwards (act.wide_precise: f32
// log_softmax's gradient dy - exp(y) s) gets the wide core's reduction with
// Taylor's 1 / (k + 2)! to k = 10 (2^-52 on |r| <= 0.35: eleven
// coefficients, the last 1/13!), not the f64 kernels' exp and not
// ExpOfDifference (its operand is a difference here); no libm call, the
// mark gone.

// CHECK-LABEL: func.func @wide_precise_exp(
// CHECK-NOT:     call
// CHECK-NOT:     act.wide_precise
// CHECK:         arith.constant dense<2.08767569878681E-9> : vector<8xf64>
// CHECK-NOT:     math.exp
// CHECK:         return
func.func @wide_precise_exp(%a: vector<8xf64>, %b: vector<8xf64>) -> vector<8xf64> {
  %d = arith.subf %a, %b : vector<8xf64>
  %0 = math.exp %d {act.wide_precise} : vector<8xf64>
  return %0 : vector<8xf64>
}

// -----

// f32 erf and erfc go through the f64 cores and round once.

// CHECK-LABEL: func.func @erf_f32(
// CHECK:         arith.extf %{{.*}} : vector<8xf32> to vector<8xf64>
// CHECK-NOT:     math.erf
// CHECK-NOT:     call
// CHECK:         arith.truncf %{{.*}} : vector<8xf64> to vector<8xf32>
func.func @erf_f32(%x: vector<8xf32>) -> vector<8xf32> {
  %y = math.erf %x : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// sin and cos are ours in both types and precisions (upstream's have no
// range reduction for large |x|). f32 goes through f64 and is rounded once;
// f64 reads the Payne-Hanek table (one private global, declared once) by
// gathers, a scalar by loads. No libm call, no math.sin/cos left.

// CHECK:         memref.global "private" constant @__act_two_over_pi_rows : memref<246xf64>
// CHECK-NOT:     memref.global
// CHECK-LABEL: func.func @sincos(
// CHECK-NOT:     math.sin
// CHECK-NOT:     math.cos
// CHECK:         arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// CHECK:         math.roundeven %{{.*}} : vector<16xf64>
// CHECK:         arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
// CHECK:         memref.get_global @__act_two_over_pi_rows
// CHECK:         vector.gather
// CHECK:         memref.load
// CHECK-NOT:     call
// CHECK:         return
// FAST-LABEL:  func.func @sincos(
// FAST-NOT:      math.sin
// FAST-NOT:      math.cos
// FAST:          return
func.func @sincos(%x: vector<16xf32>, %d: vector<8xf64>, %s: f64) -> (vector<16xf32>, vector<16xf32>, vector<8xf64>, f64) {
  %0 = math.sin %x : vector<16xf32>
  %1 = math.cos %x : vector<16xf32>
  %2 = math.sin %d : vector<8xf64>
  %3 = math.cos %s : f64
  return %0, %1, %2, %3 : vector<16xf32>, vector<16xf32>, vector<8xf64>, f64
}

// -----

// exp(a - b) in an f64 kernel (not act.wide), both precisions: the
// difference's TwoSum error, zeroed where |a - b| >= 746, multiplies the
// result as (1 + lo): h + fma(h, lo, l), then 2^n.
// CHECK-LABEL: func.func @exp_of_difference_f64(
// CHECK-SAME:      %[[A:.*]]: vector<8xf64>, %[[B:.*]]: vector<8xf64>)
// CHECK:         %[[HI:.*]] = arith.subf %[[A]], %[[B]] : vector<8xf64>
// CHECK:         %[[BB:.*]] = arith.subf %[[HI]], %[[A]]
// CHECK:         %[[AP:.*]] = arith.subf %[[HI]], %[[BB]]
// CHECK:         %[[DA:.*]] = arith.subf %[[A]], %[[AP]]
// CHECK:         %[[DB:.*]] = arith.addf %[[B]], %[[BB]]
// CHECK:         %[[LO:.*]] = arith.subf %[[DA]], %[[DB]]
// CHECK:         %[[ABS:.*]] = math.absf %[[HI]]
// CHECK:         %[[IN:.*]] = arith.cmpf olt, %[[ABS]], %{{.*}}
// CHECK:         %[[KEPT:.*]] = arith.select %[[IN]], %[[LO]], %{{.*}}
// CHECK:         math.fma %{{.*}}, %[[KEPT]], %{{.*}} : vector<8xf64>
// CHECK-NOT:     math.exp
// CHECK:         return
// FAST-LABEL: func.func @exp_of_difference_f64(
// FAST:         math.absf
// FAST-NOT:     math.exp
// FAST:         return
func.func @exp_of_difference_f64(%a: vector<8xf64>, %b: vector<8xf64>) -> vector<8xf64> {
  %d = arith.subf %a, %b : vector<8xf64>
  %e = math.exp %d : vector<8xf64>
  return %e : vector<8xf64>
}
