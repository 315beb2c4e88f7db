"""Containers of a Pod: names, images, ports, env, policies (`validateContainers`,
`validateInitContainers`, `validateContainerCommon`, `validateContainerPorts`, `ValidateEnv` in
`pkg/apis/core/validation/validation.go`)."""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .ip import check_ip
from .labels import check_label_selector, check_labels
from .podspec import containers, protocol, spec
from .registry import (
    dicts,
    duplicate,
    forbidden,
    get_dict,
    get_list,
    get_str,
    invalid,
    not_found,
    not_supported,
    required,
    rule,
    too_many,
)
from .volumes import local_non_reserved_path

POD = ("Pod",)
PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")

# RelaxedEnvironmentVariableValidation: beta and on by default in 1.32, GA in 1.34. Every
# version k8sgen targets (1.35-1.37) accepts any printable ASCII but '='; older targets keep the
# C-identifier-like rule.
RELAXED_ENV_SINCE = (1, 32)


@rule("pod-containers-required", POD, "a Pod has at least one container in spec.containers")
def check_containers_required(obj: dict, ctx: object) -> Iterator[Problem]:
    if not get_list(spec(obj), "containers"):
        yield required("pod-containers-required", ("spec", "containers"), hint="add at least one container")


@rule("pod-container-name", POD, "container names are DNS-1123 labels, unique across containers, init containers and ephemeral containers")
def check_container_names(obj: dict, ctx: object) -> Iterator[Problem]:
    seen: set = set()
    for path, c in containers(obj):
        name = c.get("name")
        p = path + ("name",)
        if not name:
            yield required("pod-container-name", p)
            continue
        if not isinstance(name, str):
            continue
        for msg in formats.is_dns1123_label(name):
            yield invalid("pod-container-name", p, name, msg, hint="use lowercase letters, digits and '-', at most 63 characters")
        if name in seen:
            yield duplicate("pod-container-name", p, name, hint="every container, init container and ephemeral container needs its own name")
        seen.add(name)


@rule("pod-container-image", POD, "every container names an image, without leading or trailing whitespace")
def check_images(obj: dict, ctx: object) -> Iterator[Problem]:
    for path, c in containers(obj):
        image = c.get("image")
        if not isinstance(image, str) or not image:
            yield required("pod-container-image", path + ("image",), hint="set image: to a registry/repository:tag reference")
        elif image != image.strip():
            yield invalid("pod-container-image", path + ("image",), image, "must not have leading or trailing whitespace")


