"""Defaulting copies the object with a tree copy made for decoded data (faster than
copy.deepcopy); the copy must equal deepcopy's, share nothing mutable with the original, and
fall back to deepcopy for anything that is not plain decoded data."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgen.pipeline import render_specs
from k8sgen.validate import defaults

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30,
)


def containers(value, out=None) -> list:
    out = [] if out is None else out
    if isinstance(value, dict):
        out.append(value)
        for v in value.values():
            containers(v, out)
    elif isinstance(value, list):
        out.append(value)
        for v in value:
            containers(v, out)
    return out


def assert_independent_copy(original, copied) -> None:
    assert copied == copy.deepcopy(original)
    assert not {id(c) for c in containers(original)} & {id(c) for c in containers(copied)}


@given(json_like)
def test_tree_copy_equals_deepcopy_and_shares_no_container(value):
    assert_independent_copy(value, defaults._tree_copy(value))


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_tree_copy_of_every_rendered_example_object(spec):
    result = render_specs([str(spec)])
    assert result.objects
    for r in result.objects:
        assert_independent_copy(r.obj, defaults._tree_copy(r.obj))


def test_defaulting_never_changes_the_original():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}]}]}}
    before = copy.deepcopy(pod)
    out = defaults.apply(pod)
    assert pod == before
    assert out["spec"]["containers"][0]["ports"][0]["protocol"] == "TCP"  # defaulted: the copy changed


def test_shared_node_is_copied_per_use_and_defaulted_alike():
    # An alias makes one dict appear twice; each use is defaulted the same way.
    port = {"containerPort": 80}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "a", "image": "i", "ports": [port]}, {"name": "b", "image": "i", "ports": [port]}]}}
    out = defaults.apply(pod)
    assert [c["ports"][0]["protocol"] for c in out["spec"]["containers"]] == ["TCP", "TCP"]
    assert "protocol" not in port


def test_cyclic_value_falls_back_to_deepcopy():
    # Only a library caller can build one (YAML aliases are capped and rendered text has none).
    loop: list = []
    loop.append(loop)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}]}]}, "extra": loop}
    out = defaults.apply(pod)
    assert out["extra"] is not loop and out["extra"][0] is out["extra"]
    assert out["spec"]["containers"][0]["ports"][0]["protocol"] == "TCP"


def test_values_other_than_decoded_data_go_to_deepcopy():
    odd = {"t": (1, [2])}
    copied = defaults._tree_copy(odd)
    assert copied == odd and copied["t"][1] is not odd["t"][1]
