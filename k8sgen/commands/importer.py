"""`k8sgen import`: manifests in, the shortest spec that renders them back out (k8sgen/importer/).

`-o FILE` writes the spec atomically and never replaces a file that k8sgen did not write (or
that was edited since) without `--force`; `-o DIR/` (or an existing directory) writes one spec
per namespace, NAMESPACE.k8sgen.yaml. `--check SPEC` writes nothing: it renders SPEC and says
which of the manifests it does not render the same (after defaulting), exit 1 if any.
The summary (how many objects became shorthands, how many stayed verbatim) goes to stderr.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from typing import Sequence, TextIO

from .. import report
from ..errors import EXIT_INVALID, EXIT_OK, K8sgenError, Problem, SourcePos

HEADER = "# k8sgen import wrote this spec (sha256:{digest}); edited, it is yours: import replaces it only with --force.\n"
_HEADER_START = "# k8sgen import wrote this spec (sha256:"


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def ours(text: str) -> bool:
    """Written by k8sgen import and not edited since."""
    first, _, body = text.partition("\n")
    if not first.startswith(_HEADER_START):
        return False
    return first == HEADER.format(digest=_digest(body)).rstrip("\n")


def run(
    paths: Sequence[str],
    output: str | None = None,
    force: bool = False,
    check: str | None = None,
    kube_version: str | None = None,
    fmt: str = "parsable",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    from ..importer import import_objects, server
    from ..importer.read import no_input_problem, read
    from ..importer.sets import partition

    out = out or sys.stdout
    err = err or sys.stderr
    got = read(list(paths), kube_version)
    errors = [p for p in got.problems if p.is_error]
    if errors or got.floor:
        report.write(errors or got.problems, fmt, err)
        return got.floor or EXIT_INVALID
    for name, what in got.skipped:
        err.write(f"k8sgen: skipped {name}: {what}\n")
    if not got.objects:
        report.write([no_input_problem(list(paths))], fmt, err)
        return EXIT_INVALID
    split = output is not None and check is None and (output.endswith(("/", os.sep)) or os.path.isdir(output))
    if got.variants and not split:
        report.write(_variant_problems(got.variants, check is not None), fmt, err)
        return EXIT_INVALID
    # `kubectl get -o yaml` output: what the server set is no part of the spec (importer/server.py).
    got.objects, dropped, touched = server.strip(got.objects)
    if touched:
        err.write(server.message(dropped, touched))
    if check is not None:
        return _check(check, got.objects, kube_version, fmt, out, err)
    name = output if output and not split else "<import>"
    results, targets = [], []
    for s in partition(got.objects, got.sources, got.notes, list(paths)):
        for r in import_objects(s.objects, s.comments, name=name, split=split):
            results.append(r)
            targets.append(os.path.join(output, *s.directory.split("/"), f"{r.namespace}.k8sgen.yaml") if split and s.directory else
                           os.path.join(output, f"{r.namespace}.k8sgen.yaml") if split else output)
    if output is None:
        out.write(results[0].text)
        out.flush()
    else:
        _write_all(list(zip(targets, (r.text for r in results))), force)
    for r, t in zip(results, targets):
        into = f" into {t}" if t else ""
        n = r.shorthand + r.verbatim
        err.write(f"k8sgen: imported {n} object{'' if n == 1 else 's'}{into}: {r.shorthand} as shorthands, {r.verbatim} kept verbatim under manifests:\n")
    others = sorted({k for k in ((o.get("metadata") or {}).get("namespace") for o in got.objects) if k} - {r.namespace for r in results})
    if others:
        err.write(f"k8sgen: objects of namespace {', '.join(others)} stay verbatim in this spec; -o DIR/ writes one spec per namespace\n")
    return EXIT_OK


def _variant_problems(variants: list, check: bool) -> list:
    """The same object in two directories, where one spec would have to hold both."""
    hint = ("--check compares one variant: name its directory (k8sgen import k8s/envs/dev --check SPEC)" if check else
            "-o DIR/ writes one spec per directory (k8sgen import k8s/ -o specs/), or import one directory at a time")
    return [Problem(message=f"{k[0]} {k[2]!r} is in two directories (also at {first}): one spec cannot hold both variants",
                    rule="import-duplicate-object", pos=again, hint=hint) for k, first, again in variants]


def _write_all(files: list, force: bool) -> None:
    """Write every file or none: each refusal is found before anything is written (directories
    are made only then)."""
    refused = []
    for path, _ in files:
        if os.path.lexists(path):
            try:
                with open(path, encoding="utf-8") as f:
                    current = f.read()
            except (OSError, UnicodeDecodeError):
                current = None
            if not force and (current is None or not os.path.isfile(path) or os.path.islink(path) or not ours(current)):
                refused.append(Problem(
                    message=f"{path} exists and k8sgen import did not write it (or it was edited since)",
                    rule="import-overwrite", pos=SourcePos(path, 0, 0),
                    hint="choose another -o, or pass --force to replace it",
                ))
    if refused:
        raise K8sgenError(refused, EXIT_INVALID)
    for path, text in files:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        body = text
        _atomic_write(path, HEADER.format(digest=_digest(body)) + body)


def _atomic_write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".k8sgen-import-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # readers see the old spec or the new one, never half of one
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _check(spec: str, objects: list, kube_version, fmt: str, out: TextIO, err: TextIO) -> int:
    """Does SPEC render the same objects as the manifests? Secret contents are never shown."""
    import difflib

    from .. import yamltext
    from ..importer import compare
    from ..pipeline import render_specs

    result = render_specs([spec], kube_version)
    report.write(result.errors, fmt, err)
    if result.errors:
        return EXIT_INVALID
    rendered = {compare.key(r.obj): r.obj for r in result.objects}
    wanted = {compare.key(o): o for o in objects}
    lines = []
    for k in list(wanted) + [k for k in rendered if k not in wanted]:
        label = "/".join(x for x in k if x)
        if k not in rendered:
            lines.append(f"missing: {label} (in the manifests, not rendered by {spec})\n")
        elif k not in wanted:
            lines.append(f"extra: {label} (rendered by {spec}, not in the manifests)\n")
        else:
            a, b = compare.canonical(wanted[k]), compare.canonical(rendered[k])
            if a == b:
                continue
            lines.append(f"changed: {label}\n")
            if k[0] != "Secret":
                lines.extend(difflib.unified_diff(yamltext.document(a).splitlines(True), yamltext.document(b).splitlines(True), f"manifests/{label}", f"{spec}/{label}"))
    out.write("".join(lines))
    out.flush()
    if lines:
        err.write(f"k8sgen: {spec} does not render the same objects as the manifests\n")
        return EXIT_INVALID
    err.write(f"k8sgen: {spec} renders the same {len(wanted)} objects as the manifests (after defaulting)\n")
    return EXIT_OK
