"""What the per-kind importers share: the objects of one namespace, proposed entries, metadata.

An importer module looks at the objects of one namespace (`Group`) and proposes spec entries
(`Entry`), each naming the input objects it stands for. It never has to be sure: the entries
are rendered and compared object by object (importer/__init__.py), and an entry whose objects
do not come back the same is dropped, its objects kept verbatim. A module raises `Unsupported`
(caught per object) for anything it knows the spec cannot say.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Unsupported(Exception):
    """This object (or field) has no shorthand: keep the object verbatim."""


# What a proposal may run into on an object of unexpected shape (kinds without a vendored schema
# are not checked before): the object simply stays verbatim, which is never wrong.
CANNOT = (Unsupported, KeyError, TypeError, AttributeError, ValueError, IndexError)


@dataclass
class Entry:
    section: str  # top-level spec key: "pods", "services", ...
    name: str
    value: dict
    objects: list  # keys (kind, namespace, name) of the input objects this entry stands for
    external: dict = field(default_factory=dict)  # external section -> names this entry needs


@dataclass
class Group:
    """The objects of one namespace (and the cluster-scoped ones that go with it)."""

    namespace: str
    objects: dict  # key -> object (after without_defaults), in input order
    originals: dict  # key -> object as read
    forced: set = field(default_factory=set)  # keys that stay verbatim (an earlier round failed)
    taken: set = field(default_factory=set)  # keys an entry of this round already stands for
    # keys whose entry failed with other objects folded in: next round, propose them alone
    solo: set = field(default_factory=set)
    # kind -> final name -> name in the spec (a hash-suffixed ConfigMap or Secret)
    renamed: dict = field(default_factory=dict)
    # workload entry name -> selector labels, for Services (selectWorkload)
    selectors: dict = field(default_factory=dict)

    def free(self, kind: str) -> list:
        """(key, object) of `kind` that no entry stands for yet and that may become one."""
        return [(k, o) for k, o in self.objects.items() if k[0] == kind and k not in self.forced and k not in self.taken]

    def get(self, kind: str, name: str, cluster: bool = False):
        k = (kind, "" if cluster else self.namespace, name)
        if k in self.forced or k in self.taken:
            return None
        o = self.objects.get(k)
        return (k, o) if o is not None else None

    def spec_name(self, kind: str, name: str) -> str:
        return self.renamed.get(kind, {}).get(name, name)


def metadata(obj: dict, entry: dict) -> None:
    """Put the object's labels and annotations into `entry`; anything else in metadata (owner
    references, finalizers, a uid) has no shorthand."""
    meta = dict(obj.get("metadata") or {})
    for k in ("name", "namespace"):
        meta.pop(k, None)
    labels = meta.pop("labels", None) or {}
    annotations = meta.pop("annotations", None) or {}
    if meta:
        raise Unsupported(f"metadata.{sorted(meta)[0]}")
    if labels:
        entry["labels"] = dict(labels)
    if annotations:
        entry["annotations"] = dict(annotations)


def only(d: dict, allowed, where: str) -> None:
    extra = [k for k in d if k not in allowed]
    if extra:
        raise Unsupported(f"{where}.{extra[0]}")


def mode(v):
    """A file mode as people write it: octal text."""
    return f"0{v:o}" if isinstance(v, int) and 0 <= v <= 0o777 else v
