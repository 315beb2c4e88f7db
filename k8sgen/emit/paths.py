"""Where k8sgen may read and write on behalf of a spec (docs/security.md has the threat model).

A spec, and the repository around it, is untrusted: it comes from a pull request. So:
- A spec's `outputDir` stays inside the spec's repository: the git work tree that holds the spec
  file (the nearest directory upward with a `.git` entry), or the spec's own directory when there
  is none. It may not be absolute, climb out with `..`, reach out through a symlink, or name a
  `.git` directory (any case: case-insensitive file systems). The user's `--output-dir` is the
  user's choice and is not confined.
- Inside an output directory nothing is read or written through a symlink (`read_entry` opens
  with O_NOFOLLOW and reads regular files only), and the record `.k8sgen-manifest.json` is only
  believed for plain file names in that directory and specs inside the same repository.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import EXIT_USAGE, K8sgenError, Problem, SourcePos

GIT = ".git"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def repository_root(start: str | Path) -> Path:
    """The work tree holding `start` (a directory): nearest ancestor with a `.git` entry, else `start`."""
    here = Path(os.path.realpath(start))
    for d in (here, *here.parents):
        if os.path.lexists(d / GIT):
            return d
    return here


def is_inside(path: str | Path, root: str | Path) -> bool:
    p, r = os.path.realpath(path), os.path.realpath(root)
    return p == r or p.startswith(r.rstrip(os.sep) + os.sep)


def names_git(path: str | Path) -> bool:
    return any(part.casefold() == GIT for part in Path(path).parts)


def confine_output_dir(value: str, base: Path, pos: SourcePos | None) -> Path:
    """`outputDir: value` of a spec whose file is in `base`: the directory, or an error."""
    root = repository_root(base)

    def refuse(why: str) -> K8sgenError:
        return K8sgenError(Problem(
            message=f"outputDir {value!r} {why}",
            rule="output-dir-outside",
            pos=pos,
            hint=f"name a directory inside {root} relative to the spec, e.g. manifests/NAME (docs/security.md)",
        ), EXIT_USAGE)

    if "\0" in value:
        raise refuse("holds a NUL character")
    if os.path.isabs(value) or Path(value).drive:
        raise refuse("is an absolute path; a spec's outputDir is relative to the spec file")
    if names_git(value):
        raise refuse("names a .git directory")
    target = Path(os.path.normpath(base / value))
    if not is_inside(target, root):
        raise refuse("is outside the spec's repository" + (" (through a symlink)" if _lexically_inside(target, root) else ""))
    if names_git(os.path.relpath(os.path.realpath(target), os.path.realpath(root))):
        raise refuse("leads into a .git directory through a symlink")
    return target


def _lexically_inside(target: Path, root: Path) -> bool:
    t, r = os.path.abspath(target), os.path.abspath(root)
    return t == r or t.startswith(r.rstrip(os.sep) + os.sep)


class NotRegular(Exception):
    """The entry exists but is no regular file (a symlink, a directory, a device)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def entry_kind(path: Path) -> str | None:
    """'file', 'symlink', 'directory', 'other', or None when nothing is there; never follows."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return "other"
    if stat.S_ISLNK(st.st_mode):
        return "symlink"
    if stat.S_ISREG(st.st_mode):
        return "file"
    if stat.S_ISDIR(st.st_mode):
        return "directory"
    return "other"


def read_entry(path: Path) -> bytes | None:
    """The bytes of a regular file, never through a symlink; None when nothing is there.
    Raises NotRegular for anything else (and OSError when it cannot be read)."""
    if not _NOFOLLOW and entry_kind(path) == "symlink":  # no O_NOFOLLOW (Windows): look first
        raise NotRegular("symlink")
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as e:
        kind = entry_kind(path)
        if kind is None:
            return None
        if kind != "file":
            raise NotRegular(kind) from None
        raise e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular("directory" if stat.S_ISDIR(st.st_mode) else "other")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
