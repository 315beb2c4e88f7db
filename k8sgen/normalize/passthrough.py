"""`manifests:`, the pass-through section: Kubernetes objects kept as they are.

What the spec has no shorthand for (an Ingress, a NetworkPolicy, a custom resource, or a field
of a known kind that no entry spells) is written here in Kubernetes' own form, so a spec can
hold an application whole and `k8sgen import` never loses anything. Each object is validated
like every rendered object and emitted unchanged: no common labels or annotations, no
namespace added (an object without one lands where `kubectl apply` puts it). Only the layout
is k8sgen's: apiVersion, kind and metadata first, then the other fields, keys sorted, every
value written by yamltext, so the output is deterministic and no value can inject structure.
"""

from __future__ import annotations

from .. import yamltext
from .base import Context, Item

TEMPLATE = "manifest.yaml.j2"
_HEAD = ("apiVersion", "kind", "metadata")


def normalize(cx: Context) -> None:
    from ..validate import ignored_rules

    for i, obj in enumerate(cx.spec.get("manifests", [])):
        src = ("manifests", i)
        meta = obj.get("metadata") or {}
        # Keys are written into the template as text, so they are made safe YAML keys here.
        fields = [(yamltext.key(k), obj[k]) for k in sorted(obj, key=str) if k not in _HEAD]
        ctx = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": meta, "fields": fields}
        kind = obj["kind"]
        # A generateName object has no name yet: it is never a duplicate of another one.
        name = meta.get("name") if "name" in meta or "generateName" not in meta else f"{meta['generateName']}<generated {i}>"
        # Positions: every field path of the object is the same path under manifests[i].
        item = Item(kind, obj["apiVersion"], name or "", meta.get("namespace"), TEMPLATE, ctx, src, cx.doc,
                    {(): src}, ignored_rules(obj), kind == "Secret")
        cx.items.append(item)


__all__ = ["normalize", "TEMPLATE"]
