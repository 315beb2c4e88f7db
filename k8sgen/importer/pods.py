"""Pods, and the pod spec of every workload, back to a pod entry.

The inverse of normalize/pods.py: one container named like the entry becomes the one-container
shorthand (its fields on the entry itself); ports become `"name:8080"` text, env a map, the
trailing fieldRef/resourceFieldRef env vars `downward.env` (`requests.cpu/1m`), volume mounts
`mounts: {PATH: VOLUME}`, volumes their short sources, and the `kubectl proxy` ambassador that
`apiProxy` adds is `apiProxy` again.
"""

from __future__ import annotations

from .. import apiproxy
from ..normalize.pods import OWN_FORM
from .base import CANNOT, Entry, Group, Unsupported, metadata, mode, only

_POD_KEYS = ("hostname", "subdomain", "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "restartPolicy",
             "nodeSelector", "securityContext", "initContainers", "containers", "volumes") + OWN_FORM
_COPY = ("command", "args", "workingDir", "imagePullPolicy", "securityContext", "readinessProbe", "livenessProbe", "startupProbe")
_CONTAINER_KEYS = ("name", "image", "ports", "env", "envFrom", "resources", "volumeMounts", "restartPolicy") + _COPY
_SPEC_REF = {"configMapKeyRef": "ConfigMap", "secretKeyRef": "Secret"}


def propose(g: Group) -> list:
    out = []
    for k, obj in g.free("Pod"):
        try:
            entry: dict = {}
            metadata(obj, entry)
            only(obj, ("apiVersion", "kind", "metadata", "spec"), "")
            entry = {**pod_entry(g, k[2], obj.get("spec") or {}), **entry}
        except CANNOT:
            continue
        out.append(Entry("pods", k[2], entry, [k]))
    return out


def _proxy(c: dict, pod_sc: object):
    """The apiProxy setting that renders this container in a pod whose securityContext is
    `pod_sc`, or None. k8sgen's hardened form needs no setting; any other securityContext
    (the pre-hardening form had none: `{}`) becomes `securityContext`, so what renders back is
    exactly this container."""
    if not apiproxy.is_ambassador(c) or c.get("resources") != apiproxy.RESOURCES:
        return None
    if not set(c) <= {"name", "image", "args", "resources", "securityContext"} or not isinstance(c.get("image"), str):
        return None
    sc = c.get("securityContext", {})
    if not isinstance(sc, dict):
        return None
    port = apiproxy.port_of(c["args"])
    if not 1 <= port <= 65535:
        return None  # outside what the spec's port takes
    settings: dict = {}
    if c["image"] != apiproxy.IMAGE:
        settings["image"] = c["image"]
    if port != apiproxy.PORT:
        settings["port"] = port
    if sc != apiproxy.security_context(pod_sc):
        settings["securityContext"] = sc
    return settings or True


def pod_entry(g: Group, name: str, spec: dict, restart_default: str | None = None, claims: tuple = ()) -> dict:
    """A pod entry for pod spec `spec` of an object or workload named `name`. `restart_default`
    is the restartPolicy k8sgen gives this kind when the entry has none."""
    only(spec, _POD_KEYS, "spec")
    entry: dict = {}
    containers = list(spec.get("containers") or [])
    init = list(spec.get("initContainers") or [])
    proxy = _proxy(containers[-1], spec.get("securityContext")) if len(containers) > 1 and isinstance(containers[-1], dict) else None
    if proxy is not None:
        containers = containers[:-1]
    if not containers:
        raise Unsupported("spec.containers")
    regular_names = [c.get("name") for c in containers]
    default_container = regular_names[-1] if len(containers) == 1 else None
    volumes = _volumes(g, spec.get("volumes") or [], default_container)
    one = len(containers) == 1 and containers[0].get("name") == name  # init containers stay a map beside it
    if init:
        entry["initContainers"] = {c["name"]: _container(g, c) for c in init}
    if one:
        entry.update(_container(g, containers[0]))
    else:
        entry["containers"] = {c["name"]: _container(g, c) for c in containers}
    if len(entry.get("containers", containers)) != len(containers) or len(entry.get("initContainers", {})) != len(init):
        raise Unsupported("two containers of one name")
    if volumes:
        entry["volumes"] = volumes
    if proxy is not None:
        entry["apiProxy"] = proxy
    sa = spec.get("serviceAccountName", spec.get("serviceAccount"))
    if spec.get("serviceAccount") not in (None, sa):
        raise Unsupported("spec.serviceAccount")
    automount = spec.get("automountServiceAccountToken")
    if sa is not None:
        entry["serviceAccount"] = sa
        if automount is not None:
            entry["automountServiceAccountToken"] = automount
    elif proxy is not None:
        if automount is not None:
            entry["automountServiceAccountToken"] = automount
    elif automount is None:
        # k8sgen gives a pod without an account no token; the API server's pod has one, from
        # the account `default` (the ServiceAccount admission plugin): say so.
        entry["serviceAccount"] = "default"
    elif automount:
        entry["automountServiceAccountToken"] = True
    for k in ("hostname", "subdomain", "nodeSelector"):
        if spec.get(k):
            entry[k] = spec[k]
    if spec.get("securityContext"):
        entry["podSecurityContext"] = spec["securityContext"]
    for k in OWN_FORM:  # Kubernetes' own form, as the spec takes them
        if k in spec:
            entry[k] = spec[k]
    restart = spec.get("restartPolicy")
    if restart is not None and restart != restart_default:
        entry["restartPolicy"] = restart
    return entry


