"""Problems for CI: SARIF 2.1.0 (GitHub code scanning and other SARIF viewers) and JUnit XML.

SARIF places each problem on the exact extent of the spec node or manifest field it is about
(start and end line and column, as the loader records them, `SourcePos.end_line/end_col`), with
the rule's metadata (short description, help text, a help URI into docs/), levels mapped as
error/warning/note, and file URIs relative to the repository root (`uriBaseId` SRCROOT), so code
scanning puts each result on its line. Problems without a place in a file (a `--set` value,
stdin, a generator's inline spec) keep their logical location and say where in the message.

Output is deterministic for the same problems and working directory: rules are sorted by id and
results keep the report's order.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Iterable
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from . import __version__
from .errors import Problem
from .fieldpath import format_path

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# Where the project and its documentation are published (SARIF wants absolute help URIs).
HOME = "https://github.com/example/k8sgen"
DOCS = HOME + "/blob/main/"
BASE_ID = "SRCROOT"

_LEVELS = {"error": "error", "warning": "warning"}

# Rules outside the registries (loader, spec schema, output, command line), by id prefix:
# (short description, help text, document#anchor).
_FAMILIES: list[tuple[str, str, str, str]] = [
    ("k8s-schema", "The object does not match the official Kubernetes schema of the target version.",
     "An unknown field, a wrong type, a missing required field or a value outside the schema's set: "
     "the API server would reject the object as `kubectl apply --validate=strict` does.", "README.md#what-is-checked"),
    ("k8s-", "The object's apiVersion, kind or Kubernetes version is not one k8sgen validates.",
     "k8sgen validates the kinds it has vendored schemas for, for Kubernetes 1.35, 1.36 and 1.37.", "README.md#what-is-checked"),
    ("spec-", "The spec does not follow the k8sgen spec schema or its rules.",
     "Every key of a spec, its type and its allowed values are in the spec reference; the hint says what fits.",
     "docs/spec-reference.md"),
    ("yaml-", "The YAML cannot be read safely (syntax, tags, duplicate keys, aliases, depth).",
     "k8sgen reads plain YAML data only; every refused construct and its message is listed here.",
     "docs/errors.md#malformed-input-case-by-case"),
    ("input-", "The input file cannot be read (missing, a directory, too large, not UTF-8).",
     "Name readable UTF-8 files of at most 64 MiB; '-' reads stdin once.", "docs/errors.md#malformed-input-case-by-case"),
    ("output-", "The output directory cannot be written safely.",
     "k8sgen writes output directories all or nothing and never touches files it did not write.",
     "docs/ecosystem.md#output-directories-for-kustomize"),
    ("set-", "A --set argument cannot be applied to the spec.",
     "--set PATH=VALUE changes a value of an existing entry; layers (-f) add entries.",
     "docs/ecosystem.md#environments-layers-and-overrides"),
    ("kustomize-", "The K8sGen generator config is not valid.",
     "The config has apiVersion k8sgen.dev/v1alpha1, kind K8sGen, and exactly one of spec: or specFile:.",
     "docs/ecosystem.md#k8sgen-as-a-kustomize-generator"),
]
_OTHER = ("A problem k8sgen reports.", "See the hint of each result.", "docs/errors.md")


def _module_anchor(fn) -> str:
    return fn.__module__.rsplit(".", 1)[-1]


def rule_info(rule_id: str) -> tuple[str, str, str]:
    """(short description, help text, help URI) of a rule id."""
    from .validate.lint import LINT_RULES
    from .validate.references import REFERENCE_RULES
    from .validate.rules.registry import REGISTRY

    r = REGISTRY.get(rule_id)
    if r is not None:
        kinds = ", ".join(r.kinds)
        return (_sentence(r.doc), f"A rule the Kubernetes API server applies to {kinds} (read from its validation source): {_sentence(r.doc)}",
                DOCS + "docs/rules.md#" + _module_anchor(r.fn))
    for rid, _severity, doc in REFERENCE_RULES:
        if rid == rule_id:
            return (doc, f"A cross-object check over everything validated together: {doc} "
                         "Declare objects that live elsewhere under `external:`.", DOCS + "docs/checks.md#cross-object-checks-ref-")
    for rid, doc in LINT_RULES:
        if rid == rule_id:
            return (doc, f"A lint rule (a warning; --strict makes it fail): {doc} "
                         "Silence it per object with the spec's `ignore:` or the k8sgen.dev/ignore annotation.",
                    DOCS + "docs/checks.md#lint-rules-lint--all-warnings")
    for prefix, short, help_text, where in _FAMILIES:
        if rule_id.startswith(prefix):
            return short, help_text, DOCS + where
    return _OTHER[0], _OTHER[1], DOCS + _OTHER[2]


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _message(p: Problem) -> str:
    text = p.message
    if p.object:
        path = format_path(p.path)
        text = f"{p.object}: {path + ': ' if path else ''}{text}"
    if p.pos is not None and _pseudo(p.pos.file):
        text = f"{p.pos}: {text}"  # no file to place it in: say where it came from
    if p.hint:
        text += f"\nhint: {p.hint}"
    return text


def _pseudo(file: str) -> bool:
    """Places that are not files in the repository: stdin, a --set argument, an inline spec."""
    return not file or file.startswith("<") or file.startswith("--") or file == '""'


def source_root(cwd: str | None = None) -> Path:
    """The repository root (nearest directory with .git at or above the working directory), else
    the working directory: code scanning resolves relative URIs against the repository."""
    here = Path(cwd or os.getcwd()).resolve()
    for d in (here, *here.parents):
        if (d / ".git").exists():
            return d
    return here


def _artifact(file: str, root: Path) -> dict:
    path = Path(file)
    absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(rel.as_posix()), "uriBaseId": BASE_ID}


def _location(p: Problem, root: Path) -> dict:
    loc: dict = {}
    pos = p.pos
    if pos is not None and not _pseudo(pos.file):
        physical: dict = {"artifactLocation": _artifact(pos.file, root)}
        if pos.line:
            region = {"startLine": pos.line, "startColumn": max(pos.col, 1)}
            if pos.end_line and (pos.end_line, pos.end_col) >= (pos.line, pos.col):
                region["endLine"] = pos.end_line
                region["endColumn"] = max(pos.end_col, 1)
            physical["region"] = region
        else:
            # About the file as a whole (missing, unreadable, too large): all of its bytes.
            physical["region"] = {"byteOffset": 0, "byteLength": _size(pos.file)}
        loc["physicalLocation"] = physical
    if p.object:
        path = format_path(p.path)
        loc["logicalLocations"] = [{"fullyQualifiedName": p.object + (f" {path}" if path else ""), "kind": "resource"}]
    return loc


def _size(file: str) -> int:
    try:
        st = os.stat(file)
    except (OSError, ValueError):
        return 0
    return st.st_size if stat.S_ISREG(st.st_mode) else 0


def sarif_log(problems: Iterable[Problem], cwd: str | None = None) -> dict:
    problems = list(problems)
    root = source_root(cwd)
    ids = sorted({p.rule for p in problems})
    index = {rid: i for i, rid in enumerate(ids)}
    rank = {"note": 0, "warning": 1, "error": 2}
    worst: dict = {}
    for p in problems:
        level = _LEVELS.get(p.severity, "note")
        if rank[level] >= rank[worst.get(p.rule, "note")]:
            worst[p.rule] = level
    rules = []
    for rid in ids:
        short, help_text, uri = rule_info(rid)
        rules.append({
            "id": rid,
            "name": "".join(part[:1].upper() + part[1:] for part in rid.split("-")),  # SARIF's "friendly name"
            "shortDescription": {"text": short},
            "fullDescription": {"text": help_text},
            "help": {"text": f"{help_text} Documentation: {uri}"},
            "helpUri": uri,
            "defaultConfiguration": {"level": worst[rid]},
        })
    results = []
    for p in problems:
        result: dict = {
            "ruleId": p.rule,
            "ruleIndex": index[p.rule],
            "level": _LEVELS.get(p.severity, "note"),
            "message": {"text": _message(p)},
        }
        loc = _location(p, root)
        if loc:
            result["locations"] = [loc]
        results.append(result)
    run = {
        "tool": {"driver": {"name": "k8sgen", "version": __version__, "semanticVersion": __version__,
                            "informationUri": HOME, "rules": rules}},
        "originalUriBaseIds": {BASE_ID: {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def sarif(problems: Iterable[Problem], color: bool = False) -> str:
    return json.dumps(sarif_log(problems), indent=2, ensure_ascii=False) + "\n"


def junit(problems: Iterable[Problem], color: bool = False) -> str:
    """JUnit XML for CI dashboards: one test case per problem (errors fail, warnings pass with
    their text in system-out); no problems is one passing case."""
    problems = list(problems)
    errors = sum(1 for p in problems if p.is_error)
    cases = []
    for p in problems:
        where = str(p.pos) if p.pos else "k8sgen"
        text = _xml_text(_message(p))
        where = _xml_text(where)
        name = quoteattr(f"{where}: {p.rule}")
        file_attr = f" file={quoteattr(_xml_text(p.pos.file))}" if p.pos and not _pseudo(p.pos.file) else ""
        line_attr = f' line="{p.pos.line}"' if p.pos and p.pos.line and file_attr else ""
        head = f"    <testcase classname={quoteattr('k8sgen.' + p.rule)} name={name}{file_attr}{line_attr}>"
        if p.is_error:
            body = f"      <failure type={quoteattr(p.rule)} message={quoteattr(_one_line(text))}>{escape(f'{where}: {text}')}</failure>"
        else:
            body = f"      <system-out>{escape(f'{where}: {p.severity}: {text}')}</system-out>"
        cases.append(f"{head}\n{body}\n    </testcase>")
    if not cases:
        cases.append('    <testcase classname="k8sgen" name="no problems"/>')
    tests = max(len(problems), 1)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="k8sgen" tests="{tests}" failures="{errors}" errors="0">\n'
        f'  <testsuite name="k8sgen" tests="{tests}" failures="{errors}" errors="0" skipped="0">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


# Characters XML 1.0 cannot hold at all, not even as references; a message quotes the user's
# values, which may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
