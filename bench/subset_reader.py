#!/usr/bin/env python3
"""A measured design, not used by k8sgen: how fast could a reader made for exactly the YAML that
k8sgen's templates and `yamltext` write replace the general re-parse of rendered text?

    python bench/subset_reader.py [N]     # render bench/specs.large(N) (default 1000) and compare

It reads block mappings (`key: value`, `key:` + nested block), block sequences in kubectl style
(`- ` items at the key's column), `{}`, `[]`, plain scalars (resolved as YAML 1.1 does for the
forms the writer leaves plain: ints, true/false, null, else text), single- and double-quoted
scalars on one line, and `|` literal blocks with `-`/`+` chomping. Anything else raises
`Unsupported`, where a real implementation would fall back to `yamlio.load_rendered`. The script
checks that it returns exactly what `yamlio.load_rendered` returns for every rendered object,
and times both. A production version would need the proof the issue asks for (equality with
PyYAML on every golden file, the nasty-strings corpus and property tests over `yamltext`).
"""

from __future__ import annotations

import gc
import json
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


class Unsupported(Exception):
    pass


_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)\Z")
_CONST = {"true": True, "false": False, "null": None, "~": None, "": None}
_PLAIN_BAD = re.compile(r"[\[\]{}#&*!|>'\"%@`,?]|: |\A-\s|\A\Z")
_SIMPLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+][0-9]+)?\Z")


def _scalar(text: str):
    if text in _CONST:
        return _CONST[text]
    c = text[0]
    if c == "'":
        if not text.endswith("'") or len(text) < 2:
            raise Unsupported(text)
        return text[1:-1].replace("''", "'")
    if c == '"':
        inner = text[1:-1]
        if "\\" in inner and re.search(r"\\[^\"\\/bfnrtu]", inner):
            raise Unsupported(text)  # YAML-only escapes (\x, \e, \N, ...): leave to the full reader
        return json.loads(text)
    if _INT.match(text):
        return int(text.replace("_", ""))
    if text.lower() in ("yes", "no", "on", "off", "y", "n", "true", "false", "null") or _SIMPLE_FLOAT.match(text) or _PLAIN_BAD.search(text):
        raise Unsupported(text)  # forms the writer quotes; seeing one plain means this is no writer output
    return text


def load(text: str):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    pos = 0
    n = len(lines)

    def indent_of(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    def literal(header: str, col: int) -> str:
        nonlocal pos
        chomp = header[1:]
        body = []
        while pos < n and (lines[pos] == "" or indent_of(lines[pos]) >= col):
            body.append(lines[pos][col:])
            pos += 1
        while body and body[-1] == "" and chomp != "+":
            body.pop()
        if chomp == "+":
            # keep every trailing newline: the empty lines were read as part of the block
            return "\n".join(body) + "\n"
        out = "\n".join(body)
        return out if chomp == "-" else out + "\n"

    def value_after(rest: str, col: int):
        """The value that follows `key:` (rest is what is after the colon) for a key at col."""
        nonlocal pos
        if rest == "":
            if pos < n and indent_of(lines[pos]) > col:
                return block(indent_of(lines[pos]))
            if pos < n and indent_of(lines[pos]) == col and lines[pos][col:col + 2] == "- ":
                return block(col)
            return None
        rest = rest[1:]  # the space after the colon
        if rest == "{}":
            return {}
        if rest == "[]":
            return []
        if rest[0] == "|":
            return literal(rest, col + 2)
        return _scalar(rest)

    def block(col: int):
        nonlocal pos
        line = lines[pos]
        if line[col:col + 2] == "- " or line[col:] == "-":
            out = []
            while pos < n and indent_of(lines[pos]) == col and lines[pos][col] == "-":
                line = lines[pos]
                item = line[col + 2:]
                if item == "":
                    raise Unsupported(line)
                if item in ("{}", "[]"):
                    out.append({} if item == "{}" else [])
                    pos += 1
                    continue
                k = None if item[0] in "'\"" else _split_key(item)
                if k is None:
                    out.append(_scalar(item))
                    pos += 1
                    continue
                # a mapping item: its first key sits on the dash line at col + 2
                lines[pos] = " " * (col + 2) + item
                out.append(mapping(col + 2))
            return out
        return mapping(col)

    def mapping(col: int) -> dict:
        nonlocal pos
        out: dict = {}
        while pos < n:
            line = lines[pos]
            ind = indent_of(line)
            if ind != col or line[col] == "-":
                break
            k = _split_key(line[col:])
            if k is None:
                raise Unsupported(line)
            key, rest = k
            pos += 1
            out[key] = value_after(rest, col)
        return out

    return block(0)


def _split_key(text: str):
    """(key, rest after the colon) of `key: value` / `key:`, or None."""
    if text[0] in "'\"":
        raise Unsupported(text)  # quoted keys: rare in rendered output, left to the full reader
    i = text.find(": ")
    if text.endswith(":") and (i < 0 or i > len(text) - 2):
        i = len(text) - 1
    if i <= 0:
        return None
    key = text[:i]
    if _PLAIN_BAD.search(key):
        raise Unsupported(text)
    return key, text[i + 1:]


def main(argv=None) -> int:
    import specs
    from k8sgen import yamlio
    from k8sgen.pipeline import render_specs

    n = int((argv or sys.argv[1:] or ["1000"])[0])
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(specs.large(n) + "\n")
    texts = [r.text for r in render_specs([f.name]).objects]
    Path(f.name).unlink()
    gc.disable()
    same = unsupported = 0
    for t in texts:
        try:
            ok = load(t) == yamlio.load_rendered(t)
        except Unsupported:
            unsupported += 1
            continue
        same += ok
        if not ok:
            print("DIFFERS:\n" + t[:400], file=sys.stderr)
    timings = {"yamlio.load_rendered": [], "subset reader": []}
    for _ in range(3):
        for name, fn in (("yamlio.load_rendered", yamlio.load_rendered), ("subset reader", load)):
            start = time.process_time()
            for t in texts:
                try:
                    fn(t)
                except Unsupported:
                    yamlio.load_rendered(t)
            timings[name].append(time.process_time() - start)
    print(f"{len(texts)} rendered objects: {same} read identically, {unsupported} outside the subset, "
          f"{len(texts) - same - unsupported} different")
    for name, ts in timings.items():
        print(f"{name}: {sorted(ts)[1] * 1000:.0f} ms (median of 3, CPU)")
    return 0 if same + unsupported == len(texts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
