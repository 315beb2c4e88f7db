"""The importable core: k8sgen.render takes a path or a mapping and returns dicts."""

from __future__ import annotations

import pytest
import yaml

import k8sgen
from conftest import EXAMPLES, run_cli


def test_render_path_matches_cli():
    spec = EXAMPLES / "api-access.yaml"
    assert k8sgen.render(str(spec)) == list(yaml.safe_load_all(run_cli("render", str(spec)).out))


def test_render_mapping():
    objs = k8sgen.render({"namespace": "apps", "pods": {"web": {"image": "nginx:1.27", "env": {"A": 8080}}}})
    [pod] = objs
    assert pod["metadata"] == {"name": "web", "namespace": "apps"}
    assert pod["spec"]["containers"][0]["env"] == [{"name": "A", "value": "8080"}]


def test_render_mapping_is_not_mutated():
    spec = {"pods": {"web": {"image": "nginx:1.27", "env": {"A": 1}}}}
    k8sgen.render(spec)
    assert spec == {"pods": {"web": {"image": "nginx:1.27", "env": {"A": 1}}}}


def test_render_raises_with_problems():
    with pytest.raises(k8sgen.K8sgenError) as e:
        k8sgen.render({"pods": {"web": {"imagee": "nginx"}}})
    [p] = e.value.problems
    assert p.rule == "spec-unknown-key" and p.path == ("pods", "web", "imagee")


def test_render_specs_returns_text_and_problems():
    result = k8sgen.render_specs([str(EXAMPLES / "headless.yaml")])
    assert result.errors == []
    assert [o.kind for o in result.objects] == ["Service", "Pod", "Pod"]
    assert result.objects[0].text.startswith("apiVersion: v1\nkind: Service\n")


def test_cli_module_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = "import sys, k8sgen.cli; print(sorted(m for m in ('jinja2', 'jsonschema') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
