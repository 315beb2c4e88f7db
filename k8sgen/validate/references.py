"""Cross-object checks: links between the objects validated together.

Each check yields `(Problem, obj)`: the problem and the object it is about (identity from
`ctx.manifests[i].obj`), so that the runner positions it inside that object's source.

An object named by a reference exists when it is in the set, when it is declared external
(`ctx.external`, e.g. `{"ServiceAccount": {"ns/name"}, "ClusterRole": {"view"}}`; an entry
without a namespace means "default", and entries may be globs such as `prod/*`), or when Kubernetes creates it itself (the "default"
ServiceAccount, the built-in ClusterRoles). Objects without a namespace are in "default".

Every finding here is a WARNING: the API server never looks at other objects when it validates
one (an Endpoints object is accepted without its Service, a resourceFieldRef.containerName naming
no container fails only in the kubelet). `render`, which made the whole set itself, turns the
findings listed in `RENDER_STOPS` into errors (docs/checks.md says why).

Repositories keep alternatives side by side (envs/dev and envs/prod, provider variants, a base and
its overlays), so a directory is one set: the same object twice in one directory is a duplicate,
in two directories it is two variants. A reference is satisfied by an object anywhere in the run;
where the checks compare two objects (an Endpoints and its Service, a Service and its pods), the
partner in the same directory is preferred. Everything is looked up through dictionaries built
once, so the pass is linear in the number of objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from ..errors import Problem
from . import Context
from .pods import PodView, as_dict, as_list, labels_of, name_of
from .refindex import (  # noqa: F401  (re-exported: tests and lint use them from here)
    CLUSTER_SCOPED,
    _Index,
    _index,
    _selects,
    api_group,
    external_has,
    scope_of,
    source_dir,
    source_file,
)

Found = Iterator[tuple[Problem, dict]]

# ClusterRoles every cluster has (bootstrap policy); `system:*` ones are matched by prefix.
BUILTIN_CLUSTER_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})

SERVICE_NAME_LABEL = "kubernetes.io/service-name"

# (id, severity, one-line doc), for the docs. Every cross-object finding is a warning in
# `validate`; see RENDER_STOPS for `render`.
REFERENCE_RULES: list[tuple[str, str, str]] = [
    ("ref-duplicate", "warning", "The same API group, kind, namespace and name twice in one file or one directory (kubectl apply lets the last one win); other directories are other sets."),
    ("ref-service-selector", "warning", "A Service selector matches no Pod (or pod template) in its namespace."),
    ("ref-target-port", "warning", "A named targetPort is not a named containerPort (same protocol) of any selected pod."),
    ("ref-service-account", "warning", "A pod's serviceAccountName names no ServiceAccount in the set."),
    ("ref-role", "warning", "A binding's roleRef names no Role/ClusterRole in the set (built-in ClusterRoles exist)."),
    ("ref-subject", "warning", "A binding's ServiceAccount subject names no ServiceAccount in the set."),
    ("ref-endpoints", "warning", "Endpoints/EndpointSlices without their Service (when the set holds Services), with ports it lacks or numbers other than its targetPort, or for a Service with a selector."),
    ("ref-subdomain", "warning", "A pod subdomain without a headless Service of that name selecting the pod."),
    ("ref-container-name", "warning", "A resourceFieldRef.containerName names no container of the pod."),
    ("ref-config", "warning", "A ConfigMap, Secret or PVC reference (or a key in it) that is not in the set and not optional."),
]

# The findings that stop `k8sgen render`, and why. In render k8sgen made every object of the set
# from the specs, so these are contradictions inside the specs (or k8sgen's own bug), never a
# partner that lives in another file: the output would be accepted by the API server and then not
# work. Everything else stays a warning there too (a ServiceAccount or Secret created elsewhere is
# normal).
RENDER_STOPS: dict[str, str] = {
    "ref-target-port": "the spec's Service sends traffic to a port name that no pod the spec selects exposes, so the Service never has ready endpoints",
    "ref-endpoints": "k8sgen derives Endpoints and EndpointSlices from the Service in the same spec; a mismatch is k8sgen contradicting itself",
    "ref-container-name": "k8sgen fills in resourceFieldRef.containerName from the spec; a name that is not a container of the pod makes the kubelet refuse to start it",
}


def for_render(problems: list) -> list:
    """The problems of a rendered set, with the RENDER_STOPS findings made errors."""
    return [replace(p, severity="error") if p.rule in RENDER_STOPS and p.severity == "warning" else p for p in problems]


def _str(value: object, default: str = "") -> str:
    return value if isinstance(value, str) and value else default


def _warning(message: str, rule: str, path: tuple, hint: str = "") -> Problem:
    return Problem(message=message, rule=rule, severity="warning", path=path, hint=hint)


def _fmt_selector(selector: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(selector.items(), key=lambda kv: str(kv[0])))


def _service_selector(svc: dict) -> dict:
    spec = as_dict(svc.get("spec"))
    if spec.get("type") == "ExternalName":
        return {}
    return {k: v for k, v in as_dict(spec.get("selector")).items() if isinstance(k, str)}


# --- duplicates ---------------------------------------------------------------------------


def _duplicates(ctx: Context) -> Found:
    """The same object twice in one directory (so also in one file): kubectl apply keeps the last.

    Objects from different directories are alternatives (envs/dev and envs/prod, provider
    variants, a base and its overlay), not duplicates. Objects of unknown origin (the Python API
    without positions) are one set.
    """
    first: dict[tuple, object] = {}
    for m in ctx.manifests:
        obj = m.obj
        if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
            continue
        kind = obj["kind"]
        key = (api_group(obj), kind, scope_of(kind, obj), name_of(obj), source_dir(m))
        if not key[3]:
            continue  # nameless (generateName): the server picks distinct names
        if key not in first:
            first[key] = m
            continue
        other = first[key]
        where = other.locate(("metadata", "name"), False)  # type: ignore[attr-defined]
        ns = f"{key[2]}/" if key[2] else ""
        same_file = source_file(other) == source_file(m)
        place = "in this file" if same_file else "in this directory"
        p = _warning(
            f"duplicate object: {kind} {ns}{key[3]} is defined more than once {place}" + (f" (first at {where})" if where else ""),
            "ref-duplicate",
            ("metadata", "name"),
            hint="kubectl apply would let the last one win; remove the copy or rename one. Variants of one object "
            "belong in separate directories (envs/dev, envs/prod)",
        )
        if where is not None:
            p = replace(p, extra_pos=(where,))
        yield p, obj


# --- Services and their pods ---------------------------------------------------------------


def _services(idx: _Index) -> Found:
    if not idx.pods:
        # No pod in the set at all: the pods are managed elsewhere (another file, a Helm chart),
        # so "selects nothing" would be said of every Service. Say it only when it can be true.
        return
    for ns, name, svc in idx.by_kind.get("Service", ()):
        selector = _service_selector(svc)
        if not selector:
            continue
        selected = idx.pods_selected(ns, selector)
        if not selected:
            yield _warning(
                f'selector {_fmt_selector(selector)} matches no Pod in namespace "{ns}"',
                "ref-service-selector",
                ("spec", "selector"),
                hint="make the selector equal to (a subset of) the pod's labels",
            ), svc
            continue
        if any(isinstance(as_dict(p).get("targetPort"), str) for p in as_list(as_dict(svc.get("spec")).get("ports"))):
            yield from _target_ports(svc, *_named_near(idx, ns, selector, selected, svc))


def _named_near(idx: _Index, ns: str, selector: dict, selected: list, svc: dict) -> tuple[dict, str]:
    """(named ports, pod list for messages) of the selected pods, preferring those in the
    Service's directory; computed once per (namespace, selector, directory)."""
    where = idx.dir_of(svc)
    try:
        key = (ns, tuple(sorted(selector.items(), key=lambda kv: kv[0])), where)
        hit = idx._named.get(key)
    except TypeError:
        key, hit = None, None
    if hit is None:
        near = [p for p in selected if idx.dir_of(p.obj) == where] or selected
        hit = (_named_ports(near), ", ".join(sorted({f"{p.kind}/{p.name}" for p in near})))
        if key is not None:
            idx._named[key] = hit
    return hit


