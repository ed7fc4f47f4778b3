// RUN: act-opt %s --act-math-approx="avx512=true" | FileCheck %s
// RUN: act-opt %s --act-math-approx | FileCheck %s --check-prefix=PORTABLE

// precision=accurate softplus with AVX-512 (AccurateF32Softplus.cpp,
// buildSoftplusAtanhF32): log1p(E) = 2 atanh(E / (2 + E)), E = exp(-|t|)
// from the 32-entry table pair core (two vpermi2var: T_j's head and tail),
// one division (1 / (1 + E/2)'s head), the degree-4 polynomial in w = s^2,
// 2^n by one vscalefps on the t < 0 side; no log1p series, no f64.
// Without AVX-512 the log1p(1 + E) pair form stays (no division).

// CHECK-LABEL: func.func @softplus(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK:         %[[NEG:.*]] = arith.cmpf olt, %[[X]], %{{.*}}
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-NOT:     llvm.x86.avx512.vpermi2var
// CHECK:         %[[R:.*]] = arith.divf %{{.*}}, %[[D:.*]] : vector<16xf32>
// CHECK-NOT:     arith.divf
// CHECK:         %[[QH:.*]] = arith.mulf %{{.*}}, %[[R]]
// CHECK:         %[[W:.*]] = arith.mulf %[[SR:.*]], %[[SR]]
// CHECK-COUNT-4: math.fma %{{.*}}, %[[W]], %{{.*}}
// CHECK-NEXT:    %[[TAIL:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}}
// CHECK-NEXT:    %[[SUM:.*]] = arith.addf %[[QH]], %[[TAIL]]
// CHECK-NEXT:    %[[YNEG:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[SUM]],
// CHECK:         %[[Y:.*]] = arith.select %[[NEG]], %[[YNEG]], %{{.*}}
// CHECK-NOT:     math.log1p
// CHECK-NOT:     act.softplus
// CHECK:         arith.cmpf uno, %[[X]], %[[X]]
// CHECK-NEXT:    %[[R2:.*]] = arith.select %{{.*}}, %[[X]], %{{.*}}
// CHECK-NEXT:    return %[[R2]]

// PORTABLE-LABEL: func.func @softplus(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE-NOT:   arith.divf
// PORTABLE-NOT:   act.softplus
// PORTABLE:       return
func.func @softplus(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  return %s : vector<16xf32>
}
