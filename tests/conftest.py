"""Shared test helpers: `--update-golden`, running the CLI in-process, and tool checks."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).resolve().parent / "cases"
IN_CI = bool(os.environ.get("K8SGEN_CI"))

# CI runs every property test on a fixed sequence of examples, so a verdict repeats; explore
# with random examples locally (and raise K8SGEN_HYPOTHESIS_EXAMPLES for longer runs).
try:
    from hypothesis import settings as _hsettings

    _hsettings.register_profile("ci", derandomize=True, deadline=None)
    if IN_CI:
        _hsettings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite expected files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} did not exist; wrote it — review and commit it")
        return
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}; rerun with --update-golden if intended"


class Ran:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Ran(code={self.code}, out={self.out[:300]!r}, err={self.err[:500]!r})"


def run_cli(*argv: str, stdin: str | None = None, monkeypatch=None) -> Ran:
    """Run `k8sgen ARGV` in-process, capturing stdout/stderr and the exit code."""
    import sys

    from k8sgen.cli import run

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    try:
        code = run(list(argv))
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return Ran(code, out.getvalue(), err.getvalue())


def require_tool(name: str) -> str:
    """The tool's path; in CI a missing tool fails the test instead of skipping it."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI but is not on PATH")
        pytest.skip(f"{name} not installed")
    return path


def require_module(name: str):
    """The imported module; in CI a missing one (a test extra) fails the test instead of skipping it."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        if IN_CI:
            pytest.fail(f"{name} is required in CI (the test extra installs it) but cannot be imported")
        pytest.skip(f"{name} not installed")


def without_summary(err: str) -> str:
    """`validate` ends every run with one summary line on stderr; most tests are about the rest."""
    lines = err.splitlines(keepends=True)
    assert lines and lines[-1].startswith("summary: "), err
    return "".join(lines[:-1])
