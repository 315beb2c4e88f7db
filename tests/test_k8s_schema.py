"""The schema stage: vendored files, kind dispatch, and the problems of invalid objects."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import require_module
from k8s_schema_examples import ACCEPTED, DELETE, INVALID, VALID, mutate

from k8sgen.errors import InputError
from k8sgen.validate import k8s_schema
from k8sgen.validate.k8s_schema import (
    DEFAULT_VERSION,
    SUPPORTED_VERSIONS,
    check,
    has_schema,
    kinds,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas" / "k8s"
SOURCES = json.loads((SCHEMAS / "SOURCES.json").read_text())


def _problems(obj, version=DEFAULT_VERSION):
    # The Endpoints deprecation warning has tests of its own (tests/test_apis.py).
    return [(p.rule, p.path) for p in check(obj, version) if p.rule != "k8s-api-deprecated"]


# --- the vendored files ---------------------------------------------------------------------


def test_every_vendored_file_matches_its_recorded_checksum():
    recorded = {
        f"v{version}/{name}": meta["sha256"]
        for version, entry in SOURCES["versions"].items()
        for name, meta in entry["files"].items()
    }
    on_disk = {str(p.relative_to(SCHEMAS)): hashlib.sha256(p.read_bytes()).hexdigest() for p in SCHEMAS.glob("v*/*.json")}
    assert on_disk == recorded


def test_sources_cover_every_supported_version_and_kind():
    assert sorted(SOURCES["versions"]) == sorted(SUPPORTED_VERSIONS)
    for version, entry in SOURCES["versions"].items():
        recorded = {(m["apiVersion"], m["kind"]) for m in entry["files"].values() if "kind" in m}
        assert recorded == set(kinds(version))
        assert {"_definitions.json", "_index.json"} <= set(entry["files"])
    assert SOURCES["package"] == "kubernetes-validate" and len(SOURCES["wheel_sha256"]) == 64


# Every built-in kind an install bundle or a book example is likely to hold, per version.
EVERYDAY_KINDS = [
    ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"), ("apps/v1", "ReplicaSet"),
    ("batch/v1", "Job"), ("batch/v1", "CronJob"), ("v1", "ReplicationController"), ("v1", "PodTemplate"),
    ("v1", "PersistentVolume"), ("v1", "PersistentVolumeClaim"), ("v1", "LimitRange"), ("v1", "ResourceQuota"),
    ("networking.k8s.io/v1", "Ingress"), ("networking.k8s.io/v1", "IngressClass"), ("networking.k8s.io/v1", "NetworkPolicy"),
    ("policy/v1", "PodDisruptionBudget"), ("autoscaling/v2", "HorizontalPodAutoscaler"), ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"), ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"), ("scheduling.k8s.io/v1", "PriorityClass"),
    ("storage.k8s.io/v1", "StorageClass"), ("storage.k8s.io/v1", "CSIDriver"), ("node.k8s.io/v1", "RuntimeClass"),
    ("coordination.k8s.io/v1", "Lease"), ("apiregistration.k8s.io/v1", "APIService"), ("v1", "Node"),
    ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"), ("certificates.k8s.io/v1", "CertificateSigningRequest"),
]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_everyday_builtin_kind_is_vendored(version):
    missing = [key for key in EVERYDAY_KINDS if key not in kinds(version)]
    assert not missing
    assert len(kinds(version)) >= 90
    # Lists and discovery documents are not objects to check.
    assert not [k for k in kinds(version) if k[1].endswith("List") or k[1] in ("Status", "APIGroup")]


def test_the_vendored_schemas_stay_small():
    total = sum(p.stat().st_size for p in SCHEMAS.rglob("*.json"))
    assert total < 4_000_000, f"schemas/k8s holds {total} bytes"


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_vendored_entries_only_point_into_the_shared_definitions(version):
    folder = SCHEMAS / f"v{version}"
    text = (folder / "_definitions.json").read_text()
    defs = json.loads(text)
    assert "/api/_definitions.json" not in text and '"description":"' not in text
    # One definition per line: what LazyDefs reads.
    assert len(text.splitlines()) == len(defs) + 2
    reached = set()
    for stem in json.loads((folder / "_index.json").read_text()).values():
        entry = json.loads((folder / f"{stem}.json").read_text())
        assert "$defs" not in entry
        reached |= {r.split("/")[-1] for r in _all_refs(entry)}
    for d in defs.values():
        reached |= {r.split("/")[-1] for r in _all_refs(d)}
    assert reached == set(defs), "exactly the reachable definitions are kept"


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_a_loaded_schema_is_self_contained(version):
    for key in [("v1", "Pod"), ("apps/v1", "Deployment"), ("apiextensions.k8s.io/v1", "CustomResourceDefinition")]:
        schema = k8s_schema.load_schema(*key, version)
        assert {r.split("/")[-1] for r in _all_refs(schema)} == set(schema["$defs"])


def test_a_configmap_parses_only_the_definitions_it_reaches():
    k8s_schema.definitions.cache_clear()
    k8s_schema.load_schema.cache_clear()
    try:
        k8s_schema.load_schema("v1", "ConfigMap", "1.36")
        defs = k8s_schema.definitions("1.36")
        assert 0 < len(defs._parsed) < 20 < len(defs.names())
    finally:
        k8s_schema.definitions.cache_clear()
        k8s_schema.load_schema.cache_clear()


def _all_refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):  # JSONSchemaProps has a *property* named $ref
                yield v
            else:
                yield from _all_refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _all_refs(v)


def test_vendoring_is_reproducible_from_the_installed_wheel_contents():
    """Re-running the vendor script on kubernetes-validate's files gives the committed bytes."""
    kv = require_module("kubernetes_validate")
    from importlib.metadata import version

    if version("kubernetes-validate") != SOURCES["version"]:
        if os.environ.get("K8SGEN_CI"):  # CI installs the pinned test extra: a mismatch is a bug
            pytest.fail(f"kubernetes-validate {version('kubernetes-validate')} installed, {SOURCES['version']} vendored")
        pytest.skip(f"kubernetes-validate {version('kubernetes-validate')} installed, {SOURCES['version']} vendored")
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor_k8s_schemas", ROOT / "scripts" / "vendor_k8s_schemas.py")
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    site = Path(kv.__file__).resolve().parent.parent
    built = vendor.build_from_site_packages(site, SOURCES["wheel"], SOURCES["wheel_sha256"])
    for rel, data in built.items():
        assert (SCHEMAS / rel).read_bytes() == data, rel


