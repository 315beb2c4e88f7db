"""Containers: probes that can work, secrets kept out of env values, a hardened security context.

Always on: probe ports that name no port of the container (the probe can never succeed), a
secret-looking env var with a literal value, the deprecated `serviceAccount` field and a
mutable tag that is never pulled again. The security-context and probe-presence checks are the
ones kube-linter, Polaris and kube-score turn on by default; most manifests do not meet them
yet, so they run under the `recommended` profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ... import apiproxy
from ..pods import PodView, as_dict, as_list, container_label
from .registry import RECOMMENDED, Finding, rule
from .workload import image_problem

if TYPE_CHECKING:  # for annotations only
    from .. import Context

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
# Names that say "this is a credential" (kube-linter's env-var-secret matches SECRET, Polaris's
# sensitiveContainerEnvVar the other words). A last word that names or configures the secret
# instead (SECRET_NAME, TOKEN_TTL, PASSWORD_FILE) keeps it quiet, as do boolean values.
SECRET_PARTS = ("SECRET", "PASSWORD", "PASSWD", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "CREDENTIAL", "BEARER")
# Polaris also flags a PEM private key in any env value, whatever the name.
_PEM_KEY = re.compile(r"-BEGIN\s+.*PRIVATE KEY-", re.IGNORECASE)
SECRET_WORDS = frozenset({"TOKEN"})
NOT_A_SECRET_WORDS = frozenset({"NAME", "FILE", "PATH", "DIR", "REF", "URL", "URI", "TTL", "EXPIRY", "EXPIRATION", "LENGTH", "ENDPOINT", "HEADER", "TYPE", "ID", "MOUNT", "KEYS", "ENABLED", "REQUIRED"})
BOOLEAN_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})
_REF = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_.\-]*\)")


def _regular(pv: PodView) -> Iterator[tuple[tuple, dict]]:
    """init and regular containers (ephemeral containers take no probes, ports or resources)."""
    for path, c in pv.containers():
        if path[-2] != "ephemeralContainers":
            yield path, c


def _long_running(pv: PodView) -> bool:
    """Pods that are meant to keep running: not Jobs, and not Pods that run to completion."""
    if pv.kind in ("Job", "CronJob"):
        return False
    return pv.spec.get("restartPolicy") in (None, "Always")


def _probe_ports(probe: dict) -> Iterator[tuple[tuple, object]]:
    for action in ("httpGet", "tcpSocket", "grpc"):
        handler = as_dict(probe.get(action))
        if "port" in handler:
            yield (action, "port"), handler.get("port")


@rule("lint-probe-port", "Liveness, readiness and startup probes name a port the container declares (or a number it exposes).")
def probe_port(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in _regular(pv):
        ports = [as_dict(p) for p in as_list(c.get("ports"))]
        names = {p.get("name") for p in ports if isinstance(p.get("name"), str)}
        numbers = {p.get("containerPort") for p in ports if isinstance(p.get("containerPort"), int)}
        for probe_name in PROBES:
            for sub, port in _probe_ports(as_dict(c.get(probe_name))):
                where = path + (probe_name,) + sub
                if isinstance(port, str) and port and not port.isdigit() and port not in names:
                    known = f" (it declares {', '.join(sorted(names))})" if names else " (it declares no named ports)"
                    yield where, f'{probe_name} of {container_label(c)} uses port "{port}", which the container does not declare{known}: the probe can never connect', f"name one of the container's ports, or add a port named {port}"
                elif isinstance(port, int) and not isinstance(port, bool) and numbers and port not in numbers:
                    yield where, f"{probe_name} of {container_label(c)} uses port {port}, which is not one of the container's ports ({', '.join(map(str, sorted(numbers)))})", "probe a port the container exposes, or declare this one in ports"


def _secret_name(name: str) -> bool:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name.upper()) if w]
    joined = "".join(words)
    if not words or words[-1] in NOT_A_SECRET_WORDS:
        return False
    return any(w in SECRET_WORDS for w in words) or any(s in joined for s in SECRET_PARTS)


@rule("lint-env-secret-value", "No env var named like a secret (PASSWORD, TOKEN, SECRET, API_KEY...) carries its value in the manifest.")
def env_secret_value(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for i, e in enumerate(as_list(c.get("env"))):
            e = as_dict(e)
            name, value = e.get("name"), e.get("value")
            if not (isinstance(name, str) and isinstance(value, str) and value.strip()):
                continue
            if _PEM_KEY.search(value):
                yield path + ("env", i, "value"), f"env var {name} of {container_label(c)} holds a private key in plain text", "move the key into a Secret and mount it as a file"
                continue
            v = value.strip()
            # A reference to another variable, a flag or a file path is not the secret itself.
            if _REF.fullmatch(v) or v.lower() in BOOLEAN_VALUES or v.startswith("/") or not _secret_name(name):
                continue
            yield path + ("env", i, "value"), f"env var {name} of {container_label(c)} holds a secret in plain text: everyone who can read the {pv.kind} can read it", "move the value into a Secret and use valueFrom.secretKeyRef, or mount it as a file"


@rule("lint-deprecated-service-account", "Pods use serviceAccountName, not the deprecated serviceAccount field.")
def deprecated_service_account(pv: PodView, ctx: Context) -> Iterator[Finding]:
    old, new = pv.spec.get("serviceAccount"), pv.spec.get("serviceAccountName")
    if isinstance(old, str) and old:
        clash = f' (serviceAccountName "{new}" wins)' if isinstance(new, str) and new and new != old else ""
        yield pv.path("serviceAccount"), f"serviceAccount is a deprecated alias of serviceAccountName{clash}", f"write serviceAccountName: {new or old} instead"


@rule("lint-image-pull-policy", "An image on a moving tag (:latest or none) is not pulled with IfNotPresent or Never, which keeps a stale copy.")
def image_pull_policy(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        image, policy = c.get("image"), c.get("imagePullPolicy")
        if isinstance(image, str) and image and policy in ("IfNotPresent", "Never") and image_problem(image):
            yield path + ("imagePullPolicy",), f'{container_label(c)} pulls "{image}" (a moving tag) with imagePullPolicy {policy}: each node keeps whichever version it pulled first', "pin a version tag or digest, or use imagePullPolicy: Always"


# --- recommended ----------------------------------------------------------------------------------


def _same_probe(a: dict, b: dict) -> bool:
    for action in ("httpGet", "tcpSocket", "exec", "grpc"):
        if action in a and action in b:
            return as_dict(a[action]) == as_dict(b[action])
    return False


@rule("lint-probes", "Long-running containers have a readiness and a liveness probe, and the two are not the same check (k8sgen's own apiProxy ambassador is exempt: it listens on 127.0.0.1 only, out of the kubelet's reach).", level=RECOMMENDED)
def probes(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if not _long_running(pv):
        return
    for i, c in enumerate(as_list(pv.spec.get("containers"))):
        # The kubelet probes from the node, which cannot reach a loopback listener, and an exec
        # probe would check the API server rather than the proxy (k8sgen/apiproxy.py weighs it).
        if not isinstance(c, dict) or apiproxy.is_ambassador(c):
            continue
        path = pv.path("containers", i)
        ready, live = as_dict(c.get("readinessProbe")), as_dict(c.get("livenessProbe"))
        if not ready:
            yield path + ("readinessProbe",), f"{container_label(c)} has no readinessProbe: it gets traffic before it is ready, and a broken rollout goes unnoticed", "add a readinessProbe (httpGet, tcpSocket, grpc or exec)"
        if not live:
            yield path + ("livenessProbe",), f"{container_label(c)} has no livenessProbe: a deadlocked process is never restarted", "add a livenessProbe that checks the process is alive (not its dependencies)"
        if ready and live and _same_probe(ready, live):
            yield path + ("livenessProbe",), f"{container_label(c)} uses the same check for liveness and readiness: a slow dependency restarts the container instead of taking it out of rotation", "make the liveness probe check only that the process responds"


def _sc(c: dict) -> dict:
    return as_dict(c.get("securityContext"))


def _windows(pv: PodView) -> bool:
    return as_dict(pv.spec.get("os")).get("name") == "windows"


@rule("lint-read-only-root-fs", "Containers set securityContext.readOnlyRootFilesystem: true.", level=RECOMMENDED)
def read_only_root_fs(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    for path, c in _regular(pv):
        if _sc(c).get("readOnlyRootFilesystem") is not True:
            yield path + ("securityContext", "readOnlyRootFilesystem"), f"{container_label(c)} can write to its root filesystem", "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it writes"


@rule("lint-privilege-escalation", "Containers set allowPrivilegeEscalation: false.", level=RECOMMENDED)
def privilege_escalation(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    for path, c in _regular(pv):
        value = _sc(c).get("allowPrivilegeEscalation")
        if value is not False:
            said = "allows privilege escalation" if value is True else "does not set allowPrivilegeEscalation: false"
            yield path + ("securityContext", "allowPrivilegeEscalation"), f"{container_label(c)} {said}: a setuid binary can gain more privileges than its parent", "set securityContext.allowPrivilegeEscalation: false"


def _positive_uid(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@rule("lint-run-as-non-root", "Containers run as non-root: runAsNonRoot: true or a non-zero runAsUser, on the pod or the container.", level=RECOMMENDED)
def run_as_non_root(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    pod_sc = as_dict(pv.spec.get("securityContext"))
    for path, c in _regular(pv):
        sc = _sc(c)
        non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
        uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
        if non_root is True or _positive_uid(uid):
            continue
        yield path + ("securityContext", "runAsNonRoot"), f"{container_label(c)} may run as root (neither runAsNonRoot: true nor a non-zero runAsUser)", "set securityContext.runAsNonRoot: true (and runAsUser) on the pod"


@rule("lint-drop-net-raw", "Containers drop the NET_RAW capability (or ALL).", level=RECOMMENDED)
def drop_net_raw(pv: PodView, ctx: Context) -> Iterator[Finding]:
    if _windows(pv):
        return
    for path, c in _regular(pv):
        drop = as_list(as_dict(_sc(c).get("capabilities")).get("drop"))
        if not ({"NET_RAW", "ALL", "CAP_NET_RAW"} & {d for d in drop if isinstance(d, str)}):
            yield path + ("securityContext", "capabilities", "drop"), f"{container_label(c)} keeps NET_RAW: it can craft raw packets and spoof traffic on the pod network", 'set securityContext.capabilities.drop: ["ALL"] (or at least NET_RAW)'


@rule("lint-secret-in-env", "Secrets reach containers as mounted files, not env vars (secretKeyRef, envFrom secretRef).", level=RECOMMENDED)
def secret_in_env(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for i, e in enumerate(as_list(c.get("env"))):
            ref = as_dict(as_dict(as_dict(e).get("valueFrom")).get("secretKeyRef"))
            if ref:
                yield path + ("env", i, "valueFrom", "secretKeyRef"), f'env var {as_dict(e).get("name")} of {container_label(c)} is read from Secret "{ref.get("name")}": env vars leak into logs, crash dumps and child processes', "mount the Secret as a volume and read the file"
        for i, src in enumerate(as_list(c.get("envFrom"))):
            ref = as_dict(as_dict(src).get("secretRef"))
            if ref:
                yield path + ("envFrom", i, "secretRef"), f'{container_label(c)} loads every key of Secret "{ref.get("name")}" into env vars', "mount the Secret as a volume and read the files"


@rule("lint-resources-complete", "Containers request CPU and memory and limit CPU (limits alone imply requests, as the API server defaults them).", level=RECOMMENDED)
def resources_complete(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in _regular(pv):
        res = as_dict(c.get("resources"))
        requests, limits = as_dict(res.get("requests")), as_dict(res.get("limits"))
        for name in ("cpu", "memory"):
            if name not in requests and name not in limits:
                yield path + ("resources", "requests", name), f"{container_label(c)} has no {name} request: the scheduler places it as if it needed none", f"set resources.requests.{name}"
        if "cpu" not in limits:
            yield path + ("resources", "limits", "cpu"), f"{container_label(c)} has no CPU limit", "set resources.limits.cpu, or silence lint-resources-complete if you deliberately run without CPU limits"
