"""`k8sgen import`: Kubernetes manifests back to the shortest spec that renders the same objects.

    read manifests (read.py) -> per namespace: drop what the API server defaults anyway
    (compare.without_defaults) -> each kind group proposes spec entries (rbac, config, storage,
    workloads, services, pods: one module per kind group, mirroring k8sgen/normalize/) ->
    write the spec (spectext.py) -> render it with the real pipeline -> compare object by
    object after defaulting (compare.py)

An entry whose objects do not come back the same (or that the spec refuses) is dropped and its
objects are kept verbatim in `manifests:`; the round repeats until everything matches. So an
import is never lossy by construction: every object is either rendered back equal by a
shorthand, or written as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import compare, config, pods, rbac, services, spectext, storage, workloads
from .base import Entry, Group

# Proposal order: accounts take their roles, bindings and token Secrets first; ConfigMaps and
# Secrets fix their spec names before pods refer to them; workloads record their selectors
# before Services look for one (selectWorkload).
MODULES = (rbac, config, storage, workloads, services, pods)
SECTIONS = (
    "serviceAccounts", "roles", "bindings", "configMaps", "secrets", "persistentVolumeClaims", "persistentVolumes",
    "services", "deployments", "statefulSets", "daemonSets", "jobs", "cronJobs", "pods",
)


@dataclass
class Imported:
    """One spec: its text and how the input objects went into it."""

    namespace: str
    text: str
    shorthand: int = 0  # input objects an entry stands for
    verbatim: int = 0  # input objects kept under manifests:
    entries: list = field(default_factory=list)
    spec: dict = field(default_factory=dict)


def import_objects(objects: list, comments: dict | None = None, name: str = "<import>", split: bool = False) -> list:
    """Specs for `objects` (dicts, in input order). `comments`: object key -> comment lines
    that sat above it. Without `split`, one spec: the namespace with the most objects is the
    spec's, objects of other namespaces stay verbatim. With `split`, one spec per namespace
    (cluster-scoped objects go with the namespace whose account they serve, else the first)."""
    comments = comments or {}
    by_ns: dict = {}
    for o in objects:
        k = compare.key(o)
        if k[1]:
            by_ns.setdefault(k[1], []).append(k)
    order = sorted(by_ns, key=lambda n: (-len(by_ns[n]), n)) or ["default"]
    originals = {compare.key(o): o for o in objects}
    if not split:
        return [_import_group(order[0], list(originals), originals, {k for k in originals if k[1] not in ("", order[0])}, comments, name)]
    homes: dict = {n: [] for n in sorted(by_ns) or ["default"]}
    for k in originals:
        if k[1]:
            homes[k[1]].append(k)
        else:
            owner = next((n for n in sorted(homes, key=len, reverse=True) if k[2].startswith(n + "-")), None)
            homes[owner or order[0]].append(k)
    return [_import_group(n, keys, originals, set(), comments, name) for n, keys in homes.items()]


def _import_group(ns: str, keys: list, originals: dict, forced: set, comments: dict, name: str) -> Imported:
    from ..errors import K8sgenError
    from ..pipeline import parse_spec_text, render_specs

    mine = {k: originals[k] for k in keys}
    objects = {k: (o if k in forced else compare.without_defaults(o)) for k, o in mine.items()}
    forced = set(forced)
    solo: set = set()
    # Each failing round forces an object verbatim or unfolds an entry: at most two per object.
    for _ in range(2 * len(mine) + 2):
        g = Group(ns, objects, mine, forced, solo=solo)
        entries = []
        names: set = set()
        for m in MODULES:
            for e in m.propose(g):
                # A Role and a ClusterRole (or two hash-suffixed versions of a ConfigMap) may
                # want one entry name: the first keeps it, the other object stays verbatim.
                if (e.section, e.name) in names:
                    continue
                names.add((e.section, e.name))
                entries.append(e)
                g.taken.update(e.objects)
        spec, notes, verbatim = _spec(ns, entries, [k for k in mine if k not in g.taken], mine, comments)
        text = spectext.spec_text(spec, notes)
        if not entries:
            break
        bad: set = set()
        try:
            doc = parse_spec_text(text, name)
            result = render_specs([doc])
        except K8sgenError as e:
            bad = _blame(e.problems, entries, doc if "doc" in locals() else None) or {id(x) for x in entries}
        else:
            rendered = {}
            for r in result.objects:
                rendered[compare.key(r.obj)] = r
            by_key = {k: e for e in entries for k in e.objects}
            for k in mine:
                r = rendered.get(k)
                if r is None or compare.canonical(r.obj) != compare.canonical(mine[k]):
                    if k in by_key:
                        bad.add(id(by_key[k]))
            for k, r in rendered.items():
                if k not in mine and r.item is not None:
                    src = tuple(r.item.src[:2])
                    bad.update(id(e) for e in entries if (e.section, e.name) == src)
        if not bad:
            break
        for e in entries:
            if id(e) not in bad:
                continue
            if len(e.objects) > 1 and e.objects[0] not in solo:
                solo.add(e.objects[0])  # try it again without what it folded in
            else:
                forced.update(e.objects)
    else:  # pragma: no cover - each round forces at least one more object verbatim
        entries = []
        spec, notes, verbatim = _spec(ns, [], list(mine), mine, comments)
        text = spectext.spec_text(spec, notes)
    covered = sum(len(e.objects) for e in entries)
    return Imported(ns, text, covered, len(verbatim), entries, spec)


def _blame(problems: list, entries: list, doc) -> set:
    """The entries that the problems of a failed render point at."""
    out = set()
    spans = []
    if doc is not None:
        for e in entries:
            pos = doc.positions.keys.get((e.section, e.name))
            if pos:
                spans.append((pos[0], e))
        spans.sort(key=lambda x: x[0])
    for p in problems:
        path = tuple(p.path or ())
        hit = [e for e in entries if path[:2] == (e.section, e.name)]
        if not hit and p.pos is not None and spans:
            before = [e for line, e in spans if line <= p.pos.line]
            hit = before[-1:]
        out.update(id(e) for e in hit)
    return out


def _spec(ns: str, entries: list, rest: list, mine: dict, comments: dict) -> tuple:
    spec: dict = {}
    notes: dict = {}
    if ns != "default":
        spec["namespace"] = ns
    for section in SECTIONS:
        chosen = [e for e in entries if e.section == section]
        if chosen:
            spec[section] = {e.name: e.value for e in chosen}
            for e in chosen:
                note = comments.get(e.objects[0])
                if note:
                    notes[(section, e.name)] = note
    external: dict = {}
    for e in entries:
        for sec, names in e.external.items():
            for n in names:
                if n not in external.setdefault(sec, []):
                    external[sec].append(n)
    if external:
        spec["external"] = external
    verbatim = [mine[k] for k in rest]
    if verbatim:
        spec["manifests"] = verbatim
        for i, k in enumerate(rest):
            if comments.get(k):
                notes[("manifests", i)] = comments[k]
    return spec, notes, verbatim


__all__ = ["import_objects", "Imported", "Entry"]
