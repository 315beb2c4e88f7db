"""Strict validation against the official Kubernetes JSON schema of the target version.

The schemas are vendored under `schemas/k8s/v<minor>/` (see scripts/vendor_k8s_schemas.py): one
self-contained file per kind, `additionalProperties: false` everywhere, so a misspelt field is an
error here exactly as with `kubectl apply --validate=strict`.

Every schema violation is first reduced to a small `RawError` tuple, then turned into a
`Problem` in one place (`_to_problem`). That split lets the reference implementation (jsonschema)
and the fast compiled one (`schema_compiler`) be compared error for error.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

from ..errors import InputError, Problem
from ..fieldpath import format_path

SUPPORTED_VERSIONS = ("1.35", "1.36", "1.37")
DEFAULT_VERSION = "1.37"

# (apiVersion, kind) -> file stem under schemas/k8s/v<version>/ (the stem the wheel uses).
KINDS: dict[tuple[str, str], str] = {
    ("v1", "Pod"): "pod-v1",
    ("v1", "Service"): "service-v1",
    ("v1", "Endpoints"): "endpoints-v1",
    ("discovery.k8s.io/v1", "EndpointSlice"): "endpointslice-discovery-v1",
    ("v1", "ServiceAccount"): "serviceaccount-v1",
    ("v1", "ConfigMap"): "configmap-v1",
    ("v1", "Secret"): "secret-v1",
    ("v1", "Namespace"): "namespace-v1",
    ("rbac.authorization.k8s.io/v1", "Role"): "role-rbac-v1",
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): "rolebinding-rbac-v1",
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): "clusterrole-rbac-v1",
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): "clusterrolebinding-rbac-v1",
}
_API_VERSION_OF = {kind: api for (api, kind) in KINDS}


class RawError(NamedTuple):
    """One schema violation, before wording. `path` is where the problem is reported.

    kind "type":     detail = (expected types, actual JSON type, instance as JSON if a scalar else None)
                     -- also for a Quantity/IntOrString `oneOf` that matched no branch or both
    kind "enum":     detail = (allowed values, instance as JSON)
    kind "required": detail = missing property (path already ends with it)
    kind "unknown":  detail = (unknown key, known property names) (path already ends with the key)
    kind "other":    detail = message
    """

    kind: str
    path: tuple
    detail: object


@lru_cache(maxsize=64)
def normalize_version(version: str) -> str:
    """`1.37`, `v1.37` or `1.37.2` -> `1.37`; an unsupported version is a usage error."""
    text = str(version).strip().lstrip("v")
    parts = text.split(".")
    # ASCII digits only (`"²".isdigit()` is true, `int("²")` fails), and few of them (`int()` of
    # thousands of digits is refused, or slow).
    if len(parts) >= 2 and all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts[:2]):
        short = f"{int(parts[0])}.{int(parts[1])}"
        if short in SUPPORTED_VERSIONS:
            return short
    raise InputError(
        Problem(
            message=f"Kubernetes version {version!r} is not supported",
            rule="k8s-version",
            hint="supported versions: " + ", ".join(SUPPORTED_VERSIONS),
        )
    )


def has_schema(api_version: str, kind: str, version: str) -> bool:
    """Whether k8sgen vendors a schema of this kind for this Kubernetes version."""
    if (api_version, kind) not in KINDS:
        return False
    try:
        normalize_version(version)
    except InputError:
        return False
    return True


@lru_cache(maxsize=None)
def load_schema(api_version: str, kind: str, version: str) -> dict:
    """The vendored schema of one kind (raises KeyError for a kind without one)."""
    stem = KINDS[(api_version, kind)]
    ref = schema_root().joinpath("v" + normalize_version(version), stem + ".json")
    return json.loads(ref.read_bytes())


def schema_root():
    """schemas/k8s: package data when installed, the folder in a checkout."""
    from ..resources import schemas_dir

    return schemas_dir() / "k8s"


def check(obj: dict, version: str) -> Iterator[Problem]:
    """Problems of one object against the schema of its kind, in a stable order."""
    version = normalize_version(version)
    kind_problem = _check_kind(obj, version)
    if kind_problem is not None:
        yield kind_problem
        return
    yield from problems_from(raw_errors(obj, version))


def raw_errors(obj: dict, version: str, engine: str = "compiled") -> list[RawError]:
    """Schema violations of an object of a vendored kind (`_check_kind` passed).

    engine "compiled" (the default) uses `schema_compiler`'s closures and falls back to
    "reference" (jsonschema) for a schema they do not support.
    """
    key = (obj["apiVersion"], obj["kind"])
    compiled = compiled_validator(key[0], key[1], version) if engine == "compiled" else None
    if compiled is not None:
        from .schema_compiler import Unsupported

        is_valid, collect = compiled
        try:
            if is_valid(obj):
                return []
            out: list[RawError] = []
            collect(obj, (), out)
            return out
        except Unsupported:
            pass  # compiled lazily, so a keyword it lacks shows up only here
    from .schema_reference import raw_errors as reference

    return reference(load_schema(key[0], key[1], version), obj)


@lru_cache(maxsize=None)
def compiled_validator(api_version: str, kind: str, version: str):
    """(is_valid, collect) closures of a kind, or None if its schema needs jsonschema."""
    from .schema_compiler import Unsupported

    try:
        return _compiler(version).kind(load_schema(api_version, kind, version))
    except Unsupported:
        return None


@lru_cache(maxsize=None)
def _compiler(version: str):
    # One per version, so the kinds of a version share their compiled definitions.
    from .schema_compiler import Compiler

    return Compiler()


def problems_from(raw: Iterable[RawError]) -> list[Problem]:
    """Word raw errors as Problems, sorted, with redundant ones dropped.

    A wrong type hides other complaints about the same value (an int where an enum string is
    expected is one mistake, not two).
    """
    if not raw:
        return []
    raw = sorted(set(raw), key=_raw_key)
    typed = {e.path for e in raw if e.kind == "type"}
    return [_to_problem(e) for e in raw if e.kind == "type" or e.path not in typed]


def _raw_key(e: RawError) -> tuple:
    # Paths mix keys and indexes, which do not compare with each other.
    return (tuple((0, p, 0) if isinstance(p, str) else (1, "", p) for p in e.path), e.kind, repr(e.detail))


def _check_kind(obj: object, version: str) -> Problem | None:
    if not isinstance(obj, dict):
        return Problem(message=f"expected an object, got {json_type(obj)}", rule="k8s-kind")
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    for field, value in (("apiVersion", api_version), ("kind", kind)):
        if value is None or value == "":
            return Problem(
                message="Required value", rule="k8s-kind", path=(field,),
                hint=f"every Kubernetes object needs {field}",
            )
        if not isinstance(value, str):
            return Problem(message=f"expected string, got {json_type(value)}", rule="k8s-kind", path=(field,))
    if (api_version, kind) in KINDS:
        return None
    if kind in _API_VERSION_OF:
        return Problem(
            message=f'no kind "{kind}" is registered for version "{api_version}" in Kubernetes {version}',
            rule="k8s-kind",
            path=("apiVersion",),
            hint=f"use apiVersion: {_API_VERSION_OF[kind]}",
        )
    import difflib  # only for a hint; keep it off the import path

    close = difflib.get_close_matches(kind, list(_API_VERSION_OF), n=1, cutoff=0.6)
    return Problem(
        message=f"no schema for kind {kind} in Kubernetes {version}; not checked",
        rule="k8s-kind",
        severity="warning",
        path=("kind",),
        hint=f"did you mean {close[0]}?" if close else "",
    )


_JSON_TYPE = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object", type(None): "null"}


def json_type(value: object) -> str:
    """The JSON type name of a value, jsonschema's way (1.0 is an integer)."""
    name = _JSON_TYPE.get(type(value))
    if name is None:
        for py, json_name in _JSON_TYPE.items():
            if isinstance(value, py):
                name = json_name
                break
        else:
            return type(value).__name__
    if name == "number" and isinstance(value, float) and value.is_integer():
        return "integer"
    return name


