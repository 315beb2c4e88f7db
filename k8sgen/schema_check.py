"""Exact yes/no JSON Schema checks, compiled once into closures: the fast path of spec validation.

Valid input is the common case (every commit, every CI run), and for it a yes/no answer is all
that is needed; jsonschema costs about 0.1 s to import and interprets the schema on every call
(about 1 s for a spec of 1,000 apps). `compile_schema` turns a schema into a function that
answers exactly what `jsonschema.Draft202012Validator(schema).is_valid(x)` answers, for the
keywords below; only when the answer is "invalid" does the caller run jsonschema, to word the
errors. A schema that uses any other keyword raises `Unsupported`, and the caller keeps using
jsonschema for everything.

Keywords: type, properties, additionalProperties (bool or schema), required, enum and const (of
scalars), items (one schema), $ref (to #/$defs/...), anyOf, oneOf, allOf, minLength/maxLength,
minItems/maxItems, minProperties/maxProperties, minimum/maximum, pattern, uniqueItems; annotations (description,
examples, format without a format checker, ...) are ignored, as jsonschema ignores them.
tests/test_schema_check.py compares the answers with jsonschema's on the examples and on
generated mutations.
"""

from __future__ import annotations

import re
from typing import Callable

# jsonschema's type rules (bools are not numbers, 1.0 is an integer), shared with the compiler
# of the Kubernetes schemas.
from .validate.schema_compiler import _is_integer, _is_number

Check = Callable[[object], bool]

_ANNOTATIONS = frozenset({
    "$schema", "$id", "$defs", "$comment", "description", "title", "default", "examples", "format",
    "deprecated", "readOnly", "writeOnly", "markdownDescription",
})
_REF_PREFIX = "#/$defs/"


class Unsupported(ValueError):
    """The schema uses a keyword (or a form of one) that has no exact compiled check."""


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "integer": _is_integer,
    "number": _is_number,
}


def _scalar_key(v: object) -> tuple:
    """A key under which two scalars are equal exactly when jsonschema's `equal` says so
    (booleans never equal numbers; 1 equals 1.0)."""
    if isinstance(v, bool) or v is None:
        return ("const", v)
    if isinstance(v, str):
        return ("str", v)
    if _is_number(v):
        return ("num", v)
    raise Unsupported(f"enum/const value {v!r}")


