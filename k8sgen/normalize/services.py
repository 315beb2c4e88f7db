"""Services, and the Endpoints and EndpointSlices of Services without a selector."""

from __future__ import annotations

import ipaddress
import re

from .base import Context

ENDPOINTSLICE_MANAGER = "k8sgen.dev"
_PORT_S = re.compile(r"([0-9]+)(?::([0-9]+|[a-z0-9-]+))?(?:/(TCP|UDP|SCTP))?\Z")


def normalize(cx: Context) -> None:
    for name, svc in cx.spec.get("services", {}).items():
        _service(cx, name, svc, ("services", name))


def _selector(cx: Context, svc: dict, src: tuple) -> dict:
    """`selector`, or the selector of the workload named by `selectWorkload`."""
    target = svc.get("selectWorkload")
    if target is None:
        return svc.get("selector", {})
    if "selector" in svc:
        cx.error("give selector or selectWorkload, not both", src + ("selectWorkload",), "selectWorkload: NAME selects that workload's pods", rule="spec-service", key=True)
        return svc["selector"]
    found = cx.workloads.get(target)
    if found is None:
        known = ", ".join(sorted(cx.workloads)) or "none"
        cx.error(f"selectWorkload names {target!r}, which is no workload of this spec", src + ("selectWorkload",), f"workloads: {known}", rule="spec-service")
        return {}
    return dict(found[1])



def _service(cx: Context, name: str, svc: dict, src: tuple) -> None:
    ports = []
    for i, p in enumerate(svc.get("ports", [])):
        port = _service_port(cx, p, src + ("ports", i))
        if port:
            ports.append(port)
    if len(ports) > 1:
        for p in ports:
            p.setdefault("name", f"{p['protocol'].lower()}-{p['port']}")
    ctx: dict = {"type": svc.get("type", "ClusterIP"), "ports": ports, "selector": _selector(cx, svc, src), "clusterIP": None, "externalName": None}
    for k in ("sessionAffinity", "publishNotReadyAddresses", "externalTrafficPolicy"):
        ctx[k] = svc.get(k)
    ext = svc.get("externalName")
    if ext is not None:
        for k in ("selector", "selectWorkload", "headless", "endpoints", "type"):
            if k in svc:
                cx.error(f"an ExternalName Service has no {k}", src + (k,), "remove it, or remove externalName", rule="spec-service", key=True)
        ctx.update(type="ExternalName", externalName=ext)
    elif svc.get("headless"):
        if ctx["type"] != "ClusterIP":
            cx.error(f"a headless Service is of type ClusterIP, not {ctx['type']}", src + ("type",), "remove type or headless", rule="spec-service")
        ctx["clusterIP"] = "None"
    elif not ports:
        cx.error(f"a {ctx['type']} Service needs at least one port", src, "add ports: [\"80:8080\"], or make it headless: true", rule="spec-service")
    if ctx["type"] not in ("NodePort", "LoadBalancer"):
        for i, p in enumerate(ports):
            if "nodePort" in p:
                cx.error(f"nodePort needs type NodePort or LoadBalancer, not {ctx['type']}", src + ("ports", i), rule="spec-service")
        if ctx["externalTrafficPolicy"]:
            cx.error("externalTrafficPolicy needs type NodePort or LoadBalancer", src + ("externalTrafficPolicy",), rule="spec-service", key=True)
    cx.add("Service", "v1", name, True, "service.yaml.j2", ctx, src, svc, {("spec", "ports"): src + ("ports",), ("spec", "selector"): src + ("selectWorkload" if "selectWorkload" in svc else "selector",)})

    addresses = svc.get("endpoints")
    if addresses is None:
        return
    if ctx["selector"]:
        cx.error("endpoints are for Services without a selector", src + ("endpoints",), "remove the selector: Kubernetes would replace these endpoints with the selected pods", rule="spec-service", key=True)
        return
    families: dict = {}
    for i, a in enumerate(addresses):
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            cx.error(f"{a!r} is not an IP address", src + ("endpoints", i), "endpoints are IPv4 or IPv6 addresses; for a host name use externalName", rule="spec-endpoints")
            continue
        families.setdefault(f"IPv{ip.version}", []).append(str(ip) if str(ip) == a else a)
    ep_ports = []
    for i, p in enumerate(ports):
        target = p.get("targetPort", p["port"])
        if isinstance(target, str):
            cx.error(f"targetPort {target!r} names a container port, but this Service has no pods", src + ("ports", i), "use the port number the outside address listens on", rule="spec-endpoints")
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
        cx.add("Endpoints", "v1", name, True, "endpoints.yaml.j2", {"addresses": all_addresses, "ports": ep_ports}, src + ("endpoints",), entry, eorigins)
    if "EndpointSlice" in kinds:
        for fam, ips in sorted(families.items()):
            slice_entry = {"labels": {**svc.get("labels", {}), "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": ENDPOINTSLICE_MANAGER}, "ignore": svc.get("ignore", ())}
            ports_s = [dict(p, name=p.get("name", "")) for p in ep_ports]
            cx.add("EndpointSlice", "discovery.k8s.io/v1", f"{name}-{fam.lower()}", True, "endpointslice.yaml.j2", {"addressType": fam, "addresses": ips, "ports": ports_s}, src + ("endpoints",), slice_entry, {("endpoints",): src + ("endpoints",), ("ports",): src + ("ports",)})


def _service_port(cx: Context, p, path: tuple):
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


