"""ConfigMaps and Secrets back to entries, with their values as `data` literals.

A name that ends in the content hash kustomize (and `hashSuffix: true`) would give becomes
`hashSuffix: true` under the base name, and every reference follows (`Group.renamed`). Values
go into the spec, which is where they come from; they never appear in a message.
"""

from __future__ import annotations

import base64
import binascii

from ..normalize.config import content_hash
from .base import CANNOT, Entry, Group, Unsupported, metadata, only


def propose(g: Group) -> list:
    out = []
    for kind, section in (("ConfigMap", "configMaps"), ("Secret", "secrets")):
        for k, obj in g.free(kind):
            try:
                name, entry = _object(kind, k[2], obj)
            except CANNOT:
                continue
            if name != k[2]:
                g.renamed.setdefault(kind, {})[k[2]] = name
            out.append(Entry(section, name, entry, [k]))
    return out


def _object(kind: str, name: str, obj: dict) -> tuple:
    allowed = ("apiVersion", "kind", "metadata", "data", "immutable") + (("type", "stringData") if kind == "Secret" else ("binaryData",))
    only(obj, allowed, "")
    entry: dict = {}
    binary: dict = {}  # key -> base64 text: bytes that are not UTF-8 text
    if kind == "Secret":
        if obj.get("type", "Opaque") != "Opaque":
            entry["type"] = obj["type"]
        data = {}
        for k, v in (obj.get("data") or {}).items():
            try:
                raw = base64.b64decode(str(v), validate=True)
            except (binascii.Error, ValueError):
                raise Unsupported("Secret data that is not base64") from None
            try:
                data[k] = raw.decode("utf-8")
            except UnicodeDecodeError:
                binary[k] = base64.b64encode(raw).decode()
        for k, v in (obj.get("stringData") or {}).items():
            data[k] = v
            binary.pop(k, None)
    else:
        data = dict(obj.get("data") or {})
        binary = dict(obj.get("binaryData") or {})
    if any(not isinstance(v, str) for v in list(data.values()) + list(binary.values())):
        raise Unsupported("data")
    if data:
        entry["data"] = dict(sorted(data.items()))
    if binary:
        entry["binaryData"] = dict(sorted(binary.items()))
    if "immutable" in obj:
        entry["immutable"] = obj["immutable"]
    metadata(obj, entry)
    base, sep, suffix = name.rpartition("-")
    if sep and len(suffix) == 10:
        ctx = {"data": dict(sorted(data.items())), "binaryData": dict(sorted(binary.items())), "type": obj.get("type", "Opaque")}
        if kind == "Secret":
            ctx["data"] = dict(sorted({**{k: base64.b64encode(v.encode()).decode() for k, v in data.items()}, **binary}.items()))
        if content_hash(kind, base, ctx) == suffix:
            return base, {"hashSuffix": True, **entry}
    return name, entry
