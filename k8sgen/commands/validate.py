"""`k8sgen validate`: spec files, plain manifests and directories, every problem in one run.

Errors fail the run; warnings fail it under --strict; notes (files skipped because they are not
manifests, see k8sgen/filekinds.py) never do. Every run ends with one summary line on stderr:
the objects checked by kind, those not checked and why, the files skipped and why.
"""

from __future__ import annotations

import sys
from typing import Sequence, TextIO

from .. import report
from ..errors import EXIT_INVALID, EXIT_OK
from ..pipeline import validate_run

SUMMARY_PREFIX = "summary: "


def run(
    paths: Sequence[str],
    kube_version: str | None = None,
    strict: bool = False,
    fmt: str = "parsable",
    err: TextIO | None = None,
    out: TextIO | None = None,
    profile: str | None = None,
    report_file: str | None = None,
    ignore: Sequence[str] = (),
) -> int:
    from ..lintconfig import resolve

    lint = resolve(paths, profile)
    result = validate_run(list(paths), kube_version, list(ignore or ()), profile=lint.profile, silence=lint.ignore)
    problems = result.problems
    err = err or sys.stderr
    # A document (JSON, SARIF, JUnit) is the command's result, so it goes to stdout (or to
    # --report FILE); human formats are diagnostics.
    stream = (out or sys.stdout) if fmt in report.DOCUMENT_FORMATS else err
    report.write(problems, fmt, stream, path=report_file)
    err.write(summary(result) + "\n")
    err.flush()
    if result.floor:
        return result.floor
    failing = any(p.is_error for p in problems) or (strict and any(p.severity == "warning" for p in problems))
    return EXIT_INVALID if failing else EXIT_OK


def summary(result) -> str:
    """One line: `summary: N objects checked (Kind n, ...)[, S specs]; M not checked (...);
    F files skipped (...); E errors, W warnings`."""
    from ..fieldpath import object_id

    checked: dict = {}
    for obj in result.objects:
        kind = obj.get("kind") if isinstance(obj, dict) else None
        kind = kind if isinstance(kind, str) and kind else "?"
        checked[kind] = checked.get(kind, 0) + 1
    by_id = {}
    for obj in result.objects:
        if isinstance(obj, dict):
            by_id.setdefault(object_id(obj), obj)
    crds = _crd_kinds(result.objects)
    unchecked: dict = {}
    for p in result.problems:
        if p.rule.startswith("k8s") and "not checked" in p.message and p.object:
            obj = by_id.get(p.object) or {}
            kind = p.object.split("/", 1)[0]
            key = (kind, _why_unchecked(obj, crds))
            unchecked[key] = unchecked.get(key, 0) + 1
            if checked.get(kind):
                checked[kind] -= 1
    n_checked = sum(checked.values())
    parts = [f"{_count(n_checked, 'object')} checked" + (f" ({_kinds(checked)})" if n_checked else "")]
    if result.specs:
        parts[0] += f", {_count(result.specs, 'spec')}"
    n_un = sum(unchecked.values())
    parts.append(f"{n_un} not checked" + (" (" + ", ".join(f"{k} {n}: {why}" for (k, why), n in sorted(unchecked.items())) + ")" if n_un else ""))
    skipped = sorted(result.skipped.items())
    if result.ignored:
        skipped.append(("ignored by --ignore", result.ignored))
    n_skip = sum(n for _, n in skipped)
    parts.append(f"{_count(n_skip, 'file')} skipped" + (" (" + ", ".join(f"{why} {n}" for why, n in skipped) + ")" if n_skip else ""))
    errors = sum(1 for p in result.problems if p.severity == "error")
    warnings = sum(1 for p in result.problems if p.severity == "warning")
    parts.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    return SUMMARY_PREFIX + "; ".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _kinds(counts: dict) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items()) if n)


def _crd_kinds(objects: list) -> set:
    out = set()
    for obj in objects:
        if isinstance(obj, dict) and obj.get("kind") == "CustomResourceDefinition":
            spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
            names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
            out.add((spec.get("group"), names.get("kind")))
    return out


def _why_unchecked(obj: dict, crds: set) -> str:
    av = obj.get("apiVersion")
    group = av.split("/")[0] if isinstance(av, str) and "/" in av else ""
    if (group, obj.get("kind")) in crds:
        return "custom resource, its CRD's schema not evaluated"
    if "." in group and not group.endswith(".k8s.io") and group != "k8s.io":
        return "custom resource without its CRD"
    return "no schema"
