"""`k8sgen schema` and `k8sgen version`."""

from __future__ import annotations

import sys
from typing import TextIO

from .. import __version__
from ..errors import EXIT_OK


def schema(out: TextIO | None = None) -> int:
    from ..resources import read_schema_text

    (out or sys.stdout).write(read_schema_text("spec.schema.json"))
    return EXIT_OK


def version(out: TextIO | None = None) -> int:
    from ..validate.k8s_schema import DEFAULT_VERSION, SUPPORTED_VERSIONS

    out = out or sys.stdout
    out.write(f"k8sgen {__version__}\n")
    out.write(f"kubernetes {DEFAULT_VERSION} (default; supported: {', '.join(SUPPORTED_VERSIONS)})\n")
    return EXIT_OK
