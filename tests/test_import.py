"""`k8sgen import`: manifests back to a spec that renders the same objects (after defaulting).

- every golden file (examples/golden, tests/cases/valid/*/expected.yaml) round-trips:
  render(import(X)) == X object by object, and every object that k8sgen made becomes a
  shorthand again (only the pass-through case keeps its raw object);
- a hypothesis property: specs from a small strategy render, import and render again to the
  same objects, all as shorthands;
- golden import output for hand-written inputs (tests/import_cases/NAME/input.yaml ->
  expected.k8sgen.yaml and summary.txt);
- the comparison itself: defaults, and that a real difference is never called equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, check_golden, run_cli
from k8sgen.importer import compare, import_objects, server
from k8sgen.pipeline import parse_spec_text, render_specs

GOLDEN = sorted((ROOT / "examples" / "golden").glob("*.yaml")) + sorted((ROOT / "tests" / "cases" / "valid").glob("*/expected.yaml"))
IMPORT_CASES = sorted(p for p in (ROOT / "tests" / "import_cases").iterdir() if p.is_dir())
# Objects the spec has no shorthand for, in the golden files (the pass-through case's Ingress,
# the examples' PodDisruptionBudgets).
RAW_KINDS = {"Ingress", "PodDisruptionBudget"}


def _objects(path: Path) -> list:
    return [o for o in yaml.safe_load_all(path.read_text(encoding="utf-8")) if o]


def _render(text: str) -> list:
    result = render_specs([parse_spec_text(text, "imported.yaml")])
    assert result.errors == [], result.errors
    return [r.obj for r in result.objects]


def _same_objects(before: list, after: list) -> None:
    want = {compare.key(o): compare.canonical(o) for o in before}
    got = {compare.key(o): compare.canonical(o) for o in after}
    assert sorted(got) == sorted(want)
    for k in want:
        assert got[k] == want[k], k


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: str(p.relative_to(ROOT)))
def test_golden_round_trip(path):
    objects = _objects(path)
    [spec] = import_objects(objects)
    _same_objects(objects, _render(spec.text))
    raw = sum(1 for o in objects if o["kind"] in RAW_KINDS)
    assert (spec.shorthand, spec.verbatim) == (len(objects) - raw, raw)


@pytest.mark.parametrize("case", IMPORT_CASES, ids=lambda p: p.name)
def test_import_golden(case, update_golden, monkeypatch):
    monkeypatch.chdir(case)
    ran = run_cli("import", "input.yaml")
    assert ran.code == 0, ran
    check_golden(case / "expected.k8sgen.yaml", ran.out, update_golden)
    check_golden(case / "summary.txt", ran.err, update_golden)
    # What the server set (kubectl get -o yaml) is dropped first, and said so on stderr.
    _same_objects(server.strip(_objects(case / "input.yaml"))[0], _render(ran.out))


def _parity_valid():
    from parity.loader import load_cases

    return [c for c in load_cases() if c.valid]


@pytest.mark.parametrize("case", _parity_valid(), ids=lambda c: c.id)
def test_parity_objects_round_trip(case):
    # Hand-written objects the API server accepts (tests/parity/cases): each imports alone to a
    # spec that renders it back, as a shorthand or verbatim.
    [spec] = import_objects([case.obj])
    result = render_specs([parse_spec_text(spec.text, "imported.yaml")], case.kube_version)
    _same_objects([case.obj], [r.obj for r in result.objects])


def test_parity_objects_mostly_become_shorthands():
    cases = [c for c in _parity_valid() if c.kind in ("Pod", "Service", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")]
    short = sum(import_objects([c.obj])[0].verbatim == 0 for c in cases)
    assert short / len(cases) >= 0.7, f"{short} of {len(cases)}"


# --- the property: spec -> render -> import -> render gives the same objects ---------------

_name = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\x7f"), max_size=12)
_env = st.dictionaries(st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True), _text, max_size=3)
_downward = st.sampled_from(["metadata.name", "metadata.namespace", "status.podIP", "spec.nodeName", "requests.cpu/1m", "limits.memory/1Mi"])


@st.composite
def _pod(draw, with_port=True):
    pod: dict = {"image": draw(st.sampled_from(["nginx:1.27", "busybox:1.36", "registry.example.com/app@sha256:" + "a" * 64]))}
    if draw(st.booleans()):
        pod["command"] = draw(st.lists(_text.filter(bool), min_size=1, max_size=3))
    if draw(st.booleans()):
        pod["env"] = draw(_env)
    if draw(st.booleans()):
        pod["downward"] = {"env": draw(st.dictionaries(st.from_regex(r"DW_[A-Z]{1,4}", fullmatch=True), _downward, min_size=1, max_size=3))}
    if with_port:
        pod["ports"] = [draw(st.sampled_from(["http:8080", 8080, "metrics:9090/TCP", "dns:53/UDP"]))]
    pod["resources"] = {"limits": {"cpu": draw(st.sampled_from(["100m", "1"])), "memory": draw(st.sampled_from(["64Mi", "1Gi"]))}}
    if draw(st.booleans()):
        pod["volumes"] = {"scratch": {"emptyDir": {}}}
        pod["mounts"] = {"/scratch": draw(st.sampled_from(["scratch", {"volume": "scratch", "readOnly": True}]))}
    if draw(st.booleans()):
        pod["serviceAccount"] = "app"
    if draw(st.booleans()):
        pod["labels"] = {"app": draw(_name), "tier": draw(st.sampled_from(["web", "db"]))}
    if draw(st.booleans()):
        # k8sgen's hardened ambassador, one replaced by the user's securityContext, or none
        pod["apiProxy"] = draw(st.sampled_from([True, {"port": 8002}, {"securityContext": {}}, {"securityContext": {"runAsNonRoot": True, "runAsUser": 1000}}]))
        if draw(st.booleans()):
            pod["podSecurityContext"] = draw(st.sampled_from([{"runAsUser": 100}, {"runAsUser": 0}, {"seccompProfile": {"type": "RuntimeDefault"}}]))
    return pod


@st.composite
def _spec(draw) -> dict:
    spec: dict = {"namespace": draw(st.sampled_from(["default", "shop"]))}
    spec["serviceAccounts"] = {"app": draw(st.sampled_from([{}, {"rules": [{"resources": ["pods"], "verbs": ["get", "list"]}]}, {"automountServiceAccountToken": False}]))}
    if draw(st.booleans()):
        spec["configMaps"] = {"cfg": {"data": draw(st.dictionaries(_name, _text, min_size=1, max_size=3)), **({"hashSuffix": True} if draw(st.booleans()) else {})}}
    if draw(st.booleans()):
        spec["secrets"] = {"creds": {"data": {"password": draw(_text)}}}
    kind = draw(st.sampled_from(["pods", "deployments", "statefulSets", "daemonSets", "jobs", "cronJobs"]))
    pod = draw(_pod())
    if kind == "deployments":
        pod["replicas"] = draw(st.integers(0, 5))
    if kind == "statefulSets":
        spec["services"] = {"db": {"headless": True, "selectWorkload": "db"}}
        pod["volumeClaims"] = {"data": {"size": "1Gi"}}
        pod["service"] = "db"
    if kind == "cronJobs":
        pod["schedule"] = "*/5 * * * *"
    if kind in ("jobs", "cronJobs"):
        pod["restartPolicy"] = draw(st.sampled_from(["Never", "OnFailure"]))
    name = "db" if kind == "statefulSets" else "web"
    if draw(st.booleans()):
        pod["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": draw(_name), "effect": "NoSchedule"}]
    if kind != "pods" and draw(st.booleans()):
        pod["podAnnotations"] = {"prometheus.io/scrape": draw(st.sampled_from(["true", "false"]))}
    if kind in ("deployments", "daemonSets", "jobs") and "labels" not in pod and draw(st.booleans()):
        pod["labels"] = {}  # labels on the pod template only
        pod["podLabels"] = {"app": name}
    spec[kind] = {name: pod}
    if kind in ("deployments", "jobs") and draw(st.booleans()):
        # A near twin, written `like: web` by hand; import finds its own way back to it.
        spec[kind]["web2"] = {"like": name, "image": "nginx:1.26", **({"labels": {}, "podLabels": {"app": "web2"}} if "podLabels" in pod else {})}
    if kind in ("deployments", "daemonSets") and draw(st.booleans()):
        spec["services"] = {"web": {"selectWorkload": name, "ports": [draw(st.sampled_from(["80:8080", 80, "443:http"]))]}}
    if draw(st.booleans()):
        spec.setdefault("services", {})["ext"] = {"ports": [5432], "endpoints": ["10.0.0.1", "10.0.0.2"]}
    return spec


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_spec())
def test_round_trip_property(spec):
    from k8sgen.spec_schema import spec_schema  # noqa: F401  (the strategy stays inside the schema)

    first = render_specs([spec])
    if first.errors:  # a drawn combination the API server refuses is no round-trip example
        return
    objects = [r.obj for r in first.objects]
    [imported] = import_objects(objects)
    _same_objects(objects, _render(imported.text))
    assert imported.verbatim == 0, imported.text


# --- the comparison -------------------------------------------------------------------------


def test_defaults_are_equal_after_defaulting():
    written = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"selector": {"a": "b"}, "ports": [{"port": 80}]}}
    spelled = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "default", "labels": {}},
               "spec": {"type": "ClusterIP", "sessionAffinity": "None", "selector": {"a": "b"}, "ports": [{"port": 80, "targetPort": 80, "protocol": "TCP"}]}}
    assert compare.same(written, spelled)


@pytest.mark.parametrize("change", [
    lambda s: s["spec"]["ports"][0].update(targetPort=81),
    lambda s: s["spec"].update(type="NodePort"),
    lambda s: s["metadata"].update(namespace="other"),
    lambda s: s["spec"]["selector"].update(a="c"),
    lambda s: s["spec"].update(clusterIP="None"),
])
def test_a_real_difference_is_never_equal(change):
    import copy

    base = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"selector": {"a": "b"}, "ports": [{"port": 80}]}}
    other = copy.deepcopy(base)
    change(other)
    assert not compare.same(base, other)


def test_image_pull_policy_default_follows_the_tag():
    def pod(image, policy=None):
        c = {"name": "c", "image": image, **({"imagePullPolicy": policy} if policy else {})}
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [c]}}

    assert compare.same(pod("nginx:1.27"), pod("nginx:1.27", "IfNotPresent"))
    assert compare.same(pod("nginx"), pod("nginx", "Always"))
    assert compare.same(pod("nginx:latest"), pod("nginx:latest", "Always"))
    assert not compare.same(pod("nginx:1.27"), pod("nginx:1.27", "Always"))


def test_requests_default_to_limits_in_pods_only():
    def obj(kind, requests):
        res = {"limits": {"memory": "64Mi"}, **({"requests": {"memory": "64Mi"}} if requests else {})}
        spec = {"containers": [{"name": "c", "image": "x:1", "resources": res}]}
        if kind == "Pod":
            return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": spec}}}

    assert compare.same(obj("Pod", True), obj("Pod", False))
    assert not compare.same(obj("Deployment", True), obj("Deployment", False))


def test_without_defaults_keeps_what_differs():
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"replicas": 1, "revisionHistoryLimit": 3, "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"dnsPolicy": "ClusterFirst", "containers": [{"name": "c", "image": "x:1"}]}}}}
    short = compare.without_defaults(dep)
    assert "replicas" not in short["spec"] and short["spec"]["revisionHistoryLimit"] == 3
    assert "dnsPolicy" not in short["spec"]["template"]["spec"]
    assert compare.same(short, dep)


def test_defaulting_stage_is_used_when_present():
    # After integration k8sgen.validate.defaults exists and compare must use it.
    try:
        import k8sgen.validate.defaults as defaults
    except ImportError:
        assert compare._server_defaults is None
    else:
        assert compare._server_defaults is defaults.apply


def test_docs_show_the_current_sizes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("import_sizes", ROOT / "scripts" / "import_sizes.py")
    sizes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sizes)
    doc = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert sizes.BEGIN + "\n" + sizes.table() + sizes.END in doc, "rerun: python scripts/import_sizes.py --write"


# --- the property from the other side: hand-written objects -> import -> render ------------

_opt = st.one_of(st.none(), st.just(1))


def _maybe(draw, d: dict, key: str, strategy) -> None:
    if draw(st.booleans()):
        d[key] = draw(strategy)


@st.composite
def _k8s_pod(draw) -> dict:
    containers = []
    for cname in draw(st.lists(st.sampled_from(["app", "web", "side"]), min_size=1, max_size=2, unique=True)):
        c: dict = {"name": cname, "image": draw(st.sampled_from(["nginx:1.27", "nginx", "nginx:latest"]))}
        _maybe(draw, c, "imagePullPolicy", st.sampled_from(["Always", "IfNotPresent", "Never"]))
        _maybe(draw, c, "terminationMessagePolicy", st.sampled_from(["File", "FallbackToLogsOnError"]))
        if draw(st.booleans()):
            port: dict = {"containerPort": draw(st.sampled_from([80, 8080]))}
            _maybe(draw, port, "protocol", st.sampled_from(["TCP", "UDP"]))
            _maybe(draw, port, "name", st.just("p" + cname))
            _maybe(draw, port, "hostIP", st.just("127.0.0.1"))
            c["ports"] = [port]
        env = []
        for ename in draw(st.lists(st.sampled_from(["A", "B", "POD"]), max_size=3, unique=True)):
            kind = draw(st.sampled_from(["value", "empty", "field", "field-v1"]))
            e: dict = {"name": ename}
            if kind == "value":
                e["value"] = draw(_text)
            elif kind.startswith("field"):
                e["valueFrom"] = {"fieldRef": {"fieldPath": "metadata.name", **({"apiVersion": "v1"} if kind == "field-v1" else {})}}
            env.append(e)
        if env:
            c["env"] = env
        if draw(st.booleans()):
            c["resources"] = {"limits": {"memory": "64Mi"}, **({"requests": {"memory": draw(st.sampled_from(["64Mi", "32Mi"]))}} if draw(st.booleans()) else {})}
        containers.append(c)
    spec: dict = {"containers": containers}
    _maybe(draw, spec, "restartPolicy", st.sampled_from(["Always", "OnFailure"]))
    _maybe(draw, spec, "dnsPolicy", st.sampled_from(["ClusterFirst", "Default"]))
    _maybe(draw, spec, "terminationGracePeriodSeconds", st.sampled_from([30, 5]))
    _maybe(draw, spec, "serviceAccountName", st.sampled_from(["default", "app"]))
    _maybe(draw, spec, "automountServiceAccountToken", st.booleans())
    _maybe(draw, spec, "enableServiceLinks", st.booleans())
    if draw(st.booleans()):
        spec["volumes"] = [{"name": "cfg", "configMap": {"name": "cfg", **({"defaultMode": draw(st.sampled_from([420, 384]))} if draw(st.booleans()) else {})}}]
    meta: dict = {"name": draw(st.sampled_from(["app", "web"]))}
    _maybe(draw, meta, "namespace", st.sampled_from(["default", "shop"]))
    _maybe(draw, meta, "labels", st.just({"app": "web"}))
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


@st.composite
def _k8s_service(draw) -> dict:
    spec: dict = {}
    _maybe(draw, spec, "type", st.sampled_from(["ClusterIP", "NodePort"]))
    _maybe(draw, spec, "selector", st.just({"app": "web"}))
    _maybe(draw, spec, "sessionAffinity", st.sampled_from(["None", "ClientIP"]))
    ports = []
    for i, port in enumerate(draw(st.lists(st.sampled_from([80, 443, 8080]), min_size=1, max_size=2, unique=True))):
        p: dict = {"port": port}
        _maybe(draw, p, "targetPort", st.sampled_from([port, 9000, "http"]))
        _maybe(draw, p, "protocol", st.sampled_from(["TCP", "UDP"]))
        if draw(st.booleans()) or i:
            p["name"] = f"p{port}"
        ports.append(p)
    spec["ports"] = ports
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc"}, "spec": spec}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(_k8s_pod(), _k8s_service()), min_size=1, max_size=3))
def test_hand_written_objects_round_trip(objects):
    from k8sgen.validate import Manifest, validate_manifests
    from k8sgen.validate.references import for_render

    keys = [compare.key(o) for o in objects]
    if len(set(keys)) != len(keys):
        return
    if any(p.is_error for p in for_render(validate_manifests([Manifest(obj=o) for o in objects], "1.37"))):
        # Not something the API server would accept, or a set `render` refuses (a Service
        # whose named targetPort no selected pod has: docs/checks.md): nothing to round-trip.
        return
    [spec] = import_objects(objects)
    _same_objects(objects, _render(spec.text))


# The realistic corpus of tests/repos, one environment or variant at a time (as a team adopting
# k8sgen would import it): what renders back is what was there, after the API server's defaulting,
# and some objects become shorthands.
CORPUS_DIRS = ["book", "helm-mixed", "install-bundle", "kustomize-app/base", "multi-env/envs/dev",
               "multi-env/envs/prod", "shop", "providers/deploy/static/provider/aws", "providers/deploy/static/provider/kind"]
# Whole repositories, as `k8sgen import DIR -o OUT/` takes them: variants in several directories
# (multi-env, providers) become one set of specs per directory (importer/sets.py).
CORPUS_REPOS = ["book", "helm-mixed", "install-bundle", "kustomize-app", "mixed-yaml", "multi-env", "providers", "shop"]


def _import_dir(directory: Path) -> list:
    from k8sgen.importer.read import read
    from k8sgen.importer.sets import partition

    got = read([str(directory)])
    assert not [p for p in got.problems if p.is_error], got.problems
    assert got.objects
    return [(s, import_objects(s.objects, s.comments, split=True)) for s in partition(got.objects, got.sources, got.notes, [str(directory)])]


@pytest.mark.parametrize("rel", CORPUS_DIRS + CORPUS_REPOS)
def test_corpus_round_trip(rel):
    sets = _import_dir(ROOT / "tests" / "repos" / rel)
    for s, specs in sets:
        rendered = [o for spec in specs for o in _render(spec.text)]
        _same_objects(s.objects, rendered)
    assert sum(spec.shorthand for _, specs in sets for spec in specs) > 0


def test_variants_become_one_set_per_directory():
    sets = _import_dir(ROOT / "tests" / "repos" / "multi-env")
    assert [s.directory for s, _ in sets] == ["envs/dev", "envs/prod"]
    sets = _import_dir(ROOT / "tests" / "repos" / "providers")
    assert [s.directory for s, _ in sets] == ["deploy", "deploy/static/provider/aws", "deploy/static/provider/baremetal", "deploy/static/provider/kind"]
    # Without variants, one set, whatever the directories.
    assert [s.directory for s, _ in _import_dir(ROOT / "tests" / "repos" / "book")] == [""]


def test_the_realistic_corpus_is_three_times_shorter():
    # The goal of issue 14, measured as docs/import.md shows it (scripts/import_sizes.py).
    import importlib.util

    spec = importlib.util.spec_from_file_location("import_sizes", ROOT / "scripts" / "import_sizes.py")
    sizes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sizes)
    manifest = spec_lines = 0
    for name in sizes.REPOS:
        _, _, m, s = sizes._repo(ROOT / "tests" / "repos" / name)
        manifest += m
        spec_lines += s
    assert manifest >= 3 * spec_lines, (manifest, spec_lines)


def test_a_small_number_quantity_equals_its_text():
    def pod(divisor, memory):
        env = [{"name": "M", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": divisor}}}]
        c = {"name": "c", "image": "x:1", "env": env, "resources": {"limits": {"memory": memory}}}
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [c]}}

    assert compare.same(pod(1, 64), pod("1", "64"))
    assert not compare.same(pod(1, 64), pod("2", "64"))
    assert not compare.same(pod(1, 64), pod(1, "64Mi"))


def test_bytes_that_are_no_text_become_binary_data():
    import base64

    raw = base64.b64encode(b"\x00\x01\xfe\xff").decode()
    objects = [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "keys"}, "type": "Opaque", "data": {"k.p12": raw, "user": base64.b64encode(b"admin").decode()}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "assets"}, "data": {"a.txt": "hi"}, "binaryData": {"favicon.ico": raw}},
    ]
    [spec] = import_objects(objects)
    assert spec.verbatim == 0, spec.text
    assert f"binaryData: {{k.p12: {raw}}}" in spec.text and "user: admin" in spec.text
    _same_objects(objects, _render(spec.text))


def test_workload_labels_on_the_pod_template_only():
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ledger"},
           "spec": {"selector": {"matchLabels": {"app": "ledger"}},
                    "template": {"metadata": {"labels": {"app": "ledger", "version": "2"}, "annotations": {"prometheus.io/scrape": "true"}},
                                 "spec": {"containers": [{"name": "ledger", "image": "x:1"}]}}}}
    [spec] = import_objects([dep])
    assert spec.verbatim == 0, spec.text
    assert "    labels: {}\n    podLabels: {app: ledger, version: \"2\"}\n    podAnnotations: {prometheus.io/scrape: \"true\"}\n    selector: {app: ledger}\n" in spec.text
    _same_objects([dep], _render(spec.text))
    # A label of the workload that its pods lack: no shorthand says that.
    dep["metadata"]["labels"] = {"team": "ledger"}
    [spec] = import_objects([dep])
    assert spec.verbatim == 1
