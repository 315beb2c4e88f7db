"""The text scan that bounds flow nesting (k8sgen/yamldepth.py) against the libraries' own reading.

Its one duty: never return a depth below the nesting PyYAML (pure Python) or libyaml reaches, up
to the point where either stops with an error. Saying None (unknown) is always allowed; then
yamlio walks the parser's events, as before the scan existed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sgen import yamlio
from k8sgen.yamldepth import flow_depth

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("K8SGEN_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


def real_depths(text: str) -> list[tuple[int, int]]:
    """(deepest flow nesting, deepest nesting of all collections) each library reaches before
    its first error."""
    out = []
    for loader in LOADERS:
        stack: list[bool] = []
        flow = total = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, yaml.CollectionStartEvent):
                    stack.append(bool(event.flow_style))
                    flow = max(flow, sum(stack))
                    total = max(total, len(stack))
                elif isinstance(event, yaml.CollectionEndEvent):
                    stack.pop()
        except (yaml.YAMLError, RecursionError):
            pass
        out.append((flow, total))
    return out


def assert_bound(text: str) -> None:
    found = flow_depth(text)
    depths = real_depths(text)
    if found is not None:
        assert all(flow <= found for flow, _ in depths), (text, found, depths)
    deepest = max(total for _, total in depths)
    # The bound yamlio decides with: never "not deeper" below what a library reaches.
    assert yamlio._may_nest_deeper(text, deepest - 1), (text, depths)


# -- cases written out: brackets that are no structure, and structure that hides ------------

HIDDEN = [
    # (text, what the scan must find: a number, or None for "cannot tell")
    ("a: [b, c]\n", 1),
    ("a: {b: [c, {d: e}]}\n", 4),  # 3 levels; the quick count for lines like this one may be above
    ('a: ["]]]]", [[x]]]\n', 3),
    ("a: [']]', [[x]]]\n", 3),
    ("a: ['it''s ]]', [[x]]]\n", 3),
    ('a: ["\\"]]", [[x]]]\n', 3),
    ("a: [x, # ]]]\n  [[y]]]\n", 3),
    ("a: [x#]]\n", None),  # `x#` is text, then `]` closes and a second `]` is an error
    ("a: |\n  ]]]]\n  ' \"\nb: [[[x]]]\n", 3),
    ("a: >-\n    ]]] [[\n  \nb: [[x]]\n", 2),
    ("a: x ]]]] \"\nb: [[y]]\n", 2),  # `]` and `"` inside a block plain scalar are text
    ("a: x\n  \"]]]]\nb: [[y]]\n", 2),  # a continuation line of a plain scalar: text too
    ("- x\n  ' ]]]\n- [[y]]\n", 2),
    ("k: a\n\n  ' ]]]\nd: [[x]]\n", 2),  # a plain scalar continues past a blank line
    ('-  : x\n   "]]]" [[y]]\nb: [[x]]\n', None),  # an empty key: not a key line of its own
    ('a: "multi\n  line ]]] [[\n  end"\nb: [[x]]\n', 2),
    ("a: 'multi\n  ]]] ''\n  end'\nb: [[x]]\n", 2),
    ("# ]]]] \"\na: [[x]]\n", 2),
    ("[[[[ x'y, \"a'b ]]]] c'd\", [[[[[[ e' ]]]]]]]]]]\n", 10),  # mid-scalar quotes in flow context
    ("a: [x'y, \"]]]\", [[z]]]\n", 3),
    ("a: [\n  [b,\n   c],\n  {d: [e]}\n]\n", 3),
    ("a: [b c ]\n", 1),
    ("a: [b c ]]\n", None),  # an error after the collection
    ("a: [http://x:80/y]\n", 1),
    ("a: [x, :y]\n", 2),  # PyYAML reads `:y` as a pair with an empty key, libyaml as text
    ("a: [b: c, {d: e}]\n", 3),  # 2 levels
    # A sequence entry with a `:` is a one-pair mapping: one level more than its brackets.
    ("a: [b: [c: [d: e]]]\n", 6),
    ("- [b: [c: d], e]\n", 4),
    ('- ["b": [c: d]]\n', 4),
    ("- [[b]: c]\n", None),
    ("- [b: c: d]\n", None),
    ("- - - [a]\n", 1),
    ("--- [a, [b]]\n--- {c: d}\n", 2),
    ("a:\n  |\n  x\n", 0),
    # Things the scan leaves to the walk.
    ("a: !!str [x]\n", None),
    ("a: &x [b]\nc: *x\n", None),
    ("? [a]\n: b\n", None),
    ("a:\tb\n", None),
    ("a: [b?c]\n", None),
    ("a: |2\n   x\n", None),
    ("a: [x]\u2028b: [y]\n", None),
    ("%YAML 1.2\n---\na: [b]\n", 1),  # a directive changes no bracket
]


@pytest.mark.parametrize("text,expected", HIDDEN, ids=[repr(t[:30]) for t, _ in HIDDEN])
def test_scan_cases(text, expected):
    """Each value is what the scan finds, never below the real nesting (assert_bound)."""
    assert flow_depth(text) == expected
    assert_bound(text)


def test_every_yaml_file_in_the_repository():
    """Specs, manifests, fixtures of broken input: the scan follows nearly all, never too low."""
    files = [p for p in ROOT.rglob("*.y*ml") if ".git" not in p.parts and "node_modules" not in p.parts]
    known = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        assert_bound(text)
        known += flow_depth(text) is not None
    assert files and known >= 0.9 * len(files), (known, len(files))


def test_a_large_spec_skips_the_walk(monkeypatch):
    """Thousands of flow collections, none nested deeply: no walk over the parser's events."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import specs
    finally:
        sys.path.remove(str(ROOT / "bench"))
    for text in (specs.large(400), specs.apps(700)):
        assert text.count("[") + text.count("{") > yamlio._SAFE_COMPOSE_DEPTH
        monkeypatch.setattr(yamlio, "_check_depth", lambda *a, **k: pytest.fail("walked"))
        docs = yamlio.load_documents(text, "big.yaml", "spec")
        assert docs and flow_depth(text) in (1, 2)


