//===- peer_torch.cpp - PyTorch eager ops, in an embedded interpreter -----===//
//
// PyTorch runs in this process (embedded CPython, Debian's python3-torch),
// on tensors that alias the harness's buffers, so it is timed interleaved
// with everyone else on the same inputs. Each op is the ATen function that
// torch.nn.functional and autograd call (out= variants where ATen has one;
// mish and hardswish backward have none and allocate, as in training).
// One call from Python costs a microsecond or two of dispatch: that is part
// of what a PyTorch user gets, and it shows at 4096 elements.
// torch.set_num_threads(1); two-thread rows run with set_num_threads(2) on the
// whole problem (PyTorch keeps the GIL, so it cannot be split by us).
//
//===----------------------------------------------------------------------===//

#include "bench.h"

#include <Python.h>

#include <cstdio>
#include <memory>

using namespace bench;

namespace {

const char *kModule = R"PY(
import ctypes, torch
A = torch.ops.aten
torch.set_num_threads(1)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

def tensor(ptr, count, dtype, shape=None):
    size = torch.empty((), dtype=dtype).element_size()
    buf = (ctypes.c_char * (count * size)).from_address(ptr)
    t = torch.frombuffer(buf, dtype=dtype, count=count)
    return t.view(shape) if shape else t

FORWARD = {
    'sigmoid': lambda x, y: torch.sigmoid(x, out=y),
    'tanh': lambda x, y: torch.tanh(x, out=y),
    'relu': lambda x, y: torch.clamp_min(x, 0.0, out=y),
    'leaky_relu': lambda x, y: A.leaky_relu.out(x, 0.01, out=y),
    'elu': lambda x, y: A.elu.out(x, 1.0, 1.0, 1.0, out=y),
    'selu': lambda x, y: A.elu.out(x, SELU_ALPHA, SELU_SCALE, 1.0, out=y),
    'softplus': lambda x, y: A.softplus.out(x, 1.0, 20.0, out=y),
    'gelu': lambda x, y: A.gelu.out(x, out=y),
    'gelu_tanh': lambda x, y: A.gelu.out(x, approximate='tanh', out=y),
    'silu': lambda x, y: A.silu.out(x, out=y),
    'mish': lambda x, y: A.mish.out(x, out=y),
    'hard_swish': lambda x, y: A.hardswish.out(x, out=y),
}
BACKWARD = {  # (x, y = f(x), dy, dx)
    'sigmoid': lambda x, y, dy, dx: A.sigmoid_backward.grad_input(dy, y, grad_input=dx),
    'tanh': lambda x, y, dy, dx: A.tanh_backward.grad_input(dy, y, grad_input=dx),
    'relu': lambda x, y, dy, dx: A.threshold_backward.grad_input(dy, x, 0.0, grad_input=dx),
    'leaky_relu': lambda x, y, dy, dx: A.leaky_relu_backward.grad_input(dy, x, 0.01, False, grad_input=dx),
    'elu': lambda x, y, dy, dx: A.elu_backward.grad_input(dy, 1.0, 1.0, 1.0, False, x, grad_input=dx),
    'selu': lambda x, y, dy, dx: A.elu_backward.grad_input(dy, SELU_ALPHA, SELU_SCALE, 1.0, False, x, grad_input=dx),
    'softplus': lambda x, y, dy, dx: A.softplus_backward.grad_input(dy, x, 1.0, 20.0, grad_input=dx),
    'gelu': lambda x, y, dy, dx: A.gelu_backward.grad_input(dy, x, grad_input=dx),
    'gelu_tanh': lambda x, y, dy, dx: A.gelu_backward.grad_input(dy, x, approximate='tanh', grad_input=dx),
    'silu': lambda x, y, dy, dx: A.silu_backward.grad_input(dy, x, grad_input=dx),
    'mish': lambda x, y, dy, dx: dx.copy_(A.mish_backward(dy, x)),
    'hard_swish': lambda x, y, dy, dx: dx.copy_(A.hardswish_backward(dy, x)),
}
ROW_FORWARD = {  # (x, y), rows along dim 1
    'softmax': lambda x, y: A._softmax.out(x, 1, False, out=y),
    'log_softmax': lambda x, y: A._log_softmax.out(x, 1, False, out=y),
}
ROW_BACKWARD = {  # (y = f(x), dy, dx, dtype): both read the saved output
    'softmax': lambda y, dy, dx, dt: A._softmax_backward_data.out(dy, y, 1, dt, grad_input=dx),
    'log_softmax': lambda y, dy, dx, dt: A._log_softmax_backward_data.out(dy, y, 1, dt, out=dx),
}
EPILOGUE = {
    'relu': lambda c: torch.clamp_min(c, 0.0, out=c),
    'gelu': lambda c: A.gelu.out(c, out=c),
    'gelu_tanh': lambda c: A.gelu.out(c, approximate='tanh', out=c),
    'silu': lambda c: A.silu.out(c, out=c),
}

def make(fn, kind, bf16, px, pdy, paux, pout, n, rows, cols, k, threads):
    dt = torch.bfloat16 if bf16 else torch.float32
    finish = None
    if kind == 0 and fn in FORWARD:
        x, y, f = tensor(px, n, dt), tensor(pout, n, dt), FORWARD[fn]
        op = lambda: f(x, y)
    elif kind == 1 and fn in BACKWARD:
        x, y, dy, dx = (tensor(p, n, dt) for p in (px, paux, pdy, pout))
        f = BACKWARD[fn]
        op = lambda: f(x, y, dy, dx)
        if fn in ('mish', 'hard_swish'):  # no out= variant: time without the copy
            g = A.mish_backward if fn == 'mish' else A.hardswish_backward
            op, finish = (lambda: g(dy, x)), op
    elif kind == 2 and fn in ROW_FORWARD:
        x, y = (tensor(p, n, dt, (rows, cols)) for p in (px, pout))
        f = ROW_FORWARD[fn]
        op = lambda: f(x, y)
    elif kind == 3 and fn in ROW_BACKWARD:
        y, dy, dx = (tensor(p, n, dt, (rows, cols)) for p in (px, pdy, pout))
        f = ROW_BACKWARD[fn]
        op = lambda: f(y, dy, dx, dt)
    elif kind == 4 and fn in EPILOGUE:
        a = tensor(px, rows * k, dt, (rows, k))
        b = tensor(pdy, k * cols, dt, (k, cols))
        bias = tensor(paux, cols, dt)
        c = tensor(pout, rows * cols, dt, (rows, cols))
        act = EPILOGUE[fn]
        def op():
            torch.addmm(bias, a, b, out=c)
            act(c)
    else:
        return None
    try:
        op()
        if finish:
            finish()
    except Exception:
        return None
    def run(calls):
        if calls == 0:  # leave the result in `out` for the accuracy check
            if finish:
                finish()
            return
        if threads != 1:
            torch.set_num_threads(threads)
        for _ in range(calls):
            op()
        if threads != 1:
            torch.set_num_threads(1)
    return run
)PY";

