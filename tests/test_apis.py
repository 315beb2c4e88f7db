"""Removed and deprecated API versions (k8sgen/validate/apis.py) through the schema stage."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import require_module

from k8sgen.validate import apis
from k8sgen.validate.k8s_schema import SUPPORTED_VERSIONS, check, kinds


def _kind_problems(obj, version="1.37"):
    return [(p.rule, p.severity, p.path, p.message, p.hint) for p in check(obj, version) if p.rule.startswith("k8s-api") or p.rule == "k8s-kind"]


@pytest.mark.parametrize(
    "api_version, kind, removed_in, use",
    [
        ("extensions/v1beta1", "Deployment", "1.16", "use apiVersion: apps/v1"),
        ("extensions/v1beta1", "DaemonSet", "1.16", "use apiVersion: apps/v1"),
        ("extensions/v1beta1", "ReplicaSet", "1.16", "use apiVersion: apps/v1"),
        ("extensions/v1beta1", "NetworkPolicy", "1.16", "use apiVersion: networking.k8s.io/v1"),
        ("extensions/v1beta1", "Ingress", "1.22", "use apiVersion: networking.k8s.io/v1"),
        ("apps/v1beta1", "StatefulSet", "1.16", "use apiVersion: apps/v1"),
        ("apps/v1beta2", "Deployment", "1.16", "use apiVersion: apps/v1"),
        ("batch/v1beta1", "CronJob", "1.25", "use apiVersion: batch/v1"),
        ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "1.22", "use apiVersion: rbac.authorization.k8s.io/v1"),
        ("policy/v1beta1", "PodDisruptionBudget", "1.25", "use apiVersion: policy/v1"),
        ("policy/v1beta1", "PodSecurityPolicy", "1.25", "Pod Security Admission (no replacement kind)"),
        ("networking.k8s.io/v1beta1", "Ingress", "1.22", "use apiVersion: networking.k8s.io/v1"),
        ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", "use apiVersion: apiextensions.k8s.io/v1"),
        ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "1.22", "use apiVersion: admissionregistration.k8s.io/v1"),
        ("storage.k8s.io/v1beta1", "CSIDriver", "1.22", "use apiVersion: storage.k8s.io/v1"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "use apiVersion: autoscaling/v2"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", "use apiVersion: flowcontrol.apiserver.k8s.io/v1"),
        ("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "use apiVersion: discovery.k8s.io/v1"),
        ("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", "use apiVersion: scheduling.k8s.io/v1"),
        ("node.k8s.io/v1beta1", "RuntimeClass", "1.25", "use apiVersion: node.k8s.io/v1"),
        # A kind the table does not list, in a group-version removed as a whole.
        ("extensions/v1beta1", "ReplicationControllerDummy", "1.22", ""),
    ],
)
def test_a_removed_api_version_is_an_error_naming_its_removal_and_replacement(api_version, kind, removed_in, use):
    for version in SUPPORTED_VERSIONS:
        obj = {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}
        assert _kind_problems(obj, version) == [(
            "k8s-api-removed", "error", ("apiVersion",),
            f"{api_version} {kind} was removed in Kubernetes {removed_in} (no longer served by {version})", use,
        )]


def test_a_removal_applies_from_its_version_on():
    obj = {"apiVersion": "networking.k8s.io/v1beta1", "kind": "ServiceCIDR", "metadata": {"name": "x"}, "spec": {}}
    assert [p[0] for p in _kind_problems(obj, "1.36")] == ["k8s-api-deprecated"]  # still served, GA exists
    assert [p[0] for p in _kind_problems(obj, "1.37")] == ["k8s-api-removed"]


def test_endpoints_are_deprecated_in_favour_of_endpointslices():
    obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "x"}}
    for version in SUPPORTED_VERSIONS:
        assert _kind_problems(obj, version) == [(
            "k8s-api-deprecated", "warning", ("kind",), "v1 Endpoints is deprecated since Kubernetes 1.33",
            "use discovery.k8s.io/v1 EndpointSlice",
        )]


def test_a_beta_version_with_a_ga_successor_is_a_warning():
    obj = {"apiVersion": "resource.k8s.io/v1beta2", "kind": "DeviceClass", "metadata": {"name": "gpu"}, "spec": {}}
    (p,) = _kind_problems(obj)
    assert p[:2] == ("k8s-api-deprecated", "warning") and p[4] == "use apiVersion: resource.k8s.io/v1"


def test_an_alpha_api_is_a_warning_that_it_must_be_enabled():
    obj = {"apiVersion": "coordination.k8s.io/v1alpha2", "kind": "LeaseCandidate", "metadata": {"name": "x"}}
    assert [p[:2] for p in _kind_problems(obj)] == [("k8s-api-alpha", "warning")]


def test_ga_versions_get_no_api_notes():
    for key in [("apps/v1", "Deployment"), ("v1", "Pod"), ("batch/v1", "CronJob"), ("networking.k8s.io/v1", "Ingress")]:
        obj = {"apiVersion": key[0], "kind": key[1], "metadata": {"name": "x"}}
        assert _kind_problems(obj) == []


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_nothing_served_is_listed_as_removed(version):
    target = tuple(int(p) for p in version.split("."))
    served = kinds(version)
    assert not [key for key in served if apis.removed(*key, target)]
    assert not [key for key in apis.DEPRECATED if key not in served]


def _wheel_kinds(minor: int) -> set | None:
    kv = require_module("kubernetes_validate")
    folder = Path(kv.__file__).resolve().parent / "kubernetes-json-schema" / f"v1.{minor}.0-local-strict"
    if not folder.is_dir():
        return None
    out = set()
    for f in folder.glob("*.json"):
        if f.name in ("_definitions.json", "all.json"):
            continue
        gvk = json.loads(f.read_bytes()).get("x-kubernetes-group-version-kind") or []
        if len(gvk) == 1 and not gvk[0]["kind"].endswith("List") and gvk[0]["kind"] != "Status":
            g = gvk[0]
            out.add((f"{g['group']}/{g['version']}" if g["group"] else g["version"], g["kind"]))
    return out


def test_the_table_agrees_with_the_schemas_of_every_minor_in_the_wheel():
    """Every kind served by 1.N-1 and not by 1.N is listed as removed in 1.N, and the reverse."""
    first = _wheel_kinds(25)
    if first is None:
        if os.environ.get("K8SGEN_CI"):
            pytest.fail("kubernetes-validate has no 1.25 schemas")
        pytest.skip("kubernetes-validate has no 1.25 schemas")
    prev = first
    for minor in range(26, 38):
        cur = _wheel_kinds(minor)
        gone = prev - cur
        listed = {key for key, (since, _use) in apis.REMOVED.items() if since == (1, minor)}
        assert gone == listed, f"1.{minor}"
        prev = cur
    # Removed before 1.25: none of them is in the 1.25 schemas.
    early = {key for key, (since, _use) in apis.REMOVED.items() if since <= (1, 25)}
    assert not early & first