def _named_ports(pods: list[PodView]) -> dict:
    """name -> set of protocols exposed under that name by any container of the pods."""
    out: dict = defaultdict(set)
    for pv in pods:
        # As the endpoints controller's FindPort: regular containers and sidecars (init
        # containers with restartPolicy Always); plain init containers have exited by then.
        sidecars = [c for c in as_list(pv.spec.get("initContainers")) if as_dict(c).get("restartPolicy") == "Always"]
        for c in as_list(pv.spec.get("containers")) + sidecars:
            for port in as_list(as_dict(c).get("ports")):
                port = as_dict(port)
                if isinstance(port.get("name"), str):
                    out[port["name"]].add(_str(port.get("protocol"), "TCP"))
    return out


def _target_ports(svc: dict, named: dict, pods: str) -> Found:
    for i, port in enumerate(as_list(as_dict(svc.get("spec")).get("ports"))):
        port = as_dict(port)
        target = port.get("targetPort")
        if not isinstance(target, str):
            continue
        protocol = _str(port.get("protocol"), "TCP")
        if protocol in named.get(target, ()):
            continue
        if target in named:
            msg = f'targetPort "{target}" is a {"/".join(sorted(named[target]))} port in the selected pods, not {protocol}'
        else:
            msg = f'targetPort "{target}" names no containerPort of the selected pods ({pods})'
        known = ", ".join(sorted(named))
        hint = f"use one of the named container ports ({known}) or a port number" if known else (
            f"name the container port (ports: [{{name: {target}, containerPort: ...}}]) or use a port number")
        yield _warning(msg, "ref-target-port", ("spec", "ports", i, "targetPort"), hint=hint), svc