def _container(g: Group, c: dict) -> dict:
    only(c, _CONTAINER_KEYS, "container")
    if not c.get("image"):
        raise Unsupported("container.image")
    out: dict = {"image": c["image"]}
    for k in ("command", "args", "workingDir"):
        if k in c:
            out[k] = c[k]
    if c.get("ports"):
        out["ports"] = [_port(p) for p in c["ports"]]
    env, dw = _env(g, c.get("env") or [])
    if env:
        out["env"] = env
    if c.get("envFrom"):
        out["envFrom"] = [_env_from(g, e) for e in c["envFrom"]]
    res = c.get("resources")
    if res:
        only(res, ("limits", "requests"), "resources")
        kept = {k: res[k] for k in ("requests", "limits") if res.get(k)}
        if kept:
            out["resources"] = kept
    if c.get("volumeMounts"):
        mounts = {}
        for m in c["volumeMounts"]:
            only(m, ("name", "mountPath", "readOnly", "subPath"), "volumeMounts")
            if m["mountPath"] in mounts:
                raise Unsupported("two mounts at one path")
            extra = {k: m[k] for k in ("readOnly", "subPath") if k in m}
            mounts[m["mountPath"]] = {"volume": m["name"], **extra} if extra else m["name"]
        out["mounts"] = mounts
    if dw:
        out["downward"] = {"env": dw}
    for k in ("imagePullPolicy", "securityContext", "readinessProbe", "livenessProbe", "startupProbe", "restartPolicy"):
        if k in c:
            out[k] = c[k]
    return out


def _port(p: dict):
    only(p, ("name", "containerPort", "protocol", "hostPort"), "ports")
    port, name, proto = p["containerPort"], p.get("name"), p.get("protocol", "TCP")
    if "hostPort" in p:
        out = {"port": port}
        if name:
            out["name"] = name
        if proto != "TCP":
            out["protocol"] = proto
        out["hostPort"] = p["hostPort"]
        return out
    if not name and proto == "TCP":
        return port
    text = f"{name}:{port}" if name else str(port)
    return text + (f"/{proto}" if proto != "TCP" else "")


def _field_text(ref: dict, kind: str) -> str:
    if kind == "fieldRef":
        only(ref, ("fieldPath", "apiVersion"), "fieldRef")
        if ref.get("apiVersion", "v1") != "v1":
            raise Unsupported("fieldRef.apiVersion")
        return ref["fieldPath"]
    only(ref, ("resource", "divisor", "containerName"), "resourceFieldRef")
    divisor = ref.get("divisor")
    return ref["resource"] + (f"/{divisor}" if divisor is not None else "")


def _env(g: Group, items: list) -> tuple:
    """(env map, downward.env map). Only the trailing run of downward vars (without a container
    name) can be `downward.env`: the spec renders those after the others."""
    names = [e.get("name") for e in items]
    if len(set(names)) != len(names):
        raise Unsupported("env var set twice")
    split = len(items)
    while split > 0:
        vf = items[split - 1].get("valueFrom") or {}
        if set(items[split - 1]) == {"name", "valueFrom"} and (set(vf) == {"fieldRef"} or (set(vf) == {"resourceFieldRef"} and "containerName" not in vf["resourceFieldRef"])):
            split -= 1
        else:
            break
    env, dw = {}, {}
    for i, e in enumerate(items):
        only(e, ("name", "value", "valueFrom"), "env")
        if "valueFrom" not in e:
            v = e.get("value", "")
            if not isinstance(v, str):
                raise Unsupported("env.value")
            env[e["name"]] = v
            continue
        vf = e["valueFrom"]
        if len(vf) != 1 or "value" in e:
            raise Unsupported("env.valueFrom")
        (kind, ref), = vf.items()
        if kind in ("fieldRef", "resourceFieldRef"):
            text = _field_text(ref, kind)
            if i >= split:
                dw[e["name"]] = text
            else:
                long = {kind: text}
                if ref.get("containerName"):
                    long["container"] = ref["containerName"]
                env[e["name"]] = long
        elif kind in _SPEC_REF:
            ref = dict(ref)
            ref["name"] = g.spec_name(_SPEC_REF[kind], ref.get("name", ""))
            env[e["name"]] = {kind: ref}
        else:
            raise Unsupported(f"env.valueFrom.{kind}")
    return env, dw


