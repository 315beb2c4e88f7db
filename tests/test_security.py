"""A hostile spec or repository (issue 11), one section per class of attack; docs/security.md is
the threat model these tests hold k8sgen to. The attacks all succeeded on k8sgen 0.1.0 (and these
tests failed there); the few tests of ordinary use beside them check that the fix keeps it working.
Classes 2, 3 and 7 (the output directory) are in tests/test_security_paths.py."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli
from ecosystem_util import EXAMPLES, copy_example, env, k8sgen_cmd
from k8sgen import yamlio, yamltext
from k8sgen.emit.directory import MANIFEST

POD = "pods:\n  web:\n    image: nginx:1.27\n    automountServiceAccountToken: false\n    resources: {limits: {cpu: 100m, memory: 64Mi}}\n"
# Every character that PyYAML (reader.py) or go-yaml (yamlh.go is_break) ends a line at, and the
# two other vertical spaces, which neither does but which are no printable YAML characters.
BREAKS = {"LS": "\u2028", "PS": "\u2029", "NEL": "\x85", "CR": "\r", "CRLF": "\r\n", "LF": "\n", "VT": "\v", "FF": "\f"}
INJECTED = "  hostNetwork: true\n  securityContext: {privileged: true}"


def _injections() -> list[str]:
    """Multi-line values (the ones that became literal blocks) carrying a line break of each kind
    before text shaped like keys; also the break alone, trailing and leading."""
    out = []
    for br in BREAKS.values():
        out += [f"line one\nline two{br}{INJECTED}", f"x\ny{br}", f"{br}x\ny", f"a{br}b", f"tail{br}", f"x\n{br}\ny\n"]
    return out


def _pod(objects: list) -> dict:
    [pod] = [o for o in objects if o and o.get("kind") == "Pod"]
    return pod


def _spec_with(value: str) -> dict:
    return {"pods": {"web": {
        "image": "nginx:1.27", "automountServiceAccountToken": False, "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}},
        "env": {"V": value}, "annotations": {"a": value}, "command": ["sh", "-c", value],
    }}}


def _check_pod(pod: dict, value: str, where: str) -> None:
    c = pod["spec"]["containers"][0]
    assert c["env"] == [{"name": "V", "value": value}], where
    assert pod["metadata"]["annotations"] == {"a": value}, where
    assert c["command"] == ["sh", "-c", value], where
    assert "hostNetwork" not in pod["spec"] and "securityContext" not in c, where


# Shared with tests/test_security_paths.py: a repository holding one spec with an outputDir.


def _repo(tmp_path: Path, output_dir: str) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    copy_example("headless.yaml", repo / "specs", "web.k8sgen.yaml", f"outputDir: {json.dumps(output_dir)}\n")
    return repo


def _written(tmp_path: Path) -> Path:
    repo = _repo(tmp_path, "../manifests")
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo).returncode == 0
    return repo


# --- 1. YAML injection through Unicode line breaks ------------------------------------------------


@pytest.mark.parametrize("value", _injections(), ids=lambda v: repr(v)[:40])
def test_a_line_break_of_any_kind_never_becomes_structure(value, tmp_path):
    spec = tmp_path / "spec.json"  # JSON: the spec itself carries the raw characters as escapes
    spec.write_text(json.dumps(_spec_with(value)))
    ran = run_cli("render", str(spec))
    assert ran.code == 0, ran
    _check_pod(_pod(list(yaml.safe_load_all(ran.out))), value, "stdout")
    ran = run_cli("render", str(spec), "-o", "json")
    assert ran.code == 0, ran
    _check_pod(_pod(json.loads(ran.out)["items"]), value, "json")
    _check_pod(_pod(yaml.safe_load(ran.out)["items"]), value, "json read as YAML")
    ran = run_cli("render", str(spec), "--output-dir", str(tmp_path / "out"))
    assert ran.code == 0, ran
    _check_pod(yaml.safe_load((tmp_path / "out" / "v1_pod_web.yaml").read_text(encoding="utf-8", errors="strict")), value, "--output-dir")


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_set_and_krm_carry_line_breaks_exactly(name, tmp_path):
    value = f"a\nb{BREAKS[name]}{INJECTED}"
    spec = tmp_path / "spec.yaml"
    spec.write_text(POD)
    # --set-new (adding the env var) takes the value as written on the command line (YAML 1.2 core scalar: text).
    ran = run_cli("render", str(spec), "--set-new", f"pods.web.env.V={value}")
    assert ran.code == 0, ran
    pod = _pod(list(yaml.safe_load_all(ran.out)))
    assert pod["spec"]["containers"][0]["env"] == [{"name": "V", "value": value}] and "hostNetwork" not in pod["spec"]
    # KRM: pass-through items are written again by k8sgen's writer.
    item = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": value}}
    rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [item],
          "functionConfig": {"apiVersion": "k8sgen.dev/v1alpha1", "kind": "K8sGen", "metadata": {"name": "g"}, "spec": yaml.safe_load(POD)}}
    ran = run_cli("kustomize-plugin", stdin=json.dumps(rl))
    assert ran.code == 0, ran
    out = yaml.safe_load(ran.out)
    assert out["items"][0] == item


def test_the_writer_never_puts_a_raw_break_other_than_lf_into_output():
    for value in _injections():
        text = yamltext.document({"v": value, value: "k"})
        assert not any(c in text for c in "\r\x85\u2028\u2029\v\f"), repr(value)
        assert yaml.safe_load(text) == {"v": value, value: "k"}


# --- 4. the kustomize plugin keeps to the kustomization root ----------------------------------------


def _kustomization(tmp_path: Path, spec_file: str) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / "kustomization.yaml").write_text("generators: [gen.yaml]\n")
    (root / "gen.yaml").write_text(f"apiVersion: k8sgen.dev/v1alpha1\nkind: K8sGen\nmetadata: {{name: g}}\nspecFile: {json.dumps(spec_file)}\n")
    return root


SECRET = "db_password: hunter2\napi_key: sk-live-123\n"


@pytest.mark.parametrize("where", ["../secret.yaml", "ABSOLUTE", "link.yaml"])
def test_plugin_refuses_spec_files_outside_the_root_and_prints_none_of_them(tmp_path, where):
    (tmp_path / "secret.yaml").write_text(SECRET)
    name = str(tmp_path / "secret.yaml") if where == "ABSOLUTE" else where
    root = _kustomization(tmp_path, name)
    if where == "link.yaml":
        (root / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    r = k8sgen_cmd("kustomize-plugin", str(root / "gen.yaml"), cwd=root, KUSTOMIZE_PLUGIN_CONFIG_ROOT=str(root))
    assert r.returncode == 2 and "not under the kustomization root" in r.stderr, r.stderr
    assert "hunter2" not in r.stdout + r.stderr and "api_key" not in r.stdout + r.stderr and "db_password" not in r.stderr
    # The user's explicit opt-out, like kustomize's --load-restrictor LoadRestrictionsNone: the
    # file is read, and still nothing of it is shown (it is no spec).
    r = k8sgen_cmd("kustomize-plugin", str(root / "gen.yaml"), cwd=root, KUSTOMIZE_PLUGIN_CONFIG_ROOT=str(root), K8SGEN_LOAD_RESTRICTOR="LoadRestrictionsNone")
    assert r.returncode == 2 and "not a k8sgen spec" in r.stderr, r.stderr
    assert "hunter2" not in r.stdout + r.stderr and "db_password" not in r.stderr


def test_plugin_reads_a_spec_file_under_the_root(tmp_path):
    root = _kustomization(tmp_path, "web.k8sgen.yaml")
    (root / "web.k8sgen.yaml").write_text(POD)
    r = k8sgen_cmd("kustomize-plugin", str(root / "gen.yaml"), cwd=root, KUSTOMIZE_PLUGIN_CONFIG_ROOT=str(root))
    assert r.returncode == 0 and "kind: Pod" in r.stdout, r.stderr


def test_plugin_names_only_the_first_unknown_key_of_a_spec_file(tmp_path):
    root = _kustomization(tmp_path, "web.k8sgen.yaml")
    (root / "web.k8sgen.yaml").write_text(POD + SECRET)
    r = k8sgen_cmd("kustomize-plugin", str(root / "gen.yaml"), cwd=root, KUSTOMIZE_PLUGIN_CONFIG_ROOT=str(root))
    assert r.returncode == 2 and "unknown key 'db_password'" in r.stderr and "api_key" not in r.stderr and "hunter2" not in r.stderr, r.stderr


def _rss_limited(*args: str, cwd: Path, mib: int = 1024) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (mib * 1024 * 1024, mib * 1024 * 1024))

    return subprocess.run([sys.executable, "-m", "k8sgen", *args], cwd=cwd, capture_output=True, text=True, env=env(), timeout=60, preexec_fn=limit)


# --- 5. quantities in bounded time ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e99999999", "1e9999999", "1" * 5000, "1e1000", "9" * 1001 + "m"])
def test_huge_quantities_are_refused_at_once(value, tmp_path):
    (tmp_path / "q.yaml").write_text(POD.replace("cpu: 100m", f'cpu: "{value}"'))
    for command in ("render", "validate"):
        start = time.monotonic()
        r = _rss_limited(command, "q.yaml", cwd=tmp_path, mib=1024)
        assert r.returncode == 1 and "k8sgen handles quantities below 1e1000" in r.stderr, r.stderr
        assert "internal error" not in r.stderr and time.monotonic() - start < 10


QUANTITY_CASES = [
    ("1e-99999999", "1e-9"),  # rounded up to 1n, like resource.ParseQuantity
    ("0.0000000001", "1n"),
    ("1e4294967297", "10"),  # the server keeps int32(exponent): 2^32 + 1 wraps to 1
    ("99999999999999999999Ei", "9223372036854775807"),  # BinarySI is capped at maxAllowed
    ("1" + "0" * 3000 + "e-3000", "1"),
]


def test_quantities_parse_like_the_api_server_in_constant_time():
    # In a child process with a time and memory limit: a regression must fail, not hang CI.
    code = (
        "import json, sys\n"
        "from k8sgen.validate.rules import quantity\n"
        "cases = json.loads(sys.stdin.read())\n"
        "print(json.dumps([quantity.canonical(quantity.parse(v)) for v, _ in cases]))\n"
    )

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024, 1024 * 1024 * 1024))

    start = time.monotonic()
    r = subprocess.run([sys.executable, "-c", code], input=json.dumps(QUANTITY_CASES), capture_output=True, text=True, env=env(), timeout=30, preexec_fn=limit)
    assert r.returncode == 0, r.stderr[-500:]
    assert json.loads(r.stdout) == [c for _, c in QUANTITY_CASES]
    assert time.monotonic() - start < 10


# --- 6. aliases bounded by expanded size; the API server's object size ---------------------------


def test_an_alias_repeating_a_large_string_is_refused_quickly_in_bounded_memory(tmp_path):
    big = "x" * 100_000
    spec = f"annotations: {{a: &b {big}}}\n" + POD + "    env:\n" + "".join(f"      V{i}: *b\n" for i in range(5000))
    (tmp_path / "bomb.yaml").write_text(spec)
    start = time.monotonic()
    r = _rss_limited("render", "bomb.yaml", cwd=tmp_path, mib=1024)
    assert time.monotonic() - start < 20
    assert r.returncode == 2 and r.stdout == "", r.stderr[-500:]
    assert f"aliases expand to more than {yamlio.MAX_ALIAS_CHARS // (1024 * 1024)} MiB of text (yaml-alias-limit)" in r.stderr
    crossing = yamlio.MAX_ALIAS_CHARS // len(big) + 1  # the first alias use to cross the limit
    assert f"bomb.yaml:{7 + crossing}:7:" in r.stderr, r.stderr  # where it is used, not the anchor


def test_aliases_below_the_bound_still_work(tmp_path):
    spec = "annotations: {a: &b " + "y" * 1000 + "}\n" + POD + "    env: {A: *b, B: *b}\n"
    ran = run_cli("render", "-", stdin=spec)
    assert ran.code == 0, ran
    assert [e["value"] for e in _pod(list(yaml.safe_load_all(ran.out)))["spec"]["containers"][0]["env"]] == ["y" * 1000] * 2


def test_an_object_over_the_api_servers_request_limit_is_an_error():
    spec = {"pods": {"web": {**yaml.safe_load(POD)["pods"]["web"], "env": {"A": "x" * (3 * 1024 * 1024)}}}}
    ran = run_cli("render", "-", stdin=json.dumps(spec))
    assert ran.code == 1 and ran.out == "" and "the API server refuses requests over 3,145,728 bytes (3 MiB) (object-too-large)" in ran.err
    spec["pods"]["web"]["env"]["A"] = "x" * (2 * 1024 * 1024)
    ran = run_cli("render", "-", stdin=json.dumps(spec))
    assert ran.code == 0 and "etcd refuses requests over 1,572,864 bytes (1.5 MiB) by default (object-too-large)" in ran.err


# --- 8. no internal error on any input --------------------------------------------------------------


HUGE = "1" * 5000


@pytest.mark.parametrize("spec,where", [
    (POD + f"    env: {{A: {HUGE}}}\n", "q.yaml:6:14:"),
    (POD + f"    ports: [{HUGE}]\n", "q.yaml:6:13:"),
    (POD.replace("cpu: 100m", f"cpu: {HUGE}"), "q.yaml:5:31:"),
    (POD + f"    env: {{A: 0x{'f' * 4000}}}\n", "q.yaml:6:14:"),
])
def test_numbers_over_4300_digits_are_positioned_errors(spec, where, tmp_path):
    for command in ("render", "validate"):
        (tmp_path / "q.yaml").write_text(spec)
        r = k8sgen_cmd(command, "q.yaml", cwd=tmp_path)
        assert r.returncode == 2 and f"{where} error: a number with more than 4300 digits (yaml-number-too-long)" in r.stderr, r.stderr


def test_huge_numbers_in_set_and_manifests_and_krm_items(tmp_path):
    (tmp_path / "s.yaml").write_text(POD)
    r = k8sgen_cmd("render", "s.yaml", "--set", f"pods.web.env.A={HUGE}", cwd=tmp_path)
    assert r.returncode == 2 and "--set:1:16: error: a number with more than 4300 digits" in r.stderr, r.stderr
    (tmp_path / "m.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a, generation: {HUGE}}}\n")
    r = k8sgen_cmd("validate", "m.yaml", cwd=tmp_path)
    assert r.returncode == 2 and "m.yaml:3:33: error: a number with more than 4300 digits" in r.stderr, r.stderr
    rl = ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, x: " + HUGE + "}\n"
          "functionConfig: {apiVersion: k8sgen.dev/v1alpha1, kind: K8sGen, metadata: {name: g}, spec: {pods: {web: {image: nginx:1.27}}}}\n")
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=rl)
    assert r.returncode == 2 and "<stdin>:4:61: error: a number with more than 4300 digits" in r.stderr, r.stderr


def test_a_set_path_deeper_than_the_limit(tmp_path):
    (tmp_path / "s.yaml").write_text(POD)
    r = k8sgen_cmd("render", "s.yaml", "--set", "pods.web.labels" + ".a" * 3000 + "=1", cwd=tmp_path)
    assert r.returncode == 2 and f"--set:1:1: error: nesting deeper than {yamlio.MAX_DEPTH} levels (yaml-depth)" in r.stderr, r.stderr


@pytest.mark.parametrize("environment", [{"PYTHONIOENCODING": "latin-1"}, {"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}])
def test_output_is_utf8_whatever_the_locale(environment, tmp_path):
    (tmp_path / "s.yaml").write_text(POD + '    env: {A: "é日本😀"}\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "k8sgen", "render", "s.yaml"], cwd=tmp_path, capture_output=True, env=env(**environment), timeout=60)
    assert r.returncode == 0, r.stderr
    assert 'value: "é日本😀"'.encode() in r.stdout
    (tmp_path / "bad.yaml").write_text(POD.replace("web:", "wéb:"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "k8sgen", "render", "bad.yaml"], cwd=tmp_path, capture_output=True, env=env(**environment), timeout=60)
    assert r.returncode == 1 and b"internal error" not in r.stderr and 'Invalid value: "wéb"'.encode() in r.stderr, r.stderr


def test_a_recorded_spec_that_no_longer_loads_is_an_error_not_a_crash(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    copy_example("headless.yaml", repo / "specs", "a.yaml", "outputDir: ../out\n")
    copy_example("api-access.yaml", repo / "specs", "b.yaml", "outputDir: ../out\n")
    assert k8sgen_cmd("render", "specs/a.yaml", "specs/b.yaml", "--write", cwd=repo).returncode == 0
    (repo / "specs" / "b.yaml").write_text("pods: [\n")
    for mode in ("--write", "--check"):
        r = k8sgen_cmd("render", "specs/a.yaml", mode, cwd=repo)
        assert r.returncode == 2 and "specs/b.yaml:2:1: error: invalid YAML" in r.stderr and "internal error" not in r.stderr, r.stderr


def test_a_deep_kustomization_in_the_krm_working_directory(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("generators: " + "[" * 5000 + "]" * 5000 + "\n")
    rl = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: {apiVersion: k8sgen.dev/v1alpha1, kind: K8sGen, metadata: {name: g}, spec: {pods: {web: {image: nginx:1.27}}}}\n"
    r = k8sgen_cmd("kustomize-plugin", cwd=tmp_path, input=rl)
    assert r.returncode == 0 and "internal error" not in r.stderr, r.stderr
    assert "kind: Pod" in r.stdout


def test_a_list_whose_items_are_no_list(tmp_path):
    (tmp_path / "l.yaml").write_text("apiVersion: v1\nkind: List\nitems: 5\n")
    r = k8sgen_cmd("validate", "l.yaml", cwd=tmp_path)
    assert r.returncode == 1 and "l.yaml:3:8: error: the items of a List are a list of Kubernetes objects (input-not-object)" in r.stderr, r.stderr


# --- 9. smaller wrong results -------------------------------------------------------------------------


@pytest.mark.parametrize("port,ok", [(0, False), (1, True), (65535, True), (65536, False), (-1, False)])
def test_api_proxy_port_is_a_port(port, ok):
    ran = run_cli("render", "-", stdin=f"pods:\n  web:\n    image: nginx:1.27\n    apiProxy: {{port: {port}}}\n")
    assert (ran.code == 0) is ok, ran
    if not ok:
        assert ran.code == 1 and "spec.yaml" not in ran.err and "<stdin>:4:22: error:" in ran.err


@pytest.mark.parametrize("value", ['"false"', '"true"', "0", "no-such"])
def test_plugin_strict_must_be_a_boolean(value, tmp_path):
    (tmp_path / "gen.yaml").write_text(f"apiVersion: k8sgen.dev/v1alpha1\nkind: K8sGen\nmetadata: {{name: g}}\nstrict: {value}\nspec: {{pods: {{web: {{image: nginx:1.27}}}}}}\n")
    r = k8sgen_cmd("kustomize-plugin", "gen.yaml", cwd=tmp_path)
    assert r.returncode == 2 and "gen.yaml:4:9: error: strict must be true or false" in r.stderr, r.stderr


def test_pre_commit_hooks_end_options_before_the_file_names(tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks and all(h["entry"].split()[-1] == "--" for h in hooks), [h["entry"] for h in hooks]
    # What pre-commit runs for a staged file with a hostile name: the entry, then the names.
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "--output-dir=x.k8sgen.yaml").write_text(POD + "outputDir: manifests\n")
    for h in hooks:
        r = subprocess.run([sys.executable, "-m", "k8sgen", *h["entry"].split()[1:], "--output-dir=x.k8sgen.yaml"], cwd=repo,
                           capture_output=True, text=True, env=env(), timeout=60)
        assert "internal error" not in r.stderr and "no such option" not in r.stderr.lower(), (h["id"], r.stderr)
        assert not (repo / "x.k8sgen.yaml").exists(), h["id"]
    assert (repo / "manifests" / "kustomization.yaml").is_file()  # the render hook took it as a file


def test_check_reports_a_run_killed_mid_write_and_write_cleans_up(tmp_path):
    repo = _written(tmp_path)
    (repo / "specs" / "web.k8sgen.yaml").write_text((EXAMPLES / "api-access.yaml").read_text() + "outputDir: ../manifests\n")
    p = subprocess.Popen([sys.executable, "-m", "k8sgen", "render", "specs/web.k8sgen.yaml", "--write"], cwd=repo,
                         env=env(K8SGEN_TEST_SLOW_WRITE="0.5"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(n.startswith(".manifests.k8sgen-new-") for n in os.listdir(repo)):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=60)
    [left] = [n for n in os.listdir(repo) if n.startswith(".manifests.k8sgen-new-")]
    # The spec was changed back: the directory itself is up to date, only the leftover is stale.
    (repo / "specs" / "web.k8sgen.yaml").write_text((EXAMPLES / "headless.yaml").read_text() + "outputDir: ../manifests\n")
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--check", cwd=repo)
    assert r.returncode == 1 and f"{left} is left over from an interrupted run" in r.stderr, r.stderr
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo).returncode == 0
    assert not any(".k8sgen-new-" in n for n in os.listdir(repo))
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--check", cwd=repo).returncode == 0


def test_the_threat_model_covers_every_input():
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for topic in ("command line", "spec", "layer", "output directory", MANIFEST, "KRM", "plugin config", "K8SGEN_LOAD_RESTRICTOR"):
        assert topic in doc, topic
    errors = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for rule in ("yaml-number-too-long", "output-dir-outside", "object-too-large", "yaml-alias-limit"):
        assert rule in errors, rule
    assert f"{yamlio.MAX_ALIAS_CHARS // (1024 * 1024)} MiB" in errors


def test_a_bad_kube_version_in_the_plugin_config_names_the_file(tmp_path):
    (tmp_path / "gen.yaml").write_text('apiVersion: k8sgen.dev/v1alpha1\nkind: K8sGen\nmetadata: {name: g}\nkubeVersion: "9.9"\nspec: {pods: {web: {image: nginx:1.27}}}\n')
    r = k8sgen_cmd("kustomize-plugin", "gen.yaml", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("gen.yaml:4:14: error: Kubernetes version '9.9' is not supported (k8s-version)"), r.stderr


@pytest.mark.parametrize("version", ["1." + "1" * 5000, "\xb2.\xb3", "1.\u0663"])
def test_a_kube_version_of_any_text_is_a_usage_error(version, tmp_path):
    (tmp_path / "s.yaml").write_text(POD)
    r = k8sgen_cmd("render", "s.yaml", "--kube-version", version, cwd=tmp_path)
    assert r.returncode == 2 and "(k8s-version)" in r.stderr and "internal error" not in r.stderr, r.stderr