def test_deep_input_is_still_walked():
    text = "a: " + "[" * 2500 + "]" * 2500 + "\n"
    assert flow_depth(text) == 2500 and yamlio._may_nest_deeper(text, yamlio._SAFE_COMPOSE_DEPTH)
    hidden = 'a: ["' + "]" * 3000 + '", ' + "[" * 2100 + "]" * 2101 + "\n"
    assert flow_depth(hidden) == 2101 and yamlio._may_nest_deeper(hidden, yamlio._SAFE_COMPOSE_DEPTH)
    # The scan stops once the depth is past what the caller asks about: hostile input costs
    # no more than it must (200,000 levels in quoted entries: a second to scan to the end).
    hostile = "pods: [" + '["a", ' * 200_000 + "]" * 200_001 + "\n"
    assert flow_depth(hostile, stop=2000) == 2001 and flow_depth(text, stop=100) > 100


def test_hostile_lines_take_linear_time():
    """A spec is untrusted: no line may make a pattern try every split of it (a line of 20,000
    spaces once took 1.3 s; these take milliseconds)."""
    import time

    spaces = " " * 100_000
    for text in ("key" + spaces + "x [\n", "key" + spaces + "x\nb: [\"a\"]\n", 'key: ["a"' + spaces + "x]\n",
                 'key: {a: "b"' + spaces + "x}\n", "key: [a," + spaces + "]" + spaces + "x\n", "- " * 100_000 + "[\n",
                 "a" + ":a" * 50_000 + " [\n", "-" + spaces + "x [\n", "k: [" + "[" * 50_000 + "\n",
                 "".join(f"k{i}: |\n{' ' * (i + 1)}x\n" for i in range(1500)) + "a: [b]\n"):
        start = time.process_time()
        flow_depth(text)
        assert time.process_time() - start < 3, text[:30]


# -- generated documents ------------------------------------------------------------------

