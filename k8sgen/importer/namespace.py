"""The Namespace object of a spec's own namespace back to `createNamespace`.

Only that one Namespace (others stay verbatim, with the objects of their own spec), and only
with nothing but labels and annotations: its `spec.finalizers` the API server defaults.
"""

from __future__ import annotations

from .base import CANNOT, Entry, Group, metadata, only

SECTION = "createNamespace"


def propose(g: Group) -> list:
    found = g.get("Namespace", g.namespace, cluster=True)
    if found is None or g.namespace == "default":
        return []
    k, obj = found
    try:
        only(obj, ("apiVersion", "kind", "metadata"), "")
        entry: dict = {}
        metadata(obj, entry)
    except CANNOT:
        return []
    return [Entry(SECTION, g.namespace, entry, [k])]