def type_detail(expected: tuple, value: object) -> tuple:
    """The `detail` of a "type" RawError (hashable, so errors can be deduplicated)."""
    scalar = value is None or isinstance(value, (str, int, float, bool))
    return (expected, json_type(value), quote(value) if scalar else None)


def quote(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _to_problem(e: RawError) -> Problem:
    where = format_path(e.path)
    if e.kind == "unknown":
        import difflib

        key, known = e.detail
        close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
        hint = f'did you mean "{close[0]}"?' if close else (
            "known fields here: " + ", ".join(sorted(known)) if known else "no fields are allowed here"
        )
        return Problem(message=f"unknown field {quote(str(key))}", rule="k8s-schema-unknown-field", path=e.path, hint=hint)
    if e.kind == "required":
        return Problem(message="Required value", rule="k8s-schema-required", path=e.path, hint=f"set {where}")
    if e.kind == "type":
        expected, got, text = e.detail
        want = " or ".join(t for t in expected if t != "null") or "null"
        hint = ""
        if got in ("integer", "number", "boolean") and "string" in expected:
            hint = f"quote the value: {quote(text)}"
        elif got == "string" and ("integer" in expected or "number" in expected):
            hint = "write the number without quotes"
        return Problem(message=f"expected {want}, got {got}", rule="k8s-schema-type", path=e.path, hint=hint)
    if e.kind == "enum":
        allowed, text = e.detail
        return Problem(
            message=f"Unsupported value: {text}: supported values: " + ", ".join(quote(a) for a in allowed),
            rule="k8s-schema-enum",
            path=e.path,
        )
    return Problem(message=str(e.detail), rule="k8s-schema", path=e.path)
