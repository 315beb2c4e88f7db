"""When two objects are "the same": equal after the API server's defaulting.

`canonical(obj, namespace)` is the object as a cluster would store it, for comparison only:
- the defaulting stage `k8sgen.validate.defaults` (its `apply`) when this k8sgen has it; it is
  imported guardedly, so the comparison switches to it as soon as it is there;
- then, filling only what is still missing, the defaults below, restated from the API server's
  `SetDefaults_*` functions (pkg/apis/core/v1/defaults.go, apps/v1, batch/v1) for the fields
  k8sgen renders or a hand-written manifest often spells out, plus the ServiceAccount
  admission plugin's `serviceAccountName: default` (every API server runs it);
- `null` values, and the empty values the API drops on its way to storage (`labels: {}`,
  `env: []`, an env var's `value: ""`), are removed;
- a namespaced object without a namespace is in `namespace` (where `kubectl apply` would put it
  in a context whose namespace that is; the importer uses `default`).

Both sides of every comparison go through the same function, so a default missing here can only
make the importer keep an object verbatim, never call two different objects equal.
"""

from __future__ import annotations

import base64
import copy

try:  # the API server's defaulting stage, where this k8sgen has it (branch v-defaults)
    from ..validate.defaults import apply as _server_defaults
except ImportError:  # pragma: no cover - depends on which stages are installed
    _server_defaults = None

# Kinds that live outside namespaces (the ones k8sgen knows and the common cluster kinds).
CLUSTER_KINDS = frozenset(
    "Namespace Node PersistentVolume ClusterRole ClusterRoleBinding StorageClass CustomResourceDefinition "
    "PriorityClass IngressClass RuntimeClass CSIDriver CSINode VolumeAttachment CertificateSigningRequest "
    "APIService MutatingWebhookConfiguration ValidatingWebhookConfiguration ValidatingAdmissionPolicy "
    "ValidatingAdmissionPolicyBinding FlowSchema PriorityLevelConfiguration".split()
)
# Keys the API serializes with omitempty: an empty value is the same as none.
_OMIT_EMPTY = frozenset(
    "labels annotations data binaryData stringData env envFrom ports volumeMounts volumes initContainers "
    "nodeSelector args command subjects rules items addresses finalizers securityContext".split()
)
_WORKLOAD_TEMPLATE = {
    "Deployment": ("spec", "template"), "StatefulSet": ("spec", "template"), "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"), "Job": ("spec", "template"), "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


def namespaced(kind: str) -> bool:
    return kind not in CLUSTER_KINDS


def key(obj: dict, namespace: str = "default") -> tuple:
    """(kind, namespace or "", name): which object this is."""
    meta = obj.get("metadata") or {}
    kind = obj.get("kind", "")
    ns = (meta.get("namespace") or namespace) if namespaced(kind) else ""
    return (kind, ns, meta.get("name") or meta.get("generateName", ""))


def canonical(obj: dict, namespace: str = "default") -> dict:
    out = copy.deepcopy(obj)
    if _server_defaults is not None:
        try:
            out = copy.deepcopy(_server_defaults(out))
        except Exception:  # an object the defaulting stage cannot read is compared as written
            out = copy.deepcopy(obj)
    kind = out.get("kind", "")
    meta = out.setdefault("metadata", {})
    if isinstance(meta, dict):
        if namespaced(kind):
            meta.setdefault("namespace", namespace)
        else:
            meta.pop("namespace", None)
    fill = _FILL.get(kind)
    if fill:
        fill(out)
    path = _WORKLOAD_TEMPLATE.get(kind)
    if path:
        template = _get(out, path)
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            _pod_spec(template["spec"], kind)
    return _clean(out)


def same(a: dict, b: dict, namespace: str = "default") -> bool:
    return canonical(a, namespace) == canonical(b, namespace)


def _get(obj, path: tuple):
    for p in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
    return obj


def _quantity(v):
    """A quantity written as a small whole number is the same quantity as its text: the API
    server stores `divisor: 1` as "1" (below 1000 the canonical text is the number's own)."""
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1000:
        return str(v)
    return v


