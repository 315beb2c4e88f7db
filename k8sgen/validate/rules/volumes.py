"""Pod volumes and volume mounts (`ValidateVolumes`, `validateVolumeSource`, `validateKeyToPath`,
`validateProjectionSources`, `ValidateVolumeMounts` in `pkg/apis/core/validation/validation.go`).

Where the server builds a field path that does not exist in the object (it reports a projected
token's bad `path` at `projected.path`, the one-source error of a downwardAPI volume at
`downwarAPI`, a bad `subPath` at `volumeMounts.subPath`), we report the field the user has to
change instead, so the position points at it; messages are unchanged.
"""

from __future__ import annotations

import posixpath
from typing import Iterator

from ...errors import Problem
from . import formats, quantity
from .podspec import containers, spec, volume_names
from .registry import (
    dicts,
    duplicate,
    forbidden,
    get_list,
    get_str,
    invalid,
    not_found,
    not_supported,
    required,
    rule,
)

POD = ("Pod",)

# validateVolumeSource checks the sources in this order; the first one counts, later ones are
# "more than 1 volume type".
VOLUME_SOURCES = (
    "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi",
    "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI", "fc",
    "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume",
    "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image",
)
PROJECTION_SOURCES = ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle", "podCertificate")
HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket")
MOUNT_PROPAGATIONS = ("Bidirectional", "HostToContainer", "None")
FILE_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive"
TOKEN_MIN_SECONDS = 10 * 60
TOKEN_MAX_SECONDS = 1 << 32


def local_descending_path(rid: str, value: str, path: tuple) -> Iterator[Problem]:
    if value.startswith("/"):
        yield invalid(rid, path, value, "must be a relative path")
    if ".." in value.replace("\\", "/").split("/"):
        yield invalid(rid, path, value, "must not contain '..'")


def local_non_reserved_path(rid: str, value: str, path: tuple) -> Iterator[Problem]:
    yield from local_descending_path(rid, value, path)
    if value.startswith("..") and not value.startswith("../"):
        yield invalid(rid, path, value, "must not start with '..'", hint="names starting with '..' are reserved for the kubelet's atomic writer")


def _mode(rid: str, value: object, path: tuple) -> Iterator[Problem]:
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 0o777:
        yield invalid(rid, path, value, FILE_MODE_MSG, hint="YAML reads 0644 as octal; 420 is the same mode in decimal")


def _key_to_path(rid: str, item: dict, path: tuple) -> Iterator[Problem]:
    if not item.get("key"):
        yield required(rid, path + ("key",))
    p = get_str(item, "path")
    if not p:
        yield required(rid, path + ("path",))
    yield from local_non_reserved_path(rid, p, path + ("path",))
    yield from _mode(rid, item.get("mode"), path + ("mode",))


@rule("pod-volume-name", POD, "volume names are DNS-1123 labels, unique within the Pod")
def check_volume_names(obj: dict, ctx: object) -> Iterator[Problem]:
    seen: set = set()
    for i, vol in dicts(get_list(spec(obj), "volumes")):
        p = ("spec", "volumes", i, "name")
        name = vol.get("name")
        if not name:
            yield required("pod-volume-name", p)
            continue
        if not isinstance(name, str):
            continue
        for msg in formats.is_dns1123_label(name):
            yield invalid("pod-volume-name", p, name, msg, hint="use lowercase letters, digits and '-', at most 63 characters")
        if name in seen:
            yield duplicate("pod-volume-name", p, name)
        seen.add(name)


