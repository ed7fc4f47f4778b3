// RUN: act-opt %s --act-gpu-kernels="dtypes=f32" | FileCheck %s
// RUN: act-opt %s --act-gpu-kernels="dtypes=f64" | FileCheck %s --check-prefix=F64
// RUN: act-opt %s --act-gpu-kernels="dtypes=bf16" | FileCheck %s --check-prefix=BF16
// RUN: act-opt %s --act-gpu-kernels="dtypes=f32" --act-expand="precision=accurate" | FileCheck %s --check-prefix=EXPAND

// Row activations on the GPU: one warp per row. Warp w = (blockIdx.x *
// blockDim.x + threadIdx.x) / 32 takes rows w, w + warps, ...; lane
// threadIdx.x % 32 takes columns lane, lane + 32, ... Each reduction is a
// loop over the lane's columns, then five gpu.shuffle xor steps (16, 8, 4,
// 2, 1) combining with the same op; then the output loop. Per row, when x
// and y are 16-byte aligned and cols % 4 == 0 (bf16: 8), the loops go over
// the lane's 128-bit vectors (lane, lane + 32, ... < cols / 4) instead,
// one vector load per input and the body per element in order; else the
// scalar loops.

// softmax as act-autodiff marks it (act.row_grad): exp(x - m) / rowsum.
act.activation @sm params [] attributes {act.row_grad = "softmax"} {
^bb0(%x: f32):
  %m = act.rowmax %x : f32
  %d = arith.subf %x, %m : f32
  %e = math.exp %d : f32
  %s = act.rowsum %e : f32
  %y = arith.divf %e, %s : f32
  act.return %y : f32
}

act.activation @lsm params [] attributes {act.row_grad = "log_softmax"} {
^bb0(%x: f32):
  %s = act.rowsum %x : f32
  %y = arith.subf %x, %s : f32
  act.return %y : f32
}

// A row activation without a closed-form VJP: forward only.
act.activation @shift params [] {
^bb0(%x: f32):
  %c = arith.constant 2.0 : f32
  %m = act.rowmax %x : f32
  %t = arith.mulf %m, %c : f32
  %y = arith.subf %x, %t : f32
  act.return %y : f32
}

