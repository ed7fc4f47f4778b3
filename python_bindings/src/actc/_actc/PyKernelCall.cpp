//===- PyKernelCall.cpp - calling an ABI.md kernel by address -------------===//
//
// The function type of a kernel is fixed by four counts (pointers, sizes,
// runtime parameters, whether parameter gradients follow). Each combination
// is a template instantiation; a runtime count selects one through a table
// of constants, so the call itself is an ordinary typed C call.
//
//===----------------------------------------------------------------------===//

#include "PyKernelCall.h"

#include <cstddef>
#include <utility>

using namespace actc::python;

namespace {

constexpr size_t kMaxPointers = 5;
constexpr size_t kMaxSizes = 3;

template <size_t> using Pointer = void *;
template <size_t> using Size = int64_t;
template <size_t> using Param = float;
template <size_t> using ParamGrad = float *;

template <size_t NumPointers, size_t NumSizes, size_t NumParams, bool Grads,
          size_t... P, size_t... S, size_t... K>
void callTyped(void *function, const KernelArguments &args,
               std::index_sequence<P...>, std::index_sequence<S...>,
               std::index_sequence<K...>) {
  if constexpr (Grads) {
    using Function =
        void (*)(Pointer<P>..., Size<S>..., Param<K>..., ParamGrad<K>...);
    reinterpret_cast<Function>(function)(args.pointers[P]..., args.sizes[S]...,
                                         args.params[K]...,
                                         args.paramGrads[K]...);
  } else {
    using Function = void (*)(Pointer<P>..., Size<S>..., Param<K>...);
    reinterpret_cast<Function>(function)(args.pointers[P]..., args.sizes[S]...,
                                         args.params[K]...);
  }
}

/// Calls `f(std::integral_constant<size_t, value>())` for a runtime `value`
/// in [0, Max].
template <size_t Max, typename F, size_t... I>
bool withConstant(size_t value, F &&f, std::index_sequence<I...>) {
  bool called = false;
  ((value == I ? (f(std::integral_constant<size_t, I>()), called = true)
               : false),
   ...);
  return called;
}

template <size_t Max, typename F> bool withConstant(size_t value, F &&f) {
  return withConstant<Max>(value, std::forward<F>(f),
                           std::make_index_sequence<Max + 1>());
}

} // namespace

bool actc::python::callKernel(void *function, const KernelArguments &args) {
  bool grads = !args.paramGrads.empty();
  if (args.pointers.size() > kMaxPointers || args.sizes.size() > kMaxSizes ||
      args.params.size() > kMaxRuntimeParams ||
      (grads && args.paramGrads.size() != args.params.size()))
    return false;
  auto byCounts = [&](auto pointers, auto sizes, auto params, auto hasGrads) {
    callTyped<pointers, sizes, params, hasGrads>(
        function, args, std::make_index_sequence<pointers>(),
        std::make_index_sequence<sizes>(), std::make_index_sequence<params>());
  };
  return withConstant<kMaxPointers>(args.pointers.size(), [&](auto pointers) {
    withConstant<kMaxSizes>(args.sizes.size(), [&](auto sizes) {
      withConstant<kMaxRuntimeParams>(args.params.size(), [&](auto params) {
        if (grads)
          byCounts(pointers, sizes, params, std::true_type());
        else
          byCounts(pointers, sizes, params, std::false_type());
      });
    });
  });
}
