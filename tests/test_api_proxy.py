"""The api-proxy ambassador that `apiProxy` adds: k8sgen's own container meets k8sgen's own
default lint profile, `apiProxy.securityContext` replaces k8sgen's choice, and the importer
folds both the hardened and the pre-hardening form back into `apiProxy` exactly."""

from __future__ import annotations

import copy

import pytest
import yaml

from k8sgen import apiproxy
from k8sgen.errors import SpecError
from k8sgen.importer import compare, import_objects
from k8sgen.pipeline import parse_spec_text, render_specs

ACCOUNT = {"reader": {"rules": [{"resources": ["pods"], "verbs": ["get"]}]}}
RES = {"limits": {"cpu": "100m", "memory": "64Mi"}}
HARDENED_APP = {
    "image": "curlimages/curl:8.11.1", "serviceAccount": "reader", "apiProxy": True, "resources": RES,
    "podSecurityContext": {"runAsNonRoot": True, "runAsUser": 100, "seccompProfile": {"type": "RuntimeDefault"}},
    "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}},
    "readinessProbe": {"exec": {"command": ["curl", "-sf", "http://localhost:8001/readyz"]}},
    "livenessProbe": {"exec": {"command": ["true"]}},
}
OLD_FORM = {
    "name": "api-proxy", "image": "registry.k8s.io/kubectl:v1.33.0",
    "args": ["proxy", "--port=8001", "--address=127.0.0.1", "--accept-hosts=^localhost$,^127\\.0\\.0\\.1$"],
    "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}, "requests": {"cpu": "10m", "memory": "32Mi"}},
}


def _result(spec: dict, profile: str | None = None):
    return render_specs([spec], profile=profile)


def _objects(spec: dict) -> list:
    result = _result(spec)
    assert result.errors == [], result.errors
    return [r.obj for r in result.objects]


def _pod_spec(obj: dict) -> dict:
    spec = obj["spec"]
    return spec["template"]["spec"] if "template" in spec else spec


def _proxy_container(spec: dict, kind: str = "Pod") -> dict:
    [obj] = [o for o in _objects(spec) if o["kind"] == kind]
    [c] = [c for c in _pod_spec(obj)["containers"] if c["name"] == "api-proxy"]
    return c


def _on_proxy(warning, containers_index: int = 1) -> bool:
    path = warning.path
    return any(path[i] == "containers" and path[i + 1] == containers_index for i in range(len(path) - 1)) or "api-proxy" in warning.message


# --- k8sgen's container meets k8sgen's default profile ---------------------------------------


