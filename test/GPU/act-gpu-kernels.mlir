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

// The gradient with a parameter: dx = dy * f'(x) and the thread's share of
// dalpha, sum(dy * df/dalpha): where x, dy and dx are aligned, a vector loop
// with per-lane sums, whose 4 lanes, added in order, start the scalar
// loop's sum; the warp adds its 32 sums with five xor shuffles and lane 0
// adds the result to *dalpha, one atomic add per warp.
// CHECK-LABEL: func.func @leaky_grad_f32(
// CHECK-SAME:      %[[GX:[^:]*]]: !llvm.ptr, %[[DY:[^:]*]]: !llvm.ptr, %[[DX:[^:]*]]: !llvm.ptr, %[[GN:[^:]*]]: i64, %[[GALPHA:[^:]*]]: f32, %[[DALPHA:[^:]*]]: !llvm.ptr)
// CHECK-SAME:      act.gpu_kernel = "grad"
// CHECK:         %[[GDX:.*]] = llvm.ptrtoint %[[DX]]
// CHECK:         %[[GXI:.*]] = llvm.ptrtoint %[[GX]]
// CHECK:         %[[GO:.*]] = arith.ori %[[GDX]], %[[GXI]]
// CHECK:         %[[GDYI:.*]] = llvm.ptrtoint %[[DY]]
// CHECK:         %[[GBITS:.*]] = arith.ori %[[GO]], %[[GDYI]]
// CHECK:         %[[GLOW:.*]] = arith.andi %[[GBITS]], %c15_i64 : i64
// CHECK:         %[[GALIGNED:.*]] = arith.cmpi eq, %[[GLOW]], %c0_i64 : i64
// CHECK:         %[[GQ:.*]] = arith.divui %[[GN]], %c4_i64 : i64
// CHECK:         %[[GVECTORS:.*]] = arith.select %[[GALIGNED]], %[[GQ]], %{{.*}} : i64
// CHECK:         %[[ZERO4:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK:         %[[VSUM:.*]] = scf.for %{{.*}} = %{{.*}} to %[[GVECTORS]] step %{{.*}} iter_args(%[[VACC:.*]] = %[[ZERO4]]) -> (vector<4xf32>)  : i64 {
// CHECK:           %[[VDY:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:           %[[VGX:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:           %[[VA:.*]] = vector.broadcast %[[GALPHA]] : f32 to vector<4xf32>
// CHECK:           %[[VD:.*]] = arith.select %{{.*}}, %{{.*}}, %[[VA]] : vector<4xi1>, vector<4xf32>
// CHECK:           %[[VP:.*]] = arith.select %{{.*}}, %{{.*}}, %[[VGX]] : vector<4xi1>, vector<4xf32>
// CHECK:           %[[VDX:.*]] = arith.mulf %[[VDY]], %[[VD]] : vector<4xf32>
// CHECK:           llvm.store %[[VDX]], %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr
// CHECK:           %[[VTERM:.*]] = arith.mulf %[[VDY]], %[[VP]] : vector<4xf32>
// CHECK:           %[[VNEXT:.*]] = arith.addf %[[VACC]], %[[VTERM]] : vector<4xf32>
// CHECK:           scf.yield %[[VNEXT]] : vector<4xf32>
// CHECK:         }
// CHECK:         %[[L0:.*]] = llvm.extractelement %[[VSUM]][%c0_i32 : i32] : vector<4xf32>
// CHECK:         %[[L1:.*]] = llvm.extractelement %[[VSUM]][%c1_i32 : i32] : vector<4xf32>
// CHECK:         %[[S01:.*]] = arith.addf %[[L0]], %[[L1]] : f32
// CHECK:         %[[L2:.*]] = llvm.extractelement %[[VSUM]][%c2_i32 : i32] : vector<4xf32>
// CHECK:         %[[S012:.*]] = arith.addf %[[S01]], %[[L2]] : f32
// CHECK:         %[[L3:.*]] = llvm.extractelement %[[VSUM]][%c3_i32 : i32] : vector<4xf32>
// CHECK:         %[[LANESUM:.*]] = arith.addf %[[S012]], %[[L3]] : f32
// CHECK:         %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %[[GN]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[LANESUM]]) -> (f32)  : i64 {
// CHECK:           %[[DYV:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:           %[[D:.*]] = arith.select %{{.*}}, %{{.*}}, %[[GALPHA]] : f32
// CHECK:           %[[DXV:.*]] = arith.mulf %[[DYV]], %[[D]] : f32
// CHECK:           llvm.store %[[DXV]]
// CHECK:           %[[TERM:.*]] = arith.mulf %[[DYV]], %{{.*}} : f32
// CHECK:           %[[NEXT:.*]] = arith.addf %[[ACC]], %[[TERM]] : f32
// CHECK:           scf.yield %[[NEXT]] : f32
// CHECK:         }
// CHECK:         %[[SH16:.*]], %{{.*}} = gpu.shuffle  xor %[[SUM]], %c16_i32, %c32_i32 : f32
// CHECK:         %[[W16:.*]] = arith.addf %[[SUM]], %[[SH16]] : f32
// CHECK:         %[[SH8:.*]], %{{.*}} = gpu.shuffle  xor %[[W16]], %c8_i32, %{{.*}} : f32
// CHECK:         %[[W8:.*]] = arith.addf %[[W16]], %[[SH8]] : f32
// CHECK:         %[[SH4:.*]], %{{.*}} = gpu.shuffle  xor %[[W8]], %c4_i32, %{{.*}} : f32
// CHECK:         %[[W4:.*]] = arith.addf %[[W8]], %[[SH4]] : f32
// CHECK:         %[[SH2:.*]], %{{.*}} = gpu.shuffle  xor %[[W4]], %{{.*}}, %{{.*}} : f32
// CHECK:         %[[W2:.*]] = arith.addf %[[W4]], %[[SH2]] : f32
// CHECK:         %[[SH1:.*]], %{{.*}} = gpu.shuffle  xor %[[W2]], %{{.*}}, %{{.*}} : f32
// CHECK:         %[[W1:.*]] = arith.addf %[[W2]], %[[SH1]] : f32
// CHECK:         %[[TID:.*]] = gpu.thread_id  x
// CHECK:         %[[TIDI:.*]] = arith.index_castui %[[TID]] : index to i64
// CHECK:         %[[LANE:.*]] = arith.remui %[[TIDI]], %c32_i64 : i64
// CHECK:         %[[FIRSTLANE:.*]] = arith.cmpi eq, %[[LANE]], %{{.*}} : i64
// CHECK:         scf.if %[[FIRSTLANE]] {
// CHECK-NEXT:      llvm.atomicrmw fadd %[[DALPHA]], %[[W1]] monotonic : !llvm.ptr, f32
// CHECK-NEXT:    }
// CHECK-NOT:     llvm.atomicrmw
// CHECK:         return

