"""Least privilege in RBAC: no wildcards, no cluster-wide power for broad subjects, and none of
the grants that lead to more (exec into pods always; Secrets, pod creation, bind/escalate and
cluster-admin under the `recommended` profile)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import as_dict, as_list, namespace_of
from . import setindex
from .registry import RECOMMENDED, Finding, rule

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


# --- what a role grants that leads to more ------------------------------------------------------

def _grants(obj: dict, resources: dict, verbs: frozenset) -> Iterator[tuple[int, str, str]]:
    """(rule index, resource, verb) for each rule granting one of `verbs` on one of `resources`
    (resource -> its API group); "*" verbs count, "*" resources are lint-rbac-wildcard's."""
    if obj.get("aggregationRule"):
        return
    for i, r in enumerate(as_list(obj.get("rules"))):
        r = as_dict(r)
        groups = {g for g in as_list(r.get("apiGroups")) if isinstance(g, str)}
        rule_verbs = {v for v in as_list(r.get("verbs")) if isinstance(v, str)}
        hit = sorted(rule_verbs & verbs) or (["*"] if "*" in rule_verbs else [])
        if not hit:
            continue
        for res in as_list(r.get("resources")):
            if isinstance(res, str) and res in resources and (resources[res] in groups or "*" in groups):
                yield i, res, hit[0]


_EXEC = {"pods/exec": "", "pods/attach": "", "pods/portforward": ""}
_SECRETS = {"secrets": ""}
_WORKLOADS = {"pods": "", "replicationcontrollers": "", "deployments": "apps", "statefulsets": "apps", "daemonsets": "apps",
              "replicasets": "apps", "jobs": "batch", "cronjobs": "batch"}
_RBAC = {"roles": "rbac.authorization.k8s.io", "clusterroles": "rbac.authorization.k8s.io",
         "users": "", "groups": "", "serviceaccounts": ""}


@rule("lint-rbac-pod-exec", "Roles do not grant exec, attach or port-forward into pods (a shell in any pod of the namespace).", kinds=("Role", "ClusterRole"))
def rbac_pod_exec(obj: dict, ctx: Context) -> Iterator[Finding]:
    # `get` counts: before Kubernetes 1.31 (KEP-4006) a websocket exec needed only get.
    for i, res, verb in _grants(obj, _EXEC, frozenset({"create", "get"})):
        yield ("rules", i), f'rule grants {verb} on {res}: a shell (or a tunnel) into every pod it covers, with their tokens and secrets', f"remove {res}; debug with a dedicated, short-lived role"


@rule("lint-rbac-secrets", "Roles do not read Secrets (get, list, watch): listing them hands out every credential in scope.", kinds=("Role", "ClusterRole"), level=RECOMMENDED)
def rbac_secrets(obj: dict, ctx: Context) -> Iterator[Finding]:
    for i, res, verb in _grants(obj, _SECRETS, frozenset({"get", "list", "watch"})):
        scope = "every namespace" if obj.get("kind") == "ClusterRole" else "the namespace"
        yield ("rules", i), f"rule grants {verb} on secrets in {scope}", "limit it with resourceNames, or mount the Secret the workload needs instead"


@rule("lint-rbac-pod-create", "Roles do not create pods or workloads: a new pod can mount any Secret and run as any ServiceAccount of its namespace.", kinds=("Role", "ClusterRole"), level=RECOMMENDED)
def rbac_pod_create(obj: dict, ctx: Context) -> Iterator[Finding]:
    for i, res, verb in _grants(obj, _WORKLOADS, frozenset({"create"})):
        yield ("rules", i), f"rule grants {verb} on {res}: it can run a pod with any ServiceAccount and Secret of the namespace", "grant create only to deployment tooling, never to a workload's own account"


@rule("lint-rbac-escalation", "Roles do not grant bind, escalate or impersonate, which bypass RBAC's own limits.", kinds=("Role", "ClusterRole"), level=RECOMMENDED)
def rbac_escalation(obj: dict, ctx: Context) -> Iterator[Finding]:
    for i, res, verb in _grants(obj, _RBAC, frozenset({"bind", "escalate", "impersonate"})):
        yield ("rules", i), f"rule grants {verb} on {res}: the holder can give itself permissions it does not have", f"remove {verb}"


@rule("lint-rbac-cluster-admin", "No binding grants cluster-admin.", kinds=("RoleBinding", "ClusterRoleBinding"), level=RECOMMENDED)
def rbac_cluster_admin(obj: dict, ctx: Context) -> Iterator[Finding]:
    ref = as_dict(obj.get("roleRef"))
    if ref.get("kind") == "ClusterRole" and ref.get("name") == "cluster-admin":
        ns = namespace_of(obj)
        if any(_broad_subject(as_dict(s), ns) for s in as_list(obj.get("subjects"))):
            return  # lint-rbac-broad-binding already reports it, on the subject
        yield ("roleRef", "name"), "binds cluster-admin: every permission on every resource", "bind a role that grants only what the subjects need"
