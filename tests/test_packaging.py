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
