//===- PyKernelCall.h - calling an ABI.md kernel by address -----*- C++ -*-===//
//
// Every kernel of ABI.md takes, in this order: pointers (inputs, outputs),
// int64_t sizes, one `float` per runtime parameter and, for backward
// kernels, one `float *` gradient per runtime parameter. A call names the
// arguments of each group; the function type is picked from their counts.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_PYTHON_PYKERNELCALL_H
#define ACTC_PYTHON_PYKERNELCALL_H

#include <cstdint>
#include <vector>

namespace actc::python {

/// The most runtime parameters a kernel may have to be callable here.
constexpr unsigned kMaxRuntimeParams = 8;

struct KernelArguments {
  std::vector<void *> pointers;
  std::vector<int64_t> sizes;
  std::vector<float> params;
  /// Empty for forward kernels, else one per runtime parameter.
  std::vector<float *> paramGrads;
};

/// Calls `function` with `arguments`. Returns false (and calls nothing)
/// when the counts exceed what is instantiated: at most 5 pointers, 3 sizes
/// and kMaxRuntimeParams runtime parameters.
bool callKernel(void *function, const KernelArguments &arguments);

} // namespace actc::python

#endif // ACTC_PYTHON_PYKERNELCALL_H