def test_schemas_load_through_package_resources_for_every_version_and_kind():
    for version in SUPPORTED_VERSIONS:
        for api_version, kind in kinds(version):
            schema = k8s_schema.load_schema(api_version, kind, version)
            gvk = schema["x-kubernetes-group-version-kind"][0]
            assert gvk["kind"] == kind


# --- kinds and versions --------------------------------------------------------------------


@pytest.mark.parametrize(
    "api_version, kind, expected",
    [
        ("v1", "Pod", True),
        ("discovery.k8s.io/v1", "EndpointSlice", True),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", True),
        ("v1", "Role", False),
        ("apps/v1", "Deployment", True),
        ("batch/v1", "CronJob", True),
        ("v1", "PersistentVolumeClaim", True),
        ("extensions/v1beta1", "Deployment", False),
        ("v1", "PodList", False),
        ("example.com/v1", "Widget", False),
        ("v1", "pod", False),
    ],
)
def test_has_schema(api_version, kind, expected):
    for version in SUPPORTED_VERSIONS + ("v1.37.1",):
        assert has_schema(api_version, kind, version) is expected
    assert has_schema(api_version, kind, "1.20") is False


@pytest.mark.parametrize("version", ["1.37", "v1.37", "1.37.4", "1.35", "v1.36.0"])
def test_version_spellings(version):
    assert list(check(VALID["pod"], version)) == []


@pytest.mark.parametrize("version", ["1.34", "2.0", "latest", ""])
def test_unsupported_version_is_a_usage_error(version):
    with pytest.raises(InputError) as info:
        list(check(VALID["pod"], version))
    assert info.value.problems[0].rule == "k8s-version"
    assert "1.35, 1.36, 1.37" in info.value.problems[0].hint


@pytest.mark.parametrize(
    "obj, severity, path, message",
    [
        ({"apiVersion": "v1", "kind": "PodList"}, "warning", ("kind",), "no schema for kind PodList in Kubernetes 1.37; not checked"),
        # A built-in group serves only its own kinds: the API server answers "no matches for kind".
        ({"apiVersion": "v1", "kind": "Pdo"}, "error", ("kind",), 'no kind "Pdo" is registered for version "v1" in Kubernetes 1.37'),
        ({"apiVersion": "apps/v1beta3", "kind": "Deployment"}, "error", ("apiVersion",),
         'no kind "Deployment" is registered for version "apps/v1beta3" in Kubernetes 1.37'),
        ({"kind": "Pod"}, "error", ("apiVersion",), "Required value"),
        ({"apiVersion": "v1"}, "error", ("kind",), "Required value"),
        ({"apiVersion": "v1", "kind": 3}, "error", ("kind",), "expected string, got integer"),
        ([], "error", (), "expected an object, got array"),
    ],
)
def test_kind_problems(obj, severity, path, message):
    (p,) = list(check(obj, "1.37"))
    assert (p.rule, p.severity, p.path, p.message) == ("k8s-kind", severity, path, message)


