// RUN: act-opt %s --split-input-file --verify-diagnostics --act-vectorize | FileCheck %s
// RUN: act-opt %s --split-input-file --verify-diagnostics --act-vectorize="vector-bits=256" | FileCheck %s --check-prefix=AVX2

// An elementwise loop: full vectors of 512/32 = 16 lanes, then one masked
// tail of the n % 16 remaining elements. Values from above the loop are
// broadcast once before it, constants become splats, i1 becomes
// vector<16xi1>.

// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME:      %[[XS:.*]]: memref<?xf32>, %[[YS:.*]]: memref<?xf32>, %[[N:.*]]: index, %[[P:.*]]: f32)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[W:.*]] = arith.constant 16 : index
// CHECK:         %[[COUNT:.*]] = arith.subi %[[N]], %[[C0]] : index
// CHECK:         %[[POS:.*]] = arith.maxsi %[[COUNT]], %{{.*}} : index
// CHECK:         %[[REST:.*]] = arith.remui %[[POS]], %[[W]] : index
// CHECK:         %[[FULL:.*]] = arith.subi %[[POS]], %[[REST]] : index
// CHECK:         %[[END:.*]] = arith.addi %[[C0]], %[[FULL]] : index
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[PV:.*]] = vector.broadcast %[[P]] : f32 to vector<16xf32>
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[END]] step %[[W]] {
// CHECK:           %[[V:.*]] = vector.load %[[XS]][%[[I]]] : memref<?xf32>, vector<16xf32>
// CHECK:           %[[GE:.*]] = arith.cmpf oge, %[[V]], %[[ZERO]] : vector<16xf32>
// CHECK:           %[[M:.*]] = arith.mulf %[[PV]], %[[V]] : vector<16xf32>
// CHECK:           %[[S:.*]] = act.sigmoid %[[M]] : vector<16xf32>
// CHECK:           %[[R:.*]] = arith.select %[[GE]], %[[V]], %[[S]] : vector<16xi1>, vector<16xf32>
// CHECK:           vector.store %[[R]], %[[YS]][%[[I]]] : memref<?xf32>, vector<16xf32>
// CHECK:         }
// CHECK:         %[[MASK:.*]] = vector.create_mask %[[REST]] : vector<16xi1>
// CHECK:         %[[PASS:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:         %[[TV:.*]] = vector.maskedload %[[XS]][%[[END]]], %[[MASK]], %[[PASS]] : memref<?xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:         %[[TGE:.*]] = arith.cmpf oge, %[[TV]], %[[ZERO]] : vector<16xf32>
// CHECK:         %[[TM:.*]] = arith.mulf %[[PV]], %[[TV]] : vector<16xf32>
// CHECK:         %[[TS:.*]] = act.sigmoid %[[TM]] : vector<16xf32>
// CHECK:         %[[TR:.*]] = arith.select %[[TGE]], %[[TV]], %[[TS]] : vector<16xi1>, vector<16xf32>
// CHECK:         vector.maskedstore %[[YS]][%[[END]]], %[[MASK]], %[[TR]] : memref<?xf32>, vector<16xi1>, vector<16xf32>
// CHECK-NOT:     scf.for
// CHECK:         return

// AVX2-LABEL: func.func @elementwise(
// AVX2:         arith.constant 8 : index
// AVX2:         vector.load %{{.*}} : memref<?xf32>, vector<8xf32>
// AVX2:         vector.create_mask %{{.*}} : vector<8xi1>

func.func @elementwise(%xs: memref<?xf32>, %ys: memref<?xf32>, %n: index, %p: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    %ge = arith.cmpf oge, %x, %zero : f32
    %m = arith.mulf %p, %x : f32
    %s = act.sigmoid %m : f32
    %r = arith.select %ge, %x, %s : f32
    memref.store %r, %ys[%i] : memref<?xf32>
  } {act.vectorize}
  return
}

// -----

// Row reductions over a 2-D view: the row index stays scalar; the vector
// accumulator starts at the neutral element, the tail's inactive lanes add
// the neutral element, and one vector.reduction combines the lanes with the
// initial value. rowmax keeps maximumf (NaN-propagating) semantics.

// CHECK-LABEL: func.func @reductions(
// CHECK-SAME:      %[[XS:.*]]: memref<?x?xf64>, %[[R:.*]]: index, %[[N:.*]]: index, %[[M:.*]]: f64)
// CHECK:         %[[NINF:.*]] = arith.constant 0xFFF0000000000000 : f64
// CHECK:         %[[INIT:.*]] = arith.constant dense<0xFFF0000000000000> : vector<8xf64>
// CHECK:         %[[VMAX:.*]] = scf.for %[[J:.*]] = %{{.*}} to %[[END:.*]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (vector<8xf64>) {
// CHECK:           %[[V:.*]] = vector.load %[[XS]][%[[R]], %[[J]]] : memref<?x?xf64>, vector<8xf64>
// CHECK:           %[[NEXT:.*]] = arith.maximumf %[[ACC]], %[[V]] : vector<8xf64>
// CHECK:           scf.yield %[[NEXT]] : vector<8xf64>
// CHECK:         }
// CHECK:         %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK:         %[[TV:.*]] = vector.maskedload %[[XS]][%[[R]], %[[END]]], %[[MASK]], %{{.*}}
// CHECK:         %[[NEUTRAL:.*]] = arith.constant dense<0xFFF0000000000000> : vector<8xf64>
// CHECK:         %[[SEL:.*]] = arith.select %[[MASK]], %[[TV]], %[[NEUTRAL]] : vector<8xi1>, vector<8xf64>
// CHECK:         %[[LAST:.*]] = arith.maximumf %[[VMAX]], %[[SEL]] : vector<8xf64>
// CHECK:         %[[MAX:.*]] = vector.reduction <maximumf>, %[[LAST]], %[[NINF]] : vector<8xf64> into f64

// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:         %[[SINIT:.*]] = arith.constant dense<-0.000000e+00> : vector<8xf64>
// CHECK:         %[[MB:.*]] = vector.broadcast %[[MAX]] : f64 to vector<8xf64>
// CHECK:         %[[VSUM:.*]] = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[SINIT]]) -> (vector<8xf64>) {
// CHECK:           %[[D:.*]] = arith.subf %{{.*}}, %[[MB]] : vector<8xf64>
// CHECK:           %[[E:.*]] = math.exp %[[D]] : vector<8xf64>
// CHECK:           %[[NEXT:.*]] = arith.addf %[[ACC]], %[[E]] : vector<8xf64>
// CHECK:           scf.yield %[[NEXT]] : vector<8xf64>
// CHECK:         }
// CHECK:         %[[TE:.*]] = math.exp
// CHECK:         %[[SEL:.*]] = arith.select %{{.*}}, %[[TE]], %{{.*}} : vector<8xi1>, vector<8xf64>
// CHECK:         %[[LAST:.*]] = arith.addf %[[VSUM]], %[[SEL]] : vector<8xf64>
// CHECK:         %[[SUM:.*]] = vector.reduction <add>, %[[LAST]], %[[ZERO]] : vector<8xf64> into f64
// CHECK:         return %[[MAX]], %[[SUM]]

// AVX2-LABEL: func.func @reductions(
// AVX2:         vector.reduction <maximumf>, %{{.*}}, %{{.*}} : vector<4xf64> into f64

func.func @reductions(%xs: memref<?x?xf64>, %r: index, %n: index, %m: f64) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %max = scf.for %j = %c0 to %n step %c1 iter_args(%acc = %ninf) -> (f64) {
    %x = memref.load %xs[%r, %j] : memref<?x?xf64>
    %next = arith.maximumf %acc, %x : f64
    scf.yield %next : f64
  } {act.vectorize}
  %zero = arith.constant 0.0 : f64
  %sum = scf.for %j = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %xs[%r, %j] : memref<?x?xf64>
    %d = arith.subf %x, %max : f64
    %e = math.exp %d : f64
    %next = arith.addf %acc, %e : f64
    scf.yield %next : f64
  } {act.vectorize}
  return %max, %sum : f64, f64
}

// -----

// Unmarked loops are left alone.
// CHECK-LABEL: func.func @unmarked(
// CHECK:         scf.for
// CHECK:           memref.load %{{.*}} : memref<?xf32>
// CHECK-NOT:     vector.
func.func @unmarked(%xs: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    memref.store %x, %xs[%i] : memref<?xf32>
  }
  return
}

// -----

func.func @step(%xs: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  // expected-error @+1 {{act.vectorize needs a unit step}}
  scf.for %i = %c0 to %n step %c2 {
    %x = memref.load %xs[%i] : memref<?xf32>
    memref.store %x, %xs[%i] : memref<?xf32>
  } {act.vectorize}
  return
}

// -----

func.func @transposed(%xs: memref<?x?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%c0, %i] : memref<?x?xf32>
    // expected-error @+1 {{cannot be vectorized: it does not store at the induction variable in the innermost dimension}}
    memref.store %x, %xs[%i, %c0] : memref<?x?xf32>
  } {act.vectorize}
  return
}

// -----

func.func @iv_use(%xs: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{cannot be vectorized: it uses the induction variable}}
    %f = arith.index_cast %i : index to i64
    %x = arith.sitofp %f : i64 to f32
    memref.store %x, %xs[%i] : memref<?xf32>
  } {act.vectorize}
  return
}

// -----

func.func @not_a_reduction(%xs: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{iteration argument #0 is not a reduction acc' = combine(acc, value)}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %xs[%i] : memref<?xf32>
    scf.yield %x : f32
  } {act.vectorize}
  return %r : f32
}

// -----

// bf16/f16 arrays (i16 bits, act-kernels' 16-bit dtypes) are computed in
// f32: as many lanes as an f32 vector, 16 (512 bits) or 8 (256 bits).

// CHECK-LABEL: func.func @half_storage(
// CHECK:         vector.load {{.*}} : memref<?xi16>, vector<16xi16>
// CHECK:         arith.bitcast {{.*}} : vector<16xi16> to vector<16xbf16>
// CHECK:         arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK:         arith.truncf {{.*}} : vector<16xf32> to vector<16xbf16>
// CHECK:         vector.store {{.*}} : memref<?xi16>, vector<16xi16>
// AVX2-LABEL: func.func @half_storage(
// AVX2:         vector.load {{.*}} : memref<?xi16>, vector<8xi16>
func.func @half_storage(%xs: memref<?xi16>, %ys: memref<?xi16>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %h = memref.load %xs[%i] : memref<?xi16>
    %b = arith.bitcast %h : i16 to bf16
    %x = arith.extf %b : bf16 to f32
    %y = arith.mulf %x, %x : f32
    %t = arith.truncf %y : f32 to bf16
    %s = arith.bitcast %t : bf16 to i16
    memref.store %s, %ys[%i] : memref<?xi16>
  } {act.vectorize}
  return
}
