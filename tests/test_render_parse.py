"""yamlio.load_rendered (the fast re-parse of rendered documents) equals yaml.load with libyaml exactly."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgen import pipeline
from k8sgen.yamlio import load_rendered as parse

ROOT = Path(__file__).resolve().parent.parent
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def reference(text: str):
    return yaml.load(text, Loader=Loader)


def same(a, b) -> bool:
    """Equal, with the same types all the way down (1 == 1.0 == True is not good enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)  # NaN


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_every_rendered_example_document(path):
    for r in pipeline.render_specs([str(path)]).objects:
        assert same(parse(r.text), reference(r.text))


TEXTS = [
    "",
    "# only a comment\n",
    "a: 1\nb: 1.5\nc: true\nd: ~\ne: yes\nf: 0755\ng: 1:30\nh: 0x1F\ni: .inf\nj: -.nan\nk: 2024-01-01\nl: '1'\n",
    "a: &x {b: 1}\nc: *x\n",
    "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1]\n",
    "1: one\ntrue: t\n~: n\n",
    "a: 1\na: 2\n",
    "- x\n- - y\n  - {}\n- []\n",
    "a: |\n  multi\n  line\nb: >-\n  folded\n  text\n",
    "a: \"\\u00e9\\n\"\n",
    "2001-12-14t21:59:43.10-05:00: x\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_yaml_features(text):
    assert same(parse(text), reference(text))


def test_errors_are_the_same():
    for bad in ("a: b: c\n", "? [a, b]\n: c\n", "a: 1\n---\nb: 2\n", "[unclosed\n", "a: !!python/object:os.system x\n"):
        with pytest.raises(yaml.YAMLError) as ours:
            parse(bad)
        with pytest.raises(yaml.YAMLError) as theirs:
            reference(bad)
        assert type(ours.value) is type(theirs.value)


def test_aliases_stay_shared_objects():
    data = parse("a: &x {b: 1}\nc: *x\n")
    assert data["a"] is data["c"]


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
    st.sampled_from(["yes", "no", "on", "0755", "1:30", "0x1F", "1e3", "~", "null", "2024-01-01", "<<", "=", "- x", "a: b"]),
    st.dates(), st.datetimes(timezones=st.just(datetime.timezone.utc)),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=5), st.integers(), st.booleans()), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(doc=documents, flow=st.sampled_from([None, True, False]))
def test_generated_documents(doc, flow):
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True)
    assert same(parse(text), reference(text))
