"""PersistentVolumes and PersistentVolumeClaims, and Namespaces.

Source: `ValidatePersistentVolume`/`ValidatePersistentVolumeSpec`,
`ValidatePersistentVolumeClaim`/`ValidatePersistentVolumeClaimSpec` and `ValidateNamespace` in
`pkg/apis/core/validation/validation.go`, after the v1 defaults (`SetDefaults_PersistentVolume`:
reclaim policy Retain, volumeMode Filesystem; `SetDefaults_PersistentVolumeClaim`: volumeMode
Filesystem), which never make a valid object invalid, so the rules read the fields as written.
The volume sources' own checks are the common ones (required server/path/driver fields, absolute
paths without '..'); the per-plugin details of the deprecated in-tree drivers are left out.
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from ...errors import Problem
from . import formats, quantity
from .metadata import finalizer_problems
from .registry import dicts, forbidden, get_dict, get_list, get_str, invalid, not_supported, required, rule

ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
VOLUME_MODES = ("Block", "Filesystem")
# PersistentVolumeSpec's volume sources, in validation.go's order (the first one set counts).
PV_SOURCES = (
    "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte",
    "cephfs", "iscsi", "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume", "photonPersistentDisk",
    "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi",
)
NOT_POSITIVE = "must be greater than zero"


def _access_modes(rid: str, modes: list, path: tuple, detail: str) -> Iterator[Problem]:
    if not modes:
        yield required(rid, path, detail, hint="e.g. accessModes: [ReadWriteOnce]")
        return
    rwop = other = False
    for mode in modes:
        if mode not in ACCESS_MODES:
            yield not_supported(rid, path, mode, ACCESS_MODES)
        elif mode == "ReadWriteOncePod":
            rwop = True
        else:
            other = True
    if rwop and other:
        yield forbidden(rid, path, "may not use ReadWriteOncePod with other access modes")


def _positive_storage(rid: str, value: object, path: tuple) -> Iterator[Problem]:
    q = quantity.parse(value)
    if q is None:
        yield invalid(rid, path, value, quantity.PARSE_ERROR)
    elif q.value <= 0:
        yield invalid(rid, path, value, NOT_POSITIVE, hint="request some storage, e.g. 1Gi")


def _class_name(rid: str, value: object, path: tuple) -> Iterator[Problem]:
    if isinstance(value, str) and value:
        for msg in formats.is_dns1123_subdomain(value):
            yield invalid(rid, path, value, msg, hint="StorageClass names are DNS-1123 subdomains")


@rule("pvc-spec", ["PersistentVolumeClaim"], "accessModes are set and supported (ReadWriteOncePod alone), resources.requests.storage is set and positive, storageClassName is a DNS-1123 subdomain, volumeMode is Block or Filesystem")
def check_pvc(obj: dict, ctx: object) -> Iterator[Problem]:
    yield from claim_spec_problems("pvc-spec", get_dict(obj, "spec"), ("spec",))


def claim_spec_problems(rid: str, spec: dict, base: tuple) -> Iterator[Problem]:
    """ValidatePersistentVolumeClaimSpec at `base`: also for a StatefulSet's volumeClaimTemplates
    and an ephemeral volume's volumeClaimTemplate."""
    yield from _access_modes(rid, get_list(spec, "accessModes"), base + ("accessModes",), "at least 1 access mode is required")
    requests = get_dict(spec, "resources", "requests")
    # The server's path is spec.resources[storage] (a Key on "resources"), whatever it means.
    storage_path = base + ("resources", "storage")
    if "storage" not in requests:
        yield required(rid, storage_path, hint="set resources.requests.storage, e.g. 1Gi")
    else:
        yield from _positive_storage(rid, requests["storage"], storage_path)
    yield from _class_name(rid, spec.get("storageClassName"), base + ("storageClassName",))
    yield from _class_name(rid, spec.get("volumeAttributesClassName"), base + ("volumeAttributesClassName",))
    mode = spec.get("volumeMode")
    if isinstance(mode, str) and mode not in VOLUME_MODES:
        yield not_supported(rid, base + ("volumeMode",), mode, VOLUME_MODES)


