"""The spec schema: complete documentation, and typing by the schema rather than by YAML."""

from __future__ import annotations

import jsonschema
import pytest

from k8sgen.pipeline import parse_spec_text, spec_problems
from k8sgen.spec_schema import spec_schema


def _walk(node, path="#"):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            yield f"{path}/properties/{k}", v
        for key in ("$defs",):
            for k, v in node.get(key, {}).items():
                yield from _walk(v, f"{path}/{key}/{k}")
        for k, v in node.get("properties", {}).items():
            yield from _walk(v, f"{path}/properties/{k}")
        for key in ("additionalProperties", "items"):
            if isinstance(node.get(key), dict):
                yield from _walk(node[key], f"{path}/{key}")
        for key in ("anyOf", "oneOf"):
            for i, b in enumerate(node.get(key, [])):
                yield from _walk(b, f"{path}/{key}/{i}")


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(spec_schema())


def test_every_property_has_description_and_example():
    missing = [p for p, v in _walk(spec_schema()) if not v.get("description") or ("examples" not in v and "$ref" not in v)]
    assert missing == []


def _typed(text: str) -> dict:
    doc = parse_spec_text(text, "s.yaml")
    assert spec_problems(doc) == []
    return doc.data


@pytest.mark.parametrize("raw", ["yes", "0755", "8080", "true", "1e3", "~", "null", "2024-01-01", "1_000", ".inf", "1.10"])
def test_text_fields_keep_text_as_written(raw):
    data = _typed(f"pods:\n  p:\n    image: x\n    labels: {{l: {raw}}}\n    env: {{E: {raw}}}\n    args: [{raw}]\n")
    pod = data["pods"]["p"]
    assert pod["labels"]["l"] == raw and pod["env"]["E"] == raw and pod["args"] == [raw]


def test_numbers_stay_numbers():
    data = _typed("services:\n  s:\n    selector: {a: b}\n    ports: [8080, {port: 80, targetPort: 8080}]\n")
    assert data["services"]["s"]["ports"] == [8080, {"port": 80, "targetPort": 8080}]


def test_quantities_are_text():
    data = _typed("pods:\n  p:\n    image: x\n    resources: {limits: {cpu: 1, memory: 1e3}}\n")
    assert data["pods"]["p"]["resources"]["limits"] == {"cpu": "1", "memory": "1e3"}


def test_quoted_number_in_number_field_is_an_error():
    doc = parse_spec_text('services:\n  s:\n    ports: [{port: "80"}]\n', "s.yaml")
    [p] = spec_problems(doc)
    assert (str(p.pos), p.message) == ("s.yaml:3:20", "expected a whole number, got text")
