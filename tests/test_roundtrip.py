"""Values come out exactly as written: property tests over every string-valued field class.

For each field (tests/roundtrip.py), an arbitrary string goes into a spec (as a dict, as YAML
text and as JSON text), through the real pipeline, and is read back with `yaml.safe_load`
and `json.loads` from every output form. It must either be refused with a validation error (only
where the API restricts the text: names, addresses, label values) or come back as exactly the
same string.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from roundtrip import FIELDS, ROUTES, check_field

# YAML 1.1 / 1.2 / go-yaml readings that are not strings, and structure-looking text.
TRAPS = [
    "", " ", "yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF", "true", "false",
    "True", "FALSE", "null", "Null", "NULL", "~", "0755", "0o17", "0x1F", "0b101", "1e3", "1E3", "8080",
    "-1", "+1", "1_000", "1.5", ".5", "5.", ".inf", "-.inf", ".Inf", ".nan", ".NaN", "2024-01-01",
    "2001-12-14t21:59:43.10-05:00", "1:30", "190:20:30", "=", "<<", "-", "--", "---", "...", "?", ":",
    "- a", "a: b", "a:b", "a #b", "#x", "&a", "*a", "!x", "!!python/object:os.system", "%YAML", "@x",
    "`x", "|", ">", "{a: 1}", "[a]", "'q'", '"q"', "\\", "{{ x }}", "{% if 1 %}x{% endif %}", "{# c #}",
    "${HOME}", "$(echo hi)", "a\n  hostNetwork: true", "x\n---\nkind: Secret", "\n", "\n\n", "a\n",
    "a\n\n", " lead", "trail ", "\ttab", "a\tb", "a\r\nb\r\n", "a\rb", "\u2028", "\x85", "\ufeffbom",
    "\x00", "\x1b[31mred", "é", "日本語", "😀", "\U0010ffff", "a\u200bb", "\ud7ff",
]
MULTILINE = st.lists(
    st.sampled_from(["", " ", "  x", "\t", "line", "key: value", "- item", "# c", "\r", "{{ x }}", "---", "é"]),
    min_size=1, max_size=6,
).map("\n".join)
NAMEISH = st.from_regex(r"[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?", fullmatch=True)
LABELISH = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?", fullmatch=True)
TEXT = st.one_of(st.text(), st.sampled_from(TRAPS), MULTILINE, NAMEISH, LABELISH, st.text(alphabet=st.characters(max_codepoint=0x7F)))

# Each field gets its own test so a failure names the field; CI stays within a minute or so.
EXAMPLES = int(os.environ.get("K8SGEN_HYPOTHESIS_EXAMPLES", "30"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=bool(os.environ.get("K8SGEN_CI")))


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.id)
@SETTINGS
@given(value=TEXT, route=st.sampled_from(ROUTES))
def test_any_text_round_trips_or_is_refused(field, value, route):
    check_field(field, value, route)


# The traps in every free-text field at once: tests/test_corpus.py renders the corpus, which
# holds all of them (test_corpus_holds_the_traps).


NAME_TRAPS = ["yes", "no", "on", "off", "y", "n", "true", "false", "null", "0755", "8080", "1e3", "0x1f", "1-0", "2024-01-01"]


@pytest.mark.parametrize("field_id", ["pod-name", "namespace", "hostname", "label-value", "selector-value", "node-selector-value", "resource-name", "external-name"])
def test_traps_that_are_valid_names_stay_names(field_id):
    from roundtrip import FIELDS_BY_ID

    field = FIELDS_BY_ID[field_id]
    for value in NAME_TRAPS:
        if field_id == "hostname" and value in ("0755", "8080", "1e3", "0x1f", "1-0", "2024-01-01"):
            continue  # a DNS label, but a hostname must not be all digits... checked by the rules
        for route in ("dict", "yaml"):
            check_field(field, value, route)


SET_PATHS = {
    "annotation-value": ("pods.web.annotations.note", lambda o: o["metadata"]["annotations"]["note"]),
    "env-value": ("pods.web.env.X", lambda o: o["spec"]["containers"][0]["env"][0]["value"]),
    "command": ("pods.web.command[0]", lambda o: o["spec"]["containers"][0]["command"][0]),
    "label-key-escaped-dots": ("pods.web.labels.app\\.kubernetes\\.io/name", lambda o: o["metadata"]["labels"]["app.kubernetes.io/name"]),
}


@pytest.mark.parametrize("where", sorted(SET_PATHS))
@SETTINGS
@given(value=TEXT)
def test_set_values_round_trip(where, value):
    """`-f base.yaml --set PATH=VALUE`: the text after `=` is the value, exactly."""
    import tempfile
    from pathlib import Path

    import yaml

    from k8sgen.commands.sources import load
    from k8sgen.errors import K8sgenError
    from k8sgen.pipeline import render_specs
    from roundtrip import POD

    path, find = SET_PATHS[where]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.yaml"
        # --set changes what exists: the env var it overrides is in the base.
        base.write_text(yaml.safe_dump({"pods": {"web": {**POD, "command": ["x"], "env": {"X": "x"}}}}), encoding="utf-8")
        try:
            result = render_specs(load([], [str(base)], [f"{path}={value}"]))
        except K8sgenError:
            assert where.startswith("label"), value
            return
    if result.errors:
        assert where.startswith("label"), (value, result.errors)
        return
    [pod] = [r.obj for r in result.objects if r.obj["kind"] == "Pod"]
    for obj in (pod, yaml.safe_load(next(r.text for r in result.objects if r.obj["kind"] == "Pod"))):
        assert find(obj) == value


# Every line break PyYAML (reader.py) or go-yaml behind kubectl (yamlh.go is_break) recognizes,
# plus the vertical spaces neither does: inside multi-line text (which becomes a literal block),
# alone, leading and trailing, next to text shaped like keys (issue 11: U+2028 inside a `|-`
# block let the text after it become keys of the container).
LINE_BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\v", "\f"]
LINE_BREAK_TEXT = st.one_of(
    # Clean multi-line text (a literal block, were it not for the break) with one break of a kind.
    st.builds(
        lambda lines, head, br, tail: "\n".join([*lines, head]) + br + tail,
        st.lists(st.sampled_from(["line", "key: value", "  indented", "x", "é"]), min_size=1, max_size=3),
        st.sampled_from(["x", "line", "key: value", "- item", ""]),
        st.sampled_from(LINE_BREAKS),
        st.sampled_from(["", "x", "  hostNetwork: true", "key: value", "\n", "# c", "\nmore"]),
    ),
    st.lists(
        st.one_of(st.sampled_from(LINE_BREAKS), st.sampled_from(["x", "line", " ", "key: value", "  hostNetwork: true", "- item", "#", "é"])),
        min_size=1, max_size=8,
    ).map("".join),
)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.id)
@SETTINGS
@given(value=LINE_BREAK_TEXT, route=st.sampled_from(ROUTES))
@example(value="line one\nline two\u2028  hostNetwork: true", route="dict")  # the reported injection
@example(value="x\ny\u2029", route="yaml")  # a trailing PS was dropped
@example(value="a\x85b", route="json")
def test_line_breaks_of_every_kind_round_trip_or_are_refused(field, value, route):
    check_field(field, value, route)


@pytest.mark.parametrize("where", sorted(SET_PATHS))
@SETTINGS
@given(value=LINE_BREAK_TEXT)
def test_set_values_with_line_breaks_round_trip(where, value):
    test_set_values_round_trip.hypothesis.inner_test(where, value)
