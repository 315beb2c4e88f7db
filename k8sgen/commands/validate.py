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
) -> int:
    from ..lintconfig import resolve

    lint = resolve(paths, profile)
    problems, floor = validate_paths(list(paths), kube_version, profile=lint.profile, ignore=lint.ignore)
    # JSON is the command's result, so it goes to stdout; human formats are diagnostics.
    report.write(problems, fmt, (out or sys.stdout) if fmt == "json" else (err or sys.stderr))
    if floor:
        return floor
    failing = any(p.is_error for p in problems) or (strict and problems)
    return EXIT_INVALID if failing else EXIT_OK
