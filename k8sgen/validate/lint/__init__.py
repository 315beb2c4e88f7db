"""Lint: least privilege and safe defaults. Every finding is a warning (`--strict` fails on it).

Rules live in one module per area, each registered with an id, a one-line doc and a level
(`LINT_RULES`, for the docs): `rbac`, `workload` (resources, images, tokens), `pss` (Pod
Security Standards), `containers` (probes, env, ports, security context), `hostaccess`
(host paths and ports), `services`, `availability` (PDBs, HPAs, replicas), `apiwarnings`
(what the API server itself warns about, in its words), `ipwarnings` (its warnings on
addresses in a non-standard form) and `volumepaths` (volume files that overlap).

Profiles. A rule's level says which profiles run it:
- "" (always on): findings that are a mistake or a direct risk whatever the workload;
- `baseline` / `restricted`: the Pod Security Standards as pod-security admission checks them;
- `recommended`: the hardening and reliability checks kube-linter, Polaris and kube-score turn
  on by default (probes, read-only root filesystem, requests, non-root, ...).

| profile | runs |
| --- | --- |
| privileged | always-on rules |
| baseline | always-on + Pod Security baseline |
| recommended (default) | always-on + Pod Security baseline + recommended |
| restricted | always-on + Pod Security baseline and restricted |

Which profile applies to an object, first match wins:
1. the object's annotation `k8sgen.dev/lint-profile: privileged|baseline|recommended|restricted`;
2. for the Pod Security part only, the `pod-security.kubernetes.io/enforce` label of its
   Namespace, when that Namespace is validated in the same set (the level the cluster will
   enforce anyway); the `recommended` checks stay as the run chose;
3. `ctx.profile`: the run's `--profile`, else the repository's `.k8sgen.yaml` (`lintconfig`);
4. `DEFAULT_PROFILE`, "recommended".
When recommended and restricted rules both run (a `recommended` run in a restricted
Namespace), a restricted rule replaces the recommended one it overrides.
Recommended is the default because it is what kube-linter, Polaris and kube-score enable by
default: a user who drops one of them for k8sgen keeps its checks. k8sgen's own examples and
`init` starters meet it. `--profile baseline` (or `profile: baseline` in `.k8sgen.yaml`) keeps
only what gives a pod power over its node, plus the always-on rules.

Silencing: a rule id (or a glob such as `lint-pss-*`) in the spec's `ignore:`, in the
`k8sgen.dev/ignore` annotation or in `.k8sgen.yaml`'s `ignore:` drops the finding (see
`validate.is_ignored`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ...errors import Problem
from ..pods import as_dict, namespace_of, pod_view
from . import apiwarnings, availability, containers, hostaccess, ipwarnings, pss, rbac, services, setindex, tokens, volumepaths, workload  # noqa: F401  (importing registers the rules)
from .registry import BASELINE, RECOMMENDED, RESTRICTED, RULES, LintRule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

PROFILE_ANNOTATION = "k8sgen.dev/lint-profile"
PROFILES = ("privileged", BASELINE, RECOMMENDED, RESTRICTED)
DEFAULT_PROFILE = RECOMMENDED
PSS_PROFILES = ("privileged", BASELINE, RESTRICTED)  # what a Namespace's enforce label may say
# The rule levels each profile runs ("" is always on).
PROFILE_LEVELS = {
    "privileged": frozenset({""}),
    BASELINE: frozenset({"", BASELINE}),
    RECOMMENDED: frozenset({"", BASELINE, RECOMMENDED}),
    RESTRICTED: frozenset({"", BASELINE, RESTRICTED}),
}

_RANK = {"": 0, BASELINE: 1, RECOMMENDED: 2, RESTRICTED: 3}

# For the docs: always-on rules first, then baseline, recommended, restricted (registration order within).
LINT_RULES: list[tuple[str, str]] = [(r.id, r.doc) for r in sorted(RULES, key=lambda r: _RANK.get(r.level, 0))] + [
    ("lint-profile", f"The {PROFILE_ANNOTATION} annotation names a profile: {', '.join(PROFILES)}."),
]
LINT_LEVELS: dict[str, str] = {r.id: r.level for r in RULES} | {"lint-profile": ""}


def _bad_annotation(value: object) -> Problem:
    return Problem(
        message=f'{PROFILE_ANNOTATION}: "{value}" is not a profile',
        rule="lint-profile",
        severity="warning",
        path=("metadata", "annotations", PROFILE_ANNOTATION),
        hint=f"use one of {', '.join(PROFILES)}",
    )


def profile_for(obj: dict, ctx: Context) -> tuple[str, Problem | None]:
    """The profile chosen for `obj` (annotation, else the run's, else the default), and a
    problem when its annotation names no profile. A Namespace label can still change its Pod
    Security part (`levels_for`)."""
    value = as_dict(as_dict(obj.get("metadata")).get("annotations")).get(PROFILE_ANNOTATION)
    if value in PROFILES:
        return value, None
    bad = _bad_annotation(value) if value is not None else None
    ctx_profile = getattr(ctx, "profile", None)
    return (ctx_profile if ctx_profile in PROFILES else DEFAULT_PROFILE), bad


def levels_for(obj: dict, ctx: Context) -> tuple[frozenset, Problem | None]:
    """The rule levels that run on `obj`.

    The Pod Security part comes from the object's annotation, else from its Namespace's
    `pod-security.kubernetes.io/enforce` label (the level the cluster enforces there), else
    from the run's profile; the `recommended` checks come with the annotation's or the run's
    profile, whatever the Namespace says (it speaks for Pod Security only).
    """
    profile, bad = profile_for(obj, ctx)
    annotated = as_dict(as_dict(obj.get("metadata")).get("annotations")).get(PROFILE_ANNOTATION) in PROFILES
    pss_level = profile
    if not annotated:
        ns_label = setindex.for_context(ctx).namespace_profiles.get(namespace_of(obj))
        if ns_label in PSS_PROFILES:
            pss_level = ns_label
    levels = PROFILE_LEVELS[pss_level] - {RECOMMENDED}
    if RECOMMENDED in PROFILE_LEVELS[profile]:
        levels |= {RECOMMENDED}
    return levels, bad


def active_rules(profile: str | frozenset, version: tuple) -> list[LintRule]:
    levels = PROFILE_LEVELS[profile] if isinstance(profile, str) else profile
    return list(_active(frozenset(levels), tuple(version)))


@lru_cache(maxsize=64)
def _active(levels: frozenset, version: tuple) -> tuple:
    # The registry is complete once this module is imported; a run asks the same question
    # for every object.
    rules = [r for r in RULES if r.level in levels and version >= r.min_version]
    replaced = {o for r in rules for o in r.overrides}
    return tuple(r for r in rules if r.id not in replaced)


@lru_cache(maxsize=256)
def _for_object(levels: frozenset, version: tuple, kind: str, has_pod: bool) -> tuple:
    """The active rules that apply to an object of `kind` (with a pod spec or not), in registry
    order: chosen once per kind, not by testing every rule on every object. Bounded, since
    kinds come from untrusted input."""
    return tuple(r for r in _active(levels, version) if (has_pod if r.pod else kind in r.kinds))


def check(obj: dict, ctx: Context) -> Iterator[Problem]:
    if not isinstance(obj, dict):
        return
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
    pv = pod_view(obj)
    levels, bad = levels_for(obj, ctx)
    if bad is not None:
        yield bad
    version = tuple(getattr(ctx, "kube_version", None) or (1, 37))
    for r in _for_object(levels, version, kind, pv is not None):
        found = r.fn(pv, ctx) if r.pod else r.fn(obj, ctx)
        for path, message, hint in found:
            yield Problem(message=message, rule=r.id, severity="warning", path=tuple(path), hint=hint)
