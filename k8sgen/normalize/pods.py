"""Pods, and the pod spec every workload shares: containers, env, volumes, the downward API.

`pod_spec` is the one place a pod entry becomes a pod spec; Pods and every workload (Deployment,
StatefulSet, DaemonSet, Job, CronJob) call it, so a shorthand works the same everywhere.
"""

from __future__ import annotations

import re

from .. import apiproxy, downward
from .base import Context, mode
from .rbac import automount as account_automount

_KIND = {"configMap": "ConfigMap", "secret": "Secret"}
_PORT_C = re.compile(r"(?:([a-z0-9-]+):)?([0-9]+)(?:/(TCP|UDP|SCTP))?\Z")

# Pod spec fields a pod entry takes in Kubernetes' own form (the rendered object is checked
# against the Kubernetes schema), written in this order after securityContext.
OWN_FORM = ("priorityClassName", "terminationGracePeriodSeconds", "dnsPolicy", "hostNetwork", "tolerations", "affinity", "topologySpreadConstraints")

_CONTAINER_KEYS = (
    "image", "command", "args", "workingDir", "env", "envFrom", "ports", "resources", "mounts", "downward",
    "imagePullPolicy", "securityContext", "readinessProbe", "livenessProbe", "startupProbe",
)


def normalize(cx: Context) -> None:
    for name, pod in cx.spec.get("pods", {}).items():
        src = ("pods", name)
        origins: dict = {("spec",): src}
        ctx = pod_spec(cx, name, pod, src, ("spec",), origins)
        if ctx is not None:
            cx.add("Pod", "v1", name, True, "pod.yaml.j2", ctx, src, pod, origins)


def pod_spec(cx: Context, name: str, pod: dict, src: tuple, prefix: tuple, origins: dict, claims: tuple = ()) -> dict | None:
    """The pod spec of a pod entry or of any workload entry (`prefix` is where it sits in the
    object: ("spec",) in a Pod, ("spec", "template", "spec") in a Deployment...). Fills
    `origins`; returns None after reporting a problem that leaves no pod to render. `claims`
    are volume names a StatefulSet's volumeClaimTemplates provide."""
    shorthand = [k for k in _CONTAINER_KEYS if k in pod]
    containers_spec = pod.get("containers")
    if containers_spec and shorthand:
        cx.error(f"container field {shorthand[0]!r} at pod level, but the pod lists containers", src + (shorthand[0],), "move it into one of the containers", rule="spec-pod", key=True)
        return None
    if not containers_spec and "image" not in pod:
        cx.error("a pod needs an image (or a containers list)", src, "add image: IMAGE", rule="spec-pod")
        return None
    regular = [(name, {k: pod[k] for k in shorthand}, src)] if not containers_spec else [
        (cname, cs, src + ("containers", cname)) for cname, cs in containers_spec.items()
    ]
    init = [(cname, cs, src + ("initContainers", cname)) for cname, cs in pod.get("initContainers", {}).items()]

    volumes: list = []
    vol_index: dict = {}

    def add_volume(vname: str, source: dict, vsrc: tuple) -> None:
        if vname in vol_index or vname in claims:
            cx.error(f"two volumes are named {vname!r}", vsrc, "give one of them another name", rule="spec-pod-volume")
            return
        vol_index[vname] = len(volumes)
        origins[prefix + ("volumes", len(volumes))] = vsrc
        volumes.append({"name": vname, **source})

    container_names = [n for n, _, _ in init + regular]
    for vname, v in pod.get("volumes", {}).items():
        vsrc = src + ("volumes", vname)
        source = _volume_source(cx, v, vsrc, container_names, default_container=container_names[-1] if len(regular) == 1 else None)
        if source is not None:
            add_volume(vname, source, vsrc)

    built_init = [_container(cx, n, cs, csrc, add_volume, container_names) for n, cs, csrc in init]
    built = [_container(cx, n, cs, csrc, add_volume, container_names) for n, cs, csrc in regular]
    for i, (_, _, csrc) in enumerate(init):
        _container_origins(origins, prefix + ("initContainers", i), csrc, built_init[i])
    for i, (_, _, csrc) in enumerate(regular):
        _container_origins(origins, prefix + ("containers", i), csrc, built[i])

    automount = pod.get("automountServiceAccountToken")
    proxy = pod.get("apiProxy")
    if automount is None and not proxy and not pod.get("serviceAccount"):
        # Safe default: a pod that declares no API access gets no API credentials.
        automount = False
    if proxy:
        settings = proxy if isinstance(proxy, dict) else {}
        port = settings.get("port", apiproxy.PORT)
        if automount is False:
            cx.error("apiProxy needs the service-account token", src + ("automountServiceAccountToken",), "remove automountServiceAccountToken: false", rule="spec-pod")
        sa = cx.spec.get("serviceAccounts", {}).get(pod.get("serviceAccount", ""), {})
        if automount is None and account_automount(None, sa) is False:
            automount = True  # the account opts out by default; this pod needs its token
        kpath = prefix + ("containers", len(built))
        origins[kpath] = src + ("apiProxy",)
        proxy_c = {"name": apiproxy.NAME, "image": settings.get("image", apiproxy.IMAGE), "args": apiproxy.args(port), "resources": apiproxy.RESOURCES}
        # k8sgen's own container meets k8sgen's default lint profile (apiproxy.py says why each
        # field is safe); the user's securityContext replaces it whole, and {} renders none.
        sc = settings.get("securityContext", apiproxy.security_context(pod.get("podSecurityContext")))
        if "securityContext" in settings:
            origins[kpath + ("securityContext",)] = src + ("apiProxy", "securityContext")
        if sc:
            proxy_c["securityContext"] = sc
        built.append(proxy_c)
    for cont in built_init + built:
        for i, m in enumerate(cont.get("volumeMounts", [])):
            if m["name"] not in vol_index and m["name"] not in claims:
                known = ", ".join(sorted(set(vol_index) | set(claims))) or "none"
                cx.error(f"mount {m['mountPath']!r} names volume {m['name']!r}, which this pod does not have", cont["_mount_src"][i], f"volumes of this pod: {known}", rule="spec-pod-volume")
    all_names = [x["name"] for x in built_init + built]
    for n in {x for x in all_names if all_names.count(x) > 1}:
        cx.error(f"two containers are named {n!r}", src, "container names must be unique in a pod (api-proxy is taken by apiProxy)", rule="spec-pod")
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
        "own": [(k, pod[k]) for k in OWN_FORM if k in pod],
    }
    for k in OWN_FORM:
        origins[prefix + (k,)] = src + (k,)
    for k, v in (("nodeSelector", "nodeSelector"), ("securityContext", "podSecurityContext"), ("serviceAccountName", "serviceAccount"), ("hostname", "hostname"), ("subdomain", "subdomain"), ("restartPolicy", "restartPolicy")):
        origins[prefix + (k,)] = src + (v,)
    return ctx


