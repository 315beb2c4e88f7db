"""From a schema-valid spec to one render context per Kubernetes object.

One module per kind or API group, like validate/rules/: `config` (ConfigMaps, Secrets),
`storage` (PersistentVolumes and claims), `rbac` (ServiceAccounts, roles, bindings), `pods`
(Pods and the pod spec every workload shares), `workloads` (Deployments, StatefulSets,
DaemonSets, Jobs, CronJobs), `services` (Services, Endpoints, EndpointSlices) and `passthrough`
(`manifests:`, raw objects emitted as they are), after `like` (entries that start from another
entry of their section are made whole first) and `namespace` (the Namespace itself, first in
apply order, when the spec says createNamespace). They run in
that order because later kinds refer to earlier ones: a pod to the final (hash-suffixed) name of
a ConfigMap, a Service to the selector of the workload it names.
"""

from __future__ import annotations

from ..errors import SpecError
from ..source import Document
from . import config, like, namespace, passthrough, pods, rbac, services, storage, workloads
from .base import DEFAULT_NAMESPACE, Context, Item, Normalized

STAGES = (like, namespace, config, storage, rbac, pods, workloads, services, passthrough)


def normalize(doc: Document) -> Normalized:
    cx = Context(doc)
    for stage in STAGES:
        stage.normalize(cx)
    errors = [p for p in cx.problems if p.is_error]
    if errors:
        raise SpecError(cx.problems)
    return Normalized(cx.items, _external(cx.spec, cx.ns), doc, [p for p in cx.problems if not p.is_error])


def _external(spec: dict, ns: str) -> dict:
    ext = spec.get("external", {})
    kinds = {
        "serviceAccounts": "ServiceAccount", "roles": "Role", "clusterRoles": "ClusterRole", "configMaps": "ConfigMap",
        "secrets": "Secret", "persistentVolumeClaims": "PersistentVolumeClaim", "services": "Service",
    }
    out: dict = {}
    for key, kind in kinds.items():
        for n in ext.get(key, []):
            # Namespaced names may say their namespace (`monitoring/prometheus`).
            out.setdefault(kind, set()).add(n if kind == "ClusterRole" or "/" in n else f"{ns}/{n}")
    return out


__all__ = ["normalize", "Normalized", "Item", "Context", "DEFAULT_NAMESPACE"]
