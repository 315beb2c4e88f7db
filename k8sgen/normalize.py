"""From a schema-valid spec to one render context per Kubernetes object.

All defaults and derived values live here, nowhere else: templates only lay out what this
module decided. Each `Item` also records `origins`, a map from a Kubernetes field path prefix to
the spec path that produced it, so a problem found in the rendered object points at the spec.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from . import downward
from .errors import Problem, SpecError
from .source import Document

DEFAULT_NAMESPACE = "default"
API_PROXY_IMAGE = "registry.k8s.io/kubectl:v1.33.0"
API_PROXY_PORT = 8001
API_PROXY_RESOURCES = {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}
RBAC_GROUP = "rbac.authorization.k8s.io"
ENDPOINTSLICE_MANAGER = "k8sgen.dev"

# API groups of well-known resources, so rules can leave out apiGroups.
RESOURCE_GROUPS = {
    **dict.fromkeys(
        "pods services endpoints configmaps secrets serviceaccounts persistentvolumeclaims events "
        "namespaces nodes persistentvolumes limitranges resourcequotas replicationcontrollers "
        "podtemplates componentstatuses bindings".split(),
        "",
    ),
    **dict.fromkeys("deployments statefulsets daemonsets replicasets controllerrevisions".split(), "apps"),
    **dict.fromkeys("jobs cronjobs".split(), "batch"),
    **dict.fromkeys("roles rolebindings clusterroles clusterrolebindings".split(), RBAC_GROUP),
    **dict.fromkeys("ingresses ingressclasses networkpolicies".split(), "networking.k8s.io"),
    "endpointslices": "discovery.k8s.io",
    "leases": "coordination.k8s.io",
    "horizontalpodautoscalers": "autoscaling",
    "poddisruptionbudgets": "policy",
    **dict.fromkeys("storageclasses csidrivers csinodes volumeattachments".split(), "storage.k8s.io"),
    "customresourcedefinitions": "apiextensions.k8s.io",
    "certificatesigningrequests": "certificates.k8s.io",
    "priorityclasses": "scheduling.k8s.io",
    "runtimeclasses": "node.k8s.io",
    **dict.fromkeys("tokenreviews".split(), "authentication.k8s.io"),
    **dict.fromkeys(
        "subjectaccessreviews selfsubjectaccessreviews selfsubjectrulesreviews localsubjectaccessreviews".split(),
        "authorization.k8s.io",
    ),
    **dict.fromkeys("mutatingwebhookconfigurations validatingwebhookconfigurations".split(), "admissionregistration.k8s.io"),
}
CLUSTER_SCOPED = set(
    "namespaces nodes persistentvolumes componentstatuses clusterroles clusterrolebindings storageclasses "
    "csidrivers csinodes volumeattachments customresourcedefinitions certificatesigningrequests "
    "priorityclasses runtimeclasses ingressclasses tokenreviews subjectaccessreviews selfsubjectaccessreviews "
    "selfsubjectrulesreviews mutatingwebhookconfigurations validatingwebhookconfigurations".split()
)
_PORT_C = re.compile(r"(?:([a-z0-9-]+):)?([0-9]+)(?:/(TCP|UDP|SCTP))?\Z")
_PORT_S = re.compile(r"([0-9]+)(?::([0-9]+|[a-z0-9-]+))?(?:/(TCP|UDP|SCTP))?\Z")
_OCTAL = re.compile(r"0?[0-7]{1,4}\Z")


@dataclass
class Item:
    """One Kubernetes object to render."""

    kind: str
    api_version: str
    name: str
    namespace: str | None
    template: str
    ctx: dict
    src: tuple
    doc: Document
    origins: dict = field(default_factory=dict)
    ignore: frozenset = frozenset()

    def locate(self, path: tuple, key: bool = False):
        path = tuple(path)
        if path and path[-1] == "name":
            # Names come from the spec's mapping keys (`pods: {web: ...}`): point at the key.
            spec = self.origins.get(path[:-1])
            if spec is not None and not self.doc.positions.has(spec + ("name",)):
                return self.doc.locate(spec, True)
        for n in range(len(path), -1, -1):
            spec = self.origins.get(path[:n])
            if spec is not None:
                return self.doc.locate(spec + path[n:], key and n == len(path) - 1)
        return self.doc.locate(self.src, False)


@dataclass
class Normalized:
    items: list
    external: dict
    doc: Document


class _Collector:
    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, message: str, path: tuple, hint: str = "", rule: str = "spec-value", key: bool = False) -> None:
        self.problems.append(Problem(message=message, rule=rule, pos=self.doc.locate(path, key), path=path, hint=hint))


def normalize(doc: Document) -> Normalized:
    spec = doc.data
    c = _Collector(doc)
    ns = spec.get("namespace", DEFAULT_NAMESPACE)
    common_labels = dict(spec.get("labels", {}))
    common_ann = dict(spec.get("annotations", {}))
    items: list[Item] = []

    def meta(entry: dict) -> tuple[dict, dict]:
        return {**common_labels, **entry.get("labels", {})}, {**common_ann, **entry.get("annotations", {})}

    def add(kind, api, name, namespaced, template, ctx, src, entry, origins=None):
        labels, ann = meta(entry)
        ctx = {"name": name, "namespace": ns if namespaced else None, "labels": labels, "annotations": ann, **ctx}
        o = {(): src, ("metadata",): src, ("metadata", "labels"): src + ("labels",), ("metadata", "annotations"): src + ("annotations",)}
        o.update(origins or {})
        ign = frozenset(entry.get("ignore", ()))
        items.append(Item(kind, api, name, ns if namespaced else None, template, ctx, src, doc, o, ign))

    sas = spec.get("serviceAccounts", {})
    for name, sa in sas.items():
        src = ("serviceAccounts", name)
        add("ServiceAccount", "v1", name, True, "serviceaccount.yaml.j2", {"automount": sa.get("automountToken")}, src, sa)
        local, cluster = _split_rules(c, sa.get("rules", []), src + ("rules",))
        cluster += _rules(c, sa.get("clusterRules", []), src + ("clusterRules",))
        subject = [{"kind": "ServiceAccount", "name": name, "namespace": ns}]
        if local:
            add("Role", f"{RBAC_GROUP}/v1", name, True, "role.yaml.j2", {"kind": "Role", "rules": local}, src, sa, {("rules",): src + ("rules",)})
            add("RoleBinding", f"{RBAC_GROUP}/v1", name, True, "binding.yaml.j2", {"kind": "RoleBinding", "roleRef": {"kind": "Role", "name": name}, "subjects": subject}, src, sa)
        if cluster:
            cname = f"{ns}-{name}"
            add("ClusterRole", f"{RBAC_GROUP}/v1", cname, False, "role.yaml.j2", {"kind": "ClusterRole", "rules": cluster}, src, sa)
            add("ClusterRoleBinding", f"{RBAC_GROUP}/v1", cname, False, "binding.yaml.j2", {"kind": "ClusterRoleBinding", "roleRef": {"kind": "ClusterRole", "name": cname}, "subjects": subject}, src, sa)
        for i, ref in enumerate(sa.get("bind", [])):
            bsrc = src + ("bind", i)
            role_ref = _role_ref(c, ref, bsrc)
            if role_ref is None:
                continue
            if ref.get("clusterWide"):
                add("ClusterRoleBinding", f"{RBAC_GROUP}/v1", f"{ns}-{name}-{role_ref['name']}", False, "binding.yaml.j2", {"kind": "ClusterRoleBinding", "roleRef": role_ref, "subjects": subject}, bsrc, sa)
            else:
                add("RoleBinding", f"{RBAC_GROUP}/v1", f"{name}-{role_ref['name']}", True, "binding.yaml.j2", {"kind": "RoleBinding", "roleRef": role_ref, "subjects": subject}, bsrc, sa)

    for name, role in spec.get("roles", {}).items():
        src = ("roles", name)
        kind = "ClusterRole" if role.get("cluster") else "Role"
        rules = _rules(c, role.get("rules", []), src + ("rules",))
        if kind == "Role":
            for i, r in enumerate(rules):
                if r.get("nonResourceURLs"):
                    c.error("nonResourceURLs can only be granted by a ClusterRole", src + ("rules", i, "nonResourceURLs"), "add cluster: true to this role")
        add(kind, f"{RBAC_GROUP}/v1", name, kind == "Role", "role.yaml.j2", {"kind": kind, "rules": rules}, src, role, {("rules",): src + ("rules",)})

    for name, b in spec.get("bindings", {}).items():
        src = ("bindings", name)
        role_ref = _role_ref(c, b, src)
        subjects = []
        for i, s in enumerate(b.get("subjects", [])):
            subj = _subject(c, s, src + ("subjects", i), ns)
            if subj:
                subjects.append(subj)
        if role_ref is None:
            continue
        kind = "ClusterRoleBinding" if b.get("clusterWide") else "RoleBinding"
        add(kind, f"{RBAC_GROUP}/v1", name, kind == "RoleBinding", "binding.yaml.j2", {"kind": kind, "roleRef": role_ref, "subjects": subjects}, src, b, {("subjects",): src + ("subjects",)})

    for name, svc in spec.get("services", {}).items():
        _service(c, add, name, svc, ("services", name))

    for name, pod in spec.get("pods", {}).items():
        _pod(c, add, name, pod, ("pods", name), sas)

    if c.problems:
        raise SpecError(c.problems)
    return Normalized(items, _external(spec, ns), doc)


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


# --- RBAC -------------------------------------------------------------------------------------


def _rules(c: _Collector, rules: list, path: tuple) -> list:
    out = []
    for i, r in enumerate(rules):
        rule: dict = {}
        resources = r.get("resources", [])
        urls = r.get("nonResourceURLs", [])
        if resources and urls:
            c.error("a rule has either resources or nonResourceURLs, not both", path + (i,), "split it into two rules", rule="spec-rbac-rule")
            continue
        if not resources and not urls:
            c.error("a rule needs resources or nonResourceURLs", path + (i,), "for example: resources: [pods]", rule="spec-rbac-rule")
            continue
        if resources:
            groups = r.get("apiGroups")
            if groups is None:
                groups = []
                for res in resources:
                    base = res.split("/", 1)[0]
                    if base == "*":
                        g = "*"
                    elif base in RESOURCE_GROUPS:
                        g = RESOURCE_GROUPS[base]
                    else:
                        c.error(f"cannot tell the API group of {res!r}", path + (i, "resources"), "add apiGroups: [GROUP] to this rule", rule="spec-rbac-group")
                        g = None
                    if g is not None and g not in groups:
                        groups.append(g)
            rule["apiGroups"] = groups
            rule["resources"] = resources
            if "resourceNames" in r:
                rule["resourceNames"] = r["resourceNames"]
        else:
            rule["nonResourceURLs"] = urls
        rule["verbs"] = r["verbs"]
        out.append(rule)
    return out


def _split_rules(c: _Collector, rules: list, path: tuple) -> tuple[list, list]:
    """Rules on cluster-scoped resources or URLs can only be granted by a ClusterRole."""
    local, cluster = [], []
    normalized = _rules(c, rules, path)
    for i, r in enumerate(normalized):
        if r.get("nonResourceURLs"):
            cluster.append(r)
            continue
        scoped = {res.split("/", 1)[0] in CLUSTER_SCOPED for res in r["resources"]}
        if scoped == {True}:
            cluster.append(r)
        elif scoped == {True, False}:
            c.error(
                "this rule mixes namespaced and cluster-scoped resources",
                path + (i, "resources"),
                "split it: cluster-scoped resources go to a ClusterRole, the others to the Role",
                rule="spec-rbac-scope",
            )
        else:
            local.append(r)
    return local, cluster


def _role_ref(c: _Collector, ref: dict, path: tuple):
    has_role, has_cluster = "role" in ref, "clusterRole" in ref
    if has_role == has_cluster:
        c.error("give exactly one of role or clusterRole", path, "role: NAME binds a Role in the namespace; clusterRole: NAME a ClusterRole", rule="spec-rbac-ref")
        return None
    if has_role and ref.get("clusterWide"):
        c.error("clusterWide needs a clusterRole", path + ("clusterWide",), "a ClusterRoleBinding can only refer to a ClusterRole", rule="spec-rbac-ref")
        return None
    return {"kind": "Role", "name": ref["role"]} if has_role else {"kind": "ClusterRole", "name": ref["clusterRole"]}


def _subject(c: _Collector, s: dict, path: tuple, ns: str):
    kinds = [k for k in ("serviceAccount", "user", "group") if k in s]
    if len(kinds) != 1:
        c.error("a subject is exactly one of serviceAccount, user or group", path, rule="spec-rbac-subject")
        return None
    if "namespace" in s and kinds[0] != "serviceAccount":
        c.error("namespace goes only with serviceAccount", path + ("namespace",), rule="spec-rbac-subject", key=True)
        return None
    k = kinds[0]
    if k == "serviceAccount":
        return {"kind": "ServiceAccount", "name": s[k], "namespace": s.get("namespace", ns)}
    return {"kind": "User" if k == "user" else "Group", "apiGroup": RBAC_GROUP, "name": s[k]}


# --- Services ---------------------------------------------------------------------------------


def _service(c: _Collector, add, name: str, svc: dict, src: tuple) -> None:
    ports = []
    for i, p in enumerate(svc.get("ports", [])):
        port = _service_port(c, p, src + ("ports", i))
        if port:
            ports.append(port)
    if len(ports) > 1:
        for p in ports:
            p.setdefault("name", f"{p['protocol'].lower()}-{p['port']}")
    ctx: dict = {"type": svc.get("type", "ClusterIP"), "ports": ports, "selector": svc.get("selector", {}), "clusterIP": None, "externalName": None}
    for k in ("sessionAffinity", "publishNotReadyAddresses", "externalTrafficPolicy"):
        ctx[k] = svc.get(k)
    ext = svc.get("externalName")
    if ext is not None:
        for k in ("selector", "headless", "endpoints", "type"):
            if k in svc:
                c.error(f"an ExternalName Service has no {k}", src + (k,), "remove it, or remove externalName", rule="spec-service", key=True)
        ctx.update(type="ExternalName", externalName=ext)
    elif svc.get("headless"):
        if ctx["type"] != "ClusterIP":
            c.error(f"a headless Service is of type ClusterIP, not {ctx['type']}", src + ("type",), "remove type or headless", rule="spec-service")
        ctx["clusterIP"] = "None"
    elif not ports:
        c.error(f"a {ctx['type']} Service needs at least one port", src, "add ports: [\"80:8080\"], or make it headless: true", rule="spec-service")
    if ctx["type"] not in ("NodePort", "LoadBalancer"):
        for i, p in enumerate(ports):
            if "nodePort" in p:
                c.error(f"nodePort needs type NodePort or LoadBalancer, not {ctx['type']}", src + ("ports", i), rule="spec-service")
        if ctx["externalTrafficPolicy"]:
            c.error("externalTrafficPolicy needs type NodePort or LoadBalancer", src + ("externalTrafficPolicy",), rule="spec-service", key=True)
    add("Service", "v1", name, True, "service.yaml.j2", ctx, src, svc, {("spec", "ports"): src + ("ports",), ("spec", "selector"): src + ("selector",)})

    addresses = svc.get("endpoints")
    if addresses is None:
        return
    if svc.get("selector"):
        c.error("endpoints are for Services without a selector", src + ("endpoints",), "remove the selector: Kubernetes would replace these endpoints with the selected pods", rule="spec-service", key=True)
        return
    families: dict = {}
    for i, a in enumerate(addresses):
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            c.error(f"{a!r} is not an IP address", src + ("endpoints", i), "endpoints are IPv4 or IPv6 addresses; for a host name use externalName", rule="spec-endpoints")
            continue
        families.setdefault(f"IPv{ip.version}", []).append(str(ip) if str(ip) == a else a)
    ep_ports = []
    for i, p in enumerate(ports):
        target = p.get("targetPort", p["port"])
        if isinstance(target, str):
            c.error(f"targetPort {target!r} names a container port, but this Service has no pods", src + ("ports", i), "use the port number the outside address listens on", rule="spec-endpoints")
            continue
        ep = {"port": target, "protocol": p["protocol"]}
        if "name" in p:
            ep["name"] = p["name"]
        ep_ports.append(ep)
    all_addresses = [a for fam in sorted(families) for a in families[fam]]
    kinds = svc.get("endpointKinds", ["Endpoints"])
    eorigins = {("subsets", 0, "addresses"): src + ("endpoints",), ("subsets", 0, "ports"): src + ("ports",)}
    # The service's `ignore:` covers the endpoint objects it produces too.
    entry = {"labels": svc.get("labels", {}), "annotations": {}, "ignore": svc.get("ignore", ())}
    if "Endpoints" in kinds:
        add("Endpoints", "v1", name, True, "endpoints.yaml.j2", {"addresses": all_addresses, "ports": ep_ports}, src + ("endpoints",), entry, eorigins)
    if "EndpointSlice" in kinds:
        for fam, ips in sorted(families.items()):
            slice_entry = {"labels": {**svc.get("labels", {}), "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": ENDPOINTSLICE_MANAGER}, "ignore": svc.get("ignore", ())}
            ports_s = [dict(p, name=p.get("name", "")) for p in ep_ports]
            add("EndpointSlice", "discovery.k8s.io/v1", f"{name}-{fam.lower()}", True, "endpointslice.yaml.j2", {"addressType": fam, "addresses": ips, "ports": ports_s}, src + ("endpoints",), slice_entry, {("endpoints",): src + ("endpoints",), ("ports",): src + ("ports",)})


def _service_port(c: _Collector, p, path: tuple):
    if isinstance(p, int):
        return {"port": p, "targetPort": p, "protocol": "TCP"}
    if isinstance(p, str):
        m = _PORT_S.match(p)
        if not m:  # the schema pattern already rejected it
            return None
        target = m.group(2) or m.group(1)
        return {"port": int(m.group(1)), "targetPort": int(target) if target.isdigit() else target, "protocol": m.group(3) or "TCP"}
    out = {"port": p["port"], "targetPort": p.get("targetPort", p["port"]), "protocol": p.get("protocol", "TCP")}
    for k in ("name", "nodePort", "appProtocol"):
        if k in p:
            out[k] = p[k]
    return out


# --- Pods -------------------------------------------------------------------------------------

_CONTAINER_KEYS = (
    "image", "command", "args", "workingDir", "env", "envFrom", "ports", "resources", "mounts", "downward",
    "imagePullPolicy", "securityContext", "readinessProbe", "livenessProbe", "startupProbe",
)


def _pod(c: _Collector, add, name: str, pod: dict, src: tuple, sas: dict) -> None:
    origins: dict = {("spec",): src}
    shorthand = [k for k in _CONTAINER_KEYS if k in pod]
    containers_spec = pod.get("containers")
    if containers_spec and shorthand:
        c.error(f"container field {shorthand[0]!r} at pod level, but the pod lists containers", src + (shorthand[0],), "move it into one of the containers", rule="spec-pod", key=True)
        return
    if not containers_spec and "image" not in pod:
        c.error("a pod needs an image (or a containers list)", src, "add image: IMAGE", rule="spec-pod")
        return
    regular = [(name, {k: pod[k] for k in shorthand}, src)] if not containers_spec else [
        (cname, cs, src + ("containers", cname)) for cname, cs in containers_spec.items()
    ]
    init = [(cname, cs, src + ("initContainers", cname)) for cname, cs in pod.get("initContainers", {}).items()]

    volumes: list = []
    vol_index: dict = {}

    def add_volume(vname: str, source: dict, vsrc: tuple) -> None:
        if vname in vol_index:
            c.error(f"two volumes are named {vname!r}", vsrc, "give one of them another name", rule="spec-pod-volume")
            return
        vol_index[vname] = len(volumes)
        origins[("spec", "volumes", len(volumes))] = vsrc
        volumes.append({"name": vname, **source})

    container_names = [n for n, _, _ in init + regular]
    for vname, v in pod.get("volumes", {}).items():
        vsrc = src + ("volumes", vname)
        source = _volume_source(c, v, vsrc, container_names, default_container=container_names[-1] if len(regular) == 1 else None)
        if source is not None:
            add_volume(vname, source, vsrc)

    built_init = [_container(c, n, cs, csrc, add_volume, container_names) for n, cs, csrc in init]
    built = [_container(c, n, cs, csrc, add_volume, container_names) for n, cs, csrc in regular]
    for i, (_, _, csrc) in enumerate(init):
        _container_origins(origins, ("spec", "initContainers", i), csrc, built_init[i])
    for i, (_, _, csrc) in enumerate(regular):
        _container_origins(origins, ("spec", "containers", i), csrc, built[i])

    automount = pod.get("automountServiceAccountToken")
    proxy = pod.get("apiProxy")
    if automount is None and not proxy and not pod.get("serviceAccount"):
        # Safe default: a pod that declares no API access gets no API credentials.
        automount = False
    if proxy:
        settings = proxy if isinstance(proxy, dict) else {}
        port = settings.get("port", API_PROXY_PORT)
        if automount is False:
            c.error("apiProxy needs the service-account token", src + ("automountServiceAccountToken",), "remove automountServiceAccountToken: false", rule="spec-pod")
        sa = sas.get(pod.get("serviceAccount", ""), {})
        if automount is None and sa.get("automountToken") is False:
            automount = True  # the account opts out by default; this pod needs its token
        origins[("spec", "containers", len(built))] = src + ("apiProxy",)
        built.append({
            "name": "api-proxy",
            "image": settings.get("image", API_PROXY_IMAGE),
            "args": ["proxy", f"--port={port}", "--address=127.0.0.1", "--accept-hosts=^localhost$,^127\\.0\\.0\\.1$"],
            "resources": API_PROXY_RESOURCES,
        })
    for cont in built_init + built:
        for i, m in enumerate(cont.get("volumeMounts", [])):
            if m["name"] not in vol_index:
                known = ", ".join(sorted(vol_index)) or "none"
                c.error(f"mount {m['mountPath']!r} names volume {m['name']!r}, which this pod does not have", cont["_mount_src"][i], f"volumes of this pod: {known}", rule="spec-pod-volume")
    all_names = [x["name"] for x in built_init + built]
    for n in {x for x in all_names if all_names.count(x) > 1}:
        c.error(f"two containers are named {n!r}", src, "container names must be unique in a pod (api-proxy is taken by apiProxy)", rule="spec-pod")
    ctx = {
        "hostname": pod.get("hostname"),
        "subdomain": pod.get("subdomain"),
        "serviceAccountName": pod.get("serviceAccount"),
        "automountServiceAccountToken": automount,
        "restartPolicy": pod.get("restartPolicy"),
        "nodeSelector": pod.get("nodeSelector", {}),
        "securityContext": pod.get("podSecurityContext"),
        "initContainers": [_public(x) for x in built_init],
        "containers": [_public(x) for x in built],
        "volumes": volumes,
    }
    for k, v in (("nodeSelector", "nodeSelector"), ("securityContext", "podSecurityContext"), ("serviceAccountName", "serviceAccount"), ("hostname", "hostname"), ("subdomain", "subdomain")):
        origins[("spec", k)] = src + (v,)
    add("Pod", "v1", name, True, "pod.yaml.j2", ctx, src, pod, origins)


def _public(container: dict) -> dict:
    return {k: v for k, v in container.items() if not k.startswith("_")}


def _container_origins(origins: dict, kpath: tuple, csrc: tuple, built: dict) -> None:
    origins[kpath] = csrc
    for k in ("ports", "env", "volumeMounts", "envFrom"):
        for i, s in enumerate(built.get(f"_{k}_src", [])):
            origins[kpath + (k, i)] = s
    for k in ("securityContext", "readinessProbe", "livenessProbe", "startupProbe", "resources", "command", "args", "image"):
        origins[kpath + (k,)] = csrc + (k,)


def _container(c: _Collector, name: str, cs: dict, csrc: tuple, add_volume, container_names: list) -> dict:
    out: dict = {"name": name, "image": cs["image"]}
    for k in ("command", "args", "workingDir", "imagePullPolicy", "securityContext", "readinessProbe", "livenessProbe", "startupProbe", "restartPolicy"):
        if k in cs:
            out[k] = cs[k]
    ports, ports_src = [], []
    for i, p in enumerate(cs.get("ports", [])):
        port = _container_port(p)
        if port:
            ports.append(port)
            ports_src.append(csrc + ("ports", i))
    env, env_src = [], []
    for vname, v in cs.get("env", {}).items():
        esrc = csrc + ("env", vname)
        e = _env(c, vname, v, esrc)
        if e:
            env.append(e)
            env_src.append(esrc)
    dw = cs.get("downward", {})
    for vname, text in dw.get("env", {}).items():
        esrc = csrc + ("downward", "env", vname)
        if vname in cs.get("env", {}):
            c.error(f"env var {vname!r} is set twice (env and downward.env)", esrc, rule="spec-env", key=True)
            continue
        ref = _field_ref(c, text, "env", esrc, None)
        if ref:
            env.append({"name": vname, "valueFrom": ref})
            env_src.append(esrc)
    envfrom, envfrom_src = [], []
    for i, e in enumerate(cs.get("envFrom", [])):
        kinds = [k for k in ("configMap", "secret") if k in e]
        if len(kinds) != 1:
            c.error("envFrom entries name exactly one of configMap or secret", csrc + ("envFrom", i), rule="spec-env")
            continue
        ref = {"name": e[kinds[0]]}
        if "optional" in e:
            ref["optional"] = e["optional"]
        item = {f"{kinds[0]}Ref": ref}
        if "prefix" in e:
            item["prefix"] = e["prefix"]
        envfrom.append(item)
        envfrom_src.append(csrc + ("envFrom", i))
    mounts, mounts_src = [], []
    for mpath, m in cs.get("mounts", {}).items():
        m = {"volume": m} if isinstance(m, str) else m
        vm = {"name": m["volume"], "mountPath": mpath}
        if "readOnly" in m:
            vm["readOnly"] = m["readOnly"]
        if "subPath" in m:
            vm["subPath"] = m["subPath"]
        mounts.append(vm)
        mounts_src.append(csrc + ("mounts", mpath))
    vol = dw.get("volume")
    if vol:
        vsrc = csrc + ("downward", "volume")
        vname = vol.get("name", "downward")
        items = _downward_files(c, vol["files"], vsrc + ("files",), container_names, name)
        source: dict = {"downwardAPI": {"items": items}}
        if "defaultMode" in vol:
            source["downwardAPI"]["defaultMode"] = _mode(c, vol["defaultMode"], vsrc + ("defaultMode",))
        add_volume(vname, source, vsrc)
        mounts.append({"name": vname, "mountPath": vol["mountPath"], "readOnly": True})
        mounts_src.append(vsrc)
    if ports:
        out["ports"] = ports
    if envfrom:
        out["envFrom"] = envfrom
    if env:
        out["env"] = env
    res = cs.get("resources")
    if res:
        out["resources"] = {k: res[k] for k in ("limits", "requests") if res.get(k)}
    if mounts:
        out["volumeMounts"] = mounts
    out.update(_ports_src=ports_src, _env_src=env_src, _volumeMounts_src=mounts_src, _envFrom_src=envfrom_src, _mount_src=mounts_src)
    return out


def _container_port(p):
    if isinstance(p, int):
        return {"containerPort": p, "protocol": "TCP"}
    if isinstance(p, str):
        m = _PORT_C.match(p)
        if not m:
            return None
        out = {"containerPort": int(m.group(2)), "protocol": m.group(3) or "TCP"}
        if m.group(1):
            out["name"] = m.group(1)
        return out
    out = {"containerPort": p["port"], "protocol": p.get("protocol", "TCP")}
    if "name" in p:
        out["name"] = p["name"]
    if "hostPort" in p:
        out["hostPort"] = p["hostPort"]
    return out


def _env(c: _Collector, name: str, v, path: tuple):
    if v is None or isinstance(v, str):
        return {"name": name, "value": v if v is not None else ""}
    sources = [k for k in ("value", "fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef") if k in v]
    if len(sources) != 1:
        c.error("an env var has exactly one of value, fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef", path, rule="spec-env")
        return None
    k = sources[0]
    if "container" in v and k != "resourceFieldRef":
        c.error("container goes only with resourceFieldRef", path + ("container",), rule="spec-env", key=True)
        return None
    if k == "value":
        return {"name": name, "value": v["value"]}
    if k in ("fieldRef", "resourceFieldRef"):
        ref = _field_ref(c, v[k], "env", path + (k,), v.get("container"))
        if ref and k == "fieldRef" and "resourceFieldRef" in ref:
            c.error(f"{v[k]!r} is a container resource", path + (k,), "use resourceFieldRef for requests.* and limits.*", rule="spec-downward")
            return None
        if ref and k == "resourceFieldRef" and "fieldRef" in ref:
            c.error(f"{v[k]!r} is a pod field, not a container resource", path + (k,), "use fieldRef for it", rule="spec-downward")
            return None
        return {"name": name, "valueFrom": ref} if ref else None
    return {"name": name, "valueFrom": {k: dict(v[k])}}


def _field_ref(c: _Collector, text: str, where: str, path: tuple, container: str | None):
    try:
        use = downward.parse(text, where)
    except downward.DownwardError as e:
        c.error(str(e), path, e.hint, rule="spec-downward")
        return None
    if use.field:
        return {"fieldRef": {"fieldPath": use.field}}
    ref: dict = {"resource": use.resource}
    if container:
        ref["containerName"] = container
    if use.divisor:
        ref["divisor"] = use.divisor
    return {"resourceFieldRef": ref}


def _downward_files(c: _Collector, files: dict, path: tuple, container_names: list, default_container: str | None) -> list:
    items = []
    for fpath, f in files.items():
        fsrc = path + (fpath,)
        f = {"field": f} if isinstance(f, str) else f
        ref = _field_ref(c, f["field"], "volume", fsrc, None)
        if not ref:
            continue
        if "resourceFieldRef" in ref:
            cname = f.get("container", default_container)
            if cname is None:
                c.error("which container's resources? this pod has several", fsrc, "add container: NAME (long form: {field: ..., container: NAME})", rule="spec-downward")
                continue
            ref["resourceFieldRef"] = {"containerName": cname, **ref["resourceFieldRef"]}
        item = {"path": fpath, **ref}
        if "mode" in f:
            item["mode"] = _mode(c, f["mode"], fsrc + ("mode",))
        items.append(item)
    return items


def _mode(c: _Collector, v, path: tuple) -> int:
    """File modes: octal text ("0644") as people write them, or a decimal number."""
    if isinstance(v, int):
        return v
    if not _OCTAL.match(v):
        c.error(f"{v!r} is not an octal file mode", path, "write it like \"0644\"", rule="spec-mode")
        return 0
    return int(v, 8)


def _volume_source(c: _Collector, v: dict, path: tuple, container_names: list, default_container: str | None):
    (kind, spec), = v.items()
    if kind == "emptyDir":
        return {"emptyDir": dict(spec or {})}
    if kind in ("configMap", "secret"):
        spec = {"name": spec} if isinstance(spec, str) else dict(spec)
        out: dict = {("name" if kind == "configMap" else "secretName"): spec["name"]}
        if "items" in spec:
            out["items"] = [{"key": k, "path": p} for k, p in spec["items"].items()]
        if "defaultMode" in spec:
            out["defaultMode"] = _mode(c, spec["defaultMode"], path + (kind, "defaultMode"))
        if "optional" in spec:
            out["optional"] = spec["optional"]
        return {kind: out}
    if kind == "persistentVolumeClaim":
        spec = {"claimName": spec} if isinstance(spec, str) else dict(spec)
        return {kind: spec}
    if kind == "downwardAPI":
        out = {"items": _downward_files(c, spec["files"], path + (kind, "files"), container_names, default_container)}
        if "defaultMode" in spec:
            out["defaultMode"] = _mode(c, spec["defaultMode"], path + (kind, "defaultMode"))
        return {kind: out}
    if kind == "serviceAccountToken":
        token = {"path": spec.get("path", "token"), "expirationSeconds": spec.get("expirationSeconds", 3600)}
        if "audience" in spec:
            token["audience"] = spec["audience"]
        return {"projected": {"sources": [{"serviceAccountToken": token}]}}
    return None