def test_kind_hints():
    (p,) = check({"apiVersion": "v1", "kind": "Pdo"}, "1.37")
    assert p.hint == "did you mean Pod?"
    (p,) = check({"apiVersion": "v1", "kind": "ClusterRole"}, "1.37")
    assert p.hint == "use apiVersion: rbac.authorization.k8s.io/v1"
    (p,) = check({"apiVersion": "example.com/v1", "kind": "Widget"}, "1.37")
    assert (p.rule, p.severity, p.path) == ("k8s-custom-resource", "warning", ("kind",))
    assert p.message == "no CustomResourceDefinition for Widget (example.com/v1) among the inputs; not checked"
    assert p.hint == "pass its CustomResourceDefinition along (e.g. the install bundle's CRDs) to check these objects"


# --- objects -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_objects_have_no_problems(name, version):
    assert _problems(VALID[name], version) == []


@pytest.mark.parametrize("name, base, changes", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_oddities(name, base, changes):
    assert _problems(mutate(VALID[base], changes)) == []


@pytest.mark.parametrize("name, base, changes, expected", INVALID, ids=[c[0] for c in INVALID])
def test_invalid_objects(name, base, changes, expected):
    for version in SUPPORTED_VERSIONS:
        want = expected[version] if isinstance(expected, dict) else expected
        assert _problems(mutate(VALID[base], changes), version) == want


@pytest.mark.parametrize(
    "changes, message, hint",
    [
        ([(("spec", "containers", 0, "imagee"), "x")], 'unknown field "imagee"', 'did you mean "image"?'),
        ([(("spec", "containers", 0, "zzzz"), "x")], 'unknown field "zzzz"', ""),
        ([(("spec", "containers", 0, "name"), None)], "expected string, got null", ""),
        ([(("spec", "containers", 0, "ports", 0, "containerPort"), "8080")], "expected integer, got string", "write the number without quotes"),
        ([(("spec", "containers", 0, "image"), 5)], "expected string, got integer", 'quote the value: "5"'),
        ([(("spec", "containers", 0, "resources", "limits", "cpu"), [])], "expected string or number, got array", ""),
        ([(("spec", "containers", 0, "readinessProbe", "httpGet", "port"), None)], "expected string or integer, got null", ""),
        ([(("spec", "containers"), None)], "expected array, got null", ""),
        ([(("spec", "containers"), DELETE)], "Required value", "set spec.containers"),
    ],
)
def test_messages_and_hints(changes, message, hint):
    (p,) = check(mutate(VALID["pod"], changes), "1.37")
    assert p.message == message
    if hint:
        assert p.hint == hint
    elif p.rule == "k8s-schema-unknown-field":
        assert p.hint.startswith("known fields here: ")


def test_enum_message_in_api_server_words():
    from k8sgen.validate.k8s_schema import RawError, problems_from

    (p,) = problems_from([RawError("enum", ("spec", "type"), (("ClusterIP", "NodePort"), '"Foo"'))])
    assert p.message == 'Unsupported value: "Foo": supported values: "ClusterIP", "NodePort"'
    assert p.rule == "k8s-schema-enum"


def test_problems_leave_position_and_object_to_the_caller():
    (p,) = check(mutate(VALID["pod"], [(("spec", "containers", 0, "imagee"), "x")]), "1.37")
    assert p.pos is None and p.object == "" and p.severity == "error"


# --- through the validation pipeline, from YAML text -----------------------------------------

MANIFEST = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      imagee: nginx:1.27
      ports:
        - containerPort: "8080"
    - image: busybox
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: web
"""


def test_problems_get_positions_and_objects_from_the_pipeline():
    from k8sgen.validate import Manifest, validate_manifests
    from k8sgen.yamlio import load_documents

    docs = load_documents(MANIFEST, "pod.yaml")
    problems = validate_manifests([Manifest(obj=d.data, locate=d.locate) for d in docs], "1.37")
    got = sorted((str(p.pos), p.severity, p.rule, p.object, p.message) for p in problems)
    assert got == [
        ("pod.yaml:10:26", "error", "k8s-schema-type", "Pod/web", "expected integer, got string"),
        ("pod.yaml:11:7", "error", "k8s-schema-required", "Pod/web", "Required value"),
        ("pod.yaml:14:7", "warning", "k8s-custom-resource", "Widget/web", "no CustomResourceDefinition for Widget (example.com/v1) among the inputs; not checked"),
        # An unknown field is located at its key, not its value.
        ("pod.yaml:8:7", "error", "k8s-schema-unknown-field", "Pod/web", 'unknown field "imagee"'),
    ]


def test_a_valid_check_needs_neither_jsonschema_nor_difflib():
    """What a CLI run imports for the schema stage: the cost guard of issue 6."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from k8sgen.validate import k8s_schema\n"
        "obj = {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'x'},"
        " 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}\n"
        "assert list(k8s_schema.check(obj, '1.37')) == []\n"
        "print(sorted(m for m in ('jsonschema', 'difflib', 'referencing') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
