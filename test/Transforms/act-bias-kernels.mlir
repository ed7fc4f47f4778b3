// RUN: act-opt %s --act-bias-kernels="dtypes=f32 vector-bits=256" | FileCheck %s
// RUN: act-opt %s --act-bias-kernels | FileCheck %s --check-prefix=F64
// RUN: act-opt %s --act-bias-kernels="dtypes=f32" --act-vectorize="vector-bits=256" --canonicalize | FileCheck %s --check-prefix=VEC
// RUN: not act-opt %s --act-bias-kernels="dtypes=bf17" 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: act-opt %s --act-bias-kernels="dtypes=f32 kinds=forward,bias_grad" | FileCheck %s --check-prefix=KINDS
// RUN: act-opt %s --act-bias-kernels="dtypes=bf16 kinds=bias_grad" --canonicalize --cse | FileCheck %s --check-prefix=HALF
// RUN: act-opt %s --act-bias-kernels="dtypes=f32 kinds=forward,grad,matmul" | FileCheck %s --check-prefix=NONE
// RUN: not act-opt %s --act-bias-kernels="kinds=bias,biass" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: act-opt %s --act-bias-kernels="dtypes=f32 kinds=bias_grad_mt" | FileCheck %s --check-prefix=STRIDED
// RUN: act-opt %s --act-bias-kernels="dtypes=f32 kinds=bias_grad" | FileCheck %s --check-prefix=NOSTRIDE

// Before: an activation with a runtime parameter and its gradient (as
// act-autodiff builds it: df/dx, then df/dalpha).
act.activation @leaky params [#act.param<runtime "alpha" = 0.01>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}

act.activation @leaky_grad params [#act.param<runtime "alpha" = 0.01>] attributes {grad_of = @leaky} {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %d = arith.select %pos, %one, %alpha : f64
  %dp = arith.select %pos, %zero, %x : f64
  act.return %d, %dp : f64, f64
}

// A private activation gets no kernel.
act.activation @helper params [] attributes {sym_visibility = "private"} {
^bb0(%x: f64):
  act.return %x : f64
}

// After: y = f(x + bias) in one pass, the column loop marked for
// act-vectorize, the body retyped to f32 with the parameter an argument,
// the sum marked act.leaf (f is computed at the rounded z).

// CHECK-LABEL: func.func @leaky_bias_f32(
// CHECK-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[Y:[^:]*]]: !llvm.ptr, %[[ROWS:[^:]*]]: i64, %[[COLS:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32)
// CHECK-DAG:     %[[R:.*]] = arith.index_cast %[[ROWS]] : i64 to index
// CHECK-DAG:     %[[C:.*]] = arith.index_cast %[[COLS]] : i64 to index
// CHECK-DAG:     %[[XS:.*]] = act.view %[[X]][%[[R]], %[[C]]] : !llvm.ptr -> memref<?x?xf32>
// CHECK-DAG:     %[[BS:.*]] = act.view %[[BIAS]][%[[C]]] : !llvm.ptr -> memref<?xf32>
// CHECK-DAG:     %[[YS:.*]] = act.view %[[Y]][%[[R]], %[[C]]] : !llvm.ptr -> memref<?x?xf32>
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[R]]
// CHECK:           scf.for %[[J:.*]] = %{{.*}} to %[[C]]
// CHECK:             %[[XV:.*]] = memref.load %[[XS]][%[[I]], %[[J]]]
// CHECK:             %[[BV:.*]] = memref.load %[[BS]][%[[J]]]
// CHECK:             %[[Z:.*]] = arith.addf %[[XV]], %[[BV]] {act.leaf} : f32
// CHECK:             %[[POS:.*]] = arith.cmpf oge, %[[Z]], %{{.*}} : f32
// CHECK:             %[[NEG:.*]] = arith.mulf %[[ALPHA]], %[[Z]] : f32
// CHECK:             %[[YV:.*]] = arith.select %[[POS]], %[[Z]], %[[NEG]] : f32
// CHECK:             memref.store %[[YV]], %[[YS]][%[[I]], %[[J]]]
// CHECK:           } {act.stream_stores, act.vectorize}
// CHECK:         }

