"""Compile the vendored Kubernetes schemas into plain Python validators.

jsonschema interprets a schema on every call (about 1.4 ms per Pod); the vendored schemas use
only a handful of keywords, so each schema node becomes two small generated functions instead:

- `k<n>(x) -> bool`: the fast path, no allocation, stops at the first violation;
- `e<n>(x, p, out)`: collects `RawError`s exactly as `schema_reference` reduces jsonschema's
  errors. It first asks `k<n>`, so valid subtrees are skipped without building paths.

The output is one module per Kubernetes version (`k8sgen/validate/_k8s_v1_37.py`), written by
scripts/vendor_k8s_schemas.py and committed, so that at run time validation costs an import of
a cached .pyc and nothing else: no JSON to parse, no code to generate. tests/
test_k8s_schema_compiled.py checks that the committed modules are what this generator makes of
the committed schemas, and that they agree with jsonschema.

Keywords understood: type (with "null"), properties, additionalProperties (false or a schema),
required, enum (of strings), items (one schema), $ref (to #/$defs), and oneOf whose branches
are only `type` (Quantity, IntOrString). `format` is an annotation for jsonschema without a
format checker, so it is ignored here too. Anything else raises `Unsupported`, and the kind
keeps using jsonschema.
"""

from __future__ import annotations

import json
from numbers import Number

from .k8s_schema import RawError, quote, type_detail

__all__ = ["RawError", "quote", "type_detail", "is_integer", "is_number", "Number", "generate", "Unsupported"]

# Keys that carry no validation (for jsonschema without a format checker).
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "description", "title", "default", "format", "examples", "deprecated", "readOnly", "writeOnly"})
_HANDLED = frozenset({"type", "properties", "additionalProperties", "required", "enum", "items", "$ref", "oneOf"})
_LOCAL_REF = "#/$defs/"


class Unsupported(ValueError):
    """The schema uses a keyword (or a form of one) the compiler does not implement."""


def is_integer(x: object) -> bool:
    # jsonschema's draft 6+ rule: bools are not integers, whole floats are.
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def is_number(x: object) -> bool:
    return isinstance(x, Number) and not isinstance(x, bool)


_TYPE_TEST = {
    "null": "x is None",
    "string": "isinstance(x, str)",
    "boolean": "isinstance(x, bool)",
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
    "integer": "is_integer(x)",
    "number": "is_number(x)",
}


