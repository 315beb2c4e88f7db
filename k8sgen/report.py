"""Problems as text: `parsable` (file:line:col: level: message (rule)), `github`, `json`;
`sarif` and `junit` live in report_sarif."""

from __future__ import annotations

import json
import os
import sys
from typing import Callable, Iterable, TextIO

from .errors import Problem
from .fieldpath import format_path

_COLORS = {"error": "\033[31m", "warning": "\033[33m"}
_RESET = "\033[0m"


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _where(p: Problem) -> str:
    # Without a position the line is k8sgen's own (a usage error, a generator's config): the
    # object, if any, leads the message, so it is not repeated here.
    return str(p.pos) if p.pos else "k8sgen"


def _message(p: Problem) -> str:
    """The message, led by the object and field path when the problem is in a Kubernetes object."""
    if p.object:
        path = format_path(p.path)
        return f"{p.object}: {path + ': ' if path else ''}{p.message}"
    return p.message


# Every character that some reader takes as the end of a line. A message quotes the user's
# values (`Invalid value: "..."`), which may hold any of them; the parsable format must stay
# one line per problem (plus one hint line), so they are written as escapes.
_LINE_BREAKS = {c: f"\\u{ord(c):04x}" if ord(c) > 0x7F else repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
_LINE_BREAKS_TABLE = str.maketrans(_LINE_BREAKS)


def _one_line(text: str) -> str:
    return text.translate(_LINE_BREAKS_TABLE)


def parsable(problems: Iterable[Problem], color: bool = False) -> str:
    lines = []
    for p in problems:
        level = p.severity
        if color:
            level = _COLORS.get(level, "") + level + _RESET
        lines.append(_one_line(f"{_where(p)}: {level}: {_message(p)} ({p.rule})"))
        if p.hint:
            lines.append(_one_line(f"  hint: {p.hint}"))
    return "\n".join(lines) + ("\n" if lines else "")


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def github(problems: Iterable[Problem], color: bool = False) -> str:
    """GitHub Actions workflow commands: annotations on the spec lines."""
    out = []
    for p in problems:
        props = []
        if p.pos:
            props.append(f"file={_gh_escape(p.pos.file, True)}")
            if p.pos.line:  # line 0 is "the file as a whole" (a skipped or missing file)
                props += [f"line={p.pos.line}", f"col={p.pos.col}"]
        props.append(f"title={_gh_escape(p.rule, True)}")
        msg = _message(p) + (f" (hint: {p.hint})" if p.hint else "")
        # GitHub's workflow commands are error, warning and notice.
        level = "notice" if p.severity == "note" else p.severity
        out.append(f"::{level} {','.join(props)}::{_gh_escape(msg)}")
    return "\n".join(out) + ("\n" if out else "")


def as_dict(p: Problem) -> dict:
    return {
        "file": p.pos.file if p.pos else None,
        "line": p.pos.line if p.pos else None,
        "column": p.pos.col if p.pos else None,
        "path": format_path(p.path),
        "object": p.object or None,
        "severity": p.severity,
        "rule": p.rule,
        "message": p.message,
        "hint": p.hint or None,
    }


def as_json(problems: Iterable[Problem], color: bool = False) -> str:
    return json.dumps({"problems": [as_dict(p) for p in problems]}, indent=2, ensure_ascii=False) + "\n"


def _sarif(problems: Iterable[Problem], color: bool = False) -> str:
    from .report_sarif import sarif

    return sarif(problems)


def _junit(problems: Iterable[Problem], color: bool = False) -> str:
    from .report_sarif import junit

    return junit(problems)


FORMATS: dict[str, Callable[..., str]] = {"parsable": parsable, "github": github, "json": as_json, "sarif": _sarif, "junit": _junit}
# Formats that are a document (written even when empty, to stdout when it is free): the others
# are diagnostics for a person or a log, one line per problem.
DOCUMENT_FORMATS = ("json", "sarif", "junit")


def write(problems: list, fmt: str = "parsable", stream: TextIO | None = None, path: str | None = None) -> None:
    """Write `problems` in `fmt` to `stream` (stderr by default), or to the file `path` (--report)."""
    if isinstance(stream, Collector):
        stream.problems.extend(problems)
        return
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(FORMATS[fmt](problems, color=False))
        return
    stream = stream or sys.stderr
    if fmt not in DOCUMENT_FORMATS and not problems:
        return
    stream.write(FORMATS[fmt](problems, color=use_color(stream)))
    stream.flush()


class Collector:
    """Stands in for a command's problem stream when its problems form one report (a SARIF log,
    a JUnit file, --report FILE): `write` above gathers problems here, and the command's other
    messages ("wrote DIR: ...", "out of date") pass through to `messages`."""

    def __init__(self, messages: TextIO):
        self.messages = messages
        self.problems: list = []

    def write(self, text: str) -> int:
        return self.messages.write(text)

    def flush(self) -> None:
        self.messages.flush()

    def isatty(self) -> bool:
        return False


def reporting(call: Callable[[TextIO], int], fmt: str, path: str | None = None, stream: TextIO | None = None) -> int:
    """Run `call(err)` so that every problem of the command, also those raised as a K8sgenError
    (an unreadable or invalid spec), goes into one report in `fmt`: to the file `path`, else to
    `stream` (stderr by default). Plain parsable output to stderr needs none of this."""
    from .errors import K8sgenError, sorted_problems

    if fmt == "parsable" and path is None:
        return call(stream or sys.stderr)
    collector = Collector(sys.stderr)
    try:
        rc = call(collector)
    except K8sgenError as e:
        collector.problems.extend(e.problems)
        rc = e.exit_code
    write(sorted_problems(collector.problems), fmt, stream or sys.stderr, path=path)
    return rc
