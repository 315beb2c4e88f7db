"""Realistic objects of every vendored kind, and mutations of them with the problems they cause.

Shared by tests/test_k8s_schema.py (expected problems) and tests/test_k8s_schema_compiled.py
(the compiled validator must agree with jsonschema on all of them).
"""

from __future__ import annotations

import copy

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "web-0",
        "namespace": "shop",
        "labels": {"app.kubernetes.io/name": "web", "tier": "frontend"},
        "annotations": {"k8sgen.dev/ignore": "lint-latest-tag"},
    },
    "spec": {
        "serviceAccountName": "web",
        "automountServiceAccountToken": False,
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "fsGroup": 2000, "seccompProfile": {"type": "RuntimeDefault"}},
        "initContainers": [{"name": "migrate", "image": "registry.example.com/web:1.4.2", "command": ["/bin/migrate", "--up"]}],
        "containers": [
            {
                "name": "web",
                "image": "registry.example.com/web:1.4.2",
                "imagePullPolicy": "IfNotPresent",
                "args": ["--port=8080", "--log-level=info"],
                "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                "env": [
                    {"name": "MODE", "value": "production"},
                    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                    {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
                ],
                "envFrom": [{"configMapRef": {"name": "web-config"}}],
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": 1, "memory": "256Mi"}},
                "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5},
                "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 10},
                "volumeMounts": [{"name": "config", "mountPath": "/etc/web", "readOnly": True}, {"name": "cache", "mountPath": "/cache"}],
                "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}},
            },
            {
                "name": "sidecar",
                "image": "registry.example.com/proxy:2.0",
                "ports": [{"containerPort": 9090}],
                "resources": {"limits": {"cpu": 0.5, "memory": "64Mi"}},
            },
        ],
        "volumes": [
            {"name": "config", "configMap": {"name": "web-config", "items": [{"key": "app.yaml", "path": "app.yaml", "mode": 420}]}},
            {"name": "cache", "emptyDir": {"sizeLimit": "1Gi"}},
            {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}]}},
        ],
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}],
        "nodeSelector": {"kubernetes.io/os": "linux"},
    },
}

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {
        "type": "ClusterIP",
        "selector": {"app.kubernetes.io/name": "web"},
        "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}, {"name": "metrics", "port": 9090, "targetPort": 9090}],
        "sessionAffinity": "None",
    },
}

ENDPOINTS = {
    "apiVersion": "v1",
    "kind": "Endpoints",
    "metadata": {"name": "db", "namespace": "shop"},
    "subsets": [{"addresses": [{"ip": "10.0.0.12"}, {"ip": "10.0.0.13"}], "ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}]}],
}

ENDPOINT_SLICE = {
    "apiVersion": "discovery.k8s.io/v1",
    "kind": "EndpointSlice",
    "metadata": {"name": "db-1", "namespace": "shop", "labels": {"kubernetes.io/service-name": "db"}},
    "addressType": "IPv4",
    "endpoints": [{"addresses": ["10.0.0.12"], "conditions": {"ready": True}}],
    "ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}],
}

SERVICE_ACCOUNT = {
    "apiVersion": "v1",
    "kind": "ServiceAccount",
    "metadata": {"name": "web", "namespace": "shop"},
    "automountServiceAccountToken": False,
}

CONFIG_MAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "web-config", "namespace": "shop"},
    "data": {"app.yaml": "listen: 8080\n"},
    "binaryData": {"logo.png": "iVBORw0KGgo="},
}

SECRET = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "db", "namespace": "shop"},
    "type": "Opaque",
    "stringData": {"password": "hunter2"},
}

NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "web"}}}

ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "Role",
    "metadata": {"name": "web-reader", "namespace": "shop"},
    "rules": [
        {"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["web-config"], "verbs": ["get", "watch"]},
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
    ],
}

ROLE_BINDING = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "RoleBinding",
    "metadata": {"name": "web-reader", "namespace": "shop"},
    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "web-reader"},
    "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}],
}

CLUSTER_ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": "node-reader"},
    "rules": [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]}, {"nonResourceURLs": ["/healthz"], "verbs": ["get"]}],
    "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate": "true"}}]},
}