def _public(container: dict) -> dict:
    return {k: v for k, v in container.items() if not k.startswith("_")}


def _container_origins(origins: dict, kpath: tuple, csrc: tuple, built: dict) -> None:
    origins[kpath] = csrc
    for k in ("ports", "env", "volumeMounts", "envFrom"):
        for i, s in enumerate(built.get(f"_{k}_src", [])):
            origins[kpath + (k, i)] = s
    for k in ("securityContext", "readinessProbe", "livenessProbe", "startupProbe", "resources", "command", "args", "image"):
        origins[kpath + (k,)] = csrc + (k,)


def _container(cx: Context, name: str, cs: dict, csrc: tuple, add_volume, container_names: list) -> dict:
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
        e = _env(cx, vname, v, esrc)
        if e:
            env.append(e)
            env_src.append(esrc)
    dw = cs.get("downward", {})
    for vname, text in dw.get("env", {}).items():
        esrc = csrc + ("downward", "env", vname)
        if vname in cs.get("env", {}):
            cx.error(f"env var {vname!r} is set twice (env and downward.env)", esrc, rule="spec-env", key=True)
            continue
        ref = _field_ref(cx, text, "env", esrc, None)
        if ref:
            env.append({"name": vname, "valueFrom": ref})
            env_src.append(esrc)
    envfrom, envfrom_src = [], []
    for i, e in enumerate(cs.get("envFrom", [])):
        kinds = [k for k in ("configMap", "secret") if k in e]
        if len(kinds) != 1:
            cx.error("envFrom entries name exactly one of configMap or secret", csrc + ("envFrom", i), rule="spec-env")
            continue
        ref = {"name": cx.final_name(_KIND[kinds[0]], e[kinds[0]])}
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
        items = _downward_files(cx, vol["files"], vsrc + ("files",), container_names, name)
        source: dict = {"downwardAPI": {"items": items}}
        if "defaultMode" in vol:
            source["downwardAPI"]["defaultMode"] = mode(cx, vol["defaultMode"], vsrc + ("defaultMode",))
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


