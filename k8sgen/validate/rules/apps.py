"""apps/v1 Deployments, ReplicaSets, StatefulSets and DaemonSets (`ValidateDeploymentSpec`,
`ValidateDeploymentStrategy`, `ValidateRollingUpdateDeployment`, `ValidateReplicaSetSpec`,
`ValidateStatefulSetSpec`, `validateRollingUpdateStatefulSet`, `ValidateDaemonSetSpec`,
`ValidateDaemonSetUpdateStrategy`, `ValidateRollingUpdateDaemonSet` in
`pkg/apis/apps/validation/validation.go`).

The objects are seen after apps/v1 defaulting (strategy RollingUpdate with 25%/25%,
revisionHistoryLimit 10, progressDeadlineSeconds 600, podManagementPolicy OrderedReady,
DaemonSet maxUnavailable 1 and maxSurge 0), so a rule that finds a value missing reports what
defaulting could not fill in. Selector, restartPolicy and template rules shared with the other
workloads are in `workloads`.

A StatefulSet's pod template has been validated on create since 1.34 (kubernetes PR 131790,
`volumesToAddForTemplates`): with a PVC volume per volumeClaimTemplate, so containers may
mount a claim template by name (see `rules.template_pod`); its claim templates are validated as
PVC specs (PR 132212). Before 1.34 only the template's labels and annotations were; k8sgen
targets 1.35-1.37.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from .registry import forbidden, get_dict, invalid, not_supported, required, rule
from .workloads import (
    api_is,
    int_or_percent,
    int_or_percent_value,
    is_int,
    non_negative,
    not_more_than_100_percent,
)

SPEC = ("spec",)


@rule("deployment-spec", ("Deployment",), "replicas, minReadySeconds and revisionHistoryLimit are >= 0; progressDeadlineSeconds is >= 0 and greater than minReadySeconds")
def check_deployment_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    rid = "deployment-spec"
    spec = get_dict(obj, "spec")
    for key in ("replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"):
        yield from non_negative(rid, spec, key, SPEC)
    pds, mrs = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds") or 0
    if is_int(pds) and is_int(mrs) and pds <= mrs:
        yield invalid(rid, SPEC + ("progressDeadlineSeconds",), pds, "must be greater than minReadySeconds",
                      hint="progressDeadlineSeconds defaults to 600; raise it above minReadySeconds")


@rule("deployment-strategy", ("Deployment",), "strategy type is RollingUpdate or Recreate; Recreate has no rollingUpdate; maxUnavailable and maxSurge are ints >= 0 or percents, not both 0, and maxUnavailable at most 100%")
def check_deployment_strategy(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    rid = "deployment-strategy"
    strategy = get_dict(obj, "spec", "strategy")
    path = SPEC + ("strategy",)
    kind = strategy.get("type")
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            yield forbidden(rid, path + ("rollingUpdate",), "may not be specified when strategy `type` is 'Recreate'")
    elif kind == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            yield required(rid, path + ("rollingUpdate",), "this should be defaulted and never be nil")
            return
        rp = path + ("rollingUpdate",)
        mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
        yield from int_or_percent(rid, mu, rp + ("maxUnavailable",))
        yield from int_or_percent(rid, ms, rp + ("maxSurge",))
        if int_or_percent_value(mu) == 0 and int_or_percent_value(ms) == 0:
            yield invalid(rid, rp + ("maxUnavailable",), mu, "may not be 0 when `maxSurge` is 0",
                          hint="a rollout needs room: allow one pod down (maxUnavailable) or one extra (maxSurge)")
        yield from not_more_than_100_percent(rid, mu, rp + ("maxUnavailable",))
    else:
        yield not_supported(rid, path, kind if kind is not None else "", ("Recreate", "RollingUpdate"))


@rule("replicaset-spec", ("ReplicaSet",), "replicas and minReadySeconds are >= 0")
def check_replica_set_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    spec = get_dict(obj, "spec")
    for key in ("replicas", "minReadySeconds"):
        yield from non_negative("replicaset-spec", spec, key, SPEC)


POD_MANAGEMENT_POLICIES = ("OrderedReady", "Parallel")
RETENTION_POLICIES = ("Retain", "Delete")


@rule("statefulset-spec", ("StatefulSet",), "podManagementPolicy is OrderedReady or Parallel; replicas, minReadySeconds and ordinals.start are >= 0; persistentVolumeClaimRetentionPolicy whenDeleted/whenScaled are Retain or Delete")
def check_stateful_set_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    rid = "statefulset-spec"
    spec = get_dict(obj, "spec")
    policy = spec.get("podManagementPolicy")
    if not policy:
        yield required(rid, SPEC + ("podManagementPolicy",))
    elif policy not in POD_MANAGEMENT_POLICIES:
        yield invalid(rid, SPEC + ("podManagementPolicy",), policy, "must be 'OrderedReady' or 'Parallel'",
                      hint=f"did you mean {'Parallel' if str(policy).lower().startswith('par') else 'OrderedReady'}?")
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(retention, dict):
        for key in ("whenDeleted", "whenScaled"):
            value = retention.get(key)
            value = value if isinstance(value, str) else ""
            if value not in RETENTION_POLICIES:
                yield not_supported(rid, SPEC + ("persistentVolumeClaimRetentionPolicy", key), value, RETENTION_POLICIES)
    for key in ("replicas", "minReadySeconds"):
        yield from non_negative(rid, spec, key, SPEC)
    ordinals = spec.get("ordinals")
    if isinstance(ordinals, dict):
        yield from non_negative(rid, ordinals, "start", SPEC + ("ordinals",))


@rule("statefulset-update-strategy", ("StatefulSet",), "updateStrategy type is RollingUpdate or OnDelete; rollingUpdate only with RollingUpdate, partition >= 0, maxUnavailable an int or percent, not 0 and at most 100%")
def check_stateful_set_strategy(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    rid = "statefulset-update-strategy"
    strategy = get_dict(obj, "spec", "updateStrategy")
    path = SPEC + ("updateStrategy",)
    kind = strategy.get("type")
    ru = strategy.get("rollingUpdate")
    if not kind:
        yield required(rid, path)
    elif kind == "OnDelete":
        if ru is not None:
            yield invalid(rid, path + ("rollingUpdate",), ru, "only allowed for updateStrategy 'RollingUpdate'")
    elif kind == "RollingUpdate":
        if isinstance(ru, dict):
            rp = path + ("rollingUpdate",)
            yield from non_negative(rid, ru, "partition", rp)
            mu = ru.get("maxUnavailable")
            if mu is not None:
                yield from int_or_percent(rid, mu, rp + ("maxUnavailable",))
                if int_or_percent_value(mu) == 0:
                    yield invalid(rid, rp + ("maxUnavailable",), mu, "cannot be 0")
                yield from not_more_than_100_percent(rid, mu, rp + ("maxUnavailable",))
    else:
        yield invalid(rid, path, strategy, "must be 'RollingUpdate' or 'OnDelete'")


@rule("daemonset-spec", ("DaemonSet",), "minReadySeconds, templateGeneration and revisionHistoryLimit are >= 0")
def check_daemon_set_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    spec = get_dict(obj, "spec")
    for key in ("minReadySeconds", "templateGeneration", "revisionHistoryLimit"):
        yield from non_negative("daemonset-spec", spec, key, SPEC)


@rule("daemonset-update-strategy", ("DaemonSet",), "updateStrategy type is RollingUpdate or OnDelete; maxUnavailable and maxSurge are ints >= 0 or percents up to 100%, and exactly one of them is non-zero")
def check_daemon_set_strategy(obj: dict, ctx: object) -> Iterator[Problem]:
    if not api_is(obj, "apps/v1"):
        return
    rid = "daemonset-update-strategy"
    strategy = get_dict(obj, "spec", "updateStrategy")
    path = SPEC + ("updateStrategy",)
    kind = strategy.get("type")
    if kind == "OnDelete":
        return
    if kind != "RollingUpdate":
        yield not_supported(rid, path, kind if kind is not None else "", ("RollingUpdate", "OnDelete"))
        return
    ru = strategy.get("rollingUpdate")
    if not isinstance(ru, dict):
        yield required(rid, path + ("rollingUpdate",))
        return
    rp = path + ("rollingUpdate",)
    mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
    yield from int_or_percent(rid, mu, rp + ("maxUnavailable",))
    yield from int_or_percent(rid, ms, rp + ("maxSurge",))
    yield from not_more_than_100_percent(rid, mu, rp + ("maxUnavailable",))
    yield from not_more_than_100_percent(rid, ms, rp + ("maxSurge",))
    has_unavailable, has_surge = int_or_percent_value(mu) != 0, int_or_percent_value(ms) != 0
    if has_unavailable and has_surge:
        yield invalid(rid, rp + ("maxSurge",), ms, "may not be set when maxUnavailable is non-zero",
                      hint="maxUnavailable defaults to 1: set maxUnavailable: 0 to surge instead")
    elif not has_unavailable and not has_surge:
        yield required(rid, rp + ("maxUnavailable",), "cannot be 0 when maxSurge is 0")
