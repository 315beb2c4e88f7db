"""The downward API: env fieldRef/resourceFieldRef and downwardAPI volume items
(`validateObjectFieldSelector`, `validateContainerResourceFieldSelector`,
`validateContainerResourceDivisor`, `validateDownwardAPIVolumeFile`).

Env and volumes accept different field paths: `metadata.labels`/`annotations` (whole maps) only in
volumes, `spec.nodeName`, `status.podIP(s)` etc. only in env. Subscripted forms
`metadata.labels['key']` and `metadata.annotations['key']` work in both.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from ...errors import Problem
from . import formats, quantity
from .podspec import containers, spec
from .registry import (
    dicts,
    did_you_mean,
    get_list,
    invalid,
    not_supported,
    required,
    rule,
)

# Unchanged from 1.30 through 1.37 (status.hostIPs/podIPs arrived in 1.28/1.30).
ENV_FIELD_PATHS = (
    "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
    "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
)
VOLUME_FIELD_PATHS = ("metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid")
RESOURCE_FIELDS = (
    "limits.cpu", "limits.ephemeral-storage", "limits.memory",
    "requests.cpu", "requests.ephemeral-storage", "requests.memory",
)
HUGEPAGES_PREFIXES = ("requests.hugepages-", "limits.hugepages-")
CPU_DIVISORS = frozenset({"1m", "1"})
BYTE_DIVISORS = frozenset({"1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"})
_BYTE_LIST = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"

# Paths `ConvertDownwardAPIFieldLabel` knows for v1 (pkg/apis/core/pods/helpers.go); anything
# else fails conversion before the per-use list is consulted.
CONVERTIBLE_FIELD_PATHS = frozenset({
    "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
    "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
    "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
})

# Labels the server resolves for the v1 API version: "metadata.labels['key']" and so on.
_ANY_SUBSCRIPT = re.compile(r"(.*)\['(.*)'\]\Z", re.S)


def field_ref_problems(rid: str, ref: dict, allowed: tuple, path: tuple) -> Iterator[Problem]:
    api = ref.get("apiVersion") or "v1"  # defaulted to v1 by the server
    fp = ref.get("fieldPath")
    if not fp:
        yield required(rid, path + ("fieldPath",))
        return
    if not isinstance(fp, str):
        return
    if api != "v1":
        yield invalid(rid, path + ("fieldPath",), fp, f'error converting fieldPath: unsupported version "{api}"',
                      hint="fieldRef.apiVersion must be v1")
        return
    sub = _ANY_SUBSCRIPT.match(fp)
    base = sub.group(1) if sub else fp
    if sub and base in CONVERTIBLE_FIELD_PATHS and base not in ("metadata.labels", "metadata.annotations"):
        yield invalid(rid, path + ("fieldPath",), fp, "error converting fieldPath: field label does not support subscript",
                      hint="only metadata.labels['key'] and metadata.annotations['key'] take a key")
        return
    if base not in CONVERTIBLE_FIELD_PATHS:
        yield invalid(rid, path + ("fieldPath",), fp, f"error converting fieldPath: field label not supported: {base}",
                      hint=did_you_mean(base, sorted(allowed)) or "see the downward API documentation for the fields a Pod can expose")
        return
    if sub:
        key = sub.group(2)
        if base == "metadata.annotations":
            key = key.lower()
        for msg in formats.is_qualified_name(key):
            yield invalid(rid, path, key, msg)
        return
    if fp not in allowed:
        hint = ""
        if fp in ("metadata.labels", "metadata.annotations"):
            hint = f"in env, select one key: {fp}['key']"
        elif fp in ENV_FIELD_PATHS:
            hint = "this field is only available as an environment variable"
        yield not_supported(rid, path + ("fieldPath",), fp, sorted(allowed), hint=hint)


def _divisor_problem(rid: str, resource: str, divisor: object, path: tuple) -> Optional[Problem]:
    if divisor is None or divisor == "":
        return None
    q = quantity.parse(divisor)
    if q is None:
        return invalid(rid, path + ("divisor",), divisor, quantity.error_message(divisor))
    if q.value == 0:
        return None
    text = quantity.canonical(q)
    if resource in ("limits.cpu", "requests.cpu"):
        if text not in CPU_DIVISORS:
            return invalid(rid, path + ("divisor",), resource, "only divisor's values 1m and 1 are supported with the cpu resource")
    elif resource in ("limits.memory", "requests.memory"):
        if text not in BYTE_DIVISORS:
            return invalid(rid, path + ("divisor",), resource, f"only divisor's values {_BYTE_LIST} are supported with the memory resource")
    elif resource in ("limits.ephemeral-storage", "requests.ephemeral-storage"):
        if text not in BYTE_DIVISORS:
            return invalid(rid, path + ("divisor",), resource, f"only divisor's values {_BYTE_LIST} are supported with the local ephemeral storage resource")
    elif resource.startswith(HUGEPAGES_PREFIXES):
        if text not in BYTE_DIVISORS:
            return invalid(rid, path + ("divisor",), resource, f"only divisor's values {_BYTE_LIST} are supported with the hugepages resource")
    return None


def resource_ref_problems(rid: str, ref: dict, path: tuple, volume: bool) -> Iterator[Problem]:
    resource = ref.get("resource")
    cname = ref.get("containerName")
    if volume and not cname:
        yield required(rid, path + ("containerName",), hint="a downwardAPI volume must say whose resources it exposes")
    elif not resource:
        yield required(rid, path + ("resource",))
    elif isinstance(resource, str) and resource not in RESOURCE_FIELDS and not resource.startswith(HUGEPAGES_PREFIXES):
        yield not_supported(rid, path + ("resource",), resource, RESOURCE_FIELDS)
    if isinstance(resource, str):
        p = _divisor_problem(rid, resource, ref.get("divisor"), path)
        if p is not None:
            yield p


@rule("pod-env-field-ref", ("Pod",), "env fieldRef uses apiVersion v1 and a field path the kubelet can expose (metadata.name/namespace/uid, labels['k'], annotations['k'], spec.nodeName, spec.serviceAccountName, status.hostIP(s), status.podIP(s))")
def check_env_field_ref(obj: dict, ctx: object) -> Iterator[Problem]:
    for path, c in containers(obj):
        for i, env in dicts(get_list(c, "env")):
            vf = env.get("valueFrom")
            ref = vf.get("fieldRef") if isinstance(vf, dict) else None
            if isinstance(ref, dict):
                yield from field_ref_problems("pod-env-field-ref", ref, ENV_FIELD_PATHS, path + ("env", i, "valueFrom", "fieldRef"))


@rule("pod-resource-field-ref", ("Pod",), "resourceFieldRef names requests./limits. cpu, memory, ephemeral-storage or hugepages-<size> with a divisor allowed for that resource; volumes also need containerName")
def check_resource_field_ref(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-resource-field-ref"
    for path, c in containers(obj):
        for i, env in dicts(get_list(c, "env")):
            vf = env.get("valueFrom")
            ref = vf.get("resourceFieldRef") if isinstance(vf, dict) else None
            if isinstance(ref, dict):
                yield from resource_ref_problems(rid, ref, path + ("env", i, "valueFrom", "resourceFieldRef"), False)
    for base, item in downward_items(obj):
        ref = item.get("resourceFieldRef")
        if isinstance(ref, dict):
            yield from resource_ref_problems(rid, ref, base + ("resourceFieldRef",), True)


def downward_items(obj: dict) -> Iterator[tuple[tuple, dict]]:
    """(error path, item) of every downwardAPI volume file.

    The server reports item errors at the downwardAPI source, without the item index
    (`validateDownwardAPIVolumeSource` passes the source path down), and so do we.
    """
    for vi, vol in dicts(get_list(spec(obj), "volumes")):
        dapi = vol.get("downwardAPI")
        if isinstance(dapi, dict):
            for _, item in dicts(get_list(dapi, "items")):
                yield ("spec", "volumes", vi, "downwardAPI"), item
        proj = vol.get("projected")
        if isinstance(proj, dict):
            for si, src in dicts(get_list(proj, "sources")):
                d = src.get("downwardAPI")
                if isinstance(d, dict):
                    for _, item in dicts(get_list(d, "items")):
                        yield ("spec", "volumes", vi, "projected", "sources", si, "downwardAPI"), item


@rule("pod-downward-api-volume", ("Pod",), "downwardAPI volume items: exactly one of fieldRef (metadata.name/namespace/uid/labels/annotations or a subscripted key) and resourceFieldRef")
def check_downward_volume(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-downward-api-volume"
    for base, item in downward_items(obj):
        fref, rref = item.get("fieldRef"), item.get("resourceFieldRef")
        if isinstance(fref, dict):
            yield from field_ref_problems(rid, fref, VOLUME_FIELD_PATHS, base + ("fieldRef",))
            if rref is not None:
                yield invalid(rid, base, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously")
        elif rref is None:
            yield required(rid, base, "one of fieldRef and resourceFieldRef is required")
