"""Least privilege in RBAC: no wildcards, no cluster-wide power for broad subjects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import as_dict, as_list, namespace_of
from . import setindex
from .registry import Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

# Groups that contain many identities: every service account (of a namespace), every
# logged-in user, or anyone at all.
BROAD_GROUPS = ("system:serviceaccounts", "system:authenticated", "system:unauthenticated")


def _is_wildcard(field: str, value: object) -> bool:
    if value == "*":
        return True
    # "*/scale" is the scale subresource of every resource.
    return field == "resources" and isinstance(value, str) and value.startswith("*/")


@rule(
    "lint-rbac-wildcard",
    'Role and ClusterRole rules list verbs, resources and apiGroups instead of "*".',
    kinds=("Role", "ClusterRole"),
)
def rbac_wildcard(obj: dict, ctx: Context) -> Iterator[Finding]:
    if obj.get("aggregationRule"):  # rules are filled in by the controller
        return
    for i, r in enumerate(as_list(obj.get("rules"))):
        for field in ("apiGroups", "resources", "verbs", "nonResourceURLs"):
            for j, value in enumerate(as_list(as_dict(r).get(field))):
                if _is_wildcard(field, value):
                    yield (
                        ("rules", i, field, j),
                        f'rule grants "{value}" in {field}: every current and future one, including ones added later by CRDs',
                        f"list only the {field} the workload needs",
                    )


def _powerful_role(binding: dict, ctx: Context) -> str:
    """A description of the bound role when it grants (nearly) everything, else ""."""
    ref = as_dict(binding.get("roleRef"))
    kind, name = ref.get("kind"), ref.get("name")
    if kind == "ClusterRole" and name == "cluster-admin":
        return 'ClusterRole "cluster-admin"'
    if kind not in ("Role", "ClusterRole") or not isinstance(name, str):
        return ""
    key = (kind, namespace_of(binding) if kind == "Role" else "", name)
    if key in setindex.for_context(ctx).all_powerful_roles:
        return f'{kind} "{name}" (it has "*" in verbs or resources)'
    return ""


def _broad_subject(s: dict, binding_ns: str) -> str:
    kind, name = s.get("kind"), s.get("name")
    if not isinstance(name, str):
        return ""
    if kind == "ServiceAccount":
        ns = s.get("namespace") if isinstance(s.get("namespace"), str) and s.get("namespace") else binding_ns
        return f'ServiceAccount "{ns}/{name}"'
    if kind == "Group" and (name in BROAD_GROUPS or name.startswith("system:serviceaccounts:")):
        return f'group "{name}"'
    return ""


@rule(
    "lint-rbac-broad-binding",
    "cluster-admin (or a role with * verbs/resources) is not bound to service accounts or broad system groups.",
    kinds=("RoleBinding", "ClusterRoleBinding"),
)
def rbac_broad_binding(obj: dict, ctx: Context) -> Iterator[Finding]:
    role = _powerful_role(obj, ctx)
    if not role:
        return
    ns = namespace_of(obj)
    for i, s in enumerate(as_list(obj.get("subjects"))):
        who = _broad_subject(as_dict(s), ns)
        if who:
            yield (
                ("subjects", i),
                f"binds {role} to {who}: a stolen token of it controls the {'cluster' if obj.get('kind') == 'ClusterRoleBinding' else 'namespace'}",
                "bind a role that grants only the verbs and resources this subject needs",
            )
