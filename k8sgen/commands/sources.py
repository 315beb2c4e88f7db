"""Where `render` gets its specs: independent SPEC files, and/or one spec merged from layers.

`k8sgen render a.yaml b.yaml` renders two independent specs together. `-f base.yaml -f prod.yaml`
merges layers into ONE spec: later layers win, mappings merge key by key, lists and scalars are
replaced whole. `--set path=value` then overrides single values. Every value keeps the position of
the place it came from, so a problem in a merged spec points into the layer (or the --set) that
supplied the offending value; a --set value is located as `--set:N:COL` (N-th --set, column of the
value inside that argument).

Typing follows the spec schema, not YAML 1.1 guessing: each layer is typed by
`spec_schema.coerce` like a single spec, and a --set value is read as a YAML 1.2 core scalar whose
text is kept in `PositionMap.raw`, so `--set pods.web.env.PORT=8080` gives the text "8080" while
`--set pods.web.ports[0]=8080` gives the number.
"""

from __future__ import annotations

import os
from typing import Sequence

from ..errors import EXIT_USAGE, K8sgenError, Problem, SourcePos
from ..source import Document, PositionMap

SET_FILE = "--set"
SET_NEW_FILE = "--set-new"


class NewSet(str):
    """A `--set-new PATH=VALUE`: like --set, but it may add the entry its path names."""


def _source(expr: str) -> str:
    return SET_NEW_FILE if isinstance(expr, NewSet) else SET_FILE


class LayeredPositionMap(PositionMap):
    """Positions of a merged spec: each path remembers the file it came from."""

    __slots__ = ("where",)
    layered = True

    def __init__(self, file: str):
        super().__init__(file)
        self.where: dict = {}  # path -> (file, line, col) of the value

    def locate(self, path: tuple, key: bool = False) -> SourcePos:
        path = tuple(path)
        if key and path in self.keys:
            return SourcePos(self.where.get(("key",) + path, self.file), *self.keys[path])
        while path:
            if path in self.values:
                return SourcePos(self.where.get(path, self.file), *self.values[path])
            path = path[:-1]
        return SourcePos(self.where.get((), self.file), *self.values.get((), (1, 1)))

    def file_of(self, path: tuple) -> str:
        return self.where.get(tuple(path), self.file)


def load(specs: Sequence[str], layers: Sequence[str], sets: Sequence[str]) -> list[Document]:
    """The documents to render: each SPEC on its own, plus one merged from `-f` layers and --set."""
    from ..pipeline import spec_document

    _refuse_repeats(list(specs) + list(layers))
    if not specs and not layers:
        raise K8sgenError(Problem(message="no spec given", rule="usage", hint="name spec files (k8sgen render app.yaml), or layers with -f"), EXIT_USAGE)
    docs = [spec_document(s) for s in specs]
    if sets and not layers:
        if len(docs) != 1:
            raise K8sgenError(Problem(message="--set applies to one spec: give exactly one SPEC, or layers with -f", rule="usage"), EXIT_USAGE)
        layered = merge([docs[0]], sets)
        return [layered]
    if layers:
        docs.append(merge([spec_document(p) for p in layers], sets))
    return docs


def _refuse_repeats(paths: list[str]) -> None:
    seen: dict = {}
    problems = []
    for p in paths:
        key = "-" if p == "-" else os.path.realpath(p)
        if key in seen:
            same = "" if seen[key] == p else f" (the same file as {seen[key]})"
            problems.append(Problem(
                message=f"given twice{same}",
                rule="spec-given-twice",
                pos=SourcePos(p, 0, 0),
                hint="each file may appear once; merging a layer into itself would loop" if p != "-" else "stdin can be read only once",
            ))
        else:
            seen[key] = p
    if problems:
        raise K8sgenError(problems, EXIT_USAGE)


def merge(layers: Sequence[Document], sets: Sequence[str] = ()) -> Document:
    """One document from layers (in order) and --set overrides, keeping every value's origin."""
    from .. import spec_schema

    for doc in layers:
        spec_schema.coerce(doc)  # each layer is typed on its own, with its own raw text
    data: dict = {}
    for doc in layers:
        data = _merge_value(data, doc.data)
    pm = LayeredPositionMap(layers[0].file)
    _fill_positions(pm, data, layers)
    counts: dict = {}
    for expr in sets:  # --set-new come first (cli.py), so --set can change what they added
        counts[_source(expr)] = i = counts.get(_source(expr), 0) + 1
        _apply_set(data, pm, expr, i)
    return Document(data, pm)


