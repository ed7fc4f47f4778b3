"""The README's Python examples run as written."""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_examples(tmp_path, monkeypatch, capsys):
    blocks = python_blocks()
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)  # save() writes acts.o and acts.h here
    scope = {}
    exec(compile(blocks[0], "README.md", "exec"), scope)
    assert (tmp_path / "acts.o").exists() and (tmp_path / "acts.h").exists()
    assert "error:" in capsys.readouterr().out
    pytest.importorskip("torch", reason="PyTorch is not installed")
    exec(compile(blocks[1], "README.md", "exec"), scope)
