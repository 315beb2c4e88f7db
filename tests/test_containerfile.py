"""The Containerfile builds the KRM function image from this repository.

There is no container engine on the build machine, so the image itself is not built here. What the
image does is checked instead: the wheel is built from exactly the files the Containerfile copies
(so a file it forgets to copy fails the build), installed on its own, and its entrypoint runs
a ResourceList the way kustomize or kpt would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

CONTAINERFILE = (ROOT / "Containerfile").read_text(encoding="utf-8")


def _instructions() -> list[tuple[str, str]]:
    out = []
    for line in CONTAINERFILE.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_entrypoint_is_the_krm_function():
    entrypoints = [rest for word, rest in _instructions() if word == "ENTRYPOINT"]
    assert [json.loads(e) for e in entrypoints] == [["k8sgen", "kustomize-plugin"]]
    assert ("USER", "65532:65532") in _instructions()


def _copied_sources() -> list[str]:
    sources = []
    for word, rest in _instructions():
        if word == "COPY" and not rest.startswith("--from"):
            *srcs, _dest = rest.split()
            sources += srcs
    return sources


def test_the_copied_files_build_a_working_function(tmp_path):
    context = tmp_path / "context"
    context.mkdir()
    for src in _copied_sources():
        path = ROOT / src.rstrip("/")
        if path.is_dir():
            shutil.copytree(path, context / src.rstrip("/"), ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, context / src)
    wheels = tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(context)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    [wheel] = wheels.glob("k8sgen-*.whl")
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    rl = {
        "apiVersion": "config.kubernetes.io/v1",
        "kind": "ResourceList",
        "items": [],
        "functionConfig": {"apiVersion": "k8sgen.dev/v1alpha1", "kind": "K8sGen", "metadata": {"name": "db"},
                           "spec": {"services": {"db": {"externalName": "db.example.com"}}}},
    }
    # The installed package first on the path (not this checkout), its dependencies from this
    # environment: what `k8sgen kustomize-plugin` runs in the image.
    deps = [p for p in sys.path if p and Path(p).resolve() != ROOT]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *deps]), "PYTHONSAFEPATH": "1"}
    r = subprocess.run([sys.executable, "-m", "k8sgen", "kustomize-plugin"], input=yaml.safe_dump(rl), capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    out = yaml.safe_load(r.stdout)
    assert [(i["kind"], i["metadata"]["name"]) for i in out["items"]] == [("Service", "db")]
    where = subprocess.run([sys.executable, "-c", "import k8sgen; print(k8sgen.__file__)"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(site)
