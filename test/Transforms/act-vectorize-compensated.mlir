// RUN: act-opt %s --split-input-file --verify-diagnostics --act-vectorize | FileCheck %s

// A compensated sum (CompensatedSums.h, act-kernels' f64 row sums): the
// accumulator also feeds its TwoSum error, each lane a partial (sum, error)
// pair; in the tail both combiners take the neutral element in the
// inactive lanes; after the loop the errors are reduced and the sum's 8
// lanes are added to the initial value one by one with TwoSum, each
// addition's error joining the error.

// CHECK-LABEL: func.func @compensated(
// CHECK-SAME:      %[[XS:.*]]: memref<?xf64>, %[[N:.*]]: index, %[[S0:.*]]: f64, %[[E0:.*]]: f64)
// CHECK:         %[[N1:.*]] = arith.constant dense<-0.000000e+00> : vector<8xf64>
// CHECK:         %[[N2:.*]] = arith.constant dense<-0.000000e+00> : vector<8xf64>
// CHECK:         %[[LOOP:.*]]:2 = scf.for %{{.*}} iter_args(%[[S:.*]] = %[[N1]], %[[E:.*]] = %[[N2]]) -> (vector<8xf64>, vector<8xf64>) {
// CHECK:           %[[V:.*]] = vector.load %[[XS]]
// CHECK:           %[[NEXT:.*]] = arith.addf %[[S]], %[[V]] : vector<8xf64>
// CHECK:           %[[BB:.*]] = arith.subf %[[NEXT]], %[[S]] : vector<8xf64>
// CHECK:           %[[TE:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK:           %[[E2:.*]] = arith.addf %[[E]], %[[TE]] : vector<8xf64>
// CHECK:           scf.yield %[[NEXT]], %[[E2]]
// CHECK:         %[[MASK:.*]] = vector.create_mask
// CHECK:         %[[TV:.*]] = vector.maskedload
// CHECK:         %[[MV:.*]] = arith.select %[[MASK]], %[[TV]], %{{.*}} : vector<8xi1>, vector<8xf64>
// CHECK:         %[[TS:.*]] = arith.addf %[[LOOP]]#0, %[[MV]] : vector<8xf64>
// CHECK:         %[[MTE:.*]] = arith.select %[[MASK]], %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf64>
// CHECK:         %[[TE2:.*]] = arith.addf %[[LOOP]]#1, %[[MTE]] : vector<8xf64>
// CHECK:         %[[ERR:.*]] = vector.reduction <add>, %[[TE2]], %[[E0]] : vector<8xf64> into f64
// CHECK:         %[[L0:.*]] = vector.extract %[[TS]][0] : f64 from vector<8xf64>
// CHECK:         %[[A0:.*]] = arith.addf %[[S0]], %[[L0]] : f64
// CHECK:         %[[ERR0:.*]] = arith.addf %[[ERR]], %{{.*}} : f64
// CHECK:         vector.extract %[[TS]][1]
// CHECK:         %[[L7:.*]] = vector.extract %[[TS]][7] : f64 from vector<8xf64>
// CHECK:         %[[A7:.*]] = arith.addf %{{.*}}, %[[L7]] : f64
// CHECK-NOT:     vector.reduction
// CHECK:         return %[[A7]], %{{.*}} : f64, f64
func.func @compensated(%xs: memref<?xf64>, %n: index, %s0: f64, %e0: f64) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%s = %s0, %e = %e0) -> (f64, f64) {
    %x = memref.load %xs[%i] : memref<?xf64>
    %next = arith.addf %s, %x : f64
    %bb = arith.subf %next, %s : f64
    %aa = arith.subf %next, %bb : f64
    %ae = arith.subf %s, %aa : f64
    %be = arith.subf %x, %bb : f64
    %te = arith.addf %ae, %be : f64
    %e2 = arith.addf %e, %te : f64
    scf.yield %next, %e2 : f64, f64
  } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
  return %r#0, %r#1 : f64, f64
}

// -----

// Without the attribute, an accumulator with another use is no reduction.
func.func @unmarked(%xs: memref<?xf64>, %n: index) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  // expected-error @+1 {{iteration argument #0 is not a reduction acc' = combine(acc, value)}}
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero, %e = %zero) -> (f64, f64) {
    %x = memref.load %xs[%i] : memref<?xf64>
    %next = arith.addf %s, %x : f64
    %bb = arith.subf %next, %s : f64
    %e2 = arith.addf %e, %bb : f64
    scf.yield %next, %e2 : f64, f64
  } {act.vectorize}
  return %r#0, %r#1 : f64, f64
}

// -----

func.func @odd_pairs(%xs: memref<?xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  // expected-error @+1 {{act.compensated_sums must list (sum, error) pairs of iteration arguments}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero) -> (f64) {
    %x = memref.load %xs[%i] : memref<?xf64>
    %next = arith.addf %s, %x : f64
    scf.yield %next : f64
  } {act.compensated_sums = array<i64: 0>, act.vectorize}
  return %r : f64
}

// -----

func.func @pair_out_of_range(%xs: memref<?xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  // expected-error @+1 {{act.compensated_sums must list (sum, error) pairs of iteration arguments}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero) -> (f64) {
    %x = memref.load %xs[%i] : memref<?xf64>
    %next = arith.addf %s, %x : f64
    scf.yield %next : f64
  } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
  return %r : f64
}

// -----

func.func @not_sums(%xs: memref<?xf64>, %n: index) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  // expected-error @+1 {{act.compensated_sums pairs must be sums}}
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%s = %zero, %m = %zero) -> (f64, f64) {
    %x = memref.load %xs[%i] : memref<?xf64>
    %next = arith.addf %s, %x : f64
    %m2 = arith.maximumf %m, %x : f64
    scf.yield %next, %m2 : f64, f64
  } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
  return %r#0, %r#1 : f64, f64
}
