"""`k8sgen init STORY [PATH]`: write a starter spec that renders and validates at once.

Line 1 is the yaml-language-server modeline, so editors validate and complete the spec against
its JSON Schema. By default the schema is written beside the spec as `k8sgen.schema.json` (a
relative $schema path works offline and travels with the repository); `--schema URL` points the
modeline elsewhere and writes no schema file. Existing files are never overwritten.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TextIO

from ..errors import EXIT_OK, EXIT_USAGE, K8sgenError, Problem, SourcePos

SCHEMA_FILE = "k8sgen.schema.json"
MODELINE = "# yaml-language-server: $schema={ref}\n"
_NAME_RE = re.compile(r"[^a-z0-9-]+")


def stories() -> list[str]:
    from ..starters import STARTERS

    return sorted(STARTERS)


def object_name(path: Path) -> str:
    """A DNS-1123 label from the file name: web.k8sgen.yaml -> web."""
    stem = path.name.split(".")[0].lower()
    name = _NAME_RE.sub("-", stem).strip("-")[:40].strip("-")
    return name or "app"


def output_dir(path: Path) -> str:
    """The starter's outputDir: `manifests/NAME` at the top of the directory init runs in (the
    repository layout of docs/ecosystem.md: specs/web.k8sgen.yaml -> ../manifests/web), written
    relative to the spec; beside the spec when it is written outside that directory."""
    from ..emit.paths import is_inside, repository_root

    top = Path.cwd().resolve()
    where = path.parent.resolve()
    name = object_name(path)
    if where != top and top not in where.parents:
        return f"manifests/{name}"
    target = top / "manifests" / name
    # An outputDir must stay in the spec's repository (docs/security.md); outside a git work
    # tree that is the spec's own directory, so the manifests go beside the spec.
    if not is_inside(target, repository_root(where)):
        return f"manifests/{name}"
    return Path(os.path.relpath(target, where)).as_posix()



def starter_text(story: str, path: Path, schema_ref: str) -> str:
    from ..starters import STARTERS

    return MODELINE.format(ref=schema_ref) + STARTERS[story][1].format(name=object_name(path), output_dir=output_dir(path))


def run(story: str, path: str | None = None, schema: str | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from ..starters import STARTERS

    err = err or sys.stderr
    if story not in STARTERS:
        import difflib

        close = difflib.get_close_matches(story, list(STARTERS), n=1)
        raise K8sgenError(Problem(
            message=f"unknown story {story!r}",
            rule="usage",
            hint=(f"did you mean {close[0]!r}? " if close else "") + "stories: " + ", ".join(f"{k} ({v[0]})" for k, v in sorted(STARTERS.items())),
        ), EXIT_USAGE)
    default_name = f"{story}.k8sgen.yaml"
    target = Path(path or default_name)
    if path and (path.endswith(("/", os.sep)) or target.is_dir()):
        target = target / default_name  # a directory: the starter goes inside it
    if target.exists() or target.is_symlink():
        raise K8sgenError(Problem(message="already exists; k8sgen init never overwrites a file", rule="init-exists",
                                  pos=SourcePos(str(target), 0, 0), hint="pick another PATH, or remove the file first"), EXIT_USAGE)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = []
    ref = schema
    if ref is None:
        schema_path = target.parent / SCHEMA_FILE
        ref = SCHEMA_FILE
        if not schema_path.exists():
            from ..resources import read_schema_text

            _create(schema_path, read_schema_text("spec.schema.json"))
            written.append(str(schema_path))
    _create(target, starter_text(story, target, ref))
    written.insert(0, str(target))
    err.write(f"k8sgen: wrote {', '.join(written)}\n")
    err.write(f"next: k8sgen render {target} --write && kubectl kustomize {os.path.normpath(target.parent / output_dir(target))}\n")
    return EXIT_OK


def _create(path: Path, text: str) -> None:
    """Create `path` exclusively: a file that appeared meanwhile is still not overwritten."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise K8sgenError(Problem(message="already exists; k8sgen init never overwrites a file", rule="init-exists", pos=SourcePos(str(path), 0, 0)), EXIT_USAGE) from None
    except OSError as e:
        raise K8sgenError(Problem(message=f"cannot write: {e.strerror}", rule="init-unwritable", pos=SourcePos(str(path), 0, 0)), EXIT_USAGE) from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