@rule("pod-container-port", POD, "container ports: containerPort and hostPort 1-65535, protocol TCP/UDP/SCTP, names IANA service names unique per container, no host port conflicts")
def check_container_ports(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-container-port"
    host_network = bool(spec(obj).get("hostNetwork"))
    seen_host: set = set()
    for path, c in containers(obj):
        names: set = set()
        init = path[1] == "initContainers"
        if init:
            seen_host = set()  # init containers run one by one: conflicts are checked per container
        for j, port in dicts(get_list(c, "ports")):
            p = path + ("ports", j)
            name = port.get("name")
            if isinstance(name, str) and name:
                msgs = formats.is_valid_port_name(name)
                for msg in msgs:
                    yield invalid(rid, p + ("name",), name, msg, hint="port names are IANA service names: up to 15 lowercase letters, digits and single hyphens, with a letter")
                if not msgs:
                    if name in names:
                        yield duplicate(rid, p + ("name",), name)
                    names.add(name)
            cp = port.get("containerPort")
            if cp in (None, 0):
                yield required(rid, p + ("containerPort",))
            else:
                for msg in formats.is_valid_port_num(cp):
                    yield invalid(rid, p + ("containerPort",), cp, msg)
            hp = port.get("hostPort") or 0
            if hp:
                for msg in formats.is_valid_port_num(hp):
                    yield invalid(rid, p + ("hostPort",), hp, msg)
            proto = protocol(port)
            if proto not in PORT_PROTOCOLS:
                yield not_supported(rid, p + ("protocol",), proto, PORT_PROTOCOLS)
            if host_network and path[1] == "containers" and hp and hp != cp:
                yield invalid(rid, p + ("hostPort",), hp, "must match `containerPort` when `hostNetwork` is true")
            if hp and path[1] != "ephemeralContainers":
                key = f"{get_str(port, 'hostIP')}/{proto}/{hp}"
                if key in seen_host:
                    yield duplicate(rid, p + ("hostPort",), key, hint="two containers cannot bind the same host port")
                seen_host.add(key)


def _env_name_messages(name: str, version: tuple) -> list[str]:
    if version >= RELAXED_ENV_SINCE:
        return formats.is_relaxed_env_var_name(name)
    return formats.is_env_var_name(name)


@rule("pod-env-name", POD, "env var names and envFrom prefixes are valid (1.32+: printable ASCII other than '='; before: C-identifier-like)")
def check_env_names(obj: dict, ctx: object) -> Iterator[Problem]:
    version = getattr(ctx, "kube_version", (1, 37))
    for path, c in containers(obj):
        for i, env in dicts(get_list(c, "env")):
            p = path + ("env", i, "name")
            name = env.get("name")
            if not name:
                yield required("pod-env-name", p)
            elif isinstance(name, str):
                for msg in _env_name_messages(name, version):
                    yield invalid("pod-env-name", p, name, msg)
        for i, src in dicts(get_list(c, "envFrom")):
            prefix = src.get("prefix")
            if isinstance(prefix, str) and prefix:
                for msg in _env_name_messages(prefix, version):
                    yield invalid("pod-env-name", path + ("envFrom", i, "prefix"), prefix, msg)


# EnvFiles (fileKeyRef): alpha in 1.34, beta and on by default from 1.35. While the gate is off
# the server drops the field, so it does not count as a source.
ENV_FILES_SINCE = (1, 35)


def _value_from_sources(version: tuple) -> tuple:
    base = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
    return base + ("fileKeyRef",) if version >= ENV_FILES_SINCE else base


@rule("pod-env-value-from", POD, "env valueFrom names exactly one source and is not combined with value; configMapKeyRef/secretKeyRef keys are valid config keys")
def check_env_value_from(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-env-value-from"
    version = getattr(ctx, "kube_version", (1, 37))
    sources = _value_from_sources(version)
    for path, c in containers(obj):
        for i, env in dicts(get_list(c, "env")):
            vf = env.get("valueFrom")
            if not isinstance(vf, dict):
                continue
            p = path + ("env", i, "valueFrom")
            present = [s for s in sources if vf.get(s) is not None]
            for ref in ("configMapKeyRef", "secretKeyRef"):
                sel = vf.get(ref)
                if isinstance(sel, dict):
                    yield from _key_selector(rid, sel, p + (ref,))
            if not present:
                names = ", ".join(f"`{s}`" for s in sources[:-1]) + f" or `{sources[-1]}`"
                yield invalid(rid, p, "", f"must specify one of: {names}")
            elif env.get("value"):
                yield invalid(rid, p, "", "may not be specified when `value` is not empty", hint="use either value or valueFrom")
            elif len(present) > 1:
                yield invalid(rid, p, "", "may not have more than one field specified at a time", hint=f"pick one of {', '.join(present)}")


def _key_selector(rid: str, sel: dict, path: tuple) -> Iterator[Problem]:
    name = get_str(sel, "name")
    for msg in formats.name_is_dns_subdomain(name):
        yield invalid(rid, path + ("name",), name, msg)
    key = sel.get("key")
    if not key:
        yield required(rid, path + ("key",))
    elif isinstance(key, str):
        for msg in formats.is_config_map_key(key):
            yield invalid(rid, path + ("key",), key, msg)


@rule("pod-env-file-key-ref", POD, "env fileKeyRef (1.35+) names an emptyDir volume of the Pod, a relative file path without '..', and a valid variable name as key")
def check_env_file_key_ref(obj: dict, ctx: object) -> Iterator[Problem]:
    # Written from the EnvFiles documentation (KEP-3721): the file lives in an emptyDir that an
    # init container fills; the kubelet reads it, so the volume need not be mounted here.
    rid = "pod-env-file-key-ref"
    version = getattr(ctx, "kube_version", (1, 37))
    if version < ENV_FILES_SINCE:
        return
    volumes = {v.get("name"): v for _, v in dicts(get_list(spec(obj), "volumes"))}
    for path, c in containers(obj):
        for i, env in dicts(get_list(c, "env")):
            ref = get_dict(env, "valueFrom", "fileKeyRef")
            if not ref:
                continue
            p = path + ("env", i, "valueFrom", "fileKeyRef")
            vol = ref.get("volumeName")
            if not vol:
                yield required(rid, p + ("volumeName",))
            elif vol not in volumes:
                yield not_found(rid, p + ("volumeName",), vol, hint=f"declare an emptyDir volume named {vol!r} in spec.volumes")
            elif volumes[vol].get("emptyDir") is None:
                yield invalid(rid, p + ("volumeName",), vol, "must refer to an emptyDir volume",
                              hint="env files are written by an init container into an emptyDir")
            fp = get_str(ref, "path")
            if not fp:
                yield required(rid, p + ("path",))
            else:
                yield from local_non_reserved_path(rid, fp, p + ("path",))
            key = ref.get("key")
            if not key:
                yield required(rid, p + ("key",))
            elif isinstance(key, str):
                for msg in _env_name_messages(key, version):
                    yield invalid(rid, p + ("key",), key, msg)


@rule("pod-env-from", POD, "envFrom entries name exactly one of configMapRef or secretRef, with a valid object name")
def check_env_from(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-env-from"
    for path, c in containers(obj):
        for i, src in dicts(get_list(c, "envFrom")):
            p = path + ("envFrom", i)
            count = 0
            for ref in ("configMapRef", "secretRef"):
                r = src.get(ref)
                if isinstance(r, dict):
                    count += 1
                    name = r.get("name")
                    if not name:
                        yield required(rid, p + (ref, "name"))
                    elif isinstance(name, str):
                        for msg in formats.name_is_dns_subdomain(name, True):
                            yield invalid(rid, p + (ref, "name"), name, msg)
            if count == 0:
                yield invalid(rid, path + ("envFrom",), "", "must specify one of: `configMapRef` or `secretRef`")
            elif count > 1:
                yield invalid(rid, path + ("envFrom",), "", "may not have more than one field specified at a time")


RESTART_POLICIES = ("Always", "OnFailure", "Never")
# ContainerRestartRules (KEP-5307): alpha in 1.34, beta and on by default from 1.35. With it, app
# containers and init containers may carry their own restartPolicy (Always, OnFailure, Never)
# and restartPolicyRules; before it, only init containers could, and only as Always (sidecars).
CONTAINER_RESTART_RULES_SINCE = (1, 35)
MAX_RESTART_RULES = 20
MAX_RESTART_RULE_EXIT_CODES = 255


@rule("pod-restart-policy", POD, "spec.restartPolicy is Always, OnFailure or Never; a container restartPolicy is Always/OnFailure/Never (1.35+; before, only Always and only on init containers) and never on ephemeral containers")
def check_restart_policy(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-restart-policy"
    version = getattr(ctx, "kube_version", (1, 37))
    per_container = version >= CONTAINER_RESTART_RULES_SINCE
    policy = spec(obj).get("restartPolicy") or "Always"
    if policy not in RESTART_POLICIES:
        yield not_supported(rid, ("spec", "restartPolicy"), policy, RESTART_POLICIES)
    for path, c in containers(obj):
        value = c.get("restartPolicy")
        if value is None:
            continue
        p = path + ("restartPolicy",)
        if path[1] == "ephemeralContainers":
            yield forbidden(rid, p, "cannot be set for an Ephemeral Container")
        elif value == "":
            yield required(rid, p)
        elif per_container:
            if value not in RESTART_POLICIES:
                yield not_supported(rid, p, value, RESTART_POLICIES)
        elif path[1] == "containers":
            yield forbidden(rid, p, "may not be set for non-init containers", hint="only init containers can be sidecars (restartPolicy: Always)")
        elif value != "Always":
            yield not_supported(rid, p, value, ("Always",), hint="remove restartPolicy for a plain init container")


@rule("pod-restart-rules", POD, "restartPolicyRules (1.35+) come with the container's own restartPolicy; at most 20 rules, each with action Restart and exitCodes (operator In/NotIn, at most 255 values)")
def check_restart_rules(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-restart-rules"
    if getattr(ctx, "kube_version", (1, 37)) < CONTAINER_RESTART_RULES_SINCE:
        return  # the field is dropped by the server while the feature is off
    for path, c in containers(obj):
        rules = get_list(c, "restartPolicyRules")
        if not rules:
            continue
        rp = path + ("restartPolicyRules",)
        if path[1] == "ephemeralContainers":
            yield forbidden(rid, rp, "cannot be set for an Ephemeral Container")
            continue
        if not c.get("restartPolicy"):
            yield required(rid, path + ("restartPolicy",), "must be specified when restartPolicyRules are specified",
                          hint="set the container's restartPolicy (e.g. Never) that applies when no rule matches")
        if len(rules) > MAX_RESTART_RULES:
            yield too_many(rid, rp, len(rules), MAX_RESTART_RULES)
        for i, r in dicts(rules):
            p = rp + (i,)
            action = r.get("action") or ""
            if not action:
                yield required(rid, p + ("action",))
            elif action != "Restart":
                yield not_supported(rid, p + ("action",), action, ("Restart",),
                                    hint="RestartAllContainers needs the alpha RestartAllContainersOnContainerExits feature gate" if action == "RestartAllContainers" else "")
            codes = r.get("exitCodes")
            if not isinstance(codes, dict):
                yield required(rid, p + ("exitCodes",), "must be specified")
                continue
            op = codes.get("operator") or ""
            if op not in ("In", "NotIn"):
                yield not_supported(rid, p + ("exitCodes", "operator"), op, ("In", "NotIn"))
            values = get_list(codes, "values")
            if len(values) > MAX_RESTART_RULE_EXIT_CODES:
                yield too_many(rid, p + ("exitCodes", "values"), len(values), MAX_RESTART_RULE_EXIT_CODES)


@rule("pod-init-container-fields", POD, "lifecycle and probes are only allowed on init containers that are sidecars (restartPolicy: Always)")
def check_init_container_fields(obj: dict, ctx: object) -> Iterator[Problem]:
    for path, c in containers(obj, ("initContainers",)):
        if c.get("restartPolicy") == "Always":
            continue
        for f in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
            if c.get(f) is not None:
                yield forbidden("pod-init-container-fields", path + (f,), "may not be set for init containers without restartPolicy=Always",
                                hint="set restartPolicy: Always to make it a sidecar, or drop the field")


PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("FallbackToLogsOnError", "File")


@rule("pod-container-policies", POD, "imagePullPolicy is Always/IfNotPresent/Never and terminationMessagePolicy is File/FallbackToLogsOnError")
def check_container_policies(obj: dict, ctx: object) -> Iterator[Problem]:
    for path, c in containers(obj):
        pull = c.get("imagePullPolicy")
        if pull and pull not in PULL_POLICIES:
            yield not_supported("pod-container-policies", path + ("imagePullPolicy",), pull, PULL_POLICIES)
        tmp = c.get("terminationMessagePolicy")
        if tmp and tmp not in TERMINATION_MESSAGE_POLICIES:
            yield not_supported("pod-container-policies", path + ("terminationMessagePolicy",), tmp, TERMINATION_MESSAGE_POLICIES)


@rule("pod-hostname", POD, "spec.hostname and spec.subdomain are DNS-1123 labels")
def check_hostname(obj: dict, ctx: object) -> Iterator[Problem]:
    s = spec(obj)
    for f in ("hostname", "subdomain"):
        value = s.get(f)
        if isinstance(value, str) and value:
            for msg in formats.is_dns1123_label(value):
                yield invalid("pod-hostname", ("spec", f), value, msg,
                              hint="use lowercase letters, digits and '-', at most 63 characters" if f == "hostname"
                              else "the subdomain is the name of a headless Service: a DNS-1123 label")


@rule("pod-service-account-name", POD, "spec.serviceAccountName is a DNS-1123 subdomain")
def check_service_account_name(obj: dict, ctx: object) -> Iterator[Problem]:
    s = spec(obj)
    for f in ("serviceAccountName",):
        name = s.get(f)
        if isinstance(name, str) and name:
            for msg in formats.name_is_dns_subdomain(name):
                yield invalid("pod-service-account-name", ("spec", f), name, msg)


@rule("pod-node-selector", POD, "spec.nodeSelector keys and values are valid labels")
def check_node_selector(obj: dict, ctx: object) -> Iterator[Problem]:
    yield from check_labels("pod-node-selector", spec(obj).get("nodeSelector"), ("spec", "nodeSelector"))


DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")


@rule("pod-dns", POD, "spec.dnsPolicy is a known policy and dnsPolicy None comes with dnsConfig nameservers (at most 3)")
def check_dns(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-dns"
    s = spec(obj)
    policy = s.get("dnsPolicy") or "ClusterFirst"
    if policy not in DNS_POLICIES:
        yield not_supported(rid, ("spec", "dnsPolicy"), policy, DNS_POLICIES)
    cfg = s.get("dnsConfig")
    servers = get_list(cfg, "nameservers") if isinstance(cfg, dict) else []
    if policy == "None":
        if not isinstance(cfg, dict):
            yield required(rid, ("spec", "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None")
            return
        if not servers:
            yield required(rid, ("spec", "dnsConfig", "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")
    if len(servers) > 3:
        yield invalid(rid, ("spec", "dnsConfig", "nameservers"), servers, "must not have more than 3 nameservers")
    version = getattr(ctx, "kube_version", (1, 37))
    for i, ns in enumerate(servers):
        yield from check_ip(rid, ns, ("spec", "dnsConfig", "nameservers", i), version)[1]


@rule("pod-label-selector", POD, "label selectors in pod (anti-)affinity terms and topology spread constraints are well-formed")
def check_pod_selectors(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-label-selector"
    s = spec(obj)
    aff = get_dict(s, "affinity")
    for kind in ("podAffinity", "podAntiAffinity"):
        a = get_dict(aff, kind)
        base = ("spec", "affinity", kind)
        for i, term in dicts(get_list(a, "requiredDuringSchedulingIgnoredDuringExecution")):
            p = base + ("requiredDuringSchedulingIgnoredDuringExecution", i)
            yield from check_label_selector(rid, term.get("labelSelector"), p + ("labelSelector",))
            yield from check_label_selector(rid, term.get("namespaceSelector"), p + ("namespaceSelector",))
        for i, w in dicts(get_list(a, "preferredDuringSchedulingIgnoredDuringExecution")):
            term = get_dict(w, "podAffinityTerm")
            p = base + ("preferredDuringSchedulingIgnoredDuringExecution", i, "podAffinityTerm")
            yield from check_label_selector(rid, term.get("labelSelector"), p + ("labelSelector",))
            yield from check_label_selector(rid, term.get("namespaceSelector"), p + ("namespaceSelector",))
    for i, tsc in dicts(get_list(s, "topologySpreadConstraints")):
        yield from check_label_selector(rid, tsc.get("labelSelector"), ("spec", "topologySpreadConstraints", i, "labelSelector"))


MAX_INT32 = 2147483647
POD_OS_NAMES = ("linux", "windows")


@rule("pod-spec-names", POD, "nodeName, priorityClassName and runtimeClassName are DNS-1123 subdomains; hostAliases have valid IPs and host names; readiness and scheduling gates are qualified names (gates unique); activeDeadlineSeconds 1-2147483647; os.name linux or windows")
def check_pod_spec_names(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-spec-names"
    s = spec(obj)
    version = getattr(ctx, "kube_version", (1, 37))
    for f in ("nodeName", "priorityClassName", "runtimeClassName"):
        value = s.get(f)
        if isinstance(value, str) and (value or f == "runtimeClassName"):
            for msg in formats.name_is_dns_subdomain(value):
                yield invalid(rid, ("spec", f), value, msg)
    ads = s.get("activeDeadlineSeconds")
    if isinstance(ads, int) and not isinstance(ads, bool) and not 1 <= ads <= MAX_INT32:
        yield invalid(rid, ("spec", "activeDeadlineSeconds"), ads, f"must be between 1 and {MAX_INT32}, inclusive")
    for i, alias in dicts(get_list(s, "hostAliases")):
        p = ("spec", "hostAliases", i)
        yield from check_ip(rid, alias.get("ip"), p + ("ip",), version)[1]
        for j, host in enumerate(get_list(alias, "hostnames")):
            if isinstance(host, str):
                for msg in formats.is_dns1123_subdomain(host):
                    yield invalid(rid, p + ("hostnames", j), host, msg)
    for i, gate in dicts(get_list(s, "readinessGates")):
        cond = get_str(gate, "conditionType")
        for msg in formats.is_qualified_name(cond):
            yield invalid(rid, ("spec", "readinessGates", i, "conditionType"), cond, msg)
    seen: set = set()
    for i, gate in dicts(get_list(s, "schedulingGates")):
        name = get_str(gate, "name")
        for msg in formats.is_qualified_name(name):
            yield invalid(rid, ("spec", "schedulingGates", i), name, msg)
        if name in seen:
            yield duplicate(rid, ("spec", "schedulingGates", i), name)
        seen.add(name)
    os_name = get_dict(s, "os").get("name")
    if isinstance(os_name, str) and os_name not in POD_OS_NAMES:
        yield not_supported(rid, ("spec", "os", "name"), os_name, POD_OS_NAMES)
