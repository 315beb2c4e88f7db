"""Write rendered objects into a directory kustomize can build, all or nothing.

Rules (docs/ecosystem.md has the user-facing version):
- One file per object, named like `kustomize build -o`, plus `kustomization.yaml` and a record of
  what k8sgen wrote, `.k8sgen-manifest.json` (file name -> sha256, and the specs rendered there).
- All or nothing: the new content is built in a temporary directory beside DIR and swapped in with
  one atomic exchange of directory entries (renameat2 RENAME_EXCHANGE on Linux; two renames
  elsewhere). A run killed at any moment leaves the old or the new complete output, never a mix.
- Files k8sgen did not write are never modified: they are hard-linked into the new directory (same
  inode, same bytes, same mtime), and a name k8sgen would need that is taken by such a file is an
  error. Files k8sgen wrote earlier but no longer produces are removed.
- A generated file edited by hand since k8sgen wrote it (its sha256 differs from the record) is not
  overwritten or removed silently: that is an error unless `force` is given. Put the change into the
  spec, or into an overlay that patches this base.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import json
import os
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import K8sgenError, Problem, SourcePos
from . import kustomize
from .paths import NotRegular, entry_kind, read_entry

MANIFEST = ".k8sgen-manifest.json"
_TMP_MARK = ".k8sgen-new-"
_OLD_MARK = ".k8sgen-old-"
# Test hook: seconds to sleep after each file written into the temporary directory, so a test can
# kill the writer mid-way and check that DIR still holds the complete old output.
SLOW_WRITE_ENV = "K8SGEN_TEST_SLOW_WRITE"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Planned:
    """What one output directory should hold."""

    path: Path  # the directory as the user named it (for messages)
    files: dict  # file name -> text, including kustomization.yaml
    specs: list = field(default_factory=list)  # spec paths relative to the directory (recorded)

    def manifest_text(self) -> str:
        record = {
            "generator": "k8sgen",
            "files": {n: sha256(t.encode()) for n, t in sorted(self.files.items())},
            "specs": sorted(self.specs),
        }
        return json.dumps(record, indent=2, sort_keys=True) + "\n"


def plan(path: str | Path, objects: Sequence, specs: Iterable[str] = ()) -> Planned:
    """`objects` are RenderedObjects (with `.obj` and `.text`), in apply order."""
    names = kustomize.file_names([o.obj for o in objects])
    files = {}
    unsafe = []
    for name, o in zip(names, objects, strict=True):
        if not _safe_file_name(name):
            unsafe.append(_unsafe_name_problem(o))
        files[name] = o.text
    clashing = set(kustomize.collisions(names))
    for name, o in zip(names, objects, strict=True):
        if name in clashing:  # the same object twice: never drop one silently
            unsafe.append(Problem(
                message=f"{o.obj.get('kind')} {(o.obj.get('metadata') or {}).get('name')!r} would share the file {name} with another object",
                rule="output-file-name",
                pos=SourcePos(str(Path(path) / name), 0, 0),
                hint="every object needs a file of its own; rename one of them",
            ))
    if unsafe:
        raise K8sgenError(unsafe)
    files[kustomize.KUSTOMIZATION] = kustomize.kustomization_text(names)
    return Planned(Path(path), files, list(specs))


def _safe_file_name(name: str) -> bool:
    # Most object names are DNS names, but RBAC names only exclude "/" and "%": the API server
    # takes a Role named "a\\b", "x\ny" or even "\0", which no file system (or reader) wants.
    return (
        not name.startswith(".")
        and len(name.encode("utf-8", "surrogatepass")) <= 255
        and not any(c in "/\\" or not c.isprintable() for c in name)
    )


def _unsafe_name_problem(o) -> Problem:
    meta = o.obj.get("metadata") or {}
    item = getattr(o, "item", None)
    return Problem(
        message=f"{o.obj.get('kind')} {meta.get('name')!r} cannot be written to a file: the name holds characters a file name cannot",
        rule="output-file-name",
        pos=item.doc.locate(item.src, key=True) if item is not None else None,
        hint="rename it, or render to stdout (without --output-dir)",
    )


@dataclass
class Record:
    files: dict  # name -> sha256
    specs: list


def read_record(directory: Path) -> Record | None:
    """The record in `directory`, never read through a symlink. It is repository content (a pull
    request can edit it), so it is believed only for plain file names inside `directory`; the
    specs it names are confined by the caller (commands/output.py)."""
    try:
        raw = read_entry(directory / MANIFEST)
        if raw is None:
            return None
        data = json.loads(raw.decode("utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise ValueError("files")
        # A name that is no plain file name in DIR (`../x`, `/etc/x`, `.git`) is not believed:
        # k8sgen never removes or overwrites anything through it.
        files = {k: v for k, v in files.items() if isinstance(k, str) and _safe_file_name(k) and isinstance(v, str)}
        specs = [s for s in data.get("specs", []) if isinstance(s, str)]
        return Record(files, specs)
    except (OSError, NotRegular, ValueError, KeyError, TypeError, AttributeError):
        # A broken record must not make us delete anything: treat every file as foreign.
        return Record({}, [])


def _read(path: Path) -> bytes | None:
    """A file's bytes; None when it is missing, is no regular file (never followed) or unreadable."""
    try:
        return read_entry(path)
    except (OSError, NotRegular):
        return None