def _merge_value(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge_value(base[k], v) if k in base else _copy(v)
        return out
    return _copy(over)  # scalars and lists: the later layer wins whole


def _copy(v):
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def _fill_positions(pm: LayeredPositionMap, data, layers: Sequence[Document]) -> None:
    def owner(path: tuple, table: str) -> Document | None:
        for doc in reversed(layers):
            if path in getattr(doc.positions, table):
                return doc
        return None

    def walk(value, path: tuple) -> None:
        doc = owner(path, "values")
        if doc is not None:
            pm.values[path] = doc.positions.values[path]
            pm.where[path] = _file_of(doc, path)
            if path in doc.positions.raw:
                pm.raw[path] = doc.positions.raw[path]
        kdoc = owner(path, "keys") if path else None
        if kdoc is not None:
            pm.keys[path] = kdoc.positions.keys[path]
            pm.where[("key",) + path] = _file_of(kdoc, path)
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))

    walk(data, ())


def _file_of(doc: Document, path: tuple) -> str:
    f = getattr(doc.positions, "file_of", None)
    return f(path) if f else doc.file


# --- --set ---------------------------------------------------------------------------------------


def parse_set_path(expr: str, index: int) -> tuple[tuple, str, int, int]:
    """`a.b[0].c=value` -> (("a", "b", 0, "c"), "value", column of the value, column of the last
    key). `\\.` escapes a dot (label keys like app.kubernetes.io/name)."""
    src = _source(expr)
    where = SourcePos(src, index, 1)
    path: list = []
    cur = ""
    i = 0
    have_key = False
    key_col = 1
    while i < len(expr):
        ch = expr[i]
        if not have_key and ch not in ".[=":
            key_col = i + 1
        if ch == "\\" and i + 1 < len(expr) and expr[i + 1] in ".[]=\\":
            cur += expr[i + 1]
            have_key = True
            i += 2
            continue
        if ch == "=":
            break
        if ch == ".":
            if not have_key and not (path and isinstance(path[-1], int) and cur == ""):
                raise _set_error("empty key in path", SourcePos(src, index, i + 1), expr)
            if have_key:
                path.append(cur)
            cur, have_key = "", False
        elif ch == "[":
            if have_key:
                path.append(cur)
            cur, have_key = "", False
            end = expr.find("]", i)
            if end < 0 or not expr[i + 1:end].isdigit():
                raise _set_error("a list index is written [N], e.g. ports[0]", SourcePos(src, index, i + 1), expr)
            path.append(int(expr[i + 1:end]))
            i = end
        else:
            cur += ch
            have_key = True
        i += 1
    else:
        raise _set_error("expected PATH=VALUE", where, expr)
    if have_key:
        path.append(cur)
    elif not path:
        raise _set_error("empty path before '='", where, expr)
    return tuple(path), expr[i + 1:], i + 2, key_col


def _set_error(message: str, pos: SourcePos, expr: str) -> K8sgenError:
    return K8sgenError(Problem(message=f"{message}: {expr!r}", rule="set-syntax", pos=pos,
                               hint="e.g. --set pods.web.image=nginx:1.28, --set 'labels.app\\.kubernetes\\.io/name=web'"), EXIT_USAGE)


def _apply_set(data: dict, pm: LayeredPositionMap, expr: str, index: int) -> None:
    from ..yamlio import MAX_DEPTH, NumberTooLong, input_error, number_too_long, resolve_core

    path, text, col, key_col = parse_set_path(expr, index)
    source = _source(expr)
    if len(path) > MAX_DEPTH:  # the same limit as for nesting in a file (yamlio)
        raise input_error(f"nesting deeper than {MAX_DEPTH} levels", SourcePos(source, index, 1), rule="yaml-depth")
    try:
        value = resolve_core(text)
    except NumberTooLong:
        raise number_too_long(SourcePos(source, index, col)) from None
    if source == SET_FILE:
        _check_entries(data, path, index, expr)
    node = data
    for n, step in enumerate(path[:-1]):
        nxt = path[n + 1]
        if isinstance(node, dict):
            if step not in node or node[step] is None:
                node[step] = [] if isinstance(nxt, int) else {}
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            raise _set_path_error(path[: n + 1], node, index, expr)
    last = path[-1]
    if isinstance(node, dict) and isinstance(last, str):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last <= len(node):
        if last == len(node):
            node.append(value)
        else:
            node[last] = value
    else:
        raise _set_path_error(path, node, index, expr)
    for table in (pm.values, pm.keys, pm.raw):
        for p in [p for p in table if p[: len(path)] == path]:
            del table[p]
    pos = (index, col, index, col + len(text))  # the value's extent inside the argument
    pm.values[path] = pos
    pm.keys[path] = (index, key_col, index, col - 1)
    pm.where[path] = source
    pm.where[("key",) + path] = source
    if not isinstance(value, str):
        pm.raw[path] = text
    for n in range(1, len(path)):  # intermediate maps created by --set point at it too
        if path[:n] not in pm.values:
            pm.values[path[:n]] = (index, 1)
            pm.where[path[:n]] = source