def _equal(a: object, b: object) -> bool:
    """jsonschema's `equal`, for uniqueItems."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (bool, type(None))) or isinstance(b, (bool, type(None))):
        return a is b
    return a == b


def _unique(items: list) -> bool:
    if all(isinstance(i, str) for i in items):
        return len(set(items)) == len(items)
    return not any(_equal(items[i], items[j]) for i in range(len(items)) for j in range(i + 1, len(items)))


def _pointer(defs: dict, path: str):
    """The schema at JSON pointer `path` below $defs (RFC 6901 escapes), or None."""
    node = defs
    for part in path.split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def compile_schema(root: dict) -> Check:
    """The exact yes/no check of a whole schema (raises Unsupported)."""
    defs = root.get("$defs", {})
    compiled: dict[str, Check] = {}
    building: set[str] = set()

    def ref(target: str) -> Check:
        # `#/$defs/NAME`, or a JSON pointer below it (`#/$defs/pod/properties/env`): a schema
        # may share one definition's property with another without copying it.
        if not target.startswith(_REF_PREFIX):
            raise Unsupported(f"$ref {target!r}")
        name = target[len(_REF_PREFIX):]
        if name not in compiled and name not in building:
            sub = _pointer(defs, name)
            if sub is None:
                raise Unsupported(f"$ref {target!r}")
            building.add(name)
            compiled[name] = node(sub)
            building.discard(name)
        # Looked up at call time, so recursive definitions work.
        return lambda x: compiled[name](x)

    def node(schema) -> Check:
        if schema is True or schema == {}:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        unknown = set(schema) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise Unsupported("keywords " + ", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "type" in schema:
            t = schema["type"]
            names = [t] if isinstance(t, str) else list(t)
            if any(n not in _TYPES for n in names):
                raise Unsupported(f"type {t!r}")
            tests = [_TYPES[n] for n in names]
            checks.append(tests[0] if len(tests) == 1 else (lambda x, tests=tests: any(f(x) for f in tests)))
        if "enum" in schema or "const" in schema:
            values = schema["enum"] if "enum" in schema else [schema["const"]]
            allowed = frozenset(_scalar_key(v) for v in values)

            def enum(x, allowed=allowed) -> bool:
                try:
                    return _scalar_key(x) in allowed
                except Unsupported:  # a list or mapping never equals a scalar
                    return False

            checks.append(enum)
        if "required" in schema:
            req = tuple(schema["required"])
            checks.append(lambda x, req=req: not isinstance(x, dict) or all(k in x for k in req))
        if "properties" in schema or "additionalProperties" in schema:
            props = {k: node(v) for k, v in schema.get("properties", {}).items()}
            extra = schema.get("additionalProperties", True)
            extra_check = None if extra is True else node(extra)

            def obj(x, props=props, extra_check=extra_check) -> bool:
                if not isinstance(x, dict):
                    return True
                for k, v in x.items():
                    sub = props.get(k)
                    if sub is not None:
                        if not sub(v):
                            return False
                    elif extra_check is not None and not extra_check(v):
                        return False
                return True

            checks.append(obj)
        if "items" in schema:
            if not isinstance(schema["items"], (dict, bool)):
                raise Unsupported("items as a list")
            item = node(schema["items"])
            checks.append(lambda x, item=item: not isinstance(x, list) or all(item(v) for v in x))
        if "$ref" in schema:
            checks.append(ref(schema["$ref"]))
        if "anyOf" in schema:
            subs = [node(s) for s in schema["anyOf"]]
            checks.append(lambda x, subs=subs: any(f(x) for f in subs))
        if "oneOf" in schema:
            subs = [node(s) for s in schema["oneOf"]]
            checks.append(lambda x, subs=subs: sum(1 for f in subs if f(x)) == 1)
        if "allOf" in schema:
            subs = [node(s) for s in schema["allOf"]]
            checks.append(lambda x, subs=subs: all(f(x) for f in subs))
        for key, kind, cmp in _BOUNDS:
            if key in schema:
                n = schema[key]
                checks.append(lambda x, n=n, kind=kind, cmp=cmp: not isinstance(x, kind) or cmp(len(x), n))
        for key, cmp in _NUMBER_BOUNDS:
            if key in schema:
                n = schema[key]
                # Like jsonschema: numbers only (booleans are not numbers), anything else passes.
                checks.append(lambda x, n=n, cmp=cmp: not _is_number(x) or cmp(x, n))
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            checks.append(lambda x, rx=rx: not isinstance(x, str) or rx.search(x) is not None)
        if schema.get("uniqueItems") is True:
            checks.append(lambda x: not isinstance(x, list) or _unique(x))
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        return lambda x, checks=tuple(checks): all(f(x) for f in checks)

    return node(root)


_BOUNDS = (
    ("minLength", str, lambda n, m: n >= m),
    ("maxLength", str, lambda n, m: n <= m),
    ("minItems", list, lambda n, m: n >= m),
    ("maxItems", list, lambda n, m: n <= m),
    ("minProperties", dict, lambda n, m: n >= m),
    ("maxProperties", dict, lambda n, m: n <= m),
)
_NUMBER_BOUNDS = (
    ("minimum", lambda x, m: x >= m),
    ("maximum", lambda x, m: x <= m),
)
_KEYWORDS = frozenset({
    "type", "enum", "const", "required", "properties", "additionalProperties", "items", "$ref",
    "anyOf", "oneOf", "allOf", "pattern", "uniqueItems", *(b[0] for b in _BOUNDS), *(b[0] for b in _NUMBER_BOUNDS),
})
