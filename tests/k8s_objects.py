"""Small builders for Kubernetes objects used by the cross-object and lint tests."""

from __future__ import annotations


def _meta(name, ns=None, labels=None, annotations=None):
    meta = {"name": name}
    if ns:
        meta["namespace"] = ns
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


def ctr(name="app", image="nginx:1.27.3", ports=(), limits=None, **kw):
    c = {"name": name, "image": image, **kw}
    if ports:
        c["ports"] = [dict(p) for p in ports]
    c["resources"] = {"limits": dict(limits or {"memory": "128Mi"})}
    return c


def pod(name="web", labels=None, ns=None, containers=None, annotations=None, **spec):
    spec.setdefault("automountServiceAccountToken", False)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _meta(name, ns, {"app": name} if labels is None else labels, annotations),
        "spec": {"containers": containers or [ctr()], **spec},
    }


def deployment(name="web", labels=None, ns=None, containers=None, **spec):
    template = {"metadata": {"labels": labels or {"app": name}}, "spec": {"containers": containers or [ctr()], **spec}}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(name, ns),
        "spec": {"selector": {"matchLabels": labels or {"app": name}}, "template": template},
    }


def svc(name="web", selector=None, ports=None, ns=None, **spec):
    s = {"ports": ports or [{"name": "http", "port": 80}], **spec}
    if selector is not False:
        s["selector"] = selector or {"app": name}
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, ns), "spec": s}


def sa(name="builder", ns=None, **kw):
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name, ns), **kw}


def role(name="reader", rules=None, ns=None, kind="Role"):
    rules = rules if rules is not None else [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": _meta(name, None if kind == "ClusterRole" else ns), "rules": rules}


def binding(name="bind", role_kind="Role", role_name="reader", subjects=None, ns=None, kind="RoleBinding"):
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": _meta(name, None if kind == "ClusterRoleBinding" else ns),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
        "subjects": subjects if subjects is not None else [{"kind": "ServiceAccount", "name": "builder", "namespace": "default"}],
    }


def sa_subject(name="builder", ns="default"):
    return {"kind": "ServiceAccount", "name": name, "namespace": ns}


def group_subject(name):
    return {"kind": "Group", "name": name, "apiGroup": "rbac.authorization.k8s.io"}


def endpoints(name="db", ports=None, ns=None):
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": _meta(name, ns),
        "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": ports or [{"name": "http", "port": 80}]}],
    }


def endpoint_slice(name="db-1", service="db", ports=None, ns=None):
    labels = {"kubernetes.io/service-name": service} if service else None
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": _meta(name, ns, labels),
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["10.0.0.1"]}],
        "ports": ports or [{"name": "http", "port": 8080}],
    }


def configmap(name="cfg", data=None, ns=None):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name, ns), "data": data or {"key": "v"}}


def secret(name="creds", data=None, ns=None):
    return {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name, ns), "stringData": data or {"key": "v"}}


def pvc(name="data", ns=None):
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": _meta(name, ns), "spec": {"accessModes": ["ReadWriteOnce"]}}


def namespace(name, labels=None):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(name, None, labels)}
