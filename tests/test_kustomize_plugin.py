"""k8sgen as a kustomize generator: KRM contract tests, and real `kubectl kustomize` runs through
both the legacy exec-plugin route and the container-function route (a stand-in `docker`)."""

from __future__ import annotations

import json
import os
import shlex
import stat
import sys
from pathlib import Path

import pytest
import yaml

from ecosystem_util import EXAMPLES, k8sgen_cmd, kubectl_kustomize, require_tool

# A pod that passes the default lint profile (recommended), so that stderr stays empty.
HARDENED = {
    "readinessProbe": {"httpGet": {"path": "/", "port": 8080}}, "livenessProbe": {"tcpSocket": {"port": 8080}},
    "podSecurityContext": {"runAsNonRoot": True, "runAsUser": 101, "seccompProfile": {"type": "RuntimeDefault"}},
    "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}},
    "volumes": {"tmp": {"emptyDir": {}}}, "mounts": {"/tmp": "tmp"},
}
SPEC = {"pods": {"web": {"image": "nginxinc/nginx-unprivileged:1.27", "labels": {"app": "web"}, "env": {"PORT": 8080}, "ports": [8080],
                         "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}, **HARDENED}}}
CONFIG = {"apiVersion": "k8sgen.dev/v1alpha1", "kind": "K8sGen", "metadata": {"name": "demo"}, "spec": SPEC}
INPUT_ITEM = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "keep-me", "annotations": {"config.kubernetes.io/index": "0", "internal.config.kubernetes.io/id": "7"}},
    "data": {"a": "yes", "b": "0755"},
}


def resource_list(config=CONFIG, items=(INPUT_ITEM,), api="config.kubernetes.io/v1") -> dict:
    return {"apiVersion": api, "kind": "ResourceList", "items": list(items), "functionConfig": config}


# --- KRM contract ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encode", [yaml.safe_dump, json.dumps], ids=["yaml", "json"])
@pytest.mark.parametrize("api", ["config.kubernetes.io/v1", "config.kubernetes.io/v1beta1"])
def test_krm_passes_items_through_and_appends_objects(tmp_path, encode, api):
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=encode(resource_list(api=api)))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    out = yaml.safe_load(r.stdout)  # stdout is exactly one ResourceList
    assert (out["apiVersion"], out["kind"]) == (api, "ResourceList")
    assert out["items"][0] == INPUT_ITEM
    pod = out["items"][1]
    assert (pod["kind"], pod["metadata"]["name"]) == ("Pod", "web")
    assert pod["spec"]["containers"][0]["env"] == [{"name": "PORT", "value": "8080"}]
    assert pod["metadata"]["annotations"]["config.kubernetes.io/path"] == "v1_pod_web.yaml"
    assert "results" not in out


def test_krm_spec_file_is_relative_to_the_working_directory(tmp_path):
    (tmp_path / "app.k8sgen.yaml").write_text((EXAMPLES / "headless.yaml").read_text())
    config = {**CONFIG, "specFile": "app.k8sgen.yaml"}
    del config["spec"]
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=yaml.safe_dump(resource_list(config, items=())))
    assert r.returncode == 0, r.stderr
    kinds = [i["kind"] for i in yaml.safe_load(r.stdout)["items"]]
    assert kinds == ["Service", "Pod", "Pod"]


def test_krm_errors_go_to_results_stderr_and_the_exit_status(tmp_path):
    bad = {**CONFIG, "spec": {"pods": {"web": {"imag": "nginx"}}}}
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=yaml.safe_dump(resource_list(bad)))
    assert r.returncode == 1
    out = yaml.safe_load(r.stdout)
    assert out["items"] == [INPUT_ITEM]  # nothing generated, the input untouched
    [res] = [x for x in out["results"] if "imag" in x["message"]]
    assert res["severity"] == "error" and res["tags"]["rule"] == "spec-unknown-key"
    assert res["field"]["path"] == "spec.pods.web.imag"
    assert "K8sGen/demo: spec.pods.web.imag: unknown key 'imag' (spec-unknown-key)" in r.stderr


