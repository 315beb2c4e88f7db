"""What lint rules need to know about the rest of the set, computed once per validation run.

Lint runs once per object; looking the other objects up by scanning `ctx.manifests` each time
made a 5,000-object run quadratic (seconds). The index is cached for the Context it was built
from, so every object of one run shares it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..pods import as_dict, as_list, name_of, namespace_of

if TYPE_CHECKING:  # for annotations only
    from .. import Context

NAMESPACE_LABEL = "pod-security.kubernetes.io/enforce"
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "DaemonSet", "Job", "CronJob")


@dataclass
class SetIndex:
    namespace_profiles: dict = field(default_factory=dict)  # namespace -> enforce label value
    sa_automount: dict = field(default_factory=dict)  # (ns, name) -> automountServiceAccountToken
    bound_sas: set = field(default_factory=set)  # (ns, name) of ServiceAccount subjects
    bound_sa_namespaces: set = field(default_factory=set)  # namespaces whose every SA is bound; "*" = all
    all_powerful_roles: set = field(default_factory=set)  # ("Role", ns, name) / ("ClusterRole", "", name)
    pdb_selectors: dict = field(default_factory=dict)  # ns -> [spec.selector of each PodDisruptionBudget]
    hpa_targets: dict = field(default_factory=dict)  # (ns, kind, name) of an autoscaler's target -> its minReplicas
    workloads: dict = field(default_factory=dict)  # (ns, kind, name) -> object, for kinds with a pod template


def grants_everything(role: dict) -> bool:
    for r in as_list(role.get("rules")):
        r = as_dict(r)
        if "*" in as_list(r.get("verbs")) or "*" in as_list(r.get("resources")):
            return True
    return False


def build(manifests: list) -> SetIndex:
    idx = SetIndex()
    for m in manifests:
        o = m.obj
        if not isinstance(o, dict):
            continue
        kind = o.get("kind")
        if kind == "Namespace":
            value = as_dict(as_dict(o.get("metadata")).get("labels")).get(NAMESPACE_LABEL)
            idx.namespace_profiles.setdefault(name_of(o), value)
        elif kind == "ServiceAccount":
            idx.sa_automount.setdefault((namespace_of(o), name_of(o)), o.get("automountServiceAccountToken"))
        elif kind in ("Role", "ClusterRole") and grants_everything(o):
            idx.all_powerful_roles.add((kind, namespace_of(o) if kind == "Role" else "", name_of(o)))
        elif kind == "PodDisruptionBudget":
            idx.pdb_selectors.setdefault(namespace_of(o), []).append(as_dict(as_dict(o.get("spec")).get("selector")))
        elif kind == "HorizontalPodAutoscaler":
            ref = as_dict(as_dict(o.get("spec")).get("scaleTargetRef"))
            if isinstance(ref.get("kind"), str) and isinstance(ref.get("name"), str):
                low = as_dict(o.get("spec")).get("minReplicas", 1)
                idx.hpa_targets.setdefault((namespace_of(o), ref["kind"], ref["name"]), low if isinstance(low, int) and not isinstance(low, bool) else 1)
        elif kind in WORKLOAD_KINDS:
            idx.workloads.setdefault((namespace_of(o), kind, name_of(o)), o)
        if kind in ("RoleBinding", "ClusterRoleBinding"):
            for s in as_list(o.get("subjects")):
                s = as_dict(s)
                name = s.get("name")
                if s.get("kind") == "ServiceAccount" and isinstance(name, str):
                    ns = s.get("namespace") if isinstance(s.get("namespace"), str) and s.get("namespace") else namespace_of(o)
                    idx.bound_sas.add((ns, name))
                elif s.get("kind") == "Group" and name == "system:serviceaccounts":
                    idx.bound_sa_namespaces.add("*")
                elif s.get("kind") == "Group" and isinstance(name, str) and name.startswith("system:serviceaccounts:"):
                    idx.bound_sa_namespaces.add(name.split(":", 2)[2])
    return idx


_cache: tuple = (None, -1, SetIndex())


def for_context(ctx: Context) -> SetIndex:
    global _cache
    manifests = getattr(ctx, "manifests", None) or []
    if _cache[0] is not manifests or _cache[1] != len(manifests):
        _cache = (manifests, len(manifests), build(manifests))
    return _cache[2]