def _env(cx: Context, name: str, v, path: tuple):
    if v is None or isinstance(v, str):
        return {"name": name, "value": v if v is not None else ""}
    sources = [k for k in ("value", "fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef") if k in v]
    if len(sources) != 1:
        cx.error("an env var has exactly one of value, fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef", path, rule="spec-env")
        return None
    k = sources[0]
    if "container" in v and k != "resourceFieldRef":
        cx.error("container goes only with resourceFieldRef", path + ("container",), rule="spec-env", key=True)
        return None
    if k == "value":
        return {"name": name, "value": v["value"]}
    if k in ("fieldRef", "resourceFieldRef"):
        ref = _field_ref(cx, v[k], "env", path + (k,), v.get("container"))
        if ref and k == "fieldRef" and "resourceFieldRef" in ref:
            cx.error(f"{v[k]!r} is a container resource", path + (k,), "use resourceFieldRef for requests.* and limits.*", rule="spec-downward")
            return None
        if ref and k == "resourceFieldRef" and "fieldRef" in ref:
            cx.error(f"{v[k]!r} is a pod field, not a container resource", path + (k,), "use fieldRef for it", rule="spec-downward")
            return None
        return {"name": name, "valueFrom": ref} if ref else None
    ref = dict(v[k])
    # A ConfigMap or Secret of the spec may carry a content-hash suffix: refer to its final name.
    ref["name"] = cx.final_name("ConfigMap" if k == "configMapKeyRef" else "Secret", ref["name"])
    return {"name": name, "valueFrom": {k: ref}}


def _field_ref(cx: Context, text: str, where: str, path: tuple, container: str | None):
    try:
        use = downward.parse(text, where)
    except downward.DownwardError as e:
        cx.error(str(e), path, e.hint, rule="spec-downward")
        return None
    if use.field:
        return {"fieldRef": {"fieldPath": use.field}}
    ref: dict = {"resource": use.resource}
    if container:
        ref["containerName"] = container
    if use.divisor:
        ref["divisor"] = use.divisor
    return {"resourceFieldRef": ref}


def _downward_files(cx: Context, files: dict, path: tuple, container_names: list, default_container: str | None) -> list:
    items = []
    for fpath, f in files.items():
        fsrc = path + (fpath,)
        f = {"field": f} if isinstance(f, str) else f
        ref = _field_ref(cx, f["field"], "volume", fsrc, None)
        if not ref:
            continue
        if "resourceFieldRef" in ref:
            cname = f.get("container", default_container)
            if cname is None:
                cx.error("which container's resources? this pod has several", fsrc, "add container: NAME (long form: {field: ..., container: NAME})", rule="spec-downward")
                continue
            ref["resourceFieldRef"] = {"containerName": cname, **ref["resourceFieldRef"]}
        item = {"path": fpath, **ref}
        if "mode" in f:
            item["mode"] = mode(cx, f["mode"], fsrc + ("mode",))
        items.append(item)
    return items


def _volume_source(cx: Context, v: dict, path: tuple, container_names: list, default_container: str | None):
    (kind, spec), = v.items()
    if kind == "emptyDir":
        return {"emptyDir": dict(spec or {})}
    if kind in ("configMap", "secret"):
        spec = {"name": spec} if isinstance(spec, str) else dict(spec)
        out: dict = {("name" if kind == "configMap" else "secretName"): cx.final_name(_KIND[kind], spec["name"])}
        if "items" in spec:
            out["items"] = [{"key": k, "path": p} for k, p in spec["items"].items()]
        if "defaultMode" in spec:
            out["defaultMode"] = mode(cx, spec["defaultMode"], path + (kind, "defaultMode"))
        if "optional" in spec:
            out["optional"] = spec["optional"]
        return {kind: out}
    if kind == "persistentVolumeClaim":
        spec = {"claimName": spec} if isinstance(spec, str) else dict(spec)
        return {kind: spec}
    if kind == "downwardAPI":
        out = {"items": _downward_files(cx, spec["files"], path + (kind, "files"), container_names, default_container)}
        if "defaultMode" in spec:
            out["defaultMode"] = mode(cx, spec["defaultMode"], path + (kind, "defaultMode"))
        return {kind: out}
    if kind == "serviceAccountToken":
        token = {"path": spec.get("path", "token"), "expirationSeconds": spec.get("expirationSeconds", 3600)}
        if "audience" in spec:
            token["audience"] = spec["audience"]
        return {"projected": {"sources": [{"serviceAccountToken": token}]}}
    return None
