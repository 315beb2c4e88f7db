"""Pod Security Standards, baseline and restricted, as the pod-security admission plugin
defines them (k8s.io/pod-security-admission/policy/check_*.go).

Each check here is one upstream check, with the same allowed values and the same
version-dependent relaxations, evaluated for the target Kubernetes version. Messages name
the field to change; the rule id says which profile forbids it. Restricted checks replace the
baseline check they override upstream (capabilities, seccomp, procMount, hostPath volumes),
so one mistake is reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import PodView, as_dict, as_list, container_label
from .hostaccess import sensitive_host_path
from .registry import BASELINE, RESTRICTED, Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

# --- allowed values, per upstream policy version ---------------------------------------------

BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})

# (first policy version, sysctls that became safe then)
_SAFE_SYSCTLS = (
    ((1, 0), ("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
              "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start")),
    ((1, 27), ("net.ipv4.ip_local_reserved_ports",)),
    ((1, 29), ("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
               "net.ipv4.tcp_keepalive_probes")),
    ((1, 32), ("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem")),
    ((1, 37), ("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat")),
)


def safe_sysctls(version: tuple) -> frozenset:
    return frozenset(s for since, names in _SAFE_SYSCTLS if version >= since for s in names)


def selinux_types(version: tuple) -> frozenset:
    types = {"", "container_t", "container_init_t", "container_kvm_t"}
    if version >= (1, 31):
        types.add("container_engine_t")
    return frozenset(types)


RESTRICTED_VOLUME_TYPES = frozenset({
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret",
})
GOOD_SECCOMP = ("RuntimeDefault", "Localhost")
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"

# --- helpers ----------------------------------------------------------------------------------


def _version(ctx: Context) -> tuple:
    return tuple(getattr(ctx, "kube_version", None) or (1, 37))


def _sc(c: dict) -> dict:
    return as_dict(c.get("securityContext"))


def _pod_sc(pv: PodView) -> dict:
    return as_dict(pv.spec.get("securityContext"))


def _windows(pv: PodView) -> bool:
    # Since policy 1.25 Linux-only controls do not apply to pods that declare os.name: windows.
    return as_dict(pv.spec.get("os")).get("name") == "windows"


def _user_namespace(pv: PodView, ctx: Context) -> bool:
    # KEP-127: from policy 1.35 a pod in a user namespace is exempt from the root checks.
    return pv.spec.get("hostUsers") is False and _version(ctx) >= (1, 35)


def _meta_path(pv: PodView) -> tuple:
    return pv.prefix[:-1] + ("metadata",)


def _setters(pv: PodView) -> Iterator[tuple[tuple, str, dict]]:
    """(securityContext path, who, securityContext) for the pod and then each container."""
    yield pv.path("securityContext"), "the pod", _pod_sc(pv)
    for path, c in pv.containers():
        yield path + ("securityContext",), container_label(c), _sc(c)


# --- baseline -----------------------------------------------------------------------------------


@rule("lint-pss-baseline-privileged", "Containers do not run privileged.", level=BASELINE)
def privileged(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        if _sc(c).get("privileged") is True:
            yield path + ("securityContext", "privileged"), f"{container_label(c)} runs privileged: it has every capability and all host devices", "remove securityContext.privileged or set it to false"


@rule("lint-pss-baseline-host-namespaces", "Pods do not share the host's network, PID or IPC namespace.", level=BASELINE)
def host_namespaces(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if pv.spec.get(field) is True:
            yield pv.path(field), f"{field}: true shares a host namespace with the pod", f"remove {field} or set it to false"


@rule("lint-pss-baseline-host-path", "Pods mount no hostPath volumes (runtime sockets and system directories: lint-host-path-sensitive).", level=BASELINE)
def host_path(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        hp = as_dict(vol).get("hostPath")
        if hp is not None and not sensitive_host_path(as_dict(hp).get("path")):
            yield pv.path("volumes", i, "hostPath"), f'volume "{as_dict(vol).get("name")}" mounts a host path', "use an emptyDir, configMap, secret or persistentVolumeClaim volume instead"


@rule("lint-pss-baseline-host-ports", "Containers open no hostPort.", level=BASELINE)
def host_ports(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for j, port in enumerate(as_list(c.get("ports"))):
            hp = as_dict(port).get("hostPort")
            if isinstance(hp, int) and hp != 0:
                yield path + ("ports", j, "hostPort"), f"{container_label(c)} opens host port {hp}", "remove hostPort and reach the pod through a Service"


@rule("lint-pss-baseline-capabilities", "Containers add no capabilities beyond the baseline default set (no NET_RAW, no SYS_ADMIN).", level=BASELINE)
def capabilities_baseline(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for k, cap in enumerate(as_list(as_dict(_sc(c).get("capabilities")).get("add"))):
            if not (isinstance(cap, str) and cap in BASELINE_CAPABILITIES):
                yield path + ("securityContext", "capabilities", "add", k), f"{container_label(c)} adds capability {cap}", "drop it from capabilities.add; baseline allows only the container runtime's default set"


@rule("lint-pss-baseline-apparmor", "No pod or container disables AppArmor (type Unconfined or the unconfined annotation).", level=BASELINE)
def apparmor(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, who, sc in _setters(pv):
        t = as_dict(sc.get("appArmorProfile")).get("type")
        if t is not None and t not in GOOD_SECCOMP:
            yield path + ("appArmorProfile", "type"), f"{who} sets appArmorProfile.type {t}", "use RuntimeDefault or Localhost, or leave it unset"
    for key, value in as_dict(pv.meta.get("annotations")).items():
        unconfined = isinstance(value, str) and value and value != "runtime/default" and not value.startswith("localhost/")
        if isinstance(key, str) and key.startswith(APPARMOR_ANNOTATION) and unconfined:
            yield _meta_path(pv) + ("annotations", key), f'annotation {key}: "{value}" disables AppArmor', "use runtime/default or localhost/<profile>, or remove the annotation"


@rule("lint-pss-baseline-selinux", "No custom SELinux user or role, and only container SELinux types.", level=BASELINE)
def selinux(pv: PodView, ctx: Context) -> Iterator[Finding]:
    allowed = selinux_types(_version(ctx))
    for path, who, sc in _setters(pv):
        opts = as_dict(sc.get("seLinuxOptions"))
        t = opts.get("type") or ""
        if not (isinstance(t, str) and t in allowed):
            yield path + ("seLinuxOptions", "type"), f"{who} sets SELinux type {t}", f"use one of {', '.join(sorted(x for x in allowed if x))}, or leave it unset"
        for field in ("user", "role"):
            if opts.get(field):
                yield path + ("seLinuxOptions", field), f"{who} sets a custom SELinux {field}", f"remove seLinuxOptions.{field}"


def _proc_mount(pv: PodView) -> Iterator[Finding]:
    for path, c in pv.containers():
        pm = _sc(c).get("procMount")
        if pm is not None and pm != "Default":
            yield path + ("securityContext", "procMount"), f"{container_label(c)} sets procMount {pm}, unmasking /proc", "remove procMount or set it to Default"


@rule("lint-pss-baseline-proc-mount", "Containers keep the default /proc masks (pods with hostUsers: false are exempt from 1.35).", level=BASELINE)
def proc_mount_baseline(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if not _user_namespace(pv, ctx):
        yield from _proc_mount(pv)


@rule("lint-pss-baseline-seccomp", "No pod or container sets the seccomp profile to Unconfined.", level=BASELINE)
def seccomp_baseline(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, who, sc in _setters(pv):
        t = as_dict(sc.get("seccompProfile")).get("type")
        if t is not None and t not in GOOD_SECCOMP:
            yield path + ("seccompProfile", "type"), f"{who} sets seccompProfile.type {t}", "use RuntimeDefault or Localhost"


@rule("lint-pss-baseline-sysctls", "Pods set only sysctls that are namespaced and safe.", level=BASELINE)
def sysctls(pv: PodView, ctx: Context) -> Iterator[Finding]:
    allowed = safe_sysctls(_version(ctx))
    for i, s in enumerate(as_list(_pod_sc(pv).get("sysctls"))):
        name = as_dict(s).get("name")
        if isinstance(name, str) and name not in allowed:
            yield pv.path("securityContext", "sysctls", i, "name"), f"sysctl {name} is not in the safe set", "remove it, or run the pod in a namespace that allows privileged pods"


@rule("lint-pss-baseline-host-process", "No Windows HostProcess containers.", level=BASELINE)
def host_process(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, who, sc in _setters(pv):
        if as_dict(sc.get("windowsOptions")).get("hostProcess") is True:
            yield path + ("windowsOptions", "hostProcess"), f"{who} runs as a Windows HostProcess", "remove windowsOptions.hostProcess"


_HANDLERS = (
    ("livenessProbe",), ("readinessProbe",), ("startupProbe",), ("lifecycle", "postStart"), ("lifecycle", "preStop"),
)


@rule("lint-pss-baseline-probe-host", "Probes and lifecycle hooks do not set host (Kubernetes 1.34+).", level=BASELINE, min_version=(1, 34))
def probe_host(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for handler_path in _HANDLERS:
            handler: object = c
            for key in handler_path:
                handler = as_dict(handler).get(key)
            for action in ("httpGet", "tcpSocket"):
                host = as_dict(as_dict(handler).get(action)).get("host")
                if isinstance(host, str) and host:
                    yield path + handler_path + (action, "host"), f'{container_label(c)} {".".join(handler_path)} targets host "{host}"', "remove host; probes and hooks should reach the pod itself"


# --- restricted ----------------------------------------------------------------------------------


def _volume_type(vol: dict) -> str:
    for key in sorted(k for k in vol if isinstance(k, str)):
        if key != "name":
            return key
    return ""


@rule("lint-pss-restricted-volumes", "Pods use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.", level=RESTRICTED, overrides="lint-pss-baseline-host-path")
def restricted_volumes(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        vol = as_dict(vol)
        vtype = _volume_type(vol)
        if vtype == "hostPath" and sensitive_host_path(as_dict(vol.get("hostPath")).get("path")):
            continue  # reported, louder, by lint-host-path-sensitive
        if vtype and vtype not in RESTRICTED_VOLUME_TYPES:
            yield pv.path("volumes", i, vtype), f'volume "{vol.get("name")}" is of type {vtype}', "use a persistentVolumeClaim (or csi/ephemeral) volume instead"


@rule("lint-pss-restricted-privilege-escalation", "Containers set allowPrivilegeEscalation: false.", level=RESTRICTED, overrides="lint-privilege-escalation")
def privilege_escalation(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    for path, c in pv.containers():
        if _sc(c).get("allowPrivilegeEscalation") is not False:
            yield path + ("securityContext", "allowPrivilegeEscalation"), f"{container_label(c)} does not set allowPrivilegeEscalation: false", "set securityContext.allowPrivilegeEscalation: false"


@rule("lint-pss-restricted-run-as-non-root", "The pod or every container sets runAsNonRoot: true (hostUsers: false exempts from 1.35).", level=RESTRICTED, overrides="lint-run-as-non-root")
def run_as_non_root(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _user_namespace(pv, ctx):
        return
    pod_value = _pod_sc(pv).get("runAsNonRoot")
    if pod_value is False:
        yield pv.path("securityContext", "runAsNonRoot"), "the pod sets runAsNonRoot: false", "set securityContext.runAsNonRoot: true"
    for path, c in pv.containers():
        value = _sc(c).get("runAsNonRoot")
        if value is False:
            yield path + ("securityContext", "runAsNonRoot"), f"{container_label(c)} sets runAsNonRoot: false", "set it to true, or remove it and set it on the pod"
        elif value is None and pod_value is None:  # an explicit pod false is reported once, above
            yield path + ("securityContext", "runAsNonRoot"), f"neither the pod nor {container_label(c)} sets runAsNonRoot: true", "set securityContext.runAsNonRoot: true on the pod"


@rule("lint-pss-restricted-run-as-user", "No pod or container sets runAsUser: 0 (hostUsers: false exempts from 1.35).", level=RESTRICTED)
def run_as_user(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _user_namespace(pv, ctx):
        return
    for path, who, sc in _setters(pv):
        uid = sc.get("runAsUser")
        if isinstance(uid, int) and not isinstance(uid, bool) and uid == 0:
            yield path + ("runAsUser",), f"{who} runs as root (runAsUser: 0)", "use a non-zero user id"


@rule("lint-pss-restricted-seccomp", "The pod or every container sets seccompProfile.type RuntimeDefault or Localhost.", level=RESTRICTED, overrides="lint-pss-baseline-seccomp")
def seccomp_restricted(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    pod_type = as_dict(_pod_sc(pv).get("seccompProfile")).get("type")
    if pod_type is not None and pod_type not in GOOD_SECCOMP:
        yield pv.path("securityContext", "seccompProfile", "type"), f"the pod sets seccompProfile.type {pod_type}", "use RuntimeDefault or Localhost"
    for path, c in pv.containers():
        t = as_dict(_sc(c).get("seccompProfile")).get("type")
        if t is not None and t not in GOOD_SECCOMP:
            yield path + ("securityContext", "seccompProfile", "type"), f"{container_label(c)} sets seccompProfile.type {t}", "use RuntimeDefault or Localhost"
        elif t is None and pod_type is None:  # a bad pod-level type is reported once, above
            yield path + ("securityContext", "seccompProfile"), f"neither the pod nor {container_label(c)} sets a seccomp profile", "set securityContext.seccompProfile.type: RuntimeDefault on the pod"


@rule("lint-pss-restricted-capabilities", "Containers drop ALL capabilities and add at most NET_BIND_SERVICE.", level=RESTRICTED, overrides=("lint-pss-baseline-capabilities", "lint-drop-net-raw"))
def capabilities_restricted(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    for path, c in pv.containers():
        caps = as_dict(_sc(c).get("capabilities"))
        if "ALL" not in as_list(caps.get("drop")):
            yield path + ("securityContext", "capabilities", "drop"), f"{container_label(c)} does not drop ALL capabilities", 'set securityContext.capabilities.drop: ["ALL"]'
        for k, cap in enumerate(as_list(caps.get("add"))):
            if cap != "NET_BIND_SERVICE":
                yield path + ("securityContext", "capabilities", "add", k), f"{container_label(c)} adds capability {cap}", "restricted allows adding only NET_BIND_SERVICE"


@rule("lint-pss-restricted-proc-mount", "Containers keep the default /proc masks, even with hostUsers: false.", level=RESTRICTED, overrides="lint-pss-baseline-proc-mount")
def proc_mount_restricted(pv: PodView, ctx: Context) -> Iterator[Finding]:
    yield from _proc_mount(pv)
