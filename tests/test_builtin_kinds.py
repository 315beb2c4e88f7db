"""Every built-in kind gets the schema and the metadata rules, and valid objects of every kind pass.

The install bundle in tests/bundles/ is written the way operators ship them; each object is also
checked with kubernetes-validate (the independent schema oracle) so the fixture stays honest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from k8sgen.validate import Manifest, validate_manifests
from k8sgen.validate.k8s_schema import SUPPORTED_VERSIONS
from k8sgen.yamlio import load_documents

BUNDLE = Path(__file__).parent / "bundles" / "install-bundle.yaml"


def _docs():
    return load_documents(BUNDLE.read_text(encoding="utf-8"), str(BUNDLE.name))


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_install_bundle_has_no_error_alone_or_together(version):
    docs = _docs()
    together = validate_manifests([Manifest(obj=d.data, locate=d.locate) for d in docs], version)
    assert [str(p) for p in together if p.is_error] == []
    # Not even a warning: the custom resource has its CRD, nothing is deprecated.
    assert [(p.rule, p.object) for p in together] == []
    for d in docs:
        alone = validate_manifests([Manifest(obj=d.data, locate=d.locate)], version)
        errors = [p for p in alone if p.is_error]
        assert errors == [], d.data["kind"]


def test_the_bundle_covers_many_kinds():
    kinds = {d.data["kind"] for d in _docs()}
    assert len(kinds) >= 20


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_kubernetes_validate_accepts_every_builtin_object_of_the_bundle(version):
    try:
        import kubernetes_validate
    except ImportError:
        if os.environ.get("K8SGEN_CI"):
            pytest.fail("kubernetes-validate is not installed")
        pytest.skip("kubernetes-validate is not installed")
    for d in _docs():
        if d.data["apiVersion"].startswith("shop.example.com/"):
            continue  # a custom resource: the oracle has no schema for it
        kubernetes_validate.validate(d.data, f"{version}.0", strict=True)


@pytest.mark.parametrize(
    "change, rule, path",
    [
        (("Ingress", ("spec", "ingressClass"), "nginx"), "k8s-schema-unknown-field", ("spec", "ingressClass")),
        (("HorizontalPodAutoscaler", ("spec", "minReplicas"), "2"), "k8s-schema-type", ("spec", "minReplicas")),
        (("PersistentVolumeClaim", ("spec", "accessModes"), []), "pvc-spec", ("spec", "accessModes")),
        (("ConfigMap", ("data", "bad key"), "x"), "configmap-keys", ("data", "bad key")),
        (("Secret", ("type",), "kubernetes.io/ssh-auth"), "secret-type", ("data", "ssh-privatekey")),
        (("Lease", ("metadata", "finalizers"), ["cleanup"]), "metadata-finalizers", ("metadata", "finalizers", 0)),
        (("Cart", ("spec", "owner"), ""), "k8s-schema", ("spec", "owner")),
        (("Cart", ("spec", "colour"), "red"), "k8s-schema-unknown-field", ("spec", "colour")),
        (("NetworkPolicy", ("metadata", "name"), "Allow_All"), "metadata-name", ("metadata", "name")),
    ],
)
def test_a_mistake_in_any_kind_is_an_error_at_its_path_and_line(change, rule, path):
    kind, where, value = change
    docs = _docs()
    target = next(d for d in docs if d.data["kind"] == kind and d.data["metadata"]["name"] in ("shop", "shop-config", "shop-db", "shop-data", "demo", "shop-allow-ingress", "shop-leader"))
    node = target.data
    for key in where[:-1]:
        node = node.setdefault(key, {})
    node[where[-1]] = value
    problems = validate_manifests([Manifest(obj=d.data, locate=d.locate) for d in docs], "1.37")
    errors = [(p.rule, p.path) for p in problems if p.is_error]
    assert errors == [(rule, path)]
    (p,) = [p for p in problems if p.is_error]
    assert p.pos is not None and p.pos.file == BUNDLE.name
