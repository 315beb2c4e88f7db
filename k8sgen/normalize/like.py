"""`like: OTHER`: an entry that starts from another entry of its section.

Applications often run several nearly identical workloads (one Deployment per microservice,
with the same probes, resources and security settings). `like: cart` makes an entry start from
the entry `cart` of the same section, with its own fields on top: mappings merge key by key at
every depth, lists and values are replaced whole (the rule of `render -f base -f layer`).
The base may itself say `like`; a cycle, or a base that is not there, is an error. Runs before
every other stage, so each stage sees whole entries.

Sections: pods, the workloads but CronJobs (the schema requires a CronJob's schedule on the
entry itself), and services.
"""

from __future__ import annotations

from ..yamlio import MAX_ALIAS_CHARS
from .base import Context

SECTIONS = ("pods", "deployments", "statefulSets", "daemonSets", "jobs", "services")
# A spec is untrusted: like repeats an entry as an alias does, so what it repeats is capped
# like what aliases repeat (yamlio), or a few short lines could make gigabytes of objects.
MAX_CHARS = MAX_ALIAS_CHARS


def normalize(cx: Context) -> None:
    if not any(isinstance(e, dict) and "like" in e for s in SECTIONS for e in (cx.spec.get(s) or {}).values()):
        return
    spec = dict(cx.spec)
    sizes: dict = {}
    total = 0
    for section in SECTIONS:
        entries = spec.get(section)
        if not entries:
            continue
        done: dict = {}
        for name in entries:
            whole = _resolve(cx, section, entries, name, done)
            if whole is not None and whole is not entries[name]:
                total += _size(whole, sizes)
                if total > MAX_CHARS:
                    cx.error(f"like repeats more than {MAX_CHARS // (1024 * 1024)} MiB of entries in all", (section, name, "like"),
                             "write the entries out, or split the spec", rule="spec-like")
                    # The error stops the render; the entries without like are still checked.
                    cx.spec = {**cx.spec, **{s: {n: e for n, e in (cx.spec.get(s) or {}).items() if not (isinstance(e, dict) and "like" in e)} for s in SECTIONS if s in cx.spec}}
                    return
        spec[section] = {n: done[n] for n in entries if done.get(n) is not None}
    cx.spec = spec


def _size(v, sizes: dict) -> int:
    """About the characters of `v` as text (keys and scalars, and one per node); the subtrees
    entries share are measured once (`sizes`, by identity) but counted for each entry."""
    known = sizes.get(id(v))
    if known is not None:
        return known
    if isinstance(v, dict):
        n = 1 + sum(len(str(k)) + _size(x, sizes) for k, x in v.items())
    elif isinstance(v, list):
        n = 1 + sum(_size(x, sizes) for x in v)
    else:
        return len(str(v)) + 1
    sizes[id(v)] = n
    return n


def _resolve(cx: Context, section: str, entries: dict, name: str, done: dict):
    """The whole entry `name` (None after a problem). The chain of bases is followed in a loop,
    not by recursion: a spec is untrusted, and a chain may be as long as the section."""
    path: list = []  # entries waiting for their base, innermost last
    seen: set = set()
    current = name
    while current not in done:
        entry = entries[current]
        base_name = entry.get("like") if isinstance(entry, dict) else None
        if base_name is None:
            done[current] = entry
            break
        where = (section, current, "like")
        if base_name in seen or base_name == current:
            cycle = path[path.index(base_name):] + [current, base_name] if base_name in path else [current, base_name]
            cx.error(f"like: {base_name!r} comes back to {current!r} ({' -> '.join(cycle)})", where, "an entry cannot start from itself, directly or through others", rule="spec-like")
            done[current] = None
            break
        if base_name not in entries:
            known = ", ".join(sorted(n for n in entries if n != current)) or "none"
            cx.error(f"like: {base_name!r} is not an entry of {section}", where, f"entries of {section}: {known}", rule="spec-like")
            done[current] = None
            break
        path.append(current)
        seen.add(current)
        current = base_name
    for n in reversed(path):  # from the base outwards
        if n in done:
            continue
        base = done[entries[n]["like"]]
        if base is None:
            done[n] = None  # its base's problem is reported already
            continue
        done[n] = _merge({k: v for k, v in base.items() if k != "like"}, {k: v for k, v in entries[n].items() if k != "like"})
    return done[name]


def _merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return over  # lists and values: replaced whole


__all__ = ["normalize", "SECTIONS"]
