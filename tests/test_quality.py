"""The code stays typed and lint-clean (issue 13): mypy on model/ and ruff on the repository.

CI runs only the test command, so the two checks run here, each with its settings from
pyproject.toml ([tool.mypy], [tool.ruff]). Both tools are in the `test` extras, so a missing
tool fails the test rather than skipping it: a skip would let CI pass without checking.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m <module> <args>` from the repository root, where pyproject.toml is."""
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed; it is in the test extras: "
                    'pip install -e ".[test]"')
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_model_type_checks() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"


def test_repository_passes_ruff() -> None:
    result = run_tool("ruff", "check", ".", "--output-format", "concise")
    assert result.returncode == 0, f"ruff found problems:\n{result.stdout}{result.stderr}"
