"""What every workload shares: a selector that matches its pod template, the template's
restartPolicy, and the template itself (`ValidatePodTemplateSpecForReplicaSet`,
`ValidatePodTemplateSpecForStatefulSet`, `ValidateDaemonSetSpec` in
`pkg/apis/apps/validation/validation.go`; `ValidatePodTemplateSpecForRC` and
`ValidatePodTemplateSpec` in `pkg/apis/core/validation/validation.go`; `validateJobSpec` in
`pkg/apis/batch/validation/validation.go`).

Every Pod rule also runs on each pod template, with the template's field paths (see
`rules.check` and `TEMPLATES`). The rules here only fire for the API version whose validation
they restate (apps/v1, batch/v1, core v1): a custom resource that happens to be called
Deployment is not a Deployment, and a removed version (extensions/v1beta1) is the schema
stage's to report.

Where the server reports a template's labels at `spec.template.labels` (it passes the
template's path, not its metadata's, to `ValidateLabels`), k8sgen reports
`spec.template.metadata.labels`, the field to fix; messages are unchanged.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...errors import Problem
from .labels import check_label_selector
from ..pods import selector_matches
from .registry import forbidden, get_dict, invalid, not_supported, required, rule

# (apiVersion, kind) -> path of the pod template inside the object.
TEMPLATES: dict[tuple[str, str], tuple] = {
    ("apps/v1", "Deployment"): ("spec", "template"),
    ("apps/v1", "ReplicaSet"): ("spec", "template"),
    ("apps/v1", "StatefulSet"): ("spec", "template"),
    ("apps/v1", "DaemonSet"): ("spec", "template"),
    ("batch/v1", "Job"): ("spec", "template"),
    ("batch/v1", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
    ("v1", "ReplicationController"): ("spec", "template"),
    ("v1", "PodTemplate"): ("template",),
}
WORKLOAD_KINDS = tuple(sorted({k for _, k in TEMPLATES}))
NON_NEGATIVE = "must be greater than or equal to 0"
MAX_INT32 = 2147483647

# Controllers that keep their pods running accept only restartPolicy Always.
ALWAYS_KINDS = {"Deployment": "ReplicaSet", "ReplicaSet": "ReplicaSet", "StatefulSet": "StatefulSet",
                "DaemonSet": "DaemonSet", "ReplicationController": "ReplicationController"}


def api_is(obj: dict, api_version: str) -> bool:
    return obj.get("apiVersion") == api_version


def template_path(obj: dict) -> tuple | None:
    return TEMPLATES.get((obj.get("apiVersion"), obj.get("kind")))


def walk(obj: object, path: tuple) -> object:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def non_negative(rid: str, spec: dict, key: str, base: tuple) -> Iterator[Problem]:
    v = spec.get(key)
    if is_int(v) and v < 0:
        yield invalid(rid, base + (key,), v, NON_NEGATIVE)


# --- label selectors: metav1.LabelSelectorAsSelector and Selector.Matches ---


def selector_empty(selector: dict) -> bool:
    return not (selector.get("matchLabels") or selector.get("matchExpressions"))


def template_labels(template: object) -> dict:
    labels = get_dict(template, "metadata", "labels")
    return {str(k): (v if isinstance(v, str) else str(v)) for k, v in labels.items()}


def selector_problems(rid: str, obj: dict, what: str) -> Iterator[Problem]:
    """Selector required, well-formed, non-empty, and matching the template labels."""
    spec = get_dict(obj, "spec")
    selector = spec.get("selector")
    tpath = template_path(obj) or ("spec", "template")
    if not isinstance(selector, dict):
        yield required(rid, ("spec", "selector"), hint="select the pods by their template labels, e.g. matchLabels: {app: NAME}")
        return
    problems = list(check_label_selector(rid, selector, ("spec", "selector")))
    yield from problems
    if selector_empty(selector):
        yield invalid(rid, ("spec", "selector"), selector, f"empty selector is invalid for {what}",
                      hint="select the pods by their template labels, e.g. matchLabels: {app: NAME}")
        return
    if problems:
        return  # an invalid selector cannot be compared with the labels
    labels = template_labels(walk(obj, tpath))
    if not selector_matches(selector, labels):
        yield invalid(rid, tpath + ("metadata", "labels"), labels, "`selector` does not match template `labels`",
                      hint="every matchLabels entry (and matchExpressions) must hold for the template's labels")


@rule("workload-selector", ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"), "spec.selector is set, a valid non-empty label selector, and matches spec.template.metadata.labels")
def check_selector(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    what = {"Deployment": "deployment", "ReplicaSet": "deployment", "StatefulSet": "statefulset", "DaemonSet": "daemonset"}[obj["kind"]]
    yield from selector_problems("workload-selector", obj, what)


@rule("workload-restart-policy", ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController"), "the pod template of a Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController has restartPolicy Always (the default) and no activeDeadlineSeconds")
def check_restart_policy(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "workload-restart-policy"
    tpath = template_path(obj)
    template = walk(obj, tpath) if tpath else None
    if not isinstance(template, dict):
        return  # only an RC's template can be absent after defaulting: reported as required
    spec = get_dict(template, "spec")
    policy = spec.get("restartPolicy")
    policy = policy if isinstance(policy, str) else ""
    if policy != "Always":
        yield not_supported(rid, tpath + ("spec", "restartPolicy"), policy, ("Always",),
                            hint="controllers restart their pods; use a Job for run-to-completion work")
    if spec.get("activeDeadlineSeconds") is not None:
        yield forbidden(rid, tpath + ("spec", "activeDeadlineSeconds"), f"activeDeadlineSeconds in {ALWAYS_KINDS[obj['kind']]} is not Supported")


@rule("workload-pod-template", WORKLOAD_KINDS, "a pod template has no ephemeral containers (they are added to running pods only)")
def check_template(obj: dict, ctx: object) -> Iterator[Problem]:
    tpath = template_path(obj)
    if tpath is None:
        return
    spec = get_dict(walk(obj, tpath), "spec")
    if spec.get("ephemeralContainers"):
        yield forbidden("workload-pod-template", tpath + ("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template")


# --- int or percent: ValidatePositiveIntOrPercent, IsNotMoreThan100Percent, getIntOrPercentValue ---

_PERCENT = re.compile(r"[0-9]+%\Z")
PERCENT_MSG = ("a valid percent string must be a numeric string followed by an ending '%' "
               "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")


def int_or_percent(rid: str, value: object, path: tuple) -> Iterator[Problem]:
    if isinstance(value, str):
        if not _PERCENT.match(value):
            hint = f"write {value} without quotes for a number" if value.isdigit() else "e.g. 25% or 1"
            yield invalid(rid, path, value, PERCENT_MSG, hint=hint)
    elif is_int(value):
        if value < 0:
            yield invalid(rid, path, value, NON_NEGATIVE)


def int_or_percent_value(value: object) -> int:
    """The number an int-or-percent stands for when compared with 0 (a bad string counts as 0,
    as IntValue() of a non-numeric string is 0 in Go)."""
    if isinstance(value, str):
        if _PERCENT.match(value):
            return int(value[:-1])
        try:
            return int(value)
        except ValueError:
            return 0
    return value if is_int(value) else 0


def not_more_than_100_percent(rid: str, value: object, path: tuple) -> Iterator[Problem]:
    if isinstance(value, str) and _PERCENT.match(value) and int(value[:-1]) > 100:
        yield invalid(rid, path, value, "must not be greater than 100%")