# --- service accounts and RBAC ------------------------------------------------------------


def _service_accounts(idx: _Index) -> Found:
    for pv in idx.pods:
        for fld in ("serviceAccountName", "serviceAccount"):
            sa = pv.spec.get(fld)
            if isinstance(sa, str) and sa:
                break
        else:
            continue
        if sa == "default" or idx.has("ServiceAccount", pv.namespace, sa):
            continue
        yield _warning(
            f'ServiceAccount "{sa}" is not defined in namespace "{pv.namespace}"',
            "ref-service-account",
            pv.path(fld),
            hint="add the ServiceAccount, or declare it external if it is created elsewhere",
        ), pv.obj


def role_exists(idx: _Index, kind: str, ns: str, name: str) -> bool:
    if kind == "ClusterRole":
        return name in BUILTIN_CLUSTER_ROLES or name.startswith("system:") or idx.has("ClusterRole", "", name)
    return idx.has("Role", ns, name)


def _bindings(idx: _Index) -> Found:
    for kind in ("RoleBinding", "ClusterRoleBinding"):
        for ns, name, b in idx.by_kind.get(kind, ()):
            yield from _binding(idx, kind, ns, b)


def _binding(idx: _Index, kind: str, ns: str, b: dict) -> Found:
    ref = as_dict(b.get("roleRef"))
    rkind, rname = ref.get("kind"), ref.get("name")
    named = rkind in ("Role", "ClusterRole") and isinstance(rname, str) and rname
    if named and not role_exists(idx, rkind, ns, rname):
        where = f' in namespace "{ns}"' if rkind == "Role" else ""
        yield _warning(
            f'roleRef names {rkind} "{rname}"{where}, which is not defined',
            "ref-role",
            ("roleRef", "name"),
            hint=f"add the {rkind}, fix the name, or declare it external",
        ), b
    for i, s in enumerate(as_list(b.get("subjects"))):
        s = as_dict(s)
        sname = s.get("name")
        if s.get("kind") != "ServiceAccount" or not isinstance(sname, str) or not sname:
            continue
        sns = s.get("namespace") if isinstance(s.get("namespace"), str) and s.get("namespace") else (ns or "default")
        # Every namespace has a "default" ServiceAccount.
        if sname == "default" or idx.has("ServiceAccount", sns, sname):
            continue
        yield _warning(
            f'subject ServiceAccount "{sname}" is not defined in namespace "{sns}"',
            "ref-subject",
            ("subjects", i, "name"),
            hint="add the ServiceAccount, fix the name or namespace, or declare it external",
        ), b


