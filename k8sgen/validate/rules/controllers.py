"""Core v1 ReplicationControllers (`ValidateReplicationControllerSpec`, `ValidateNonEmptySelector`,
`ValidatePodTemplateSpecForRC` in `pkg/apis/core/validation/validation.go`). PodTemplates have
no rules of their own: their template gets the Pod rules, like every workload's.

An RC is seen after v1 defaulting, which copies the template's labels into an empty selector,
so only an RC whose template has no labels either lacks a selector. Its selector is a plain
label map, not a LabelSelector.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from .registry import get_dict, invalid, required, rule
from .workloads import api_is, non_negative, template_labels


@rule("replicationcontroller-spec", ("ReplicationController",), "replicas and minReadySeconds are >= 0; the selector is non-empty and matches the template's labels; a template is required")
def check_rc_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "v1"):
        return
    rid = "replicationcontroller-spec"
    spec = get_dict(obj, "spec")
    for key in ("minReadySeconds", "replicas"):
        yield from non_negative(rid, spec, key, ("spec",))
    selector = get_dict(spec, "selector")
    if not selector:
        yield required(rid, ("spec", "selector"), hint="label the template's pods (spec.template.metadata.labels); the selector defaults to them")
    template = spec.get("template")
    if not isinstance(template, dict):
        yield required(rid, ("spec", "template"))
        return
    labels = template_labels(template)
    if selector and any(labels.get(str(k)) != (v if isinstance(v, str) else str(v)) for k, v in selector.items()):
        yield invalid(rid, ("spec", "template", "metadata", "labels"), labels, "`selector` does not match template `labels`")
