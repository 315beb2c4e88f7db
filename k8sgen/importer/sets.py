"""Which objects go into one spec: variants of an app in several directories are several sets.

A repository may hold the same application more than once, side by side (envs/dev and
envs/prod, a provider variant per directory): the same kind, namespace and name in two
directories. `validate` takes those as variants, not duplicates (it counts duplicates per
directory), and so does import: every directory holding an object that another directory
holds too is a set of its own, written as its own spec(s) (`-o DIR/`: DIR/REL/NAMESPACE.k8sgen.yaml,
REL the directory relative to the input). All other objects stay together, the first set
(REL ""), as without variants; a variant directory that is the input directory itself joins it
(its objects collide with none of those). One spec (stdout, `-o FILE`, `--check`) cannot hold
two variants: commands/importer.py refuses that with a hint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import compare


@dataclass
class Set:
    directory: str  # relative to the input ("" for the input itself and objects without variants)
    objects: list = field(default_factory=list)
    comments: dict = field(default_factory=dict)  # key -> comment lines above the object


def partition(objects: list, sources: list, notes: list, roots: list) -> list:
    """The sets of `objects` (each read from the file `sources[i]`, with comment lines
    `notes[i]`): one set when no key is in two directories, else one per such directory plus
    one for the rest (first). `roots`: the input paths, to name directories relative to them."""
    dirs_of: dict = {}
    for o, src in zip(objects, sources):
        dirs_of.setdefault(compare.key(o), set()).add(os.path.dirname(src))
    variant_dirs = {d for ds in dirs_of.values() if len(ds) > 1 for d in ds}
    base = _base(roots)
    sets: dict = {}
    for o, src, note in zip(objects, sources, notes):
        d = os.path.dirname(src)
        rel = _relative(d, base) if d in variant_dirs else ""
        s = sets.setdefault(rel, Set(rel))
        s.objects.append(o)
        if note:
            s.comments[compare.key(o)] = note
    return [sets[r] for r in sorted(sets)]


def _base(roots: list) -> str:
    """The directory the input paths share (a FILE counts as its directory)."""
    dirs = [os.path.abspath(r if os.path.isdir(r) else os.path.dirname(r) or ".") for r in roots if r != "-"]
    if not dirs:
        return os.path.abspath(".")
    return os.path.commonpath(dirs)


def _relative(directory: str, base: str) -> str:
    rel = os.path.relpath(os.path.abspath(directory or "."), base)
    return "" if rel == "." else rel.replace(os.sep, "/")


__all__ = ["Set", "partition"]
