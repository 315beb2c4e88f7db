"""Lint and the reference checks must never raise, whatever shape the objects have: they also
run on objects that failed the schema stage, and a traceback is never an answer to bad input.

The objects are the well-formed sets of test_lint and test_references with a few fields
replaced by values of the wrong shape (None, numbers, lists, maps), so the fuzzing reaches the
deep fields the checks read."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_lint import CASES as LINT_CASES
from test_references import CASES as REF_CASES

from k8sgen.validate import Context, Manifest, lint, references

from k8sgen import yamlio  # noqa: E402

SETS = [case[0] for case in LINT_CASES.values()] + [case[0] for case in REF_CASES.values()]
# And every lint fixture (tests/lint_cases): workloads, budgets, autoscalers, Services, roles.
SETS += [[d.data for d in yamlio.load_documents(p.read_text(encoding="utf-8"), str(p))]
         for p in sorted((Path(__file__).parent / "lint_cases").glob("*/*/*.yaml"))]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-1, 70000), st.sampled_from(["", "*", "None", "http", "ALL", "x"]))
wrong = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(st.sampled_from(["name", "a", "type", 1]), inner, max_size=2)), max_leaves=4)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def replace_at(root, path, value):
    if not path:
        return value
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return root


@st.composite
def broken_sets(draw):
    objs = copy.deepcopy(draw(st.sampled_from(SETS)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(objs) - 1))
        candidates = [p for p in paths(objs[i]) if p]
        if candidates:
            objs[i] = replace_at(objs[i], draw(st.sampled_from(candidates)), draw(wrong))
    return objs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_sets(), st.sampled_from(["baseline", "recommended", "restricted"]))
# Found by hypothesis 6.100 (CI's oldest run): a volume or mount named by a list in host-path lint.
@example([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
    "volumes": [{"name": [], "hostPath": {"path": "/var/log"}}, {"name": "etcd", "hostPath": {"path": "/etc/kubernetes/pki"}}],
    "containers": [{"name": "app", "image": "nginx:1.27.3"}]}}], "recommended")
@example([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
    "topologySpreadConstraints": [{"topologyKey": [], "maxSkew": 1, "whenUnsatisfiable": "DoNotSchedule"}],
    "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": {}}]}]}}},
    "containers": [{"name": "app", "image": "nginx:1.27.3"}]}}], "baseline")
@example([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
    "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}],
    "containers": [{"name": "app", "image": "nginx:1.27.3", "volumeMounts": [{"name": [], "mountPath": "/logs"}]}]}}], "recommended")
def test_checks_never_raise(objs, profile):
    ctx = Context(kube_version=(1, 37), manifests=[Manifest(o) for o in objs], external={"Secret": {"*/*"}})
    ctx.profile = profile  # type: ignore[attr-defined]
    for o in objs:
        for p in lint.check(o, ctx):
            assert p.severity == "warning" and isinstance(p.path, tuple)
    for _, o in references.check(ctx):
        assert any(o is m.obj for m in ctx.manifests)