@rule("pod-volume-source", POD, "each volume has exactly one source, and the source's required fields are set (secretName, configMap name, hostPath path and type, ...)")
def check_volume_source(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-volume-source"
    for i, vol in dicts(get_list(spec(obj), "volumes")):
        vp = ("spec", "volumes", i)
        present = [s for s in VOLUME_SOURCES if vol.get(s) is not None]
        if not present:
            yield required(rid, vp, "must specify a volume type", hint="add a source such as emptyDir: {}, configMap: or secret:")
            continue
        for extra in present[1:]:
            yield forbidden(rid, vp + (extra,), "may not specify more than 1 volume type", hint=f"this volume already uses {present[0]}")
        kind, src = present[0], vol.get(present[0])
        if not isinstance(src, dict):
            continue
        sp = vp + (kind,)
        if kind == "secret" and not src.get("secretName"):
            yield required(rid, sp + ("secretName",))
        elif kind == "configMap" and not src.get("name"):
            yield required(rid, sp + ("name",))
        elif kind == "persistentVolumeClaim" and not src.get("claimName"):
            yield required(rid, sp + ("claimName",))
        elif kind == "hostPath":
            hp = get_str(src, "path")
            if not hp:
                yield required(rid, sp + ("path",))
            else:
                if ".." in hp.split("/"):
                    yield invalid(rid, sp + ("path",), hp, "must not contain '..'")
                t = src.get("type")
                if isinstance(t, str) and t not in HOST_PATH_TYPES:
                    yield not_supported(rid, sp + ("type",), t, HOST_PATH_TYPES)
        elif kind == "nfs":
            if not src.get("server"):
                yield required(rid, sp + ("server",))
            np = get_str(src, "path")
            if not np:
                yield required(rid, sp + ("path",))
            if not posixpath.isabs(np):
                yield invalid(rid, sp + ("path",), np, "must be an absolute path")
        elif kind == "emptyDir":
            size = src.get("sizeLimit")
            if size is not None:
                q = quantity.parse(size)
                if q is None:
                    yield invalid(rid, sp + ("sizeLimit",), size, quantity.error_message(size))
                elif q.value < 0:
                    yield forbidden(rid, sp + ("sizeLimit",), "SizeLimit field must be a valid resource quantity")
        elif kind == "gitRepo":
            if not src.get("repository"):
                yield required(rid, sp + ("repository",))
            yield from local_descending_path(rid, get_str(src, "directory"), sp + ("directory",))
        elif kind == "image" and not src.get("reference"):
            yield required(rid, sp + ("reference",))
        elif kind == "csi" and not src.get("driver"):
            yield required(rid, sp + ("driver",))


@rule("pod-volume-items", POD, "secret/configMap/projected items have a key and a relative path without '..' elements, and file modes within 0-0777")
def check_volume_items(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-volume-items"
    for i, vol in dicts(get_list(spec(obj), "volumes")):
        vp = ("spec", "volumes", i)
        for kind in ("secret", "configMap", "downwardAPI", "projected"):
            src = vol.get(kind)
            if isinstance(src, dict):
                yield from _mode(rid, src.get("defaultMode"), vp + (kind, "defaultMode"))
        for kind in ("secret", "configMap"):
            src = vol.get(kind)
            if isinstance(src, dict):
                for j, item in dicts(get_list(src, "items")):
                    yield from _key_to_path(rid, item, vp + (kind, "items", j))
        dapi = vol.get("downwardAPI")
        if isinstance(dapi, dict):
            for j, item in dicts(get_list(dapi, "items")):
                yield from _downward_file(rid, item, vp + ("downwardAPI", "items", j))


def _downward_file(rid: str, item: dict, path: tuple) -> Iterator[Problem]:
    p = get_str(item, "path")
    if not p:
        yield required(rid, path + ("path",))
    yield from local_non_reserved_path(rid, p, path + ("path",))
    yield from _mode(rid, item.get("mode"), path + ("mode",))


class _PathClaims:
    """Files written by the sources of one projected volume: each path may be claimed once."""

    def __init__(self, rid: str, path: tuple):
        self.rid, self.path, self.seen = rid, path, set()

    def __call__(self, file: str, shown: object) -> Iterator[Problem]:
        if file in self.seen:
            yield invalid(self.rid, self.path, shown, "conflicting duplicate paths", hint=f"two projected sources write {file!r}")
        self.seen.add(file)


@rule("pod-projected-volume", POD, "projected volume sources: one type per source, no duplicate paths, serviceAccountToken path relative and expirationSeconds between 600 and 2^32")
def check_projected(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-projected-volume"
    for i, vol in dicts(get_list(spec(obj), "volumes")):
        proj = vol.get("projected")
        if not isinstance(proj, dict):
            continue
        pp = ("spec", "volumes", i, "projected")
        claim = _PathClaims(rid, pp)
        for si, src in dicts(get_list(proj, "sources")):
            sp = pp + ("sources", si)
            present = [s for s in PROJECTION_SOURCES if src.get(s) is not None]
            if len(present) > 1:
                yield forbidden(rid, sp, "may not specify more than 1 volume type per source", hint="split them into separate entries of sources")
            for kind in ("secret", "configMap"):
                ref = src.get(kind)
                if isinstance(ref, dict):
                    if not ref.get("name"):
                        yield required(rid, sp + (kind, "name"))
                    for j, item in dicts(get_list(ref, "items")):
                        yield from _key_to_path(rid, item, sp + (kind, "items", j))
                        if item.get("path"):
                            yield from claim(item["path"], get_str(ref, "name"))
            dapi = src.get("downwardAPI")
            if isinstance(dapi, dict):
                for j, item in dicts(get_list(dapi, "items")):
                    yield from _downward_file(rid, item, sp + ("downwardAPI", "items", j))
                    if item.get("path"):
                        yield from claim(item["path"], item["path"])
            tok = src.get("serviceAccountToken")
            if isinstance(tok, dict):
                tp = sp + ("serviceAccountToken",)
                exp = tok.get("expirationSeconds")
                if exp is None:
                    exp = 3600  # defaulted to one hour
                if isinstance(exp, int):
                    if exp < TOKEN_MIN_SECONDS:
                        yield invalid(rid, tp + ("expirationSeconds",), exp, "may not specify a duration less than 10 minutes",
                                      hint="use at least 600 seconds; the kubelet refreshes tokens before they expire")
                    if exp > TOKEN_MAX_SECONDS:
                        yield invalid(rid, tp + ("expirationSeconds",), exp, "may not specify a duration larger than 2^32 seconds")
                path = get_str(tok, "path")
                if not path:
                    yield required(rid, tp + ("path",))
                else:
                    yield from local_non_reserved_path(rid, path, tp + ("path",))
            ctb = src.get("clusterTrustBundle")
            if isinstance(ctb, dict):
                cp = sp + ("clusterTrustBundle",)
                has_name, has_signer = ctb.get("name") is not None, ctb.get("signerName") is not None
                if has_name and has_signer:
                    yield invalid(rid, cp, ctb, "only one of name and signerName may be used")
                elif not has_name and not has_signer:
                    yield required(rid, cp, "either name or signerName must be specified")
                cpath = get_str(ctb, "path")
                if not cpath:
                    yield required(rid, cp + ("path",))
                yield from local_non_reserved_path(rid, cpath, cp + ("path",))
                if cpath:
                    yield from claim(cpath, cpath)


@rule("pod-volume-mount", POD, "volumeMounts name an existing volume, mountPath is set and unique per container, subPath is relative without '..'")
def check_volume_mounts(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-volume-mount"
    volumes = volume_names(obj)
    for path, c in containers(obj):
        mounts: set = set()
        for j, m in dicts(get_list(c, "volumeMounts")):
            mp = path + ("volumeMounts", j)
            name = m.get("name")
            if not name:
                yield required(rid, mp + ("name",))
            if name not in volumes:
                hint = f"declare a volume named {name!r} in spec.volumes" if volumes else "the Pod declares no volumes"
                yield not_found(rid, mp + ("name",), name if name is not None else "", hint=hint)
            mount_path = get_str(m, "mountPath")
            if not mount_path:
                yield required(rid, mp + ("mountPath",))
            if mount_path in mounts:
                yield invalid(rid, mp + ("mountPath",), mount_path, "must be unique", hint="two mounts of one container cannot share a mountPath")
            mounts.add(mount_path)
            sub = get_str(m, "subPath")
            if sub:
                yield from local_descending_path(rid, sub, mp + ("subPath",))
            expr = get_str(m, "subPathExpr")
            if expr:
                if sub:
                    yield invalid(rid, mp + ("subPathExpr",), expr, "subPathExpr and subPath are mutually exclusive")
                yield from local_descending_path(rid, expr, mp + ("subPathExpr",))
            prop = m.get("mountPropagation")
            if isinstance(prop, str) and prop:
                if prop not in MOUNT_PROPAGATIONS:
                    yield not_supported(rid, mp + ("mountPropagation",), prop, MOUNT_PROPAGATIONS)
                elif prop == "Bidirectional" and not (c.get("securityContext") or {}).get("privileged"):
                    yield forbidden(rid, mp + ("mountPropagation",), "Bidirectional mount propagation is available only to privileged containers")
            rro = m.get("recursiveReadOnly")
            if isinstance(rro, str) and rro:
                if rro not in ("Disabled", "IfPossible", "Enabled"):
                    yield not_supported(rid, mp + ("recursiveReadOnly",), rro, ("Disabled", "Enabled", "IfPossible"))
                elif rro != "Disabled":
                    if not m.get("readOnly"):
                        yield forbidden(rid, mp + ("recursiveReadOnly",), "may only be specified when readOnly is true")
                    if prop not in (None, "", "None"):
                        yield forbidden(rid, mp + ("recursiveReadOnly",), "may only be specified when mountPropagation is None or not specified")
