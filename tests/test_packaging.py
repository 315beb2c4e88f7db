"""Packaging: every package ships, data files are found, versions agree."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import k8sgen
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_package_is_listed():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "k8sgen").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"add to pyproject [tool.setuptools] packages: {sorted(found - listed)}"


def test_version_matches_pyproject():
    assert k8sgen.__version__ == PYPROJECT["project"]["version"]


def test_runtime_dependencies_are_the_four():
    names = sorted(d.split(">")[0].split("=")[0].split("<")[0].strip().lower() for d in PYPROJECT["project"]["dependencies"])
    assert names == ["jinja2", "jsonschema", "pyyaml", "typer"]


def test_data_files_found():
    from k8sgen.resources import schemas_dir, templates_dir

    assert (templates_dir() / "pod.yaml.j2").is_file()
    assert (schemas_dir() / "spec.schema.json").is_file()


def test_ci_runs_the_installed_package():
    """In CI the suite must exercise a non-editable install, not the source tree."""
    if not os.environ.get("K8SGEN_CI"):
        return
    installed = Path(k8sgen.__file__).resolve()
    assert ROOT not in installed.parents, f"tests imported {installed}, not the installed package"


def _lower_bounds() -> dict:
    """{name: lowest allowed version} of every dependency pyproject.toml gives a lower bound."""
    import re

    deps = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    out = {}
    for dep in deps:
        m = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)", dep)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def _oldest_pins() -> dict:
    text = (ROOT / ".ci" / "oldest-constraints.txt").read_text()
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_oldest_constraints_are_the_lower_bounds():
    """Every lower bound we claim is the version CI's second run installs (issue 9)."""
    bounds = _lower_bounds()
    assert {"jinja2", "pyyaml", "jsonschema", "typer", "pytest", "hypothesis", "pre-commit"} <= set(bounds)
    pins = _oldest_pins()
    assert {k: _release(v) for k, v in pins.items()} == {k: _release(v) for k, v in bounds.items()}


def _release(v: str) -> tuple:
    """'3.1' and '3.1.0' are the same release."""
    parts = [int(p) for p in v.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def test_ci_runs_the_suite_on_the_oldest_versions():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "--constraint .ci/oldest-constraints.txt '.[test]'" in ci
    oldest_leg = ci.split("--constraint .ci/oldest-constraints.txt", 1)[1]
    assert "\npytest\n" in oldest_leg


def test_installed_versions_allowed():
    """What is installed satisfies pyproject's bounds (catches a constraint file that drifts)."""
    from importlib.metadata import version

    for name, low in _lower_bounds().items():
        have = tuple(int(p) for p in version(name).split(".")[:3] if p.isdigit())
        assert have >= _release(low), f"{name} {version(name)} is older than the allowed {low}"