# --- Endpoints and EndpointSlices ---------------------------------------------------------


def _service_port_names(svc: dict) -> dict:
    """port name ("" for the single unnamed port) -> the number traffic goes to, or None."""
    out = {}
    for port in as_list(as_dict(svc.get("spec")).get("ports")):
        port = as_dict(port)
        target = port.get("targetPort", port.get("port"))
        out[_str(port.get("name"))] = target if isinstance(target, int) else None
    return out


def _endpoints(idx: _Index) -> Found:
    for kind in ("Endpoints", "EndpointSlice"):
        for ns, name, ep in idx.by_kind.get(kind, ()):
            yield from _endpoint(idx, kind, ns, name, ep)


def _endpoint(idx: _Index, kind: str, ns: str, name: str, ep: dict) -> Found:
    if kind == "Endpoints":
        yield from _check_endpoint_ports(idx, ep, ns, name, ("metadata", "name"), [
            (("subsets", i, "ports", j), as_dict(p))
            for i, sub in enumerate(as_list(ep.get("subsets")))
            for j, p in enumerate(as_list(as_dict(sub).get("ports")))
        ], numbers=True)
    elif kind == "EndpointSlice":
        svc_name = labels_of(as_dict(ep.get("metadata"))).get(SERVICE_NAME_LABEL)
        if not isinstance(svc_name, str) or not svc_name:
            yield _warning(
                f"EndpointSlice has no {SERVICE_NAME_LABEL} label, so no Service uses it",
                "ref-endpoints",
                ("metadata", "labels"),
                hint=f"label it {SERVICE_NAME_LABEL}: <service name>",
            ), ep
            return
        # Slice ports carry the backend port; only names must match the Service's.
        yield from _check_endpoint_ports(idx, ep, ns, svc_name, ("metadata", "labels", SERVICE_NAME_LABEL), [
            (("ports", j), as_dict(p)) for j, p in enumerate(as_list(ep.get("ports")))
        ], numbers=False)