@pytest.mark.parametrize(
    "config,expect",
    [
        ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}, "expected apiVersion k8sgen.dev/v1alpha1 and kind K8sGen"),
        ({"apiVersion": "k8sgen.dev/v1alpha1", "kind": "K8sGen", "metadata": {"name": "x"}}, "exactly one of them"),
        ({**CONFIG, "specfile": "x.yaml"}, "unknown key 'specfile'"),
        (None, "the function config is missing"),
    ],
    ids=["wrong-kind", "no-spec", "unknown-key", "no-config"],
)
def test_krm_bad_function_config(tmp_path, config, expect):
    rl = resource_list(config)
    if config is None:
        del rl["functionConfig"]
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=yaml.safe_dump(rl))
    assert r.returncode == 2
    assert expect in r.stderr
    assert expect in yaml.safe_load(r.stdout)["results"][0]["message"]


def test_no_resource_list_and_no_config_is_a_usage_error(tmp_path):
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input="")
    assert r.returncode == 2 and r.stdout == "" and "no ResourceList on stdin" in r.stderr


# --- legacy exec-plugin contract ---------------------------------------------------------------


def test_legacy_config_file_gives_a_yaml_stream(tmp_path):
    cfg = tmp_path / "kust-plugin-config-1"
    cfg.write_text(yaml.safe_dump(CONFIG))
    r = k8sgen_cmd("kustomize-plugin", str(cfg), cwd=tmp_path, input="")
    assert r.returncode == 0, r.stderr
    assert [d["kind"] for d in yaml.safe_load_all(r.stdout)] == ["Pod"]
    assert r.stdout == k8sgen_cmd("render", "-", cwd=tmp_path, input=yaml.safe_dump(SPEC)).stdout


def test_legacy_transformer_passes_its_input_through(tmp_path):
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump(CONFIG))
    stream = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep-me\n"
    r = k8sgen_cmd("kustomize-plugin", str(cfg), cwd=tmp_path, input=stream)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(stream + "---\n")
    assert [d["kind"] for d in yaml.safe_load_all(r.stdout)] == ["ConfigMap", "Pod"]


# --- install-plugin --------------------------------------------------------------------------------


def test_install_plugin_writes_an_executable_script_running_this_python(tmp_path):
    r = k8sgen_cmd("kustomize", "install-plugin", "--plugin-home", str(tmp_path / "plugins"))
    assert r.returncode == 0, r.stderr
    script = tmp_path / "plugins" / "k8sgen.dev" / "v1alpha1" / "k8sgen" / "K8sGen"
    assert r.stdout == f"{script}\n"
    assert os.stat(script).st_mode & stat.S_IXUSR
    text = script.read_text()
    assert text.startswith("#!/bin/sh\n") and f"exec {shlex.quote(sys.executable)} -m k8sgen kustomize-plugin \"$@\"" in text


def test_install_plugin_default_home_follows_kustomize(tmp_path):
    r = k8sgen_cmd("kustomize", "install-plugin", KUSTOMIZE_PLUGIN_HOME=str(tmp_path / "kp"), HOME=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "kp" / "k8sgen.dev" / "v1alpha1" / "k8sgen" / "K8sGen").exists()


# --- the real kustomize ----------------------------------------------------------------------------

GENERATOR = """\
apiVersion: k8sgen.dev/v1alpha1
kind: K8sGen
metadata:
  name: web
{body}"""
OVERLAY = """\
resources:
- ../base
namespace: prod
patches:
- target: {kind: Pod, name: web}
  patch: |
    - op: replace
      path: /spec/containers/0/image
      value: nginx:1.28
"""


def _project(tmp_path: Path, generator_body: str, spec_text: str | None = None) -> Path:
    base = tmp_path / "base"
    base.mkdir()
    if spec_text is not None:
        (base / "web.k8sgen.yaml").write_text(spec_text)
    (base / "k8sgen.yaml").write_text(GENERATOR.format(body=generator_body))
    (base / "kustomization.yaml").write_text("generators:\n- k8sgen.yaml\n")
    (tmp_path / "overlay").mkdir()
    (tmp_path / "overlay" / "kustomization.yaml").write_text(OVERLAY)
    return base


