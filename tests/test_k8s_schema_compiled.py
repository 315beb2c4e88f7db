"""The compiled validators agree with jsonschema (the reference) error for error: on the
example objects and on random mutations of them (wrong types, unknown fields, missing fields,
bad enums, nulls), for every vendored kind and version."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8s_schema_examples import ACCEPTED, INVALID, VALID, mutate
from k8sgen.validate import k8s_schema, schema_reference
from k8sgen.validate.k8s_schema import SUPPORTED_VERSIONS, _raw_key, compiled_validator, kinds, load_schema, problems_from
from k8sgen.validate.schema_compiler import Compiler, Unsupported


def _sorted(raw):
    return sorted(set(raw), key=_raw_key)


def _compare(obj, key, version):
    """Assert both engines agree on `obj` validated as kind `key`; return the errors."""
    is_valid, collect = compiled_validator(*key, version)
    want = _sorted(schema_reference.raw_errors(load_schema(*key, version), obj))
    got: list = []
    collect(obj, (), got)
    assert _sorted(got) == want
    assert len(got) == len(set(got)), "the compiled validator reports each error once"
    assert is_valid(obj) is (not want)
    assert problems_from(got) == problems_from(want)
    return want


def _key(obj):
    return (obj["apiVersion"], obj["kind"])


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_kind_compiles(version):
    """No vendored kind falls back to jsonschema, now or (compiled lazily) later."""
    compiler = Compiler(eager=True)
    for key in kinds(version):
        assert compiled_validator(*key, version) is not None
        compiler.kind(load_schema(*key, version))


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^a"},
        {"anyOf": [{"type": "string"}]},
        {"oneOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]},
        {"enum": [1, 2]},
        {"$ref": "/elsewhere.json#/x"},
        {"items": [{"type": "string"}]},
        {"type": "any"},
    ],
    ids=repr,
)
def test_unsupported_keywords_are_refused_not_ignored(schema):
    with pytest.raises(Unsupported):
        Compiler(eager=True).kind({"type": "object", "properties": {"f": schema}})
    ok, _collect = Compiler().kind({"type": "object", "properties": {"f": {"type": "object", "properties": {"g": schema}}}})
    assert ok({}) is True  # lazily: nothing compiled below the root yet
    with pytest.raises(Unsupported):
        ok({"f": {"g": "x"}})


def test_check_falls_back_to_jsonschema_when_a_lazy_node_is_unsupported(monkeypatch):
    from k8sgen.validate import schema_compiler

    def refuse(self, s, types):
        raise Unsupported("pretend")

    monkeypatch.setattr(schema_compiler.Compiler, "array_node", refuse)
    k8s_schema.compiled_validator.cache_clear()
    k8s_schema._compiler.cache_clear()
    try:
        obj = mutate(VALID["pod"], [(("spec", "containers", 0, "imagee"), "x")])
        assert [(e.kind, e.path) for e in k8s_schema.raw_errors(obj, "1.37")] == [("unknown", ("spec", "containers", 0, "imagee"))]
    finally:
        k8s_schema.compiled_validator.cache_clear()
        k8s_schema._compiler.cache_clear()


def test_recursive_definitions_compile():
    schema = {
        "$defs": {"Node": {"type": ["object", "null"], "properties": {"child": {"$ref": "#/$defs/Node"}, "n": {"type": "integer"}}, "additionalProperties": False}},
        "$ref": "#/$defs/Node",
    }
    ok, collect = Compiler().kind(schema)
    assert ok({"child": {"child": {"n": 1}}})
    out: list = []
    collect({"child": {"child": {"n": "1", "x": 0}}}, (), out)
    assert sorted(e.path for e in out) == [("child", "child", "n"), ("child", "child", "x")]


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_examples_agree(version):
    for obj in VALID.values():
        assert _compare(obj, _key(obj), version) == []
    for _name, base, changes in ACCEPTED:
        assert _compare(mutate(VALID[base], changes), _key(VALID[base]), version) == []
    for _name, base, changes, _expected in INVALID:
        assert _compare(mutate(VALID[base], changes), _key(VALID[base]), version) != []


@pytest.mark.parametrize(
    "obj",
    [None, 1, "x", [], {}, {"apiVersion": "v2", "kind": "Pod"}, {"apiVersion": None, "kind": None, "metadata": []}],
    ids=repr,
)
def test_odd_roots_agree(obj):
    for key in kinds("1.37"):
        _compare(obj, key, "1.37")


def test_falls_back_to_reference_for_kinds_without_compiled_code(monkeypatch):
    monkeypatch.setattr(k8s_schema, "compiled_validator", lambda *args: None)
    obj = mutate(VALID["pod"], [(("spec", "containers", 0, "imagee"), "x")])
    assert [e.kind for e in k8s_schema.raw_errors(obj, "1.37")] == ["unknown"]


# --- random mutations ----------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 1.0, 80.0, -2.5]),
    st.text(max_size=6),
    st.sampled_from(["", "v1", "Pod", "TCP", "ClusterIP", "100m", "1Gi", "null", "8080"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)


def _paths(obj, prefix=()):
    """Every path in `obj`, containers included."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _get(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def _known_keys(key, version):
    """Property names anywhere in a kind's schema: unknown-field near misses and real keys."""
    names: set = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(load_schema(*key, version))
    return sorted(names)


@st.composite
def mutated(draw):
    version = draw(st.sampled_from(SUPPORTED_VERSIONS))
    base = VALID[draw(st.sampled_from(sorted(VALID)))]
    key = _key(base)
    obj = copy.deepcopy(base)
    known = _known_keys(key, version)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = list(_paths(obj))
        path = draw(st.sampled_from(paths))
        target = _get(obj, path)
        op = draw(st.sampled_from(["replace", "null", "add-key", "near-miss", "delete", "append", "wrap", "enum"]))
        if op == "replace" and path:
            _get(obj, path[:-1])[path[-1]] = draw(JSON)
        elif op == "null" and path:
            _get(obj, path[:-1])[path[-1]] = None
        elif op == "add-key" and isinstance(target, dict):
            # A real property name somewhere in the schema, often valid elsewhere but not here.
            target[draw(st.sampled_from(known))] = draw(JSON)
        elif op == "near-miss" and isinstance(target, dict) and target:
            k = draw(st.sampled_from(sorted(target)))
            target[k + draw(st.sampled_from(["e", "s", "_", "X"]))] = target[k]
        elif op == "delete" and isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif op == "append" and isinstance(target, list):
            target.append(copy.deepcopy(draw(st.sampled_from(target))) if target and draw(st.booleans()) else draw(JSON))
        elif op == "wrap" and path:
            _get(obj, path[:-1])[path[-1]] = draw(st.sampled_from([[target], {"value": target}, json.dumps(target)]))
        elif op == "enum" and isinstance(target, dict):
            target[draw(st.sampled_from(["apiVersion", "kind"]))] = draw(st.sampled_from(["v1", "Pod", "v2", "pod", 1, None]))
    return version, key, obj


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_agree_with_jsonschema(case):
    version, key, obj = case
    _compare(obj, key, version)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(kinds("1.37"))), JSON)
def test_random_values_agree_with_jsonschema(key, obj):
    _compare(obj, key, "1.37")
