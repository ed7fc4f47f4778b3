"""Every stage of the pipeline is readable from Python; save() writes what
actc -o/--header writes, and a C program links it."""

import shutil
import subprocess

import numpy as np
import pytest


def test_stages_of_one_activation(lib):
    swish = lib.myswish
    assert "act.activation @myswish" in swish.ir("parse")
    assert "act.activation @myswish" in swish.ir("act")
    assert "llvm.func @myswish_f32" in swish.ir("mlir")
    assert "define void @myswish_f32" in swish.ir("llvm")
    assert "myswish_f32:" in swish.ir("asm")
    header = swish.ir("header")
    assert ("void myswish_f32(const float *x, float *y, int64_t n, "
            "float beta);") in header
    assert "leaky" not in swish.ir("llvm")  # this activation alone


def test_act_grad(lib):
    grad = lib.myswish.ir("act-grad")
    assert "act myswish_grad(x, dy, param beta" in grad
    assert "act myswish_grad_beta(" in grad
    assert "dy *" in lib.leaky.ir("act-grad")
    # A row activation's derivative is its VJP from y, stated as a comment.
    assert "dx = y * (dy - rowsum(dy * y))" in lib.rowsoft.ir("act-grad")


def test_whole_library_ir(lib):
    act = lib.ir("act")
    for name in lib.names:
        assert f"@{name}" in act


def test_unknown_stage(lib):
    with pytest.raises(ValueError, match="unknown IR stage 'ptx'"):
        lib.myswish.ir("ptx")


def test_save(lib, tmp_path):
    lib.save(tmp_path / "acts.o", header=tmp_path / "acts.h")
    assert (tmp_path / "acts.o").read_bytes() == lib.object
    assert lib.object[:4] == b"\x7fELF"
    header = (tmp_path / "acts.h").read_text()
    assert "#ifndef ACTS_H" in header and "myswish_grad_f64" in header
    lib.save(str(tmp_path / "only.o"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "acts.h", "acts.o", "only.o"]


def test_save_failure_writes_nothing(lib, tmp_path):
    with pytest.raises(OSError, match="cannot write"):
        lib.save(tmp_path / "acts.o", header=tmp_path / "missing" / "acts.h")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_saved_object_links_into_a_c_program(lib, tmp_path):
    lib.save(tmp_path / "acts.o", header=tmp_path / "acts.h")
    (tmp_path / "main.c").write_text(
        '#include <stdio.h>\n#include "acts.h"\n'
        "int main(void) {\n"
        "  float x[3] = {-1.0f, 0.5f, 2.0f}, y[3];\n"
        "  myswish_f32(x, y, 3, 1.5f);\n"
        '  printf("%.9g %.9g %.9g\\n", y[0], y[1], y[2]);\n'
        "  return 0;\n}\n")
    subprocess.run(["cc", "-o", "main", "main.c", "acts.o", "-lm"],
                   cwd=tmp_path, check=True)
    printed = subprocess.run([str(tmp_path / "main")], check=True,
                             capture_output=True, text=True).stdout
    x = np.array([-1.0, 0.5, 2.0], dtype=np.float32)
    np.testing.assert_array_equal(np.array(printed.split(), dtype=np.float32),
                                  lib.myswish(x, beta=1.5))
