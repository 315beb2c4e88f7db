"""What every kind's normalization shares: the render item, the problem collector, common metadata.

All defaults and derived values live in this package, nowhere else: templates only lay out what it
decided. Each `Item` also records `origins`, a map from a Kubernetes field path prefix to the spec
path that produced it, so a problem found in the rendered object points at the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem
from ..source import Document

DEFAULT_NAMESPACE = "default"
_OCTAL = re.compile(r"0?[0-7]{1,4}\Z")


@dataclass
class Item:
    """One Kubernetes object to render."""

    kind: str
    api_version: str
    name: str
    namespace: str | None
    template: str
    ctx: dict
    src: tuple
    doc: Document
    origins: dict = field(default_factory=dict)
    ignore: frozenset = frozenset()
    # A Secret: its values must never be shown in a message (pipeline._redact_secrets).
    secret: bool = False

    def locate(self, path: tuple, key: bool = False):
        path = tuple(path)
        if path and path[-1] == "name":
            # Names come from the spec's mapping keys (`pods: {web: ...}`): point at the key.
            spec = self.origins.get(path[:-1])
            if spec is not None and not self.doc.positions.has(spec + ("name",)):
                return self.doc.locate(spec, True)
        for n in range(len(path), -1, -1):
            spec = self.origins.get(path[:n])
            if spec is not None:
                return self.doc.locate(spec + path[n:], key and n == len(path) - 1)
        return self.doc.locate(self.src, False)


@dataclass
class Normalized:
    items: list
    external: dict
    doc: Document
    warnings: list = field(default_factory=list)  # Problems that do not stop rendering


class Context:
    """One spec being normalized: its namespace and common metadata, the items made so far,
    the problems found, and what later kinds need to know about earlier ones (final names of
    ConfigMaps and Secrets, workloads a Service may select)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.spec: dict = doc.data
        self.problems: list[Problem] = []
        self.ns: str = self.spec.get("namespace", DEFAULT_NAMESPACE)
        self.labels = dict(self.spec.get("labels", {}))
        self.annotations = dict(self.spec.get("annotations", {}))
        self.items: list[Item] = []
        # kind -> spec name -> the object's final name (a content-hash suffix may change it).
        self.names: dict[str, dict[str, str]] = {}
        # workload name -> (kind, selector labels, spec path)
        self.workloads: dict[str, tuple] = {}

    def error(self, message: str, path: tuple, hint: str = "", rule: str = "spec-value", key: bool = False) -> None:
        self.problems.append(Problem(message=message, rule=rule, pos=self.doc.locate(path, key), path=path, hint=hint))

    def warn(self, message: str, path: tuple, hint: str = "", rule: str = "spec-value", key: bool = False) -> None:
        self.problems.append(Problem(message=message, rule=rule, pos=self.doc.locate(path, key), path=path, hint=hint, severity="warning"))

    def meta(self, entry: dict) -> tuple[dict, dict]:
        return {**self.labels, **entry.get("labels", {})}, {**self.annotations, **entry.get("annotations", {})}

    def add(self, kind, api, name, namespaced, template, ctx, src, entry, origins=None, secret=False) -> Item:
        labels, ann = self.meta(entry)
        ns = self.ns if namespaced else None
        ctx = {"name": name, "namespace": ns, "labels": labels, "annotations": ann, **ctx}
        o = {(): src, ("metadata",): src, ("metadata", "labels"): src + ("labels",), ("metadata", "annotations"): src + ("annotations",)}
        o.update(origins or {})
        ign = frozenset(entry.get("ignore", ()))
        item = Item(kind, api, name, ns, template, ctx, src, self.doc, o, ign, secret)
        self.items.append(item)
        return item

    def final_name(self, kind: str, name: str) -> str:
        """The name an object of the spec ends up with (hash suffix included); others unchanged."""
        return self.names.get(kind, {}).get(name, name)


def mode(cx: Context, v, path: tuple) -> int:
    """File modes: octal text ("0644") as people write them, or a decimal number."""
    if isinstance(v, int):
        return v
    if not _OCTAL.match(v):
        cx.error(f"{v!r} is not an octal file mode", path, "write it like \"0644\"", rule="spec-mode")
        return 0
    return int(v, 8)