// The backward: dbias zeroed with masked stores (LLVM would make a loop of
// plain zero stores a memset call), dx = dy * f'(z), dbias updated per row
// (the column sum marked act.column_sum: the f32 routing's store of dx),
// the dalpha sum carried from row to row and stored once.
// CHECK-LABEL: func.func @leaky_bias_grad_f32(
// CHECK-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[DY:[^:]*]]: !llvm.ptr, %[[DX:[^:]*]]: !llvm.ptr, %[[DBIAS:[^:]*]]: !llvm.ptr, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %[[ALPHA:[^:]*]]: f32, %[[DALPHA:[^:]*]]: !llvm.ptr)
// CHECK-DAG:     %[[DBS:.*]] = act.view %[[DBIAS]]
// CHECK:         scf.for %[[J:.*]] = %{{.*}} step %c8 {
// CHECK:           %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK:           vector.maskedstore %[[DBS]][%[[J]]], %[[MASK]], %{{.*}} : memref<?xf32>, vector<8xi1>, vector<8xf32>
// CHECK:         %[[SUM:.*]] = scf.for %[[I:.*]] = {{.*}} iter_args(%[[RS:.*]] = %{{.*}}) -> (f32) {
// CHECK:           %[[ROWSUM:.*]] = scf.for %[[J:.*]] = {{.*}} iter_args(%[[S:.*]] = %[[RS]]) -> (f32) {
// CHECK:             %[[Z:.*]] = arith.addf {{.*}} {act.leaf} : f32
// CHECK:             %[[POS:.*]] = arith.cmpf oge, %[[Z]]
// CHECK:             %[[D:.*]] = arith.select %[[POS]], %{{.*}}, %[[ALPHA]] : f32
// CHECK:             %[[DP:.*]] = arith.select %[[POS]], %{{.*}}, %[[Z]] : f32
// CHECK:             %[[DXV:.*]] = arith.mulf %[[DYV:.*]], %[[D]] : f32
// CHECK:             memref.store %[[DXV]]
// CHECK:             %[[OLD:.*]] = memref.load %[[DBS]][%[[J]]]
// CHECK:             %[[NEW:.*]] = arith.addf %[[OLD]], %[[DXV]] {act.column_sum} : f32
// CHECK:             memref.store %[[NEW]], %[[DBS]][%[[J]]]
// CHECK:             %[[TERM:.*]] = arith.mulf %[[DYV]], %[[DP]] : f32
// CHECK:             %[[NEXT:.*]] = arith.addf %[[S]], %[[TERM]] : f32
// CHECK:             scf.yield %[[NEXT]] : f32
// CHECK:           } {act.stream_stores, act.vectorize}
// CHECK:           scf.yield %[[ROWSUM]] : f32
// CHECK:         %[[DPS:.*]] = act.view %[[DALPHA]]
// CHECK:         memref.store %[[SUM]], %[[DPS]]
// CHECK-NOT: @helper_bias

// f64 kernels: the f32 parameter is extended, dalpha rounded to f32.
// F64-LABEL: func.func @leaky_bias_f32(
// F64-LABEL: func.func @leaky_bias_grad_f32(
// F64-LABEL: func.func @leaky_bias_f64(
// F64:         arith.extf %{{.*}} : f32 to f64
// F64-LABEL: func.func @leaky_bias_grad_f64(
// F64:         arith.truncf %{{.*}} : f64 to f32

// act-vectorize widens the column loops: a vector loop, then one masked
// tail; the column sums stay in dbias, one vector per 8 columns.
// VEC-LABEL: func.func @leaky_bias_f32(
// VEC:         vector.load {{.*}} : memref<?x?xf32>, vector<8xf32>
// VEC:         vector.load {{.*}} : memref<?xf32>, vector<8xf32>
// VEC:         vector.store {{.*}} : memref<?x?xf32>, vector<8xf32>
// VEC:         vector.maskedload
// VEC:         vector.maskedstore
// VEC-LABEL: func.func @leaky_bias_grad_f32(
// VEC:         vector.load {{.*}} : memref<?xf32>, vector<8xf32>
// VEC:         vector.store {{.*}} : memref<?xf32>, vector<8xf32>
// VEC:         vector.reduction <add>

// DTYPE: error: unsupported dtype 'bf17'

// kinds: only the selected kinds this pass owns.
// KINDS-NOT: @leaky_bias_f32
// KINDS: func.func @leaky_bias_grad_f32(
// KINDS-NOT: @leaky_bias_f32
// NONE-NOT: func.func
// UNKNOWN: error: act-bias-kernels: unknown kernel kind 'biass' (expected forward, grad, grad_from_y, bias, bias_grad, matmul, matmul_aux, bias_mt, bias_grad_mt, matmul_mt, matmul_aux_mt, or all)

