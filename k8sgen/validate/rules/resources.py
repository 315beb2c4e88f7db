"""Container resources: names, quantities, requests <= limits (`validateResourceRequirements`,
`validateContainerResourceName`, `ValidateResourceQuantityValue` in
`pkg/apis/core/validation/validation.go`)."""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats, quantity
from .podspec import containers
from .registry import (
    duplicate,
    forbidden,
    get_dict,
    invalid,
    not_supported,
    required,
    rule,
)

STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
HUGEPAGES_PREFIX = "hugepages-"
# IsStandardResourceName: names the server knows but which are not container resources.
STANDARD_OTHER_RESOURCES = frozenset({
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "storage", "requests.cpu", "requests.memory", "requests.storage",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "services.nodeports", "services.loadbalancers",
})


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    if _is_native(name) or name.startswith("requests."):
        return False
    return not formats.is_qualified_name("requests." + name)


def _is_hugepages(name: str) -> bool:
    return name.startswith(HUGEPAGES_PREFIX)


def _overcommit_allowed(name: str) -> bool:
    # Extended resources and hugepages cannot be overcommitted: requests must equal limits.
    return _is_native(name) and not _is_hugepages(name)


def resource_name_messages(name: str) -> list[str]:
    msgs = formats.is_qualified_name(name)
    if msgs:
        return msgs
    if "/" not in name:
        if name in STANDARD_CONTAINER_RESOURCES or _is_hugepages(name):
            return []
        if name in STANDARD_OTHER_RESOURCES:
            return ["must be a standard resource for containers"]
        return ["must be a standard resource type or fully qualified", "must be a standard resource for containers"]
    if not _is_native(name) and not _is_extended(name):
        return ["doesn't follow extended resource name standard"]
    return []


def _hugepage_size(name: str) -> quantity.Quantity | None:
    return quantity.parse(name[len(HUGEPAGES_PREFIX):])


@rule("pod-container-resources", ("Pod",), "resource names are cpu, memory, ephemeral-storage, hugepages-<size> or domain/name extended resources; quantities parse and are non-negative; requests <= limits (== for extended resources and hugepages)")
def check_resources(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-container-resources"
    for path, c in containers(obj):
        res = get_dict(c, "resources")
        rpath = path + ("resources",)
        parsed: dict[str, dict[str, quantity.Quantity]] = {"limits": {}, "requests": {}}
        for section in ("limits", "requests"):
            for name, raw in get_dict(res, section).items():
                name = str(name)
                p = rpath + (section, name)
                for msg in resource_name_messages(name):
                    yield invalid(rid, p, name, msg, hint="use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource like example.com/gpu")
                q = quantity.parse(raw)
                if q is None:
                    yield invalid(rid, p, raw, quantity.error_message(raw), hint="write quantities like 500m, 1.5, 128Mi or 1G")
                    continue
                parsed[section][name] = q
                if q.value < 0:
                    yield invalid(rid, p, quantity.canonical(q), "must be greater than or equal to 0")
                elif _is_extended(name) and q.value.denominator != 1:
                    yield invalid(rid, p, quantity.canonical(q), "must be an integer")
                if _is_hugepages(name):
                    size = _hugepage_size(name)
                    if size is not None and size.value > 0 and (q.value / size.value).denominator != 1:
                        yield invalid(rid, p, quantity.canonical(q), f"{quantity.canonical(q)} is not positive integer multiple of {quantity.canonical(size)}")
        limits, requests = parsed["limits"], parsed["requests"]
        for name, req in requests.items():
            # The server reports the comparison at `resources.requests`, not at the key.
            p = rpath + ("requests",)
            lim = limits.get(name)
            if lim is not None:
                if req.value != lim.value and not _overcommit_allowed(name):
                    yield invalid(rid, p, quantity.canonical(req), f"must be equal to {name} limit of {quantity.canonical(lim)}",
                                  hint="extended resources and hugepages cannot be overcommitted")
                elif req.value > lim.value:
                    yield invalid(rid, p, quantity.canonical(req), f"must be less than or equal to {name} limit of {quantity.canonical(lim)}",
                                  hint=f"raise limits.{name} or lower requests.{name}")
            elif not _overcommit_allowed(name) and name not in get_dict(res, "limits"):
                yield required(rid, rpath + ("limits",), "Limit must be set for non overcommitable resources")
        names = set(limits) | set(requests)
        if any(_is_hugepages(n) for n in names) and not names & {"cpu", "memory"}:
            yield forbidden(rid, rpath, "HugePages require cpu or memory")


RESIZE_RESOURCES = ("cpu", "memory")
RESIZE_RESTART_POLICIES = ("NotRequired", "RestartContainer")


@rule("pod-resize-policy", ("Pod",), "resizePolicy names cpu or memory once each, with restartPolicy NotRequired or RestartContainer (NotRequired when the Pod never restarts); not on plain init containers")
def check_resize_policy(obj: dict, ctx: object) -> Iterator[Problem]:
    # validateResizePolicy reports at the list path (`resizePolicy`) except for duplicates.
    rid = "pod-resize-policy"
    pod_policy = get_dict(obj, "spec").get("restartPolicy") or "Always"
    for path, c in containers(obj, ("containers", "initContainers")):
        policies = c.get("resizePolicy")
        if not isinstance(policies, list) or not policies:
            continue
        rp = path + ("resizePolicy",)
        if path[1] == "initContainers" and c.get("restartPolicy") != "Always":
            yield invalid(rid, rp, policies, "must not be set for init containers", hint="only sidecar init containers (restartPolicy: Always) can be resized")
            continue
        seen: set = set()
        for i, p in enumerate(policies):
            if not isinstance(p, dict):
                continue
            name = p.get("resourceName") or ""
            if name in seen:
                yield duplicate(rid, rp + (i,), name)
            seen.add(name)
            if not name:
                yield required(rid, rp)
            elif name not in RESIZE_RESOURCES:
                yield not_supported(rid, rp, name, RESIZE_RESOURCES)
            policy = p.get("restartPolicy") or ""
            if not policy:
                yield required(rid, rp)
            elif policy not in RESIZE_RESTART_POLICIES:
                yield not_supported(rid, rp, policy, RESIZE_RESTART_POLICIES)
            if pod_policy == "Never" and policy != "NotRequired":
                yield invalid(rid, rp, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'")
