"""Walking a Pod: its containers of every type, and the defaults the API server applies first.

The API server validates objects after v1 defaulting, so an omitted `protocol` is TCP and an
omitted `restartPolicy` is Always; rules read fields through these helpers instead of
reporting "Required value" for fields the user may leave out.
"""

from __future__ import annotations

from typing import Iterator

from .registry import dicts, get_dict, get_list, shared

CONTAINER_FIELDS = ("containers", "initContainers", "ephemeralContainers")


def spec(obj: dict) -> dict:
    return get_dict(obj, "spec")


def containers(obj: dict, fields: tuple = CONTAINER_FIELDS) -> Iterator[tuple[tuple, dict]]:
    """(path, container) for every container, in the order the server validates them."""
    return iter(shared(obj, ("containers", fields), lambda o: list(_containers(o, fields))))


def _containers(obj: dict, fields: tuple) -> Iterator[tuple[tuple, dict]]:
    s = spec(obj)
    for f in fields:
        for i, c in dicts(get_list(s, f)):
            yield ("spec", f, i), c


def volume_names(obj: dict) -> set:
    return {v.get("name") for _, v in dicts(get_list(spec(obj), "volumes")) if isinstance(v.get("name"), str)}


def protocol(port: dict) -> str:
    p = port.get("protocol")
    return p if isinstance(p, str) and p else "TCP"
