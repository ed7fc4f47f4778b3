// RUN: act-opt %s --act-threaded-kernels="dtypes=f32 kinds=matmul_mt" --canonicalize --cse | FileCheck %s
// RUN: act-opt %s --act-threaded-kernels="dtypes=f32 kinds=bias_mt row-multiple=4" --canonicalize --cse | FileCheck %s --check-prefix=SPLIT
// RUN: act-opt %s --act-threaded-kernels="dtypes=f32" | FileCheck %s --check-prefix=NONE
// RUN: act-opt %s --act-threaded-kernels="dtypes=f32 kinds=bias_grad_mt" --canonicalize --cse | FileCheck %s --check-prefix=GRAD
// RUN: not act-opt %s --act-threaded-kernels="row-multiple=0" 2>&1 | FileCheck %s --check-prefix=MULTIPLE
// RUN: not act-opt %s --act-threaded-kernels="kinds=matmul_tm" 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// Before: an activation and its single-threaded kernels, as act-bias-kernels
// and act-matmul-kernels build them (bodies left out here).
act.activation @leaky params [#act.param<runtime "alpha" = 0.01>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}
func.func @leaky_matmul_f32(%a: !llvm.ptr, %b: !llvm.ptr, %bias: !llvm.ptr, %c: !llvm.ptr, %m: i64, %n: i64, %k: i64, %alpha: f32) {
  return
}
func.func @leaky_bias_f32(%x: !llvm.ptr, %bias: !llvm.ptr, %y: !llvm.ptr, %rows: i64, %cols: i64, %alpha: f32) {
  return
}
func.func @leaky_bias_grad_f32(%x: !llvm.ptr, %bias: !llvm.ptr, %dy: !llvm.ptr, %dx: !llvm.ptr, %dbias: !llvm.ptr, %rows: i64, %cols: i64, %alpha: f32, %dalpha: !llvm.ptr) {
  return
}
func.func private @leaky_bias_grad_strided_f32(%x: !llvm.ptr, %bias: !llvm.ptr, %dy: !llvm.ptr, %dx: !llvm.ptr, %dbias: !llvm.ptr, %rows: i64, %cols: i64, %ld: i64, %alpha: f32, %dalpha: !llvm.ptr) {
  return
}

// After: a private worker that reads the kernel's arguments from 8-byte
// slots and calls it, and NAME_matmul_mt_f32 with the thread count last.
// CHECK-LABEL: func.func private @leaky_matmul_mt_f32_worker(
// CHECK-SAME:      %[[SLOTS:.*]]: !llvm.ptr) -> !llvm.ptr
// CHECK:         %[[A:.*]] = llvm.load %[[SLOTS]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[AL:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:         call @leaky_matmul_f32(%[[A]], {{.*}}, %[[AL]])
// CHECK-LABEL: func.func @leaky_matmul_mt_f32(
// CHECK-SAME:      %[[A:[^:]*]]: !llvm.ptr, %[[B:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[C:[^:]*]]: !llvm.ptr, %[[M:[^:]*]]: i64, %[[N:[^:]*]]: i64, %[[K:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32, %[[T:[^:]*]]: i64)
// Threads: at most 64, at most one per block of 6 rows, at least one; each
// gets ceil(blocks / threads) blocks.
// CHECK:         %[[CAP:.*]] = arith.minsi %[[T]], %c64_i64
// CHECK:         %[[ROWS:.*]] = arith.maxsi %[[M]], %c0_i64
// CHECK:         %[[SUM:.*]] = arith.addi %[[ROWS]], %c5_i64
// CHECK:         %[[BLOCKS:.*]] = arith.divsi %[[SUM]], %c6_i64
// CHECK:         %[[FEW:.*]] = arith.minsi %[[CAP]], %[[BLOCKS]]
// CHECK:         %[[THREADS:.*]] = arith.maxsi %[[FEW]], %c1_i64
// CHECK:         %[[CHUNK:.*]] = arith.muli %{{.*}}, %c6_i64
// 64 threads x (8 arguments, the pthread_t, a started flag) on the stack.
// CHECK:         %[[SLOTS:.*]] = llvm.alloca %c640_i64 x i64
// Threads 1.. start on their rows: a and c offset by first * k and first * n
// elements, m cut to the block.
// CHECK:         scf.for %[[I:.*]] = %c1_i64 to %[[THREADS]] step %c1_i64  : i64 {
// CHECK:           %[[FIRST:.*]] = arith.muli %[[I]], %[[CHUNK]]
// CHECK:           %[[LEFT:.*]] = arith.subi %[[M]], %[[FIRST]]
// CHECK:           %[[COUNT:.*]] = arith.minsi %[[CHUNK]], %[[LEFT]]
// CHECK:           scf.if
// CHECK:             %[[AOFF:.*]] = arith.muli %[[FIRST]], %[[K]]
// CHECK:             llvm.getelementptr %[[A]][%[[AOFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:             %[[COFF:.*]] = arith.muli %[[FIRST]], %[[N]]
// CHECK:             llvm.getelementptr %[[C]][%[[COFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:             llvm.store %[[COUNT]]
// CHECK:             llvm.store %[[ALPHA]], %{{.*}} : f32, !llvm.ptr
// CHECK:             %[[STATUS:.*]] = func.call @pthread_create(
// A thread that cannot start: its block runs here.
// CHECK:             %[[FAILED:.*]] = arith.cmpi ne, %[[STATUS]], %c0_i32
// CHECK:             scf.if %[[FAILED]] {
// CHECK:               func.call @leaky_matmul_mt_f32_worker(
// CHECK:             } else {
// CHECK:               llvm.store %c1_i64
// The caller's block, then the joins.
// CHECK:         %[[OWN:.*]] = arith.minsi %[[M]], %[[CHUNK]]
// CHECK:         call @leaky_matmul_f32(%[[A]], %[[B]], %[[BIAS]], %[[C]], %[[OWN]], %[[N]], %[[K]], %[[ALPHA]])
// CHECK:         scf.for
// CHECK:           func.call @pthread_join(
// CHECK-DAG:   func.func private @pthread_create(!llvm.ptr, !llvm.ptr, (!llvm.ptr) -> !llvm.ptr, !llvm.ptr) -> i32
// CHECK-DAG:   func.func private @pthread_join(i64, !llvm.ptr) -> i32

// bias_mt: blocks of any number of rows (row-multiple is the matmul's);
// x and y offset by first * cols.
// SPLIT-NOT: @leaky_matmul_mt_f32
// SPLIT-LABEL: func.func @leaky_bias_mt_f32(
// SPLIT-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[Y:[^:]*]]: !llvm.ptr, %[[R:[^:]*]]: i64, %[[COLS:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32, %[[T:[^:]*]]: i64)
// SPLIT-NOT:      arith.divsi %{{.*}}, %c4_i64
// SPLIT:          llvm.getelementptr %[[X]][%[[OFF:.*]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// SPLIT:          llvm.getelementptr %[[Y]][%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// SPLIT:          call @leaky_bias_f32(%[[X]], %[[BIAS]], %[[Y]],

// bias_grad_mt: the columns split in blocks of 64 (dbias sums whole
// columns), each block run by the strided twin through the worker; x,
// bias, dy, dx and dbias offset by the block's first column, rows kept, the
// column count cut, the row stride the full cols, and dalpha pointing at
// the block's partial-sum slot; dalpha is the partials added in block
// order. One thread (or one block): the plain kernel.
// GRAD-NOT: @leaky_matmul_mt_f32
// GRAD-NOT: @leaky_bias_mt_f32
// GRAD-LABEL: func.func private @leaky_bias_grad_mt_f32_worker(
// GRAD:         call @leaky_bias_grad_strided_f32(
// GRAD-LABEL: func.func @leaky_bias_grad_mt_f32(
// GRAD-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[DY:[^:]*]]: !llvm.ptr, %[[DX:[^:]*]]: !llvm.ptr, %[[DB:[^:]*]]: !llvm.ptr, %[[R:[^:]*]]: i64, %[[C:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32, %[[DALPHA:[^:]*]]: !llvm.ptr, %[[T:[^:]*]]: i64)
// GRAD:         %[[CAP:.*]] = arith.minsi %[[T]], %c64_i64
// GRAD:         %[[COLS:.*]] = arith.maxsi %[[C]], %c0_i64
// GRAD:         %[[SUM:.*]] = arith.addi %[[COLS]], %c63_i64
// GRAD:         %[[BLOCKS:.*]] = arith.divsi %[[SUM]], %c64_i64
// GRAD:         %[[THREADS:.*]] = arith.minsi %[[CAP]], %[[BLOCKS]]
// GRAD:         %[[MANY:.*]] = arith.cmpi sgt, %[[THREADS]], %c1_i64
// 64 threads x (10 arguments, the pthread_t, a started flag, one partial).
// GRAD:         %[[SLOTS:.*]] = llvm.alloca %c832_i64 x i64
// GRAD:         scf.if %[[MANY]] {
// GRAD:           %[[CHUNK:.*]] = arith.muli %{{.*}}, %c64_i64
// GRAD:           scf.for %[[I:.*]] = %c1_i64 to %[[THREADS]] step %c1_i64  : i64 {
// GRAD:             %[[FIRST:.*]] = arith.muli %[[I]], %[[CHUNK]]
// GRAD:             %[[ANY:.*]] = arith.cmpi slt, %[[FIRST]], %[[C]]
// GRAD:             scf.if %[[ANY]] {
// GRAD:               %[[LEFT:.*]] = arith.subi %[[C]], %[[FIRST]]
// GRAD:               %[[COUNT:.*]] = arith.minsi %[[CHUNK]], %[[LEFT]]
// GRAD:               %[[XOFF:.*]] = llvm.getelementptr %[[X]][%[[FIRST]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// GRAD:               llvm.getelementptr %[[BIAS]][%[[FIRST]]]
// GRAD:               llvm.getelementptr %[[DY]][%[[FIRST]]]
// GRAD:               llvm.getelementptr %[[DX]][%[[FIRST]]]
// GRAD:               llvm.getelementptr %[[DB]][%[[FIRST]]]
// GRAD:               %[[PARTIAL:.*]] = llvm.getelementptr %[[BASE:.*]][12]
// GRAD:               llvm.store %[[XOFF]], %[[BASE]]
// GRAD:               llvm.store %[[R]], %{{.*}} : i64, !llvm.ptr
// GRAD:               llvm.store %[[COUNT]], %{{.*}} : i64, !llvm.ptr
// GRAD:               llvm.store %[[C]], %{{.*}} : i64, !llvm.ptr
// GRAD:               llvm.store %[[ALPHA]], %{{.*}} : f32, !llvm.ptr
// GRAD:               llvm.store %[[PARTIAL]], %{{.*}} : !llvm.ptr, !llvm.ptr
// GRAD:               func.call @pthread_create(
// GRAD:           func.call @leaky_bias_grad_mt_f32_worker(%[[SLOTS]])
// GRAD:           scf.for
// GRAD:             func.call @pthread_join(
// GRAD:           %[[OWN:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// GRAD:           %[[TOTAL:.*]] = scf.for %{{.*}} = %c1_i64 to %[[THREADS]] step %c1_i64 iter_args(%[[ACC:.*]] = %[[OWN]]) -> (f32)
// GRAD:             scf.if
// GRAD:               %[[P:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// GRAD:               arith.addf %[[ACC]], %[[P]] : f32
// GRAD:           llvm.store %[[TOTAL]], %[[DALPHA]] : f32, !llvm.ptr
// GRAD:         } else {
// GRAD:           func.call @leaky_bias_grad_f32(%[[X]], %[[BIAS]], %[[DY]], %[[DX]], %[[DB]], %[[R]], %[[C]], %[[ALPHA]], %[[DALPHA]])

// Not named, not built: `all` and the default leave the threaded kinds out.
// NONE-NOT: _mt_
// NONE-NOT: pthread

// MULTIPLE: error: act-threaded-kernels: row-multiple must be positive
// UNKNOWN: error: act-threaded-kernels: unknown kernel kind 'matmul_tm' (expected forward, grad, grad_from_y, bias, bias_grad, matmul, matmul_aux, bias_mt, bias_grad_mt, matmul_mt, matmul_aux_mt, or all)
