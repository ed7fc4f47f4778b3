// The whole pipeline on hand-written activations: act-opt --act-to-llvm
// must leave pure LLVM dialect that mlir-translate accepts, with the kernels
// of ABI.md (forward, and act-autodiff's gradients of the elementwise ones)
// as the only external definitions. Then the kernels are compiled with
// clang, linked with a C test (Inputs/act-to-llvm-e2e.c) and run against
// scalar C references: n = 0..67, rows of 0..67 columns, unaligned and in
// place, guards around the outputs, special values.

// RUN: act-opt %s --act-to-llvm="dtypes=f32,f64 vector-bits=512" -o %t.mlir
// RUN: FileCheck %s --check-prefix=MLIR < %t.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.mlir -o %t.ll
// RUN: FileCheck %s --check-prefix=LLVM < %t.ll
// RUN: %cc -O2 -march=native -ffp-contract=off %t.ll %S/Inputs/act-to-llvm-e2e.c -lm -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=EXEC

// MLIR-NOT: act.
// MLIR-NOT: func.func
// MLIR-NOT: vector.create_mask
// MLIR-NOT: unrealized_conversion_cast
// MLIR-NOT: math.

// LLVM-DAG: define void @swish_f32(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}}, float %{{.*}})
// LLVM-DAG: define void @swish_f64(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}}, float %{{.*}})
// LLVM-DAG: define void @swish_grad_f32(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}}, float %{{.*}}, ptr %{{.*}})
// LLVM-DAG: define void @swish_grad_f64(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}}, float %{{.*}}, ptr %{{.*}})
// LLVM-DAG: define void @mish_grad_f64(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}})
// LLVM-DAG: define void @mish_f32(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}})
// LLVM-DAG: define void @gelu_f64(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}})
// LLVM-DAG: define void @leaky_relu_f32(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}})
// LLVM-DAG: define void @softmax_f32(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}}, i64 %{{.*}})
// LLVM-DAG: define void @log_softmax_f64(ptr %{{.*}}, ptr %{{.*}}, i64 %{{.*}}, i64 %{{.*}})
// LLVM-DAG: call <16 x float> @llvm.masked.load.v16f32
// LLVM-DAG: call void @llvm.masked.store.v8f64
// LLVM-DAG: call float @llvm.vector.reduce.fmaximum.v16f32
// LLVM-NOT: declare double @erfc(double)
// LLVM-NOT: declare double @tanh(double)
// LLVM-NOT: define {{.*}}@helper
// LLVM-NOT: define {{.*}}@softmax_grad

// EXEC-NOT: FAIL
// EXEC: PASS

act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  %bx = arith.mulf %b, %x : f64
  %s = act.sigmoid %bx : f64
  %y = arith.mulf %x, %s : f64
  act.return %y : f64
}

act.activation @mish params [] {
^bb0(%x: f64):
  %sp = act.softplus %x : f64
  %t = math.tanh %sp : f64
  %y = arith.mulf %x, %t : f64
  act.return %y : f64
}

act.activation @gelu params [] {
^bb0(%x: f64):
  %c = arith.constant 0.70710678118654752 : f64
  %half = arith.constant 0.5 : f64
  %one = arith.constant 1.0 : f64
  %z = arith.mulf %x, %c : f64
  %e = math.erf %z : f64
  %p = arith.addf %one, %e : f64
  %h = arith.mulf %half, %x : f64
  %y = arith.mulf %h, %p : f64
  act.return %y : f64
}

act.activation @leaky_relu params [#act.param<"alpha" = 0.01>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}

// A private activation only exists to be inlined: no kernel.
act.activation @helper params [] attributes {sym_visibility = "private"} {
^bb0(%x: f64):
  act.return %x : f64
}

act.activation @softmax params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

act.activation @log_softmax params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %l = math.log %s : f64
  %y = arith.subf %d, %l : f64
  act.return %y : f64
}
