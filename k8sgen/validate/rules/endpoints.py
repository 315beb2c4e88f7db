"""Endpoints (`validateEndpointSubsets`, `validateEndpointAddress`, `validateEndpointPort` in
`pkg/apis/core/validation/validation.go`) and EndpointSlices (`pkg/apis/discovery/validation`)."""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .ip import (
    as_ipv4,
    check_ip,
    parse_ip_sloppy,
    special_ip_messages,
)
from .labels import check_labels
from .podspec import protocol
from .registry import (
    dicts,
    duplicate,
    get_dict,
    get_list,
    invalid,
    not_supported,
    required,
    rule,
    too_many,
)

PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")
ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_ENDPOINTS = 1000
MAX_ADDRESSES = 100
# maxPorts was 100 when EndpointSlice went GA and was raised to 20000 (1.22) so a slice can
# mirror any Endpoints object.
MAX_PORTS = 20000
MAX_TOPOLOGY_LABELS = 16
# A slice without the kubernetes.io/service-name label is valid but unused; references.py
# (ref-endpoints) reports it, since it is about the slice's Service.
MAX_HINTS = 8  # per list: forZones (and forNodes, 1.33+)


def _hints(rid: str, hints: dict, path: tuple) -> Iterator[Problem]:
    for field in ("forZones", "forNodes"):
        entries = get_list(hints, field)
        if len(entries) > MAX_HINTS:
            yield too_many(rid, path + (field,), len(entries), MAX_HINTS)
            continue
        seen: set = set()
        for i, entry in dicts(entries):
            name = entry.get("name") if isinstance(entry.get("name"), str) else ""
            p = path + (field, i, "name")
            if name in seen:
                yield duplicate(rid, p, name)
            seen.add(name)
            check = formats.is_label_value if field == "forZones" else formats.name_is_dns_subdomain
            for msg in check(name):
                yield invalid(rid, p, name, msg)


def _ip_problems(rid: str, ip: object, path: tuple, version: tuple) -> Iterator[Problem]:
    addr, found = check_ip(rid, ip, path, version)
    yield from found
    if addr is not None:
        for msg in special_ip_messages(str(ip)):
            yield invalid(rid, path, ip, msg, hint="endpoints must be addresses other nodes can reach")


@rule("endpoints-subset", ("Endpoints",), "every subset has addresses or notReadyAddresses")
def check_subsets(obj: dict, ctx: object) -> Iterator[Problem]:
    for i, ss in dicts(get_list(obj, "subsets")):
        if not get_list(ss, "addresses") and not get_list(ss, "notReadyAddresses"):
            yield required("endpoints-subset", ("subsets", i), "must specify `addresses` or `notReadyAddresses`")


