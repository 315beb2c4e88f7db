"""Strict validation against the official Kubernetes JSON schema of the target version.

The schemas of every built-in kind are vendored under `schemas/k8s/v<minor>/` (see
scripts/vendor_k8s_schemas.py): a small entry file per kind whose `$ref`s point into the
version's shared `_definitions.json`, `additionalProperties: false` everywhere, so a misspelt
field is an error here exactly as with `kubectl apply --validate=strict`. Loading is lazy: the
index and the definitions file are read once per version, and a definition is parsed only when
a kind that reaches it is first checked (`LazyDefs`, `load_schema`).

Before the schema, `_check_kind` sorts the apiVersion/kind out: a removed apiVersion is an error
naming its removal and replacement (`apis.py`), a deprecated or alpha one a warning, an unknown
kind in a built-in group an error, anything else a custom resource (see `crds.py`).

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

# Per version folder (see scripts/vendor_k8s_schemas.py): `_index.json` maps "apiVersion kind" to
# the stem of the kind's entry file, whose $refs point into `_definitions.json`.
INDEX_FILE = "_index.json"
DEFS_FILE = "_definitions.json"


def __getattr__(name: str):
    # KINDS used to be a constant; computing it reads an index, so only on first use.
    if name == "KINDS":
        return kinds(DEFAULT_VERSION)
    raise AttributeError(name)


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


@lru_cache(maxsize=None)
def kinds(version: str) -> dict[tuple[str, str], str]:
    """{(apiVersion, kind): file stem} of every vendored built-in kind of a Kubernetes version."""
    ref = schema_root().joinpath("v" + normalize_version(version), INDEX_FILE)
    index = json.loads(ref.read_bytes())
    return {tuple(key.split(" ", 1)): stem for key, stem in index.items()}


@lru_cache(maxsize=None)
def api_versions_of(version: str) -> dict[str, tuple]:
    """{kind: (apiVersion, ...)} of a Kubernetes version, preferred (GA, then newest) first."""
    out: dict[str, list] = {}
    for api_version, kind in kinds(version):
        out.setdefault(kind, []).append(api_version)
    return {kind: tuple(sorted(apis, key=_version_rank)) for kind, apis in out.items()}


@lru_cache(maxsize=None)
def groups(version: str) -> frozenset:
    """The API groups built into a Kubernetes version ("" is the core group)."""
    return frozenset(api.rpartition("/")[0] for api, _kind in kinds(version))


def _version_rank(api_version: str) -> tuple:
    # Kubernetes' own priority: GA over beta over alpha, then the higher number.
    import re

    m = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", api_version.rpartition("/")[2])
    if not m:
        return (3, 0, 0, api_version)
    level = {None: 0, "beta": 1, "alpha": 2}[m.group(2)]
    return (level, -int(m.group(1)), -int(m.group(3) or 0), api_version)


def has_schema(api_version: str, kind: str, version: str) -> bool:
    """Whether k8sgen vendors a schema of this built-in kind for this Kubernetes version."""
    try:
        return (api_version, kind) in kinds(version)
    except InputError:
        return False


class LazyDefs:
    """The definitions of one version, each parsed from its line on first use.

    `_definitions.json` holds one definition per line, so a run that checks a ConfigMap parses
    the few definitions a ConfigMap reaches, not the 600 of every kind.
    """

    def __init__(self, data: bytes) -> None:
        self._raw: dict[str, bytes] = {}
        self._parsed: dict[str, dict] = {}
        for line in data.split(b"\n"):
            if line.startswith(b'"'):
                end = line.index(b'":')
                self._raw[line[1:end].decode()] = line[end + 2:].rstrip(b",")

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def __getitem__(self, name: str) -> dict:
        hit = self._parsed.get(name)
        if hit is None:
            hit = self._parsed[name] = json.loads(self._raw[name])
        return hit

    def names(self) -> list:
        return sorted(self._raw)


@lru_cache(maxsize=None)
def definitions(version: str) -> LazyDefs:
    ref = schema_root().joinpath("v" + normalize_version(version), DEFS_FILE)
    return LazyDefs(ref.read_bytes())


@lru_cache(maxsize=None)
def load_schema(api_version: str, kind: str, version: str) -> dict:
    """The schema of one kind, self-contained: its reachable `$defs` included (KeyError if none)."""
    stem = kinds(version)[(api_version, kind)]
    ref = schema_root().joinpath("v" + normalize_version(version), stem + ".json")
    schema = json.loads(ref.read_bytes())
    return with_defs(schema, definitions(version))


def with_defs(schema: dict, defs) -> dict:
    """`schema` plus, under `$defs`, every definition of `defs` it reaches."""
    found: dict = {}
    todo = list(_local_refs(schema))
    while todo:
        name = todo.pop()
        if name not in found:
            found[name] = defs[name]
            todo.extend(_local_refs(found[name]))
    if found:
        schema = dict(schema)
        schema["$defs"] = {name: found[name] for name in sorted(found)}
    return schema


def _local_refs(node) -> Iterator[str]:
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                    yield value[len("#/$defs/"):]
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def schema_root():
    """schemas/k8s: package data when installed, the folder in a checkout."""
    from ..resources import schemas_dir

    return schemas_dir() / "k8s"


def check(obj: dict, version: str) -> Iterator[Problem]:
    """Problems of one object against the schema of its kind, in a stable order."""
    version = normalize_version(version)
    kind_problems, served = _check_kind(obj, version)
    yield from kind_problems
    if served:
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


def _check_kind(obj: object, version: str) -> tuple[list[Problem], bool]:
    """Problems of apiVersion/kind, and whether the object is a built-in kind to schema-check."""
    if not isinstance(obj, dict):
        return [Problem(message=f"expected an object, got {json_type(obj)}", rule="k8s-kind")], False
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    for field, value in (("apiVersion", api_version), ("kind", kind)):
        if value is None or value == "":
            return [Problem(
                message="Required value", rule="k8s-kind", path=(field,),
                hint=f"every Kubernetes object needs {field}",
            )], False
        if not isinstance(value, str):
            return [Problem(message=f"expected string, got {json_type(value)}", rule="k8s-kind", path=(field,))], False
    from . import apis

    target = tuple(int(p) for p in version.split("."))
    served = api_versions_of(version)
    if (api_version, kind) in kinds(version):
        return _api_notes(api_version, kind, version, target, served), True
    gone = apis.removed(api_version, kind, target)
    if gone is not None:
        (major, minor), use = gone
        use = use or (served[kind][0] if kind in served else "")
        # An apiVersion to switch to, or (PodSecurityPolicy) what took the kind's place.
        hint = f"use apiVersion: {use}" if use and " " not in use else use
        return [Problem(
            message=f"{api_version} {kind} was removed in Kubernetes {major}.{minor} (no longer served by {version})",
            rule="k8s-api-removed", path=("apiVersion",), hint=hint,
        )], False
    group = api_version.rpartition("/")[0]
    if (group in groups(version) or api_version in apis.REMOVED_GROUP_VERSIONS) and not kind.endswith("List"):
        # A built-in group: nothing else can serve this kind there (CRDs need their own group).
        if kind in served:
            return [Problem(
                message=f'no kind "{kind}" is registered for version "{api_version}" in Kubernetes {version}',
                rule="k8s-kind", path=("apiVersion",), hint=f"use apiVersion: {served[kind][0]}",
            )], False
        import difflib  # only for a hint; keep it off the import path

        close = difflib.get_close_matches(kind, [k for k in served if api_version in served[k]], n=1, cutoff=0.6)
        return [Problem(
            message=f'no kind "{kind}" is registered for version "{api_version}" in Kubernetes {version}',
            rule="k8s-kind", path=("kind",), hint=f"did you mean {close[0]}?" if close else "",
        )], False
    if not kind.endswith("List") and group not in groups(version):
        # A custom resource: validate_manifests checks it against its CRD when one is passed
        # (crds.py); this is what it says when none is.
        return [Problem(
            message=f"no CustomResourceDefinition for {kind} ({api_version}) among the inputs; not checked",
            rule="k8s-custom-resource", severity="warning", path=("kind",),
            hint=_not_checked_hint(api_version, kind, served),
        )], False
    return [Problem(
        message=f"no schema for kind {kind} in Kubernetes {version}; not checked",
        rule="k8s-kind",
        severity="warning",
        path=("kind",),
        hint=_not_checked_hint(api_version, kind, served),
    )], False


def _not_checked_hint(api_version: str, kind: str, served: dict) -> str:
    if kind in served:
        return f"the built-in {kind} is apiVersion: {served[kind][0]}"
    if kind.endswith("List"):
        return "list the items as separate documents to have them checked"
    return "pass its CustomResourceDefinition along (e.g. the install bundle's CRDs) to check these objects"


def _api_notes(api_version: str, kind: str, version: str, target: tuple, served: dict) -> list[Problem]:
    """Warnings for a served but deprecated or pre-release apiVersion/kind."""
    from . import apis

    out = []
    old = apis.deprecated(api_version, kind, target)
    if old is not None:
        (major, minor), use = old
        out.append(Problem(
            message=f"{api_version} {kind} is deprecated since Kubernetes {major}.{minor}",
            rule="k8s-api-deprecated", severity="warning", path=("kind",), hint=f"use {use}",
        ))
    level = apis.is_prerelease(api_version)
    best = served[kind][0]
    if level and not apis.is_prerelease(best):
        out.append(Problem(
            message=f"{api_version} {kind} is a pre-release version; Kubernetes {version} serves {best}",
            rule="k8s-api-deprecated", severity="warning", path=("apiVersion",), hint=f"use apiVersion: {best}",
        ))
    elif level == "alpha":
        out.append(Problem(
            message=f"{api_version} is an alpha API: the API server serves it only when enabled "
            f"(--runtime-config={api_version}=true and its feature gate)",
            rule="k8s-api-alpha", severity="warning", path=("apiVersion",),
        ))
    return out


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
