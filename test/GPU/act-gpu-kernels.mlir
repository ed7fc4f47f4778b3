// RUN: act-opt %s --act-gpu-kernels="dtypes=f32" | FileCheck %s
// RUN: act-opt %s --act-gpu-kernels="dtypes=f64" | FileCheck %s --check-prefix=F64
// RUN: act-opt %s --act-gpu-kernels="dtypes=bf16,f16" | FileCheck %s --check-prefix=BF16
// RUN: act-opt %s --act-gpu-kernels="dtypes=f32 kinds=bias" | FileCheck %s --check-prefix=KINDS
// RUN: not act-opt %s --act-gpu-kernels="dtypes=bf17" 2>&1 | FileCheck %s --check-prefix=DTYPE

// Before: an activation with a runtime parameter and its gradient (as
// act-autodiff builds it: df/dx, then df/dalpha), and a row activation.
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

act.activation @sq params [] {
^bb0(%x: f64):
  %y = arith.mulf %x, %x : f64
  act.return %y : f64
}

act.activation @sq_grad params [] attributes {grad_of = @sq} {
^bb0(%x: f64):
  %two = arith.constant 2.0 : f64
  %d = arith.mulf %two, %x : f64
  act.return %d : f64
}

act.activation @rowmax_shift params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %y = arith.subf %x, %m : f64
  act.return %y : f64
}

// After: the forward kernel. While x and y are 16-byte aligned, a
// grid-stride loop in i64 over n / 4 vectors (thread blockIdx.x *
// blockDim.x + threadIdx.x, stride gridDim.x * blockDim.x) applies the body
// at 4 lanes to 128-bit loads and stores; a scalar grid-stride loop does the
// rest (everything when a pointer is misaligned).

// CHECK-LABEL: func.func @leaky_f32(
// CHECK-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[Y:[^:]*]]: !llvm.ptr, %[[N:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32)
// CHECK-SAME:      act.gpu_kernel = "elementwise"
// CHECK:         %[[YI:.*]] = llvm.ptrtoint %[[Y]] : !llvm.ptr to i64
// CHECK:         %[[XI:.*]] = llvm.ptrtoint %[[X]] : !llvm.ptr to i64
// CHECK:         %[[BITS:.*]] = arith.ori %[[YI]], %[[XI]] : i64
// CHECK:         %[[LOW:.*]] = arith.andi %[[BITS]], %c15_i64 : i64
// CHECK:         %[[ALIGNED:.*]] = arith.cmpi eq, %[[LOW]], %c0_i64 : i64
// CHECK:         %[[QUOT:.*]] = arith.divui %[[N]], %c4_i64 : i64
// CHECK:         %[[VECTORS:.*]] = arith.select %[[ALIGNED]], %[[QUOT]], %{{.*}} : i64
// CHECK:         %[[BID:.*]] = gpu.block_id  x
// CHECK:         %[[B:.*]] = arith.index_castui %[[BID]] : index to i64
// CHECK:         %[[GDIM:.*]] = gpu.grid_dim  x
// CHECK:         %[[G:.*]] = arith.index_castui %[[GDIM]] : index to i64
// CHECK:         %[[BDIM:.*]] = gpu.block_dim  x
// CHECK:         %[[T:.*]] = arith.index_castui %[[BDIM]] : index to i64
// CHECK:         %[[TID:.*]] = gpu.thread_id  x
// CHECK:         %[[TI:.*]] = arith.index_castui %[[TID]] : index to i64
// CHECK:         %[[BT:.*]] = arith.muli %[[B]], %[[T]] : i64
// CHECK:         %[[FIRST:.*]] = arith.addi %[[BT]], %[[TI]] : i64
// CHECK:         %[[STRIDE:.*]] = arith.muli %[[G]], %[[T]] : i64
// CHECK:         scf.for %[[V:.*]] = %[[FIRST]] to %[[VECTORS]] step %[[STRIDE]]  : i64 {
// CHECK:           %[[VI:.*]] = arith.muli %[[V]], %{{.*}} : i64
// CHECK:           %[[VPX:.*]] = llvm.getelementptr %[[X]][%[[VI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[VX:.*]] = llvm.load %[[VPX]] {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:           %[[VALPHA:.*]] = vector.broadcast %[[ALPHA]] : f32 to vector<4xf32>
// CHECK:           %[[VNEG:.*]] = arith.mulf %[[VALPHA]], %[[VX]] : vector<4xf32>
// CHECK:           %[[VY:.*]] = arith.select %{{.*}}, %[[VX]], %[[VNEG]] : vector<4xi1>, vector<4xf32>
// CHECK:           %[[VPY:.*]] = llvm.getelementptr %[[Y]][%[[VI]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           llvm.store %[[VY]], %[[VPY]] {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr
// CHECK:         }
// CHECK:         %[[REST:.*]] = arith.muli %[[VECTORS]], %{{.*}} : i64
// CHECK:         %[[START:.*]] = arith.addi %[[REST]], %{{.*}} : i64
// CHECK:         scf.for %[[I:.*]] = %[[START]] to %[[N]] step %{{.*}}  : i64 {
// CHECK:           %[[PX:.*]] = llvm.getelementptr %[[X]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[XV:.*]] = llvm.load %[[PX]] : !llvm.ptr -> f32
// CHECK:           %[[NEG:.*]] = arith.mulf %[[ALPHA]], %[[XV]] : f32
// CHECK:           %[[YV:.*]] = arith.select %{{.*}}, %[[XV]], %[[NEG]] : f32
// CHECK:           %[[PY:.*]] = llvm.getelementptr %[[Y]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           llvm.store %[[YV]], %[[PY]] : f32, !llvm.ptr
// CHECK:         }
// CHECK:         return

