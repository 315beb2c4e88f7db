"""The rules package as a whole: registry and docs, message format, version switches, warnings,
and robustness on objects with optional fields missing or null."""

from __future__ import annotations

import copy
import re

import pytest
from parity.loader import load_cases

from k8sgen.fieldpath import format_path
from k8sgen.validate import Context
from k8sgen.validate.rules import REGISTRY, RULES, check, rules_for

KINDS = ("Pod", "Service", "Endpoints", "EndpointSlice", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")
WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController", "PodTemplate")


def run(obj: dict, version: tuple = (1, 37)) -> list:
    return list(check(obj, Context(kube_version=version)))


def pod(**container) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "i", **container}]}}


def svc(**spec) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}], **spec}}


def test_registry_documents_every_rule() -> None:
    ids = [r[0] for r in RULES]
    assert len(ids) == len(set(ids)) == len(REGISTRY)
    for rule_id, kinds, doc in RULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id), rule_id
        assert kinds and set(kinds) <= set(KINDS) | set(WORKLOAD_KINDS) | {"Namespace", "ConfigMap", "Secret", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "*"}
        assert doc and "\n" not in doc


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_rules(kind: str) -> None:
    assert any(r.id.startswith("metadata-") for r in rules_for(kind))
    assert len(rules_for(kind)) >= 5


def test_unknown_kinds_get_only_the_metadata_rules_and_non_objects_are_ignored() -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "Bad Name"}, "spec": {"containers": 1}}
    assert [p.rule for p in run(widget)] == ["metadata-name"]
    assert run({**widget, "metadata": {"name": "ok"}}) == []
    assert run({"apiVersion": "v1", "kind": "List", "items": []}) == []
    assert run({"metadata": {}}) == []


def test_message_is_api_server_style() -> None:
    (p,) = run(pod(ports=[{"containerPort": 70000}]))
    assert p.rule == "pod-container-port" and p.severity == "error"
    assert p.path == ("spec", "containers", 0, "ports", 0, "containerPort")
    assert p.message == "Invalid value: 70000: must be between 1 and 65535, inclusive"
    assert p.pos is None


MESSAGES = [
    # (object, exact message of the single error) -- one per API-server error type
    (pod(image=""), "spec.containers[0].image: Required value"),
    ({**pod(), "spec": {"containers": [{"name": "c", "image": "i"}, {"name": "c", "image": "i"}]}},
     'spec.containers[1].name: Duplicate value: "c"'),
    (pod(ports=[{"containerPort": 80, "protocol": "HTTP"}]),
     'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'),
    ({**pod(), "spec": {"containers": [{"name": "c", "image": "i"}], "ephemeralContainers": [{"name": "d", "image": "i", "restartPolicy": "Always"}]}},
     "spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container"),
    (pod(volumeMounts=[{"name": "v", "mountPath": "/v"}]), 'spec.containers[0].volumeMounts[0].name: Not found: "v"'),
    (svc(ports=[{"name": "a", "port": 80}, {"port": 81, "name": "A"}]),
     'spec.ports[1].name: Invalid value: "A": a lowercase RFC 1123 label must consist of lower case alphanumeric '
     "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
     "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
    ({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"},
      "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"}},
     'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'),
    (pod(resources={"requests": {"memory": "1Gi"}, "limits": {"memory": "512Mi"}}),
     'spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi'),
]


@pytest.mark.parametrize("obj,message", MESSAGES)
def test_messages(obj: dict, message: str) -> None:
    assert [f"{format_path(p.path)}: {p.message}" for p in run(obj) if p.is_error] == [message]


VERSIONED = [
    # (object, version, expected path or None)
    (pod(env=[{"name": "1ST", "value": "x"}]), (1, 31), "spec.containers[0].env[0].name"),
    (pod(env=[{"name": "1ST", "value": "x"}]), (1, 35), None),
    (pod(env=[{"name": "A B", "value": "x"}]), (1, 31), "spec.containers[0].env[0].name"),
    (pod(env=[{"name": "A B", "value": "x"}]), (1, 36), None),
    (pod(envFrom=[{"prefix": "1_", "configMapRef": {"name": "c"}}]), (1, 31), "spec.containers[0].envFrom[0].prefix"),
    (svc(trafficDistribution="PreferSameZone"), (1, 33), "spec.trafficDistribution"),
    ({**svc(), "metadata": {"name": "1st"}}, (1, 35), "metadata.name"),
    ({**svc(), "metadata": {"name": "1st"}}, (1, 36), None),
    (pod(restartPolicy="Always"), (1, 34), "spec.containers[0].restartPolicy"),
    (pod(restartPolicy="Always"), (1, 35), None),
    ({**pod(), "spec": {"containers": [{"name": "c", "image": "i"}], "initContainers": [{"name": "i", "image": "i", "restartPolicy": "Never"}]}},
     (1, 34), "spec.initContainers[0].restartPolicy"),
    (pod(restartPolicyRules=[{"action": "Restart"}]), (1, 34), None),
    (pod(env=[{"name": "X", "valueFrom": {"fileKeyRef": {"volumeName": "v", "path": "e", "key": "X"}}}]), (1, 34),
     "spec.containers[0].env[0].valueFrom"),
    (pod(restartPolicyRules=[{"action": "Restart", "exitCodes": {"operator": "In", "values": [3]}}]), (1, 37), "spec.containers[0].restartPolicy"),
    (svc(trafficDistribution="PreferSameZone"), (1, 35), None),
]


@pytest.mark.parametrize("obj,version,path", VERSIONED)
def test_version_switches(obj: dict, version: tuple, path) -> None:
    errors = [format_path(p.path) for p in run(obj, version) if p.is_error]
    assert errors == ([path] if path else [])


