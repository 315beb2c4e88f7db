"""Compile a vendored Kubernetes schema into Python closures that validate fast.

jsonschema interprets the schema on every call (about 1.7 ms per object in
bench/schema_validate.py). The vendored
schemas use only a handful of keywords, so each schema node is turned once into two closures:

- `ok(x) -> bool`: the fast path, allocates nothing, stops at the first violation;
- `collect(x, path, out)`: appends `RawError`s exactly as `schema_reference` reduces
  jsonschema's errors. Callers use it only on a value `ok` rejected (it is also correct, just
  slower, on a valid one), and it descends only into children their `ok` rejects, so valid
  subtrees cost no path tuples.

Closures rather than generated source: compiling a generated module for one version took
~90 ms, which a CLI run would pay whenever no .pyc can be written, while closures are built
lazily (a small Pod needs a few nodes, well under a millisecond; the whole Pod schema ~4 ms)
and run within ~15% of the generated code.

Keywords understood: type (lists, "null"), properties, additionalProperties (bool or schema),
required, enum (strings), items (one schema), $ref (to #/$defs), and oneOf whose branches are
only `type` (Quantity, IntOrString). `format` is an annotation to jsonschema without a format
checker, so it is ignored here too. Anything else raises `Unsupported`, and the caller falls
back to jsonschema. tests/test_k8s_schema_compiled.py proves both agree error for error.
"""

from __future__ import annotations

from numbers import Number
from typing import Callable

from .k8s_schema import RawError, quote, type_detail

Ok = Callable[[object], bool]
Collect = Callable[[object, tuple, list], None]

# Keys that do not validate (for jsonschema without a format checker); x-kubernetes-* too.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "description", "title", "default", "format", "examples", "deprecated", "readOnly", "writeOnly"})
_HANDLED = frozenset({"type", "properties", "additionalProperties", "required", "enum", "items", "$ref", "oneOf"})
_LOCAL_REF = "#/$defs/"


class Unsupported(ValueError):
    """The schema uses a keyword, or a form of one, that this compiler does not implement."""


# --- type tests, jsonschema's rules: bools are neither integers nor numbers; 1.0 is an integer


def _is_integer(x: object) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def _is_number(x: object) -> bool:
    return isinstance(x, Number) and not isinstance(x, bool)


_SINGLE: dict[str, Ok] = {
    "null": lambda x: x is None,
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "integer": _is_integer,
    "number": _is_number,
}
# The common nullable forms as single functions: one call per leaf value.
_NULLABLE: dict[str, Ok] = {
    "string": lambda x: isinstance(x, str) or x is None,
    "boolean": lambda x: isinstance(x, bool) or x is None,
    "object": lambda x: isinstance(x, dict) or x is None,
    "array": lambda x: isinstance(x, list) or x is None,
    "integer": lambda x: x is None or _is_integer(x),
    "number": lambda x: x is None or _is_number(x),
}