// The gradient with a parameter: dx = dy * f'(x), scalar only, the dalpha
// share of the thread summed in the loop and added atomically once.
// CHECK-LABEL: func.func @leaky_grad_f32(
// CHECK-SAME:      %[[GX:[^:]*]]: !llvm.ptr, %[[DY:[^:]*]]: !llvm.ptr, %[[DX:[^:]*]]: !llvm.ptr, %[[GN:[^:]*]]: i64, %[[GALPHA:[^:]*]]: f32, %[[DALPHA:[^:]*]]: !llvm.ptr)
// CHECK-SAME:      act.gpu_kernel = "grad"
// CHECK:         %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %[[GN]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32)  : i64 {
// CHECK:           %[[DYV:.*]] = llvm.load
// CHECK:           %[[D:.*]] = arith.select %{{.*}}, %{{.*}}, %[[GALPHA]] : f32
// CHECK:           %[[DXV:.*]] = arith.mulf %[[DYV]], %[[D]] : f32
// CHECK:           llvm.store %[[DXV]]
// CHECK:           %[[TERM:.*]] = arith.mulf %[[DYV]], %{{.*}} : f32
// CHECK:           %[[NEXT:.*]] = arith.addf %[[ACC]], %[[TERM]] : f32
// CHECK:           scf.yield %[[NEXT]] : f32
// CHECK:         }
// CHECK:         llvm.atomicrmw fadd %[[DALPHA]], %[[SUM]] monotonic : !llvm.ptr, f32

// The bias kernel: rows over the grid's y, columns over x; element
// r * cols + c, bias[c].
// CHECK-LABEL: func.func @leaky_bias_f32(
// CHECK-SAME:      %[[BX:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[BY:[^:]*]]: !llvm.ptr, %[[ROWS:[^:]*]]: i64, %[[COLS:[^:]*]]: i64, %{{.*}}: f32)
// CHECK-SAME:      act.gpu_kernel = "bias"
// CHECK:         gpu.block_id  y
// CHECK:         gpu.grid_dim  y
// CHECK:         scf.for %[[R:.*]] = %{{.*}} to %[[ROWS]] step %{{.*}}  : i64 {
// CHECK:           %[[ROW:.*]] = arith.muli %[[R]], %[[COLS]] : i64
// CHECK:           gpu.thread_id  x
// CHECK:           scf.for %[[C:.*]] = %{{.*}} to %[[COLS]] step %{{.*}}  : i64 {
// CHECK:             %[[E:.*]] = arith.addi %[[ROW]], %[[C]] : i64
// CHECK:             llvm.getelementptr %[[BX]][%[[E]]]
// CHECK:             llvm.getelementptr %[[BIAS]][%[[C]]]
// CHECK:             arith.addf
// CHECK:             llvm.getelementptr %[[BY]][%[[E]]]

