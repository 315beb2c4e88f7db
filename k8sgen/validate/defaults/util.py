"""Small helpers for defaulters: set a key only where the server's Go field would be nil/zero."""

from __future__ import annotations

import re
from typing import Iterator

# resource.ParseQuantity's grammar: a number and one suffix (binary, decimal or an exponent).
# Defaulting runs without the rules package (tests stub stages out), so it has its own check.
_QUANTITY = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?\Z")


def child(d: dict, key: str) -> dict | None:
    """`d[key]` as a mapping, created when missing or null; None when it is something else
    (a wrong type is left for the schema stage or the rules to report)."""
    v = d.get(key)
    if v is None:
        v = d[key] = {}
    return v if isinstance(v, dict) else None


def mapping(d: object, key: str) -> dict | None:
    """`d[key]` when it is an existing mapping, else None (nothing is created)."""
    v = d.get(key) if isinstance(d, dict) else None
    return v if isinstance(v, dict) else None


def items(d: object, key: str) -> Iterator[dict]:
    """The mapping items of the list `d[key]`."""
    v = d.get(key) if isinstance(d, dict) else None
    if isinstance(v, list):
        for item in v:
            if isinstance(item, dict):
                yield item


def empty(value: object) -> bool:
    """Go's zero value for the scalar fields defaulters test: missing, null, "" or 0."""
    return value is None or value == "" or (value == 0 and not isinstance(value, bool))


def default(d: dict, key: str, value: object) -> None:
    if empty(d.get(key)):
        d[key] = value


def default_missing(d: dict, key: str, value: object) -> None:
    """For pointer fields (`*int32`), where an explicit 0 is a value and only nil is defaulted."""
    if d.get(key) is None:
        d[key] = value


def is_quantity(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_QUANTITY.match(value))
