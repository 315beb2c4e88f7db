"""What the API server (or kubectl) writes into an object, dropped before import.

`kubectl get -o yaml` prints objects as the cluster stores them: with `status`, the identity and
bookkeeping the server keeps in metadata (uid, resourceVersion, generation, creationTimestamp,
managedFields, selfLink) and kubectl's own record of the last apply (the
last-applied-configuration annotation, which for a Secret holds its values). None of it is
something to apply: the server ignores or overwrites it (a stale resourceVersion even makes an
update fail). Import drops exactly these, and the command says so on stderr, so a cluster dump
becomes a spec the way a repository does. Everything else, a server-allocated clusterIP or
nodePort included, is kept: written by hand it would mean something, and import cannot tell.
"""

from __future__ import annotations

METADATA = ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def strip(objects: list) -> tuple:
    """(the objects without those fields, the field paths dropped (sorted), how many objects
    had any). Objects without them are returned as they are; the others are copies."""
    out, dropped, touched = [], set(), 0
    for o in objects:
        meta = o.get("metadata") if isinstance(o.get("metadata"), dict) else {}
        annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
        here = {"status"} & set(o) | {f"metadata.{k}" for k in METADATA if k in meta}
        if LAST_APPLIED in annotations:
            here.add(f"metadata.annotations[{LAST_APPLIED}]")
        if not here:
            out.append(o)
            continue
        touched += 1
        dropped |= here
        o = {k: v for k, v in o.items() if k != "status"}
        meta = {k: v for k, v in meta.items() if k not in METADATA}
        if LAST_APPLIED in annotations:
            rest = {k: v for k, v in annotations.items() if k != LAST_APPLIED}
            if rest:
                meta["annotations"] = rest
            else:
                del meta["annotations"]
        o["metadata"] = meta
        out.append(o)
    return out, sorted(dropped), touched


def message(dropped: list, touched: int) -> str:
    objects = "1 object" if touched == 1 else f"{touched} objects"
    return f"k8sgen: dropped what the API server sets ({', '.join(dropped)}) from {objects}: applying it back means nothing\n"


__all__ = ["strip", "message", "METADATA", "LAST_APPLIED"]
