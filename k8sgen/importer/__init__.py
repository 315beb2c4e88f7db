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

from . import compare, config, namespace, pods, rbac, services, spectext, storage, workloads
from .base import Entry, Group

# Proposal order: accounts take their roles, bindings and token Secrets first; ConfigMaps and
# Secrets fix their spec names before pods refer to them; workloads record their selectors
# before Services look for one (selectWorkload).
MODULES = (namespace, rbac, config, storage, workloads, services, pods)
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
        elif k[0] == "Namespace" and k[2] in homes:
            homes[k[2]].append(k)  # the Namespace of the objects in it
        else:
            owner = next((n for n in sorted(homes, key=len, reverse=True) if k[2].startswith(n + "-")), None)
            homes[owner or order[0]].append(k)
    return [_import_group(n, keys, originals, set(), comments, name) for n, keys in homes.items()]


def _import_group(ns: str, keys: list, originals: dict, forced: set, comments: dict, name: str) -> Imported:
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
        bad = _verify(entries, text, mine, name)
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
    if entries:
        rest = [k for k in mine if k not in g.taken]
        spec, text = _common_metadata(ns, entries, rest, mine, comments, name, text) or (spec, text)
        top = {k: spec[k] for k in ("labels", "annotations") if k in spec}
        spec, text = _alike(ns, entries, rest, mine, comments, name, text, top) or (spec, text)
    covered = sum(len(e.objects) for e in entries)
    return Imported(ns, text, covered, len(verbatim), entries, spec)


def _verify(entries: list, text: str, mine: dict, name: str) -> set:
    """Render the spec `text`; the ids of the entries whose objects do not come back the same
    (or that the spec refuses, or that make objects the input does not have)."""
    from ..errors import K8sgenError
    from ..pipeline import parse_spec_text, render_specs

    doc = None
    try:
        doc = parse_spec_text(text, name)
        result = render_specs([doc])
    except K8sgenError as e:
        return _blame(e.problems, entries, doc) or {id(x) for x in entries}
    bad: set = set()
    rendered = {compare.key(r.obj): r for r in result.objects}
    by_key = {k: e for e in entries for k in e.objects}
    for k in mine:
        r = rendered.get(k)
        if (r is None or compare.canonical(r.obj) != compare.canonical(mine[k])) and k in by_key:
            bad.add(id(by_key[k]))
    for k, r in rendered.items():
        if k not in mine and r.item is not None:
            src = tuple(r.item.src[:2])
            bad.update(id(e) for e in entries if (e.section, e.name) == src)
    return bad


def _common_metadata(ns: str, entries: list, rest: list, mine: dict, comments: dict, name: str, before: str):
    """Labels and annotations every entry carries, said once at the top of the spec (k8sgen
    gives them to every object an entry makes, pod templates too, never to selectors or to
    `manifests:`). Kept only if the text gets shorter (lines, then characters) and the spec still renders the same objects;
    else None."""
    import copy

    if len(entries) < 2:
        return None
    top: dict = {}
    for key_name in ("labels", "annotations"):
        shared = None
        for e in entries:
            mine_ = e.value.get(key_name) or {}
            shared = dict(mine_) if shared is None else {k: v for k, v in shared.items() if mine_.get(k) == v}
        if shared:
            top[key_name] = shared
    if not top:
        return None
    factored = []
    for e in entries:
        value = copy.deepcopy(e.value)
        for key_name, shared in top.items():
            left = {k: v for k, v in (value.get(key_name) or {}).items() if k not in shared}
            if left:
                value[key_name] = left
            else:
                value.pop(key_name, None)
        if e.section in _WORKLOADS:
            if not value.get("labels"):
                return None  # k8sgen would label it app.kubernetes.io/name instead
            if value.get("selector") == value["labels"]:
                del value["selector"]  # the selector is the workload's own labels again
        factored.append(Entry(e.section, e.name, value, e.objects, e.external))
    spec, notes, _ = _spec(ns, factored, rest, mine, comments)
    spec = {**({"namespace": spec.pop("namespace")} if "namespace" in spec else {}), **top, **spec}
    text = spectext.spec_text(spec, notes)
    if (len(text.splitlines()), len(text)) >= (len(before.splitlines()), len(before)) or _verify(factored, text, mine, name):
        return None
    entries[:] = factored
    return spec, text


_WORKLOADS = ("deployments", "statefulSets", "daemonSets", "jobs", "cronJobs")


def _alike(ns: str, entries: list, rest: list, mine: dict, comments: dict, name: str, before: str, top: dict):
    """Entries that differ from an earlier entry of their section in a few fields, written as
    `like: EARLIER` and those fields (normalize/like.py). Only an entry that gets shorter, and
    only bases that do not use like themselves; kept if the spec still renders the same
    objects (entries that do not are written whole again); else None."""
    from ..normalize.like import SECTIONS

    changed: dict = {}  # index -> the entry written with like
    for i, e in enumerate(entries):
        if e.section not in SECTIONS:
            continue
        best = None
        for j, b in enumerate(entries[:i]):
            if b.section != e.section or j in changed or b.name == e.name:
                continue
            d = _difference(b.value, e.value)
            if d is None:
                continue
            value = {"like": b.name, **d}
            size = _entry_lines(e.name, value)
            if best is None or size < best[0]:
                best = (size, value, b)
        if best is not None and best[0] < _entry_lines(e.name, e.value):
            # Entries are visited in order and a base is an earlier entry left whole, so no
            # base uses like itself.
            changed[i] = Entry(e.section, e.name, best[1], e.objects, e.external)
    for _ in range(2):
        if not changed:
            return None
        trial = [changed.get(i, e) for i, e in enumerate(entries)]
        spec, notes, _ = _spec(ns, trial, rest, mine, comments)
        spec = {**({"namespace": spec.pop("namespace")} if "namespace" in spec else {}), **top, **spec}
        text = spectext.spec_text(spec, notes)
        bad = _verify(trial, text, mine, name)
        if not bad:
            if len(text.splitlines()) >= len(before.splitlines()):
                return None
            entries[:] = trial
            return spec, text
        # Write whole again what did not come back the same, and what starts from it.
        names = {(e.section, e.name) for e in trial if id(e) in bad}
        changed = {i: e for i, e in changed.items() if id(e) not in bad and (e.section, e.value["like"]) not in names}
    return None


def _difference(base: dict, entry: dict):
    """What `entry` says on top of `base` (like's merge: mappings key by key, the rest
    replaced), or None when it cannot: like cannot take away a key the base has."""
    out: dict = {}
    for k in base:
        if k not in entry:
            return None
    for k, v in entry.items():
        b = base[k] if k in base else None
        if k not in base:
            out[k] = v
        elif b == v:
            continue
        elif isinstance(v, dict) and isinstance(b, dict):
            sub = _difference(b, v)
            if sub is None:
                return None
            out[k] = sub
        elif isinstance(v, dict) or isinstance(b, dict):
            return None  # a mapping would merge into the other value's place wrongly
        else:
            out[k] = v
    return out


def _entry_lines(name: str, value: dict) -> int:
    return len(spectext.mapping({name: value}, 2).splitlines())


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
    for e in entries:
        if e.section == namespace.SECTION:  # a top-level setting, not a section of entries
            spec[e.section] = e.value or True
            if comments.get(e.objects[0]):
                notes[(e.section, "")] = comments[e.objects[0]]
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