@rule("pvc-data-source", ["PersistentVolumeClaim"], "dataSource and dataSourceRef name a kind and a name, a kind other than PersistentVolumeClaim has an apiGroup, and both agree when both are set")
def check_pvc_data_source(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pvc-data-source"
    spec = get_dict(obj, "spec")
    for field in ("dataSource", "dataSourceRef"):
        src = spec.get(field)
        if not isinstance(src, dict):
            continue
        path = ("spec", field)
        if not src.get("name"):
            yield required(rid, path + ("name",))
        if not src.get("kind"):
            yield required(rid, path + ("kind",))
        group = src.get("apiGroup") or ""
        if not group and src.get("kind") != "PersistentVolumeClaim":
            yield invalid(rid, path, src.get("kind", ""), "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
                          hint="a VolumeSnapshot is apiGroup: snapshot.storage.k8s.io")
        elif group:
            for msg in formats.is_dns1123_subdomain(group):
                yield invalid(rid, path + ("apiGroup",), group, msg)
        ns = src.get("namespace") if field == "dataSourceRef" else None
        if isinstance(ns, str) and ns:
            for msg in formats.is_dns1123_label(ns):
                yield invalid(rid, path + ("namespace",), ns, msg)
    ds, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(ref, dict) and ref.get("namespace"):
        if isinstance(ds, dict):
            yield invalid(rid, ("spec",), "spec.dataSource", "may not be specified when dataSourceRef.namespace is specified")
    elif isinstance(ds, dict) and isinstance(ref, dict):
        same = (ds.get("apiGroup") or None, ds.get("kind"), ds.get("name")) == (ref.get("apiGroup") or None, ref.get("kind"), ref.get("name"))
        if not same:
            yield invalid(rid, ("spec",), "spec.dataSource", "must match dataSourceRef")


@rule("pv-spec", ["PersistentVolume"], "accessModes are set and supported, capacity holds exactly a positive storage quantity, reclaim policy and volumeMode are supported, storageClassName is a DNS-1123 subdomain, a hostPath of '/' is not recycled")
def check_pv(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pv-spec"
    spec = get_dict(obj, "spec")
    yield from _access_modes(rid, get_list(spec, "accessModes"), ("spec", "accessModes"), "")
    capacity = get_dict(spec, "capacity")
    if not capacity:
        yield required(rid, ("spec", "capacity"), hint="e.g. capacity: {storage: 10Gi}")
    if "storage" not in capacity or len(capacity) > 1:
        yield not_supported(rid, ("spec", "capacity"), capacity, ["storage"])
    for name, value in capacity.items():
        yield from _positive_storage(rid, value, ("spec", "capacity", str(name)))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if isinstance(policy, str) and policy and policy not in RECLAIM_POLICIES:
        yield not_supported(rid, ("spec", "persistentVolumeReclaimPolicy"), policy, RECLAIM_POLICIES)
    host = get_dict(spec, "hostPath")
    if host and _go_clean(get_str(host, "path")) == "/" and policy == "Recycle":
        yield forbidden(rid, ("spec", "persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'")
    yield from _class_name(rid, spec.get("storageClassName"), ("spec", "storageClassName"))
    mode = spec.get("volumeMode")
    if isinstance(mode, str) and mode not in VOLUME_MODES:
        yield not_supported(rid, ("spec", "volumeMode"), mode, VOLUME_MODES)
    vac = spec.get("volumeAttributesClassName")
    if isinstance(vac, str):
        if not vac:
            yield required(rid, ("spec", "volumeAttributesClassName"), "an empty string is disallowed")
        else:
            yield from _class_name(rid, vac, ("spec", "volumeAttributesClassName"))
        if spec.get("csi") is None:
            yield required(rid, ("spec", "csi"), "has to be specified when using volumeAttributesClassName")


def _go_clean(value: str) -> str:
    # Go's path.Clean: unlike posixpath.normpath it folds a leading "//" too.
    return posixpath.normpath(re.sub("/+", "/", value)) if value else "."


def _absolute_no_backsteps(rid: str, value: str, path: tuple) -> Iterator[Problem]:
    if not value.startswith("/"):
        yield invalid(rid, path, value, "must be an absolute path")
    if ".." in value.split("/"):
        yield invalid(rid, path, value, "must not contain '..'")


@rule("pv-source", ["PersistentVolume"], "exactly one volume source is set; hostPath, local and nfs have their path (absolute, no '..'), nfs its server, csi its driver and volumeHandle; a local volume has nodeAffinity")
def check_pv_source(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pv-source"
    spec = get_dict(obj, "spec")
    found = [name for name in PV_SOURCES if spec.get(name) is not None]
    if not found:
        yield required(rid, ("spec",), "must specify a volume type", hint="e.g. csi, nfs, hostPath or local")
        return
    for extra in found[1:]:
        if extra != "flexVolume":  # validation.go counts flexVolume without this check
            yield forbidden(rid, ("spec", extra), "may not specify more than 1 volume type")
    source = found[0]
    src = get_dict(spec, source)
    path = ("spec", source)
    if source == "hostPath":
        value = get_str(src, "path")
        if not value:
            yield required(rid, path + ("path",))
        elif ".." in value.replace("\\", "/").split("/"):
            yield invalid(rid, path + ("path",), value, "must not contain '..'")
    elif source == "local":
        value = get_str(src, "path")
        if not value:
            yield required(rid, path + ("path",))
        else:
            yield from _absolute_no_backsteps(rid, value, path + ("path",))
        if not get_dict(spec, "nodeAffinity", "required"):
            yield required(rid, ("spec", "nodeAffinity"), "Local volume requires node affinity",
                           hint="pin the volume to its node with nodeAffinity.required.nodeSelectorTerms")
    elif source == "nfs":
        if not get_str(src, "server"):
            yield required(rid, path + ("server",))
        value = get_str(src, "path")
        if not value:
            yield required(rid, path + ("path",))
        elif not value.startswith("/"):
            yield invalid(rid, path + ("path",), value, "must be an absolute path")
    elif source == "csi":
        if not get_str(src, "driver"):
            yield required(rid, path + ("driver",))
        else:
            for msg in formats.is_dns1123_subdomain(get_str(src, "driver").lower()):
                yield invalid(rid, path + ("driver",), get_str(src, "driver"), msg)
        if not get_str(src, "volumeHandle"):
            yield required(rid, path + ("volumeHandle",))


@rule("pv-node-affinity", ["PersistentVolume"], "nodeAffinity.required has at least one node selector term, each with a valid key and operator")
def check_pv_node_affinity(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pv-node-affinity"
    affinity = get_dict(obj, "spec", "nodeAffinity")
    if not affinity or affinity.get("required") is None:
        return
    terms = get_list(affinity, "required", "nodeSelectorTerms")
    base = ("spec", "nodeAffinity", "required", "nodeSelectorTerms")
    if not terms:
        yield required(rid, base, "must have at least one node selector term")
    for i, term in dicts(terms):
        for j, expr in dicts(get_list(term, "matchExpressions")):
            key = expr.get("key")
            if isinstance(key, str):
                for msg in formats.is_qualified_name(key):
                    yield invalid(rid, base + (i, "matchExpressions", j, "key"), key, msg)
            op = expr.get("operator")
            values = expr.get("values") or []
            if op in ("In", "NotIn") and not values:
                yield required(rid, base + (i, "matchExpressions", j, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
            elif op in ("Exists", "DoesNotExist") and values:
                yield forbidden(rid, base + (i, "matchExpressions", j, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            elif op not in ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"):
                yield not_supported(rid, base + (i, "matchExpressions", j, "operator"), op, ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"])


@rule("namespace-finalizers", ["Namespace"], "spec.finalizers are qualified names; an unprefixed name must be the standard 'kubernetes'")
def check_namespace_finalizers(obj: dict, ctx: object) -> Iterator[Problem]:
    items = get_list(obj, "spec", "finalizers")
    yield from finalizer_problems("namespace-finalizers", items, ("spec", "finalizers"), True, indexed=False)
