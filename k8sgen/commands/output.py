"""`k8sgen render` into directories (`--output-dir`, `--write`) and up-to-date checks (`--check`).

Which specs go into which directory:
- `--output-dir DIR`: every spec given renders together into DIR (DIR holds exactly those).
- `--write` / `--check` alone: each spec renders into its own `outputDir` (relative to the spec
  file). Specs naming the same directory render together, and so do the specs recorded in that
  directory's `.k8sgen-manifest.json`, so a run over any subset of the spec files (pre-commit passes
  only the staged ones, in batches) never drops the objects of the specs it was not given.
- `--check --against FILE`: compare the stdout stream with FILE instead.
Nothing is written unless every spec rendered and validated, and no directory has a conflict.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TextIO

from .. import report
from ..errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, K8sgenError, Problem, SourcePos, SpecError, sorted_problems
from ..lintconfig import Settings
from ..source import Document

OUTPUT_DIR_KEY = "outputDir"


@dataclass
class Group:
    directory: Path
    docs: list = field(default_factory=list)
    keys: set = field(default_factory=set)  # real paths of the spec files, to avoid doubles

    def add(self, doc: Document) -> None:
        key = _spec_key(doc)
        if key is None or key not in self.keys:
            self.docs.append(doc)
            if key is not None:
                self.keys.add(key)


def _spec_key(doc: Document) -> str | None:
    if getattr(doc.positions, "layered", False):
        return None  # a merge of layers and --set is not one file that a later run could reload
    f = doc.file
    return os.path.realpath(f) if f and not f.startswith("<") and os.path.exists(f) else None


def spec_output_dir(doc: Document) -> Path | None:
    """The spec's `outputDir`, resolved against the spec file's directory (cwd for stdin) and
    confined to the spec's repository (emit/paths.py)."""
    from ..emit.paths import confine_output_dir

    value = doc.data.get(OUTPUT_DIR_KEY) if isinstance(doc.data, dict) else None
    if not isinstance(value, str) or not value:
        return None
    origin = getattr(doc.positions, "file_of", lambda p: doc.file)((OUTPUT_DIR_KEY,))
    base = Path(origin).parent if origin and not origin.startswith("<") and origin != "--set" else Path(".")
    return confine_output_dir(value, base, doc.locate((OUTPUT_DIR_KEY,)))


def render_command(
    specs: Sequence[str],
    layers: Sequence[str] = (),
    sets: Sequence[str] = (),
    output: str = "yaml",
    kube_version: str | None = None,
    strict: bool = False,
    fmt: str = "parsable",
    output_dir: str | None = None,
    write: bool = False,
    check: bool = False,
    against: str | None = None,
    force: bool = False,
    fail_on_change: bool = False,
    profile: str | None = None,
    report_file: str | None = None,
) -> int:
    """`k8sgen render` with everything it can do; the CLI and the start-up fast path call this."""
    from . import sources

    def call(err: TextIO) -> int:
        docs = sources.load(specs, layers, sets)
        if output_dir is not None or write or check or against is not None:
            sources.check_output_options(output, write, check, against)
            return run(docs, output_dir=output_dir, write=write, check=check, against=against, force=force,
                       fail_on_change=fail_on_change, kube_version=kube_version, strict=strict, fmt=fmt, err=err, profile=profile)
        from . import render as cmd

        return cmd.run(docs, output=output, kube_version=kube_version, strict=strict, fmt=fmt, err=err, profile=profile)

    # stdout carries the manifests: a SARIF or JUnit report goes to stderr, or to --report FILE.
    return report.reporting(call, fmt, report_file)


def run(
    docs: Sequence[Document],
    output_dir: str | None = None,
    write: bool = False,
    check: bool = False,
    against: str | None = None,
    force: bool = False,
    fail_on_change: bool = False,
    kube_version: str | None = None,
    strict: bool = False,
    fmt: str = "parsable",
    out: TextIO | None = None,
    err: TextIO | None = None,
    profile: str | None = None,
) -> int:
    from ..lintconfig import resolve

    out = out or sys.stdout
    err = err or sys.stderr
    lint = resolve(docs, profile)
    if against is not None:
        return _check_against(docs, against, kube_version, strict, fmt, out, err, lint)
    groups = _groups(docs, output_dir)
    planned, problems = _render_groups(groups, kube_version, strict, lint)
    report.write(problems, fmt, err)
    if any(p.is_error for p in problems) or (strict and problems):
        return EXIT_INVALID
    from ..emit import directory

    if check:
        stale = []
        from ..emit import redact

        for p in planned:
            d = redact.directory_diff(p)  # Secret values never reach the terminal
            if d:
                out.write(d)
                stale.append(str(p.path))
            for left in directory.leftovers(p.path):
                # A run killed mid-write leaves its temporary copy; --write removes it.
                err.write(f"k8sgen: {left} is left over from an interrupted run; `k8sgen render ... --write` removes it\n")
                if str(p.path) not in stale:
                    stale.append(str(p.path))
        out.flush()
        for s in stale:
            err.write(f"k8sgen: {s} is out of date; run `k8sgen render ... --write` (or --output-dir {s})\n")
        return EXIT_INVALID if stale else EXIT_OK
    blocking = [c for p in planned for c in directory.conflicts(p, force)]
    if blocking:
        report.write(sorted_problems(blocking), fmt, err)
        return EXIT_INVALID
    changed_any = False
    for g, p in zip(groups, planned, strict=True):
        with directory.locked(g.directory):
            # Another run (a parallel pre-commit batch) may have recorded specs here since we
            # looked: render them too, under the lock, so that neither run drops the other's.
            if output_dir is None and _add_recorded_specs(g):
                again, problems = _render_groups([g], kube_version, strict, lint)
                report.write(problems, fmt, err)
                if any(x.is_error for x in problems) or (strict and problems):
                    return EXIT_INVALID
                p = again[0]
            blocking = directory.conflicts(p, force)  # again, under the lock
            if blocking:
                report.write(sorted_problems(blocking), fmt, err)
                return EXIT_INVALID
            changed = directory.write(p, lock=False)
        if changed:
            changed_any = True
            err.write(f"k8sgen: wrote {p.path}: {', '.join(changed)}\n")
    return EXIT_INVALID if (fail_on_change and changed_any) else EXIT_OK


