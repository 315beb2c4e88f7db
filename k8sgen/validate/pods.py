"""Pod specs wherever they live: a Pod, or the pod template of a workload.

Lint and the reference checks both reason about pods. k8sgen itself emits bare Pods, but
`k8sgen validate` also sees hand-written Deployments and Jobs, and a Service in front of a
Deployment must not be reported as selecting nothing. Every accessor here tolerates
malformed objects (the reference checks run even on objects that failed the schema stage).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# Where the pod template sits, per kind that has one.
_TEMPLATE_PATHS: dict[str, tuple] = {
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
}

CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def namespace_of(obj: dict) -> str:
    """The namespace an object lands in; k8sgen treats a missing one as "default"."""
    ns = as_dict(obj.get("metadata")).get("namespace")
    return ns if isinstance(ns, str) and ns else "default"


def name_of(obj: dict) -> str:
    name = as_dict(obj.get("metadata")).get("name")
    return name if isinstance(name, str) else ""


def selector_matches(selector: dict, labels: dict) -> bool:
    """Whether a metav1.LabelSelector selects a label set (matchLabels AND matchExpressions,
    LabelSelectorAsSelector + Matches). An empty selector matches everything; a broken one (an
    expression that is no mapping, an unknown operator) matches nothing, and rules that care
    report it themselves before comparing."""
    for k, v in as_dict(selector.get("matchLabels")).items():
        if labels.get(str(k)) != v:
            return False
    for e in as_list(selector.get("matchExpressions")):
        if not isinstance(e, dict) or not isinstance(e.get("key"), str):
            return False
        key, op, values = e["key"], e.get("operator"), as_list(e.get("values"))
        if op == "In":
            ok = labels.get(key) in values
        elif op == "NotIn":
            ok = key not in labels or labels[key] not in values
        elif op == "Exists":
            ok = key in labels
        elif op == "DoesNotExist":
            ok = key not in labels
        else:
            return False
        if not ok:
            return False
    return True


def labels_of(meta: dict) -> dict:
    return {k: v for k, v in as_dict(meta.get("labels")).items() if isinstance(k, str)}


@dataclass(frozen=True)
class PodView:
    obj: dict  # the object in the set (a Pod or a workload)
    meta: dict  # the pod's metadata (the template's for workloads)
    spec: dict  # the pod spec
    prefix: tuple  # path of `spec` inside `obj`
    namespace: str

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind"))

    @property
    def name(self) -> str:
        return name_of(self.obj)

    @property
    def labels(self) -> dict:
        return labels_of(self.meta)

    def path(self, *parts) -> tuple:
        return self.prefix + parts

    def containers(self) -> Iterator[tuple[tuple, dict]]:
        """(path inside obj, container) for init, regular and ephemeral containers."""
        return iter(self._containers)

    @cached_property
    def _containers(self) -> tuple:
        # Computed once per view: every lint rule walks the containers (dozens of passes per pod).
        return tuple((self.prefix + (fld, i), c) for fld in CONTAINER_FIELDS
                     for i, c in enumerate(as_list(self.spec.get(fld))) if isinstance(c, dict))

    def container_names(self, fields: tuple = ("initContainers", "containers")) -> set:
        return {c["name"] for fld in fields for c in as_list(self.spec.get(fld)) if isinstance(c, dict) and isinstance(c.get("name"), str)}


def pod_view(obj: Any) -> PodView | None:
    if not isinstance(obj, dict):
        return None
    kind = obj.get("kind")
    if kind == "Pod":
        return PodView(obj, as_dict(obj.get("metadata")), as_dict(obj.get("spec")), ("spec",), namespace_of(obj))
    tpath = _TEMPLATE_PATHS.get(kind) if isinstance(kind, str) else None
    if tpath is None:
        return None
    node: Any = obj
    for key in tpath:
        node = as_dict(node).get(key)
    template = as_dict(node)
    if not template.get("spec"):
        return None  # no pod template to reason about (a stub or a broken workload)
    return PodView(obj, as_dict(template.get("metadata")), as_dict(template.get("spec")), tpath + ("spec",), namespace_of(obj))


def container_label(c: dict) -> str:
    name = c.get("name")
    return f'container "{name}"' if isinstance(name, str) and name else "container"
