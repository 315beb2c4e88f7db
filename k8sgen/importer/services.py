"""Services back to entries: `"80:8080"` ports, headless, ExternalName, `selectWorkload`, and
the Endpoints of a selector-less Service folded into its `endpoints:` addresses."""

from __future__ import annotations

from .base import CANNOT, Entry, Group, Unsupported, metadata, only

_SPEC = ("type", "clusterIP", "externalName", "selector", "ports", "sessionAffinity", "publishNotReadyAddresses", "externalTrafficPolicy")


def propose(g: Group) -> list:
    out = []
    for k, obj in g.free("Service"):
        try:
            entry, keys = _service(g, k[2], obj)
        except CANNOT:
            continue
        out.append(Entry("services", k[2], entry, [k] + keys))
    return out


def _port(p: dict):
    only(p, ("name", "port", "targetPort", "protocol", "nodePort", "appProtocol"), "ports")
    proto = p.get("protocol", "TCP")
    target = p.get("targetPort", p["port"])
    if set(p) <= {"port", "targetPort", "protocol"}:
        text = str(p["port"]) if target == p["port"] else f"{p['port']}:{target}"
        if proto != "TCP":
            return text + f"/{proto}"
        return p["port"] if target == p["port"] else text
    out = {k: p[k] for k in ("name", "port") if k in p}
    if target != p["port"]:
        out["targetPort"] = target
    if proto != "TCP":
        out["protocol"] = proto
    for k in ("nodePort", "appProtocol"):
        if k in p:
            out[k] = p[k]
    return out


def _service(g: Group, name: str, obj: dict) -> tuple:
    only(obj, ("apiVersion", "kind", "metadata", "spec"), "")
    meta: dict = {}
    metadata(obj, meta)
    spec = obj.get("spec") or {}
    only(spec, _SPEC, "spec")
    entry: dict = {}
    kind = spec.get("type", "ClusterIP")
    if "externalName" in spec:
        if kind != "ExternalName" or "selector" in spec or "clusterIP" in spec:
            raise Unsupported("externalName")
        entry["externalName"] = spec["externalName"]
    elif kind != "ClusterIP":
        entry["type"] = kind
    ip = spec.get("clusterIP")
    if ip is not None:
        if ip != "None":
            raise Unsupported("clusterIP")  # a fixed address has no shorthand
        entry["headless"] = True
    selector = spec.get("selector") or {}
    if selector:
        workload = next((w for w, s in sorted(g.selectors.items()) if s == selector), None)
        if workload is not None:
            entry["selectWorkload"] = workload
        else:
            entry["selector"] = dict(selector)
    ports = [_port(p) for p in spec.get("ports") or []]
    if ports:
        entry["ports"] = ports
    for k in ("sessionAffinity", "publishNotReadyAddresses", "externalTrafficPolicy"):
        if k in spec:
            entry[k] = spec[k]
    keys = []
    if not selector and "externalName" not in spec and (obj.get("kind"), g.namespace, name) not in g.solo:
        found = g.get("Endpoints", name)
        addresses = _addresses(found[1]) if found else None
        kinds = []
        if addresses:
            keys.append(found[0])
            kinds.append("Endpoints")
        slices = [s for s in (g.get("EndpointSlice", f"{name}-{fam}") for fam in ("ipv4", "ipv6")) if s]
        sliced = [a for s in slices for a in (_slice_addresses(s[1], name) or [])]
        if sliced and all(_slice_addresses(s[1], name) for s in slices) and (addresses is None or addresses == sliced):
            keys.extend(s[0] for s in slices)
            kinds.append("EndpointSlice")
            addresses = sliced
        if kinds:
            entry["endpoints"] = addresses
            if kinds != ["Endpoints"]:
                entry["endpointKinds"] = kinds
    return {**entry, **meta}, keys


def _addresses(ep: dict):
    """The addresses of an Endpoints object the spec would make for its Service, or None."""
    if set(ep) - {"apiVersion", "kind", "metadata", "subsets"}:
        return None
    meta = ep.get("metadata") or {}
    if set(meta) - {"name", "namespace", "labels"}:
        return None
    subsets = ep.get("subsets") or []
    if len(subsets) != 1 or set(subsets[0]) - {"addresses", "ports"}:
        return None
    addresses = subsets[0].get("addresses") or []
    if not addresses or any(set(a) != {"ip"} for a in addresses):
        return None
    return [a["ip"] for a in addresses]


def _slice_addresses(s: dict, service: str):
    """The addresses of an EndpointSlice the spec would make for `service`, or None."""
    from ..normalize.services import ENDPOINTSLICE_MANAGER

    if set(s) - {"apiVersion", "kind", "metadata", "addressType", "endpoints", "ports"}:
        return None
    labels = (s.get("metadata") or {}).get("labels") or {}
    if labels.get("kubernetes.io/service-name") != service or labels.get("endpointslice.kubernetes.io/managed-by") != ENDPOINTSLICE_MANAGER:
        return None
    out = []
    for e in s.get("endpoints") or []:
        if set(e) != {"addresses"} or len(e["addresses"]) != 1:
            return None
        out.append(e["addresses"][0])
    return out or None
