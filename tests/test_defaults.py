"""The defaulting stage: each object before and after (tests/defaults/*.yaml, restated from the
upstream defaults_test.go files), and its contract: a deep copy, the input never changed,
idempotent, and every field the input has keeps its path."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from parity.loader import load_cases

from k8sgen.validate import Manifest, defaults, validate_manifests

CASES_DIR = Path(__file__).parent / "defaults"
CASES = [c for f in sorted(CASES_DIR.glob("*.yaml")) for c in yaml.safe_load(f.read_text(encoding="utf-8"))]


def subset(expect: object, got: object, where: str = "") -> None:
    if isinstance(expect, dict):
        assert isinstance(got, dict), f"{where}: expected a mapping, got {got!r}"
        for k, v in expect.items():
            assert k in got, f"{where}.{k}: missing in {got!r}"
            subset(v, got[k], f"{where}.{k}")
    elif isinstance(expect, list):
        assert isinstance(got, list) and len(got) == len(expect), f"{where}: expected {len(expect)} items, got {got!r}"
        for i, (e, g) in enumerate(zip(expect, got)):
            subset(e, g, f"{where}[{i}]")
    else:
        assert got == expect and type(got) is type(expect), f"{where}: expected {expect!r}, got {got!r}"


def lookup(obj: object, dotted: str) -> tuple[bool, object]:
    return lookup_path(obj, tuple(int(p) if p.isdigit() else p for p in dotted.split(".")))


def lookup_path(obj: object, path: tuple) -> tuple[bool, object]:
    for part in path:
        if isinstance(obj, list) and isinstance(part, int) and part < len(obj):
            obj = obj[part]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return False, None
    return True, obj


def test_cases_cover_every_group() -> None:
    groups = {c["before"]["apiVersion"].split("/")[0] if "/" in c["before"]["apiVersion"] else "core" for c in CASES}
    assert {"core", "apps", "batch", "rbac.authorization.k8s.io", "discovery.k8s.io"} <= groups
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_defaulting(case: dict) -> None:
    before = copy.deepcopy(case["before"])
    after = defaults.apply(before)
    assert before == case["before"], "defaulting changed its input"
    subset(case.get("expect", {}), after)
    for dotted in case.get("absent", []):
        found, value = lookup(after, dotted)
        assert not found, f"{dotted} should be absent, got {value!r}"


# Keys whose value defaulting may rewrite (a converted legacy value), and keys it may drop
# (SetDefaults_Service clears sessionAffinityConfig when the affinity is None).
CONVERTED = ("fieldPath",)
DROPPED = ("sessionAffinityConfig",)


def _paths(obj: object, prefix: tuple = ()):
    yield prefix, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


PARITY_OBJECTS = [c.obj for c in load_cases()] + [c["before"] for c in CASES]


@pytest.mark.parametrize("obj", PARITY_OBJECTS)
def test_contract(obj: dict) -> None:
    original = copy.deepcopy(obj)
    once = defaults.apply(obj)
    assert obj == original, "defaulting changed its input"
    assert defaults.apply(once) == once, "defaulting is not idempotent"
    if not defaults.has_defaults(obj):
        assert once is obj
        return
    assert once is not obj
    # Every path of the input still exists; values change only where a default replaces a
    # null/empty value or a legacy value is converted.
    for path, value in _paths(original):
        if any(k in DROPPED for k in path if isinstance(k, str)):
            continue
        found, now = lookup_path(once, path)
        assert found, f"{path} disappeared"
        if not isinstance(value, (dict, list)) and value not in (None, "", 0) and path[-1] not in CONVERTED:
            assert now == value, f"{path}: {value!r} became {now!r}"


def test_validate_sees_defaults_but_output_stays_as_written() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "busybox:1.36", "volumeMounts": [{"name": "cache", "mountPath": "/c"}]}],
                    "volumes": [{"name": "cache"}]}}
    written = copy.deepcopy(pod)
    problems = validate_manifests([Manifest(obj=pod)], "1.37")
    assert not [p for p in problems if p.is_error], problems
    assert pod == written


def test_defaulted_field_is_located_at_its_written_parent() -> None:
    # minReadySeconds above the defaulted progressDeadlineSeconds: the field is not in the
    # file, so the problem is positioned at the nearest field that is (spec).
    from k8sgen.errors import SourcePos

    seen = []

    def locate(path: tuple, key: bool = False):
        seen.append(tuple(path))
        return SourcePos("f.yaml", 1, 1)

    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"minReadySeconds": 700, "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}}}}
    problems = validate_manifests([Manifest(obj=dep, locate=locate)], "1.37")
    bad = [p for p in problems if p.rule == "deployment-spec"]
    assert [tuple(p.path) for p in bad] == [("spec", "progressDeadlineSeconds")]
    assert ("spec", "progressDeadlineSeconds") in seen and bad[0].pos is not None


@pytest.mark.parametrize("value,ok", [("1Gi", True), ("100m", True), ("1.5", True), (".5", True), ("1e3", True), (2, True), (0.25, True),
                                      ("1Gi\n", False), ("1 Gi", False), ("Gi", False), ("", False), (True, False), ("1Gib", False)])
def test_only_quantities_are_copied_from_limits(value, ok) -> None:
    from k8sgen.validate.rules import quantity

    pod = {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "image": "x", "resources": {"limits": {"memory": value}}}]}}
    requests = defaults.apply(pod)["spec"]["containers"][0]["resources"]["requests"]
    assert ("memory" in requests) is ok
    assert ok is (quantity.parse(value) is not None)  # the same grammar as the rules' parser
