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

from .base import Context

SECTIONS = ("pods", "deployments", "statefulSets", "daemonSets", "jobs", "services")


def normalize(cx: Context) -> None:
    if not any(isinstance(e, dict) and "like" in e for s in SECTIONS for e in (cx.spec.get(s) or {}).values()):
        return
    spec = dict(cx.spec)
    for section in SECTIONS:
        entries = spec.get(section)
        if not entries:
            continue
        done: dict = {}
        for name in entries:
            _resolve(cx, section, entries, name, done, ())
        spec[section] = {n: done[n] for n in entries if done.get(n) is not None}
    cx.spec = spec


def _resolve(cx: Context, section: str, entries: dict, name: str, done: dict, chain: tuple):
    if name in done:
        return done[name]
    entry = entries[name]
    base_name = entry.get("like") if isinstance(entry, dict) else None
    if base_name is None:
        done[name] = entry
        return entry
    where = (section, name, "like")
    if base_name in chain + (name,):
        cx.error(f"like: {base_name!r} comes back to {name!r} ({' -> '.join(chain + (name, base_name))})", where, "an entry cannot start from itself, directly or through others", rule="spec-like")
        done[name] = None
        return None
    if base_name not in entries:
        known = ", ".join(sorted(n for n in entries if n != name)) or "none"
        cx.error(f"like: {base_name!r} is not an entry of {section}", where, f"entries of {section}: {known}", rule="spec-like")
        done[name] = None
        return None
    base = _resolve(cx, section, entries, base_name, done, chain + (name,))
    if base is None:
        done[name] = None  # the base's own problem is reported already
        return None
    merged = _merge({k: v for k, v in base.items() if k != "like"}, {k: v for k, v in entry.items() if k != "like"})
    done[name] = merged
    return merged


def _merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return over  # lists and values: replaced whole


__all__ = ["normalize", "SECTIONS"]
