"""PersistentVolumeClaims and PersistentVolumes back to entries (the inverse of normalize/storage.py)."""

from __future__ import annotations

from ..normalize.storage import PV_SOURCES
from .base import CANNOT, Entry, Group, Unsupported, metadata, only


def propose(g: Group) -> list:
    out = []
    for kind, section, convert in (("PersistentVolumeClaim", "persistentVolumeClaims", claim_entry), ("PersistentVolume", "persistentVolumes", _volume_entry)):
        for k, obj in g.free(kind):
            try:
                only(obj, ("apiVersion", "kind", "metadata", "spec"), "")
                entry: dict = {}
                metadata(obj, entry)
                entry = {**convert(obj.get("spec") or {}, g), **entry}
            except CANNOT:
                continue
            out.append(Entry(section, k[2], entry, [k]))
    return out


def claim_entry(spec: dict, g: Group | None = None) -> dict:
    only(spec, ("accessModes", "resources", "storageClassName", "volumeMode", "volumeName", "selector"), "spec")
    res = spec.get("resources") or {}
    only(res, ("requests",), "resources")
    requests = res.get("requests") or {}
    only(requests, ("storage",), "resources.requests")
    if "storage" not in requests:
        raise Unsupported("resources.requests.storage")
    out: dict = {"size": requests["storage"]}
    modes = spec.get("accessModes") or []
    if modes != ["ReadWriteOnce"]:
        if not modes:
            raise Unsupported("accessModes")
        out["accessModes"] = list(modes)
    if "storageClassName" in spec:
        out["storageClass"] = spec["storageClassName"]
    for k in ("volumeMode", "volumeName"):
        if k in spec:
            out[k] = spec[k]
    if "selector" in spec:
        only(spec["selector"] or {}, ("matchLabels",), "selector")
        out["selector"] = dict((spec["selector"] or {}).get("matchLabels") or {})
    return out


def _volume_entry(spec: dict, g: Group) -> dict:
    only(spec, ("capacity", "accessModes", "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "mountOptions",
                "nodeAffinity", "claimRef") + PV_SOURCES, "spec")
    capacity = spec.get("capacity") or {}
    only(capacity, ("storage",), "capacity")
    out: dict = {"capacity": capacity["storage"]}
    sources = [k for k in PV_SOURCES if k in spec]
    if len(sources) != 1:
        raise Unsupported("volume source")
    modes = spec.get("accessModes") or []
    if modes != ["ReadWriteOnce"]:
        out["accessModes"] = list(modes)
    if spec.get("persistentVolumeReclaimPolicy", "Retain") != "Retain":
        out["reclaimPolicy"] = spec["persistentVolumeReclaimPolicy"]
    for k, o in (("storageClassName", "storageClass"), ("volumeMode", "volumeMode"), ("mountOptions", "mountOptions")):
        if k in spec:
            out[o] = spec[k]
    kind = sources[0]
    source = dict(spec[kind])
    out[kind] = source["path"] if kind in ("hostPath", "local") and set(source) == {"path"} else source
    if "nodeAffinity" in spec:
        na = spec["nodeAffinity"] or {}
        only(na, ("required",), "nodeAffinity")
        terms = (na.get("required") or {}).get("nodeSelectorTerms") or []
        if len(terms) != 1 or set(terms[0]) != {"matchExpressions"}:
            raise Unsupported("nodeAffinity")
        aff = {}
        for e in terms[0]["matchExpressions"]:
            if e.get("operator") != "In" or set(e) != {"key", "operator", "values"} or e["key"] in aff:
                raise Unsupported("nodeAffinity")
            aff[e["key"]] = e["values"][0] if len(e["values"]) == 1 else list(e["values"])
        out["nodeAffinity"] = aff
    if "claimRef" in spec:
        ref = spec["claimRef"] or {}
        only(ref, ("name", "namespace"), "claimRef")
        out["claimRef"] = ref["name"] if ref.get("namespace") == g.namespace else dict(ref)
    return out