def _groups(docs: Sequence[Document], output_dir: str | None) -> list[Group]:
    if output_dir is not None:
        g = Group(Path(output_dir))
        for d in docs:
            g.add(d)
        _refuse_unsafe(g)
        return [g]
    by_dir: dict[str, Group] = {}
    problems = []
    for d in docs:
        target = spec_output_dir(d)
        if target is None:
            problems.append(Problem(
                message="this spec has no outputDir, so there is nowhere to write it",
                rule="output-dir-missing",
                pos=d.locate(()),
                hint="add `outputDir: manifests/NAME` to the spec, or pass --output-dir DIR",
            ))
            continue
        by_dir.setdefault(os.path.realpath(target), Group(target)).add(d)
    if problems:
        raise K8sgenError(problems, EXIT_USAGE)
    groups = list(by_dir.values())
    for g in groups:
        _add_recorded_specs(g)
        _refuse_unsafe(g)
    return sorted(groups, key=lambda g: str(g.directory))


def _add_recorded_specs(g: Group) -> bool:
    """Add the specs rendered into this directory before that were not given now (see module
    doc). True if any was added."""
    from ..emit.directory import read_record
    from ..pipeline import spec_document

    from ..emit.paths import entry_kind, is_inside, repository_root

    before = len(g.docs)
    rec = read_record(g.directory) if g.directory.is_dir() else None
    root = repository_root(g.directory) if rec else None
    for rel in (rec.specs if rec else []):
        path = os.path.normpath(os.path.join(g.directory, rel))
        # The record is repository content: a spec it names must be a file of this repository.
        if "\0" in rel or os.path.isabs(rel) or not is_inside(path, root) or entry_kind(Path(os.path.realpath(path))) != "file":
            continue
        if os.path.realpath(path) in g.keys:
            continue
        try:
            doc = spec_document(path)
        except K8sgenError:
            g.add(_Unloadable(path))  # rendering reports why; the record must not be dropped silently
            g.keys.add(os.path.realpath(path))
            continue
        target = spec_output_dir(doc)
        if target is not None and os.path.realpath(target) == os.path.realpath(g.directory):
            g.add(doc)
    return len(g.docs) > before


class _Unloadable:
    """A recorded spec that no longer loads: render it again so its problem is reported."""

    def __init__(self, path: str):
        self.path = path
        self.file = path
        self.positions = None  # what Group.add asks of a document: no merged layers
        self.data = None


def _refuse_unsafe(g: Group) -> None:
    # The swap replaces DIR's directory entry: never do that to a directory that holds the specs
    # or the shell's working directory.
    d = os.path.realpath(g.directory)
    cwd = os.path.realpath(os.getcwd())
    holders = [cwd] + [os.path.dirname(k) for k in g.keys]
    for h in holders:
        if h == d or h.startswith(d.rstrip(os.sep) + os.sep):
            raise K8sgenError(Problem(
                message=f"output directory {g.directory} contains {'the working directory' if h == cwd else 'a spec file'}",
                rule="output-dir-unsafe",
                pos=SourcePos(str(g.directory), 0, 0),
                hint="write generated manifests into a directory of their own, e.g. manifests/NAME",
            ), EXIT_USAGE)


def _render_groups(groups: list[Group], kube_version: str | None, strict: bool, lint: Settings = Settings()):
    from ..emit import directory
    from ..pipeline import render_specs

    planned = []
    problems: list[Problem] = []
    floor = 0
    for g in groups:
        inputs = [d.path if isinstance(d, _Unloadable) else d for d in g.docs]
        try:
            result = render_specs(inputs, kube_version, profile=lint.profile, ignore=lint.ignore)
        except K8sgenError as e:
            problems.extend(e.problems)
            floor = max(floor, e.exit_code)
            continue
        problems.extend(result.problems)
        rel = [os.path.relpath(k, os.path.realpath(g.directory)) for k in sorted(g.keys)]
        planned.append(directory.plan(g.directory, result.objects, rel))
    if floor:
        raise K8sgenError(problems, floor)
    return planned, sorted_problems(problems)


def _check_against(docs, against: str, kube_version, strict: bool, fmt: str, out: TextIO, err: TextIO, lint: Settings = Settings()) -> int:
    from ..emit.redact import unified  # Secret values redacted
    from ..pipeline import render_specs
    from .render import stream_text

    result = render_specs(list(docs), kube_version, profile=lint.profile, ignore=lint.ignore)
    report.write(result.problems, fmt, err)
    if result.errors or (strict and result.warnings):
        return EXIT_INVALID
    expected = stream_text(result.objects)
    try:
        with open(against, encoding="utf-8", newline="") as f:
            current = f.read()
    except FileNotFoundError:
        current = None
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError(Problem(message=f"cannot read: {e}", rule="input-unreadable", pos=SourcePos(against, 0, 0)), EXIT_USAGE) from None
    if current == expected:
        return EXIT_OK
    out.write(unified(current or "", expected, f"a/{against}" if current is not None else "/dev/null", f"b/{against}"))
    out.flush()
    err.write(f"k8sgen: {against} is out of date; run `k8sgen render ... > {against}`\n")
    return EXIT_INVALID
