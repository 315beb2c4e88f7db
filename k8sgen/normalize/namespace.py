"""`createNamespace`: the Namespace object of the spec's namespace, made too.

`namespace:` says where the spec's objects go; like `helm install --create-namespace`,
`createNamespace: true` (or a mapping of the Namespace's own labels and annotations) also makes
the Namespace itself, first, so `kubectl apply` creates it before what goes into it. The spec's
common labels and annotations are given to it as to every object. `default` always exists.
"""

from __future__ import annotations

from .base import DEFAULT_NAMESPACE, Context


def normalize(cx: Context) -> None:
    want = cx.spec.get("createNamespace")
    if not want:
        return
    src = ("createNamespace",)
    if cx.ns == DEFAULT_NAMESPACE:
        cx.error("createNamespace, but the spec's namespace is default, which always exists", src, "name the namespace (namespace: NAME), or remove createNamespace", rule="spec-namespace")
        return
    entry = want if isinstance(want, dict) else {}
    cx.add("Namespace", "v1", cx.ns, False, "namespace.yaml.j2", {}, src, entry)


__all__ = ["normalize"]
