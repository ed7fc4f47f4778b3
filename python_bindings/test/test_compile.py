"""actc.compile: sources, paths, options and their errors."""

import os
import subprocess
import sys
import time

import numpy as np
import pytest

import actc
from conftest import SPEC


def test_activations_are_described(lib):
    assert lib.names == ["myswish", "leaky", "softplus_textbook", "quad",
                         "mix", "rowsoft"]
    assert len(lib) == 6 and "leaky" in lib and "gelu" not in lib
    assert [a.name for a in lib] == lib.names
    swish = lib.myswish
    assert swish.shape == "elementwise" and lib.rowsoft.shape == "row"
    assert swish.params == {"beta": 1.0} and swish.constants == {}
    assert lib.leaky.params == {} and lib.leaky.constants == {"alpha": 0.01}
    assert list(lib.quad.params) == ["a", "b"]
    assert swish.formula == "x * sigmoid(beta * x)"
    assert {"myswish_f32", "myswish_f64", "myswish_grad_f32",
            "myswish_grad_f64"} <= set(swish.kernels)
    assert lib["leaky"].name == "leaky"
    assert "myswish" in dir(lib)
    assert "param beta" in repr(swish)


def test_missing_activation(lib):
    with pytest.raises(AttributeError, match="no activation 'nope'"):
        lib.nope
    with pytest.raises(KeyError):
        lib["nope"]


def test_path_and_pathlike(tmp_path):
    spec = tmp_path / "acts.act"
    spec.write_text(SPEC)
    for source in (str(spec), spec):
        assert "myswish" in actc.compile(source).names


def test_prelude_only():
    lib = actc.compile(None, only=["gelu", "silu"])
    assert lib.names == ["gelu", "silu"]
    x = np.array([1.0], dtype=np.float32)
    np.testing.assert_allclose(lib.silu(x), [0.7310586], rtol=1e-6)


def test_prelude_names():
    names = actc.prelude()
    for name in ("gelu", "silu", "softmax", "leaky_relu", "swish", "mish"):
        assert name in names


def test_only_picks_activations():
    lib = actc.compile(SPEC, only="leaky")
    assert lib.names == ["leaky"]


def test_defines_override_constants():
    lib = actc.compile(SPEC, only=["leaky"], defines={"leaky.alpha": 0.2})
    assert lib.leaky.constants == {"alpha": 0.2}
    y = lib.leaky(np.array([-1.0, 2.0], dtype=np.float32))
    np.testing.assert_allclose(y, [-0.2, 2.0], rtol=1e-7)


def test_spec_error_is_located():
    with pytest.raises(actc.CompileError) as info:
        actc.compile("act ok(x) = x\nact bad(x) = x +* 2\n")
    text = str(info.value)
    assert text.startswith("<string>:2:")
    assert "error:" in text and "act bad(x) = x +* 2" in text and "^" in text
    assert info.value.diagnostics == text


def test_spec_error_names_the_file(tmp_path):
    spec = tmp_path / "broken.act"
    spec.write_text("act f(x) = unknown_function(x)\n")
    with pytest.raises(actc.CompileError, match=r"broken\.act:1:\d+: error:"):
        actc.compile(spec)


@pytest.mark.parametrize("options, message", [
    ({"dtypes": ("f8",)}, "unknown dtype 'f8'"),
    ({"dtypes": ()}, "no dtype"),
    ({"precision": "sloppy"}, "unknown precision 'sloppy'"),
    ({"target": "vax"}, "vax"),
    ({"target": "host", "cpu": "no-such-cpu"}, "no-such-cpu"),
])
def test_bad_options_are_value_errors(options, message):
    with pytest.raises(ValueError, match=message):
        actc.compile(SPEC, **options)


def test_warnings_are_compile_warnings():
    """act-autodiff warns where a derivative is taken at a kink."""
    assert issubclass(actc.CompileWarning, UserWarning)
    with pytest.warns(actc.CompileWarning, match=r"<string>:1:\d+: warning:"):
        actc.compile("act kink(x) = x >= 0 ? x : 0.25 * x")


def test_missing_file_is_os_error():
    with pytest.raises(OSError):
        actc.compile("no/such/spec.act")


def test_source_must_be_text():
    with pytest.raises(TypeError, match="takes .act text or a path"):
        actc.compile(42)


@pytest.mark.parametrize("precision", ["accurate", "fast"])
def test_precision(precision):
    lib = actc.compile(SPEC, only=["myswish"], precision=precision)
    x = np.linspace(-8, 8, 101, dtype=np.float32)
    reference = x.astype(np.float64) / (1 + np.exp(-x.astype(np.float64)))
    np.testing.assert_allclose(lib.myswish(x), reference, rtol=1e-5,
                               atol=1e-6)


def test_cross_target_compiles_but_does_not_run(tmp_path):
    lib = actc.compile(SPEC, only=["myswish"], target="aarch64")
    assert lib.triple.startswith("aarch64")
    assert "myswish_f32" in lib.ir("asm")
    with pytest.raises(RuntimeError, match="cannot run in this process"):
        lib.myswish(np.zeros(4, dtype=np.float32))
    lib.save(tmp_path / "arm.o")
    assert (tmp_path / "arm.o").read_bytes()[:4] == b"\x7fELF"


def test_compile_time():
    """Compiling and loading one activation takes 38-77 ms with the forward
    and grad kernels, the default (the goal is under 100 ms); the fused
    kinds, compiled on first use, would make it ~300 ms. The bound catches
    that regression with room for a slower machine. It is the process's CPU
    time (the compiler runs in this process), which other builds on the
    machine do not inflate as they do the wall time (261 ms at load 11-13)."""
    source = "act swish_t(x, param beta = 1.0) = x * sigmoid(beta * x)"
    times = []
    for _ in range(3):
        start = time.process_time()
        actc.compile(source)
        times.append(time.process_time() - start)
    assert min(times) < 0.25, f"compile took {min(times) * 1e3:.0f} ms of CPU"


def test_import_does_not_import_torch():
    code = ("import sys, actc; actc.compile('act f(x) = x'); "
            "assert 'torch' not in sys.modules, 'torch imported'")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
