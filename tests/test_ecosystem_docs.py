"""docs/ecosystem.md is true: its copy-paste examples run as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from ecosystem_util import ROOT, env, require_tool

DOC = (ROOT / "docs" / "ecosystem.md").read_text()
HOOK_IDS = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def _section(title: str) -> str:
    return DOC.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def _shell(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """Run a doc snippet with `k8sgen` on PATH meaning this k8sgen."""
    bindir = tmp_path / ".bin"
    bindir.mkdir(exist_ok=True)
    shim = bindir / "k8sgen"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m k8sgen "$@"\n')
    shim.chmod(0o755)
    e = env()
    e["PATH"] = f"{bindir}{os.pathsep}{e['PATH']}"
    return subprocess.run(["sh", "-ec", script], cwd=tmp_path, env=e, capture_output=True, text=True, timeout=300)


def test_three_commands_from_init_to_kubectl_kustomize(tmp_path):
    require_tool("kubectl")
    [block] = _blocks(_section("From zero to kustomize in three commands"), "sh")
    assert len(block.strip().splitlines()) == 3
    r = _shell(tmp_path, block)
    assert r.returncode == 0, r.stderr
    kinds = [d["kind"] for d in yaml.safe_load_all(r.stdout)]
    assert kinds == ["Service", "Pod", "Pod"]


def test_resource_list_example_runs(tmp_path):
    block = next(b for b in _blocks(_section("k8sgen as a kustomize generator"), "sh") if "ResourceList" in b)
    r = _shell(tmp_path, block)
    assert r.returncode == 0, r.stderr
    out = yaml.safe_load(r.stdout)
    assert out["kind"] == "ResourceList" and [i["kind"] for i in out["items"]] == ["Service"]


def test_pre_commit_config_example_names_shipped_hooks():
    [config] = [yaml.safe_load(b) for b in _blocks(_section("pre-commit"), "yaml")]
    ids = {h["id"] for h in config["repos"][0]["hooks"]}
    assert ids <= HOOK_IDS
    table_ids = set(re.findall(r"^\| `([a-z0-9-]+)` \|", _section("pre-commit"), re.M))
    assert table_ids == HOOK_IDS


def test_environment_example_runs(tmp_path):
    (tmp_path / "base.yaml").write_text("pods:\n  web: {image: nginx:1.27, resources: {limits: {cpu: 100m, memory: 64Mi}}}\n")
    (tmp_path / "prod.yaml").write_text("namespace: prod\n")
    [block] = _blocks(_section("Environments: layers and overrides"), "sh")
    r = _shell(tmp_path, block)
    assert r.returncode == 0, r.stderr
    assert "image: nginx:1.28" in r.stdout and "namespace: prod" in r.stdout
