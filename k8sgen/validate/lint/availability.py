"""Availability: disruption budgets that allow a drain, autoscalers that can scale, replicas that
survive a node.

Always on: a PodDisruptionBudget that blocks every eviction (a node drain hangs), an autoscaler
whose target cannot exist or cannot scale, and a Deployment that both an autoscaler and
`spec.replicas` size (each apply resets what the autoscaler chose). The rest is what Polaris,
kube-linter and kube-score recommend for replicated workloads, under `recommended`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import as_dict, as_list, labels_of, name_of, namespace_of, pod_view, selector_matches
from . import setindex
from .registry import RECOMMENDED, Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

SCALABLE = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")
HOSTNAME = "kubernetes.io/hostname"


def _replicas(obj: dict) -> int:
    r = as_dict(obj.get("spec")).get("replicas", 1)
    return r if isinstance(r, int) and not isinstance(r, bool) else 1


def _selected_workloads(ctx: Context, ns: str, selector: dict) -> Iterator[dict]:
    if not as_dict(selector):
        return  # an empty PDB selector is special upstream (all pods in policy/v1); leave it
    for (wns, kind, _), obj in setindex.for_context(ctx).workloads.items():
        pv = pod_view(obj)
        if wns == ns and kind in SCALABLE and pv is not None and selector_matches(selector, pv.labels):
            yield obj


def _percent(value: object) -> int | None:
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return int(value[:-1])
    return None


@rule("lint-pdb-blocks-eviction", "A PodDisruptionBudget allows at least one eviction (maxUnavailable above 0, minAvailable below the replicas or the autoscaler's minReplicas).", kinds=("PodDisruptionBudget",))
def pdb_blocks_eviction(obj: dict, ctx: Context) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    hint = "allow at least one pod to be evicted, or node drains and cluster upgrades wait forever"
    mu = spec.get("maxUnavailable")
    if mu == 0 or _percent(mu) == 0:
        yield ("spec", "maxUnavailable"), f"maxUnavailable {mu} forbids every voluntary eviction", hint
    ma = spec.get("minAvailable")
    if _percent(ma) == 100:
        yield ("spec", "minAvailable"), f"minAvailable {ma} forbids every voluntary eviction", hint
    elif isinstance(ma, int) and not isinstance(ma, bool) and ma > 0:
        hpa = setindex.for_context(ctx).hpa_targets
        for w in _selected_workloads(ctx, namespace_of(obj), as_dict(spec.get("selector"))):
            key = (namespace_of(w), w.get("kind"), name_of(w))
            # An autoscaled workload can shrink to the autoscaler's minReplicas (Polaris's
            # pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas); otherwise spec.replicas counts.
            n, what = (hpa[key], "the autoscaler's minReplicas") if key in hpa else (_replicas(w), "the replicas")
            if n <= ma:
                yield ("spec", "minAvailable"), f"minAvailable {ma} is not below {what} ({n}) of {w.get('kind')} {name_of(w)}: no pod may be evicted at that size", hint
                break


@rule("lint-hpa-target", "A HorizontalPodAutoscaler targets a scalable workload that exists in the set (when the set holds that kind).", kinds=("HorizontalPodAutoscaler",))
def hpa_target(obj: dict, ctx: Context) -> Iterator[Finding]:
    ref = as_dict(as_dict(obj.get("spec")).get("scaleTargetRef"))
    kind, name = ref.get("kind"), ref.get("name")
    if not (isinstance(kind, str) and isinstance(name, str)):
        return
    if kind in ("DaemonSet", "Job", "CronJob", "Pod"):
        yield ("spec", "scaleTargetRef", "kind"), f"a {kind} has no scale subresource: the autoscaler can never scale it", "target a Deployment, StatefulSet or ReplicaSet"
        return
    ns = namespace_of(obj)
    workloads = setindex.for_context(ctx).workloads
    if kind in SCALABLE and (ns, kind, name) not in workloads and any(k[0] == ns and k[1] == kind for k in workloads):
        yield ("spec", "scaleTargetRef", "name"), f'the autoscaler targets {kind} "{name}", which is not in the set (namespace {ns})', f"name one of the {kind}s in {ns}, or declare it external"


def _hpa_targeted(obj: dict, ctx: Context) -> bool:
    return (namespace_of(obj), obj.get("kind"), name_of(obj)) in setindex.for_context(ctx).hpa_targets


@rule("lint-replicas-with-hpa", "A workload scaled by a HorizontalPodAutoscaler does not also set spec.replicas.", kinds=("Deployment", "StatefulSet"))
def replicas_with_hpa(obj: dict, ctx: Context) -> Iterator[Finding]:
    if "replicas" in as_dict(obj.get("spec")) and _hpa_targeted(obj, ctx):
        yield ("spec", "replicas"), "an autoscaler sizes this workload, but spec.replicas resets it on every apply", "remove spec.replicas and let the autoscaler own it"


# --- recommended ----------------------------------------------------------------------------------


def _replicated(obj: dict, ctx: Context) -> bool:
    return _replicas(obj) >= 2 or _hpa_targeted(obj, ctx)


@rule("lint-pdb-missing", "A replicated Deployment or StatefulSet is covered by a PodDisruptionBudget.", kinds=("Deployment", "StatefulSet"), level=RECOMMENDED)
def pdb_missing(obj: dict, ctx: Context) -> Iterator[Finding]:
    pv = pod_view(obj)
    if pv is None or not _replicated(obj, ctx):
        return
    selectors = setindex.for_context(ctx).pdb_selectors.get(namespace_of(obj), [])
    if not any(s and selector_matches(s, pv.labels) for s in selectors):
        yield ("metadata", "name"), f"no PodDisruptionBudget covers the pods of {obj.get('kind')} {name_of(obj)}: a node drain may evict them all at once", "add a PodDisruptionBudget with maxUnavailable: 1 selecting its pods"


def _spread(pv) -> bool:
    anti = as_dict(as_dict(pv.spec.get("affinity")).get("podAntiAffinity"))
    terms = [as_dict(t) for t in as_list(anti.get("requiredDuringSchedulingIgnoredDuringExecution"))]
    terms += [as_dict(as_dict(t).get("podAffinityTerm")) for t in as_list(anti.get("preferredDuringSchedulingIgnoredDuringExecution"))]
    labels = pv.labels
    if any(t.get("topologyKey") == HOSTNAME and selector_matches(as_dict(t.get("labelSelector")), labels) and t.get("labelSelector") for t in terms):
        return True
    for c in as_list(pv.spec.get("topologySpreadConstraints")):
        c = as_dict(c)
        if c.get("topologyKey") in (HOSTNAME, "topology.kubernetes.io/zone") and c.get("labelSelector") and selector_matches(as_dict(c.get("labelSelector")), labels):
            return True
    return False


@rule("lint-anti-affinity", "A replicated Deployment or StatefulSet spreads its pods over nodes (podAntiAffinity on the hostname, or topologySpreadConstraints).", kinds=("Deployment", "StatefulSet"), level=RECOMMENDED)
def anti_affinity(obj: dict, ctx: Context) -> Iterator[Finding]:
    pv = pod_view(obj)
    if pv is None or not _replicated(obj, ctx) or _spread(pv):
        return
    yield pv.path("affinity"), f"the replicas of {obj.get('kind')} {name_of(obj)} may all land on one node", f"add a preferred podAntiAffinity with topologyKey {HOSTNAME} selecting its own pods, or topologySpreadConstraints"


@rule("lint-replicas", "A Deployment runs at least two replicas (or is scaled by an autoscaler).", kinds=("Deployment",), level=RECOMMENDED)
def replicas(obj: dict, ctx: Context) -> Iterator[Finding]:
    if not _replicated(obj, ctx):
        yield ("spec", "replicas"), f"Deployment {name_of(obj)} runs one replica: it is down while that pod restarts or moves", "set spec.replicas: 2 or more, or scale it with a HorizontalPodAutoscaler"


@rule("lint-pdb-unhealthy-eviction", "A PodDisruptionBudget sets unhealthyPodEvictionPolicy: AlwaysAllow, so crash-looping pods do not block drains.", kinds=("PodDisruptionBudget",), level=RECOMMENDED)
def pdb_unhealthy_eviction(obj: dict, ctx: Context) -> Iterator[Finding]:
    if as_dict(obj.get("spec")).get("unhealthyPodEvictionPolicy") != "AlwaysAllow":
        yield ("spec", "unhealthyPodEvictionPolicy"), "pods that are not ready count against the budget: a crash-looping pod can block a node drain", "set spec.unhealthyPodEvictionPolicy: AlwaysAllow"


@rule("lint-hpa-replicas", "A HorizontalPodAutoscaler keeps at least two replicas and can scale (maxReplicas above minReplicas).", kinds=("HorizontalPodAutoscaler",), level=RECOMMENDED)
def hpa_replicas(obj: dict, ctx: Context) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    lo, hi = spec.get("minReplicas", 1), spec.get("maxReplicas")
    if isinstance(lo, int) and lo < 2:
        yield ("spec", "minReplicas"), f"minReplicas {lo}: at the low end the workload has a single pod", "set minReplicas: 2 or more"
    if isinstance(lo, int) and isinstance(hi, int) and hi <= lo:
        yield ("spec", "maxReplicas"), f"maxReplicas {hi} is not above minReplicas {lo}: the autoscaler can never scale", "raise maxReplicas"


@rule("lint-cronjob-deadline", "A CronJob sets startingDeadlineSeconds, so a run missed long ago is skipped rather than started late.", kinds=("CronJob",), level=RECOMMENDED)
def cronjob_deadline(obj: dict, ctx: Context) -> Iterator[Finding]:
    if "startingDeadlineSeconds" not in as_dict(obj.get("spec")):
        yield ("spec", "startingDeadlineSeconds"), "no startingDeadlineSeconds: a run missed while the controller was busy or down still starts, however late", "set spec.startingDeadlineSeconds"


__all__ = ["selector_matches", "labels_of"]