// The bias kernel: rows over the grid's y, columns over x; element
// r * cols + c, bias[c]. Where y, x and bias are 16-byte aligned and cols
// is a multiple of 4 (so every row starts aligned), a loop over the row's
// cols / 4 vectors (x[r * cols + 4 v], bias[4 v]) and an empty scalar loop;
// else no vector and the scalar loop over all columns. The kernel carries
// its lanes for the launcher.
// CHECK-LABEL: func.func @leaky_bias_f32(
// CHECK-SAME:      %[[BX:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[BY:[^:]*]]: !llvm.ptr, %[[ROWS:[^:]*]]: i64, %[[COLS:[^:]*]]: i64, %[[BALPHA:[^:]*]]: f32)
// CHECK-SAME:      act.gpu_kernel = "bias", act.gpu_lanes = 4 : i64
// CHECK:         %[[BYI:.*]] = llvm.ptrtoint %[[BY]]
// CHECK:         %[[BXI:.*]] = llvm.ptrtoint %[[BX]]
// CHECK:         %[[BO:.*]] = arith.ori %[[BYI]], %[[BXI]]
// CHECK:         %[[BBI:.*]] = llvm.ptrtoint %[[BIAS]]
// CHECK:         %[[BBITS:.*]] = arith.ori %[[BO]], %[[BBI]]
// CHECK:         %[[BLOW:.*]] = arith.andi %[[BBITS]], %c15_i64 : i64
// CHECK:         %[[CLOW:.*]] = arith.andi %[[COLS]], %c3_i64 : i64
// CHECK:         %[[BOTH:.*]] = arith.ori %[[BLOW]], %[[CLOW]] : i64
// CHECK:         %[[BALIGNED:.*]] = arith.cmpi eq, %[[BOTH]], %c0_i64 : i64
// CHECK:         %[[BQ:.*]] = arith.divui %[[COLS]], %c4_i64 : i64
// CHECK:         %[[BVECTORS:.*]] = arith.select %[[BALIGNED]], %[[BQ]], %{{.*}} : i64
// CHECK:         %[[BREST:.*]] = arith.muli %[[BVECTORS]], %{{.*}} : i64
// CHECK:         gpu.block_id  y
// CHECK:         gpu.grid_dim  y
// CHECK:         scf.for %[[R:.*]] = %{{.*}} to %[[ROWS]] step %{{.*}}  : i64 {
// CHECK:           %[[ROW:.*]] = arith.muli %[[R]], %[[COLS]] : i64
// CHECK:           gpu.thread_id  x
// CHECK:           scf.for %[[BV:.*]] = %{{.*}} to %[[BVECTORS]] step %{{.*}}  : i64 {
// CHECK:             %[[BC:.*]] = arith.muli %[[BV]], %{{.*}} : i64
// CHECK:             %[[BE:.*]] = arith.addi %[[ROW]], %[[BC]] : i64
// CHECK:             %[[BPX:.*]] = llvm.getelementptr %[[BX]][%[[BE]]]
// CHECK:             %[[BVX:.*]] = llvm.load %[[BPX]] {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:             %[[BPB:.*]] = llvm.getelementptr %[[BIAS]][%[[BC]]]
// CHECK:             %[[BVB:.*]] = llvm.load %[[BPB]] {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:             %[[BZ:.*]] = arith.addf %[[BVX]], %[[BVB]] : vector<4xf32>
// CHECK:             %[[BVA:.*]] = vector.broadcast %[[BALPHA]] : f32 to vector<4xf32>
// CHECK:             %[[BNEG:.*]] = arith.mulf %[[BVA]], %[[BZ]] : vector<4xf32>
// CHECK:             %[[BRES:.*]] = arith.select %{{.*}}, %[[BZ]], %[[BNEG]] : vector<4xi1>, vector<4xf32>
// CHECK:             %[[BPY:.*]] = llvm.getelementptr %[[BY]][%[[BE]]]
// CHECK:             llvm.store %[[BRES]], %[[BPY]] {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr
// CHECK:           }
// CHECK:           %[[CSTART:.*]] = arith.addi %[[BREST]], %{{.*}} : i64
// CHECK:           scf.for %[[C:.*]] = %[[CSTART]] to %[[COLS]] step %{{.*}}  : i64 {
// CHECK:             %[[E:.*]] = arith.addi %[[ROW]], %[[C]] : i64
// CHECK:             llvm.getelementptr %[[BX]][%[[E]]]
// CHECK:             llvm.load %{{.*}} : !llvm.ptr -> f32
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
// F64:         iter_args(%{{.*}} = %{{.*}}) -> (vector<2xf64>)
// F64:         llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<2xf64>
// F64:         %[[S:.*]] = arith.truncf %{{.*}} : f64 to f32
// F64:         gpu.shuffle  xor %[[S]], %c16_i32, %c32_i32 : f32
// F64:         llvm.atomicrmw fadd %{{.*}}, %{{.*}} monotonic : !llvm.ptr, f32
// F64-LABEL: func.func @leaky_bias_f64(
// F64-SAME:      act.gpu_lanes = 2 : i64
// F64:         arith.andi %{{.*}}, %c1_i64 : i64
// F64:         arith.divui %{{.*}}, %c2_i64 : i64
// F64:         llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<2xf64>

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
// BF16-SAME:      act.gpu_lanes = 8 : i64
// BF16:           %[[VX:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<8xbf16>
// BF16:           %[[VXF:.*]] = arith.extf %[[VX]] : vector<8xbf16> to vector<8xf32>
// BF16:           %[[VB:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<8xbf16>
// BF16:           %[[VBF:.*]] = arith.extf %[[VB]] : vector<8xbf16> to vector<8xf32>
// BF16:           arith.addf %[[VXF]], %[[VBF]] : vector<8xf32>
// BF16:           arith.truncf %{{.*}} : vector<8xf32> to vector<8xbf16>
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