SPEC_TEXT = """\
pods:
  web:
    image: nginx:1.27
    labels: {app: web}
    env: {MODE: 0755, FLAG: yes}
    resources: {limits: {cpu: 100m, memory: 64Mi}}
"""


@pytest.fixture
def plugin_home(tmp_path):
    home = tmp_path / "plugins"
    r = k8sgen_cmd("kustomize", "install-plugin", "--plugin-home", str(home))
    assert r.returncode == 0, r.stderr
    return home


def _check_overlay_output(text: str) -> None:
    [pod] = list(yaml.safe_load_all(text))
    assert pod["metadata"] == {"labels": {"app": "web"}, "name": "web", "namespace": "prod"}
    c = pod["spec"]["containers"][0]
    assert c["image"] == "nginx:1.28"
    assert {e["name"]: e["value"] for e in c["env"]} == {"MODE": "0755", "FLAG": "yes"}


@pytest.mark.parametrize("inline", [False, True], ids=["specFile", "inline-spec"])
def test_exec_plugin_under_kubectl_kustomize_with_an_overlay(tmp_path, plugin_home, inline):
    require_tool("kubectl")
    if inline:
        _project(tmp_path, "spec:\n" + "".join("  " + l + "\n" for l in SPEC_TEXT.splitlines()))
    else:
        _project(tmp_path, "specFile: web.k8sgen.yaml\n", SPEC_TEXT)
    r = kubectl_kustomize(tmp_path / "overlay", "--enable-alpha-plugins", KUSTOMIZE_PLUGIN_HOME=str(plugin_home))
    assert r.returncode == 0, r.stderr
    _check_overlay_output(r.stdout)


def test_exec_plugin_error_fails_the_build_with_a_position_in_the_users_file(tmp_path, plugin_home):
    require_tool("kubectl")
    _project(tmp_path, "specFile: web.k8sgen.yaml\n", SPEC_TEXT.replace("image:", "imag:"))
    r = kubectl_kustomize(tmp_path / "overlay", "--enable-alpha-plugins", KUSTOMIZE_PLUGIN_HOME=str(plugin_home))
    assert r.returncode != 0 and r.stdout == ""
    assert "web.k8sgen.yaml:3:5: error: unknown key 'imag' (spec-unknown-key)" in r.stderr


def test_exec_plugin_inline_spec_error_points_into_the_generator_file(tmp_path, plugin_home):
    require_tool("kubectl")
    _project(tmp_path, "spec:\n  pods:\n    web:\n      imag: nginx\n")
    r = kubectl_kustomize(tmp_path / "base", "--enable-alpha-plugins", KUSTOMIZE_PLUGIN_HOME=str(plugin_home))
    assert r.returncode != 0
    assert "k8sgen.yaml:8:7: error: unknown key 'imag'" in r.stderr


def _fake_docker(tmp_path: Path) -> str:
    """kustomize runs container functions with `docker run ... IMAGE`; this stand-in runs k8sgen."""
    bindir = tmp_path / "fakebin"
    bindir.mkdir()
    docker = bindir / "docker"
    docker.write_text(f"#!/bin/sh\n# argv (docker run flags and the image) is ignored\nexec {shlex.quote(sys.executable)} -m k8sgen kustomize-plugin\n")
    docker.chmod(0o755)
    return str(bindir)


def test_krm_container_function_under_kubectl_kustomize_with_an_overlay(tmp_path):
    require_tool("kubectl")
    body = (
        "  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: example.com/k8sgen:test\n"
        "spec:\n" + "".join("  " + l + "\n" for l in SPEC_TEXT.splitlines())
    )
    _project(tmp_path, body)
    r = kubectl_kustomize(tmp_path / "overlay", "--enable-alpha-plugins", path_prefix=_fake_docker(tmp_path))
    assert r.returncode == 0, r.stderr
    _check_overlay_output(r.stdout)
    assert "config.kubernetes.io" not in r.stdout  # kustomize strips the path annotations again


