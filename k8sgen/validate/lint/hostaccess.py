"""Host access beyond Pod Security's blanket rules: the mounts and ports that matter most.

Pod Security baseline forbids every hostPath; a container runtime socket or a system directory
deserves its own, louder warning, and it gets it under every profile (even `privileged`, where
a node agent legitimately mounts /var/log but rarely needs the Docker socket). The baseline
hostPath rule leaves those paths to `lint-host-path-sensitive`, so one mount is reported once.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..pods import PodView, as_dict, as_list, container_label
from .registry import RECOMMENDED, Finding, rule

if TYPE_CHECKING:  # for annotations only
    from .. import Context

RUNTIME_SOCKETS = ("docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "podman.sock", "dockershim.sock")
# kube-linter's sensitive-host-mounts directories, matched exactly as it does.
SENSITIVE_DIRS = frozenset({"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"})


def sensitive_host_path(path: object) -> str:
    """What a hostPath path gives away ("" when it is not one of the sensitive ones)."""
    if not isinstance(path, str) or not path.startswith("/"):
        return ""
    norm = posixpath.normpath(path)
    norm = "/" if norm == "//" else norm
    base = posixpath.basename(norm)
    if base in RUNTIME_SOCKETS:
        return f"the container runtime socket {norm}: whoever runs in the pod controls every container on the node"
    if norm in SENSITIVE_DIRS:
        return f"the host's {norm}: the pod can read (or change) the node's system files"
    return ""


def _host_path_volumes(pv: PodView) -> Iterator[tuple[int, dict, str]]:
    for i, vol in enumerate(as_list(pv.spec.get("volumes"))):
        hp = as_dict(vol).get("hostPath")
        if hp is not None:
            yield i, as_dict(vol), as_dict(hp).get("path")


@rule("lint-host-path-sensitive", "No hostPath mounts a container runtime socket (docker.sock, containerd.sock...) or a system directory (/, /etc, /proc, /sys...).")
def host_path_sensitive(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for i, vol, path in _host_path_volumes(pv):
        what = sensitive_host_path(path)
        if what:
            yield pv.path("volumes", i, "hostPath", "path"), f'volume "{vol.get("name")}" mounts {what}', "remove the volume; talk to the API server instead of the runtime, or use a narrower path"


@rule("lint-ssh-port", "Containers do not expose port 22 (SSH).")
def ssh_port(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for j, port in enumerate(as_list(c.get("ports"))):
            port = as_dict(port)
            if port.get("containerPort") == 22 and port.get("protocol", "TCP") == "TCP":
                yield path + ("ports", j, "containerPort"), f"{container_label(c)} exposes port 22, the SSH port", "reach containers with kubectl exec instead of an SSH server; if this is not SSH, use another port"


@rule("lint-host-path-writable", "hostPath volumes are mounted readOnly.", level=RECOMMENDED)
def host_path_writable(pv: PodView, ctx: Context) -> Iterator[Finding]:
    # Lint also runs on objects the schema refused: a name may be any value, so only strings count.
    host = {n for _, v, _ in _host_path_volumes(pv) if isinstance(n := as_dict(v).get("name"), str)}
    if not host:
        return
    for path, c in pv.containers():
        for j, m in enumerate(as_list(c.get("volumeMounts"))):
            m = as_dict(m)
            if isinstance(m.get("name"), str) and m["name"] in host and m.get("readOnly") is not True:
                yield path + ("volumeMounts", j, "readOnly"), f'{container_label(c)} mounts host path volume "{m.get("name")}" writable', "set readOnly: true on the volumeMount"


@rule("lint-privileged-port", "Containers listen on unprivileged ports (1024 and above).", level=RECOMMENDED)
def privileged_port(pv: PodView, ctx: Context) -> Iterator[Finding]:
    for path, c in pv.containers():
        for j, port in enumerate(as_list(c.get("ports"))):
            n = as_dict(port).get("containerPort")
            if isinstance(n, int) and not isinstance(n, bool) and 0 < n < 1024:
                yield path + ("ports", j, "containerPort"), f"{container_label(c)} listens on privileged port {n}, which needs root or NET_BIND_SERVICE", "listen on a port from 1024 up and map it in the Service (port: 80, targetPort: 8080)"