def _types(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def type_test(types: tuple) -> Ok:
    for t in types:
        if not isinstance(t, str) or t not in _SINGLE:
            raise Unsupported(f"type {t!r}")
    real = [t for t in types if t != "null"]
    if len(types) == 1:
        return _SINGLE[types[0]]
    if len(real) == 1 and len(types) == 2:
        return _NULLABLE[real[0]]
    tests = tuple(_SINGLE[t] for t in types)
    return lambda x: any(test(x) for test in tests)


def _oneof_types(branches: list) -> tuple:
    """The types of a oneOf whose branches only say `type`, ordered as the reference does."""
    expected: list = []
    for sub in branches:
        if not isinstance(sub, dict) or set(sub) != {"type"}:
            raise Unsupported("oneOf with branches other than plain types")
        expected.extend(t for t in _types(sub["type"]) if t not in expected)
    expected.sort(key=lambda t: t == "null")
    return tuple(expected)


def _always(x: object) -> bool:
    return True


def _nothing(x: object, p: tuple, out: list) -> None:
    return None


class _Slot:
    """One child schema's (ok, collect), filled in when it is first needed."""

    __slots__ = ("ok", "collect")


class Compiler:
    """Compiles the kinds of one Kubernetes version; definitions are shared between kinds.

    Lazy by default: a child object or array is compiled when a value first reaches it, so
    checking one small Pod compiles a dozen nodes, not the 900 of the whole Pod schema. The
    placeholder replaces itself in its parent's table, so warm calls pay nothing for it.
    `eager=True` compiles everything up front (tests use it to prove no vendored schema hits
    `Unsupported` at run time).
    """

    def __init__(self, eager: bool = False) -> None:
        self.eager = eager
        self.defs: dict = {}  # def name -> schema
        self.built: dict = {}  # def name -> (ok, collect)
        self.leaves: dict = {}  # type tuple -> (ok, collect)

    def kind(self, schema: dict) -> tuple[Ok, Collect]:
        for name, sub in schema.get("$defs", {}).items():
            self.defs.setdefault(name, sub)
        return self.node(schema)

    def node(self, s) -> tuple[Ok, Collect]:
        if not isinstance(s, dict):
            raise Unsupported(f"schema {s!r}")
        keys = {k for k in s if k not in _ANNOTATIONS and not k.startswith("x-")}
        if keys - _HANDLED:
            raise Unsupported("keywords " + ", ".join(sorted(keys - _HANDLED)))
        if not keys:
            return _always, _nothing
        if keys == {"$ref"}:
            return self.ref(s["$ref"])
        if keys == {"type"}:
            return self.leaf(_types(s["type"]))
        types = _types(s["type"]) if "type" in keys else None
        if keys <= {"type", "properties", "additionalProperties", "required"}:
            return self.object_node(s, types)
        if keys <= {"type", "items"}:
            return self.array_node(s, types)
        return self.general_node(s, keys, types)

    def ref(self, ref) -> tuple[Ok, Collect]:
        if not isinstance(ref, str) or not ref.startswith(_LOCAL_REF):
            raise Unsupported(f"$ref {ref!r}")
        name = ref[len(_LOCAL_REF):]
        hit = self.built.get(name)
        if hit is not None:
            return hit
        if name not in self.defs:
            raise Unsupported(f"$ref to missing definition {name}")
        # A recursive definition meets itself while being built: it gets a late-bound slot.
        slot: list = []
        self.built[name] = (lambda x: slot[0](x), lambda x, p, out: slot[1](x, p, out))
        slot.extend(self.node(self.defs[name]))
        self.built[name] = (slot[0], slot[1])
        return self.built[name]

    def leaf(self, types: tuple) -> tuple[Ok, Collect]:
        hit = self.leaves.get(types)
        if hit is None:
            ok = type_test(types)

            def collect(x, p, out):
                if not ok(x):
                    out.append(RawError("type", p, type_detail(types, x)))

            hit = self.leaves[types] = (ok, collect)
        return hit

    def _is_cheap(self, s) -> bool:
        """Compiling this node now costs about as much as a placeholder would."""
        if not isinstance(s, dict):
            return True
        ref = s.get("$ref")
        if isinstance(ref, str) and ref.startswith(_LOCAL_REF) and ref[len(_LOCAL_REF):] in self.built:
            return True
        return "properties" not in s and "items" not in s and "additionalProperties" not in s and "$ref" not in s

    def child(self, s, ok_table: dict, collect_table: dict, key) -> None:
        """Put a child's (ok, collect) into its parent's tables, now or on first use."""
        if self.eager or self._is_cheap(s):
            ok_table[key], collect_table[key] = self.node(s)
            return

        def build():
            ok_table[key], collect_table[key] = built = self.node(s)
            return built

        ok_table[key] = lambda x: build()[0](x)
        collect_table[key] = lambda x, p, out: build()[1](x, p, out)

    def slot(self, s) -> _Slot:
        """A single child (array items, map values) in a slot, now or on first use."""
        slot = _Slot()
        if self.eager or self._is_cheap(s):
            slot.ok, slot.collect = self.node(s)
            return slot

        def build():
            slot.ok, slot.collect = built = self.node(s)
            return built

        slot.ok = lambda x: build()[0](x)
        slot.collect = lambda x, p, out: build()[1](x, p, out)
        return slot

    def object_node(self, s: dict, types) -> tuple[Ok, Collect]:
        props = s.get("properties", {})
        required = tuple(s.get("required", ()))
        extra = s.get("additionalProperties", True)
        if not isinstance(props, dict):
            raise Unsupported("properties that is not a mapping")
        ok_by_name: dict = {}
        collect_by_name: dict = {}
        for name, sub in props.items():
            self.child(sub, ok_by_name, collect_by_name, name)
        known = tuple(sorted(props))
        closed = extra is False
        extra_slot = None if isinstance(extra, bool) else self.slot(extra)
        type_ok = type_test(types) if types is not None else None
        ok = self._object_ok(types, required, ok_by_name, closed, extra_slot)
        ok_of = ok_by_name.__getitem__
        collect_of = collect_by_name.get

        def collect(x, p, out):
            # Called only on a value that failed `ok`; a child is descended into only if it
            # fails its own `ok`, so valid subtrees are walked once and build no paths.
            if type_ok is not None and not type_ok(x):
                out.append(RawError("type", p, type_detail(types, x)))
            if not isinstance(x, dict):
                return
            for r in required:
                if r not in x:
                    out.append(RawError("required", p + (r,), r))
            for k, v in x.items():
                f = collect_of(k)
                if f is not None:
                    if not ok_of(k)(v):
                        f(v, p + (k,), out)
                elif closed:
                    out.append(RawError("unknown", p + (k,), (k, known)))
                elif extra_slot is not None and not extra_slot.ok(v):
                    extra_slot.collect(v, p + (k,), out)

        return ok, collect

    @staticmethod
    def _object_ok(types, required: tuple, ok_by_name: dict, closed: bool, extra: _Slot | None) -> Ok:
        """The fast check of an object node, specialised for the shapes Kubernetes uses.

        Nearly every object in these schemas is `type: [object, null]` (or `object`) with
        `additionalProperties: false` (a struct) or with only an `additionalProperties` schema
        (a map); those get straight-line closures, everything else the general one.
        """
        ok_of = ok_by_name.get
        if types in (("object",), ("object", "null"), ("null", "object")):
            nullable = "null" in types
            if closed and not required:

                def struct(x):
                    if not isinstance(x, dict):
                        return nullable and x is None
                    for k, v in x.items():
                        f = ok_of(k)
                        if f is None or not f(v):
                            return False
                    return True

                return struct
            if closed:

                def struct_required(x):
                    if not isinstance(x, dict):
                        return nullable and x is None
                    for r in required:
                        if r not in x:
                            return False
                    for k, v in x.items():
                        f = ok_of(k)
                        if f is None or not f(v):
                            return False
                    return True

                return struct_required
            if not ok_by_name and not required and extra is not None:

                def map_of(x):
                    if not isinstance(x, dict):
                        return nullable and x is None
                    value_ok = extra.ok
                    for v in x.values():
                        if not value_ok(v):
                            return False
                    return True

                return map_of
        type_ok = type_test(types) if types is not None else _always
        dict_allowed = types is None or "object" in types

        def general(x):
            # Outside dicts only the type matters; a dict must be allowed to be an object.
            if not isinstance(x, dict):
                return type_ok(x)
            if not dict_allowed:
                return False
            for r in required:
                if r not in x:
                    return False
            for k, v in x.items():
                f = ok_of(k)
                if f is None:
                    if closed or (extra is not None and not extra.ok(v)):
                        return False
                elif not f(v):
                    return False
            return True

        return general

    def array_node(self, s: dict, types) -> tuple[Ok, Collect]:
        if "items" not in s:
            return self.leaf(types)
        if not isinstance(s["items"], dict):
            raise Unsupported("items that is not a single schema")
        item = self.slot(s["items"])
        type_ok = type_test(types) if types is not None else None
        other_ok = type_ok or _always
        list_allowed = types is None or "array" in types
        nullable = types is not None and "null" in types

        if types in (("array",), ("array", "null"), ("null", "array")):

            def ok(x):
                if not isinstance(x, list):
                    return nullable and x is None
                item_ok = item.ok
                for v in x:
                    if not item_ok(v):
                        return False
                return True

        else:

            def ok(x):
                if not isinstance(x, list):
                    return other_ok(x)
                if not list_allowed:
                    return False
                item_ok = item.ok
                for v in x:
                    if not item_ok(v):
                        return False
                return True

        def collect(x, p, out):
            if type_ok is not None and not type_ok(x):
                out.append(RawError("type", p, type_detail(types, x)))
            if isinstance(x, list):
                for i, v in enumerate(x):
                    if not item.ok(v):
                        item.collect(v, p + (i,), out)

        return ok, collect

    def general_node(self, s: dict, keys: set, types) -> tuple[Ok, Collect]:
        """Any other combination: each keyword separately, as jsonschema evaluates them."""
        parts: list = []  # (ok, collect) per keyword
        if types is not None:
            parts.append(self.leaf(types))
        if "$ref" in keys:
            parts.append(self.ref(s["$ref"]))
        if "enum" in keys:
            parts.append(self.enum(s["enum"]))
        if "oneOf" in keys:
            parts.append(self.one_of(s["oneOf"]))
        rest = {k: s[k] for k in keys & {"properties", "additionalProperties", "required"}}
        if rest:
            parts.append(self.object_node(rest, None))
        if "items" in keys:
            parts.append(self.array_node({"items": s["items"]}, None))
        if len(parts) == 1:
            return parts[0]
        oks = tuple(p[0] for p in parts)
        collects = tuple(p[1] for p in parts)

        def ok(x):
            for f in oks:
                if not f(x):
                    return False
            return True

        def collect(x, p, out):
            for f in collects:
                f(x, p, out)

        return ok, collect

    def enum(self, values) -> tuple[Ok, Collect]:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise Unsupported("enum with non-string values")
        allowed = frozenset(values)
        listed = tuple(values)

        def ok(x):
            return isinstance(x, str) and x in allowed

        def collect(x, p, out):
            if not ok(x):
                out.append(RawError("enum", p, (listed, quote(x))))

        return ok, collect

    def one_of(self, branches) -> tuple[Ok, Collect]:
        expected = _oneof_types(branches)
        tests = tuple(type_test(_types(b["type"])) for b in branches)
        if len(tests) == 2:
            first, second = tests

            def ok(x):
                return first(x) is not second(x)  # type tests return bools: exactly one

        else:

            def ok(x):
                return sum(1 for t in tests if t(x)) == 1

        def collect(x, p, out):
            if not ok(x):
                out.append(RawError("type", p, type_detail(expected, x)))

        return ok, collect
