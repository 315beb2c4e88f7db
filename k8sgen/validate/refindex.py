"""The index of the cross-object checks: every lookup they make is a dictionary access.

Objects by (kind, namespace, name) and by kind, pods by namespace and by (label, value), the
directory each object came from, and the answers to selectors already asked. Building it is one
pass over the set; see references.py for what is looked up and why.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .pods import PodView, name_of, namespace_of, pod_view

# Kinds without a namespace; everything else is namespaced ("default" when unset).
CLUSTER_SCOPED = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass",
    "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "CSIDriver",
})


def api_group(obj: dict) -> str:
    av = obj.get("apiVersion")
    return av.split("/")[0] if isinstance(av, str) and "/" in av else ""


def scope_of(kind: str, obj: dict) -> str:
    return "" if kind in CLUSTER_SCOPED else namespace_of(obj)


def source_dir(m) -> str | None:
    """The directory of the file a manifest came from ("" for stdin), None when unknown."""
    file = source_file(m)
    if file is None:
        return None
    return os.path.dirname(file)


def source_file(m) -> str | None:
    try:
        pos = m.locate((), False)
    except Exception:  # a caller's locate that cannot answer for the root
        return None
    file = getattr(pos, "file", None)
    return file if isinstance(file, str) else None


@dataclass
class _Index:
    """The set, indexed the ways the checks look things up."""

    objects: dict = field(default_factory=dict)  # (kind, ns, name) -> first obj
    same_key: dict = field(default_factory=dict)  # (kind, ns, name) -> [obj, ...] when several
    by_kind: dict = field(default_factory=lambda: defaultdict(list))  # kind -> [(ns, name, obj)]
    dirs: dict = field(default_factory=dict)  # id(obj) -> source directory (or None)
    pods: list = field(default_factory=list)  # PodView for every pod and pod template
    pods_by_ns: dict = field(default_factory=lambda: defaultdict(list))
    external: dict = field(default_factory=dict)  # kind -> set of "ns/name" or "name"
    _labels: dict = field(default_factory=dict)  # id(PodView) -> its labels, computed once
    _by_label: dict = field(default_factory=dict)  # ns -> {(label, value): [PodView]}
    _selected: dict = field(default_factory=dict)  # (ns, selector items) -> [PodView]
    _named: dict = field(default_factory=dict)  # (ns, selector items, dir) -> named ports

    def has(self, kind: str, ns: str, name: str) -> bool:
        if (kind, ns, name) in self.objects:
            return True
        return external_has(self.external.get(kind) or (), "" if kind in CLUSTER_SCOPED else ns, name)

    def get(self, kind: str, ns: str, name: str, near: dict | None = None) -> dict | None:
        """The object of that kind and name; with `near`, preferably one from near's directory."""
        first = self.objects.get((kind, ns, name))
        if first is None or near is None:
            return first
        where = self.dirs.get(id(near))
        for obj in self.same_key.get((kind, ns, name), ()):
            if self.dirs.get(id(obj)) == where:
                return obj
        return first

    def dir_of(self, obj: dict):
        return self.dirs.get(id(obj))

    def pods_in(self, ns: str) -> list[PodView]:
        return self.pods_by_ns.get(ns, [])

    def pods_selected(self, ns: str, selector: dict) -> list[PodView]:
        """The pods of a namespace whose labels match a selector, in set order.

        Looked up through an index of (label, value) -> pods built once per namespace, so a set
        of S Services and P pods costs about S + P, not S x P (which was 2 million label
        comparisons for 1,000 apps). The candidates are still checked with `_selects`, so the
        answer is exactly the full scan's.
        """
        try:
            key = (ns, tuple(sorted(selector.items(), key=lambda kv: kv[0])))
            hit = self._selected.get(key)
        except TypeError:  # an unhashable selector value (a malformed object)
            key, hit = None, None
        if hit is None:
            hit = self._select(ns, selector)
            if key is not None:
                self._selected[key] = hit
        return hit

    def _select(self, ns: str, selector: dict) -> list[PodView]:
        pods = self.pods_in(ns)
        try:
            index = self._label_index(ns)
            lists = [index.get((k, v), ()) for k, v in selector.items()]
        except TypeError:  # an unhashable label or selector value (a malformed object)
            lists = [pods]
        if any(v is None for v in selector.values()):
            lists = [pods]  # `labels.get(k) == None` also holds for pods without the label
        candidates = min(lists, key=len) if lists else pods
        return [p for p in candidates if _selects(selector, self.labels(p))]

    def labels(self, pv: PodView) -> dict:
        key = id(pv)
        hit = self._labels.get(key)
        if hit is None:
            hit = self._labels[key] = pv.labels
        return hit

    def _label_index(self, ns: str) -> dict:
        index = self._by_label.get(ns)
        if index is None:
            index = self._by_label[ns] = defaultdict(list)
            for pv in self.pods_in(ns):
                for k, v in self.labels(pv).items():
                    try:
                        index[(k, v)].append(pv)
                    except TypeError:  # unhashable: equal to no hashable selector value
                        pass
        return index


def external_has(entries, ns: str, name: str) -> bool:
    """Whether `ns/name` (or `name` when cluster-scoped) is declared external.

    An entry without a namespace means "default"; entries may be globs (`prod/*`, `*/creds`).
    """
    want = f"{ns}/{name}" if ns else name
    for entry in entries:
        if not isinstance(entry, str):
            continue
        full = entry if (not ns or "/" in entry) else f"default/{entry}"
        if full == want or (("*" in full or "?" in full) and fnmatchcase(want, full)):
            return True
    return False


def _index(ctx) -> _Index:
    idx = _Index(external={k: set(v) for k, v in (ctx.external or {}).items()})
    for m in ctx.manifests:
        obj = m.obj
        if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
            continue
        kind = obj["kind"]
        key = (kind, scope_of(kind, obj), name_of(obj))
        idx.dirs[id(obj)] = source_dir(m)
        first = idx.objects.setdefault(key, obj)
        if first is not obj:
            idx.same_key.setdefault(key, [first]).append(obj)
        idx.by_kind[kind].append((key[1], key[2], obj))
        pv = pod_view(obj)
        if pv is not None:
            idx.pods.append(pv)
            idx.pods_by_ns[pv.namespace].append(pv)
    return idx


def _selects(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())
