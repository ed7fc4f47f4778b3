//===- Passes.td - actc passes -----------------------------*- tablegen -*-===//
//
// Every pass of the pipeline, in pipeline order. Each is defined in its own
// file under lib/ and runs alone in act-opt.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_PASSES_TD
#define ACT_PASSES_TD

include "mlir/Pass/PassBase.td"

def ActInline : Pass<"act-inline", "::mlir::ModuleOp"> {
  let summary = "Inline calls between activations";
  let description = [{
    Replaces every `act.call` with the callee's body, its parameters bound
    to the call's operands. Fails on recursive calls.
  }];
  let dependentDialects = ["::mlir::act::ActDialect"];
}

def ActCanonicalize : Pass<"act-canonicalize", "::mlir::ModuleOp"> {
  let summary = "Fold constants, expand integer powers, remove duplicates";
  let description = [{
    Folds compile-time parameters to constants, integer powers to product
    chains and simple identities (the rules in td/Canonicalize.td together
    with the arith and math folders), then eliminates common
    subexpressions.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ActStabilize : Pass<"act-stabilize", "::mlir::ModuleOp"> {
  let summary = "Rewrite textbook formulas into numerically stable forms";
  let description = [{
    log(1 + exp(x)) -> softplus, 1 / (1 + exp(-x)) -> sigmoid, exp(x) - 1 ->
    expm1, log(1 + y) -> log1p, 1 + erf(z) -> erfc(-z), 1 + tanh(z) ->
    2 sigmoid(2z), log(sigmoid(x)) -> -softplus(-x) (td/Stabilize.td);
    max-shifted softmax, log-softmax and log-sum-exp (the log of a shifted
    row sum as log1p of the sum without the row's ones), sqrt(x^2 + c) without
    overflow, and x - tanh(x) by its series below a branch point chosen by
    measuring the candidates' error (C++). Then records the exact f64 value
    of every constant operand f32 rounds (`act.exact`).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ActAutodiff : Pass<"act-autodiff", "::mlir::ModuleOp"> {
  let summary = "Build the derivative of every elementwise activation";
  let description = [{
    For each public elementwise activation `@f` adds `@f_grad` (marked
    `grad_of = @f`), returning df/dx and df/dp for every runtime parameter
    p. The body is f's body followed by the derivative, built by the chain
    rules of td/Derivatives.td (one rule per op; this pass names none) and
    simplified, so the derivative reuses forward values.

    A row activation gets no `@f_grad`: if sampling it shows that it is
    softmax or log_softmax (written any way), it is marked
    `act.row_grad = "softmax"` (or "log_softmax") and act-kernels builds the
    closed-form VJP from y; any other row activation is an error. Ops that
    are not differentiable where the spec uses them (abs, max, min, select
    on the variable) get a warning naming the rule applied, unless they come
    from the prelude alone. `grad-params` lists `activation.param` entries
    whose gradient the user asks for: a compile-time constant there is an
    error (only runtime `param`s have gradients).
  }];
  let options = [
    ListOption<"gradParams", "grad-params", "std::string",
               "activation.param entries whose gradient is asked for">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ActGradFromY : Pass<"act-grad-from-y", "::mlir::ModuleOp"> {
  let summary = "Rewrite derivatives in terms of the forward output";
  let description = [{
    For each `@f_grad` (from act-autodiff) tries to write every partial as
    a function of y = f(x) alone: forward values are replaced by y, simple
    forward forms are inverted (exp(x) = y, a * expm1(x) = y on a branch of
    a select, ...), conditions on x become the same conditions on y against
    f of the threshold. A candidate is kept as `@f_grad_from_y` (marked
    `grad_of = @f` and `act.from_y`) only when it agrees with `@f_grad` on
    sampled inputs and parameter values, evaluated in double.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ActFuse : Pass<"act-fuse"> {
  let summary = "Fuse layer graphs into the fused kernels' ops";
  let description = [{
    On tensor graphs (act.matmul, act.bias_add, act.apply, act.apply_grad,
    act.column_sum, and linalg.matmul into a zero fill): f(a . b + bias)
    becomes act.fused_matmul, or act.fused_matmul_aux where z is read
    elsewhere; f(x + bias) act.fused_bias; column_sum(dy * f'(x + bias))
    act.fused_bias_grad. Declarative rules in td/Fusion.td, the two-root
    fusions in C++.
  }];
  let dependentDialects = ["::mlir::act::ActDialect"];
}

def ActBiasKernels : Pass<"act-bias-kernels", "::mlir::ModuleOp"> {
  let summary = "Build the bias epilogue kernels of every activation";
  let description = [{
    For each public elementwise activation and each element type, builds
    `NAME_bias_T(x, bias, y, rows, cols, P...)`, y = f(x + bias[col]), and
    from its gradient (act-autodiff) `NAME_bias_grad_T(x, bias, dy, dx,
    dbias, rows, cols, P..., dP...)`: dx = dy * f'(x + bias), dbias the
    column sums of dx kept as a row of vector accumulators, dP the sums of
    dy * df/dP. The column loops carry `act.vectorize`. Runs before
    act-kernels, which removes the activations.
  }];
  let options = [
    ListOption<"dtypes", "dtypes", "std::string",
               "Element types to instantiate (f32, f64)">,
    ListOption<"kinds", "kinds", "std::string",
               "Kernel kinds to build (forward, grad, grad_from_y, bias, "
               "bias_grad, matmul, matmul_aux, their _mt variants, or all; "
               "empty: all but _mt); this pass builds the ones it owns">,
    Option<"vectorBits", "vector-bits", "unsigned", "512",
           "Vector register width in bits (for the zeroing of dbias)">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ActMatmulKernels : Pass<"act-matmul-kernels", "::mlir::ModuleOp"> {
  let summary = "Build the matmul epilogue kernels of every activation";
  let description = [{
    For each public elementwise activation and each element type, builds
    `NAME_matmul_T(a, b, bias, c, m, n, k, P...)`, c = f(a.b + bias), and
    `NAME_matmul_aux_T(a, b, bias, c, z, m, n, k, P...)`, which also stores
    z = a.b + bias: B packed per K block into a stack panel of `vectors`
    vectors, a `rows` x `vectors` register tile of loop-carried vectors
    updated with vector.fma, and the bias and the activation's body applied
    to the accumulators of the last K block before the tile is stored: in
    registers (cloned per accumulator) when the body is small, else in a
    loop over the tile (one clone, so compile time and code size stay
    those of an elementwise kernel).
    Runs before act-kernels, which removes the activations.
  }];
  let options = [
    ListOption<"dtypes", "dtypes", "std::string",
               "Element types to instantiate (f32, f64)">,
    ListOption<"kinds", "kinds", "std::string",
               "Kernel kinds to build (forward, grad, grad_from_y, bias, "
               "bias_grad, matmul, matmul_aux, their _mt variants, or all; "
               "empty: all but _mt); this pass builds the ones it owns">,
    Option<"vectorBits", "vector-bits", "unsigned", "512",
           "Vector register width in bits">,
    Option<"rows", "rows", "int64_t", "6", "Rows of the register tile">,
    Option<"vectors", "vectors", "int64_t", "0",
           "Vectors per tile row (0: 4 for 512-bit vectors, else 2)">,
    Option<"depth", "depth", "int64_t", "512", "The K block">,
    Option<"blockRows", "block-rows", "int64_t", "528",
           "Rows per row block (rounded up to a multiple of rows)">,
    Option<"epilogueOps", "epilogue-ops", "int64_t", "48",
           "Largest epilogue (estimated vector ops over the whole tile) "
           "cloned onto every accumulator; a larger one is a loop over the "
           "tile stored to the stack">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ActThreadedKernels : Pass<"act-threaded-kernels", "::mlir::ModuleOp"> {
  let summary = "Build the threaded variants of the bias and matmul kernels";
  let description = [{
    For each bias, matmul and matmul_aux kernel in the module whose
    threaded kind (bias_mt, matmul_mt, matmul_aux_mt) is selected, builds
    `NAME_KIND_mt_T(same arguments..., int64_t threads)`: the rows split
    into `threads` blocks, the first run by the caller, the others by
    pthread_create'd threads calling the single-threaded kernel on their
    rows (so the result is bitwise the single-threaded one), then joined.
    bias_grad_mt splits the columns instead, in blocks of 64, each run by
    act-bias-kernels' NAME_bias_grad_strided_T (dx and dbias bitwise; dP
    the blocks' sums added in block order).
    Runs after act-bias-kernels and act-matmul-kernels.
  }];
  let options = [
    ListOption<"dtypes", "dtypes", "std::string",
               "Element types to instantiate (f32, f64)">,
    ListOption<"kinds", "kinds", "std::string",
               "Kernel kinds to build; only threaded kinds named here "
               "(bias_mt, bias_grad_mt, matmul_mt, matmul_aux_mt) are built">,
    Option<"rowMultiple", "row-multiple", "int64_t", "6",
           "Matmul row blocks are multiples of this (the register tile)">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ActKernels : Pass<"act-kernels", "::mlir::ModuleOp"> {
  let summary = "Instantiate the ABI kernels of every activation";
  let description = [{
    For each `act.activation` and each requested element type, builds the
    `func.func` kernels of ABI.md (`NAME_f32(x, y, n, params...)` for an
    elementwise activation, `NAME_f32(x, y, rows, cols)` for a row
    activation) as scalar `scf.for` loops over memrefs. The loops carry
    `act.vectorize`, which `act-vectorize` turns into vector code. The
    activation definitions are removed.
  }];
  let options = [
    ListOption<"dtypes", "dtypes", "std::string",
               "Element types to instantiate (f32, f64)">,
    ListOption<"kinds", "kinds", "std::string",
               "Kernel kinds to build (forward, grad, grad_from_y, bias, "
               "bias_grad, matmul, matmul_aux, their _mt variants, or all; "
               "empty: all but _mt); this pass builds the ones it owns">,
    Option<"precision", "precision", "std::string", "\"accurate\"",
           "accurate or fast: with accurate, f32 row kernels compute a "
           "row sum's unstored terms in f64 (log_softmax's exp(x - m))">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ActVectorize : Pass<"act-vectorize", "::mlir::ModuleOp"> {
  let summary = "Vectorize the kernels' element loops";
  let description = [{
    Rewrites each scalar loop marked `act.vectorize` into an unmasked
    vector loop over full vectors and one masked tail; reductions keep a
    vector accumulator and reduce it once after the loop. `vector-bits` is
    the register width of the target (512 for AVX-512, 256 for AVX2).

    With `stream-bytes` > 0, a loop also marked `act.stream_stores` gets a
    second form, taken at run time when its output array (the one array the
    loop stores to and never loads from) holds at least that many bytes:
    a masked head up to the output's next vector-size boundary, the vector
    loop with aligned non-temporal stores (they bypass the caches, so a
    kernel out of cache moves 2 instead of 3 bytes per byte it reads and
    writes), the masked tail, then x86's `sfence` so that other threads see
    the streamed data once they synchronize with this one (an x86 option:
    the driver sets it for x86 targets only).
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "512",
           "Vector register width in bits">,
    Option<"streamBytes", "stream-bytes", "uint64_t", "0",
           "Output size in bytes from which act.stream_stores loops use "
           "non-temporal stores (0: never)">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect"];
}

def ActExpand : Pass<"act-expand", "::mlir::ModuleOp"> {
  let summary = "Expand act functions into arith and math";
  let description = [{
    `act.sigmoid` and `act.softplus` become arith/math in forms that do not
    overflow (rules in td/Expand.td). With `precision=accurate`, f32
    kernels that compose transcendental functions are then computed in f64
    and rounded once (their f64 transcendentals marked `act.wide`).
  }];
  let options = [
    Option<"precision", "precision", "std::string", "\"accurate\"",
           "accurate (widen composed f32 kernels to f64) or fast">,
    Option<"avx512", "avx512", "bool", "false",
           "The target is x86 with AVX-512F and 512-bit vectors: f32 "
           "m * erfc(w) kernels (the erf GELU) keep f32 for "
           "act-math-approx's table form instead of widening">,
    Option<"f64Forms", "f64-forms", "bool", "true",
           "precision=accurate: f64 sigmoid and softplus stay whole for "
           "act-math-approx's double-double forms (false: expanded, as "
           "the rules' tests want them)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ActStreamingCost : Pass<"act-streaming-cost", "::mlir::ModuleOp"> {
  let summary = "Keep non-temporal stores only where memory bounds the loop";
  let description = [{
    Measures each streaming choice of act-vectorize (an scf.if marked
    `act.streaming_choice`) after act-math-approx: its plain vector loop's
    vector operations (constants and memory accesses aside) per byte it
    loads and stores. Above `max-ops-per-byte` the loop is bound by its
    arithmetic, where ordinary stores are faster (the caches absorb them
    while the core computes), and the choice is replaced by its plain form.
    0 keeps every streaming form. A flat (rank-1) loop that reads two or
    more arrays (a gradient: x and dy) is judged by `prefetched-ops-per-byte` instead
    where that is set: above it, the streaming form stays for its
    prefetches and its non-temporal stores become ordinary ones (with two
    input streams the core, busy computing, falls behind on its loads
    without them). Such a loop at or below `unprefetched-ops-per-byte`
    (a gradient from y: three or four vector ops per vector of output)
    keeps its non-temporal stores but loses the prefetches: there the
    hardware prefetchers keep up alone and the prefetch instructions cost
    bandwidth. Every choice loses its marker.
  }];
  let options = [
    Option<"maxOpsPerByte", "max-ops-per-byte", "double", "0.0",
           "Vector ops per byte moved above which a loop keeps ordinary "
           "stores (0: always stream)">,
    Option<"prefetchedOpsPerByte", "prefetched-ops-per-byte", "double",
           "0.0",
           "Flat loops reading two or more arrays: vector ops per byte above "
           "which the streaming form stays, prefetching, with ordinary "
           "stores (0: they follow max-ops-per-byte)">,
    Option<"unprefetchedOpsPerByte", "unprefetched-ops-per-byte", "double",
           "0.0",
           "Flat loops reading two or more arrays: vector ops per byte at or "
           "below which the streaming form drops its prefetches (0: keeps "
           "them)">,
    Option<"remarks", "remarks", "bool", "false",
           "Report each choice's cost as a remark">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def ActMathApprox : Pass<"act-math-approx", "::mlir::ModuleOp"> {
  let summary = "Vectorizable approximations of transcendental functions";
  let description = [{
    f32 transcendentals become branch-free polynomial code of our own
    (lib/Conversion/Approx/: exp, exp2, expm1, log, log1p, tanh in f32;
    erf, erfc, log2 through f64 cores; sin and cos of f32 and f64 with
    exact range reduction), the rest upstream MLIR's; f64 ops that
    act-expand widened from f32 (`act.wide`) get f64 cores accurate to
    2^-32; what remains (f64) calls libm.
  }];
  let options = [
    Option<"precision", "precision", "std::string", "\"accurate\"",
           "accurate (under 1 ULP) or fast (a few ULPs, fewer ops)">,
    Option<"libm", "libm", "bool", "true",
           "Turn what LLVM cannot lower itself into libm calls (step 4); "
           "the GPU target leaves those math ops to libdevice">,
    Option<"avx512", "avx512", "bool", "false",
           "The target is x86 with AVX-512F: 512-bit vectors may use "
           "vscalef instead of power-of-two arithmetic">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ActGPUKernels : Pass<"act-gpu-kernels", "::mlir::ModuleOp"> {
  let summary = "Instantiate the GPU kernels of every activation";
  let description = [{
    For each public elementwise activation and each element type, builds
    the device side of ABI.md's GPU kernels as `func.func` marked
    `act.gpu_kernel` (act-gpu-outline moves them into a gpu.module):
    `NAME_T(x, y, n, P...)`, `NAME_grad_T(x, dy, dx, n, P..., dP...)` and
    `NAME_bias_T(x, bias, y, rows, cols, P...)`. Each is a grid-stride loop
    (the bias kernel: rows over the y dimension of the grid, columns over
    x) of the activation's scalar body on llvm.ptr loads and stores; the
    forward kernel and a gradient without parameters take 128-bit vectors
    (the body cloned at 4 f32 or 2 f64 lanes) while every pointer is
    16-byte aligned, then the scalar loop for the rest. A
    parameter gradient is summed per thread and added atomically to *dP,
    which the host launcher zeroes first. bf16/f16 arrays are extended to
    f32 and rounded back (RNE). Row activations get `NAME_T(x, y, rows,
    cols)` and, for softmax/log_softmax, `NAME_grad_T(y, dy, dx, rows,
    cols)`: one warp per row, warp-shuffle reductions. `kinds` selects
    among forward, grad and bias. The activation definitions are removed.
  }];
  let options = [
    ListOption<"dtypes", "dtypes", "std::string",
               "Element types to instantiate (f32, f64, bf16, f16)">,
    ListOption<"kinds", "kinds", "std::string",
               "Kernel kinds to build (forward, grad, bias; default all)">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ActGPUFastTanh : Pass<"act-gpu-fast-tanh", "::mlir::ModuleOp"> {
  let summary = "Hardware tanh (tanh.approx.f32) in the fast GPU kernels";
  let description = [{
    `--precision=fast` on the GPU target only (never in accurate mode):
    replaces each f32 `math.tanh` of a forward GPU kernel (`act.gpu_kernel`
    forward, bias or row) that is a lone tanh, not the tanh of a softplus
    (mish), of `x - tanh(x)` (tanhshrink) nor squared, whose accurate fast
    forms act-expand and act-math-approx build, by
    the PTX instruction `tanh.approx.f32` (sm_75 and later), as a pure
    `llvm.inline_asm`; vectors lane by lane. The PTX ISA documents its
    maximum relative error as about 2^-11.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ActGPUOutline : Pass<"act-gpu-outline", "::mlir::ModuleOp"> {
  let summary = "Move the GPU kernels into a gpu.module";
  let description = [{
    Moves every `func.func` marked `act.gpu_kernel` (act-gpu-kernels, after
    act-expand and act-math-approx have rewritten its body) into
    `gpu.module @actc_kernels` as a `gpu.func ... kernel` of the same name
    and arguments, keeping the mark, and marks the module
    `gpu.container_module`. Fails on a kernel that calls a function.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def ActLowerToLLVM : Pass<"act-lower-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower the kernels to the LLVM dialect";
  let description = [{
    One full conversion of scf, vector, arith, math, memref, func and the
    act kernel plumbing (`act.view`) to the LLVM dialect.
  }];
  // scf becomes cf on the way; actc loads no dialect the passes do not name.
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::cf::ControlFlowDialect"];
}

#endif // ACT_PASSES_TD