def _problem(directory: Path, name: str, message: str, rule: str, hint: str) -> Problem:
    return Problem(message=message, rule=rule, pos=SourcePos(str(directory / name), 0, 0), hint=hint)


def conflicts(p: Planned, force: bool = False) -> list[Problem]:
    """Why writing `p` would clobber something that is not ours to change (empty: safe)."""
    d = p.path
    if not d.exists():
        return []
    if not d.is_dir():
        return [Problem(message="output path exists and is not a directory", rule="output-not-directory", pos=SourcePos(str(d), 0, 0))]
    rec = read_record(d) or Record({}, [])
    out = []
    for name in sorted(set(p.files) | set(rec.files)):
        f = d / name
        if not os.path.lexists(f):
            continue
        if name not in rec.files or not _is_plain_file(f):
            if name in p.files:  # whatever holds the name (even a directory) is not ours to replace
                out.append(_problem(d, name, "k8sgen would write this file, but it was not written by k8sgen", "output-foreign-file",
                                    "k8sgen never overwrites files it did not write: move or delete it, then run again"))
            continue
        if force:
            continue
        data = _read(f)
        current = "" if data is None else sha256(data)
        wanted = sha256(p.files[name].encode()) if name in p.files else None
        if current != rec.files[name] and current != wanted:  # a hand edit that the new output would lose
            out.append(_problem(d, name, "this generated file was edited by hand since k8sgen wrote it", "output-edited",
                                "move the change into the spec (or into an overlay patching this directory), then rerun with --force to overwrite it"))
    return out


def changes(p: Planned) -> list[str]:
    """Names of files that writing `p` would add, change or remove (the record included)."""
    d = p.path
    rec = read_record(d) if d.is_dir() else None
    out = []
    for name, text in p.files.items():
        if _read(d / name) != text.encode():
            out.append(name)
    if rec is not None:
        out += [n for n in rec.files if n not in p.files and os.path.lexists(d / n)]
    if _read(d / MANIFEST) != p.manifest_text().encode():
        out.append(MANIFEST)
    return sorted(set(out))


