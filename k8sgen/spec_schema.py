"""Check a spec against `schemas/spec.schema.json` and type its values by the schema.

Typing first: a plain scalar that YAML resolved to a number, boolean or null but sits where the
schema wants text takes its text exactly as written (`8080`, `0755`, `true`, `1e3`, `~`). So
`yes` in an annotation and `8080` in an env var come out as written, while `port: 8080` stays a
number. Then validation, with messages a person can act on: the position of the offending node,
what was expected, and a did-you-mean hint for unknown keys and values.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from .errors import Problem
from .resources import read_schema_text
from .source import Document

_TYPE_OF = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}
_DESCRIBE = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "nothing",
}


@lru_cache(maxsize=1)
def spec_schema() -> dict:
    return json.loads(read_schema_text("spec.schema.json"))


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(spec_schema())


def _json_type(value) -> str:
    return _TYPE_OF.get(type(value), "object")


def _types(schema: dict) -> set:
    t = schema.get("type")
    if t is None:
        return set()
    return {t} if isinstance(t, str) else set(t)


def _resolve(schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        # `#/$defs/NAME`, or a pointer below it: workloads share the pod's properties that way.
        node = spec_schema()
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node
    return schema


def _branches(schema: dict) -> list:
    return [_resolve(b) for b in schema.get("anyOf", schema.get("oneOf", []))]


def coerce(doc: Document) -> None:
    """Retype plain scalars in place where the schema wants text (see module doc)."""
    doc.data = _coerce(doc.data, spec_schema(), (), doc)


def _coerce(value, schema: dict, path: tuple, doc: Document):
    schema = _resolve(schema)
    branches = _branches(schema)
    if branches:
        if isinstance(value, (dict, list)):
            want = "object" if isinstance(value, dict) else "array"
            for b in branches:
                if want in _types(b):
                    return _coerce(value, b, path, doc)
            return value
        allowed = set().union(*(_types(b) for b in branches))
        return _coerce_scalar(value, allowed, path, doc)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for k in list(value):
            sub = props.get(k, extra if isinstance(extra, dict) else None)
            if sub is not None:
                value[k] = _coerce(value[k], sub, path + (k,), doc)
        return value
    if isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(value):
                value[i] = _coerce(v, items, path + (i,), doc)
        return value
    return _coerce_scalar(value, _types(schema), path, doc)


def _coerce_scalar(value, allowed: set, path: tuple, doc: Document):
    if isinstance(value, str) or "string" not in allowed:
        return value
    t = _json_type(value)
    if t in allowed or (t == "integer" and "number" in allowed):
        return value
    raw = doc.positions.raw_text(path)
    if raw is not None:
        return raw
    # A spec given as a Python mapping has no source text: write the value the YAML way.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


@lru_cache(maxsize=1)
def _fast_check():
    """An exact yes/no check of the spec schema without jsonschema (see schema_check), or None."""
    from .schema_check import Unsupported, compile_schema

    try:
        return compile_schema(spec_schema())
    except Unsupported:
        return None


def check(doc: Document) -> list[Problem]:
    """All schema problems of a spec document, positioned."""
    broken = list(_surrogates(doc.data, (), doc))
    if broken:
        return broken
    fast = _fast_check()
    if fast is not None and fast(doc.data):
        return []  # valid: no need to import jsonschema, which is only needed to word errors
    problems: list[Problem] = []
    for err in _validator().iter_errors(doc.data):
        problems.extend(_explain(err, doc))
    return problems


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogates(value, path: tuple, doc: Document):
    """Text holding a lone UTF-16 surrogate, which is no character and cannot be written as YAML
    or UTF-8: from the Python API, or from `--set` with bytes that are not UTF-8 (Python decodes
    command lines with surrogateescape). YAML and JSON files cannot produce it."""
    stack = [(value, path)]
    while stack:
        v, p = stack.pop()
        if isinstance(v, dict):
            for k, sub in v.items():
                if isinstance(k, str) and _SURROGATE.search(k):
                    yield _surrogate_problem(k, p + (k,), doc, key=True)
                stack.append((sub, p + (k,)))
        elif isinstance(v, list):
            stack.extend((sub, p + (i,)) for i, sub in enumerate(v))
        elif isinstance(v, str) and _SURROGATE.search(v):
            yield _surrogate_problem(v, p, doc)


def _surrogate_problem(text: str, path: tuple, doc: Document, key: bool = False) -> Problem:
    bad = _SURROGATE.search(text).group()
    if len(path) >= 3 and path[0] == "secrets" and path[2] == "data" and not key:
        text = "<redacted, a Secret value>"  # never quote a Secret's value
    return Problem(
        message=f"text {text!r} holds U+{ord(bad):04X}, a lone UTF-16 surrogate, which is not a character",
        rule="spec-text",
        pos=doc.locate(path, key),
        path=path,
        hint="use UTF-8 text; on a command line, check the terminal's encoding",
    )


def _explain(err, doc: Document) -> list[Problem]:
    path = tuple(err.absolute_path)
    schema = err.schema
    v = err.validator
    value = err.instance
    import difflib  # only to word an error: off the path of a valid spec

    def at(msg: str, hint: str = "", p: tuple = path, key: bool = False, rule: str = "spec-schema") -> Problem:
        return Problem(message=msg, rule=rule, pos=doc.locate(p, key), path=p, hint=hint)

    if v == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        out = []
        for k in value:
            if k not in allowed:
                close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else "allowed keys: " + ", ".join(allowed)
                out.append(at(f"unknown key {k!r}", hint, path + (k,), key=True, rule="spec-unknown-key"))
        return out
    if v == "required":
        missing = [k for k in err.validator_value if k not in value]
        return [at(f"missing required key {k!r}", schema["properties"].get(k, {}).get("description", ""), rule="spec-required") for k in missing]
    if v == "type":
        want = " or ".join(_DESCRIBE[t] for t in sorted(_types(schema)) if t != "null")
        return [at(f"expected {want}, got {_DESCRIBE[_json_type(value)]}", _hint_for(schema), rule="spec-type")]
    if v == "enum":
        choices = [str(c) for c in err.validator_value]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else ""
        return [at(f"{value!r} is not one of: {', '.join(choices)}", hint, rule="spec-enum")]
    if v in ("anyOf", "oneOf"):
        return _explain_any(err, doc, at)
    if v == "pattern":
        ex = schema.get("examples")
        hint = ("for example: " + ", ".join(json.dumps(e) for e in ex)) if ex else ""
        return [at(f"{value!r} is not valid here: expected {schema.get('description', err.validator_value)}", hint, rule="spec-format")]
    if v in ("minItems", "minProperties", "minLength"):
        return [at("must not be empty", _hint_for(schema), rule="spec-empty")]
    if v == "maxProperties":
        return [at(f"give exactly one of these, not {len(value)}: {', '.join(value)}", schema.get("description", ""), rule="spec-one-of")]
    if v == "uniqueItems":
        return [at("lists the same value twice", rule="spec-duplicate")]
    return [at(err.message, rule="spec-schema")]


def _explain_any(err, doc: Document, at) -> list[Problem]:
    value = err.instance
    branches = _branches(err.schema)
    want = _json_type(value)
    for i, b in enumerate(branches):
        types = _types(b)
        if want in types or (want == "integer" and "number" in types):
            sub = [e for e in err.context if e.schema_path and e.schema_path[0] == i]
            if sub:
                out: list[Problem] = []
                for e in sub:
                    out.extend(_explain(e, doc))
                return out
    kinds: list = []
    for b in branches:
        for t in sorted(_types(b)):
            if t != "null" and _DESCRIBE[t] not in kinds:
                kinds.append(_DESCRIBE[t])
    return [at(f"expected {' or '.join(kinds)}, got {_DESCRIBE[want]}", _hint_for(err.schema), rule="spec-type")]


def _hint_for(schema: dict) -> str:
    ex = schema.get("examples")
    if ex:
        return "for example: " + json.dumps(ex[0], ensure_ascii=False)
    return schema.get("description", "")