CLUSTER_ROLE_BINDING = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRoleBinding",
    "metadata": {"name": "node-reader"},
    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "node-reader"},
    "subjects": [{"kind": "Group", "name": "ops", "apiGroup": "rbac.authorization.k8s.io"}],
}

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": copy.deepcopy(POD["spec"])},
    },
}

PVC = {
    "apiVersion": "v1",
    "kind": "PersistentVolumeClaim",
    "metadata": {"name": "data", "namespace": "shop"},
    "spec": {
        "accessModes": ["ReadWriteOnce"],
        "storageClassName": "fast",
        "resources": {"requests": {"storage": "10Gi"}},
        "volumeMode": "Filesystem",
    },
}

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
        "scope": "Namespaced",
        "versions": [{
            "name": "v1", "served": True, "storage": True,
            "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer", "minimum": 1}},
                                        "x-kubernetes-preserve-unknown-fields": True}},
            }},
        }],
    },
}

VALID = {
    "deployment": DEPLOYMENT,
    "pvc": PVC,
    "crd": CRD,
    "pod": POD,
    "service": SERVICE,
    "endpoints": ENDPOINTS,
    "endpointslice": ENDPOINT_SLICE,
    "serviceaccount": SERVICE_ACCOUNT,
    "configmap": CONFIG_MAP,
    "secret": SECRET,
    "namespace": NAMESPACE,
    "role": ROLE,
    "rolebinding": ROLE_BINDING,
    "clusterrole": CLUSTER_ROLE,
    "clusterrolebinding": CLUSTER_ROLE_BINDING,
}

_DELETE = object()


def mutate(base: dict, changes: list) -> dict:
    """A deep copy of `base` with `(path, value)` changes applied; value DELETE removes the key."""
    obj = copy.deepcopy(base)
    for path, value in changes:
        parent = obj
        for key in path[:-1]:
            parent = parent[key]
        if value is _DELETE:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    return obj


DELETE = _DELETE
C0 = ("spec", "containers", 0)

