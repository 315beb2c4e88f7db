"""The `kubectl proxy` ambassador that `apiProxy` adds to a pod, in one place: what k8sgen
renders (normalize/pods.py), what the importer folds back into `apiProxy` (importer/pods.py)
and what the linter knows about it (validate/lint/containers.py).

k8sgen knows exactly what this container runs, so it meets k8sgen's own default lint profile
without the user doing anything:

- securityContext: a static kubectl binary serving HTTP on 127.0.0.1:PORT (a port above 1024)
  needs no capability, no privilege escalation and no writable root filesystem. `kubectl proxy`
  only builds a REST config and listens (kubectl/pkg/cmd/proxy: ToRESTConfig, no discovery);
  even where kubectl does write its discovery cache, a failed write is logged at -v=1 and
  ignored (client-go discovery/cached/disk: writeCachedFile's error is not returned). It needs
  no particular uid either: the projected service-account token files are mode 0644 by default,
  readable by any uid. The image (registry.k8s.io/kubectl) runs as root unless told otherwise,
  so runAsNonRoot: true needs a numeric runAsUser or the kubelet refuses to start it.
- runAsUser 65532 (distroless "nonroot") is set only when the pod's securityContext names no
  non-root uid. A pod-level runAsUser is the user's choice for the whole pod (often a uid the
  namespace admits, as OpenShift's restricted SCC assigns per namespace); the proxy works under
  any uid, so overriding it on this one container would only risk a rejection. A pod-level 0
  (root) is not followed: the proxy has no use for root.
- seccompProfile RuntimeDefault is set only when the pod sets none: a pod-level profile already
  covers this container, and one the user chose (even Unconfined) is theirs to make.
- No probes. The proxy listens on loopback only, so the kubelet's httpGet and tcpSocket probes
  (sent from the node to the pod IP) cannot reach it. An exec probe could run `kubectl get
  --raw /readyz` inside the container, but every period it would start a second kubectl (tens
  of MiB and a CPU burst) inside this container's 64Mi/100m limits, risking OOM kills and
  throttled timeouts; and what it checks is the API server behind the proxy, not the proxy:
  as liveness that restarts every ambassador when the API server blips, as readiness it takes
  every pod with apiProxy out of its Services at the same moment. The main container, which
  knows what it needs from the API, is the right place for such a readiness check (see
  examples/api-access.yaml). So lint-probes does not ask this container for probes.

`apiProxy: {securityContext: {...}}` replaces k8sgen's securityContext with the user's, whole
(`{}`: none, the image's and the pod's settings apply).
"""

from __future__ import annotations

NAME = "api-proxy"
IMAGE = "registry.k8s.io/kubectl:v1.33.0"
PORT = 8001
RESOURCES = {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}
NONROOT_UID = 65532
_FIXED_ARGS = ["--address=127.0.0.1", "--accept-hosts=^localhost$,^127\\.0\\.0\\.1$"]


def args(port: int) -> list:
    return ["proxy", f"--port={port}", *_FIXED_ARGS]


def port_of(container_args: object) -> int | None:
    """The port of k8sgen's proxy args, or None for any other args."""
    if not isinstance(container_args, list) or len(container_args) != 4 or container_args[0] != "proxy" or container_args[2:] != _FIXED_ARGS:
        return None
    flag = container_args[1]
    if not isinstance(flag, str) or not flag.startswith("--port="):
        return None
    digits = flag[len("--port="):]
    if not digits.isdigit() or digits != str(int(digits)):
        return None  # "--port=08001" would not render back the same
    return int(digits)


def security_context(pod_sc: object) -> dict:
    """The container securityContext k8sgen gives the proxy in a pod whose securityContext is
    `pod_sc` (see the module docstring for each field)."""
    pod_sc = pod_sc if isinstance(pod_sc, dict) else {}
    sc: dict = {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
    }
    uid = pod_sc.get("runAsUser")
    if not (isinstance(uid, int) and not isinstance(uid, bool) and uid > 0):
        sc["runAsUser"] = NONROOT_UID
    if "seccompProfile" not in pod_sc:
        sc["seccompProfile"] = {"type": "RuntimeDefault"}
    return sc


def is_ambassador(container: object) -> bool:
    """This container is the one `apiProxy` renders: named api-proxy, running k8sgen's proxy
    args (any port), listening on 127.0.0.1 only."""
    return isinstance(container, dict) and container.get("name") == NAME and port_of(container.get("args")) is not None
