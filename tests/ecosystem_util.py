"""Shared helpers for the ecosystem tests (directories, kustomize, pre-commit, environments)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import k8sgen

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The directory holding the k8sgen package under test, so subprocesses import the same code
# from a source checkout (PYTHONPATH=.) and from a non-editable install alike.
PACKAGE_PARENT = str(Path(k8sgen.__file__).resolve().parent.parent)


def env(**extra: str) -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = PACKAGE_PARENT + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.pop("K8SGEN_TEST_SLOW_WRITE", None)
    e["NO_COLOR"] = "1"
    e.update(extra)
    return e


def k8sgen_cmd(*args: str, cwd=None, input: str | None = None, **extra_env: str) -> subprocess.CompletedProcess:
    """Run `python -m k8sgen ARGS` as a user would, capturing stdout and stderr as text."""
    return subprocess.run([sys.executable, "-m", "k8sgen", *args], cwd=cwd, input=input, capture_output=True, text=True, env=env(**extra_env), timeout=120)


def require_tool(name: str) -> str:
    """The tool's path; in CI (K8SGEN_CI=1) a missing tool fails the test instead of skipping it."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("K8SGEN_CI"):
        pytest.fail(f"{name} is required in CI (K8SGEN_CI=1) but is not on PATH")
    pytest.skip(f"{name} is not installed")


def kubectl_kustomize(directory, *args: str, path_prefix: str | None = None, **extra_env: str) -> subprocess.CompletedProcess:
    kubectl = require_tool("kubectl")
    e = env(**extra_env)
    if path_prefix:
        e["PATH"] = path_prefix + os.pathsep + e["PATH"]
    return subprocess.run([kubectl, "kustomize", *args, str(directory)], capture_output=True, text=True, env=e, timeout=120)


def tree(directory: Path) -> dict:
    """{relative path: bytes} of every file below `directory` (for before/after comparisons)."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(Path(directory).rglob("*")) if p.is_file()}


def copy_example(name: str, dest: Path, as_name: str | None = None, extra: str = "") -> Path:
    target = dest / (as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((EXAMPLES / name).read_text() + extra)
    return target