// A gradient without parameters is a map of x and dy: the 128-bit path
// too, aligned when x, dy and dx all are.
// CHECK-LABEL: func.func @sq_grad_f32(
// CHECK-SAME:      %[[SX:[^:]*]]: !llvm.ptr, %[[SDY:[^:]*]]: !llvm.ptr, %[[SDX:[^:]*]]: !llvm.ptr, %{{.*}}: i64)
// CHECK:         %[[A:.*]] = llvm.ptrtoint %[[SDX]]
// CHECK:         %[[B1:.*]] = llvm.ptrtoint %[[SX]]
// CHECK:         %[[O1:.*]] = arith.ori %[[A]], %[[B1]]
// CHECK:         %[[B2:.*]] = llvm.ptrtoint %[[SDY]]
// CHECK:         arith.ori %[[O1]], %[[B2]]
// CHECK:         scf.for
// CHECK:           %[[SXV:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:           %[[SDYV:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:           %[[SD:.*]] = arith.mulf %{{.*}}, %[[SXV]] : vector<4xf32>
// CHECK:           %[[SDXV:.*]] = arith.mulf %[[SDYV]], %[[SD]] : vector<4xf32>
// CHECK:           llvm.store %[[SDXV]], %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr
// CHECK:         scf.for
// CHECK:           llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK-NOT:     llvm.atomicrmw
// CHECK:         return

// The row kernel (act-gpu-row-kernels.mlir checks it); no activation left.
// CHECK-LABEL: func.func @rowmax_shift_f32(
// CHECK-SAME:      act.gpu_kernel = "row"
// CHECK-NOT:     act.activation

// F64-LABEL: func.func @leaky_f64(
// F64-SAME:      %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %[[ALPHA:[^:]*]]: f32)
// F64:         llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<2xf64>
// F64:         %[[XV:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f64
// F64:         %[[WIDE:.*]] = arith.extf %[[ALPHA]] : f32 to f64
// F64:         arith.mulf %[[WIDE]], %[[XV]] : f64
// F64-LABEL: func.func @leaky_grad_f64(
// F64:         %[[S:.*]] = arith.truncf %{{.*}} : f64 to f32
// F64:         llvm.atomicrmw fadd %{{.*}}, %[[S]] monotonic : !llvm.ptr, f32
// F64-LABEL: func.func @leaky_bias_f64(

// DTYPE: error: {{.*}}bf17

// bf16 and f16: the arrays hold 16-bit values, the body computes in f32.
// The 128-bit path moves 8 lanes: loaded as vector<8xbf16>, extended,
// computed at 8 x f32, rounded back (arith.truncf: to nearest even) and
// stored; the scalar path does the same per element.

// BF16-LABEL: func.func @sq_bf16(
// BF16:         arith.divui %{{.*}}, %c8_i64 : i64
// BF16:         scf.for
// BF16:           %[[V:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<8xbf16>
// BF16:           %[[W:.*]] = arith.extf %[[V]] : vector<8xbf16> to vector<8xf32>
// BF16:           %[[S:.*]] = arith.mulf %[[W]], %[[W]] : vector<8xf32>
// BF16:           %[[R:.*]] = arith.truncf %[[S]] : vector<8xf32> to vector<8xbf16>
// BF16:           llvm.store %[[R]], %{{.*}} {alignment = 16 : i64} : vector<8xbf16>, !llvm.ptr
// BF16:         scf.for
// BF16:           %[[E:.*]] = llvm.load %{{.*}} : !llvm.ptr -> bf16
// BF16:           %[[F:.*]] = arith.extf %[[E]] : bf16 to f32
// BF16:           arith.truncf %{{.*}} : f32 to bf16
// BF16:           llvm.store %{{.*}} : bf16, !llvm.ptr
// BF16-LABEL: func.func @sq_grad_bf16(
// BF16:           llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<8xbf16>
// BF16-LABEL: func.func @sq_bias_bf16(
// BF16:           %[[X:.*]] = arith.extf %{{.*}} : bf16 to f32
// BF16:           %[[B:.*]] = arith.extf %{{.*}} : bf16 to f32
// BF16:           arith.addf %[[X]], %[[B]] : f32
// BF16-LABEL: func.func @sq_f16(
// BF16:           llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<8xf16>
// BF16:           arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>

// kinds=bias: the bias kernels alone (a row activation has none).
// KINDS-NOT:   func.func @leaky_f32(
// KINDS-NOT:   func.func @leaky_grad_f32(
// KINDS:       func.func @leaky_bias_f32(
// KINDS-NOT:   func.func @sq_f32(
// KINDS-NOT:   func.func @sq_grad_f32(
// KINDS:       func.func @sq_bias_f32(
// KINDS-NOT:   rowmax_shift
