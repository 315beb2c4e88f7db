"""PersistentVolumeClaims and PersistentVolumes, and the claim spec StatefulSets share."""

from __future__ import annotations

from .base import Context

# A PersistentVolume has exactly one source; these are the ones the spec spells out.
PV_SOURCES = ("hostPath", "local", "nfs", "csi")


def normalize(cx: Context) -> None:
    for name, pvc in cx.spec.get("persistentVolumeClaims", {}).items():
        src = ("persistentVolumeClaims", name)
        cx.add("PersistentVolumeClaim", "v1", name, True, "persistentvolumeclaim.yaml.j2", {"spec": claim_spec(cx, pvc, src)}, src, pvc, {("spec",): src})
    for name, pv in cx.spec.get("persistentVolumes", {}).items():
        src = ("persistentVolumes", name)
        spec = _volume_spec(cx, name, pv, src)
        if spec is not None:
            cx.add("PersistentVolume", "v1", name, False, "persistentvolume.yaml.j2", {"spec": spec}, src, pv, {("spec",): src})


def claim_spec(cx: Context, c: dict, src: tuple) -> dict:
    """A PVC's spec (also a volumeClaimTemplate's): access modes default to ReadWriteOnce, the
    one mode every volume plugin offers."""
    spec: dict = {"accessModes": list(c.get("accessModes", ["ReadWriteOnce"])), "resources": {"requests": {"storage": c["size"]}}}
    if "storageClass" in c:
        # "" asks for no class at all (static binding), which is different from leaving it out.
        spec["storageClassName"] = c["storageClass"]
    for k in ("volumeMode", "volumeName"):
        if k in c:
            spec[k] = c[k]
    if "selector" in c:
        spec["selector"] = {"matchLabels": dict(c["selector"])}
    return spec


def _volume_spec(cx: Context, name: str, pv: dict, src: tuple) -> dict | None:
    sources = [k for k in PV_SOURCES if k in pv]
    if len(sources) != 1:
        cx.error(f"a PersistentVolume has exactly one source ({', '.join(PV_SOURCES)}), this one has {len(sources) or 'none'}", src, "for example: hostPath: /mnt/data", rule="spec-pv")
        return None
    kind = sources[0]
    spec: dict = {
        "capacity": {"storage": pv["capacity"]},
        "accessModes": list(pv.get("accessModes", ["ReadWriteOnce"])),
        "persistentVolumeReclaimPolicy": pv.get("reclaimPolicy", "Retain"),
    }
    for k, out in (("storageClass", "storageClassName"), ("volumeMode", "volumeMode"), ("mountOptions", "mountOptions")):
        if k in pv:
            spec[out] = pv[k]
    source = pv[kind]
    if kind == "hostPath":
        spec["hostPath"] = {"path": source} if isinstance(source, str) else dict(source)
    elif kind == "local":
        local = {"path": source} if isinstance(source, str) else dict(source)
        spec["local"] = local
        if "nodeAffinity" not in pv:
            # The API server requires node affinity for a local volume: say which node holds it.
            cx.error("a local PersistentVolume needs nodeAffinity (the node that holds the disk)", src + ("local",), "add nodeAffinity: {kubernetes.io/hostname: NODE}", rule="spec-pv", key=True)
            return None
    else:
        spec[kind] = dict(source)
    if "nodeAffinity" in pv:
        terms = [{"key": k, "operator": "In", "values": [v] if isinstance(v, str) else list(v)} for k, v in pv["nodeAffinity"].items()]
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": terms}]}}
    ref = pv.get("claimRef")
    if ref is not None:
        # Static binding: this volume is reserved for that claim (namespace defaults to the spec's).
        ref = {"name": ref} if isinstance(ref, str) else dict(ref)
        spec["claimRef"] = {"name": ref["name"], "namespace": ref.get("namespace", cx.ns)}
    return spec