def diff(p: Planned, unified: Callable[[str, str, str, str], str] | None = None) -> str:
    """A unified diff from what DIR holds to what k8sgen would write ('' when up to date);
    `unified` makes each file's diff (emit/redact.py's hides Secret values)."""
    unified = unified or plain_unified
    d = p.path
    rec = read_record(d) if d.is_dir() else None
    names = sorted(set(p.files) | {n for n in (rec.files if rec else {}) if os.path.lexists(d / n)})
    chunks = []
    for name in names:
        f = d / name
        # Never through a symlink: a committed link to /proc/self/environ must not print it.
        kind = entry_kind(f)
        data = _read(f) if kind == "file" else None
        try:
            old = data.decode("utf-8") if data is not None else ""
            old_label = f"a/{f}" if data is not None else "/dev/null" if kind is None else f"a/{f} ({kind}, not read)"
        except UnicodeDecodeError:
            old, old_label = "", f"a/{f} (not UTF-8, not shown)"
        new = p.files.get(name)
        new_label = f"b/{f}" if new is not None else "/dev/null"
        chunks.append(unified(old, new or "", old_label, new_label))
    out = "".join(chunks)
    if not out and changes(p) and entry_kind(d / MANIFEST) not in (None, "file"):
        out = f"--- a/{d / MANIFEST} ({entry_kind(d / MANIFEST)}, not read)\n+++ b/{d / MANIFEST}\n@@ record of generated files is not a regular file @@\n"
    elif not out and changes(p):
        out = f"--- a/{d / MANIFEST}\n+++ b/{d / MANIFEST}\n@@ record of generated files is out of date @@\n"
    return out


def plain_unified(old: str, new: str, old_label: str, new_label: str) -> str:
    lines = list(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), old_label, new_label))
    return "".join(l if l.endswith("\n") else l + "\n\\ No newline at end of file\n" for l in lines)


# --- writing -----------------------------------------------------------------------------------


class locked:
    """An exclusive flock on DIR's parent (created if needed): parallel k8sgen runs writing the
    same directory (pre-commit batches) take turns. Locking the parent directory itself leaves no
    lock file behind in the user's repository. Hold it from reading the record to writing, so a
    run sees the specs another run has just recorded there.
    """

    def __init__(self, directory: Path):
        self.parent = Path(os.path.realpath(directory)).parent
        self.fd: int | None = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no locking
            return self
        self.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.parent, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock


def write(p: Planned, lock: bool = True) -> list[str]:
    """Make DIR hold exactly `p` (plus the files that are not k8sgen's). Returns what changed.

    Call `conflicts()` first; this function assumes writing is allowed. `lock=False` when the
    caller already holds `locked(DIR)` (flock is not re-entrant across file descriptors).
    """
    if lock:
        with locked(p.path):
            return write(p, lock=False)
    target = Path(os.path.realpath(p.path))  # DIR may be a symlink: swap the directory it names
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(parent, target.name)
    changed = changes(Planned(target, p.files, p.specs))
    if not changed:
        return []
    tmp = parent / f".{target.name}{_TMP_MARK}{os.getpid()}"
    tmp.mkdir()
    try:
        _fill(tmp, target, p)
        if target.exists():
            _swap(tmp, target)
            _adopt_late_arrivals(tmp, target, p)
            shutil.rmtree(tmp)
        else:
            os.rename(tmp, target)
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return changed


def _fill(tmp: Path, target: Path, p: Planned) -> None:
    delay = float(os.environ.get(SLOW_WRITE_ENV) or 0)
    if target.exists():
        os.chmod(tmp, target.stat().st_mode & 0o7777)  # tmp is ours, new: it takes DIR's mode
        _same_owner(target, tmp)
        rec = read_record(target) or Record({}, [])
        for entry in sorted(os.listdir(target)):
            if entry in p.files or entry == MANIFEST or (entry in rec.files and _is_plain_file(target / entry)):
                continue  # ours: rewritten below, or dropped because no longer produced
            _link_tree(target / entry, tmp / entry)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
    for name, text in sorted(p.files.items()):
        _write_file(tmp / name, text.encode())
        if delay:
            time.sleep(delay)
    _write_file(tmp / MANIFEST, p.manifest_text().encode())  # last: its presence marks a complete set


def _is_plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _write_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _link_tree(src: Path, dst: Path) -> None:
    """Carry a foreign entry into the new directory without changing it: hard links, not copies."""
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
    elif src.is_dir():
        dst.mkdir()
        shutil.copystat(src, dst)
        _same_owner(src, dst)
        for entry in os.listdir(src):
            _link_tree(src / entry, dst / entry)
    else:
        os.link(src, dst, follow_symlinks=False)


