"""The lint rule contract: an id, a one-line doc, the kinds it applies to, and a generator.

A rule yields `(path, message, hint)`; the registry turns that into a warning `Problem` with
the rule's id, so a rule cannot forget its id or pick a severity. Pod rules receive a
`PodView` (a Pod or a workload's pod template) instead of the raw object, so the same rule
covers both and reports paths relative to the object root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

Finding = tuple  # (path: tuple, message: str, hint: str)

BASELINE = "baseline"
RESTRICTED = "restricted"
# The hardening and reliability checks kube-linter, Polaris and kube-score turn on by default
# that most hand-written manifests (and k8sgen's own examples) do not meet yet.
RECOMMENDED = "recommended"


@dataclass(frozen=True)
class LintRule:
    id: str
    doc: str
    fn: Callable[..., Iterator[Finding]]
    kinds: frozenset = frozenset()  # empty: pod rules, run on every object with a pod spec
    level: str = ""  # "baseline"/"restricted" (Pod Security), "recommended", or "" for always-on rules
    overrides: tuple = ()  # ids of the rules this one replaces when both run (restricted over baseline, as upstream)
    min_version: tuple = (1, 0)  # first Kubernetes minor whose Pod Security has this check

    @property
    def pod(self) -> bool:
        return not self.kinds


RULES: list[LintRule] = []


def rule(id: str, doc: str, *, kinds: tuple = (), level: str = "", overrides: str | tuple = (), min_version: tuple = (1, 0)):
    def register(fn: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        if any(r.id == id for r in RULES):
            raise ValueError(f"duplicate lint rule id {id}")
        replaces = (overrides,) if isinstance(overrides, str) else tuple(overrides)
        RULES.append(LintRule(id, doc, fn, frozenset(kinds), level, replaces, min_version))
        return fn

    return register