def test_krm_container_function_error_fails_the_build(tmp_path):
    require_tool("kubectl")
    body = (
        "  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: example.com/k8sgen:test\n"
        "spec:\n  pods:\n    web:\n      imag: nginx\n"
    )
    _project(tmp_path, body)
    r = kubectl_kustomize(tmp_path / "base", "--enable-alpha-plugins", path_prefix=_fake_docker(tmp_path))
    assert r.returncode != 0 and r.stdout == ""
    assert "k8sgen.yaml:12:7: error: unknown key 'imag' (spec-unknown-key)" in r.stderr


def test_examples_kustomize_builds(tmp_path, plugin_home):
    require_tool("kubectl")
    root = EXAMPLES / "kustomize"
    for d in ("plugin-base", "overlay"):
        r = kubectl_kustomize(root / d, "--enable-alpha-plugins", KUSTOMIZE_PLUGIN_HOME=str(plugin_home))
        assert r.returncode == 0, (d, r.stderr)
        assert "kind: Pod" in r.stdout
    r = kubectl_kustomize(root / "krm-container", "--enable-alpha-plugins", path_prefix=_fake_docker(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "kind: Service" in r.stdout


def test_spec_file_list_merges_layers_in_order(tmp_path):
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(SPEC))
    (tmp_path / "prod.yaml").write_text("namespace: prod\npods:\n  web:\n    image: nginx:1.28\n")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump({**{k: v for k, v in CONFIG.items() if k != "spec"}, "specFile": ["base.yaml", "prod.yaml"]}))
    r = k8sgen_cmd("kustomize-plugin", str(cfg), cwd=tmp_path, input="")
    assert r.returncode == 0, r.stderr
    [pod] = yaml.safe_load_all(r.stdout)
    assert pod["metadata"]["namespace"] == "prod" and pod["spec"]["containers"][0]["image"] == "nginx:1.28"


@pytest.mark.parametrize("extra,rc,expect", [
    ({"kubeVersion": "1.36"}, 0, ""),
    ({"kubeVersion": "1.2"}, 2, "1.2"),
    ({"strict": True, "spec": {"pods": {"web": {"image": "nginx"}}}}, 1, "warning"),
])
def test_krm_kube_version_and_strict(tmp_path, extra, rc, expect):
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=yaml.safe_dump(resource_list({**CONFIG, **extra})))
    assert r.returncode == rc, r.stderr
    assert expect in r.stderr
    assert yaml.safe_load(r.stdout)["kind"] == "ResourceList"


# --- problems with the generator config point at the user's files ----------------------------------


def _our_lines(stderr: str) -> list[str]:
    """k8sgen's lines in kustomize's error (kustomize adds its own "failure in plugin configured
    via /tmp/kust-plugin-config-N" after them)."""
    return [l.strip() for l in stderr.splitlines() if "failure in plugin configured via" not in l]


def test_exec_plugin_config_error_points_at_the_generator_file(tmp_path, plugin_home):
    require_tool("kubectl")
    _project(tmp_path, "specfile: web.k8sgen.yaml\n", SPEC_TEXT)
    r = kubectl_kustomize(tmp_path / "base", "--enable-alpha-plugins", KUSTOMIZE_PLUGIN_HOME=str(plugin_home))
    assert r.returncode != 0
    assert "k8sgen.yaml:5:1: error: unknown key 'specfile' in the K8sGen config (kustomize-config)" in r.stderr
    assert not any("kust-plugin-config" in l for l in _our_lines(r.stderr)), r.stderr


