"""Defaulting: what the API server does to an object between decoding and validation.

The server validates the *defaulted* object: the `SetDefaults_*` functions of the versioned
types (`pkg/apis/core/v1/defaults.go`, `pkg/apis/apps/v1/defaults.go`,
`pkg/apis/batch/v1/defaults.go`, `pkg/apis/rbac/v1/defaults.go`, discovery/v1) and the
conversion of legacy values to the internal type (`pkg/apis/core/v1/conversion.go`,
`ConvertDownwardAPIFieldLabel`). A rule that looked at the object as written would report an
omitted `protocol`, a volume with only a name or a `sessionAffinityConfig` next to
`sessionAffinity: None`, all of which the server accepts.

`apply(obj)` returns a defaulted deep copy and never changes `obj`: what k8sgen prints stays
as the user wrote or rendered it. Defaulting only adds keys (and rewrites a few legacy values
in place), so every field path of the original still names the same field; a problem on a
defaulted field that the file does not contain is positioned at its nearest written parent
(the `locate` functions walk up a missing path).

Defaulting runs before the rules, on objects that passed the strict schema check, but it must
also survive objects of kinds without a vendored schema: every accessor here checks types and
leaves anything unexpected alone for the rules to report.

One module per API group; `DEFAULTERS` maps (apiVersion, kind) to the function that defaults
an object of that type in place.
"""

from __future__ import annotations

import copy
from typing import Callable

from . import apps, batch, core, discovery, rbac

Defaulter = Callable[[dict], None]

DEFAULTERS: dict[tuple[str, str], Defaulter] = {}
for _module in (core, apps, batch, rbac, discovery):
    DEFAULTERS.update(_module.DEFAULTERS)

__all__ = ["apply", "DEFAULTERS", "has_defaults"]


def has_defaults(obj: object) -> bool:
    return isinstance(obj, dict) and (obj.get("apiVersion"), obj.get("kind")) in DEFAULTERS


def apply(obj: object) -> object:
    """The object as the API server validates it: a defaulted deep copy (or `obj` itself
    when nothing applies to its type, which is then never changed either)."""
    if not has_defaults(obj):
        return obj
    try:
        out = _tree_copy(obj)
    except RecursionError:  # a cyclic object (only a library caller can build one)
        out = copy.deepcopy(obj)
    DEFAULTERS[(out["apiVersion"], out["kind"])](out)
    return out


def _tree_copy(value: object) -> object:
    """A deep copy of decoded YAML/JSON data (dicts, lists, immutable scalars).

    `copy.deepcopy` was the largest cost of defaulting: 0.6 s of a 6,000-object render, for
    its memo and per-type dispatch. Decoded data needs neither: scalars are immutable, and a
    node an alias shares is at worst copied once per use (yamlio caps alias expansion). The
    copy's value is equal to deepcopy's (tests/test_defaults_copy.py). Anything else (a
    tuple, a custom object from a library caller) goes to deepcopy.
    """
    cls = type(value)
    if cls is dict:
        return {k: (v if type(v) in _ATOMS else _tree_copy(v)) for k, v in value.items()}
    if cls is list:
        return [v if type(v) in _ATOMS else _tree_copy(v) for v in value]
    if cls in _ATOMS:
        return value
    return copy.deepcopy(value)


_ATOMS = frozenset({str, int, float, bool, type(None)})