@rule("endpoints-address", ("Endpoints",), "endpoint addresses are valid IPs (not unspecified, loopback, link-local or link-local multicast); hostname is a DNS-1123 label; nodeName a DNS-1123 subdomain")
def check_addresses(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "endpoints-address"
    version = getattr(ctx, "kube_version", (1, 37))
    for i, ss in dicts(get_list(obj, "subsets")):
        for field in ("addresses", "notReadyAddresses"):
            for j, addr in dicts(get_list(ss, field)):
                p = ("subsets", i, field, j)
                yield from _ip_problems(rid, addr.get("ip"), p + ("ip",), version)
                host = addr.get("hostname")
                if isinstance(host, str) and host:
                    for msg in formats.is_dns1123_label(host):
                        yield invalid(rid, p + ("hostname",), host, msg)
                node = addr.get("nodeName")
                if isinstance(node, str):
                    for msg in formats.name_is_dns_subdomain(node):
                        yield invalid(rid, p + ("nodeName",), node, msg)


@rule("endpoints-port", ("Endpoints",), "endpoint ports: port 1-65535, protocol TCP/UDP/SCTP, names DNS-1123 labels required when a subset has several ports")
def check_endpoint_ports(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "endpoints-port"
    for i, ss in dicts(get_list(obj, "subsets")):
        ports = get_list(ss, "ports")
        for j, port in dicts(ports):
            p = ("subsets", i, "ports", j)
            name = port.get("name")
            if len(ports) > 1 and not name:
                yield required(rid, p + ("name",), hint="name every port when a subset has several; names match the Service's port names")
            elif isinstance(name, str) and name:
                for msg in formats.is_dns1123_label(name):
                    yield invalid(rid, p + ("name",), name, msg)
            for msg in formats.is_valid_port_num(port.get("port")):
                yield invalid(rid, p + ("port",), port.get("port"), msg)
            proto = protocol(port)
            if proto not in PORT_PROTOCOLS:
                yield not_supported(rid, p + ("protocol",), proto, PORT_PROTOCOLS)
            app = port.get("appProtocol")
            if isinstance(app, str):
                for msg in formats.is_qualified_name(app):
                    yield invalid(rid, p + ("appProtocol",), app, msg)


SLICE = ("EndpointSlice",)


@rule("endpointslice-address-type", SLICE, "addressType is IPv4, IPv6 or FQDN")
def check_address_type(obj: dict, ctx: object) -> Iterator[Problem]:
    t = obj.get("addressType")
    if not t:
        yield required("endpointslice-address-type", ("addressType",))
    elif t not in ADDRESS_TYPES:
        yield not_supported("endpointslice-address-type", ("addressType",), t, ADDRESS_TYPES,
                            hint="the IP address type was removed; use IPv4 or IPv6")


@rule("endpointslice-endpoints", SLICE, "at most 1000 endpoints, each with 1-100 addresses of the slice's addressType (no special IPs), a DNS-1123 label hostname, at most 16 topology labels and at most 8 unique zone/node hints")
def check_slice_endpoints(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "endpointslice-endpoints"
    version = getattr(ctx, "kube_version", (1, 37))
    t = obj.get("addressType")
    endpoints = get_list(obj, "endpoints")
    if len(endpoints) > MAX_ENDPOINTS:
        yield too_many(rid, ("endpoints",), len(endpoints), MAX_ENDPOINTS, hint="split the endpoints over several slices")
        return
    for i, ep in dicts(endpoints):
        p = ("endpoints", i)
        addrs = get_list(ep, "addresses")
        if not addrs:
            yield required(rid, p + ("addresses",), "must contain at least 1 address")
        elif len(addrs) > MAX_ADDRESSES:
            yield too_many(rid, p + ("addresses",), len(addrs), MAX_ADDRESSES)
        for j, addr in enumerate(addrs):
            ap = p + ("addresses", j)
            if t in ("IPv4", "IPv6"):
                ip = parse_ip_sloppy(addr)
                v4 = ip is not None and as_ipv4(ip) is not None
                if ip is None or (t == "IPv4") != v4:
                    yield invalid(rid, ap, addr, f"must be a valid {t} address", hint=f"the slice's addressType is {t}")
                    continue
                yield from _ip_problems(rid, addr, ap, version)
            elif t == "FQDN" and isinstance(addr, str):
                for msg in formats.is_fully_qualified_domain_name(addr):
                    yield invalid(rid, ap, addr, msg)
        host = ep.get("hostname")
        if isinstance(host, str):
            for msg in formats.is_dns1123_label(host):
                yield invalid(rid, p + ("hostname",), host, msg)
        node = ep.get("nodeName")
        if isinstance(node, str):
            for msg in formats.name_is_dns_subdomain(node):
                yield invalid(rid, p + ("nodeName",), node, msg)
        yield from _hints(rid, get_dict(ep, "hints"), p + ("hints",))
        topo = get_dict(ep, "deprecatedTopology")
        if len(topo) > MAX_TOPOLOGY_LABELS:
            yield too_many(rid, p + ("deprecatedTopology",), len(topo), MAX_TOPOLOGY_LABELS)
        yield from check_labels(rid, topo, p + ("deprecatedTopology",))


@rule("endpointslice-ports", SLICE, "at most 20000 ports; names DNS-1123 labels and unique (an unnamed port counts once); protocol TCP/UDP/SCTP")
def check_slice_ports(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "endpointslice-ports"
    ports = get_list(obj, "ports")
    if len(ports) > MAX_PORTS:
        yield too_many(rid, ("ports",), len(ports), MAX_PORTS)
        return
    names: set = set()
    for i, port in dicts(ports):
        p = ("ports", i)
        name = port.get("name") or ""
        if isinstance(name, str) and name:
            for msg in formats.is_dns1123_label(name):
                yield invalid(rid, p + ("name",), name, msg)
        if name in names:
            yield duplicate(rid, p + ("name",), name, hint="two unnamed ports also collide: name them")
        names.add(name)
        proto = protocol(port)
        if proto not in PORT_PROTOCOLS:
            yield not_supported(rid, p + ("protocol",), proto, PORT_PROTOCOLS)
        # The server does not range-check slice port numbers (nil means "all ports").
        app = port.get("appProtocol")
        if isinstance(app, str):
            for msg in formats.is_qualified_name(app):
                yield invalid(rid, p + ("appProtocol",), app, msg)