@pytest.mark.parametrize("profile", [None, "recommended", "restricted"])
@pytest.mark.parametrize("spec", [
    {"pods": {"web": {"image": "nginx:1.27", "apiProxy": True}}},
    {"pods": {"web": {"image": "nginx:1.27", "apiProxy": {"port": 8002, "image": "registry.k8s.io/kubectl:v1.32.0"}}}},
    {"pods": {"web": {"image": "nginx:1.27", "apiProxy": True, "podSecurityContext": {"runAsUser": 0}}}},
    {"pods": {"web": {"image": "nginx:1.27", "apiProxy": True, "podSecurityContext": {"runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}}}}},
    {"serviceAccounts": ACCOUNT, "deployments": {"api": {**HARDENED_APP, "replicas": 2}}},
], ids=["minimal", "settings", "pod-root", "pod-uid", "deployment"])
def test_the_proxy_container_gets_no_warning(spec, profile):
    result = _result(spec, profile)
    assert result.errors == []
    assert [w for w in result.warnings if _on_proxy(w)] == []


def test_a_hardened_app_with_the_proxy_needs_no_silencing():
    # The examples' story: once the user's own container is hardened, nothing is left to silence.
    result = _result({"serviceAccounts": ACCOUNT, "pods": {"curl": HARDENED_APP}})
    assert (result.errors, result.warnings) == ([], [])


def test_the_default_security_context_when_the_pod_names_no_uid():
    c = _proxy_container({"pods": {"web": {"image": "nginx:1.27", "apiProxy": True}}})
    assert c["securityContext"] == {
        "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": True,
        "runAsNonRoot": True, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert "readinessProbe" not in c and "livenessProbe" not in c


def test_the_proxy_follows_the_pods_uid_and_seccomp_profile():
    pod_sc = {"runAsUser": 100, "seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}
    c = _proxy_container({"pods": {"web": {"image": "nginx:1.27", "apiProxy": True, "podSecurityContext": pod_sc}}})
    assert "runAsUser" not in c["securityContext"] and "seccompProfile" not in c["securityContext"]
    assert c["securityContext"]["runAsNonRoot"] is True


def test_a_root_pod_uid_is_not_followed():
    # runAsNonRoot: true under a pod-level uid 0 would keep the proxy from starting.
    c = _proxy_container({"pods": {"web": {"image": "nginx:1.27", "apiProxy": True, "podSecurityContext": {"runAsUser": 0}}}})
    assert c["securityContext"]["runAsUser"] == 65532


def test_lint_probes_still_asks_the_users_containers():
    result = _result({"pods": {"web": {"image": "nginx:1.27", "apiProxy": True}}})
    probes = [w for w in result.warnings if w.rule == "lint-probes"]
    assert len(probes) == 2 and all(w.path[:3] == ("spec", "containers", 0) for w in probes)


@pytest.mark.parametrize("change", [
    {"name": "proxy"},
    {"args": ["proxy", "--port=8001", "--address=0.0.0.0", "--accept-hosts=^localhost$,^127\\.0\\.0\\.1$"]},
    {"args": ["proxy", "--port=8001"]},
])
def test_only_k8sgens_own_proxy_is_exempt_from_lint_probes(change):
    assert apiproxy.is_ambassador(OLD_FORM)
    container = {**OLD_FORM, **change}
    assert not apiproxy.is_ambassador(container)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
           "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "readinessProbe": {"exec": {"command": ["true"]}},
                                    "livenessProbe": {"tcpSocket": {"port": 80}}}, container]}}
    result = _result({"manifests": [pod]})
    assert result.errors == []
    assert sorted(w.path for w in result.warnings if w.rule == "lint-probes") == [("spec", "containers", 1, "livenessProbe"), ("spec", "containers", 1, "readinessProbe")]


# --- apiProxy.securityContext replaces k8sgen's ---------------------------------------------


def test_the_users_security_context_replaces_k8sgens_whole():
    sc = {"runAsNonRoot": True, "runAsUser": 1000650000}
    c = _proxy_container({"pods": {"web": {"image": "nginx:1.27", "apiProxy": {"securityContext": sc}}}})
    assert c["securityContext"] == sc
    result = _result({"pods": {"web": {"image": "nginx:1.27", "apiProxy": {"securityContext": sc}}}})
    # What the user left out is theirs to answer for now, at their own line.
    rules = sorted(w.rule for w in result.warnings if _on_proxy(w))
    assert rules == ["lint-drop-net-raw", "lint-privilege-escalation", "lint-read-only-root-fs"]


def test_an_empty_security_context_renders_none():
    c = _proxy_container({"pods": {"web": {"image": "nginx:1.27", "apiProxy": {"securityContext": {}}}}})
    assert "securityContext" not in c


def test_a_bad_security_context_is_reported_at_its_line():
    text = "pods:\n  web:\n    image: nginx:1.27\n    apiProxy:\n      securityContext: {runAsUser: \"x\"}\n"
    result = render_specs([parse_spec_text(text, "spec.yaml")])
    [e] = result.errors
    assert e.path == ("spec", "containers", 1, "securityContext", "runAsUser")
    assert (e.pos.file, e.pos.line) == ("spec.yaml", 5)


def test_a_security_context_that_is_not_a_mapping_is_a_spec_error():
    text = "pods:\n  web:\n    image: nginx:1.27\n    apiProxy:\n      securityContext: [runAsNonRoot]\n"
    with pytest.raises(SpecError) as e:
        render_specs([parse_spec_text(text, "spec.yaml")])
    assert [(p.pos.line, p.path[-2:]) for p in e.value.problems] == [(5, ("apiProxy", "securityContext"))]


# --- the importer folds both forms back ------------------------------------------------------


def _import_one(objects: list) -> dict:
    [spec] = import_objects(objects)
    return spec


def _same(before: list, after: list) -> None:
    assert {compare.key(o): compare.canonical(o) for o in after} == {compare.key(o): compare.canonical(o) for o in before}


def _round_trip(objects: list) -> dict:
    spec = _import_one(objects)
    result = render_specs([parse_spec_text(spec.text, "imported.yaml")])
    assert result.errors == [], result.errors
    _same(objects, [r.obj for r in result.objects])
    return yaml.safe_load(spec.text)


@pytest.mark.parametrize("spec", [
    {"pods": {"web": {"image": "nginx:1.27", "apiProxy": True}}},
    {"pods": {"web": {"image": "nginx:1.27", "apiProxy": {"port": 8002}, "podSecurityContext": {"runAsUser": 100}}}},
    {"serviceAccounts": ACCOUNT, "deployments": {"api": HARDENED_APP}},
], ids=["minimal", "pod-uid", "deployment"])
def test_the_hardened_form_imports_as_api_proxy(spec):
    objects = _objects(spec)
    imported = _round_trip(objects)
    entries = imported.get("pods") or imported.get("deployments")
    [entry] = entries.values()
    want = (spec.get("pods") or spec.get("deployments"))
    assert entry["apiProxy"] == next(iter(want.values()))["apiProxy"]


def _pod_with(proxy: dict, pod_sc: dict | None = None) -> dict:
    spec = {"serviceAccountName": "reader", "containers": [{"name": "web", "image": "nginx:1.27"}, proxy]}
    if pod_sc is not None:
        spec["securityContext"] = pod_sc
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"}, "spec": spec}


def test_the_old_form_imports_as_api_proxy_without_a_security_context():
    imported = _round_trip([_pod_with(copy.deepcopy(OLD_FORM))])
    assert imported["pods"]["web"]["apiProxy"] == {"securityContext": {}}


@pytest.mark.parametrize("sc, pod_sc", [
    ({"runAsNonRoot": True, "runAsUser": 1000650000}, None),
    # k8sgen's choice for another pod: here it differs, so it is kept as written.
    (apiproxy.security_context(None), {"runAsUser": 100}),
    (apiproxy.security_context({"runAsUser": 100}), None),
], ids=["custom", "default-of-no-uid", "default-of-a-uid"])
def test_another_security_context_imports_as_the_setting(sc, pod_sc):
    imported = _round_trip([_pod_with({**copy.deepcopy(OLD_FORM), "securityContext": sc}, pod_sc)])
    assert imported["pods"]["web"]["apiProxy"] == {"securityContext": sc}


@pytest.mark.parametrize("change", [
    {"env": [{"name": "X", "value": "1"}]},
    {"args": ["proxy", "--port=08001", "--address=127.0.0.1", "--accept-hosts=^localhost$,^127\\.0\\.0\\.1$"]},
    {"args": ["proxy", "--port=0", "--address=127.0.0.1", "--accept-hosts=^localhost$,^127\\.0\\.0\\.1$"]},
    {"resources": {"limits": {"cpu": "1", "memory": "64Mi"}}},
], ids=["extra-field", "port-spelling", "port-zero", "resources"])
def test_a_container_k8sgen_would_not_render_stays_a_container(change):
    imported = _round_trip([_pod_with({**copy.deepcopy(OLD_FORM), **change})])
    entry = imported["pods"]["web"]
    assert "apiProxy" not in entry and "api-proxy" in entry["containers"]