def test_exec_plugin_inline_generator_names_the_kustomization_and_the_generator(tmp_path, plugin_home):
    require_tool("kubectl")
    (tmp_path / "kustomization.yaml").write_text(
        "generators:\n- |\n  apiVersion: k8sgen.dev/v1alpha1\n  kind: K8sGen\n  metadata:\n    name: inline\n"
        "  spec: {pods: {web: {imag: x}}}\n"
        "- |\n  apiVersion: k8sgen.dev/v1alpha1\n  kind: K8sGen\n  metadata:\n    name: other\n  specfile: x.yaml\n")
    r = kubectl_kustomize(tmp_path, "--enable-alpha-plugins", KUSTOMIZE_PLUGIN_HOME=str(plugin_home))
    assert r.returncode != 0
    assert "kustomization.yaml: error: K8sGen/inline: spec.pods.web.imag: unknown key 'imag' (spec-unknown-key)" in r.stderr
    assert not any("kust-plugin-config" in l for l in _our_lines(r.stderr)), r.stderr


def test_legacy_config_error_without_the_users_file_names_the_generator(tmp_path):
    cfg = tmp_path / "kust-plugin-config-7"
    cfg.write_text("apiVersion: k8sgen.dev/v1alpha1\nkind: K8sGen\nmetadata: {name: web}\nspecfile: x.yaml\n")
    (tmp_path / "kustomization.yaml").write_text("generators:\n- gen.yaml\n")
    r = k8sgen_cmd("kustomize-plugin", str(cfg), cwd=tmp_path, KUSTOMIZE_PLUGIN_CONFIG_ROOT=str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.startswith("kustomization.yaml: error: K8sGen/web: specfile: unknown key 'specfile' in the K8sGen config (kustomize-config)\n")
    assert "kust-plugin-config" not in r.stderr


def test_krm_stderr_names_the_object_once(tmp_path):
    bad = {**CONFIG, "specfile": "x.yaml"}
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=yaml.safe_dump(resource_list(bad)))
    assert r.returncode == 2
    assert r.stderr.startswith("k8sgen: error: K8sGen/demo: specfile: unknown key 'specfile' in the K8sGen config (kustomize-config)\n")
    assert "<stdin>" not in r.stderr
    [res] = yaml.safe_load(r.stdout)["results"]
    assert res["field"]["path"] == "specfile" and res["resourceRef"] == {"kind": "K8sGen", "name": "demo"}
    spec_error = {**CONFIG, "spec": {"pods": {"web": {"imag": "nginx"}}}}
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=yaml.safe_dump(resource_list(spec_error)))
    assert "K8sGen/demo: error: K8sGen/demo" not in r.stderr
    assert r.stderr.startswith("k8sgen: error: K8sGen/demo: spec.pods.web.imag: unknown key 'imag' (spec-unknown-key)\n")


# --- exec KRM functions: kubectl kustomize ignores them, kpt runs them ----------------------------

EXEC_FUNCTION = """\
apiVersion: k8sgen.dev/v1alpha1
kind: K8sGen
metadata:
  name: db
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: {path}
spec:
  services:
    db: {{externalName: db.example.com}}
"""


def test_kubectl_kustomize_silently_ignores_an_exec_function(tmp_path):
    # What docs/ecosystem.md warns about: no error, no objects.
    require_tool("kubectl")
    (tmp_path / "gen.yaml").write_text(EXEC_FUNCTION.format(path=shlex.quote(sys.executable)))
    (tmp_path / "kustomization.yaml").write_text("generators:\n- gen.yaml\n")
    r = kubectl_kustomize(tmp_path, "--enable-alpha-plugins")
    assert (r.returncode, r.stdout.strip()) == (0, "{}") or (r.returncode, r.stdout.strip()) == (0, ""), r.stdout + r.stderr


def test_kpt_runs_k8sgen_as_an_exec_function(tmp_path):
    kpt = require_tool("kpt")
    fn = tmp_path / "k8sgen.yaml"
    fn.write_text(yaml.safe_dump(CONFIG))
    (tmp_path / "pkg").mkdir()
    run = tmp_path / "k8sgen-fn"
    run.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m k8sgen kustomize-plugin\n")
    run.chmod(0o755)
    import subprocess

    r = subprocess.run([kpt, "fn", "eval", "pkg", "--exec", str(run), "--fn-config", str(fn)], cwd=tmp_path,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    written = sorted(p.name for p in (tmp_path / "pkg").iterdir())
    assert written == ["v1_pod_web.yaml"], written