def _same_owner(src: Path, dst: Path) -> None:
    """A directory k8sgen re-creates in place of an existing one keeps that one's owner: run as
    root (CI containers), the swap must not hand a user's directory over to root."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        st = os.lstat(src)
        os.chown(dst, st.st_uid, st.st_gid, follow_symlinks=False)


def leftovers(directory: Path) -> list[Path]:
    """Temporary directories of runs that were killed (their process is gone) beside DIR."""
    target = Path(os.path.realpath(directory))
    parent = target.parent
    try:
        entries = sorted(os.listdir(parent))
    except OSError:
        return []
    out = []
    for entry in entries:
        for mark in (_TMP_MARK, _OLD_MARK):
            prefix = f".{target.name}{mark}"
            if entry.startswith(prefix) and not _alive(entry[len(prefix):]):
                out.append(parent / entry)
    return out


def _alive(pid: str) -> bool:
    if not pid.isdigit() or len(pid) > 9:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, another user's
        return True
    return True


def _swap(tmp: Path, target: Path) -> None:
    """Exchange the two directory entries atomically where the OS can; else rename twice."""
    if _rename_exchange(tmp, target):
        return
    old = target.parent / f".{target.name}{_OLD_MARK}{os.getpid()}"
    os.rename(target, old)
    os.rename(tmp, target)
    os.rename(old, tmp)


def _rename_exchange(a: Path, b: Path) -> bool:
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system cannot exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def _adopt_late_arrivals(old: Path, target: Path, p: Planned) -> None:
    """Foreign files created, replaced or removed in DIR while we were writing happened in what
    is now the old tree: carry them over, at any depth (`docs/new.md`), so none is lost or
    reverted. The new tree holds hard links to the foreign files as they were when copied, so a
    different inode (or none) in the old tree is a change made meanwhile."""
    rec = read_record(old) or Record({}, [])
    ours = set(p.files) | {MANIFEST} | {n for n in rec.files if _is_plain_file(old / n)}
    _adopt_tree(old, target, ours)


def _adopt_tree(old: Path, new: Path, skip: set) -> None:
    old_entries = set(os.listdir(old))
    for entry in sorted(old_entries - skip):
        o, n = old / entry, new / entry
        ost = os.lstat(o)
        try:
            nst = os.lstat(n)
        except FileNotFoundError:
            os.rename(o, n)  # created meanwhile
            continue
        if stat.S_ISDIR(ost.st_mode) and stat.S_ISDIR(nst.st_mode):
            _adopt_tree(o, n, set())
        elif stat.S_ISLNK(ost.st_mode) and stat.S_ISLNK(nst.st_mode):
            if os.readlink(o) != os.readlink(n):
                os.replace(o, n)
        elif (ost.st_ino, ost.st_dev) != (nst.st_ino, nst.st_dev) and not stat.S_ISDIR(nst.st_mode) and not stat.S_ISDIR(ost.st_mode):
            os.replace(o, n)  # replaced meanwhile (an editor's save is a rename)
    for entry in sorted(set(os.listdir(new)) - old_entries - skip):
        n = new / entry
        if not stat.S_ISDIR(os.lstat(n).st_mode):
            os.unlink(n)  # a foreign file deleted meanwhile stays deleted


def _remove_leftovers(parent: Path, name: str) -> None:
    """Temporary directories of a run that was killed (we hold the lock, so none is in use)."""
    # Interrupted between the two renames of the fallback swap: put the old output back first.
    if not (parent / name).exists():
        for entry in sorted(os.listdir(parent)):
            if entry.startswith(f".{name}{_OLD_MARK}"):
                os.rename(parent / entry, parent / name)
                break
    for entry in os.listdir(parent):
        if entry.startswith(f".{name}{_TMP_MARK}") or entry.startswith(f".{name}{_OLD_MARK}"):
            shutil.rmtree(parent / entry, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
