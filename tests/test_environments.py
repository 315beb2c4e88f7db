"""Environments: `-f` layers merged in order, `--set` overrides, typed by the spec schema, with the
position of every overriding value in problems."""

from __future__ import annotations

import pytest
import yaml

from k8sgen.cli import run
from k8sgen.commands.sources import parse_set_path

BASE = """\
namespace: dev
labels: {team: web}
pods:
  web:
    image: nginx:1.27
    ports: [8080, 9090]
    env: {MODE: dev, PORT: 8080}
    resources: {limits: {cpu: 100m, memory: 64Mi}}
"""
PROD = """\
namespace: prod
pods:
  web:
    ports: [80]
    env: {MODE: prod}
"""


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "prod.yaml").write_text(PROD)

    def call(*args: str):
        rc = run(list(args))
        captured = capsys.readouterr()
        return rc, captured.out, captured.err

    return call


def _pod(out: str) -> dict:
    [pod] = [d for d in yaml.safe_load_all(out) if d["kind"] == "Pod"]
    return pod


def _env(pod: dict) -> dict:
    return {e["name"]: e["value"] for e in pod["spec"]["containers"][0]["env"]}


def test_later_layers_win_maps_merge_lists_are_replaced(cli):
    rc, out, err = cli("render", "-f", "base.yaml", "-f", "prod.yaml")
    assert rc == 0, err
    pod = _pod(out)
    assert pod["metadata"]["namespace"] == "prod"
    assert pod["metadata"]["labels"] == {"team": "web"}
    c = pod["spec"]["containers"][0]
    assert c["image"] == "nginx:1.27"
    assert [p["containerPort"] for p in c["ports"]] == [80]  # the list is replaced, not merged
    assert _env(pod) == {"MODE": "prod", "PORT": "8080"}  # the map is merged


def test_set_values_are_typed_by_the_schema(cli):
    rc, out, err = cli("render", "-f", "base.yaml", "--set-new", "pods.web.env.LEVEL=0755", "--set-new", "pods.web.env.ON=yes",
                       "--set", "pods.web.ports[0]=8081", "--set", "labels.app\\.kubernetes\\.io/name=web")
    assert rc == 0, err
    pod = _pod(out)
    assert _env(pod)["LEVEL"] == "0755" and _env(pod)["ON"] == "yes"
    assert pod["spec"]["containers"][0]["ports"][0]["containerPort"] == 8081
    assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == "web"


def test_set_applies_to_a_single_spec_without_layers(cli):
    rc, out, _ = cli("render", "base.yaml", "--set", "pods.web.image=nginx:1.28")
    assert rc == 0 and _pod(out)["spec"]["containers"][0]["image"] == "nginx:1.28"


@pytest.mark.parametrize(
    "args,expected",
    [
        # A name that is not in the spec would silently add a pod: --set changes what exists.
        (["--set", "pods.api.image=nginx:1.28"],
         "--set:1:6: error: pods has no entry 'api': --set changes what the spec has (set-no-entry)\n"
         "  hint: it has: web; add an entry with a layer (-f FILE) or with --set-new PATH=VALUE\n"),
        (["--set", "pods.wbe.image=nginx:1.28"],
         "--set:1:6: error: pods has no entry 'wbe': --set changes what the spec has (set-no-entry)\n"
         "  hint: did you mean 'web'? add an entry with a layer (-f FILE) or with --set-new PATH=VALUE\n"),
        (["--set", "pods.web.image=nginx:1.28", "--set", "pods.web.env.MDOE=prod"],
         "--set:2:14: error: pods.web.env has no entry 'MDOE': --set changes what the spec has (set-no-entry)\n"
         "  hint: did you mean 'MODE'? add an entry with a layer (-f FILE) or with --set-new PATH=VALUE\n"),
        (["--set", "services.web.port=80"],
         "--set:1:10: error: services has no entry 'web': --set changes what the spec has (set-no-entry)\n"
         "  hint: add an entry with a layer (-f FILE) or with --set-new PATH=VALUE\n"),
    ],
)
def test_set_naming_no_entry_is_an_error(cli, args, expected):
    rc, out, err = cli("render", "-f", "base.yaml", *args)
    assert (rc, out, err) == (2, "", expected)


def test_set_may_set_fields_and_values_the_spec_does_not_have_yet(cli):
    # Fields of the schema (imagePullPolicy) and value maps (labels, quantities) are not entries.
    rc, out, err = cli("render", "-f", "base.yaml", "--set", "pods.web.imagePullPolicy=Always",
                       "--set", "labels.tier=front", "--set", "pods.web.resources.requests.memory=32Mi")
    assert rc == 0, err
    pod = _pod(out)
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert pod["metadata"]["labels"]["tier"] == "front"
    assert pod["spec"]["containers"][0]["resources"]["requests"] == {"memory": "32Mi"}