def _types(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def _type_expr(types: tuple) -> str:
    # Cheapest test first: `None` is the common value of optional fields in rendered output
    # only rarely, so the real type goes first and `is None` last.
    parts = [_TYPE_TEST[t] for t in types if t != "null"]
    if "null" in types:
        parts.append(_TYPE_TEST["null"])
    for t in types:
        if t not in _TYPE_TEST:
            raise Unsupported(f"type {t!r}")
    return " or ".join(parts) if parts else "False"


def _oneof_types(branches: list) -> tuple:
    """The types of a oneOf whose branches only say `type`, as the reference reduces them."""
    expected: list = []
    for sub in branches:
        if not isinstance(sub, dict) or set(sub) - _ANNOTATIONS != {"type"}:
            raise Unsupported("oneOf with branches other than plain types")
        expected.extend(t for t in _types(sub["type"]) if t not in expected)
    expected.sort(key=lambda t: t == "null")
    return tuple(expected)


class _Generator:
    def __init__(self, defs_by_kind: dict):
        self.defs: dict = {}  # def name -> schema (one version shares one _definitions.json)
        for schema in defs_by_kind.values():
            for name, sub in schema.get("$defs", {}).items():
                if name in self.defs and self.defs[name] != sub:
                    raise Unsupported(f"two different definitions named {name}")
                self.defs[name] = sub
        self.ids: dict = {}  # canonical node text -> function number
        self.def_ids: dict = {}  # def name -> function number
        self.funcs: list = []  # generated function source blocks, in id order
        self.tables: list = []  # module-level constants, emitted after every function
        self.comments: dict = {}

    # A node is compiled once however often it appears; refs reuse their definition's number.
    def node(self, schema, label: str = "", def_name: str = "") -> int:
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        keys = set(schema) - _ANNOTATIONS
        keys = {k for k in keys if not k.startswith("x-")}
        if keys - _HANDLED:
            raise Unsupported("keywords " + ", ".join(sorted(keys - _HANDLED)))
        if keys == {"$ref"}:
            return self.ref(schema["$ref"])
        canonical = json.dumps({k: schema[k] for k in sorted(keys)}, sort_keys=True)
        if canonical in self.ids:
            return self.ids[canonical]
        n = self.ids[canonical] = len(self.funcs)
        self.funcs.append(None)
        if def_name:
            # Known before its body is compiled, so a recursive definition can refer to itself.
            self.def_ids[def_name] = n
        if label:
            self.comments[n] = label
        self.funcs[n] = self.compile_node(n, schema, keys)
        return n

    def ref(self, ref: str) -> int:
        if not isinstance(ref, str) or not ref.startswith(_LOCAL_REF):
            raise Unsupported(f"$ref {ref!r}")
        name = ref[len(_LOCAL_REF):]
        if name not in self.def_ids:
            if name not in self.defs:
                raise Unsupported(f"$ref to missing definition {name}")
            self.def_ids[name] = self.node(self.defs[name], label=name, def_name=name)
        return self.def_ids[name]

    def compile_node(self, n: int, s: dict, keys: set) -> str:
        fast: list = []  # body lines of k<n>
        slow: list = []  # body lines of e<n>
        types = _types(s["type"]) if "type" in keys else None
        if types is not None:
            expr = _type_expr(types)
            fast.append(f"if not ({expr}): return False")
            slow.append(f"if not ({expr}): out.append(RawError('type', p, type_detail({types!r}, x)))")
        if "$ref" in keys:
            r = self.ref(s["$ref"])
            fast.append(f"if not k{r}(x): return False")
            slow.append(f"e{r}(x, p, out)")
        if "enum" in keys:
            values = s["enum"]
            if not all(isinstance(v, str) for v in values):
                raise Unsupported("enum with non-string values")
            self.tables.append(f"ENUM{n} = frozenset({sorted(values)!r})")
            expr = f"isinstance(x, str) and x in ENUM{n}"
            fast.append(f"if not ({expr}): return False")
            slow.append(f"if not ({expr}): out.append(RawError('enum', p, ({tuple(values)!r}, quote(x))))")
        if "oneOf" in keys:
            expected = _oneof_types(s["oneOf"])
            branches = " + ".join(f"({_type_expr(_types(b['type']))})" for b in s["oneOf"])
            fast.append(f"if ({branches}) != 1: return False")
            slow.append(f"if ({branches}) != 1: out.append(RawError('type', p, type_detail({expected!r}, x)))")
        if keys & {"properties", "additionalProperties", "required"}:
            self.object_section(n, s, types, fast, slow)
        if "items" in keys:
            if not isinstance(s["items"], dict):
                raise Unsupported("items that is not a single schema")
            i = self.node(s["items"])
            guard = "x is not None" if types is not None and set(types) <= {"array", "null"} else "isinstance(x, list)"
            fast.append(f"if {guard}:")
            fast.append("    for v in x:")
            fast.append(f"        if not k{i}(v): return False")
            slow.append("if isinstance(x, list):")
            slow.append("    for j, v in enumerate(x):")
            slow.append(f"        e{i}(v, p + (j,), out)")
        fast.append("return True")
        if len(fast) == 2 and types is not None:
            fast = [f"return {_type_expr(types)}"]  # a plain leaf: one expression
        label = f"  # {self.comments[n]}" if n in self.comments else ""
        return "\n".join(
            [f"def k{n}(x):{label}"] + ["    " + line for line in fast]
            + ["", "", f"def e{n}(x, p, out):", f"    if k{n}(x): return"] + ["    " + line for line in slow]
        )

    def object_section(self, n: int, s: dict, types, fast: list, slow: list) -> None:
        props = s.get("properties", {})
        required = s.get("required", [])
        extra = s.get("additionalProperties", True)
        if not isinstance(props, dict) or not isinstance(required, list):
            raise Unsupported("properties or required of an unexpected form")
        prop_ids = {name: self.node(sub) for name, sub in props.items()}
        extra_id = None if isinstance(extra, bool) else self.node(extra)
        # After k<n>'s type test, "not None" is enough; e<n> carries on after a type error.
        guard = "x is not None" if types is not None and set(types) <= {"object", "null"} else "isinstance(x, dict)"
        fast.append(f"if {guard}:")
        slow.append("if isinstance(x, dict):")
        if required:
            fast.append("    if " + " or ".join(f"{r!r} not in x" for r in required) + ": return False")
            for r in required:
                slow.append(f"    if {r!r} not in x: out.append(RawError('required', p + ({r!r},), {r!r}))")
        if not props and extra is True:
            return
        if props:
            self.tables.append(f"P{n} = {{" + ", ".join(f"{k!r}: k{v}" for k, v in sorted(prop_ids.items())) + "}")
            self.tables.append(f"E{n} = {{" + ", ".join(f"{k!r}: e{v}" for k, v in sorted(prop_ids.items())) + "}")
        if extra is False:
            self.tables.append(f"KNOWN{n} = {tuple(sorted(props))!r}")
        fast.append("    for k, v in x.items():")
        slow.append("    for k, v in x.items():")
        if props:
            fast.append(f"        f = P{n}.get(k)")
            fast.append("        if f is None:")
            slow.append(f"        f = E{n}.get(k)")
            slow.append("        if f is None:")
            indent = "            "
        else:
            indent = "        "
        if extra is False:
            fast.append(indent + "return False")
            slow.append(indent + f"out.append(RawError('unknown', p + (k,), (k, KNOWN{n})))")
        elif extra_id is not None:
            fast.append(indent + f"if not k{extra_id}(v): return False")
            slow.append(indent + f"e{extra_id}(v, p + (k,), out)")
        else:
            fast.append(indent + "continue")
            slow.append(indent + "continue")
        if props:
            fast.append("        elif not f(v): return False")
            slow.append("        else: f(v, p + (k,), out)")


HEADER = '''\
# Generated by scripts/vendor_k8s_schemas.py (k8sgen/validate/schema_compiler.py) from
# schemas/k8s/v{version}/*.json. Do not edit: re-run the script. See schema_compiler.py for what
# k<n> and e<n> are.
# ruff: noqa
# flake8: noqa
# fmt: off
from .schema_compiler import RawError, is_integer, is_number, quote, type_detail
'''


def generate(version: str, schemas: dict) -> str:
    """Module source validating every kind of one version. `schemas`: {(apiVersion, kind): schema}."""
    gen = _Generator(schemas)
    roots = {}
    for (api_version, kind) in sorted(schemas):
        roots[(api_version, kind)] = gen.node(schemas[(api_version, kind)], label=f"{api_version} {kind}")
    parts = [HEADER.format(version=version)]
    parts.extend("\n\n" + f for f in gen.funcs)
    parts.append("")
    parts.extend(gen.tables)
    parts.append("")
    parts.append("# (apiVersion, kind) -> (is_valid, collect_errors)")
    parts.append("KINDS = {")
    parts.extend(f"    {key!r}: (k{n}, e{n})," for key, n in roots.items())
    parts.append("}")
    return "\n".join(parts) + "\n"


def module_name(version: str) -> str:
    return "_k8s_v" + version.replace(".", "_")