def _check_endpoint_ports(idx: _Index, ep: dict, ns: str, svc_name: str, name_path: tuple, ports: list, numbers: bool) -> Found:
    kind = ep.get("kind")
    svc = idx.get("Service", ns, svc_name, near=ep)
    if svc is None and idx.has("Service", ns, svc_name):
        return  # declared external: its ports are unknown here
    if svc is None and not idx.by_kind.get("Service"):
        # No Service in the set at all: it lives in another file (book-style repositories keep
        # svc.x.yaml and ep.x.yaml apart), as with pods and their Services above.
        return
    if svc is None:
        yield _warning(
            f'{kind} belongs to Service "{svc_name}", which is not defined in namespace "{ns}"',
            "ref-endpoints",
            name_path,
            hint="an Endpoints object takes effect only through the Service of the same name; add it or fix the name"
            if kind == "Endpoints" else f"a Service uses the EndpointSlices whose {SERVICE_NAME_LABEL} label is its name; add it or fix the label",
        ), ep
        return
    if _service_selector(svc):
        yield _warning(
            f'Service "{svc_name}" has a selector, so the endpoints controller manages its endpoints and will overwrite this Endpoints object'
            if kind == "Endpoints" else
            f'Service "{svc_name}" has a selector, so the controller creates its EndpointSlices from the pods; this one adds endpoints beside them',
            "ref-endpoints",
            name_path,
            hint="remove the Service's selector to manage endpoints by hand, or drop this object",
        ), ep
        return
    wanted = _service_port_names(svc)
    for path, port in ports:
        pname = _str(port.get("name"))
        if pname not in wanted:
            known = ", ".join(repr(n) for n in sorted(wanted)) or "none"
            yield _warning(
                f'port name "{pname}" matches no port of Service "{svc_name}" (its port names: {known})',
                "ref-endpoints",
                path + (("name",) if pname else ()),
                hint="endpoint ports are matched to Service ports by name; use the same names",
            ), ep
            continue
        expected = wanted[pname]
        number = port.get("port")
        if numbers and isinstance(number, int) and expected is not None and number != expected:
            yield _warning(
                f'port {number} differs from targetPort {expected} of Service "{svc_name}" port "{pname}"',
                "ref-endpoints",
                path + ("port",),
                hint="set the Service port's targetPort to the port the backends listen on",
            ), ep


# --- pod-level references -----------------------------------------------------------------


def _subdomains(idx: _Index) -> Found:
    for pv in idx.pods:
        sub = pv.spec.get("subdomain")
        if not isinstance(sub, str) or not sub:
            continue
        svc = idx.get("Service", pv.namespace, sub, near=pv.obj)
        if svc is None and idx.has("Service", pv.namespace, sub):
            continue  # declared external
        headless = svc is not None and as_dict(svc.get("spec")).get("clusterIP") == "None"
        if not headless:
            yield _warning(
                f'subdomain "{sub}" has no headless Service of that name in namespace "{pv.namespace}"',
                "ref-subdomain",
                pv.path("subdomain"),
                hint=f"add a Service named {sub} with clusterIP: None that selects this pod; without it the pod gets no DNS name",
            ), pv.obj
        elif not _selects(_service_selector(svc), pv.labels) or not _service_selector(svc):
            yield _warning(
                f'headless Service "{sub}" does not select this pod, so the pod gets no DNS record',
                "ref-subdomain",
                pv.path("subdomain"),
                hint="make the Service's selector match the pod's labels",
            ), pv.obj


def _resource_field_refs(pv: PodView) -> Iterator[tuple[tuple, str]]:
    """(path of containerName, value) in env and downwardAPI (also projected) volumes."""
    for fld in ("initContainers", "containers"):
        for i, c in enumerate(as_list(pv.spec.get(fld))):
            for j, env in enumerate(as_list(as_dict(c).get("env"))):
                ref = as_dict(as_dict(as_dict(env).get("valueFrom")).get("resourceFieldRef"))
                if isinstance(ref.get("containerName"), str) and ref["containerName"]:
                    yield pv.path(fld, i, "env", j, "valueFrom", "resourceFieldRef", "containerName"), ref["containerName"]
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        vol = as_dict(vol)
        sources = [(("volumes", i, "downwardAPI"), as_dict(vol.get("downwardAPI")))]
        for k, src in enumerate(as_list(as_dict(vol.get("projected")).get("sources"))):
            sources.append((("volumes", i, "projected", "sources", k, "downwardAPI"), as_dict(as_dict(src).get("downwardAPI"))))
        for base, dapi in sources:
            for j, item in enumerate(as_list(dapi.get("items"))):
                ref = as_dict(as_dict(item).get("resourceFieldRef"))
                if isinstance(ref.get("containerName"), str) and ref["containerName"]:
                    yield pv.path(*base, "items", j, "resourceFieldRef", "containerName"), ref["containerName"]


