"""Deployments, StatefulSets, DaemonSets, Jobs and CronJobs back to workload entries.

k8sgen labels a workload and its pods alike (the entry's `labels`, by default
`app.kubernetes.io/name: NAME`) and gives both the entry's annotations, so a workload whose
pod template carries other labels or annotations than the workload itself stays verbatim.
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


def _template(template: dict, meta: dict, kind: str) -> dict:
    """The pod template's spec, once its metadata is known to be the workload's own."""
    only(template, ("metadata", "spec"), "template")
    tmeta = dict(template.get("metadata") or {})
    only(tmeta, ("labels", "annotations"), "template.metadata")
    if (tmeta.get("labels") or {}) != (meta.get("labels") or {}) or (tmeta.get("annotations") or {}) != (meta.get("annotations") or {}):
        raise Unsupported(f"{kind} pod template metadata")
    return template.get("spec") or {}


def _workload(g: Group, kind: str, key: tuple, obj: dict) -> tuple:
    name = key[2]
    folded: list = []
    only(obj, ("apiVersion", "kind", "metadata", "spec"), "")
    meta_entry: dict = {}
    metadata(obj, meta_entry)
    labels = meta_entry.get("labels") or {}
    if not labels:
        raise Unsupported("a workload without labels")  # k8sgen would add app.kubernetes.io/name
    spec = dict(obj.get("spec") or {})
    external: dict = {}
    head: dict = {}
    if kind == "CronJob":
        job_template = dict(spec.pop("jobTemplate", None) or {})
        only(job_template, ("spec",), "jobTemplate")
        job = dict(job_template.get("spec") or {})
        template = job.pop("template", None) or {}
        only(spec, _CRON_FIELDS, "spec")
        only(job, _JOB_FIELDS, "jobTemplate.spec")
        if "suspend" in job:
            raise Unsupported("jobTemplate.spec.suspend")
        fields = {**{k: spec[k] for k in _CRON_FIELDS if k in spec}, **{k: job[k] for k in _JOB_FIELDS if k in job}}
    else:
        template = spec.pop("template", None) or {}
        if kind == "Job":
            only(spec, _JOB_FIELDS, "spec")
            fields = {k: spec[k] for k in _JOB_FIELDS if k in spec}
        else:
            selector = spec.pop("selector", None) or {}
            only(selector, ("matchLabels",), "selector")
            match = selector.get("matchLabels") or {}
            if not match:
                raise Unsupported("selector")
            if match != labels:
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
    pod_spec = _template(template, obj.get("metadata") or {}, kind)
    restart = "Never" if kind in ("Job", "CronJob") else None
    entry = pod_entry(g, name, pod_spec, restart_default=restart)
    if restart is None and entry.get("restartPolicy") == "Always":
        del entry["restartPolicy"]
    if kind in ("Job", "CronJob") and pod_spec.get("restartPolicy") is None:
        raise Unsupported("restartPolicy")  # k8sgen would write Never
    out: dict = {}
    if labels != {NAME_LABEL: name}:
        out["labels"] = labels
    if meta_entry.get("annotations"):
        out["annotations"] = meta_entry["annotations"]
    out.update(head)
    out.update(fields)
    out.update(entry)
    return out, external, folded