def _clean(v, parent: str = ""):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            x = _clean(x, k)
            if k in ("divisor", "sizeLimit"):
                x = _quantity(x)
            elif k in ("limits", "requests") and isinstance(x, dict):
                x = {q: _quantity(n) for q, n in x.items()}
            if x is None or (k in _OMIT_EMPTY and x in ({}, [])):
                continue
            out[k] = x
        if parent == "env" and out.get("value") == "":
            del out["value"]  # an env var's empty value is no value (omitempty)
        return out
    if isinstance(v, list):
        return [_clean(x, parent) for x in v]
    return v


def _defaults(d, **values) -> None:
    if isinstance(d, dict):
        for k, v in values.items():
            d.setdefault(k, v)


def _spec(obj: dict) -> dict:
    s = obj.get("spec")
    return s if isinstance(s, dict) else {}


def _pod_spec(spec: dict, kind: str = "Pod") -> None:
    if kind not in ("Job", "CronJob"):
        spec.setdefault("restartPolicy", "Always")
    _defaults(spec, dnsPolicy="ClusterFirst", schedulerName="default-scheduler", terminationGracePeriodSeconds=30,
              enableServiceLinks=True, securityContext={})
    # The ServiceAccount admission plugin names the account `default`; `serviceAccount` is the
    # deprecated mirror of serviceAccountName the API server keeps in step.
    spec.setdefault("serviceAccountName", spec.get("serviceAccount") or "default")
    spec.pop("serviceAccount", None)
    for group in ("containers", "initContainers"):
        for c in spec.get(group) or []:
            if isinstance(c, dict):
                _container(c, pod=kind == "Pod")
    for v in spec.get("volumes") or []:
        if not isinstance(v, dict):
            continue
        for src in ("configMap", "secret", "downwardAPI", "projected"):
            if isinstance(v.get(src), dict):
                v[src].setdefault("defaultMode", 420)
        for s in (v.get("projected") or {}).get("sources") or []:
            token = s.get("serviceAccountToken") if isinstance(s, dict) else None
            _defaults(token, expirationSeconds=3600)
        for item in (v.get("downwardAPI") or {}).get("items") or []:
            _defaults((item or {}).get("fieldRef"), apiVersion="v1")


def _image_pull_policy(image) -> str:
    if not isinstance(image, str):
        return "IfNotPresent"
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _container(c: dict, pod: bool) -> None:
    _defaults(c, terminationMessagePath="/dev/termination-log", terminationMessagePolicy="File",
              imagePullPolicy=_image_pull_policy(c.get("image")))
    for p in c.get("ports") or []:
        _defaults(p, protocol="TCP")
    for e in c.get("env") or []:
        _defaults(((e or {}).get("valueFrom") or {}).get("fieldRef"), apiVersion="v1")
    res = c.get("resources")
    if pod and isinstance(res, dict) and isinstance(res.get("limits"), dict):
        # Requests default to the limits, resource by resource: in a Pod (SetDefaults_Pod),
        # not in a workload's pod template, which is stored as written.
        requests = res.setdefault("requests", {})
        if isinstance(requests, dict):
            for r, q in res["limits"].items():
                requests.setdefault(r, q)
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        p = c.get(probe)
        if isinstance(p, dict):
            _defaults(p, timeoutSeconds=1, periodSeconds=10, successThreshold=1, failureThreshold=3)
            _defaults(p.get("httpGet"), scheme="HTTP")


def _pod(obj: dict) -> None:
    _pod_spec(_spec(obj))


def _service(obj: dict) -> None:
    s = _spec(obj)
    _defaults(s, type="ClusterIP")
    if s.get("type") != "ExternalName":
        _defaults(s, sessionAffinity="None", internalTrafficPolicy="Cluster")
    if s.get("type") in ("NodePort", "LoadBalancer"):
        _defaults(s, externalTrafficPolicy="Cluster")
    if s.get("type") == "LoadBalancer":
        _defaults(s, allocateLoadBalancerNodePorts=True)
    for p in s.get("ports") or []:
        if isinstance(p, dict):
            _defaults(p, protocol="TCP")
            if "port" in p:
                p.setdefault("targetPort", p["port"])


def _endpoints(obj: dict) -> None:
    for subset in obj.get("subsets") or []:
        for p in (subset or {}).get("ports") or []:
            _defaults(p, protocol="TCP")


def _endpoint_slice(obj: dict) -> None:
    for p in obj.get("ports") or []:
        _defaults(p, protocol="TCP")