// CHECK-LABEL: func.func @sm_f32(
// CHECK-SAME:      %[[X:[^:]*]]: !llvm.ptr, %[[Y:[^:]*]]: !llvm.ptr, %[[ROWS:[^:]*]]: i64, %[[COLS:[^:]*]]: i64)
// CHECK-SAME:      act.gpu_kernel = "row"
// CHECK:         %[[XI64:.*]] = llvm.ptrtoint %[[X]]
// CHECK:         %[[YI64:.*]] = llvm.ptrtoint %[[Y]]
// CHECK:         %[[XY:.*]] = arith.ori %[[XI64]], %[[YI64]]
// CHECK:         %[[LOW:.*]] = arith.andi %[[XY]], %c15_i64
// CHECK:         %[[CLOW:.*]] = arith.andi %[[COLS]], %c3_i64
// CHECK:         %[[BOTH:.*]] = arith.ori %[[LOW]], %[[CLOW]]
// CHECK:         %[[VEC:.*]] = arith.cmpi eq, %[[BOTH]], %c0_i64
// CHECK:         %[[BID:.*]] = gpu.block_id x
// CHECK:         %[[TID:.*]] = gpu.thread_id x
// CHECK:         %[[T:.*]] = arith.index_castui %[[TID]]
// CHECK:         %[[WARP:.*]] = arith.divui %{{.*}}, %c32_i64{{.*}}
// CHECK:         %[[LANE:.*]] = arith.remui %[[T]], %{{.*}}
// CHECK:         %[[WARPS:.*]] = arith.divui %{{.*}}, %{{.*}}
// CHECK:         scf.for %[[R:.*]] = %[[WARP]] to %[[ROWS]] step %[[WARPS]]
// CHECK:           %[[START:.*]] = arith.muli %[[R]], %[[COLS]]
// The vector path: rowmax over the lane's vectors, element by element.
// CHECK:           scf.if %[[VEC]] {
// CHECK:             %[[VNEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:             %[[NV:.*]] = arith.divui %[[COLS]], %c4_i64
// CHECK:             %[[VPMAX:.*]] = scf.for %[[VJ:.*]] = %[[LANE]] to %[[NV]] step %{{.*}} iter_args(%[[VACC:.*]] = %[[VNEGINF]])
// CHECK:               %[[VOFF:.*]] = arith.muli %[[VJ]], %{{.*}}
// CHECK:               %[[VI:.*]] = arith.addi %[[START]], %[[VOFF]]
// CHECK:               %[[VP:.*]] = llvm.getelementptr %[[X]][%[[VI]]]
// CHECK:               %[[VX:.*]] = llvm.load %[[VP]] {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:               %[[X0:.*]] = llvm.extractelement %[[VX]][%c0_i32 : i32]
// CHECK:               %[[M0:.*]] = arith.maximumf %[[VACC]], %[[X0]]
// CHECK:               %[[X1:.*]] = llvm.extractelement %[[VX]][%c1_i32{{[_0-9]*}} : i32]
// CHECK:               %[[M1:.*]] = arith.maximumf %[[M0]], %[[X1]]
// CHECK:               %[[X2:.*]] = llvm.extractelement %[[VX]][%c2_i32{{[_0-9]*}} : i32]
// CHECK:               %[[M2V:.*]] = arith.maximumf %[[M1]], %[[X2]]
// CHECK:               %[[X3:.*]] = llvm.extractelement %[[VX]][%c3_i32{{[_0-9]*}} : i32]
// CHECK:               %[[M3:.*]] = arith.maximumf %[[M2V]], %[[X3]]
// CHECK:               scf.yield %[[M3]]
// CHECK:             gpu.shuffle xor %[[VPMAX]], %c16_i32
// CHECK-COUNT-4:     gpu.shuffle xor
// CHECK:             scf.for
// CHECK:               llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK-COUNT-4:       math.exp
// CHECK:               scf.yield
// CHECK-COUNT-5:     gpu.shuffle xor
// The output: t / rowsum(t) as t times the row's reciprocal (one division
// per row); four products into one vector, one 128-bit store.
// CHECK:             %[[VR:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:             scf.for
// CHECK:               llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:               %[[OZ:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK:               %[[Q0:.*]] = arith.mulf %{{.*}}, %[[VR]]
// CHECK:               %[[I0:.*]] = llvm.insertelement %[[Q0]], %[[OZ]][%c0_i32{{[_0-9]*}} : i32]
// CHECK:               %[[Q1:.*]] = arith.mulf %{{.*}}, %[[VR]]
// CHECK:               %[[I1:.*]] = llvm.insertelement %[[Q1]], %[[I0]][%c1_i32{{[_0-9]*}} : i32]
// CHECK:               %[[Q2:.*]] = arith.mulf %{{.*}}, %[[VR]]
// CHECK:               %[[I2:.*]] = llvm.insertelement %[[Q2]], %[[I1]][%c2_i32{{[_0-9]*}} : i32]
// CHECK:               %[[Q3:.*]] = arith.mulf %{{.*}}, %[[VR]]
// CHECK:               %[[I3:.*]] = llvm.insertelement %[[Q3]], %[[I2]][%c3_i32{{[_0-9]*}} : i32]
// CHECK:               %[[OP:.*]] = llvm.getelementptr %[[Y]][
// CHECK:               llvm.store %[[I3]], %[[OP]] {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr
// CHECK:           } else {
// The scalar path.
// rowmax: from -inf over the lane's columns, then the butterfly.
// CHECK:           %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:           %[[PMAX:.*]] = scf.for %[[J:.*]] = %[[LANE]] to %[[COLS]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[NEGINF]])
// CHECK:             %[[I:.*]] = arith.addi %[[START]], %[[J]]
// CHECK:             %[[XI:.*]] = llvm.load
// CHECK:             arith.maximumf %[[ACC]], %[[XI]] : f32
// Each step's result passes a bitcast pair, so that act-expand does not
// keep a lane's own partial in f64 (the lanes would then disagree).
// CHECK:           %[[S16:.*]], %{{.*}} = gpu.shuffle xor %[[PMAX]], %c16_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}} : f32
// CHECK:           %[[M16:.*]] = arith.maximumf %[[PMAX]], %[[S16]]
// CHECK:           %[[M16I:.*]] = arith.bitcast %[[M16]] : f32 to i32
// CHECK:           %[[M16F:.*]] = arith.bitcast %[[M16I]] : i32 to f32
// CHECK:           gpu.shuffle xor %[[M16F]], %c8_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}}
// CHECK:           gpu.shuffle xor %{{.*}}, %c4_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}}
// CHECK:           gpu.shuffle xor %{{.*}}, %c2_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}}
// CHECK:           %[[S1:.*]], %{{.*}} = gpu.shuffle xor %[[M2:.*]], %c1_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}}
// CHECK:           %[[M1:.*]] = arith.maximumf %[[M2]], %[[S1]]
// CHECK:           %[[M1I:.*]] = arith.bitcast %[[M1]] : f32 to i32
// CHECK:           %[[MAX:.*]] = arith.bitcast %[[M1I]] : i32 to f32
// rowsum of exp(x - max): in f64 from 0, then the butterfly with addf (f64
// as two 32-bit halves); the body reads the sum rounded to f32 with
// act-expand's mark (act.wide), so a body it widens reads the f64 sum.
// CHECK:           %[[ZERO64:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:           %[[PSUM:.*]] = scf.for %{{.*}} iter_args(%[[SACC:.*]] = %[[ZERO64]]) -> (f64)
// CHECK:             %[[D:.*]] = arith.subf %{{.*}}, %[[MAX]]
// CHECK:             %[[E:.*]] = math.exp %[[D]] : f32
// CHECK:             %[[E64:.*]] = arith.extf %[[E]] : f32 to f64
// CHECK:             arith.addf %[[SACC]], %[[E64]] : f64
// CHECK-COUNT-10:  gpu.shuffle xor %{{.*}} : i32
// CHECK:           %[[SUM64:.*]] = arith.addf %{{.*}}, %{{.*}} : f64
// CHECK:           %[[SUM:.*]] = arith.truncf %[[SUM64]] {act.wide} : f64 to f32
// The output.
// CHECK:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[R:.*]] = arith.divf %[[ONE]], %[[SUM]] : f32
// CHECK:           scf.for %[[J2:.*]] = %[[LANE]] to %[[COLS]]
// CHECK:             %[[E2:.*]] = math.exp
// CHECK:             %[[Q:.*]] = arith.mulf %[[E2]], %[[R]]
// CHECK:             llvm.store %[[Q]]

