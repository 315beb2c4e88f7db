"""The API server's own validation rules (issue 3), for the kinds k8sgen emits and the workloads
around them (issue 10).

`check(obj, ctx)` runs every rule registered for the object's kind and yields `Problem`s whose
`path` is the API server's field path of the offending field (relative to the object root) and
whose message is the API server's wording. The object has already passed the official JSON
schema, so rules may trust types but not the presence of optional fields.

Rules live in small modules, one per area; each is registered with a stable id, the kinds it
applies to and a one-line doc (`RULES`), from which the rule documentation is generated. Where a
rule depends on the target Kubernetes version it reads `ctx.kube_version` and says so in its
module.

Pod templates: for a workload (`workloads.TEMPLATES`), every Pod rule also runs on a synthetic
Pod made of the template's metadata and spec, and its problems' paths are prefixed with the
template's path (`spec.template`, `spec.jobTemplate.spec.template`, `template`), so
`ValidatePodTemplateSpec` needs no second copy of the Pod rules. Of the metadata rules only
labels and annotations apply to a template (the server validates no name or namespace there).
A StatefulSet's template is validated with a volume per volumeClaimTemplate (see `apps`), and
its claim templates get the PersistentVolumeClaim rules at `spec.volumeClaimTemplates[i]`.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import Iterator

from ...errors import Problem
from .registry import _MEMO, REGISTRY, Rule, rule

# Rule modules in documentation order; importing a module registers its rules.
MODULES = (
    "metadata", "containers", "resources", "probes", "security", "scheduling", "downward", "volumes",
    "services", "endpoints", "rbac", "configdata", "storage", "customresources",
    "workloads", "apps", "batch", "controllers",
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
     "(ContainerRestartRules: alpha and off in 1.34, beta and on by default from 1.35, per "
     "pkg/features/kube_features.go); before, only init containers, only Always"),
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


# Metadata rules that ValidatePodTemplateSpec applies to a template's metadata.
TEMPLATE_METADATA_RULES = frozenset({"metadata-labels", "metadata-annotations"})


def check(obj: dict, ctx: object) -> Iterator[Problem]:
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
        return
    _MEMO.append({})  # views shared by this object's rules (registry.shared)
    try:
        for r in rules_for(obj["kind"]):
            yield from r.fn(obj, ctx)
        yield from check_template(obj, ctx)
        yield from check_claim_templates(obj, ctx)
    finally:
        _MEMO.pop()


def template_pod(obj: dict) -> tuple[tuple, dict] | None:
    """(template path, synthetic Pod) of a workload's pod template, or None."""
    from .workloads import template_path, walk

    tpath = template_path(obj)
    template = walk(obj, tpath) if tpath else None
    if not isinstance(template, dict):
        return None
    meta = template.get("metadata")
    spec = template.get("spec")
    spec = dict(spec) if isinstance(spec, dict) else {}
    if obj["kind"] == "StatefulSet":
        # volumesToAddForTemplates (1.34+): the template is validated with a PVC volume per
        # claim template, which replaces a template volume of the same name, so mounts may
        # name claim templates. A replaced volume keeps its index (problems on the others keep
        # the user's paths); the rest are appended, one per distinct name.
        templates = walk(obj, ("spec", "volumeClaimTemplates"))
        claims = [get_name(c) for c in templates if isinstance(c, dict)] if isinstance(templates, list) else []
        claims = list(dict.fromkeys(n for n in claims if n))
        if claims:
            volumes = list(spec.get("volumes")) if isinstance(spec.get("volumes"), list) else []
            for i, v in enumerate(volumes):
                if isinstance(v, dict) and isinstance(v.get("name"), str) and v["name"] in claims:
                    volumes[i] = _claim_volume(v["name"])
            named = {v.get("name") for v in volumes if isinstance(v, dict) and isinstance(v.get("name"), str)}
            spec["volumes"] = volumes + [_claim_volume(n) for n in claims if n not in named]
    return tpath, {"apiVersion": "v1", "kind": "Pod", "metadata": meta if isinstance(meta, dict) else {}, "spec": spec}


def _claim_volume(name: str) -> dict:
    return {"name": name, "persistentVolumeClaim": {"claimName": name}}


def get_name(obj: dict) -> str:
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return name if isinstance(name, str) else ""


def check_template(obj: dict, ctx: object) -> Iterator[Problem]:
    found = template_pod(obj)
    if found is None:
        return
    tpath, pod = found
    structural = _template_schema_errors(obj, pod, ctx)
    if structural is not None:
        # A workload kind without a vendored schema: its template was never type-checked, and
        # the Pod rules trust types. Check it against the Pod schema; if that fails, report
        # the schema's errors at the template's paths instead of running the rules.
        for p in structural:
            yield replace(p, path=tpath + tuple(p.path))
        return
    for r in _template_rules():
        for p in r.fn(pod, ctx):
            yield replace(p, path=tpath + tuple(p.path))


_TEMPLATE_RULES: list[Rule] = []


def _template_rules() -> list[Rule]:
    """The Pod rules that ValidatePodTemplateSpec applies, chosen once per run, not per object."""
    if not _TEMPLATE_RULES:
        _TEMPLATE_RULES.extend(
            r for r in rules_for("Pod")
            if not r.fn.__module__.endswith(".metadata") or r.id in TEMPLATE_METADATA_RULES
        )
    return _TEMPLATE_RULES


def check_claim_templates(obj: dict, ctx: object) -> Iterator[Problem]:
    """ValidateVolumeClaimTemplates (1.34+): each claim template's spec is a PVC spec. Runs the
    PersistentVolumeClaim rules (other than metadata rules: the claim's name is generated)
    on a synthetic claim, at `spec.volumeClaimTemplates[i]`."""
    from .workloads import api_is, walk

    if obj["kind"] != "StatefulSet" or not api_is(obj, "apps/v1"):
        return
    templates = walk(obj, ("spec", "volumeClaimTemplates"))
    pvc_rules = [r for r in rules_for("PersistentVolumeClaim") if not r.fn.__module__.endswith(".metadata")]
    if not pvc_rules or not isinstance(templates, list):
        return
    for i, claim in enumerate(templates):
        if not isinstance(claim, dict):
            continue
        meta = claim.get("metadata")
        pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
               "metadata": meta if isinstance(meta, dict) else {}, "spec": claim.get("spec") if isinstance(claim.get("spec"), dict) else {}}
        for r in pvc_rules:
            for p in r.fn(pvc, ctx):
                yield replace(p, path=("spec", "volumeClaimTemplates", i) + tuple(p.path))


def _template_schema_errors(obj: dict, pod: dict, ctx: object) -> list | None:
    """The Pod-schema errors of a template whose workload has no schema of its own (None when
    the workload's schema already checked it, or when the template is structurally fine)."""
    from .. import k8s_schema

    major, minor = tuple(getattr(ctx, "kube_version", (1, 37)))[:2]
    version = f"{major}.{minor}"
    if version not in k8s_schema.SUPPORTED_VERSIONS or k8s_schema.has_schema(obj["apiVersion"], obj["kind"], version):
        return None
    errors = [p for p in k8s_schema.check(pod, version) if p.is_error]
    return errors or None
