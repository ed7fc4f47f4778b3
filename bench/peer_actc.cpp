//===- peer_actc.cpp - actc's kernels, per precision mode -----------------===//
//
// scripts/bench-build.sh compiles each activation with
// `actc --only NAME --mcpu native --dtype T [--precision=MODE]` and renames
// the object's global symbols with a prefix per mode (actc_fast_,
// actc_accurate_, or actc_default_ when actc has no --precision option), so
// that both modes link into one harness. Every kernel of ABI.md is declared
// weak here: one that actc does not emit (yet) is a null pointer and its
// cells read n/a. A new kernel kind is one line in ACTC_SUFFIXES and one
// case in prepare().
//
//===----------------------------------------------------------------------===//

#include "bench.h"

#include <map>
#include <string>

using namespace bench;

#define ACTC_FUNCTIONS(X, P)                                                   \
  X(P, sigmoid) X(P, tanh) X(P, relu) X(P, leaky_relu) X(P, elu) X(P, selu)    \
  X(P, softplus) X(P, gelu) X(P, gelu_tanh) X(P, silu) X(P, mish)              \
  X(P, hard_swish) X(P, softmax) X(P, log_softmax)
#define ACTC_SUFFIXES(X, P, F)                                                 \
  X(P, F, _f32) X(P, F, _grad_f32) X(P, F, _grad_from_y_f32)                   \
  X(P, F, _matmul_f32) X(P, F, _bias_f32) X(P, F, _bf16) X(P, F, _grad_bf16)   \
  X(P, F, _grad_from_y_bf16) X(P, F, _matmul_bf16)
#define ACTC_MODES(X) X(actc_fast_) X(actc_accurate_) X(actc_default_)

// Declarations: extern "C" void actc_fast_gelu_f32() __attribute__((weak)); ...
#define DECLARE_ONE(P, F, S) extern "C" void P##F##S() __attribute__((weak));
#define DECLARE_FN(P, F) ACTC_SUFFIXES(DECLARE_ONE, P, F)
#define DECLARE_MODE(P) ACTC_FUNCTIONS(DECLARE_FN, P)
ACTC_MODES(DECLARE_MODE)

namespace {

using Sym = void (*)();

const std::map<std::string, Sym> &symbols() {
#define ENTRY_ONE(P, F, S) {#P #F #S, P##F##S},
#define ENTRY_FN(P, F) ACTC_SUFFIXES(ENTRY_ONE, P, F)
#define ENTRY_MODE(P) ACTC_FUNCTIONS(ENTRY_FN, P)
  static const std::map<std::string, Sym> table = {ACTC_MODES(ENTRY_MODE)};
  return table;
}

Sym lookup(const std::string &name) {
  auto it = symbols().find(name);
  return it == symbols().end() ? nullptr : it->second;
}

bool anyKernel(const std::string &prefix) {
  for (const auto &[name, sym] : symbols())
    if (sym && name.compare(0, prefix.size(), prefix) == 0)
      return true;
  return false;
}

/// Row activations: their NAME_S takes (x, y, rows, cols), not an
/// elementwise kernel's (x, y, n), and they have no other kernel kind.
bool isRow(const std::string &fn) { return fn == "softmax" || fn == "log_softmax"; }

template <class T>
Runner prepareT(const std::string &prefix, const Problem &p, bool fromY,
                const char *dtype) {
  auto *x = static_cast<const T *>(p.x);
  auto *dy = static_cast<const T *>(p.dy);
  auto *aux = static_cast<const T *>(p.aux);
  auto *out = static_cast<T *>(p.out);
  int64_t n = p.n, rows = p.rows, cols = p.cols, k = p.k;
  std::string base = prefix + p.fn;
  switch (p.kind) {
  case Kind::Forward:
    if (isRow(p.fn) || fromY)
      return {};
    if (auto f = reinterpret_cast<void (*)(const T *, T *, int64_t)>(
            lookup(base + "_" + dtype)))
      return repeatCalls([=] { f(x, out, n); });
    return {};
  case Kind::Backward: {
    if (isRow(p.fn))
      return {};
    auto f = reinterpret_cast<void (*)(const T *, const T *, T *, int64_t)>(
        lookup(base + (fromY ? "_grad_from_y_" : "_grad_") + dtype));
    const T *in = fromY ? aux : x;
    if (f)
      return repeatCalls([=] { f(in, dy, out, n); });
    return {};
  }
  case Kind::RowForward:
    if (fromY)
      return {};
    if (auto f = reinterpret_cast<void (*)(const T *, T *, int64_t, int64_t)>(
            lookup(base + "_" + dtype)))
      return repeatCalls([=] { f(x, out, rows, cols); });
    return {};
  case Kind::RowBackward:
    if (fromY)
      return {};
    if (auto f = reinterpret_cast<void (*)(const T *, const T *, T *, int64_t, int64_t)>(
            lookup(base + "_grad_" + dtype)))
      return repeatCalls([=] { f(x, dy, out, rows, cols); });
    return {};
  case Kind::Matmul:
    if (fromY)
      return {};
    if (auto f = reinterpret_cast<void (*)(const T *, const T *, const T *, T *,
                                           int64_t, int64_t, int64_t)>(
            lookup(base + "_matmul_" + dtype)))
      return repeatCalls([=] { f(x, dy, aux, out, rows, cols, k); });
    return {};
  }
  return {};
}

Runner prepare(const std::string &prefix, const Problem &p, bool fromY) {
  if (p.dtype == DType::BF16)
    return prepareT<uint16_t>(prefix, p, fromY, "bf16");
  return prepareT<float>(prefix, p, fromY, "f32");
}

void addMode(Registry &r, const std::string &prefix, const std::string &name) {
  Contender c;
  c.name = name;
  c.isPeer = false;
  c.prepare = [prefix](const Problem &p, int) { return prepare(prefix, p, false); };
  r.add(c);
  c.name = name + " (grad from y)";
  c.hideWhenAbsent = true;
  c.prepare = [prefix](const Problem &p, int) { return prepare(prefix, p, true); };
  r.add(c);
}

} // namespace

BiasKernel bench::actcBiasKernel(const std::string &mode, const std::string &fn) {
  return reinterpret_cast<BiasKernel>(lookup("actc_" + mode + "_" + fn + "_bias_f32"));
}

void registerActc(Registry &r) {
  bool fast = anyKernel("actc_fast_"), accurate = anyKernel("actc_accurate_");
  if (fast || accurate) {
    addMode(r, "actc_fast_", "actc fast");
    addMode(r, "actc_accurate_", "actc accurate");
  } else {
    addMode(r, "actc_default_", "actc");
    r.notes.push_back("actc has no --precision option yet: one actc column, its "
                      "default mode; the fast and accurate columns appear when "
                      "the option does.");
  }
}
