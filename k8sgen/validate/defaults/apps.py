"""apps/v1 defaulting (`pkg/apis/apps/v1/defaults.go`): Deployment, DaemonSet, StatefulSet,
ReplicaSet, and the pod defaults of their templates.

Gated defaults follow the gates' state in 1.35-1.37: the PVC retention policy is always
defaulted (StatefulSetAutoDeletePVC is GA since 1.32); StatefulSet maxUnavailable is not
(MaxUnavailableStatefulSet is not on by default), which validation cannot tell apart anyway.
"""

from __future__ import annotations

from . import core
from .util import child, default, default_missing, items, mapping


def _template(spec: dict) -> None:
    # The template is a struct, not a pointer: Go defaults (and then validates) a zero one.
    template = child(spec, "template")
    if template is not None:
        core.pod_template(template)


def deployment(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    default_missing(spec, "replicas", 1)
    strategy = child(spec, "strategy")
    if strategy is not None:
        default(strategy, "type", "RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            ru = child(strategy, "rollingUpdate")
            if ru is not None:
                default_missing(ru, "maxUnavailable", "25%")
                default_missing(ru, "maxSurge", "25%")
    default_missing(spec, "revisionHistoryLimit", 10)
    default_missing(spec, "progressDeadlineSeconds", 600)
    _template(spec)


def daemon_set(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    strategy = child(spec, "updateStrategy")
    if strategy is not None:
        default(strategy, "type", "RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            ru = child(strategy, "rollingUpdate")
            if ru is not None:
                default_missing(ru, "maxUnavailable", 1)
                default_missing(ru, "maxSurge", 0)
    default_missing(spec, "revisionHistoryLimit", 10)
    _template(spec)


def stateful_set(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    default(spec, "podManagementPolicy", "OrderedReady")
    strategy = child(spec, "updateStrategy")
    if strategy is not None:
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
            if strategy.get("rollingUpdate") is None:
                strategy["rollingUpdate"] = {}
        ru = mapping(strategy, "rollingUpdate")
        if strategy.get("type") == "RollingUpdate" and ru is not None:
            default_missing(ru, "partition", 0)
    policy = child(spec, "persistentVolumeClaimRetentionPolicy")
    if policy is not None:
        default(policy, "whenDeleted", "Retain")
        default(policy, "whenScaled", "Retain")
    default_missing(spec, "replicas", 1)
    default_missing(spec, "revisionHistoryLimit", 10)
    for claim in items(spec, "volumeClaimTemplates"):
        claim_spec = mapping(claim, "spec")
        if claim_spec is not None:
            core.pvc_spec(claim_spec)
    _template(spec)


def replica_set(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    default_missing(spec, "replicas", 1)
    _template(spec)


DEFAULTERS = {
    ("apps/v1", "Deployment"): deployment,
    ("apps/v1", "DaemonSet"): daemon_set,
    ("apps/v1", "StatefulSet"): stateful_set,
    ("apps/v1", "ReplicaSet"): replica_set,
}