def _container_names(idx: _Index) -> Found:
    for pv in idx.pods:
        names = pv.container_names()
        for path, cname in _resource_field_refs(pv):
            if cname not in names:
                known = ", ".join(sorted(n for n in names if isinstance(n, str))) or "none"
                yield _warning(
                    f'resourceFieldRef.containerName "{cname}" names no container of this pod',
                    "ref-container-name",
                    path,
                    hint=f"use one of: {known}",
                ), pv.obj


def _config_refs(pv: PodView) -> Iterator[tuple[tuple, str, str, str | None, bool]]:
    """(path of the name, kind, name, key or None, optional) for every config reference."""
    for fld in ("initContainers", "containers", "ephemeralContainers"):
        for i, c in enumerate(as_list(pv.spec.get(fld))):
            c = as_dict(c)
            for j, env in enumerate(as_list(c.get("env"))):
                vf = as_dict(as_dict(env).get("valueFrom"))
                for ref_key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                    ref = as_dict(vf.get(ref_key))
                    if ref:
                        key = ref.get("key") if isinstance(ref.get("key"), str) else None
                        yield pv.path(fld, i, "env", j, "valueFrom", ref_key, "name"), kind, ref.get("name"), key, ref.get("optional") is True
            for j, src in enumerate(as_list(c.get("envFrom"))):
                src = as_dict(src)
                for ref_key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    ref = as_dict(src.get(ref_key))
                    if ref:
                        yield pv.path(fld, i, "envFrom", j, ref_key, "name"), kind, ref.get("name"), None, ref.get("optional") is True
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        vol = as_dict(vol)
        cm, sec, pvc = as_dict(vol.get("configMap")), as_dict(vol.get("secret")), as_dict(vol.get("persistentVolumeClaim"))
        if cm:
            yield pv.path("volumes", i, "configMap", "name"), "ConfigMap", cm.get("name"), None, cm.get("optional") is True
        if sec:
            yield pv.path("volumes", i, "secret", "secretName"), "Secret", sec.get("secretName"), None, sec.get("optional") is True
        if pvc:
            yield pv.path("volumes", i, "persistentVolumeClaim", "claimName"), "PersistentVolumeClaim", pvc.get("claimName"), None, False
        for k, src in enumerate(as_list(as_dict(vol.get("projected")).get("sources"))):
            src = as_dict(src)
            for src_key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                ref = as_dict(src.get(src_key))
                if ref:
                    yield pv.path("volumes", i, "projected", "sources", k, src_key, "name"), kind, ref.get("name"), None, ref.get("optional") is True


def _data_keys(obj: dict) -> set:
    keys: set = set()
    for fld in ("data", "binaryData", "stringData"):
        keys.update(as_dict(obj.get(fld)))
    return keys


def _configs(idx: _Index) -> Found:
    for pv in idx.pods:
        for path, kind, name, key, optional in _config_refs(pv):
            if optional or not isinstance(name, str) or not name:
                continue
            obj = idx.get(kind, pv.namespace, name, near=pv.obj)
            if obj is None:
                if idx.has(kind, pv.namespace, name):
                    continue
                yield _warning(
                    f'{kind} "{name}" is not defined in namespace "{pv.namespace}"',
                    "ref-config",
                    path,
                    hint=f"add the {kind}, mark the reference optional: true, or declare it external; "
                    "the pod will not start without it",
                ), pv.obj
            elif key is not None and key not in _data_keys(obj):
                yield _warning(
                    f'{kind} "{name}" has no key "{key}"',
                    "ref-config",
                    path[:-1] + ("key",),
                    hint=f"add the key to the {kind}, or mark the reference optional: true",
                ), pv.obj


CHECKS = (_services, _service_accounts, _bindings, _endpoints, _subdomains, _container_names, _configs)


def check(ctx: Context) -> Found:
    """Every cross-object problem of the set, each with the object it is about."""
    yield from _duplicates(ctx)
    idx = _index(ctx)
    for chk in CHECKS:
        yield from chk(idx)