# Scalars that look like structure: brackets and quotes in every kind of scalar.
TRICKY = ["x", "]", "]]", "[", "}", "{", ",", "'", '"', "#", " #", "it's", 'say "hi"', "a:b", "-", "?", "|", ">"]
PLAIN_WORD = st.sampled_from(["x", "y1", "a:b", "-x", "http://h:1/p", "it's", 'say"hi', "a#b"])


def dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sq(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


FLOW_SCALAR = st.one_of(PLAIN_WORD, st.lists(st.sampled_from(TRICKY), max_size=4).map("".join).flatmap(lambda s: st.sampled_from([dq(s), sq(s)])))


def flow_node(children):
    entry = st.one_of(children, st.tuples(PLAIN_WORD, children).map(": ".join))  # `[a: b]` nests a mapping
    return st.one_of(
        st.tuples(st.lists(entry, max_size=3), st.sampled_from([", ", ",", " , ", ",\n  ", ", # ] ' \"\n "])).map(lambda t: "[" + t[1].join(t[0]) + "]"),
        st.lists(st.tuples(PLAIN_WORD, children), max_size=3).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"),
    )


FLOW = st.recursive(FLOW_SCALAR, flow_node, max_leaves=12)
BLOCK_SCALAR_TEXT = st.lists(st.sampled_from(TRICKY + ["]]]", "[[[", "'", '"']), min_size=1, max_size=4).map(" ".join)


def block_value(indent: int):
    pad = " " * (indent + 2)
    return st.one_of(
        FLOW.map(lambda f: " " + f),
        BLOCK_SCALAR_TEXT.map(lambda t: f" |\n{pad}{t}\n{pad}{t}"),
        BLOCK_SCALAR_TEXT.map(lambda t: f" >-\n{pad}{t}"),
        BLOCK_SCALAR_TEXT.map(lambda t: " x " + t.replace("#", "")),  # a block plain scalar
        BLOCK_SCALAR_TEXT.map(lambda t: f" x\n{pad}{t.replace('#', '').replace(': ', '')}"),  # and its continuation
        BLOCK_SCALAR_TEXT.map(lambda t: " " + dq(t)),
        BLOCK_SCALAR_TEXT.map(lambda t: " " + sq(t)),
        BLOCK_SCALAR_TEXT.map(lambda t: f' "{t.replace(chr(92), "").replace(chr(34), "")}\n{pad}{t.replace(chr(92), "").replace(chr(34), "")}"'),
        st.just(" # ] [ ' \""),
    )


@st.composite
def block_document(draw, indent=0, depth=0):
    """A block mapping, or a block sequence of mappings, with nested blocks and tricky values."""
    lead = draw(st.sampled_from(["", "- "]))
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(["k", "k2", "'q]'", '"d]"', "a b", "x'y"]))
        column = indent + len(lead)  # of the key
        if depth < 3 and draw(st.booleans()):
            child = draw(block_document(indent=column + 2, depth=depth + 1))
            lines.append(f"{' ' * indent}{lead}{key}:\n{child}")
        else:
            lines.append(f"{' ' * indent}{lead}{key}:{draw(block_value(column))}")
    return "\n".join(lines)


@SETTINGS
@given(text=block_document().map(lambda t: t + "\n"))
def test_generated_documents(text):
    """The scan never finds less flow nesting than the libraries, and yamlio's bound never
    says "not deeper" than the nesting they reach."""
    assert_bound(text)


@SETTINGS
@given(text=FLOW)
def test_generated_flow_collections(text):
    assert_bound(text)
    assert_bound(f"key: {text}\n")
    assert_bound(f"- {text}\n- x\n")


# Pieces of YAML glued at random: mostly broken, which the bound must hold up to the error.
SOUP = ["[", "]", "{", "}", ",", ", ", ": ", ":", "- ", "-", "\n", "\n  ", "  ", "#", " #", "'", '"', "\\", "''",
        "|", "|-", ">", "x", "a: ", "? ", "---\n", "--- ", "...\n", "&a ", "*a", "!!str ", "\t", "'']", '"]"', "']'", "a'b", 'a"b']


@settings(max_examples=EXAMPLES * 4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
@given(text=st.lists(st.sampled_from(SOUP), max_size=50).map("".join))
def test_random_pieces(text):
    assert_bound(text)
