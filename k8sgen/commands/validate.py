"""`k8sgen validate`: spec files and plain manifests, every problem in one run."""

from __future__ import annotations

import sys
from typing import Sequence, TextIO

from .. import report
from ..errors import EXIT_INVALID, EXIT_OK
from ..pipeline import validate_paths


def run(
    paths: Sequence[str],
    kube_version: str | None = None,
    strict: bool = False,
    fmt: str = "parsable",
    err: TextIO | None = None,
    out: TextIO | None = None,
    profile: str | None = None,
    report_file: str | None = None,
) -> int:
    from ..lintconfig import resolve

    lint = resolve(paths, profile)
    problems, floor = validate_paths(list(paths), kube_version, profile=lint.profile, ignore=lint.ignore)
    # A document (JSON, SARIF, JUnit) is the command's result, so it goes to stdout (or to
    # --report FILE); human formats are diagnostics.
    stream = (out or sys.stdout) if fmt in report.DOCUMENT_FORMATS else (err or sys.stderr)
    report.write(problems, fmt, stream, path=report_file)
    if floor:
        return floor
    failing = any(p.is_error for p in problems) or (strict and problems)
    return EXIT_INVALID if failing else EXIT_OK
