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

import importlib
from typing import Iterator

from ...errors import Problem
from .registry import REGISTRY, Rule, rule

# Rule modules in documentation order; importing a module registers its rules.
MODULES = (
    "metadata", "containers", "resources", "probes", "security", "scheduling", "downward", "volumes",
    "services", "endpoints", "rbac", "configdata", "storage", "customresources",
)
for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["check", "RULES", "REGISTRY", "Rule", "rule", "rules_for", "VERSION_NOTES"]

# Where a rule depends on ctx.kube_version: (first version, rule id, what changes). k8sgen targets
# 1.35-1.37; the older switches keep the rules right if an older target is ever added.
VERSION_NOTES = (
    ((1, 32), "pod-env-name", "env var names and envFrom prefixes may be any printable ASCII but '=' "
     "(RelaxedEnvironmentVariableValidation, beta 1.32, GA 1.34); before, a C-identifier-like rule"),
    ((1, 34), "service-traffic-policy", "trafficDistribution also accepts PreferSameZone and PreferSameNode"),
    ((1, 35), "pod-restart-policy", "app and init containers may set restartPolicy Always/OnFailure/Never "
     "(ContainerRestartRules beta); before, only init containers, only Always"),
    ((1, 35), "pod-restart-rules", "restartPolicyRules are checked (earlier the server drops them)"),
    ((1, 35), "pod-env-file-key-ref", "env valueFrom.fileKeyRef counts as a source (EnvFiles beta)"),
    ((1, 36), "metadata-name", "Service names (and generateName) are DNS-1123 labels, so they may start with a "
     "digit (RelaxedServiceNameValidation beta); before, DNS-1035 labels"),
    ((1, 36), "service-cluster-ip", "IPv4 addresses with leading zeros and IPv4-mapped IPv6 addresses are "
     "errors (StrictIPCIDRValidation beta); before, accepted with a warning. Also applies to "
     "external IPs, endpoint addresses, DNS nameservers and source ranges"),
)


def _module_rank(r: Rule) -> int:
    return MODULES.index(r.fn.__module__.rsplit(".", 1)[-1])


# Modules import helpers from each other, so registration order is not module order; sort
# (stably) so that documentation and problems follow MODULES.
ORDERED: list[Rule] = sorted(REGISTRY.values(), key=_module_rank)

# (id, kinds, doc) for documentation.
RULES: list = [(r.id, r.kinds, r.doc) for r in ORDERED]

_BY_KIND: dict[str, list[Rule]] = {}
for _r in ORDERED:
    for _kind in _r.kinds:
        _BY_KIND.setdefault(_kind, []).append(_r)


# Rules registered for kind "*" apply to every kind (object metadata).
_EVERY_KIND = [r for r in ORDERED if "*" in r.kinds]
_FOR: dict[str, list[Rule]] = {}


def rules_for(kind: str) -> list[Rule]:
    hit = _FOR.get(kind)
    if hit is None:
        own = _BY_KIND.get(kind)
        if not own:
            return _EVERY_KIND  # any other kind (not cached: kinds come from untrusted input)
        ids = {r.id for r in own} | {r.id for r in _EVERY_KIND}
        hit = _FOR[kind] = [r for r in ORDERED if r.id in ids]
    return hit


def check(obj: dict, ctx: object) -> Iterator[Problem]:
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
        return
    for r in rules_for(obj["kind"]):
        yield from r.fn(obj, ctx)
