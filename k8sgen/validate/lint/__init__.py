"""Lint: least privilege and safe defaults. Every finding is a warning (`--strict` fails on it).

Rules live in `rbac`, `workload` and `pss` (Pod Security Standards), one generator each,
registered with an id and a one-line doc (`LINT_RULES`, for the docs).

Which Pod Security profile applies to a pod, first match wins:
1. the object's annotation `k8sgen.dev/lint-profile: privileged|baseline|restricted`;
2. the `pod-security.kubernetes.io/enforce` label of its Namespace, when that Namespace is
   validated in the same set (the profile the cluster will enforce anyway);
3. `ctx.profile`, when the caller's Context has one;
4. `DEFAULT_PROFILE`, "baseline".
Baseline is the default because restricted flags nearly every plain example (busybox as root,
no seccomp profile, capabilities not dropped); baseline only flags what gives a pod power over
its node. "privileged" turns the Pod Security rules off. The other lint rules always run.

Silencing: a rule id (or a glob such as `lint-pss-*`) in the spec's `ignore:` or in the
`k8sgen.dev/ignore` annotation drops the finding for that object (see `validate.is_ignored`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...errors import Problem
from ..pods import as_dict, namespace_of, pod_view
from . import pss, rbac, setindex, tokens, workload  # noqa: F401  (importing registers the rules)
from .registry import BASELINE, RESTRICTED, RULES, LintRule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

PROFILE_ANNOTATION = "k8sgen.dev/lint-profile"
PROFILES = ("privileged", BASELINE, RESTRICTED)
DEFAULT_PROFILE = BASELINE

_RANK = {p: i for i, p in enumerate(PROFILES)}

# For the docs: always-on rules first, then baseline, then restricted (registration order within).
LINT_RULES: list[tuple[str, str]] = [(r.id, r.doc) for r in sorted(RULES, key=lambda r: _RANK.get(r.level, 0))] + [
    ("lint-profile", f"The {PROFILE_ANNOTATION} annotation names a profile: privileged, baseline or restricted."),
]


def profile_for(obj: dict, ctx: Context) -> tuple[str, Problem | None]:
    """The Pod Security profile for `obj`, and a problem when its annotation is not one."""
    value = as_dict(as_dict(obj.get("metadata")).get("annotations")).get(PROFILE_ANNOTATION)
    if value in PROFILES:
        return value, None
    bad = None
    if value is not None:
        bad = Problem(
            message=f'{PROFILE_ANNOTATION}: "{value}" is not a profile',
            rule="lint-profile",
            severity="warning",
            path=("metadata", "annotations", PROFILE_ANNOTATION),
            hint=f"use one of {', '.join(PROFILES)}",
        )
    ctx_profile = getattr(ctx, "profile", None)
    ns_profile = setindex.for_context(ctx).namespace_profiles.get(namespace_of(obj))
    if ns_profile in PROFILES:
        return ns_profile, bad
    return (ctx_profile if ctx_profile in PROFILES else DEFAULT_PROFILE), bad


def active_rules(profile: str, version: tuple) -> list[LintRule]:
    rules = [r for r in RULES if (not r.level or _RANK[r.level] <= _RANK[profile]) and version >= r.min_version]
    replaced = {r.overrides for r in rules if r.overrides}
    return [r for r in rules if r.id not in replaced]


def check(obj: dict, ctx: Context) -> Iterator[Problem]:
    if not isinstance(obj, dict):
        return
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
    pv = pod_view(obj)
    profile, bad = profile_for(obj, ctx)
    if bad is not None:
        yield bad
    version = tuple(getattr(ctx, "kube_version", None) or (1, 37))
    for r in active_rules(profile, version):
        if r.pod:
            if pv is None:
                continue
            found = r.fn(pv, ctx)
        elif kind in r.kinds:
            found = r.fn(obj, ctx)
        else:
            continue
        for path, message, hint in found:
            yield Problem(message=message, rule=r.id, severity="warning", path=tuple(path), hint=hint)
