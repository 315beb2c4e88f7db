"""Services (`ValidateService`, `validateServicePort`, `ValidateServiceClusterIPsRelatedFields`,
`validateServiceExternalTrafficPolicy` in `pkg/apis/core/validation/validation.go`).

The server validates after v1 defaulting (`SetDefaults_Service`) and after the create strategy
copies `clusterIP` into `clusterIPs`; `_effective` reproduces both so that omitted fields are not
reported as missing.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .ip import check_cidr, check_ip, special_ip_messages
from .labels import check_labels
from .podspec import protocol
from .registry import (
    dicts,
    duplicate,
    forbidden,
    get_dict,
    get_list,
    invalid,
    not_supported,
    required,
    rule,
    shared,
    warning,
)

SVC = ("Service",)
SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")
SESSION_AFFINITIES = ("ClientIP", "None")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
TRAFFIC_POLICIES = ("Cluster", "Local")
MAX_CLIENT_IP_AFFINITY_SECONDS = 86400
DEFAULT_NODE_PORT_RANGE = (30000, 32767)
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"


def traffic_distributions(version: tuple) -> tuple:
    # PreferSameZone/PreferSameNode (gate PreferSameTrafficDistribution) are on by default from 1.34.
    if version >= (1, 34):
        return ("PreferClose", "PreferSameNode", "PreferSameZone")
    return ("PreferClose",)


def _svc(obj: dict) -> "_Svc":
    return shared(obj, "service", _Svc)  # one view for the ~18 Service rules of an object


class _Svc:
    """The fields validation looks at, after defaulting."""

    def __init__(self, obj: dict):
        s = get_dict(obj, "spec")
        self.spec = s
        self.type = s.get("type") or "ClusterIP"
        self.cluster_ip = s.get("clusterIP") or ""
        given = [ip for ip in get_list(s, "clusterIPs")]
        self.cluster_ips_given = given
        self.cluster_ips = given or ([self.cluster_ip] if self.cluster_ip else [])
        self.ports = list(dicts(get_list(s, "ports")))
        self.external_ips = get_list(s, "externalIPs")

    @property
    def headless(self) -> bool:
        return self.cluster_ips == ["None"]

    @property
    def externally_accessible(self) -> bool:
        return self.type in ("LoadBalancer", "NodePort") or (self.type == "ClusterIP" and bool(self.external_ips))


@rule("service-type", SVC, "spec.type is ClusterIP (the default), NodePort, LoadBalancer or ExternalName; NodePort and LoadBalancer Services cannot be headless")
def check_type(obj: dict, ctx: object) -> Iterator[Problem]:
    svc = _svc(obj)
    if svc.type not in SERVICE_TYPES:
        yield not_supported("service-type", ("spec", "type"), svc.type, SERVICE_TYPES)
    if svc.type in ("LoadBalancer", "NodePort") and svc.headless:
        yield invalid("service-type", ("spec", "clusterIPs", 0), "None", f"may not be set to 'None' for {svc.type} services",
                      hint="a headless Service (clusterIP: None) must be of type ClusterIP")


@rule("service-external-name", SVC, "an ExternalName Service has an externalName that is a DNS-1123 subdomain, and no clusterIP(s), ipFamilies or ipFamilyPolicy")
def check_external_name(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-external-name"
    svc = _svc(obj)
    if svc.type != "ExternalName":
        return
    if svc.cluster_ips:
        yield forbidden(rid, ("spec", "clusterIPs") if svc.cluster_ips_given else ("spec", "clusterIP"),
                        "may not be set for ExternalName services", hint="an ExternalName Service is a DNS CNAME and has no cluster IP")
    if get_list(svc.spec, "ipFamilies"):
        yield forbidden(rid, ("spec", "ipFamilies"), "may not be set for ExternalName services")
    if svc.spec.get("ipFamilyPolicy") is not None:
        yield forbidden(rid, ("spec", "ipFamilyPolicy"), "may not be set for ExternalName services")
    name = svc.spec.get("externalName")
    cname = name[:-1] if isinstance(name, str) and name.endswith(".") else (name if isinstance(name, str) else "")
    if not cname:
        yield required(rid, ("spec", "externalName"), hint="set externalName to the DNS name the Service aliases")
    else:
        for msg in formats.is_dns1123_subdomain(cname):
            yield invalid(rid, ("spec", "externalName"), cname, msg, hint="externalName is a host name, not a URL: no scheme, port or path")


@rule("service-ports", SVC, "ports are required (except headless and ExternalName); each has a port 1-65535, protocol TCP/UDP/SCTP, a targetPort 1-65535 or IANA port name, no duplicate (protocol, port)")
def check_ports(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-ports"
    svc = _svc(obj)
    if not svc.ports and not svc.headless and svc.type != "ExternalName":
        yield required(rid, ("spec", "ports"), hint="list at least one port, or make the Service headless (clusterIP: None)")
    seen: set = set()
    for i, port in svc.ports:
        p = ("spec", "ports", i)
        num = port.get("port")
        for msg in formats.is_valid_port_num(num):
            yield invalid(rid, p + ("port",), num, msg)
        proto = protocol(port)
        if proto not in PORT_PROTOCOLS:
            yield not_supported(rid, p + ("protocol",), proto, PORT_PROTOCOLS)
        target = port.get("targetPort")
        if target in (None, 0, ""):
            pass  # defaulted to port
        elif isinstance(target, int) and not isinstance(target, bool):
            for msg in formats.is_valid_port_num(target):
                yield invalid(rid, p + ("targetPort",), target, msg)
        elif isinstance(target, str):
            for msg in formats.is_valid_port_name(target):
                hint = "a quoted number is a port name: write targetPort: " + target if target.isdigit() else "a named targetPort must match a container port name"
                yield invalid(rid, p + ("targetPort",), target, msg, hint=hint)
        app = port.get("appProtocol")
        if isinstance(app, str):
            for msg in formats.is_qualified_name(app):
                yield invalid(rid, p + ("appProtocol",), app, msg)
        key = (proto, num)
        if key in seen:
            yield duplicate(rid, p, {"port": num, "protocol": proto}, hint="each (protocol, port) pair may appear once")
        seen.add(key)


@rule("service-port-name", SVC, "port names are DNS-1123 labels, unique, and required when the Service has more than one port")
def check_port_names(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-port-name"
    svc = _svc(obj)
    names: set = set()
    many = len(get_list(svc.spec, "ports")) > 1
    for i, port in svc.ports:
        p = ("spec", "ports", i, "name")
        name = port.get("name")
        if many and not name:
            yield required(rid, p, hint="name every port when a Service has several")
        elif isinstance(name, str) and name:
            for msg in formats.is_dns1123_label(name):
                yield invalid(rid, p, name, msg, hint="port names are lowercase letters, digits and '-'")
            if name in names:
                yield duplicate(rid, p, name)
            names.add(name)


@rule("service-node-port", SVC, "nodePort is only set on NodePort and LoadBalancer Services, unique per protocol, and (warning) inside the default range 30000-32767")
def check_node_ports(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-node-port"
    svc = _svc(obj)
    seen: set = set()
    for i, port in svc.ports:
        node_port = port.get("nodePort")
        if not node_port:
            continue
        p = ("spec", "ports", i, "nodePort")
        if svc.type in ("ClusterIP", "ExternalName"):
            # ValidateService rejects ClusterIP; for ExternalName the create fails later, when the
            # registry finds the Service needs no node port ("creation will fail", ServicePort docs).
            yield forbidden(rid, p, f"may not be used when `type` is '{svc.type}'", hint="use type: NodePort or LoadBalancer, or drop nodePort")
            continue
        key = (protocol(port), node_port)
        if key in seen:
            yield duplicate(rid, p, node_port)
        seen.add(key)
        lo, hi = DEFAULT_NODE_PORT_RANGE
        if isinstance(node_port, int) and not lo <= node_port <= hi:
            yield warning(rid, p, f"nodePort {node_port} is outside the default service node port range {lo}-{hi}",
                          hint="the API server rejects it unless --service-node-port-range includes it")


@rule("service-selector", SVC, "spec.selector keys and values are valid labels")
def check_selector(obj: dict, ctx: object) -> Iterator[Problem]:
    yield from check_labels("service-selector", get_dict(obj, "spec").get("selector"), ("spec", "selector"))


@rule("service-session-affinity", SVC, "sessionAffinity is None or ClientIP; ClientIP timeoutSeconds is 1-86400 (a sessionAffinityConfig beside None is cleared by v1 defaulting, not rejected)")
def check_session_affinity(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-session-affinity"
    s = get_dict(obj, "spec")
    aff = s.get("sessionAffinity") or "None"
    if aff not in SESSION_AFFINITIES:
        yield not_supported(rid, ("spec", "sessionAffinity"), aff, SESSION_AFFINITIES)
    # The server's "must not be set when session affinity is None" never fires for v1 objects:
    # SetDefaults_Service drops the config first (k8sgen.validate.defaults.core.service).
    cfg = s.get("sessionAffinityConfig")
    if aff == "ClientIP":
        timeout = get_dict(cfg, "clientIP").get("timeoutSeconds")
        if isinstance(timeout, int) and not 0 < timeout <= MAX_CLIENT_IP_AFFINITY_SECONDS:
            yield invalid(rid, ("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"), timeout,
                          f"must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}")


@rule("service-cluster-ip", SVC, "clusterIP/clusterIPs agree, hold valid IPs ('None' only alone), at most one per IP family, and match ipFamilies; ipFamilies and ipFamilyPolicy take known values")
def check_cluster_ips(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-cluster-ip"
    version = getattr(ctx, "kube_version", (1, 37))
    svc = _svc(obj)
    if svc.type == "ExternalName":
        return
    s = svc.spec
    ips_path = ("spec", "clusterIPs")
    if svc.cluster_ip and svc.cluster_ips_given and svc.cluster_ips_given[0] != svc.cluster_ip:
        yield invalid(rid, ips_path, svc.cluster_ips_given, "first value must match `clusterIP`")
    if not svc.cluster_ip and svc.cluster_ips_given:
        yield invalid(rid, ips_path, svc.cluster_ips_given, "must be empty when `clusterIP` is not specified",
                      hint="set clusterIP to the first entry of clusterIPs")
    families = get_list(s, "ipFamilies")
    seen: set = set()
    for i, fam in enumerate(families):
        if fam not in IP_FAMILIES:
            yield not_supported(rid, ("spec", "ipFamilies", i), fam, IP_FAMILIES)
        if fam in seen:
            yield duplicate(rid, ("spec", "ipFamilies", i), fam)
        seen.add(fam)
    policy = s.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        yield not_supported(rid, ("spec", "ipFamilyPolicy"), policy, IP_FAMILY_POLICIES)
    if policy == "SingleStack" and (len(families) > 1 or len(svc.cluster_ips) > 1):
        yield invalid(rid, ("spec", "ipFamilyPolicy"), policy, "must be RequireDualStack or PreferDualStack when multiple IP families are specified")
    ips = svc.cluster_ips
    path_of = (lambda i: ips_path + (i,)) if svc.cluster_ips_given else (lambda i: ("spec", "clusterIP"))
    bad = False
    parsed = []
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                bad = True
                yield invalid(rid, ips_path, ips, "'None' must be the first and only value")
            continue
        addr, found = check_ip(rid, ip, path_of(i), version)
        yield from found
        if addr is None:
            bad = True
        parsed.append(addr)
    if len(ips) > 2:
        yield invalid(rid, ips_path, ips, "may only hold up to 2 values")
    if bad:
        return
    if len(ips) == 2 and parsed[0].version == parsed[1].version:
        yield invalid(rid, ips_path, ips, "may specify no more than one IP for each IP family")
    if not svc.headless:
        for i, addr in enumerate(parsed[: len(families)]):
            fam = families[i]
            if fam == "IPv4" and addr.version == 6:
                yield invalid(rid, path_of(i), ips[i], f"expected an IPv4 value as indicated by `ipFamilies[{i}]`")
            if fam == "IPv6" and addr.version == 4:
                yield invalid(rid, path_of(i), ips[i], f"expected an IPv6 value as indicated by `ipFamilies[{i}]`")


@rule("service-external-ips", SVC, "externalIPs are valid IPs, not unspecified, loopback or link-local")
def check_external_ips(obj: dict, ctx: object) -> Iterator[Problem]:
    version = getattr(ctx, "kube_version", (1, 37))
    for i, ip in enumerate(_svc(obj).external_ips):
        p = ("spec", "externalIPs", i)
        addr, found = check_ip("service-external-ips", ip, p, version)
        yield from found
        if addr is None:
            continue
        for msg in special_ip_messages(ip):
            yield invalid("service-external-ips", p, ip, msg)


@rule("service-traffic-policy", SVC, "externalTrafficPolicy only on externally reachable Services (Cluster/Local); healthCheckNodePort only with LoadBalancer + Local; internalTrafficPolicy Cluster/Local; trafficDistribution a known value")
def check_traffic_policy(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-traffic-policy"
    svc = _svc(obj)
    s = svc.spec
    etp = s.get("externalTrafficPolicy") or ""
    if not svc.externally_accessible:
        if etp:
            yield invalid(rid, ("spec", "externalTrafficPolicy"), etp, "may only be set for externally-accessible services",
                          hint="externalTrafficPolicy applies to NodePort and LoadBalancer Services (or ClusterIP with externalIPs)")
    else:
        etp = etp or "Cluster"
        if etp not in TRAFFIC_POLICIES:
            yield not_supported(rid, ("spec", "externalTrafficPolicy"), etp, TRAFFIC_POLICIES)
    hc = s.get("healthCheckNodePort")
    if hc and not (svc.type == "LoadBalancer" and etp == "Local"):
        yield invalid(rid, ("spec", "healthCheckNodePort"), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'")
    elif hc:
        for msg in formats.is_valid_port_num(hc):
            yield invalid(rid, ("spec", "healthCheckNodePort"), hc, msg)
    itp = s.get("internalTrafficPolicy")
    if itp and itp not in TRAFFIC_POLICIES:
        yield not_supported(rid, ("spec", "internalTrafficPolicy"), itp, TRAFFIC_POLICIES)
    td = s.get("trafficDistribution")
    if isinstance(td, str):
        allowed = traffic_distributions(getattr(ctx, "kube_version", (1, 37)))
        if td not in allowed:
            yield not_supported(rid, ("spec", "trafficDistribution"), td, allowed)


@rule("service-load-balancer", SVC, "loadBalancerSourceRanges (or its older annotation), loadBalancerClass and allocateLoadBalancerNodePorts only on LoadBalancer Services; source ranges are CIDRs; the class is a qualified name")
def check_load_balancer(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "service-load-balancer"
    version = getattr(ctx, "kube_version", (1, 37))
    svc = _svc(obj)
    s = svc.spec
    lb = svc.type == "LoadBalancer"
    only_lb = "may only be used when `type` is 'LoadBalancer'"
    ranges = get_list(s, "loadBalancerSourceRanges")
    if ranges:
        if not lb:
            yield forbidden(rid, ("spec", "loadBalancerSourceRanges"), only_lb)
        for i, cidr in enumerate(ranges):
            # Space padding is tolerated, a leftover of the annotation this field replaced.
            value = cidr.strip() if isinstance(cidr, str) else cidr
            yield from check_cidr(rid, value, ("spec", "loadBalancerSourceRanges", i), version)
    else:
        # The older annotation still counts when the field is empty.
        ann = get_dict(obj, "metadata", "annotations").get(SOURCE_RANGES_ANNOTATION)
        if isinstance(ann, str):
            ap = ("metadata", "annotations", SOURCE_RANGES_ANNOTATION)
            if not lb:
                yield forbidden(rid, ap, only_lb)
            text = ann.strip()
            for cidr in text.split(",") if text else ():
                yield from check_cidr(rid, cidr.strip(), ap, version)
    if s.get("allocateLoadBalancerNodePorts") is not None and not lb:
        yield forbidden(rid, ("spec", "allocateLoadBalancerNodePorts"), only_lb)
    cls = s.get("loadBalancerClass")
    if isinstance(cls, str):
        if not lb:
            yield forbidden(rid, ("spec", "loadBalancerClass"), only_lb)
        else:
            for msg in formats.is_qualified_name(cls):
                yield invalid(rid, ("spec", "loadBalancerClass"), cls, msg)
