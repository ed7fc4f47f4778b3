//===- peer_onednn.cpp - oneDNN eltwise, (log)softmax, matmul post-ops ----===//
//
// oneDNN's primitives as a framework uses them: one primitive per shape,
// created once (outside the timing), executed on a stream over the harness's
// buffers. Backward sigmoid/tanh use the *_use_dst_for_bwd algorithms (from
// the saved output y, as frameworks do); the others take x. oneDNN has no
// SELU (and an eltwise primitive takes no eltwise post-op). log_softmax:
// the logsoftmax primitive, the same v1 API as softmax's (2.6 also has
// softmax_v2 with algorithm::softmax_log). Matmul: plain row-major A and B
// (no weight prepacking, as for every other contender), bias, and the
// activation as an eltwise post-op.
// OMP_NUM_THREADS=1 (scripts/bench.sh): two threads are two streams.
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <memory>

using namespace bench;
using namespace formulas;
using dnnl::algorithm;
using dnnl::memory;

namespace {

struct Alg {
  algorithm fwd, bwd;
  float alpha;
  bool bwdFromY;
};

/// oneDNN's algorithm for each function; `undef` where it has none.
bool algorithmFor(const std::string &fn, Alg &a) {
  static const struct {
    const char *name;
    Alg alg;
  } table[] = {
      {"sigmoid", {algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd, 0, true}},
      {"tanh", {algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd, 0, true}},
      {"relu", {algorithm::eltwise_relu, algorithm::eltwise_relu, 0, false}},
      {"leaky_relu", {algorithm::eltwise_relu, algorithm::eltwise_relu, 0.01f, false}},
      {"elu", {algorithm::eltwise_elu, algorithm::eltwise_elu, 1.0f, false}},
      {"softplus", {algorithm::eltwise_soft_relu, algorithm::eltwise_soft_relu, 0, false}},
      {"gelu", {algorithm::eltwise_gelu_erf, algorithm::eltwise_gelu_erf, 0, false}},
      {"gelu_tanh", {algorithm::eltwise_gelu_tanh, algorithm::eltwise_gelu_tanh, 0, false}},
      {"silu", {algorithm::eltwise_swish, algorithm::eltwise_swish, 1.0f, false}},
      {"mish", {algorithm::eltwise_mish, algorithm::eltwise_mish, 0, false}},
      {"hard_swish", {algorithm::eltwise_hardswish, algorithm::eltwise_hardswish, 0, false}},
  };
  for (const auto &entry : table)
    if (fn == entry.name) {
      a = entry.alg;
      return true;
    }
  return false;
}

dnnl::engine &engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

memory::data_type typeOf(DType t) {
  return t == DType::BF16 ? memory::data_type::bf16 : memory::data_type::f32;
}

/// A primitive with its arguments, executed `calls` times on its stream.
struct Exec {
  dnnl::primitive prim;
  std::unordered_map<int, memory> args;
  dnnl::stream stream{engine()};
  void run(int64_t calls) {
    for (int64_t c = 0; c < calls; ++c)
      prim.execute(stream, args);
    stream.wait();
  }
};

Runner wrap(std::shared_ptr<Exec> e) {
  return [e](int64_t calls) { e->run(calls); };
}

Runner eltwise(const Problem &p) {
  Alg alg;
  if (!algorithmFor(p.fn, alg))
    return {};
  memory::desc md({p.n}, typeOf(p.dtype), memory::format_tag::a);
  auto mem = [&](const void *ptr) {
    return memory(md, engine(), const_cast<void *>(ptr));
  };
  auto e = std::make_shared<Exec>();
  dnnl::eltwise_forward::desc fd(dnnl::prop_kind::forward_training, alg.fwd, md,
                                 alg.alpha, 0.0f);
  if (p.kind == Kind::Forward) {
    dnnl::eltwise_forward::primitive_desc pd(fd, engine());
    e->prim = dnnl::eltwise_forward(pd);
    e->args = {{DNNL_ARG_SRC, mem(p.x)}, {DNNL_ARG_DST, mem(p.out)}};
    return wrap(e);
  }
  dnnl::eltwise_forward::desc hintd(dnnl::prop_kind::forward_training, alg.bwd,
                                    md, alg.alpha, 0.0f);
  dnnl::eltwise_forward::primitive_desc hint(hintd, engine());
  dnnl::eltwise_backward::desc bd(alg.bwd, md, md, alg.alpha, 0.0f);
  dnnl::eltwise_backward::primitive_desc pd(bd, engine(), hint);
  e->prim = dnnl::eltwise_backward(pd);
  e->args = {{alg.bwdFromY ? DNNL_ARG_DST : DNNL_ARG_SRC, mem(alg.bwdFromY ? p.aux : p.x)},
             {DNNL_ARG_DIFF_DST, mem(p.dy)},
             {DNNL_ARG_DIFF_SRC, mem(p.out)}};
  return wrap(e);
}

/// Forward and backward (from y) of one row primitive: softmax_forward /
/// softmax_backward, or logsoftmax_forward / logsoftmax_backward (the same
/// descriptors and arguments).
template <class Fwd, class Bwd> Runner rows(const Problem &p) {
  memory::desc md({p.rows, p.cols}, typeOf(p.dtype), memory::format_tag::ab);
  auto mem = [&](const void *ptr) {
    return memory(md, engine(), const_cast<void *>(ptr));
  };
  auto e = std::make_shared<Exec>();
  typename Fwd::desc fd(dnnl::prop_kind::forward_training, md, 1);
  typename Fwd::primitive_desc fpd(fd, engine());
  if (p.kind == Kind::RowForward) {
    e->prim = Fwd(fpd);
    e->args = {{DNNL_ARG_SRC, mem(p.x)}, {DNNL_ARG_DST, mem(p.out)}};
    return wrap(e);
  }
  typename Bwd::desc bd(md, md, 1);
  typename Bwd::primitive_desc pd(bd, engine(), fpd);
  e->prim = Bwd(pd);
  e->args = {{DNNL_ARG_DST, mem(p.x)},
             {DNNL_ARG_DIFF_DST, mem(p.dy)},
             {DNNL_ARG_DIFF_SRC, mem(p.out)}};
  return wrap(e);
}

Runner softmax(const Problem &p) {
  if (p.fn == "softmax")
    return rows<dnnl::softmax_forward, dnnl::softmax_backward>(p);
  if (p.fn == "log_softmax")
    return rows<dnnl::logsoftmax_forward, dnnl::logsoftmax_backward>(p);
  return {};
}

Runner matmul(const Problem &p) {
  Alg alg;
  if (!algorithmFor(p.fn, alg))
    return {};
  auto t = typeOf(p.dtype);
  memory::desc a({p.rows, p.k}, t, memory::format_tag::ab);
  memory::desc b({p.k, p.cols}, t, memory::format_tag::ab);
  memory::desc bias({1, p.cols}, t, memory::format_tag::ab);
  memory::desc c({p.rows, p.cols}, t, memory::format_tag::ab);
  dnnl::post_ops po;
  po.append_eltwise(1.0f, alg.fwd, alg.alpha, 0.0f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  dnnl::matmul::desc d(a, b, bias, c);
  dnnl::matmul::primitive_desc pd(d, attr, engine());
  auto e = std::make_shared<Exec>();
  e->prim = dnnl::matmul(pd);
  auto mem = [&](const memory::desc &md, const void *ptr) {
    return memory(md, engine(), const_cast<void *>(ptr));
  };
  e->args = {{DNNL_ARG_SRC, mem(a, p.x)},
             {DNNL_ARG_WEIGHTS, mem(b, p.dy)},
             {DNNL_ARG_BIAS, mem(bias, p.aux)},
             {DNNL_ARG_DST, mem(c, p.out)}};
  return wrap(e);
}

Runner prepare(const Problem &p) {
  try {
    switch (p.kind) {
    case Kind::Forward:
    case Kind::Backward:
      return eltwise(p);
    case Kind::RowForward:
    case Kind::RowBackward:
      return softmax(p);
    case Kind::Matmul:
      return matmul(p);
    }
  } catch (const dnnl::error &) {
    // An unimplemented combination (e.g. a dtype on this CPU): n/a.
  }
  return {};
}

} // namespace

void registerOneDnn(Registry &r) {
  r.add({"oneDNN " + std::to_string(dnnl_version()->major) + "." +
             std::to_string(dnnl_version()->minor),
         true, false, [](const Problem &p, int) { return prepare(p); }});
}
