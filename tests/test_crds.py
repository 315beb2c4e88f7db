"""Custom resources checked against the CustomResourceDefinitions passed with them."""

from __future__ import annotations

import copy

import pytest

from k8s_schema_examples import CRD
from k8sgen.validate import Manifest, crds, validate_manifests


def widget(**spec) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "ns"}, "spec": spec}


def crd_with(schema: dict, versions=("v1",)) -> dict:
    out = copy.deepcopy(CRD)
    out["spec"]["versions"] = [
        {"name": v, "served": True, "storage": v == versions[0], "schema": {"openAPIV3Schema": schema}} for v in versions
    ]
    return out


SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["size", "mode"],
            "properties": {
                "size": {"type": "integer", "minimum": 1},
                "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
                "port": {"x-kubernetes-int-or-string": True},
                "note": {"type": "string", "nullable": True},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True, "x-kubernetes-preserve-unknown-fields": True},
                "empty": {"type": "object"},
            },
        },
    },
}


def problems(*objs, version="1.37"):
    return [(p.rule, p.severity, p.path) for p in validate_manifests([Manifest(obj=o) for o in objs], version)
            if p.rule.startswith("k8s-")]


@pytest.mark.parametrize(
    "spec",
    [
        {"size": 1},  # mode has a default, so it is not missing
        {"size": 2, "mode": "slow", "port": 8080},
        {"size": 2, "port": "http", "note": None},
        {"size": 2, "extra": {"anything": [1, {"goes": True}]}},
        {"size": 2, "labels": {"a": "b"}},
        {"size": 2, "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"x": 1}}},
        {"size": 2, "empty": {}},
    ],
)
def test_valid_custom_resources_pass(spec):
    assert problems(crd_with(SCHEMA), widget(**spec)) == []


@pytest.mark.parametrize(
    "spec, path, rule",
    [
        ({}, ("spec", "size"), "k8s-schema-required"),
        ({"size": 0}, ("spec", "size"), "k8s-schema"),
        ({"size": "2"}, ("spec", "size"), "k8s-schema-type"),
        ({"size": 2, "mode": "medium"}, ("spec", "mode"), "k8s-schema-enum"),
        ({"size": 2, "colour": "red"}, ("spec", "colour"), "k8s-schema-unknown-field"),
        ({"size": 2, "port": 1.5}, ("spec", "port"), "k8s-schema-type"),
        ({"size": 2, "labels": {"a": 1}}, ("spec", "labels", "a"), "k8s-schema-type"),
        # An object schema without properties keeps nothing: strict validation reports it.
        ({"size": 2, "empty": {"x": 1}}, ("spec", "empty", "x"), "k8s-schema-unknown-field"),
    ],
)
def test_invalid_custom_resources_are_errors_at_their_path(spec, path, rule):
    assert problems(crd_with(SCHEMA), widget(**spec)) == [(rule, "error", path)]


def test_metadata_is_checked_as_object_meta():
    obj = widget(size=1)
    obj["metadata"]["labelz"] = {}
    assert problems(crd_with(SCHEMA), obj) == [("k8s-schema-unknown-field", "error", ("metadata", "labelz"))]


def test_an_unserved_version_is_an_error():
    obj = {**widget(size=1), "apiVersion": "example.com/v2"}
    assert problems(crd_with(SCHEMA), obj) == [("k8s-custom-resource", "error", ("apiVersion",))]
    assert problems(crd_with(SCHEMA, versions=("v1", "v2")), obj) == []


def test_a_custom_resource_without_its_crd_gets_one_note_per_kind():
    got = problems(widget(size=1), {**widget(size=2), "metadata": {"name": "w2"}},
                   {"apiVersion": "other.io/v1", "kind": "Gadget", "metadata": {"name": "g"}})
    assert got == [("k8s-custom-resource", "warning", ("kind",))] * 2


def test_cel_rules_are_reported_as_not_evaluated_once_per_kind():
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["spec"]["x-kubernetes-validations"] = [{"rule": "self.size < 10"}]
    got = problems(crd_with(schema), widget(size=20), {**widget(size=1), "metadata": {"name": "w2"}})
    assert got == [("k8s-custom-resource-cel", "warning", ("kind",))]


def test_builtin_groups_are_not_custom():
    schemas = crds.lookup([], "1.37")
    assert not schemas.handles({"apiVersion": "apps/v1", "kind": "Deployment"})
    assert not schemas.handles({"apiVersion": "extensions/v1beta1", "kind": "Ingress"})
    assert schemas.handles({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway"})


def test_the_crd_itself_is_schema_checked():
    bad = crd_with(SCHEMA)
    bad["spec"]["scopee"] = "Namespaced"
    assert ("k8s-schema-unknown-field", "error", ("spec", "scopee")) in problems(bad)


def test_has_schema_for_summaries():
    schemas = crds.lookup([Manifest(obj=crd_with(SCHEMA))], "1.37")
    assert schemas.has_schema("example.com/v1", "Widget")
    assert not schemas.has_schema("example.com/v2", "Widget")
    assert not schemas.has_schema("other.io/v1", "Gadget")