// bf16 bias_grad: computed in f32, the column sums too, in chunks of 2048
// columns held as two i16 rows (the f32 bits' halves: act-vectorize takes
// one element type per loop); each chunk's arrays are views at its first
// column; dbias rounded once per chunk.
// HALF-LABEL: func.func @leaky_bias_grad_bf16(
// HALF-DAG:     %[[HIGH:.*]] = memref.alloca() {alignment = 64 : i64} : memref<2048xi16>
// HALF-DAG:     %[[LOW:.*]] = memref.alloca() {alignment = 64 : i64} : memref<2048xi16>
// HALF:         scf.for %[[FIRST:.*]] = %c0 to %{{.*}} step %c2048 iter_args(
// HALF:           %[[OFFSET:.*]] = arith.index_cast %[[FIRST]] : index to i64
// HALF:           llvm.getelementptr %{{.*}}[%[[OFFSET]]] : (!llvm.ptr, i64) -> !llvm.ptr, i16
// HALF:           vector.maskedstore %[[HIGH]]
// HALF:           vector.maskedstore %[[LOW]]
// HALF:             arith.extf %{{.*}} : bf16 to f32
// HALF:             %[[DX:.*]] = arith.mulf
// HALF:             arith.truncf %[[DX]] : f32 to bf16
// HALF:             %[[H:.*]] = memref.load %[[HIGH]]
// HALF:             %[[L:.*]] = memref.load %[[LOW]]
// HALF:             %[[SUM:.*]] = arith.bitcast %{{.*}} : i32 to f32
// HALF:             arith.addf %[[SUM]], %[[DX]] {act.column_sum} : f32
// HALF:             memref.store %{{.*}}, %[[HIGH]]
// HALF:             memref.store %{{.*}}, %[[LOW]]
// HALF:           } {act.stream_stores, act.vectorize}
// HALF:           %[[TOTAL:.*]] = arith.bitcast %{{.*}} : i32 to f32
// HALF:           arith.truncf %[[TOTAL]] : f32 to bf16
// HALF:         } {act.vectorize}

// bias_grad_mt selected: the bias gradient and its private strided twin
// for act-threaded-kernels, the same loops over `cols` columns of rows `ld`
// apart (the matrices viewed as rows x ld), the parameter and dP after ld.
// STRIDED-LABEL: func.func @leaky_bias_grad_f32(
// STRIDED-LABEL: func.func private @leaky_bias_grad_strided_f32(
// STRIDED-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[DY:[^:]*]]: !llvm.ptr, %[[DX:[^:]*]]: !llvm.ptr, %[[DBIAS:[^:]*]]: !llvm.ptr, %[[R:[^:]*]]: i64, %[[C:[^:]*]]: i64, %[[LD:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32, %[[DALPHA:[^:]*]]: !llvm.ptr)
// STRIDED-DAG:     %[[ROWS:.*]] = arith.index_cast %[[R]]
// STRIDED-DAG:     %[[COLS:.*]] = arith.index_cast %[[C]]
// STRIDED-DAG:     %[[STRIDE:.*]] = arith.index_cast %[[LD]]
// STRIDED-DAG:     act.view %[[X]][%[[ROWS]], %[[STRIDE]]] : !llvm.ptr -> memref<?x?xf32>
// STRIDED-DAG:     act.view %[[DY]][%[[ROWS]], %[[STRIDE]]] : !llvm.ptr -> memref<?x?xf32>
// STRIDED-DAG:     act.view %[[DX]][%[[ROWS]], %[[STRIDE]]] : !llvm.ptr -> memref<?x?xf32>
// STRIDED-DAG:     act.view %[[DBIAS]][%[[COLS]]] : !llvm.ptr -> memref<?xf32>
// STRIDED:         scf.for %{{.*}} = %{{.*}} to %[[ROWS]] step
// STRIDED:           scf.for %{{.*}} = %{{.*}} to %[[COLS]] step
// STRIDED:             arith.select %{{.*}}, %{{.*}}, %[[ALPHA]] : f32
// STRIDED:         act.view %[[DALPHA]]

// NOSTRIDE-NOT: _strided_