def test_set_new_adds_entries_before_set_changes_them(cli):
    rc, out, err = cli("render", "-f", "base.yaml", "--set", "pods.api.resources.limits.memory=1Gi",
                       "--set-new", "pods.api.image=nginx:1.28", "--set-new", "pods.web.env.EXTRA=1")
    assert rc == 0, err
    pods = {d["metadata"]["name"]: d for d in yaml.safe_load_all(out) if d["kind"] == "Pod"}
    assert pods["api"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert pods["api"]["spec"]["containers"][0]["resources"]["limits"] == {"memory": "1Gi"}
    assert _env(pods["web"])["EXTRA"] == "1"


def test_set_new_problems_point_at_the_set_new(cli):
    rc, out, err = cli("render", "-f", "base.yaml", "--set-new", "pods.api.imag=nginx:1.28")
    assert rc == 1 and err.startswith("--set-new:1:10: error: unknown key 'imag' (spec-unknown-key)")


def test_independent_specs_and_layers_together(cli, tmp_path):
    (tmp_path / "other.yaml").write_text("namespace: other\nservices:\n  db: {externalName: db.example.com}\n")
    rc, out, err = cli("render", "other.yaml", "-f", "base.yaml", "-f", "prod.yaml")
    assert rc == 0, err
    kinds = [(d["kind"], d["metadata"]["namespace"]) for d in yaml.safe_load_all(out)]
    assert ("Service", "other") in kinds and ("Pod", "prod") in kinds


@pytest.mark.parametrize(
    "args,expected",
    [
        # A problem in an overriding layer points into that layer.
        (["-f", "base.yaml", "-f", "bad.yaml"], "bad.yaml:3:5: error: unknown key 'imag' (spec-unknown-key)"),
        # A problem in a value that survived from the base points into the base.
        (["-f", "base.yaml", "-f", "prod.yaml", "--set-new", "pods.web.env.X=1"], None),
        # --set values are located as --set:N:COLUMN (N-th --set, column inside the argument).
        (["-f", "base.yaml", "--set", "pods.web.image=nginx", "--set", "pods.web.ports[0]=notaport"],
         "--set:2:19: error: 'notaport' is not valid here"),
        (["-f", "base.yaml", "--set", "pods.web.imag=x"], "--set:1:10: error: unknown key 'imag' (spec-unknown-key)"),
        (["-f", "base.yaml", "-f", "prod.yaml", "--set", "pods.web.ports[0]=99999"],
         "--set:1:19: error: Pod/prod/web: spec.containers[0].ports[0].containerPort: Invalid value: 99999"),
        (["-f", "base.yaml", "-f", "prod.yaml", "--set", "pods.web.resources.limits.cpu=lots"], "--set:1:31: error:"),
    ],
)
def test_problems_point_at_the_layer_or_set_that_supplied_the_value(cli, tmp_path, args, expected):
    (tmp_path / "bad.yaml").write_text("pods:\n  web:\n    imag: x\n")
    rc, out, err = cli("render", *args)
    if expected is None:
        assert rc == 0, err
        return
    assert rc == 1 and out == ""
    assert expected in err


def test_a_base_value_keeps_its_position_in_the_base(cli, tmp_path):
    (tmp_path / "base.yaml").write_text(BASE.replace("cpu: 100m", "cpu: lots"))
    rc, _, err = cli("render", "-f", "base.yaml", "-f", "prod.yaml")
    assert rc == 1 and err.startswith("base.yaml:8:") and "lots" in err


@pytest.mark.parametrize(
    "args,expected",
    [
        (["-f", "base.yaml", "-f", "base.yaml"], "base.yaml: error: given twice (spec-given-twice)"),
        (["-f", "base.yaml", "-f", "./sub/../base.yaml"], "the same file as base.yaml"),
        (["base.yaml", "-f", "base.yaml"], "given twice"),
        (["-f", "-", "-f", "-"], "(stdin) is given more than once"),
        (["-f", "base.yaml", "--set", "foo"], "--set:1:1: error: expected PATH=VALUE: 'foo' (set-syntax)"),
        (["-f", "base.yaml", "--set", "pods..web=1"], "empty key in path"),
        (["-f", "base.yaml", "--set", "pods.web.image.x=1"], "--set cannot reach pods.web.image.x: that part of the spec is a single value"),
        (["-f", "base.yaml", "--set", "pods.web.ports[7]=1"], "--set cannot reach pods.web.ports[7]"),
        (["base.yaml", "prod.yaml", "--set", "a=1"], "--set applies to one spec"),
    ],
)
def test_usage_errors(cli, tmp_path, args, expected):
    (tmp_path / "sub").mkdir()
    rc, out, err = cli("render", *args)
    assert rc == 2 and out == ""
    assert expected in err


@pytest.mark.parametrize(
    "expr,path,value",
    [
        ("a.b=1", ("a", "b"), "1"),
        ("a.b[0].c=x=y", ("a", "b", 0, "c"), "x=y"),
        ("labels.app\\.kubernetes\\.io/name=web", ("labels", "app.kubernetes.io/name"), "web"),
        ("a=", ("a",), ""),
        ("ports[0]=80", ("ports", 0), "80"),
    ],
)
def test_set_path_syntax(expr, path, value):
    got = parse_set_path(expr, 1)
    assert got[:2] == (path, value)
    assert expr[got[2] - 1:] == value


def test_merged_spec_writes_to_the_output_dir_of_its_layer(cli, tmp_path):
    (tmp_path / ".git").mkdir()  # a repository: outputDir may leave env/ but not the work tree
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "prod.yaml").write_text(PROD + "outputDir: ../manifests/prod\n")
    rc, _, err = cli("render", "-f", "base.yaml", "-f", "env/prod.yaml", "--write")
    assert rc == 0, err
    text = (tmp_path / "manifests" / "prod" / "v1_pod_web.yaml").read_text()
    assert "namespace: prod" in text