// softmax's gradient from y: s = sum(dy * y), dx = y * (dy - s).
// CHECK-LABEL: func.func @sm_grad_f32(
// CHECK-SAME:      %[[GY:[^:]*]]: !llvm.ptr, %[[GDY:[^:]*]]: !llvm.ptr, %[[GDX:[^:]*]]: !llvm.ptr, %{{[^:]*}}: i64, %{{[^:]*}}: i64)
// CHECK-SAME:      act.gpu_kernel = "row_grad"
// CHECK:           scf.if
// CHECK:               %[[VDY:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:               %[[VYV:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:               %[[DY0:.*]] = llvm.extractelement %[[VDY]]
// CHECK:               %[[Y0:.*]] = llvm.extractelement %[[VYV]]
// CHECK:               %[[DY064:.*]] = arith.extf %[[DY0]] : f32 to f64
// CHECK:               %[[Y064:.*]] = arith.extf %[[Y0]] : f32 to f64
// CHECK:               arith.mulf %[[DY064]], %[[Y064]] : f64
// CHECK-COUNT-10:    gpu.shuffle xor
// CHECK:               llvm.store %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr
// CHECK:           } else {
// s = sum(dy * y) in f64 (each product exact); dx = y * (dy - s) in f64,
// rounded once.
// CHECK:             %[[DY:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:             %[[YV:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:             %[[DY64:.*]] = arith.extf %[[DY]] : f32 to f64
// CHECK:             %[[YV64:.*]] = arith.extf %[[YV]] : f32 to f64
// CHECK:             %[[P:.*]] = arith.mulf %[[DY64]], %[[YV64]] : f64
// CHECK:             arith.addf %{{.*}}, %[[P]] : f64
// CHECK-COUNT-10:  gpu.shuffle xor
// CHECK:           %[[GS:.*]] = arith.addf %{{.*}}, %{{.*}} : f64
// CHECK:           scf.for
// CHECK:             %[[Y2:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:             %[[DY2:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:             %[[Y264:.*]] = arith.extf %[[Y2]] : f32 to f64
// CHECK:             %[[DY264:.*]] = arith.extf %[[DY2]] : f32 to f64
// CHECK:             %[[C:.*]] = arith.subf %[[DY264]], %[[GS]] : f64
// CHECK:             %[[DX64:.*]] = arith.mulf %[[Y264]], %[[C]] : f64
// CHECK:             %[[DX:.*]] = arith.truncf %[[DX64]] : f64 to f32
// CHECK:             llvm.store %[[DX]]

