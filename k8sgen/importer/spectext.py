"""A spec as YAML text: keys in the order the importer chose (not sorted), values by yamltext.

yamltext sorts mapping keys, which suits Kubernetes objects; a spec reads better in the order a
person writes it (`image` before `env`, the sections in apply order), so mappings here keep
their insertion order and only scalars and keys go through yamltext, the one place a value
becomes YAML. The pass-through objects under `manifests:` are written by the same writer, top-level keys in
the order kubectl prints them.
A comment given for an entry is written on the lines above it.
"""

from __future__ import annotations

from .. import yamltext


WIDTH = 100  # a value is written in flow style (`{cpu: 50m, memory: 32Mi}`) when its line fits


def _flow_scalar(x) -> str | None:
    t = yamltext.scalar(x)
    if "\n" in t:
        return None  # a literal block cannot sit in a flow collection
    if t.startswith('"') or not any(c in t for c in ",[]{}#:"):
        return t
    # `,` `[` `]` `{` `}` end a plain scalar in flow context and `:` may (libyaml versions
    # differ): quote it, so every reader reads the same text.
    return yamltext.quoted(x)


def flow(v, depth: int = 0) -> str | None:
    """`v` on one line, or None when it does not go there."""
    if depth > 3:
        return None
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            kt, xt = _flow_scalar(str(k)), flow(x, depth + 1)
            if kt is None or xt is None:
                return None
            parts.append(f"{kt}: {xt}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(v, list):
        parts = [flow(x, depth + 1) for x in v]
        return None if any(p is None for p in parts) else "[" + ", ".join(parts) + "]"
    return _flow_scalar(v)


def value(v, indent: int, sort: bool = False, room: int = WIDTH) -> str:
    if isinstance(v, (dict, list)) and v and not sort and indent >= 4:
        text = flow(v)
        if text is not None and len(text) <= room:
            return " " + text
    if isinstance(v, dict):
        if not v:
            return " {}"
        if sort:
            return "\n" + yamltext.mapping(v, indent + 2)
        return "\n" + mapping(v, indent + 2)
    if isinstance(v, list):
        if not v:
            return " []"
        return "\n" + sequence(v, indent, sort)
    return " " + yamltext.scalar(v, indent + 2)


def mapping(d: dict, indent: int, comments: dict | None = None) -> str:
    pad = " " * indent
    lines = []
    for k, v in d.items():
        note = (comments or {}).get(k)
        if note:
            lines.extend(pad + ("# " + c if c else "#") for c in note)
        head = pad + yamltext.key(k) + ":"
        lines.append(head + value(v, indent, room=WIDTH - len(head) - 1))
    return "\n".join(lines)


def sequence(items: list, indent: int, sort: bool = False) -> str:
    pad = " " * indent
    lines = []
    for item in items:
        text = None if sort or indent < 4 else flow(item)
        if isinstance(item, (dict, list)) and text is not None and len(pad) + 2 + len(text) <= WIDTH:
            lines.append(pad + "- " + text)
        elif isinstance(item, dict) and item:
            body = yamltext.mapping(item, indent + 2) if sort else mapping(item, indent + 2)
            lines.append(pad + "- " + body[indent + 2:])
        elif isinstance(item, list) and item:
            lines.append(pad + "-\n" + sequence(item, indent + 2, sort))
        elif isinstance(item, (dict, list)):
            lines.append(pad + ("- {}" if isinstance(item, dict) else "- []"))
        else:
            lines.append(pad + "- " + yamltext.scalar(item, indent + 2))
    return "\n".join(lines)


def spec_text(spec: dict, comments: dict | None = None, header: str = "") -> str:
    """The spec file. `comments`: (section, name) -> comment lines for that entry; for
    `manifests` the name is the list index, for a top-level setting ""."""
    comments = comments or {}
    out = [header] if header else []
    for section, body in spec.items():
        # A comment for a top-level setting (the Namespace object createNamespace stands for).
        out.extend("# " + c if c else "#" for c in comments.get((section, ""), ()))
        if section == "manifests":
            out.append("manifests:")
            for i, obj in enumerate(body):
                for c in comments.get((section, i), ()):
                    out.append("# " + c if c else "#")
                out.append("- " + _object_text(obj)[2:])
            continue
        if section == "createNamespace" and isinstance(body, dict) and flow(body) and len(flow(body)) <= WIDTH - 17:
            out.append("createNamespace: " + flow(body))  # a setting, not a section: one line if it fits
            continue
        if isinstance(body, dict) and section not in ("labels", "annotations", "external"):
            out.append(yamltext.key(section) + ":" + (" {}" if not body else ""))
            if body:
                out.append(mapping(body, 2, {k: comments.get((section, k)) for k in body}))
            continue
        out.append(yamltext.key(section) + ":" + value(body, 0))
    return "\n".join(out) + "\n"


def _object_text(obj: dict) -> str:
    """A pass-through object at list-item indentation: apiVersion, kind, metadata first (as
    k8sgen's templates and kubectl print them), then the other fields sorted."""
    head = [k for k in ("apiVersion", "kind", "metadata") if k in obj]
    rest = sorted((k for k in obj if k not in head), key=str)
    # Below the top level, keys stay in the input's order and small values go on one line,
    # as in the entries (the same writer).
    return "\n".join("  " + yamltext.key(k) + ":" + value(obj[k], 2, room=WIDTH - len(yamltext.key(k)) - 3) for k in head + rest)
