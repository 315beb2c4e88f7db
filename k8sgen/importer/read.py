"""The manifests to import: FILE, DIR (recursively) or `-`, read and checked the way
`k8sgen validate` reads and checks them (the same loader, List unpacking, validation and Secret
redaction), plus the comments that sat above each object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .. import yamlio
from ..errors import EXIT_USAGE, InputError, K8sgenError, Problem, SourcePos, sorted_problems
from . import compare

@dataclass
class Input:
    objects: list = field(default_factory=list)  # dicts, in input order
    comments: dict = field(default_factory=dict)  # object key -> comment lines above it
    problems: list = field(default_factory=list)  # as `k8sgen validate` reports them
    floor: int = 0  # EXIT_USAGE when an input could not be read
    skipped: list = field(default_factory=list)  # (file, why): k8sgen specs and other data
    # Parallel to `objects`: the file each came from, and the comment lines above it (the
    # per-directory sets of importer/sets.py need them per object, not per key).
    sources: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # The same object in two directories (variants such as envs/dev and envs/prod):
    # (key, where first, where again). Not an error by itself: `-o DIR/` writes one spec per
    # directory; one spec (stdout, -o FILE, --check) cannot hold both (commands/importer.py).
    variants: list = field(default_factory=list)
    files: list = field(default_factory=list)  # the files that held objects, in order


def read(paths: list, kube_version: str | None = None) -> Input:
    from ..pipeline import _manifests_of, _redact_secrets, default_kube_version
    from ..validate import validate_manifests
    from ..validate.k8s_schema import normalize_version

    version = normalize_version(kube_version or default_kube_version())
    got = Input()
    manifests = []
    seen: dict = {}  # (key, directory) -> where
    first: dict = {}  # key -> where first seen
    from .. import filekinds, inputs

    # Which files hold objects is decided exactly as `k8sgen validate` decides it (walking,
    # hidden directories, kustomize and Helm files, specs, other YAML): k8sgen/filekinds.py.
    filekinds.clear_caches()
    expanded = inputs.expand(list(paths))
    got.problems.extend(expanded.problems)
    if any(p.rule == "input-unreadable" for p in expanded.problems):
        got.floor = EXIT_USAGE
    for path in expanded.files:
        s = filekinds.skip_by_path(path) if path == "-" or os.path.isfile(path) else None
        if s is not None:
            got.skipped.append((path, s.message))
            continue
        try:
            text, name = yamlio.read_text(path)
        except InputError as e:
            got.problems.extend(e.problems)
            got.floor = EXIT_USAGE
            continue
        try:
            docs = yamlio.load_documents(text, name, mode="k8s")
        except InputError as e:
            s = filekinds.lenient_skip(text, e.problems[0].rule if len(e.problems) == 1 else "")
            if s is None:
                got.problems.extend(e.problems)
                got.floor = EXIT_USAGE
            else:
                got.skipped.append((name, s.message))
            continue
        except K8sgenError as e:
            got.problems.extend(e.problems)
            continue
        if filekinds.is_spec(path, text, docs):
            got.skipped.append((name, "a k8sgen spec"))
            continue
        s = filekinds.skip_by_content(path, docs)
        if s is not None:
            got.skipped.append((name, s.message))
            continue
        lines = text.splitlines()
        folder = os.path.dirname(name)
        before = len(got.objects)
        for doc in docs:
            found = _manifests_of(doc, got.problems)
            note = _comment_above(lines, doc.locate(()).line) if len(found) == 1 and found[0].obj is doc.data else []
            for m in found:
                k = compare.key(m.obj)
                if not k[2]:
                    # No name (a kind cluster config, a tool's file that borrows apiVersion and
                    # kind): nothing kubectl applies, and nothing a spec can hold. Validated, not imported.
                    manifests.append(m)
                    got.skipped.append((str(m.locate(())), f"a {k[0] or 'object'} without metadata.name, which kubectl cannot apply"))
                    continue
                if (k, folder) in seen:
                    got.problems.append(Problem(
                        message=f"{k[0]} {k[2]!r} is given twice (also at {seen[k, folder]})",
                        rule="import-duplicate-object", pos=m.locate(()),
                        hint="kubectl would apply the second over the first: keep one of them",
                    ))
                    continue
                seen[k, folder] = m.locate(())
                if k in first:
                    # Another directory: another variant of the app (`validate` counts
                    # duplicates per directory too), not a duplicate.
                    got.variants.append((k, first[k], m.locate(())))
                else:
                    first[k] = m.locate(())
                manifests.append(m)
                got.objects.append(m.obj)
                got.sources.append(name)
                got.notes.append(note)
                if note:
                    got.comments[k] = note
        if len(got.objects) > before:
            got.files.append(name)
    if manifests:
        problems = validate_manifests(manifests, version)
        got.problems.extend(_redact_secrets(problems, [m.obj for m in manifests]))
    got.problems = sorted_problems(got.problems)
    return got


def _comment_above(lines: list, line: int) -> list:
    """The comment lines right above line `line` (1-based), without `#` and one space; an
    editor modeline is not a comment about the object."""
    out = []
    i = line - 2
    while 0 <= i < len(lines) and lines[i].lstrip().startswith("#"):
        text = lines[i].lstrip()[1:]
        out.append(text[1:] if text.startswith(" ") else text)
        i -= 1
    out.reverse()
    return [c for c in out if not c.startswith("yaml-language-server:")]


def no_input_problem(paths: list) -> Problem:
    return Problem(message="no Kubernetes objects found", rule="import-empty", pos=SourcePos(paths[0] if paths else "<stdin>", 0, 0),
                   hint="name YAML or JSON manifest files, a directory of them, or - for stdin")