PyObject *makeFn = nullptr;

/// Owns one reference.
struct PyRef {
  explicit PyRef(PyObject *o) : obj(o) {}
  PyRef(const PyRef &) = delete;
  PyRef &operator=(const PyRef &) = delete;
  ~PyRef() { Py_XDECREF(obj); }
  PyObject *obj;
};

Runner prepare(const Problem &p, int threads) {
  auto ptr = [](const void *q) { return (unsigned long long)(uintptr_t)q; };
  PyObject *run = PyObject_CallFunction(
      makeFn, "siiKKKKLLLLi", p.fn.c_str(), int(p.kind),
      int(p.dtype == DType::BF16), ptr(p.x), ptr(p.dy), ptr(p.aux), ptr(p.out),
      (long long)p.n, (long long)p.rows, (long long)p.cols, (long long)p.k,
      threads);
  if (!run) {
    PyErr_Print();
    return {};
  }
  if (run == Py_None) {
    Py_DECREF(run);
    return {};
  }
  auto ref = std::make_shared<PyRef>(run);
  return [ref](int64_t calls) {
    PyObject *r = PyObject_CallFunction(ref->obj, "L", (long long)calls);
    if (!r)
      PyErr_Print();
    Py_XDECREF(r);
  };
}

} // namespace

void registerTorch(Registry &r) {
  Py_Initialize();
  PyObject *module = PyImport_AddModule("__main__");
  PyObject *globals = PyModule_GetDict(module);
  PyObject *result = PyRun_String(kModule, Py_file_input, globals, globals);
  if (!result) {
    PyErr_Print();
    r.notes.push_back("PyTorch: `import torch` failed in the embedded interpreter; "
                      "its columns read n/a.");
    return;
  }
  Py_DECREF(result);
  makeFn = PyDict_GetItemString(globals, "make");
  PyObject *version = PyRun_String("torch.__version__", Py_eval_input, globals, globals);
  std::string name = "PyTorch";
  if (version && PyUnicode_Check(version))
    name += std::string(" ") + PyUnicode_AsUTF8(version);
  Py_XDECREF(version);
  r.add({name, true, true, prepare});
}
