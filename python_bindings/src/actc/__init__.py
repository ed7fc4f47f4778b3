"""actc: activation functions written as math, compiled to kernels in-process.

    import actc, numpy as np
    lib = actc.compile("act swish2(x, param beta = 1) = x * sigmoid(beta * x)")
    y = lib.swish2(np.linspace(-3, 3, 7, dtype=np.float32), beta=1.5)

``actc.torch.Activation(lib.NAME)`` wraps an activation as a torch.nn.Module;
importing actc itself does not import torch.
"""

import os

from ._actc import Activation, CompileError, CompileWarning, Library, prelude
from ._actc import compile as _compile

__all__ = ["Activation", "CompileError", "CompileWarning", "Library",
           "compile", "prelude"]


def _is_path(source_or_path):
    """A path-like object, or a one-line string naming a file or ending in
    .act; anything else is spec text."""
    if isinstance(source_or_path, os.PathLike):
        return True
    if not isinstance(source_or_path, str) or "\n" in source_or_path:
        return False
    return source_or_path.endswith(".act") or os.path.isfile(source_or_path)


def _define(name, value):
    """One `name.param=value` define; floats keep every digit."""
    if isinstance(value, float):
        value = repr(value)
    return f"{name}={value}"


def compile(source_or_path=None, *, target="native", cpu=None,
            dtypes=("f32",), precision="accurate", defines=None, only=None,
            kernels=("forward", "grad", "grad_from_y")):
    """Compiles a spec and links its kernels into this process.

    source_or_path: .act text, or the path of a .act file (a path-like
        object, or a one-line string that names a file or ends in .act);
        None compiles only the prelude activations that `only` names.
    target: "native" (this machine, its CPU's full vector width), "host"
        (this machine's architecture, portable CPU), "x86_64", "aarch64" or
        a triple. Kernels for another machine are not callable here; save()
        them.
    cpu: a CPU name for `target` ("x86-64-v3", "sapphirerapids", ...).
    dtypes: element types to compile kernels for, of "f32" and "f64".
    precision: "accurate" or "fast".
    defines: {"NAME.param": value} overrides of compile-time constants.
    only: names of the activations to compile (default: all in the spec).
    kernels: the kernel kinds compiled now, of "forward", "grad",
        "grad_from_y", "bias", "bias_grad", "matmul", "matmul_aux", or
        "all". The others (by default the fused bias and matmul kernels,
        most of the compile time) are compiled for one activation the first
        time they are called; save() and .object always hold every kind.

    Raises CompileError (with the located diagnostics) for a spec error,
    ValueError for an invalid option and OSError for an unreadable file;
    warnings (a derivative taken at a kink, ...) are CompileWarnings.
    """
    if source_or_path is None:
        source, name = None, "<prelude>"
    elif _is_path(source_or_path):
        name = os.fspath(source_or_path)
        with open(name, encoding="utf-8") as spec:
            source = spec.read()
    elif isinstance(source_or_path, str):
        source, name = source_or_path, "<string>"
    else:
        raise TypeError("actc.compile() takes .act text or a path, not "
                        + type(source_or_path).__name__)
    if isinstance(dtypes, str):
        dtypes = (dtypes,)
    if isinstance(defines, dict):
        defines = [_define(key, value) for key, value in defines.items()]
    if isinstance(only, str):
        only = (only,)
    if isinstance(kernels, str):
        kernels = (kernels,)
    if target == "native":
        target, cpu = "", cpu or "native"
    elif target == "host":
        target = ""
    return _compile(source, name=name, target=target, cpu=cpu or "",
                    dtypes=list(dtypes), precision=precision or "",
                    defines=list(defines or ()), only=list(only or ()),
                    kernels=list(kernels))


def __getattr__(name):
    # actc.torch is imported on first use, so that importing actc never
    # requires torch.
    if name == "torch":
        import importlib
        return importlib.import_module(".torch", __name__)
    raise AttributeError(f"module 'actc' has no attribute '{name}'")
