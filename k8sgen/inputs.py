"""The files `k8sgen validate` reads: named files, and directories walked like kubeconform walks.

A directory is walked recursively in sorted order for `.yaml`, `.yml` and `.json` files; hidden
directories (`.git`, `.github`, ...) are not entered, symbolic links to directories are not
followed. `--ignore PATTERN` (repeatable) leaves out every file or directory whose path matches:
as a regular expression searched in the path (kubeconform's -ignore-filename-pattern), or as a
glob matched against the whole path, any trailing part of it or any one directory name
(`testdata`, `*.tpl`, `**/invalid/*`). Paths use `/` and are matched as they are printed
(relative to the directory given). Ignore patterns apply to named files too, so a pre-commit hook
with `entry: k8sgen validate --ignore testdata --` leaves the fixtures out. A file named twice is read once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Sequence

from .errors import Problem, SourcePos

EXTENSIONS = (".yaml", ".yml", ".json")


class Ignore:
    """Compiled --ignore patterns."""

    def __init__(self, patterns: Sequence[str] = ()):
        self.patterns = []
        for pat in patterns:
            try:
                regex = re.compile(pat)
            except re.error:
                regex = None  # `*.tpl`, `**/x`: only a glob
            self.patterns.append((pat, regex))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, path: str) -> bool:
        if not self.patterns or path == "-":
            return False
        p = path.replace(os.sep, "/")
        while p.startswith("./"):
            p = p[2:]
        parts = [x for x in p.split("/") if x]
        suffixes = ["/".join(parts[i:]) for i in range(len(parts))]
        for pat, regex in self.patterns:
            if regex is not None and regex.search(p):
                return True
            if fnmatchcase(p, pat) or any(fnmatchcase(s, pat) for s in suffixes) or any(fnmatchcase(x, pat) for x in parts):
                return True
        return False


@dataclass
class Expanded:
    files: list = field(default_factory=list)  # paths to read, in order, each once
    problems: list = field(default_factory=list)  # unreadable directories
    ignored: int = 0  # files left out by --ignore


def expand(paths: Sequence[str], ignore: Ignore | None = None) -> Expanded:
    """Named files as given, directories walked; missing paths are kept for the reader to report."""
    ignore = ignore or Ignore()
    out = Expanded()
    seen: set = set()

    def add(path: str) -> None:
        key = "-" if path == "-" else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.files.append(path)

    for path in paths:
        if path != "-" and path and os.path.isdir(path):
            if ignore.match(path) and path not in (".", "./"):
                out.ignored += _count_files(path)
                continue
            found = list(_walk(path, ignore, out))
            if not found:
                out.problems.append(Problem(
                    message="no .yaml, .yml or .json files in this directory" + (" (after --ignore)" if ignore else ""),
                    rule="input-empty-directory",
                    severity="note",
                    pos=SourcePos(path, 0, 0),
                ))
            for f in found:
                add(f)
        elif ignore.match(path):
            out.ignored += 1
        else:
            add(path)
    return out


def _walk(root: str, ignore: Ignore, out: Expanded):
    def onerror(e: OSError) -> None:
        out.problems.append(Problem(message=f"cannot read the directory: {e.strerror or e}", rule="input-unreadable",
                                    pos=SourcePos(getattr(e, "filename", None) or root, 0, 0)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            if ignore.match(_join(root, dirpath, d)):
                out.ignored += _count_files(os.path.join(dirpath, d))
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            # Hidden files are tools' own settings (.gitlab-ci.yml, .pre-commit-config.yaml,
            # .k8sgen.yaml), never manifests; a file named on the command line is still read.
            if name.startswith(".") or not name.lower().endswith(EXTENSIONS):
                continue
            path = _join(root, dirpath, name)
            if ignore.match(path):
                out.ignored += 1
                continue
            yield path


def _count_files(directory: str) -> int:
    """YAML and JSON files a walk would have read below an ignored directory (for the summary)."""
    n = 0
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        n += sum(1 for f in filenames if not f.startswith(".") and f.lower().endswith(EXTENSIONS))
    return n


def _join(root: str, dirpath: str, name: str) -> str:
    path = os.path.join(dirpath, name)
    # `validate .` prints `deploy/app.yaml`, as `validate deploy/app.yaml` does.
    return os.path.normpath(path) if root in (".", "./") or root.startswith("./") else path