// log_softmax's: s = sum(dy), dx = dy - exp(y) * s.
// CHECK-LABEL: func.func @lsm_f32(
// CHECK-LABEL: func.func @lsm_grad_f32(
// CHECK-SAME:      act.gpu_kernel = "row_grad"
// CHECK:           } else {
// CHECK:             %[[LDY:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK:             %[[LDY64:.*]] = arith.extf %[[LDY]] : f32 to f64
// CHECK:             arith.addf %{{.*}}, %[[LDY64]] : f64
// CHECK-COUNT-10:  gpu.shuffle xor
// CHECK:           %[[LS64:.*]] = arith.addf %{{.*}}, %{{.*}} : f64
// CHECK:           %[[LSUM:.*]] = arith.truncf %[[LS64]] {act.wide} : f64 to f32
// CHECK:             %[[LE:.*]] = math.exp
// CHECK:             %[[LS:.*]] = arith.mulf %[[LE]], %[[LSUM]]
// CHECK:             %[[LDX:.*]] = arith.subf %{{.*}}, %[[LS]]
// CHECK:             llvm.store %[[LDX]]

// CHECK-LABEL: func.func @shift_f32(
// CHECK-NOT:   func.func @shift_grad_f32(
// CHECK-NOT:   act.activation

// f64 values cross lanes as two 32-bit halves.
// F64-LABEL: func.func @shift_f64(
// F64:         %[[BITS:.*]] = arith.bitcast %{{.*}} : f64 to i64
// F64:         %[[LO:.*]] = arith.trunci %[[BITS]] : i64 to i32
// F64:         %[[HI:.*]] = arith.trunci %{{.*}} : i64 to i32
// F64:         gpu.shuffle xor %[[LO]], %c16_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}} : i32
// F64:         gpu.shuffle xor %[[HI]], %c16_i32{{[_0-9]*}}, %c32_i32{{[_0-9]*}} : i32
// F64:         arith.bitcast %{{.*}} : i64 to f64

// bf16 rows: loaded as bf16, computed in f32, rounded on store.
// BF16-LABEL: func.func @shift_bf16(
// BF16:         arith.andi %{{.*}}, %c7_i64
// BF16:         llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<8xbf16>
// BF16:         arith.extf %{{.*}} : vector<8xbf16> to vector<8xf32>
// BF16:         arith.truncf %{{.*}} : vector<8xf32> to vector<8xbf16>
// BF16:         llvm.store %{{.*}} {alignment = 16 : i64} : vector<8xbf16>, !llvm.ptr
// BF16:         } else {
// BF16:         llvm.load %{{.*}} : !llvm.ptr -> bf16
// BF16:         arith.extf %{{.*}} : bf16 to f32
// BF16:         gpu.shuffle xor %{{.*}} : f32
// BF16:         arith.truncf %{{.*}} : f32 to bf16
// BF16:         llvm.store %{{.*}} : bf16, !llvm.ptr

// In accurate mode act-expand computes softmax's body in f64; the row's
// reciprocal is 1 / the f64 sum itself (the act.wide rounding dropped), not
// of the sum rounded to f32, and each product is f64, rounded once.
// EXPAND-LABEL: func.func @sm_f32(
// EXPAND:         } else {
// EXPAND:           %[[SUM:.*]] = scf.for {{.*}} -> (f64)
// EXPAND-COUNT-4:    arith.bitcast %{{.*}} : i64 to f64
// EXPAND:           arith.bitcast %{{.*}} : i64 to f64
// EXPAND-NEXT:      %[[TOTAL:.*]] = arith.addf %{{.*}}, %{{.*}} : f64
// EXPAND-NOT:       arith.truncf %[[TOTAL]]
// EXPAND:           %[[RECIPROCAL:.*]] = arith.divf %{{.*}}, %[[TOTAL]] : f64
// EXPAND:             %[[E:.*]] = math.exp %{{.*}} {act.wide} : f64
// EXPAND-NEXT:        %[[Q:.*]] = arith.mulf %[[E]], %[[RECIPROCAL]] : f64
// EXPAND-NEXT:        arith.truncf %[[Q]] : f64 to f32
