"""`k8sgen render`: specs in, a multi-document YAML stream (or a JSON List) out."""

from __future__ import annotations

import sys
from typing import Sequence, TextIO

from .. import report
from ..errors import EXIT_INVALID, EXIT_OK
from ..pipeline import render_specs


_JSON_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def stream_text(objects: list, output: str = "yaml") -> str:
    if output == "json":
        import json  # only for -o json: off the start-up of a YAML render

        doc = {"apiVersion": "v1", "kind": "List", "items": [o.obj for o in objects]}
        # JSON is YAML too, and YAML readers break lines at NEL, LS and PS even inside quotes:
        # escape them (raw, they only ever occur inside JSON strings) so any reader gets the text.
        return json.dumps(doc, indent=2, ensure_ascii=False).translate(_JSON_BREAKS) + "\n"
    return "---\n".join(o.text for o in objects)


def run(
    specs: Sequence[str],
    output: str = "yaml",
    kube_version: str | None = None,
    strict: bool = False,
    fmt: str = "parsable",
    out: TextIO | None = None,
    err: TextIO | None = None,
    profile: str | None = None,
) -> int:
    from ..lintconfig import resolve

    out = out or sys.stdout
    lint = resolve(specs, profile)
    result = render_specs(list(specs), kube_version, profile=lint.profile, ignore=lint.ignore)
    report.write(result.problems, fmt, err or sys.stderr)
    if result.errors or (strict and result.warnings):
        return EXIT_INVALID  # nothing reaches stdout unless everything passed
    out.write(stream_text(result.objects, output))
    out.flush()
    return EXIT_OK