WARNINGS = [
    (svc(type="NodePort", ports=[{"port": 80, "nodePort": 8080}]), "service-node-port", "spec.ports[0].nodePort"),
]


@pytest.mark.parametrize("obj,rule,path", WARNINGS)
def test_warnings(obj: dict, rule: str, path: str) -> None:
    _assert_single_warning(obj, rule, path, (1, 37))


def _assert_single_warning(obj: dict, rule: str, path: str, version: tuple) -> None:
    found = run(obj, version)
    assert [(p.severity, p.rule, format_path(p.path)) for p in found] == [("warning", rule, path)]
    assert found[0].hint


def test_hints_on_common_mistakes() -> None:
    (p,) = run(svc(ports=[{"port": 80, "targetPort": "8080"}]))
    assert "targetPort: 8080" in p.hint
    (p,) = [p for p in run(pod(volumeMounts=[{"name": "data", "mountPath": "/d"}])) if p.rule == "pod-volume-mount"]
    assert p.message == 'Not found: "data"' and "no volumes" in p.hint


def _subtrees(node: object, path: tuple = ()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,)
            yield from _subtrees(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path + (i,)
            yield from _subtrees(v, path + (i,))


def _replaced(obj: dict, path: tuple, value: object) -> dict:
    out = copy.deepcopy(obj)
    node = out
    for k in path[:-1]:
        node = node[k]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


_DELETE = object()
BASES = {c.kind for c in load_cases()}


@pytest.mark.parametrize("kind", sorted(BASES))
def test_no_crash_when_fields_are_missing_or_null(kind: str) -> None:
    # Every parity object of the kind with each field in turn deleted, or set to null: the schema
    # stage lets optional fields be absent, so rules must cope.
    objects = [c.obj for c in load_cases() if c.kind == kind]
    for obj in objects:
        for path in _subtrees(obj):
            if path in (("kind",),):
                continue
            for value in (_DELETE, None):
                run(_replaced(obj, path, value))


def test_generated_docs_are_current() -> None:
    from pathlib import Path

    from k8sgen.validate.rules import doc

    path = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == doc.render(), "run python3 -m k8sgen.validate.rules.doc"
    for rule_id, _, _ in RULES:
        assert f"`{rule_id}`" in doc.render()


@pytest.mark.parametrize("size,ok", [(256 * 1024, True), (256 * 1024 + 1, False)])
def test_total_annotation_size(size: int, ok: bool) -> None:
    key = "example.com/blob"
    obj = {**pod(), "metadata": {"name": "p", "annotations": {key: "x" * (size - len(key))}}}
    found = [p for p in run(obj) if p.rule == "metadata-annotations"]
    assert (found == []) is ok
    if not ok:
        assert found[0].message == "Too long: must have at most 262144 bytes" and found[0].path == ("metadata", "annotations")


def test_version_notes_name_real_rules() -> None:
    from k8sgen.validate.rules import VERSION_NOTES

    for since, rule_id, what in VERSION_NOTES:
        assert rule_id in REGISTRY and what and since >= (1, 30)


@pytest.mark.parametrize("obj,hint", [
    (pod(ports=[{"containerPort": 80, "protocol": "tcp"}]), 'did you mean "TCP"?'),
    (pod(env=[{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodename"}}}]), 'did you mean "spec.nodeName"?'),
    (svc(type="Nodeport"), 'did you mean "NodePort"?'),
])
def test_did_you_mean(obj: dict, hint: str) -> None:
    assert [p.hint for p in run(obj) if p.is_error] == [hint]


ENDPOINTS_010 = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "e"}, "subsets": [{"addresses": [{"ip": "010.0.0.1"}]}]}


def test_non_standard_ip_is_a_warning_before_strict_validation() -> None:
    _assert_single_warning(ENDPOINTS_010, "endpoints-address", "subsets[0].addresses[0].ip", (1, 35))


@pytest.mark.parametrize("obj,path", [
    (ENDPOINTS_010, "subsets[0].addresses[0].ip"),
    (svc(clusterIP="::ffff:10.0.0.1"), "spec.clusterIP"),
    (svc(type="LoadBalancer", loadBalancerSourceRanges=["010.0.0.0/8"]), "spec.loadBalancerSourceRanges[0]"),
])
def test_non_standard_ip_is_an_error_from_1_36(obj: dict, path: str) -> None:
    errors = [format_path(p.path) for p in run(obj, (1, 36)) if p.is_error]
    assert errors == [path]


def test_a_custom_kind_named_like_a_builtin_one_gets_the_custom_resource_name_rule() -> None:
    # Volcano's batch.volcano.sh Job, a CRD's own Role: DNS-1123 subdomains, like every custom resource.
    for kind in ("Job", "Role"):
        obj = {"apiVersion": "batch.volcano.sh/v1alpha1", "kind": kind, "metadata": {"name": "Bad_Name"}}
        assert [p.rule for p in run(obj)] == ["metadata-name"]
    # The built-in Role's name only needs to be a path segment.
    assert run({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "Bad_Name"}, "rules": []}) == []


def test_review_requests_need_no_name_and_other_builtin_kinds_a_path_segment() -> None:
    assert run({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "metadata": {},
                "spec": {"resourceAttributes": {"verb": "get", "resource": "pods"}}}) == []
    flow = {"apiVersion": "flowcontrol.apiserver.k8s.io/v1", "kind": "FlowSchema", "metadata": {"name": "a/b"}, "spec": {}}
    assert [p.message for p in run(flow)] == ['Invalid value: "a/b": may not contain \'/\'']
