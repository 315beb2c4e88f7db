"""Lint fixtures restated from kube-linter's, Polaris's and kube-score's test cases, and from the
API server's warnings: tests/lint_cases/<rule>/{fail,pass}/*.yaml.

Each file is a set of manifests validated together through the whole pipeline (schema, API
rules, references, lint), with the profile that turns the rule on (or `# profile: NAME`).
Every fixture must be accepted by the API server (no errors), a `fail/` file must produce
exactly its `# expect: Kind/name path` findings of the rule, and a `pass/` file none at all:
a negative case that warns is a false positive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sgen import yamlio
from k8sgen.fieldpath import format_path
from k8sgen.validate import Manifest, ignored_rules, lint, validate_manifests

ROOT = Path(__file__).parent / "lint_cases"
FILES = sorted(ROOT.glob("*/*/*.yaml"))
PROFILE_FOR_LEVEL = {"": "baseline", "baseline": "baseline", "recommended": "recommended", "restricted": "restricted"}


def _header(text: str, key: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith(f"# {key}:")]


def _run(path: Path):
    rule = path.parent.parent.name
    text = path.read_text(encoding="utf-8")
    profile = (_header(text, "profile") or [PROFILE_FOR_LEVEL[lint.LINT_LEVELS.get(rule, "")]])[0]
    docs = yamlio.load_documents(text, str(path), mode="k8s")
    manifests = [Manifest(d.data, locate=d.locate, ignore=ignored_rules(d.data)) for d in docs]
    problems = validate_manifests(manifests, "1.37", profile=profile)
    return rule, text, problems


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_fixture(path):
    rule, text, problems = _run(path)
    assert [p for p in problems if p.is_error] == [], "a fixture must be an object the API server accepts"
    found = sorted(f"{p.object} {format_path(p.path)}" for p in problems if p.rule == rule)
    expected = sorted(_header(text, "expect"))
    if path.parent.name == "pass":
        assert expected == [], "pass/ fixtures expect nothing"
        assert found == [], f"false positive of {rule}"
    else:
        assert expected, "a fail/ fixture names its findings with '# expect: Kind/name path'"
        assert found == expected
    assert all(p.pos is not None and p.pos.line > 0 for p in problems if p.rule == rule), "every finding points into the file"


def test_every_fixture_rule_exists():
    known = {r for r, _ in lint.LINT_RULES} | {"ref-service-selector"}
    assert {p.parent.parent.name for p in FILES} <= known


def test_new_rules_have_both_kinds_of_fixture():
    """Every rule outside the Pod Security ones (tested in test_lint.py) has a fail and a pass file."""
    for rule_id, _ in lint.LINT_RULES:
        if rule_id.startswith("lint-pss-") or rule_id in ("lint-profile", "lint-resources", "lint-image-tag", "lint-token-automount",
                                                       "lint-rbac-wildcard", "lint-rbac-broad-binding"):
            continue
        for kind in ("fail", "pass"):
            assert list((ROOT / rule_id / kind).glob("*.yaml")), f"{rule_id} has no {kind}/ fixture"


def test_default_profile_runs_the_recommended_rules():
    """The recommended rules are on by default, as kube-linter, Polaris and kube-score have them:
    each one's fail fixtures warn with no profile chosen, and are quiet under `--profile baseline`."""
    checked = 0
    for path in FILES:
        rule = path.parent.parent.name
        if lint.LINT_LEVELS.get(rule) != "recommended" or path.parent.name != "fail":
            continue
        text = path.read_text(encoding="utf-8")
        if _header(text, "profile"):
            continue  # the fixture asks for a profile of its own
        docs = yamlio.load_documents(text, str(path), mode="k8s")
        by_default = validate_manifests([Manifest(d.data, locate=d.locate) for d in docs], "1.37")
        assert [p for p in by_default if p.rule == rule], path
        docs = yamlio.load_documents(text, str(path), mode="k8s")
        baseline = validate_manifests([Manifest(d.data, locate=d.locate) for d in docs], "1.37", profile="baseline")
        assert not [p for p in baseline if p.rule == rule], path
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path", [p for p in FILES if p.parent.name == "fail"], ids=lambda p: str(p.relative_to(ROOT)))
def test_silenced_per_object(path):
    """The rule's id in each object's k8sgen.dev/ignore annotation drops exactly its findings."""
    rule, text, before = _run(path)
    profile = (_header(text, "profile") or [PROFILE_FOR_LEVEL[lint.LINT_LEVELS.get(rule, "")]])[0]
    docs = yamlio.load_documents(text, str(path), mode="k8s")
    manifests = []
    for d in docs:
        d.data.setdefault("metadata", {}).setdefault("annotations", {})["k8sgen.dev/ignore"] = rule
        manifests.append(Manifest(d.data, locate=d.locate, ignore=ignored_rules(d.data)))
    after = validate_manifests(manifests, "1.37", profile=profile)
    key = lambda p: (p.rule, p.object, format_path(p.path), p.message)  # noqa: E731
    assert sorted(map(key, after)) == sorted(key(p) for p in before if p.rule != rule)
