"""Deployments, StatefulSets, DaemonSets (apps/v1), Jobs and CronJobs (batch/v1).

A workload entry is a pod entry (everything `pods:` takes, through the same `pods.pod_spec`) plus
the workload's own fields. Its pods are labelled with the entry's labels, or, when it has none,
`app.kubernetes.io/name: NAME`; the apps kinds select their pods by those labels (or by the
entry's `selector`, which must be a subset). A selector is immutable once applied: changing the
labels it is made of later means deleting and re-creating the workload. Jobs get no selector:
the API server generates one (a selector of our own would need manualSelector).
"""

from __future__ import annotations

from . import storage
from .base import Context
from .pods import pod_spec

NAME_LABEL = "app.kubernetes.io/name"

# spec key -> (kind, apiVersion, template, where the pod spec sits in the object)
KINDS = {
    "deployments": ("Deployment", "apps/v1", "deployment.yaml.j2", ("spec", "template", "spec")),
    "statefulSets": ("StatefulSet", "apps/v1", "statefulset.yaml.j2", ("spec", "template", "spec")),
    "daemonSets": ("DaemonSet", "apps/v1", "daemonset.yaml.j2", ("spec", "template", "spec")),
    "jobs": ("Job", "batch/v1", "job.yaml.j2", ("spec", "template", "spec")),
    "cronJobs": ("CronJob", "batch/v1", "cronjob.yaml.j2", ("spec", "jobTemplate", "spec", "template", "spec")),
}
# The workload's own spec fields (the same names in the spec and in the object), in the order
# they are written.
_FIELDS = {
    "Deployment": ("replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"),
    "StatefulSet": ("replicas", "podManagementPolicy", "minReadySeconds", "revisionHistoryLimit"),
    "DaemonSet": ("minReadySeconds", "revisionHistoryLimit"),
}
_JOB_FIELDS = ("completions", "parallelism", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "completionMode", "suspend")
_CRON_FIELDS = ("schedule", "timeZone", "concurrencyPolicy", "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "suspend")
# `strategy: Recreate` is short for {type: Recreate}; the long form is Kubernetes' own.
_STRATEGY = {"Deployment": "strategy", "StatefulSet": "updateStrategy", "DaemonSet": "updateStrategy"}


def normalize(cx: Context) -> None:
    for key, (kind, api, template, prefix) in KINDS.items():
        for name, w in cx.spec.get(key, {}).items():
            _workload(cx, kind, api, template, prefix, name, w, (key, name))


def _workload(cx: Context, kind: str, api: str, template: str, prefix: tuple, name: str, w: dict, src: tuple) -> None:
    if name in cx.workloads:
        other = cx.workloads[name][2]
        cx.error(f"two workloads are named {name!r} (also {other[0]}.{other[1]})", src, "selectWorkload needs one workload per name: rename one", rule="spec-workload", key=True)
        return
    entry = dict(w)
    if "labels" not in w:
        entry["labels"] = {NAME_LABEL: name}  # `labels: {}` says: no labels of its own
    # podLabels and podAnnotations go to the pod template only, added to the entry's own.
    own = {**entry["labels"], **w.get("podLabels", {})}
    selector = dict(entry["labels"] or w.get("podLabels", {}))
    batch = kind in ("Job", "CronJob")
    if "selector" in w:
        selector = dict(w["selector"])
        wrong = [k for k, v in selector.items() if own.get(k) != v]
        if wrong:
            cx.error(f"selector label {wrong[0]!r} is not one of this workload's pod labels", src + ("selector", wrong[0]), "a workload must select its own pods: the selector is a subset of labels", rule="spec-workload")
    if not selector and not batch:
        cx.error(f"a {kind} selects its pods by their labels, and this one's pods have none", src + ("labels",), "give it labels, or podLabels to select its pods by", rule="spec-workload", key="labels" in w)
    cx.workloads[name] = (kind, selector, src)

    restart = w.get("restartPolicy")
    if batch and restart is None:
        entry["restartPolicy"] = "Never"  # as `kubectl create job`: a failed pod stays for its logs
    elif batch and restart == "Always":
        cx.error(f"a {kind}'s pods restart OnFailure or Never, not Always", src + ("restartPolicy",), "write restartPolicy: OnFailure (or Never)", rule="spec-workload")
    elif not batch and restart not in (None, "Always"):
        cx.error(f"a {kind}'s pods always restart (restartPolicy Always), not {restart}", src + ("restartPolicy",), "remove restartPolicy, or make it a Job", rule="spec-workload")

    claims = tuple(w.get("volumeClaims", {}))
    origins: dict = {prefix: src, prefix[:-1] + ("metadata",): src, prefix[:-1] + ("metadata", "labels"): src + ("labels",)}
    pspec = pod_spec(cx, name, entry, src, prefix, origins, claims)
    if pspec is None:
        return
    pod_labels, pod_ann = cx.meta(entry)
    pod_labels.update(w.get("podLabels", {}))
    pod_ann.update(w.get("podAnnotations", {}))
    origins[prefix[:-1] + ("metadata", "annotations")] = src + ("podAnnotations" if w.get("podAnnotations") else "annotations",)
    if w.get("podLabels"):
        origins[prefix[:-1] + ("metadata", "labels")] = src + ("podLabels",)
    ctx: dict = {"pod": {"labels": pod_labels, "annotations": pod_ann, "spec": pspec}, "selector": None, "fields": [], "jobFields": []}
    if not batch:
        ctx["selector"] = selector
        origins[("spec", "selector")] = src + ("selector",) if "selector" in w else src + ("labels",)
    fields = ctx["fields"]
    if kind == "CronJob":
        fields += [(k, w[k]) for k in _CRON_FIELDS if k in w]
        ctx["jobFields"] = [(k, w[k]) for k in _JOB_FIELDS if k in w and k != "suspend"]
    elif kind == "Job":
        fields += [(k, w[k]) for k in _JOB_FIELDS if k in w]
    else:
        fields += [(k, w[k]) for k in _FIELDS[kind] if k in w]
        key = _STRATEGY[kind]
        if key in w:
            s = w[key]
            fields.append((key, {"type": s} if isinstance(s, str) else dict(s)))
    for k, v in fields + ctx["jobFields"]:
        origins[("spec", k)] = src + (k,)
        _check_count(cx, k, v, src + (k,))
    if kind == "StatefulSet":
        _stateful(cx, name, w, src, ctx, pspec, selector, origins)
    cx.add(kind, api, name, True, template, ctx, src, entry, origins)


# Counts the API server requires to be positive; every other integer field must not be negative.
_POSITIVE = {"activeDeadlineSeconds", "progressDeadlineSeconds"}


def _check_count(cx: Context, key: str, value, path: tuple) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        return
    if key in _POSITIVE and value <= 0:
        cx.error(f"{key} must be greater than 0, not {value}", path, rule="spec-workload")
    elif value < 0:
        cx.error(f"{key} must not be negative, not {value}", path, rule="spec-workload")


def _stateful(cx: Context, name: str, w: dict, src: tuple, ctx: dict, pspec: dict, selector: dict, origins: dict) -> None:
    """serviceName and volumeClaimTemplates. The governing Service gives each pod a stable DNS
    name NAME-0.SERVICE.NAMESPACE.svc; it must be headless. One of the spec's services is
    checked; otherwise (and unless it is declared external) it is made here."""
    service = w.get("service", name)
    ctx["fields"].insert(0, ("serviceName", service))
    origins[("spec", "serviceName")] = src + ("service",)
    svc = cx.spec.get("services", {}).get(service)
    external = service in cx.spec.get("external", {}).get("services", [])
    if svc is not None:
        if not svc.get("headless"):
            cx.error(f"StatefulSet {name!r} needs its Service {service!r} to be headless", ("services", service), "add headless: true to that Service (pods get DNS names only from a headless Service)", rule="spec-statefulset")
    elif not external:
        ports = []
        for c in pspec["containers"]:
            for p in c.get("ports", []):
                sp = {"port": p["containerPort"], "targetPort": p["containerPort"], "protocol": p["protocol"]}
                if "name" in p:
                    sp["name"] = p["name"]
                ports.append(sp)
        if len(ports) > 1:
            for p in ports:
                p.setdefault("name", f"{p['protocol'].lower()}-{p['port']}")
        sctx = {"type": "ClusterIP", "ports": ports, "selector": selector, "clusterIP": "None", "externalName": None,
                "sessionAffinity": None, "publishNotReadyAddresses": None, "externalTrafficPolicy": None}
        cx.add("Service", "v1", service, True, "service.yaml.j2", sctx, src + ("service",), {"labels": w.get("labels", {}), "ignore": w.get("ignore", [])})
    templates = []
    for i, (cname, claim) in enumerate(w.get("volumeClaims", {}).items()):
        csrc = src + ("volumeClaims", cname)
        templates.append({"metadata": {"name": cname}, "spec": storage.claim_spec(cx, claim, csrc)})
        origins[("spec", "volumeClaimTemplates", i)] = csrc
    if templates:
        ctx["fields"].append(("volumeClaimTemplates", templates))


__all__ = ["normalize", "KINDS"]
