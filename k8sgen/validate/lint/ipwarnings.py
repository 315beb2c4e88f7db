"""The API server's warnings on IP addresses and CIDRs it accepts in a non-standard form.

`utilvalidation.GetWarningsForIP` and `GetWarningsForCIDR` (apimachinery), called from
pkg/api/service/warnings.go for Services, from the Endpoints and EndpointSlice strategies for
their addresses, and (KEP-4858) for the pod fields that hold addresses. Two kinds of finding:

- a form the server still accepts but that reads differently elsewhere: an IPv6 address or CIDR
  not in RFC 5952 canonical form (`2001:DB8:0:0::1`), a CIDR with bits set past its prefix
  length (`192.0.2.8/24`: the subnet or the one address?), which stay warnings in every version;
- IPv4 octets with leading zeros and IPv4-mapped IPv6 addresses on `spec.loadBalancerIP`, a
  field the server only warns about. On the other address fields those two are already the
  validation rules' business (a warning before 1.36, an error from StrictIPCIDRValidation on,
  see rules/ip.py), so they are not repeated here.

Endpoints and EndpointSlices that their controllers manage are skipped, as the server skips them
(the controllers write canonical addresses).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import PodView, as_dict, as_list
from ..rules.ip import parse_ip_sloppy
from .registry import Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

# The managed-by labels and values that make the server skip address warnings.
MANAGED = {
    "Endpoints": ("endpoints.kubernetes.io/managed-by", ("endpoint-controller",)),
    "EndpointSlice": ("endpointslice.kubernetes.io/managed-by", ("endpointslice-controller.k8s.io", "endpointslicemirroring-controller.k8s.io")),
}


def _mapped(addr) -> bool:
    return isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None


def _leading_zeros(value: str) -> bool:
    return ":" not in value and any(len(o) > 1 and o.startswith("0") for o in value.split("."))


def ipv6_form(value: object) -> tuple[str, str] | None:
    """(message, hint) when `value` is an IPv6 address the server accepts but not in RFC 5952
    form; None otherwise (not an address, IPv4, IPv4-mapped, or canonical)."""
    if not isinstance(value, str):
        return None
    addr = parse_ip_sloppy(value)
    if not isinstance(addr, ipaddress.IPv6Address) or _mapped(addr) or str(addr) == value:
        return None
    return f'IPv6 address "{value}" should be in RFC 5952 canonical format ("{addr}")', f"write {addr}"


def ip_warnings(value: object) -> tuple[str, str] | None:
    """The whole of `GetWarningsForIP`, for fields nothing else checks (spec.loadBalancerIP)."""
    if not isinstance(value, str):
        return None
    addr = parse_ip_sloppy(value)
    if addr is None:
        return None  # the server warns only about addresses it parsed
    if _leading_zeros(value) or _mapped(addr):
        standard = addr.ipv4_mapped if _mapped(addr) else addr
        return (f'non-standard IP address "{value}" will be considered invalid in a future Kubernetes release: use "{standard}"',
                f"write {standard}")
    return ipv6_form(value)


def cidr_warnings(value: object) -> list[tuple[str, str]]:
    """What `GetWarningsForCIDR` says beyond the leading zeros and IPv4-mapped prefixes that
    check_cidr reports: bits set past the prefix length, and IPv6 not in canonical form."""
    if not isinstance(value, str) or value.count("/") != 1:
        return []
    text, _, bits = value.partition("/")
    addr = parse_ip_sloppy(text)
    if addr is None or not bits.isdigit() or _mapped(addr):
        return []
    size = 32 if isinstance(addr, ipaddress.IPv4Address) else 128
    if int(bits) > size or (len(bits) > 1 and bits.startswith("0")):
        return []
    network = ipaddress.ip_network(f"{addr}/{int(bits)}", strict=False)
    if network.network_address != addr:
        return [(f'CIDR value "{value}" is ambiguous in this context (should be "{network}" or "{addr}/{size}"?)',
                 f"write {network} for the subnet, or {addr}/{size} for the one address")]
    if _leading_zeros(text):
        return []  # check_cidr's non-standard warning (or error) says it already
    canonical = f"{addr}/{int(bits)}"
    if size == 128 and canonical != value:
        return [(f'IPv6 CIDR value "{value}" should be in RFC 5952 canonical format ("{canonical}")', f"write {canonical}")]
    return []


def _service(obj: dict) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    # Defaulting copies clusterIP into clusterIPs; the server then checks clusterIPs.
    ips = as_list(spec.get("clusterIPs"))
    paths = [("spec", "clusterIPs", i) for i in range(len(ips))]
    if not ips and isinstance(spec.get("clusterIP"), str):
        ips, paths = [spec["clusterIP"]], [("spec", "clusterIP")]
    if not (ips and ips[0] not in ("", "None")):
        ips, paths = [], []  # IsServiceIPSet: no address allocated or asked for
    ips = ips + as_list(spec.get("externalIPs"))
    paths = paths + [("spec", "externalIPs", i) for i in range(len(as_list(spec.get("externalIPs"))))]
    for path, ip in zip(paths, ips):
        found = ipv6_form(ip)
        if found:
            yield path, found[0], found[1]
    lb_ip = spec.get("loadBalancerIP")
    if isinstance(lb_ip, str) and lb_ip:
        found = ip_warnings(lb_ip)
        if found:
            yield ("spec", "loadBalancerIP"), found[0], found[1]
    for i, cidr in enumerate(as_list(spec.get("loadBalancerSourceRanges"))):
        for message, hint in cidr_warnings(cidr):
            yield ("spec", "loadBalancerSourceRanges", i), message, hint


def _managed(obj: dict) -> bool:
    label, values = MANAGED.get(obj.get("kind"), ("", ()))
    return as_dict(as_dict(obj.get("metadata")).get("labels")).get(label) in values


def _addresses(obj: dict) -> Iterator[tuple[tuple, object]]:
    if obj.get("kind") == "Endpoints":
        for i, subset in enumerate(as_list(obj.get("subsets"))):
            for field in ("addresses", "notReadyAddresses"):
                for j, a in enumerate(as_list(as_dict(subset).get(field))):
                    yield ("subsets", i, field, j, "ip"), as_dict(a).get("ip")
    else:
        for i, ep in enumerate(as_list(obj.get("endpoints"))):
            for j, a in enumerate(as_list(as_dict(ep).get("addresses"))):
                yield ("endpoints", i, "addresses", j), a


@rule("lint-api-ip", "What the API server warns about addresses it accepts in a non-standard form: IPv6 not in RFC 5952 form, CIDRs with bits past the prefix, loadBalancerIP (Services, Endpoints, EndpointSlices).",
      kinds=("Service", "Endpoints", "EndpointSlice"))
def api_ip(obj: dict, ctx: Context) -> Iterator[Finding]:
    if obj.get("kind") == "Service":
        yield from _service(obj)
        return
    if _managed(obj):
        return
    for path, ip in _addresses(obj):
        found = ipv6_form(ip)
        if found:
            yield path, found[0], found[1]


@rule("lint-api-pod-ip", "What the API server warns about pod addresses in a non-standard form: hostAliases IPs and dnsConfig nameservers in IPv6 not in RFC 5952 form.")
def api_pod_ip(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for i, alias in enumerate(as_list(pv.spec.get("hostAliases"))):
        found = ipv6_form(as_dict(alias).get("ip"))
        if found:
            yield pv.path("hostAliases", i, "ip"), found[0], found[1]
    for i, ns in enumerate(as_list(as_dict(pv.spec.get("dnsConfig")).get("nameservers"))):
        found = ipv6_form(ns)
        if found:
            yield pv.path("dnsConfig", "nameservers", i), found[0], found[1]