def _env_from(g: Group, e: dict) -> dict:
    only(e, ("configMapRef", "secretRef", "prefix"), "envFrom")
    kinds = [k for k in ("configMapRef", "secretRef") if k in e]
    if len(kinds) != 1:
        raise Unsupported("envFrom")
    ref = e[kinds[0]]
    only(ref, ("name", "optional"), "envFrom")
    kind = "configMap" if kinds[0] == "configMapRef" else "secret"
    out = {kind: g.spec_name("ConfigMap" if kind == "configMap" else "Secret", ref["name"])}
    if "optional" in ref:
        out["optional"] = ref["optional"]
    if "prefix" in e:
        out["prefix"] = e["prefix"]
    return out


def _volumes(g: Group, volumes: list, default_container) -> dict:
    out: dict = {}
    for v in volumes:
        v = dict(v)
        name = v.pop("name")
        if not v:
            v = {"emptyDir": {}}  # a volume with only a name: the API server's default source
        if name in out or len(v) != 1:
            raise Unsupported("volumes")
        (kind, src), = v.items()
        src = src or {}
        if kind == "emptyDir":
            only(src, ("medium", "sizeLimit"), "emptyDir")
            out[name] = {"emptyDir": dict(src)}
        elif kind in ("configMap", "secret"):
            key = "name" if kind == "configMap" else "secretName"
            only(src, (key, "items", "defaultMode", "optional"), kind)
            ref = {"name": g.spec_name("ConfigMap" if kind == "configMap" else "Secret", src.get(key, ""))}
            if src.get("items"):
                items = {}
                for it in src["items"]:
                    only(it, ("key", "path"), "items")
                    if it["key"] in items:
                        raise Unsupported("items")
                    items[it["key"]] = it["path"]
                ref["items"] = items
            if "defaultMode" in src:
                ref["defaultMode"] = mode(src["defaultMode"])
            if "optional" in src:
                ref["optional"] = src["optional"]
            out[name] = {kind: ref["name"] if len(ref) == 1 else ref}
        elif kind == "persistentVolumeClaim":
            only(src, ("claimName", "readOnly"), kind)
            out[name] = {kind: src["claimName"] if set(src) == {"claimName"} else dict(src)}
        elif kind == "downwardAPI":
            only(src, ("items", "defaultMode"), kind)
            files = {}
            for it in src.get("items") or []:
                only(it, ("path", "fieldRef", "resourceFieldRef", "mode"), "items")
                refs = [k for k in ("fieldRef", "resourceFieldRef") if k in it]
                if len(refs) != 1 or it["path"] in files:
                    raise Unsupported("downwardAPI.items")
                text = _field_text(it[refs[0]], refs[0])
                f: dict = {"field": text}
                cname = it[refs[0]].get("containerName")
                if refs[0] == "resourceFieldRef" and cname != default_container:
                    f["container"] = cname
                if "mode" in it:
                    f["mode"] = mode(it["mode"])
                files[it["path"]] = text if len(f) == 1 else f
            dv: dict = {"files": files}
            if "defaultMode" in src:
                dv["defaultMode"] = mode(src["defaultMode"])
            out[name] = {kind: dv}
        elif kind == "projected":
            only(src, ("sources",), kind)
            sources = src.get("sources") or []
            if len(sources) != 1 or set(sources[0]) != {"serviceAccountToken"}:
                raise Unsupported("projected")
            t = sources[0]["serviceAccountToken"]
            only(t, ("path", "expirationSeconds", "audience"), "serviceAccountToken")
            token = {}
            if t.get("path", "token") != "token":
                token["path"] = t["path"]
            if t.get("expirationSeconds", 3600) != 3600:
                token["expirationSeconds"] = t["expirationSeconds"]
            if "audience" in t:
                token["audience"] = t["audience"]
            out[name] = {"serviceAccountToken": token}
        else:
            raise Unsupported(f"volumes.{kind}")
    return out
