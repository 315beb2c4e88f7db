"""schema_check's compiled yes/no checks answer exactly what jsonschema answers.

The spec stage trusts a "valid" from the compiled check without running jsonschema, so a wrong
"valid" would let a bad spec through: compare the two on the examples, on mutations of them,
and on a schema exercising every supported keyword.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sgen import pipeline, spec_schema
from k8sgen.schema_check import Unsupported, compile_schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 70000), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "a", "web", "Always", "TCP", "80:8080", "http", "metadata.name", "1", "0755", "yes", "true"]),
    st.text(max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "image", "name", "port", "x"]), inner, max_size=3)),
    max_leaves=8,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, prefix + (i,))


def _get(data, path):
    for p in path:
        data = data[p]
    return data


@functools.lru_cache(maxsize=None)
def _spec_cached(path: Path):
    doc = pipeline.spec_document(str(path))
    spec_schema.coerce(doc)
    return doc.data


def _spec(path: Path):
    return copy.deepcopy(_spec_cached(path))


@pytest.fixture(scope="module")
def checks():
    return compile_schema(spec_schema.spec_schema()), jsonschema.Draft202012Validator(spec_schema.spec_schema())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid_both_ways(path, checks):
    fast, ref = checks
    data = _spec(path)
    assert fast(data) is True and ref.is_valid(data)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(example=st.sampled_from(EXAMPLES), pick=st.integers(0, 10_000), action=st.sampled_from(["replace", "delete", "add"]), value=values)
def test_mutated_specs_agree_with_jsonschema(checks, example, pick, action, value):
    fast, ref = checks
    data = _spec(example)
    paths = list(_paths(data))
    path = paths[pick % len(paths)]
    if path == ():
        data = value
    else:
        parent = _get(data, path[:-1])
        if action == "replace":
            parent[path[-1]] = value
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent["zz" + str(path[-1])] = value
        else:
            parent.append(value)
    assert fast(data) == ref.is_valid(data), data


KEYWORDS_SCHEMA = {
    "$defs": {
        "node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "integer"}}, "additionalProperties": False},
    },
    "type": "object",
    "properties": {
        "e": {"enum": ["a", 1, True, None]},
        "c": {"const": 0},
        "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        "all": {"allOf": [{"type": "string", "minLength": 1}, {"maxLength": 3, "pattern": "^[a-z]"}]},
        "any": {"anyOf": [{"type": "array", "items": {"type": "string"}, "uniqueItems": True}, {"type": ["null", "boolean"]}]},
        "u": {"type": "array", "uniqueItems": True, "minItems": 1, "maxItems": 3},
        "m": {"type": "object", "minProperties": 1, "maxProperties": 2, "additionalProperties": {"type": "string"}},
        "n": {"$ref": "#/$defs/node"},
        "f": {"type": "string", "format": "ipv4"},
        "p": {"minimum": 1, "maximum": 65535},
    },
    "required": ["e"],
    "additionalProperties": False,
}
KEYWORDS_FAST = compile_schema(KEYWORDS_SCHEMA)
KEYWORDS_REF = jsonschema.Draft202012Validator(KEYWORDS_SCHEMA)
instances = st.dictionaries(st.sampled_from(["e", "c", "one", "all", "any", "u", "m", "n", "f", "p", "zz"]), values, max_size=4)


@settings(max_examples=300, deadline=None)
@given(instance=st.one_of(instances, values))
def test_every_keyword_agrees_with_jsonschema(instance):
    assert KEYWORDS_FAST(instance) == KEYWORDS_REF.is_valid(instance)


@pytest.mark.parametrize("instance", [
    {"e": "a"}, {"e": 1.0}, {"e": False}, {"e": 1, "c": False}, {"e": None, "c": 0.0}, {"e": 1, "one": 2},
    {"e": 1, "one": 2.5}, {"e": 1, "u": [1, True]}, {"e": 1, "u": [1, 1.0]}, {"e": 1, "u": [{"a": 1}, {"a": 1}]},
    {"e": 1, "n": {"next": {"next": {"v": 1.0}}}}, {"e": 1, "n": {"next": {"v": "x"}}}, {"e": 1, "f": "not an ip"},
    {"e": 1, "p": 0}, {"e": 1, "p": 1}, {"e": 1, "p": 65535}, {"e": 1, "p": 65535.5}, {"e": 1, "p": True}, {"e": 1, "p": "0"},
])
def test_keyword_edge_cases(instance):
    assert KEYWORDS_FAST(instance) == KEYWORDS_REF.is_valid(instance)


@pytest.mark.parametrize("schema", [{"exclusiveMinimum": 1}, {"patternProperties": {"a": {}}}, {"items": [{}]}, {"$ref": "other.json"}, {"enum": [[1]]}])
def test_unsupported_keywords_are_refused(schema):
    with pytest.raises(Unsupported):
        compile_schema(schema)


def test_invalid_spec_still_gets_jsonschema_worded_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pods:\n  web:\n    image: nginx:1.27\n    restartPolicy: Sometimes\n", encoding="utf-8")
    problems = spec_schema.check(pipeline.spec_document(str(bad)))
    assert [p.rule for p in problems] == ["spec-enum"]


POINTER_SCHEMA = {
    "$defs": {"pod": {"type": "object", "properties": {"image": {"type": "string", "minLength": 1}, "a~b/c": {"type": "integer"}}}},
    "type": "object",
    "properties": {"w": {"$ref": "#/$defs/pod/properties/image"}, "x": {"$ref": "#/$defs/pod/properties/a~0b~1c"}},
}


@pytest.mark.parametrize("instance", [{"w": "nginx"}, {"w": ""}, {"w": 1}, {"x": 1}, {"x": "1"}, {}])
def test_json_pointer_refs_agree_with_jsonschema(instance):
    """Workloads share the pod's properties through pointers below $defs (issue 12)."""
    assert compile_schema(POINTER_SCHEMA)(instance) == jsonschema.Draft202012Validator(POINTER_SCHEMA).is_valid(instance)


def test_dangling_pointer_is_refused():
    with pytest.raises(Unsupported):
        compile_schema({"$defs": {"pod": {}}, "$ref": "#/$defs/pod/properties/nope"})
