"""Canonical YAML text for values: the one place where a value becomes YAML.

Every scalar a template prints goes through `scalar()`. A string is written plain only when both
YAML 1.1 (kubectl, PyYAML) and YAML 1.2 read it back as the same string; clean multi-line text
becomes a literal block; everything else is double-quoted with escapes. So no value can inject
structure (`\\n  hostNetwork: true`, `: `, `#`, `---`, `&a`, `!!python/...`) and `yes`, `0755`,
`8080` or `2024-01-01` stay text. Output is deterministic: mapping keys are sorted as kubectl
prints them, with `name` first.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import yaml

_PLAIN_CHARS = re.compile(r"(?:[A-Za-z0-9_/]|-(?!--)(?=[A-Za-z0-9_/-]))[A-Za-z0-9_./:@+=,-]*\Z")
# go-yaml v2 (behind kubectl) also reads these as booleans; PyYAML does not.
_GO_BOOLS = {"y", "Y", "n", "N"}
# go-yaml v2 reads a plain scalar that starts with a digit or sign as a number when, with every
# `_` removed, Go's strconv.ParseInt(s, 0, 64) or its float pattern accepts it: so `0B101`,
# `0X1F`, `0O17`, `09`, `0129` and `1e1_0` are numbers to kubectl but text to PyYAML.
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)\Z")
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_STR_TAG = "tag:yaml.org,2002:str"
_ESCAPES = {
    "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
    "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\xa0": "\\_",
    "\u2028": "\\L", "\u2029": "\\P",
}


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o <= 0x7E
        or 0xA0 < o <= 0xD7FF
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or 0x10000 <= o <= 0x10FFFF
    )


@lru_cache(maxsize=4096)
def _plain_ok(s: str) -> bool:
    if not _PLAIN_CHARS.match(s) or s.endswith(":") or s in _GO_BOOLS or _go_number(s):
        return False
    from .yamlio import resolve_core

    implicit = yaml.resolver.Resolver.resolve(yaml.resolver.Resolver, yaml.ScalarNode, s, (True, False))
    return implicit == _STR_TAG and isinstance(resolve_core(s), str)


def _go_number(s: str) -> bool:
    if not s or s[0] not in "+-.0123456789":
        return False
    digits = s.replace("_", "")
    return bool(_GO_INT.match(digits) or _GO_FLOAT.match(digits))


def quoted(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        else:
            o = ord(ch)
            out.append(f"\\x{o:02X}" if o < 0x100 else f"\\u{o:04X}" if o < 0x10000 else f"\\U{o:08X}")
    out.append('"')
    return "".join(out)


# Every reader breaks lines at these, not only at "\n": PyYAML (reader.py, `\r\n\x85\u2028\u2029`)
# and go-yaml behind kubectl (yamlh.go is_break: CR, LF, NEL, LS, PS). Inside a literal block a raw
# one would end the line and let the text after it become keys: they are written as escapes.
# U+000B and U+000C are no line breaks to either reader, but not printable either: escaped too.
LINE_BREAKS = "\r\n\x85\u2028\u2029"
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _literal_ok(s: str) -> bool:
    if "\n" not in s or s[0] in " \n" or _OTHER_BREAKS.search(s):
        return False
    for line in s.split("\n"):
        if line != line.rstrip(" ") or "\t" in line:
            return False
    return all(_printable(ch) or ch == "\n" for ch in s)


def _literal(s: str, indent: int) -> str:
    body = s.rstrip("\n")
    trailing = len(s) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    pad = " " * indent
    lines = [(pad + line) if line else "" for line in body.split("\n")]
    text = "|" + chomp + "\n" + "\n".join(lines)
    if chomp == "+":
        text += "\n" * (trailing - 1)
    return text


def scalar(value, indent: int = 0) -> str:
    """A scalar as YAML text. `indent` is where a literal block's lines go."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if not isinstance(value, str):
        raise TypeError(f"not a YAML scalar: {type(value).__name__}")
    if _plain_ok(value):
        return value
    if _literal_ok(value):
        return _literal(value, indent)
    return quoted(value)


def key(k) -> str:
    s = str(k)
    return s if _plain_ok(s) else quoted(s)


def value(v, indent: int) -> str:
    """The text that follows `key:` for a key at column `indent` (0-based)."""
    if isinstance(v, dict):
        return " {}" if not v else "\n" + mapping(v, indent + 2)
    if isinstance(v, (list, tuple)):
        # kubectl style: list items under a key start at the key's own column.
        return " []" if not v else "\n" + sequence(v, indent)
    return " " + scalar(v, indent + 2)


def _key_order(k) -> tuple:
    # Sorted like kubectl prints, except that `name` leads: list items read by their name.
    return (k != "name", str(k))


def mapping(d: dict, indent: int) -> str:
    pad = " " * indent
    return "\n".join(pad + key(k) + ":" + value(d[k], indent) for k in sorted(d, key=_key_order))


def sequence(items, indent: int) -> str:
    pad = " " * indent
    lines = []
    for item in items:
        if isinstance(item, dict) and item:
            body = mapping(item, indent + 2)
            lines.append(pad + "- " + body[indent + 2:])
        elif isinstance(item, (list, tuple)) and item:
            lines.append(pad + "-\n" + sequence(item, indent + 2))
        elif isinstance(item, dict):
            lines.append(pad + "- {}")
        elif isinstance(item, (list, tuple)):
            lines.append(pad + "- []")
        else:
            lines.append(pad + "- " + scalar(item, indent + 2))
    return "\n".join(lines)


def document(obj: dict) -> str:
    """A whole object as a YAML document body (no `---`), ending in a newline."""
    return mapping(obj, 0) + "\n"