def _check_entries(data: dict, path: tuple, index: int, expr: str) -> None:
    """--set changes what exists. An entry (a named thing the spec declares: a pod, service,
    service account, role, binding, container, volume, env var or mount; in the schema, a map
    whose values are a `$ref`) must already be in the spec. Fields the schema defines (image,
    resources) and plain value maps (labels, annotations, selectors, resource quantities) may be
    set whether or not the spec has them. Adding an entry is what layers (-f) and --set-new are
    for: a typo in a name must not silently add a pod."""
    import difflib

    from .. import spec_schema
    from ..fieldpath import format_path

    schema: dict = spec_schema.spec_schema()
    node = data
    for n, step in enumerate(path):
        schema = _object_or_array(spec_schema._resolve(schema), isinstance(step, int))
        if isinstance(step, int):
            items = schema.get("items")
            schema = items if isinstance(items, dict) else {}
            node = node[step] if isinstance(node, list) and step < len(node) else None
            continue
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        if step in props:
            schema = props[step]
        elif isinstance(extra, dict) and "$ref" not in extra:
            schema = extra  # a value map: a new label or quantity is a value, not an entry
        elif isinstance(extra, dict):
            have = sorted(str(k) for k in node) if isinstance(node, dict) else []
            if step not in have:
                where = format_path(path[:n]) or "the spec"
                close = difflib.get_close_matches(step, have, n=1, cutoff=0.6)
                hint = (f"did you mean {close[0]!r}? " if close else (f"it has: {', '.join(have)}; " if have else ""))
                raise K8sgenError(Problem(
                    message=f"{where} has no entry {step!r}: --set changes what the spec has",
                    rule="set-no-entry",
                    pos=SourcePos(SET_FILE, index, _component_columns(expr)[min(n, len(_component_columns(expr)) - 1)]),
                    hint=hint + "add an entry with a layer (-f FILE) or with --set-new PATH=VALUE",
                ), EXIT_USAGE)
            schema = extra
        else:
            return  # a key the schema does not know: the spec check reports it, with a did-you-mean
        node = node.get(step) if isinstance(node, dict) else None


def _object_or_array(schema: dict, array: bool) -> dict:
    from .. import spec_schema

    for b in spec_schema._branches(schema):
        if ("array" if array else "object") in spec_schema._types(b):
            return b
    return schema


def _component_columns(expr: str) -> list[int]:
    """1-based column where each path component of `a.b[0].c=v` starts (escapes respected)."""
    cols = [1]
    i = 0
    while i < len(expr) and expr[i] != "=":
        ch = expr[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "." and i + 1 < len(expr) and expr[i + 1] != "[":
            cols.append(i + 2)
        elif ch == "[":
            cols.append(i + 2)
        elif ch == "]" and i + 1 < len(expr) and expr[i + 1] not in ".=":
            cols.append(i + 2)
        i += 1
    return cols


def _set_path_error(path: tuple, node, index: int, expr: str) -> K8sgenError:
    from ..fieldpath import format_path

    what = "a list" if isinstance(node, list) else "a mapping" if isinstance(node, dict) else "a single value"
    return K8sgenError(Problem(
        message=f"--set cannot reach {format_path(path)}: that part of the spec is {what}",
        rule="set-path",
        pos=SourcePos(SET_FILE, index, 1),
        hint="list items are addressed as name[N] and must exist (or be the next one, N = length)",
    ), EXIT_USAGE)


def check_output_options(output: str, write: bool, check: bool, against: str | None) -> None:
    problems = []
    if output != "yaml":
        problems.append("-o json prints a stream; directories are always written as YAML files")
    if write and check:
        problems.append("--write and --check exclude each other")
    if against is not None and not check:
        problems.append("--against FILE goes with --check")
    if problems:
        raise K8sgenError([Problem(message=m, rule="usage") for m in problems], EXIT_USAGE)
