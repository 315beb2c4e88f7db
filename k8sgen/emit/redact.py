"""Secret values never reach a terminal: `--check` diffs show `<redacted, N bytes>` instead.

Both sides of a diff (what is on disk and what k8sgen would write) go through `redact_stream`, so
a diff still shows which keys of a Secret were added, removed or changed size; when only values of
the same length changed, the diff says so in a line of its own rather than showing nothing.
"""

from __future__ import annotations

import base64
import binascii
import re

import yaml

_SEPARATOR = re.compile(r"^---[ \t]*$", re.M)


def _redacted_value(value, encoded: bool) -> str:
    if not isinstance(value, str):
        return "<redacted>"
    if encoded:
        try:
            return f"<redacted, {len(base64.b64decode(value, validate=True))} bytes>"
        except (binascii.Error, ValueError):
            return "<redacted>"
    return f"<redacted, {len(value.encode('utf-8', 'surrogatepass'))} bytes>"


def redact_document(text: str) -> str:
    """One YAML document with any Secret's data and stringData values replaced."""
    if "Secret" not in text:
        return text
    try:
        obj = yaml.safe_load(text)
    except yaml.YAMLError:
        # Unreadable, and it may be a Secret: show nothing of it.
        return f"<a document that is not valid YAML, {len(text.encode('utf-8', 'surrogatepass'))} bytes, redacted>\n"
    if not isinstance(obj, dict) or obj.get("kind") != "Secret":
        return text
    from ..yamltext import document

    out = dict(obj)
    for field, encoded in (("data", True), ("stringData", False)):
        if isinstance(out.get(field), dict):
            out[field] = {k: _redacted_value(v, encoded) for k, v in out[field].items()}
        elif field in out:
            out[field] = "<redacted>"
    return document(out)


def redact_stream(text: str) -> str:
    """A YAML stream (documents separated by `---` lines) with every Secret's values redacted."""
    if "Secret" not in text:
        return text
    parts = _SEPARATOR.split(text)
    seps = _SEPARATOR.findall(text)
    out = [redact_document(parts[0]) if parts[0].strip() else parts[0]]
    for sep, part in zip(seps, parts[1:]):
        body = part[1:] if part.startswith("\n") else part
        out.append(sep + "\n" + (redact_document(body) if body.strip() else body))
    return "".join(out)


def unified(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff of two YAML streams with Secret values redacted on both sides."""
    from .directory import plain_unified as plain

    r_old, r_new = redact_stream(old), redact_stream(new)
    if r_old == r_new and old != new:
        return f"--- {old_label}\n+++ {new_label}\n@@ Secret values changed (not shown) @@\n"
    return plain(r_old, r_new, old_label, new_label)


def directory_diff(p) -> str:
    """`emit.directory.diff` with Secret values redacted: what `--check` prints (through the same
    reader, which never follows a symlink)."""
    from . import directory

    return directory.diff(p, unified)
