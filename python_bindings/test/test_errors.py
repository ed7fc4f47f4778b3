"""Arguments are checked, never copied: TypeError for a wrong type or dtype,
ValueError for a wrong shape, a non-contiguous or a read-only array."""

import numpy as np
import pytest

import actc


def test_not_an_array(lib):
    with pytest.raises(TypeError, match=r"myswish\(\): x must be a "
                       r"numpy.ndarray, not list .*numpy.asarray"):
        lib.myswish([1.0, 2.0])
    with pytest.raises(TypeError, match="not float32"):
        lib.myswish(np.float32(1.0))


def test_wrong_dtype(lib):
    with pytest.raises(TypeError, match="x has dtype int64; expected "
                       "float32, float64 or float16"):
        lib.myswish(np.arange(4))


def test_dtype_not_compiled(lib32):
    with pytest.raises(TypeError, match=r"compiled for f32 only, not f64; "
                       r"pass dtypes="):
        lib32.myswish(np.zeros(3))


def test_not_contiguous(lib):
    x = np.zeros(10, dtype=np.float32)
    with pytest.raises(ValueError, match="not C-contiguous"):
        lib.myswish(x[::2])
    with pytest.raises(ValueError, match="not C-contiguous"):
        lib.rowsoft(np.zeros((3, 4), dtype=np.float32, order="F"))


def test_dy_must_match_x(lib):
    x = np.zeros(4, dtype=np.float32)
    with pytest.raises(ValueError, match=r"dy has shape \(3,\); expected "
                       r"\(4,\)"):
        lib.leaky.grad(x, np.zeros(3, dtype=np.float32))
    with pytest.raises(TypeError, match="dy has dtype float64"):
        lib.leaky.grad(x, np.zeros(4))


def test_bad_out(lib):
    x = np.zeros(4, dtype=np.float32)
    with pytest.raises(ValueError, match="out has shape"):
        lib.leaky(x, out=np.zeros(5, dtype=np.float32))
    with pytest.raises(TypeError, match="out has dtype float64"):
        lib.leaky(x, out=np.zeros(4))
    frozen = np.zeros(4, dtype=np.float32)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="out is read-only"):
        lib.leaky(x, out=frozen)


def test_unknown_keyword(lib):
    x = np.zeros(4, dtype=np.float32)
    with pytest.raises(TypeError, match=r"unexpected keyword argument "
                       r"'gamma' \(runtime parameters: beta\)"):
        lib.myswish(x, gamma=2.0)


def test_compile_time_constant_keyword(lib):
    x = np.zeros(4, dtype=np.float32)
    with pytest.raises(TypeError, match=r"'alpha' is a compile-time "
                       r"constant .*defines=\{'leaky.alpha': value\}"):
        lib.leaky(x, alpha=0.2)


def test_row_activation_needs_an_axis(lib):
    with pytest.raises(ValueError, match="must be 2-D"):
        lib.rowsoft(np.zeros((), dtype=np.float32))


def test_missing_fused_kernels_raise_not_implemented(lib):
    x = np.zeros((2, 3), dtype=np.float32)
    b = np.zeros(3, dtype=np.float32)
    if not lib.myswish.has_kernel("bias"):
        with pytest.raises(NotImplementedError, match="myswish_bias_f32"):
            lib.myswish.bias(x, b)
    if not lib.myswish.has_kernel("matmul"):
        with pytest.raises(NotImplementedError, match="myswish_matmul_f32"):
            lib.myswish.matmul(x, np.zeros((3, 2), dtype=np.float32))


def test_compile_error_is_an_exception_class():
    assert issubclass(actc.CompileError, Exception)
