"""The schema stage: vendored files, kind dispatch, and the problems of invalid objects."""

from __future__ import annotations

import os

import hashlib
import json
from pathlib import Path

import pytest

from k8s_schema_examples import ACCEPTED, DELETE, INVALID, VALID, mutate
from k8sgen.errors import InputError
from k8sgen.validate import k8s_schema
from k8sgen.validate.k8s_schema import DEFAULT_VERSION, KINDS, SUPPORTED_VERSIONS, check, has_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas" / "k8s"
SOURCES = json.loads((SCHEMAS / "SOURCES.json").read_text())


def _problems(obj, version=DEFAULT_VERSION):
    return [(p.rule, p.path) for p in check(obj, version)]


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
    for entry in SOURCES["versions"].values():
        assert {(m["apiVersion"], m["kind"]) for m in entry["files"].values()} == set(KINDS)
    assert SOURCES["package"] == "kubernetes-validate" and len(SOURCES["wheel_sha256"]) == 64


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("v*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_vendored_schema_is_self_contained(path):
    schema = json.loads(path.read_bytes())
    text = path.read_text()
    assert "/api/_definitions.json" not in text and '"description":"' not in text
    refs = {r.split("/")[-1] for r in _all_refs(schema)}
    assert refs == set(schema.get("$defs", {})), "exactly the reachable definitions are kept"


def _all_refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _all_refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _all_refs(v)


def test_vendoring_is_reproducible_from_the_installed_wheel_contents():
    """Re-running the vendor script on kubernetes-validate's files gives the committed bytes."""
    kv = pytest.importorskip("kubernetes_validate")
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
        for api_version, kind in KINDS:
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
        ("apps/v1", "Deployment", False),
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
        ({"apiVersion": "apps/v1", "kind": "Deployment"}, "warning", ("kind",), "no schema for kind Deployment in Kubernetes 1.37; not checked"),
        ({"apiVersion": "v1", "kind": "Pdo"}, "warning", ("kind",), "no schema for kind Pdo in Kubernetes 1.37; not checked"),
        ({"apiVersion": "rbac.authorization.k8s.io/v1beta1", "kind": "Role"}, "error", ("apiVersion",),
         'no kind "Role" is registered for version "rbac.authorization.k8s.io/v1beta1" in Kubernetes 1.37'),
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
        ("pod.yaml:14:7", "warning", "k8s-kind", "Widget/web", "no schema for kind Widget in Kubernetes 1.37; not checked"),
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
