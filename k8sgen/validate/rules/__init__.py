"""The API server's own validation rules for the kinds k8sgen emits (issue 3).

`check(obj, ctx)` runs every rule registered for the object's kind and yields `Problem`s whose
`path` is the API server's field path of the offending field (relative to the object root) and
whose message is the API server's wording. The object has already passed the official JSON
schema, so rules may trust types but not the presence of optional fields.

Rules live in small modules, one per area; each is registered with a stable id, the kinds it
applies to and a one-line doc (`RULES`), from which the rule documentation is generated. Where a
rule depends on the target Kubernetes version it reads `ctx.kube_version` and says so in its
module.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
# Import order is registration order, which is the order problems come out in.
from . import metadata, containers, resources, probes, security, downward, volumes, services, endpoints, rbac  # noqa: F401,I001
from .registry import REGISTRY, Rule, rule

__all__ = ["check", "RULES", "REGISTRY", "Rule", "rule", "rules_for"]

# (id, kinds, doc) in registration order, for documentation.
RULES: list = [(r.id, r.kinds, r.doc) for r in REGISTRY.values()]


def rules_for(kind: str) -> list[Rule]:
    return [r for r in REGISTRY.values() if kind in r.kinds]


def check(obj: dict, ctx: object) -> Iterator[Problem]:
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
        return
    for r in rules_for(obj["kind"]):
        yield from r.fn(obj, ctx)
