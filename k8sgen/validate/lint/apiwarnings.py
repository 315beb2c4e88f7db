"""The API server's own warnings for pods, pod templates and Services, in its words.

`kubectl apply` prints these (pkg/api/pod/warnings.go, pkg/api/service/warnings.go,
pkg/api/node/util.go): the object is accepted, but something in it is deprecated, ignored or
hides something else. Each finding's message is the server's text after its field path (the
report prints the path first). They are always on: a server that says it is a warning agrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...fieldpath import format_path
from ..pods import PodView, as_dict, as_list
from ..rules.formats import is_dns1123_label, is_dns1123_subdomain
from ..rules.quantity import canonical as canonical_quantity
from ..rules.quantity import parse as parse_quantity
from .registry import Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

DEPRECATED_NODE_LABELS = {
    "beta.kubernetes.io/arch": 'deprecated since v1.14; use "kubernetes.io/arch" instead',
    "beta.kubernetes.io/os": 'deprecated since v1.14; use "kubernetes.io/os" instead',
    "failure-domain.beta.kubernetes.io/region": 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
    "failure-domain.beta.kubernetes.io/zone": 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    "beta.kubernetes.io/instance-type": 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
    "app.kubernetes.io/created-by": "deprecated since v1.9",
    "scheduler.alpha.kubernetes.io/preferAvoidPods": "deprecated since v1.22; use Taints and Tolerations instead",
    "node-role.kubernetes.io/master": 'use "node-role.kubernetes.io/control-plane" instead',
}
DEPRECATED_ANNOTATIONS = {
    "scheduler.alpha.kubernetes.io/critical-pod": 'non-functional in v1.16+; use the "priorityClassName" field instead',
    "security.alpha.kubernetes.io/sysctls": 'non-functional in v1.11+; use the "sysctls" field instead',
    "security.alpha.kubernetes.io/unsafe-sysctls": 'non-functional in v1.11+; use the "sysctls" field instead',
}
DEPRECATED_VOLUMES = {
    "photonPersistentDisk": "deprecated in v1.11, non-functional in v1.16+",
    "gitRepo": "deprecated in v1.11",
    "scaleIO": "deprecated in v1.16, non-functional in v1.22+",
    "flocker": "deprecated in v1.22, non-functional in v1.25+",
    "storageos": "deprecated in v1.22, non-functional in v1.25+",
    "quobyte": "deprecated in v1.22, non-functional in v1.25+",
    "glusterfs": "deprecated in v1.25, non-functional in v1.26+",
    "cephfs": "deprecated in v1.28, non-functional in v1.31+",
    "rbd": "deprecated in v1.28, non-functional in v1.31+",
}
SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
TOPOLOGY_HINTS_ANNOTATION = "service.kubernetes.io/topology-aware-hints"
TOPOLOGY_MODE_ANNOTATION = "service.kubernetes.io/topology-mode"
NULL_SELECTOR = "a null labelSelector results in matching no pod"


def _meta_path(pv: PodView) -> tuple:
    return pv.prefix[:-1] + ("metadata",)


def _annotations(pv: PodView) -> dict:
    return as_dict(pv.meta.get("annotations"))


def _node_selector_term(term: dict, path: tuple) -> Iterator[Finding]:
    for i, expr in enumerate(as_list(term.get("matchExpressions"))):
        key = as_dict(expr).get("key")
        if isinstance(key, str) and key in DEPRECATED_NODE_LABELS:  # any value on a refused object
            yield path + ("matchExpressions", i, "key"), f"{key} is {DEPRECATED_NODE_LABELS[key]}", ""


@rule("lint-api-deprecated", "What the API server warns is deprecated in pods and templates: node labels in selectors, annotations, volume plugins.")
def api_deprecated(pv: PodView, ctx: Context) -> Iterator[Finding]:
    hint = "the API server prints this warning on apply"
    for key in as_dict(pv.spec.get("nodeSelector")):
        if isinstance(key, str) and key in DEPRECATED_NODE_LABELS:  # any value on a refused object
            yield pv.path("nodeSelector", key), DEPRECATED_NODE_LABELS[key], hint
    node = as_dict(as_dict(pv.spec.get("affinity")).get("nodeAffinity"))
    required = as_dict(node.get("requiredDuringSchedulingIgnoredDuringExecution"))
    base = pv.path("affinity", "nodeAffinity")
    for i, term in enumerate(as_list(required.get("nodeSelectorTerms"))):
        for p, m, _ in _node_selector_term(as_dict(term), base + ("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", i)):
            yield p, m, hint
    for i, pref in enumerate(as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
        for p, m, _ in _node_selector_term(as_dict(as_dict(pref).get("preference")), base + ("preferredDuringSchedulingIgnoredDuringExecution", i, "preference")):
            yield p, m, hint
    for i, t in enumerate(as_list(pv.spec.get("topologySpreadConstraints"))):
        key = as_dict(t).get("topologyKey")
        if isinstance(key, str) and key in DEPRECATED_NODE_LABELS:  # any value on a refused object
            yield pv.path("topologySpreadConstraints", i, "topologyKey"), f"{key} is {DEPRECATED_NODE_LABELS[key]}", hint
    annotations = _annotations(pv)
    for key, message in DEPRECATED_ANNOTATIONS.items():
        if key in annotations:
            yield _meta_path(pv) + ("annotations", key), message, hint
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        for plugin, message in DEPRECATED_VOLUMES.items():
            if as_dict(vol).get(plugin) is not None:
                yield pv.path("volumes", i, plugin), message, hint
    pod_sc = as_dict(pv.spec.get("securityContext"))
    if pod_sc.get("seccompProfile") is None and SECCOMP_POD_ANNOTATION in annotations:
        yield _meta_path(pv) + ("annotations", SECCOMP_POD_ANNOTATION), 'non-functional in v1.27+; use the "seccompProfile" field instead', hint
    template = pv.kind != "Pod"  # a Pod's AppArmor annotations: _pod_apparmor, as the server does it
    new_enough = tuple(getattr(ctx, "kube_version", None) or (1, 37)) >= (1, 30)
    windows = as_dict(pv.spec.get("os")).get("name") == "windows"
    for _, c in pv.containers():
        name, sc = c.get("name"), as_dict(c.get("securityContext"))
        if not isinstance(name, str):
            continue
        if sc.get("seccompProfile") is None and SECCOMP_CONTAINER_PREFIX + name in annotations:
            yield _meta_path(pv) + ("annotations", SECCOMP_CONTAINER_PREFIX + name), 'non-functional in v1.27+; use the "seccompProfile" field instead', hint
        has_field = pod_sc.get("appArmorProfile") is not None or sc.get("appArmorProfile") is not None
        key = APPARMOR_PREFIX + name
        if not new_enough or key not in annotations:
            continue
        if (not has_field if template else _pod_apparmor(annotations[key], sc, pod_sc, windows)):
            yield _meta_path(pv) + ("annotations", key), 'deprecated since v1.30; use the "appArmorProfile" field instead', hint


def _apparmor_field(annotation: object) -> dict | None:
    """`ApparmorFieldForAnnotation`, or None when the annotation gives no valid field."""
    if annotation == "runtime/default":
        return {"type": "RuntimeDefault"}
    if annotation == "unconfined":
        return {"type": "Unconfined"}
    if isinstance(annotation, str) and annotation.startswith("localhost/") and annotation[len("localhost/"):].strip():
        return {"type": "Localhost", "localhostProfile": annotation[len("localhost/"):]}
    return None


def _pod_apparmor(annotation: object, sc: dict, pod_sc: dict, windows: bool) -> bool:
    """`applyAppArmorVersionSkew` (the Pod strategy): a container annotation warns when the
    container has no appArmorProfile, unless it says what the pod-level profile says already."""
    if windows or sc.get("appArmorProfile") is not None:
        return False
    derived = _apparmor_field(annotation)
    return derived is None or derived != as_dict(pod_sc.get("appArmorProfile"))


def _duplicates(items: list, key) -> Iterator[tuple[int, object]]:
    seen: set = set()
    for i, item in enumerate(items):
        k = key(as_dict(item))
        if not isinstance(k, (str, int)):
            continue
        if k in seen:
            yield i, k
        seen.add(k)


def _port_key(port: dict) -> tuple:
    return (port.get("containerPort"), port.get("protocol", "TCP"))


@rule("lint-api-duplicate", "What the API server warns is defined twice: env vars that hide an earlier one, container ports, hostAliases IPs, imagePullSecrets.")
def api_duplicate(pv: PodView, ctx: Context) -> Iterator[Finding]:
    hint = "remove the duplicate; `kubectl apply` merges list entries by name and may drop one"
    for path, c in pv.containers():
        seen: set = set()
        for i, e in enumerate(as_list(c.get("env"))):
            e = as_dict(e)
            name = e.get("name")
            if not isinstance(name, str):
                continue
            if name in seen:
                ref, value = f"$({name})", e.get("value") if isinstance(e.get("value"), str) else ""
                if e.get("valueFrom") is not None or value == ref or ref not in value:
                    yield path + ("env", i), f'hides previous definition of "{name}", which may be dropped when using apply', hint
            seen.add(name)
    # Ports across all containers of the pod, as the server compares them.
    seen_ports: dict = {}
    for path, c in pv.containers():
        for i, port in enumerate(as_list(c.get("ports"))):
            port = as_dict(port)
            here = path + ("ports", i)
            host_ip, host_port = port.get("hostIP", ""), port.get("hostPort", 0) or 0
            k = _port_key(port)
            if not isinstance(k[0], int):
                continue
            for other_path, other in seen_ports.get(k, []):
                o_ip, o_port = other.get("hostIP", ""), other.get("hostPort", 0) or 0
                if host_ip == o_ip and host_port == o_port:
                    yield here, f"duplicate port definition with {format_path(other_path)}", hint
                elif host_port == 0 or o_port == 0:
                    yield here, f"overlapping port definition with {format_path(other_path)}", hint
                elif host_port == o_port and (not host_ip) != (not o_ip):
                    yield here, f"dangerously ambiguous port definition with {format_path(other_path)}", hint
            seen_ports.setdefault(k, []).append((here, port))
    for i, ip in _duplicates(as_list(pv.spec.get("hostAliases")), lambda a: a.get("ip")):
        yield pv.path("hostAliases", i, "ip"), f'duplicate ip "{ip}"', "merge the hostnames into one entry"
    secrets = as_list(pv.spec.get("imagePullSecrets"))
    for i, name in _duplicates(secrets, lambda s: s.get("name")):
        yield pv.path("imagePullSecrets", i, "name"), f'duplicate name "{name}"', hint
    token_paths = set()
    for vol in as_list(pv.spec.get("volumes")):
        for src in as_list(as_dict(as_dict(vol).get("projected")).get("sources")):
            p = as_dict(as_dict(src).get("serviceAccountToken")).get("path")
            if isinstance(p, str):
                token_paths.add(p)
    if token_paths:
        for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
            for src in as_list(as_dict(as_dict(vol).get("projected")).get("sources")):
                src = as_dict(src)
                for kind, items_key in (("configMap", "items"), ("secret", "items"), ("downwardAPI", "items")):
                    for j, item in enumerate(as_list(as_dict(src.get(kind)).get(items_key))):
                        p = as_dict(item).get("path")
                        if p in token_paths:
                            label = {"secret": "secrets"}.get(kind, kind)  # the server's own path spelling
                            yield pv.path("volumes", i, "projected", "sources", label, j), f'has duplicated path with ServiceAccountToken "{p}"', "give the file another path"
                bundle = as_dict(src.get("clusterTrustBundle"))
                if bundle.get("path") in token_paths:  # named without an index, as the server does
                    yield pv.path("volumes", i, "projected", "sources", "ClusterTrustBundle"), f'has duplicated path with ServiceAccountToken "{bundle["path"]}"', "give the file another path"


def _fractional(value: object) -> bool:
    # The server tests MilliValue() % 1000 != 0: a byte count that is not a whole number.
    q = parse_quantity(value)
    return q is not None and q.value.denominator != 1


def claim_spec(spec: dict, path: tuple) -> Iterator[Finding]:
    """`GetWarningsForPersistentVolumeClaimSpec` (pkg/api/persistentvolumeclaim/util.go): a
    storage request or limit that is not a whole number of bytes. The server prints the value
    in canonical form (`Quantity.String()`)."""
    res = as_dict(spec.get("resources"))
    for kind in ("requests", "limits"):
        value = as_dict(res.get(kind)).get("storage")
        if value is not None and _fractional(value):
            q = parse_quantity(value)
            assert q is not None
            yield path + ("resources", kind, "storage"), f'fractional byte value "{canonical_quantity(q)}" is invalid, must be an integer', "use a whole number of bytes (e.g. 1Gi, not 1.1Gi)"


@rule("lint-api-ignored", "What the API server warns has no effect or another one: null label selectors, hostIP without hostPort, fractional bytes (ephemeral volume claims too), negative grace periods.")
def api_ignored(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for i, t in enumerate(as_list(pv.spec.get("topologySpreadConstraints"))):
        if isinstance(t, dict) and t.get("labelSelector") is None:
            yield pv.path("topologySpreadConstraints", i, "labelSelector"), NULL_SELECTOR, "set a labelSelector that matches the pods to spread"
    affinity = as_dict(pv.spec.get("affinity"))
    for kind in ("podAffinity", "podAntiAffinity"):
        a = as_dict(affinity.get(kind))
        for i, t in enumerate(as_list(a.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            if isinstance(t, dict) and t.get("labelSelector") is None:
                yield pv.path("affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution", i, "labelSelector"), NULL_SELECTOR, "set a labelSelector"
        for i, t in enumerate(as_list(a.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            term = as_dict(t).get("podAffinityTerm")
            if isinstance(term, dict) and term.get("labelSelector") is None:
                yield pv.path("affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution", i, "podAffinityTerm", "labelSelector"), NULL_SELECTOR, "set a labelSelector"
    for i, s in enumerate(as_list(pv.spec.get("imagePullSecrets"))):
        if isinstance(s, dict) and not s.get("name"):
            yield pv.path("imagePullSecrets", i, "name"), 'invalid empty name ""', "name the Secret, or remove the entry"
    for path, c in pv.containers():
        for i, port in enumerate(as_list(c.get("ports"))):
            port = as_dict(port)
            if port.get("hostIP") and not port.get("hostPort"):
                # The server prints the whole port struct (%+v); its point is the missing hostPort.
                yield path + ("ports", i), f"hostIP set without hostPort: {port.get('hostIP')}", "set hostPort too, or remove hostIP"
    grace = pv.spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and not isinstance(grace, bool) and grace < 0:
        yield pv.path("terminationGracePeriodSeconds"), "must be >= 0; negative values are invalid and will be treated as 1", "use 0 or more seconds"
    for resource in ("memory", "ephemeral-storage"):
        value = as_dict(pv.spec.get("overhead")).get(resource)
        if value is not None and _fractional(value):
            yield pv.path("overhead", resource), f'fractional byte value "{value}" is invalid, must be an integer', "use a whole number of bytes"
    for path, c in pv.containers():
        res = as_dict(c.get("resources"))
        for kind in ("limits", "requests"):
            for resource in ("memory", "ephemeral-storage"):
                value = as_dict(res.get(kind)).get(resource)
                if value is not None and _fractional(value):
                    yield path + ("resources", kind, resource), f'fractional byte value "{value}" is invalid, must be an integer', "use a whole number of bytes (e.g. 128Mi, not 0.1Gi)"
    # An ephemeral volume's claim template gets the claim's own warnings.
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        template = as_dict(as_dict(as_dict(vol).get("ephemeral")).get("volumeClaimTemplate"))
        if template:
            yield from claim_spec(as_dict(template.get("spec")), pv.path("volumes", i, "ephemeral", "volumeClaimTemplate", "spec"))


# --- Claims (pkg/api/persistentvolumeclaim/util.go, the StatefulSet strategy) -----------------------

BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"


@rule("lint-api-claim", "What the API server warns about claims: the deprecated beta storage-class annotation, fractional byte sizes (PersistentVolumeClaims, StatefulSet volumeClaimTemplates).",
      kinds=("PersistentVolumeClaim", "StatefulSet"))
def api_claim(obj: dict, ctx: Context) -> Iterator[Finding]:
    if obj.get("kind") == "PersistentVolumeClaim":
        if BETA_STORAGE_CLASS in as_dict(as_dict(obj.get("metadata")).get("annotations")):
            yield ("metadata", "annotations", BETA_STORAGE_CLASS), 'deprecated since v1.8; use "storageClassName" attribute instead', "set spec.storageClassName instead"
        yield from claim_spec(as_dict(obj.get("spec")), ("spec",))
        return
    # The StatefulSet strategy checks each template's spec (it names the path without ".spec").
    for i, template in enumerate(as_list(as_dict(obj.get("spec")).get("volumeClaimTemplates"))):
        yield from claim_spec(as_dict(as_dict(template).get("spec")), ("spec", "volumeClaimTemplates", i, "spec"))


# --- The create strategies (pkg/registry/core/pod, pkg/registry/apps/statefulset) ---------------


@rule("lint-api-strategy", "What the API server's create strategies warn about: a Pod name that is no DNS label (it becomes the hostname), a negative StatefulSet revisionHistoryLimit.",
      kinds=("Pod", "StatefulSet"))
def api_strategy(obj: dict, ctx: Context) -> Iterator[Finding]:
    if obj.get("kind") == "Pod":
        name = as_dict(obj.get("metadata")).get("name")
        # Only a name the server accepts (a DNS subdomain) gets this far; the messages print as a
        # Go list, "[a b]".
        msgs = is_dns1123_label(name) if isinstance(name, str) and name and not is_dns1123_subdomain(name) else []
        if msgs:
            yield ("metadata", "name"), f"this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [{' '.join(msgs)}]", "use a name without dots, of at most 63 characters"
        return
    limit = as_dict(obj.get("spec")).get("revisionHistoryLimit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit < 0:
        yield ("spec", "revisionHistoryLimit"), "a negative value retains all historical revisions; a value >= 0 is recommended", "set revisionHistoryLimit to 0 or more (the default is 10)"


# --- Services (pkg/api/service/warnings.go) -----------------------------------------------------


@rule("lint-api-service", "What the API server warns about Services: deprecated externalIPs, annotations and trafficDistribution, fields a headless or ExternalName Service ignores.", kinds=("Service",))
def api_service(obj: dict, ctx: Context) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    hint = "the API server accepts this but warns about it on apply"
    annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
    if TOPOLOGY_HINTS_ANNOTATION in annotations:
        yield ("metadata", "annotations", TOPOLOGY_HINTS_ANNOTATION), f"annotation {TOPOLOGY_HINTS_ANNOTATION} is deprecated, please use {TOPOLOGY_MODE_ANNOTATION} instead", hint
    stype = spec.get("type", "ClusterIP")
    headless = stype == "ClusterIP" and spec.get("clusterIP") == "None"
    external_ips = as_list(spec.get("externalIPs"))
    if headless:
        if spec.get("loadBalancerIP"):
            yield ("spec", "loadBalancerIP"), "spec.loadBalancerIP is ignored for headless services", "remove it"
        if external_ips:
            yield ("spec", "externalIPs"), "spec.externalIPs is ignored for headless services", "remove it"
        if spec.get("sessionAffinity", "None") != "None":
            yield ("spec", "sessionAffinity"), "spec.SessionAffinity is ignored for headless services", "remove it"
    if external_ips and not headless and stype != "ExternalName":
        yield ("spec", "externalIPs"), "spec.externalIPs is deprecated and may no longer be implemented in some clusters", "use a LoadBalancer Service or a Gateway"
    if stype == "ExternalName" and external_ips:
        yield ("spec", "externalIPs"), 'spec.externalIPs is ignored when spec.type is "ExternalName"', "remove it"
    if stype != "ExternalName" and spec.get("externalName"):
        yield ("spec", "externalName"), 'spec.externalName is ignored when spec.type is not "ExternalName"', 'remove it, or set type: ExternalName'
    version = tuple(getattr(ctx, "kube_version", None) or (1, 37))
    if spec.get("trafficDistribution") == "PreferClose" and version >= (1, 34):
        yield ("spec", "trafficDistribution"), 'spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone"', 'use trafficDistribution: PreferSameZone'