# (id, base, changes, [(rule, path), ...]) -- the expected problems, in check()'s order (by path,
# keys before indexes); a dict when they differ by Kubernetes version.
INVALID = [
    ("unknown-field-container", "pod", [(C0 + ("imagee",), "nginx")], [("k8s-schema-unknown-field", C0 + ("imagee",))]),
    ("unknown-field-top", "service", [(("spec", "selectr"), {})], [("k8s-schema-unknown-field", ("spec", "selectr"))]),
    ("unknown-field-metadata", "configmap", [(("metadata", "label"), {"a": "b"})], [("k8s-schema-unknown-field", ("metadata", "label"))]),
    ("unknown-field-root", "role", [(("rule",), [])], [("k8s-schema-unknown-field", ("rule",))]),
    ("two-unknown-fields", "pod", [(C0 + ("cmd",), ["x"]), (C0 + ("imagee",), "x")],
     [("k8s-schema-unknown-field", C0 + ("cmd",)), ("k8s-schema-unknown-field", C0 + ("imagee",))]),
    ("required-container-name", "pod", [(C0 + ("name",), DELETE)], [("k8s-schema-required", C0 + ("name",))]),
    ("required-containers", "pod", [(("spec", "containers"), DELETE)], [("k8s-schema-required", ("spec", "containers"))]),
    ("required-port", "service", [(("spec", "ports", 1, "port"), DELETE)], [("k8s-schema-required", ("spec", "ports", 1, "port"))]),
    ("required-roleref", "rolebinding", [(("roleRef",), DELETE)], [("k8s-schema-required", ("roleRef",))]),
    ("required-roleref-fields", "clusterrolebinding", [(("roleRef",), {})],
     # RoleRef.apiGroup stopped being required in the 1.36 schema.
     {"1.35": [("k8s-schema-required", ("roleRef", "apiGroup")), ("k8s-schema-required", ("roleRef", "kind")), ("k8s-schema-required", ("roleRef", "name"))],
      "1.36": [("k8s-schema-required", ("roleRef", "kind")), ("k8s-schema-required", ("roleRef", "name"))],
      "1.37": [("k8s-schema-required", ("roleRef", "kind")), ("k8s-schema-required", ("roleRef", "name"))]}),
    ("required-verbs", "role", [(("rules", 1, "verbs"), DELETE)], [("k8s-schema-required", ("rules", 1, "verbs"))]),
    ("required-address-type", "endpointslice", [(("addressType",), DELETE)], [("k8s-schema-required", ("addressType",))]),
    ("required-endpoints-ip", "endpoints", [(("subsets", 0, "addresses", 1, "ip"), DELETE)], [("k8s-schema-required", ("subsets", 0, "addresses", 1, "ip"))]),
    ("type-port-string", "pod", [(C0 + ("ports", 0, "containerPort"), "8080")], [("k8s-schema-type", C0 + ("ports", 0, "containerPort"))]),
    ("type-image-int", "pod", [(C0 + ("image",), 5)], [("k8s-schema-type", C0 + ("image",))]),
    ("type-args-string", "pod", [(C0 + ("args",), "--port=80")], [("k8s-schema-type", C0 + ("args",))]),
    ("type-env-value-bool", "pod", [(C0 + ("env", 0, "value"), True)], [("k8s-schema-type", C0 + ("env", 0, "value"))]),
    ("type-label-int", "namespace", [(("metadata", "labels", "team"), 7)], [("k8s-schema-type", ("metadata", "labels", "team"))]),
    ("type-containers-object", "pod", [(("spec", "containers"), {"name": "x"})], [("k8s-schema-type", ("spec", "containers"))]),
    ("type-spec-list", "service", [(("spec",), [])], [("k8s-schema-type", ("spec",))]),
    ("type-float-port", "service", [(("spec", "ports", 0, "port"), 80.5)], [("k8s-schema-type", ("spec", "ports", 0, "port"))]),
    ("type-verbs-item", "clusterrole", [(("rules", 0, "verbs", 1), 3)], [("k8s-schema-type", ("rules", 0, "verbs", 1))]),
    ("type-data-value", "configmap", [(("data", "port"), 8080)], [("k8s-schema-type", ("data", "port"))]),
    ("type-automount", "serviceaccount", [(("automountServiceAccountToken",), "false")], [("k8s-schema-type", ("automountServiceAccountToken",))]),
    ("quantity-object", "pod", [(C0 + ("resources", "limits", "cpu"), {"m": 1})], [("k8s-schema-type", C0 + ("resources", "limits", "cpu"))]),
    ("quantity-bool", "pod", [(C0 + ("resources", "requests", "memory"), True)], [("k8s-schema-type", C0 + ("resources", "requests", "memory"))]),
    ("quantity-null", "pod", [(C0 + ("resources", "requests", "memory"), None)], [("k8s-schema-type", C0 + ("resources", "requests", "memory"))]),
    ("int-or-string-float", "service", [(("spec", "ports", 1, "targetPort"), 90.5)], [("k8s-schema-type", ("spec", "ports", 1, "targetPort"))]),
    ("int-or-string-list", "pod", [(C0 + ("readinessProbe", "httpGet", "port"), [80])], [("k8s-schema-type", C0 + ("readinessProbe", "httpGet", "port"))]),
    ("type-name-list", "secret", [(("metadata", "name"), ["db"])], [("k8s-schema-type", ("metadata", "name"))]),
    ("mixed", "pod", [(C0 + ("name",), DELETE), (C0 + ("imagee",), "x"), (("spec", "restartPolicy"), 1), (("metadata", "labels", "x"), None)],
     [("k8s-schema-unknown-field", C0 + ("imagee",)), ("k8s-schema-required", C0 + ("name",)), ("k8s-schema-type", ("spec", "restartPolicy"))]),
]

# Values the schema accepts although they look odd: null for optional fields, whole floats
# for integers (jsonschema's rule; YAML `80.0`), numbers for quantities, ints for IntOrString.
ACCEPTED = [
    ("null-optional-field", "pod", [(C0 + ("args",), None)]),
    ("null-label-value", "namespace", [(("metadata", "labels", "team"), None)]),
    ("null-metadata", "serviceaccount", [(("metadata",), None)]),
    ("whole-float-port", "service", [(("spec", "ports", 0, "port"), 80.0)]),
    ("quantity-number", "pod", [(C0 + ("resources", "requests", "memory"), 134217728)]),
    ("int-or-string-int", "service", [(("spec", "ports", 0, "targetPort"), 8080)]),
    ("empty-rules", "clusterrole", [(("rules",), [])]),
    ("unknown-status-free-form", "namespace", [(("status",), {"phase": "Active"})]),
]
