"""Deployments, StatefulSets, DaemonSets, Jobs and CronJobs back to workload entries.

k8sgen labels a workload and its pods alike (the entry's `labels`, by default
`app.kubernetes.io/name: NAME`, `{}` for none) and gives both the entry's annotations; what
only the pod template carries is `podLabels` and `podAnnotations`. A workload with a label or
annotation its pods lack stays verbatim.
"""

from __future__ import annotations

from ..normalize.workloads import NAME_LABEL, _CRON_FIELDS, _FIELDS, _JOB_FIELDS
from .base import CANNOT, Entry, Group, Unsupported, metadata, only
from .pods import pod_entry
from .storage import claim_entry

_SECTION = {"Deployment": "deployments", "StatefulSet": "statefulSets", "DaemonSet": "daemonSets", "Job": "jobs", "CronJob": "cronJobs"}
_STRATEGY = {"Deployment": "strategy", "StatefulSet": "updateStrategy", "DaemonSet": "updateStrategy"}


def propose(g: Group) -> list:
    out = []
    for kind, section in _SECTION.items():
        for k, obj in g.free(kind):
            try:
                entry, external, folded = _workload(g, kind, k, obj)
            except CANNOT:
                continue
            if kind not in ("Job", "CronJob"):
                g.selectors[k[2]] = (obj["spec"].get("selector") or {}).get("matchLabels")
            out.append(Entry(section, k[2], entry, [k] + folded, external))
    return out


def _template(template: dict, meta: dict, kind: str) -> tuple:
    """The pod template's spec, and its labels and annotations beyond the workload's own
    (`podLabels`, `podAnnotations`): k8sgen gives the pods every label and annotation of the
    workload, so one the pods lack has no shorthand."""
    only(template, ("metadata", "spec"), "template")
    tmeta = dict(template.get("metadata") or {})
    only(tmeta, ("labels", "annotations"), "template.metadata")
    extra = []
    for key in ("labels", "annotations"):
        pods, own = tmeta.get(key) or {}, meta.get(key) or {}
        if any(pods.get(k) != v for k, v in own.items()):
            raise Unsupported(f"{kind} pod template {key}")
        extra.append({k: v for k, v in pods.items() if k not in own})
    return template.get("spec") or {}, extra[0], extra[1]


def _pod_template(kind: str, obj: dict) -> dict:
    spec = obj.get("spec") or {}
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec") or {})
    return spec.get("template") or {}


def _workload(g: Group, kind: str, key: tuple, obj: dict) -> tuple:
    name = key[2]
    folded: list = []
    only(obj, ("apiVersion", "kind", "metadata", "spec"), "")
    meta_entry: dict = {}
    metadata(obj, meta_entry)
    labels = meta_entry.get("labels") or {}
    pod_spec, pod_labels, pod_annotations = _template(_pod_template(kind, obj), obj.get("metadata") or {}, kind)
    spec = dict(obj.get("spec") or {})
    external: dict = {}
    head: dict = {}
    if kind == "CronJob":
        job_template = dict(spec.pop("jobTemplate", None) or {})
        only(job_template, ("spec",), "jobTemplate")
        job = dict(job_template.get("spec") or {})
        job.pop("template", None)
        only(spec, _CRON_FIELDS, "spec")
        only(job, _JOB_FIELDS, "jobTemplate.spec")
        if "suspend" in job:
            raise Unsupported("jobTemplate.spec.suspend")
        fields = {**{k: spec[k] for k in _CRON_FIELDS if k in spec}, **{k: job[k] for k in _JOB_FIELDS if k in job}}
    else:
        spec.pop("template", None)
        if kind == "Job":
            only(spec, _JOB_FIELDS, "spec")
            fields = {k: spec[k] for k in _JOB_FIELDS if k in spec}
        else:
            selector = spec.pop("selector", None) or {}
            only(selector, ("matchLabels",), "selector")
            match = selector.get("matchLabels") or {}
            if not match:
                raise Unsupported("selector")
            if match != (labels or pod_labels):  # the selector k8sgen would give it
                head["selector"] = dict(match)
            allowed = _FIELDS[kind] + (_STRATEGY[kind],) + (("serviceName", "volumeClaimTemplates") if kind == "StatefulSet" else ())
            only(spec, allowed, "spec")
            fields = {k: spec[k] for k in _FIELDS[kind] if k in spec}
            strategy = spec.get(_STRATEGY[kind])
            if strategy is not None:
                fields[_STRATEGY[kind]] = strategy["type"] if set(strategy) == {"type"} else strategy
            if kind == "StatefulSet":
                service = spec.get("serviceName")
                if not service:
                    raise Unsupported("serviceName")
                if service != name:
                    head["service"] = service
                found = g.get("Service", service)
                if found is None:
                    # The Service is not (or not as a shorthand) in this spec: the StatefulSet
                    # must not make one.
                    external["services"] = [service]
                elif key not in g.solo and (found[1].get("spec") or {}).get("clusterIP") == "None":
                    # Perhaps the very headless Service k8sgen makes for a StatefulSet: the
                    # render says whether it is (if not, the next round lists it on its own).
                    folded.append(found[0])
                claims = {}
                for t in spec.get("volumeClaimTemplates") or []:
                    only(t, ("metadata", "spec"), "volumeClaimTemplates")
                    tm = t.get("metadata") or {}
                    only(tm, ("name",), "volumeClaimTemplates.metadata")
                    claims[tm["name"]] = claim_entry(t.get("spec") or {})
                if claims:
                    fields["volumeClaims"] = claims
    restart = "Never" if kind in ("Job", "CronJob") else None
    entry = pod_entry(g, name, pod_spec, restart_default=restart)
    if restart is None and entry.get("restartPolicy") == "Always":
        del entry["restartPolicy"]
    if kind in ("Job", "CronJob") and pod_spec.get("restartPolicy") is None:
        raise Unsupported("restartPolicy")  # k8sgen would write Never
    out: dict = {}
    if labels != {NAME_LABEL: name}:
        out["labels"] = labels  # {} too: a workload without labels of its own
    if meta_entry.get("annotations"):
        out["annotations"] = meta_entry["annotations"]
    if pod_labels:
        out["podLabels"] = pod_labels
    if pod_annotations:
        out["podAnnotations"] = pod_annotations
    out.update(head)
    out.update(fields)
    out.update(entry)
    return out, external, folded