def _deployment(obj: dict) -> None:
    s = _spec(obj)
    _defaults(s, replicas=1, revisionHistoryLimit=10, progressDeadlineSeconds=600, strategy={"type": "RollingUpdate"})
    st = s.get("strategy")
    if isinstance(st, dict) and st.get("type", "RollingUpdate") == "RollingUpdate":
        st.setdefault("type", "RollingUpdate")
        _defaults(st.setdefault("rollingUpdate", {}), maxUnavailable="25%", maxSurge="25%")


def _statefulset(obj: dict) -> None:
    s = _spec(obj)
    _defaults(s, replicas=1, podManagementPolicy="OrderedReady", revisionHistoryLimit=10, updateStrategy={"type": "RollingUpdate"},
              persistentVolumeClaimRetentionPolicy={"whenDeleted": "Retain", "whenScaled": "Retain"})
    st = s.get("updateStrategy")
    if isinstance(st, dict) and st.get("type") == "RollingUpdate":
        _defaults(st.setdefault("rollingUpdate", {}), partition=0)
    for t in s.get("volumeClaimTemplates") or []:
        _defaults((t or {}).get("spec"), volumeMode="Filesystem")


def _daemonset(obj: dict) -> None:
    s = _spec(obj)
    _defaults(s, revisionHistoryLimit=10, updateStrategy={"type": "RollingUpdate"})
    st = s.get("updateStrategy")
    if isinstance(st, dict) and st.get("type") == "RollingUpdate":
        _defaults(st.setdefault("rollingUpdate", {}), maxUnavailable=1, maxSurge=0)


def _job_spec(s: dict) -> None:
    if not isinstance(s, dict):
        return
    if s.get("completions") is None and s.get("parallelism") is None:
        _defaults(s, completions=1, parallelism=1)
    _defaults(s, parallelism=1, backoffLimit=6, completionMode="NonIndexed", suspend=False)


def _job(obj: dict) -> None:
    _job_spec(_spec(obj))


def _cronjob(obj: dict) -> None:
    s = _spec(obj)
    _defaults(s, concurrencyPolicy="Allow", suspend=False, successfulJobsHistoryLimit=3, failedJobsHistoryLimit=1)
    _job_spec(_get(s, ("jobTemplate", "spec")))


def _secret(obj: dict) -> None:
    obj.setdefault("type", "Opaque")
    plain = obj.pop("stringData", None)
    if isinstance(plain, dict):
        data = obj.setdefault("data", {}) or {}
        for k, v in plain.items():
            if isinstance(v, str):
                data[k] = base64.b64encode(v.encode()).decode()
        obj["data"] = data


def _pvc(obj: dict) -> None:
    _defaults(_spec(obj), volumeMode="Filesystem")


def _pv(obj: dict) -> None:
    _defaults(_spec(obj), volumeMode="Filesystem", persistentVolumeReclaimPolicy="Retain")


def _binding(obj: dict) -> None:
    _defaults(obj.get("roleRef"), apiGroup="rbac.authorization.k8s.io")


_FILL = {
    "Pod": _pod, "Service": _service, "Endpoints": _endpoints, "EndpointSlice": _endpoint_slice,
    "Deployment": _deployment, "StatefulSet": _statefulset, "DaemonSet": _daemonset, "Job": _job, "CronJob": _cronjob,
    "Secret": _secret, "PersistentVolumeClaim": _pvc, "PersistentVolume": _pv,
    "RoleBinding": _binding, "ClusterRoleBinding": _binding,
}


def without_defaults(obj: dict, namespace: str = "default") -> dict:
    """`obj` with every field removed that the API server (or k8sgen's comparison) would put
    back as it is: the shortest object that is still the same. Keys are tried one at a time,
    depth first; metadata is left alone."""
    target = canonical(obj, namespace)
    out = copy.deepcopy(obj)

    def walk(node, path):
        if isinstance(node, dict):
            for k in list(node):
                if not path and k in ("apiVersion", "kind", "metadata"):
                    continue
                walk(node[k], path + (k,))
                value = node.pop(k)
                if canonical(out, namespace) != target:
                    node[k] = value  # needed after all (key order does not matter to the API)
        elif isinstance(node, list):
            for i, x in enumerate(node):
                walk(x, path + (i,))

    walk(out, ())
    return out
