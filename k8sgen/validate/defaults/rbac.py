"""rbac.authorization.k8s.io/v1 defaulting (`pkg/apis/rbac/v1/defaults.go`): a binding's
roleRef.apiGroup, and the apiGroup of User and Group subjects."""

from __future__ import annotations

from .util import default, items, mapping

GROUP = "rbac.authorization.k8s.io"


def binding(obj: dict) -> None:
    ref = mapping(obj, "roleRef")
    if ref is not None:
        default(ref, "apiGroup", GROUP)
    for s in items(obj, "subjects"):
        if s.get("kind") in ("User", "Group"):
            default(s, "apiGroup", GROUP)


DEFAULTERS = {
    (f"{GROUP}/v1", "RoleBinding"): binding,
    (f"{GROUP}/v1", "ClusterRoleBinding"): binding,
}
