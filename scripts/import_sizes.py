#!/usr/bin/env python3
"""Measure `k8sgen import`: for each golden manifest file, its line count against the line
count of the spec that `k8sgen import` makes from it (which renders the same objects); for each
directory of the realistic corpus (tests/repos), the lines of the manifest files import reads
there against the lines of the specs `k8sgen import DIR -o OUT/` writes (one per namespace, and
one per variant directory), the header line k8sgen adds to each written file left out.

    python scripts/import_sizes.py            # the table docs/import.md shows

tests/test_import.py fails when docs/import.md holds other figures; rerun this script and paste
its output between the markers there (or run it with --write).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEGIN, END = "<!-- import-sizes:begin -->", "<!-- import-sizes:end -->"


def inputs() -> list:
    return (sorted((ROOT / "examples" / "golden").glob("*.yaml")) + sorted((ROOT / "tests" / "cases" / "valid").glob("*/expected.yaml"))
            + sorted((ROOT / "tests" / "import_cases").glob("*/input.yaml")))


# The realistic corpus, a directory as a team would import it (testdata/ is broken on purpose).
REPOS = ("book", "helm-mixed", "install-bundle", "kustomize-app", "mixed-yaml", "multi-env", "providers", "shop")


def _repo(directory: Path) -> tuple:
    """(objects, verbatim, manifest lines, spec lines) of importing `directory` as -o OUT/ does."""
    from k8sgen.importer import import_objects
    from k8sgen.importer.read import read
    from k8sgen.importer.sets import partition

    from k8sgen.importer.server import strip

    got = read([str(directory)])
    got.objects, _, _ = strip(got.objects)
    if [p for p in got.problems if p.is_error]:
        raise SystemExit(f"{directory}: the corpus must import without errors: {got.problems[0]}")
    specs = [r for s in partition(got.objects, got.sources, got.notes, [str(directory)]) for r in import_objects(s.objects, s.comments, split=True)]
    manifest = sum(_lines(Path(f).read_text(encoding="utf-8")) for f in got.files)
    return len(got.objects), sum(r.verbatim for r in specs), manifest, sum(_lines(r.text) for r in specs)


def _lines(text: str) -> int:
    return len(text.splitlines())


def table() -> str:
    import yaml

    from k8sgen.importer import import_objects
    from k8sgen.importer.server import strip

    rows = ["| manifests | objects | verbatim | manifest lines | spec lines | shorter |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    totals = {}
    for path in inputs():
        text = path.read_text(encoding="utf-8")
        objects, _, _ = strip([o for o in yaml.safe_load_all(text) if o])  # as the command does
        [spec] = import_objects(objects)
        group = path.relative_to(ROOT).parts[0] + "/" + path.relative_to(ROOT).parts[1]
        m, s = _lines(text), _lines(spec.text)
        t = totals.setdefault(group, [0, 0, 0, 0])
        t[0] += len(objects)
        t[1] += spec.verbatim
        t[2] += m
        t[3] += s
        rows.append(f"| `{path.relative_to(ROOT)}` | {len(objects)} | {spec.verbatim} | {m} | {s} | {m / s:.1f}× |")
    for name in REPOS:
        directory = ROOT / "tests" / "repos" / name
        n, v, m, s = _repo(directory)
        t = totals.setdefault("tests/repos", [0, 0, 0, 0])
        for i, x in enumerate((n, v, m, s)):
            t[i] += x
        rows.append(f"| `{directory.relative_to(ROOT)}/` | {n} | {v} | {m} | {s} | {m / s:.1f}× |")
    for group, (n, v, m, s) in totals.items():
        rows.append(f"| **all of `{group}/`** | {n} | {v} | {m} | {s} | **{m / s:.1f}×** |")
    return "\n".join(rows) + "\n"


def main(argv: list) -> int:
    text = table()
    if "--write" in argv:
        doc = ROOT / "docs" / "import.md"
        body = doc.read_text(encoding="utf-8")
        head, _, rest = body.partition(BEGIN)
        _, _, tail = rest.partition(END)
        doc.write_text(head + BEGIN + "\n" + text + END + tail, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
