"""Fuzzing the loader, the spec pipeline and the CLI: nothing but K8sgenError may escape, and the
CLI never prints a traceback or says "internal error" (exit 3 is a bug)."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from k8sgen import yamlio, yamltext
from k8sgen.errors import K8sgenError
from k8sgen.pipeline import parse_spec_text, render_specs
from roundtrip import POD

EXAMPLES = int(os.environ.get("K8SGEN_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))

# Pieces of YAML syntax, glued at random: most results are invalid, some are odd but valid.
TOKENS = [
    "pods", "services", "namespace", "annotations", "labels", "image", "env", "command", "web", "x",
    ":", ": ", "- ", "-", "\n", "\n  ", "\n    ", "  ", "\t", "[", "]", "{", "}", ",", "#", "&a ", "*a",
    "!!str ", "!x ", "!!python/object:os.system ", "|", "|-", ">", "'", '"', "\\", "---", "...", "? ",
    "<<: ", "%YAML 1.1\n", "~", "yes", "0755", "1e3", "8080", "\u2028", "\x85", "\ufeff", "é", "\x00", "\r\n",
    "nginx:1.27", "{{ x }}", "\\x41", "\\ud800", "&b [*a, *a]",
]
YAMLISH = st.one_of(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join), st.text(max_size=200))

KEYS = st.one_of(st.text(st.characters(blacklist_categories=()), max_size=4), st.sampled_from(["pods", "services", "namespace", "annotations", "labels", "image", "env", "command", "args",
                        "ports", "mounts", "volumes", "selector", "endpoints", "externalName", "serviceAccounts", "roles",
                        "bindings", "rules", "subjects", "web", "db", "x", "", "0", "apiVersion", "kind", "apiProxy",
                        "downward", "containers", "initContainers", "resources", "limits", "headless", "clusterRole"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=30),
                    st.text(st.characters(blacklist_categories=()), max_size=8),  # lone surrogates too (Python API)
                    st.sampled_from(["nginx:1.27", "80:8080", "http:8080", "10.0.0.1", "status.podIP", "limits.cpu/1m", "0644", "get"]))
JSONISH = st.recursive(SCALARS, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)), max_leaves=30)
SPECISH = st.one_of(
    st.dictionaries(KEYS, JSONISH, max_size=6),
    st.fixed_dictionaries({"pods": st.dictionaries(KEYS, st.one_of(st.dictionaries(KEYS, JSONISH, max_size=6), JSONISH), max_size=3)}),
    st.fixed_dictionaries({"pods": st.fixed_dictionaries({"web": st.fixed_dictionaries({k: st.just(v) for k, v in POD.items()}, optional={k: JSONISH for k in ["env", "command", "ports", "mounts", "volumes", "downward", "apiProxy", "labels"]})})}),
    st.fixed_dictionaries({"services": st.dictionaries(KEYS, st.dictionaries(KEYS, JSONISH, max_size=5), max_size=3)}),
)

PROBLEM_LINE = re.compile(r"[^\n]+: (error|warning|note): [^\n]+ \([a-z0-9-]+\)\Z")
SUMMARY_LINE = re.compile(r"summary: \d+ objects? checked[^\n]*; \d+ errors?, \d+ warnings?\Z")  # validate's last line


@SETTINGS
@given(text=YAMLISH, mode=st.sampled_from(["spec", "k8s"]))
def test_loader_raises_only_k8sgen_errors(text, mode):
    try:
        yamlio.load_documents(text, "fuzz.yaml", mode=mode)
    except K8sgenError as e:
        assert e.problems and all(p.pos is not None for p in e.problems)


@SETTINGS
@given(text=YAMLISH)
def test_spec_text_pipeline_raises_only_k8sgen_errors(text):
    try:
        render_specs([parse_spec_text(text, "fuzz.yaml")])
    except K8sgenError as e:
        assert e.problems


@SETTINGS
@given(spec=SPECISH)
def test_spec_structures_raise_only_k8sgen_errors(spec):
    try:
        render_specs([spec])
    except K8sgenError as e:
        assert e.problems


@settings(max_examples=max(EXAMPLES // 3, 10), deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
@given(text=YAMLISH, command=st.sampled_from(["render", "validate"]))
def test_cli_never_prints_a_traceback(text, command):
    ran = run_cli(command, "-", stdin=text)
    assert ran.code in (0, 1, 2), ran
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran
    assert ran.code == 0 or ran.out == "" or command == "validate", ran
    lines = ran.err.splitlines()
    if command == "validate":
        assert lines and SUMMARY_LINE.match(lines.pop()), ran
    for line in lines:
        assert line.startswith("  hint: ") or PROBLEM_LINE.match(line), (line, ran)


# Specs the fuzzers and property tests found crashing (exit 3), each now a clean problem.
FOUND = [
    # quantity.parse matched with `.`, which stops at a newline, then asserted a match.
    ({"pods": {"web": {**POD, "resources": {"limits": {"memory": "1Gi\n"}}}}}, "pod-container-resources"),
    ({"pods": {"web": {**POD, "volumes": {"d": {"emptyDir": {"sizeLimit": "\n"}}}, "mounts": {"/d": "d"}}}}, "pod-volume-source"),
]


def test_found_by_fuzzing():
    for spec, rule in FOUND:
        result = render_specs([spec])
        assert [p.rule for p in result.errors] == [rule], result.errors


SET_PATHS = st.lists(st.one_of(KEYS, st.sampled_from(["[0]", "[1]", "[x]", "[", "]", "\\.", ".", "=", ""])), min_size=0, max_size=5).map(".".join)


@settings(max_examples=max(EXAMPLES // 3, 10), deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
@given(path=SET_PATHS, value=st.one_of(st.text(max_size=20), st.sampled_from(["", "1", "yes", "[a]", "{a: 1}", "~"])), eq=st.booleans())
def test_set_expressions_never_crash(path, value, eq, tmp_path_factory):
    base = tmp_path_factory.mktemp("set") / "base.yaml"
    base.write_text("pods:\n  web:\n    image: nginx:1.27\n    command: [a]\n")
    ran = run_cli("render", "-f", str(base), "--set", f"{path}={value}" if eq else path)
    assert ran.code in (0, 1, 2), ran
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran
    for line in ran.err.splitlines():
        assert line.startswith("  hint: ") or PROBLEM_LINE.match(line), (line, ran)


NESTING = ["- ", "-\t", "  ", " ", "\n", "a:", "a: ", ": ", "? ", "?", ":", "[", "{", "]", "}", ",", "&x ", "!!map ", "!!seq ", "--- ", "---\n", "x", "'", '"', "#", "|\n", "-"]


@settings(max_examples=EXAMPLES * 4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
@given(text=st.lists(st.sampled_from(NESTING), max_size=60).map("".join))
def test_depth_bound_is_an_upper_bound(text):
    """The cheap bound that decides whether deep input is walked before composing (libyaml would
    crash on it) must never be below the real nesting of a document libyaml accepts."""
    import yaml

    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the bound must hold up to the error too: `deepest` is what was composed so far
    assert yamlio._may_nest_deeper(text, deepest - 1), (text, deepest)


RESOURCE_LISTS = st.fixed_dictionaries(
    {"apiVersion": st.sampled_from(["config.kubernetes.io/v1", "v1", "x"]), "kind": st.sampled_from(["ResourceList", "List"])},
    optional={
        "items": JSONISH,
        "functionConfig": st.one_of(JSONISH, st.fixed_dictionaries(
            {"apiVersion": st.just("k8sgen.dev/v1alpha1"), "kind": st.just("K8sGen")},
            optional={"metadata": JSONISH, "spec": SPECISH, "specFile": JSONISH, "kubeVersion": JSONISH, "strict": JSONISH},
        )),
    },
)


@settings(max_examples=max(EXAMPLES // 3, 10), deadline=None, suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
@given(text=st.one_of(YAMLISH, RESOURCE_LISTS.map(yamltext.document)))
def test_kustomize_plugin_never_crashes(text):
    """The KRM function reads whatever kustomize pipes in: broken YAML, odd ResourceLists."""
    ran = run_cli("kustomize-plugin", stdin=text)
    assert ran.code in (0, 1, 2), ran
    assert "Traceback" not in ran.err and "internal error" not in ran.err, ran
