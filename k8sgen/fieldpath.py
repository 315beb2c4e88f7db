"""Field paths as the API server prints them: `spec.containers[0].env[2].valueFrom`."""

from __future__ import annotations

import re

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def format_path(path: tuple) -> str:
    out = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENT.match(part):
            out.append(("." if out else "") + part)
        else:
            out.append(f"[{part}]")
    return "".join(out)


def object_id(obj: dict) -> str:
    """`Kind/namespace/name`, or `Kind/name` for objects without a namespace."""
    if not isinstance(obj, dict):
        return ""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else "?"
    name = meta.get("name") if isinstance(meta.get("name"), str) else "?"
    ns = meta.get("namespace")
    return f"{kind}/{ns}/{name}" if isinstance(ns, str) and ns else f"{kind}/{name}"
