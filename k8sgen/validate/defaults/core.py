"""Core v1 defaulting (`pkg/apis/core/v1/defaults.go`) and the v1-to-internal conversions that
change what validation sees (`pkg/apis/core/v1/conversion.go`, `ConvertDownwardAPIFieldLabel`
in `pkg/apis/core/pods/helpers.go`).

Only defaults that validation can observe are applied; status, node and persistent-volume
defaults are left out. Pod defaults are shared with every workload's pod template
(`pod_template`), exactly as the generated defaulters call `SetDefaults_PodSpec` for
`PodTemplateSpec.Spec`.
"""

from __future__ import annotations

from .util import child, default, default_missing, empty, is_quantity, items, mapping

DEFAULT_FILE_MODE = 0o644  # secret, configMap, downwardAPI and projected defaultMode
TOKEN_EXPIRATION_SECONDS = 3600
CLIENT_IP_TIMEOUT_SECONDS = 10800

# Every volume source of v1.VolumeSource; a volume with none of them is an emptyDir
# (`SetDefaults_Volume`).
VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI",
    "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
    "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)

# Legacy downward-API field labels the server converts before checking them
# (`ConvertDownwardAPIFieldLabel`: "for backwards compatibility with old v1 clients").
LEGACY_FIELD_LABELS = {"spec.host": "spec.nodeName"}


def _image_pull_policy(image: object) -> str:
    # SetDefaults_Container: Always for :latest or an untagged image, else IfNotPresent. A
    # digest counts as a tag here only through the ':' of "sha256:", as in the Go code
    # (parsers.ParseImageName keeps the digest apart and reports tag "latest" only without one).
    if not isinstance(image, str):
        return "IfNotPresent"
    name = image.split("@", 1)[0]
    digest = "@" in image
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else ""
    if tag == "latest" or (not tag and not digest):
        return "Always"
    return "IfNotPresent"


def _probe(p: dict) -> None:
    # SetDefaults_Probe, and SetDefaults_HTTPGetAction for its handler.
    default(p, "timeoutSeconds", 1)
    default(p, "periodSeconds", 10)
    default(p, "successThreshold", 1)
    default(p, "failureThreshold", 3)
    _handler(p)


def _handler(h: dict) -> None:
    http = mapping(h, "httpGet")
    if http is not None:
        default(http, "path", "/")
        default(http, "scheme", "HTTP")


def _field_ref(ref: dict) -> None:
    # SetDefaults_ObjectFieldSelector, then the label conversion done during validation.
    default(ref, "apiVersion", "v1")
    fp = ref.get("fieldPath")
    if isinstance(fp, str) and fp in LEGACY_FIELD_LABELS:
        ref["fieldPath"] = LEGACY_FIELD_LABELS[fp]


def _container(c: dict, requests_from_limits: bool = True) -> None:
    default(c, "imagePullPolicy", _image_pull_policy(c.get("image")))
    default(c, "terminationMessagePath", "/dev/termination-log")
    default(c, "terminationMessagePolicy", "File")
    for port in items(c, "ports"):
        default(port, "protocol", "TCP")  # SetDefaults_ContainerPort
    for env in items(c, "env"):
        ref = mapping(mapping(env, "valueFrom"), "fieldRef")
        if ref is not None:
            _field_ref(ref)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = mapping(c, kind)
        if probe is not None:
            _probe(probe)
    lifecycle = mapping(c, "lifecycle")
    for hook in ("postStart", "preStop"):
        h = mapping(lifecycle, hook)
        if h is not None:
            _handler(h)
    if not requests_from_limits:
        return
    # SetDefaults_Pod: a limit without a request requests the limit (app and init containers).
    res = mapping(c, "resources")
    limits = mapping(res, "limits")
    if limits:
        requests = child(res, "requests")
        if requests is not None:
            for key, value in limits.items():
                # A limit that is not a quantity never decodes on the server; copying it
                # would report the one mistake twice.
                if key not in requests and is_quantity(value):
                    requests[key] = value


def _volume(v: dict) -> None:
    if all(v.get(s) is None for s in VOLUME_SOURCES):
        v["emptyDir"] = {}  # SetDefaults_Volume: "emptyDir: null" and a bare name alike
    for kind in ("secret", "configMap", "downwardAPI", "projected"):
        src = mapping(v, kind)
        if src is not None:
            default_missing(src, "defaultMode", DEFAULT_FILE_MODE)
    dapi = mapping(v, "downwardAPI")
    for item in items(dapi, "items"):
        ref = mapping(item, "fieldRef")
        if ref is not None:
            _field_ref(ref)
    proj = mapping(v, "projected")
    for src in items(proj, "sources"):
        tok = mapping(src, "serviceAccountToken")
        if tok is not None:
            default_missing(tok, "expirationSeconds", TOKEN_EXPIRATION_SECONDS)
        for item in items(mapping(src, "downwardAPI"), "items"):
            ref = mapping(item, "fieldRef")
            if ref is not None:
                _field_ref(ref)
    hp = mapping(v, "hostPath")
    if hp is not None and hp.get("type") is None:
        hp["type"] = ""  # SetDefaults_HostPathVolumeSource: HostPathUnset
    iscsi = mapping(v, "iscsi")
    if iscsi is not None:
        default(iscsi, "iscsiInterface", "default")
    rbd = mapping(v, "rbd")
    if rbd is not None:
        default(rbd, "pool", "rbd")
        default(rbd, "user", "admin")
        default(rbd, "keyring", "/etc/ceph/keyring")
    azure = mapping(v, "azureDisk")
    if azure is not None:
        default_missing(azure, "cachingMode", "ReadWrite")
        default_missing(azure, "fsType", "ext4")
        default_missing(azure, "readOnly", False)
        default_missing(azure, "kind", "Shared")
    claim_spec = mapping(mapping(mapping(v, "ephemeral"), "volumeClaimTemplate"), "spec")
    if claim_spec is not None:
        pvc_spec(claim_spec)
    scale = mapping(v, "scaleIO")
    if scale is not None:
        default(scale, "storageMode", "ThinProvisioned")
        default(scale, "fsType", "xfs")


def pod_spec(spec: dict, requests_from_limits: bool = False) -> None:
    """SetDefaults_PodSpec and the defaults of everything a pod spec holds; with
    `requests_from_limits`, SetDefaults_Pod's copy of limits into missing requests too, which
    upstream applies to a Pod only, never to a pod template ("we only want this defaulting
    semantic to take place on a v1.Pod and not a v1.PodTemplate", core/v1/defaults.go)."""
    # Conversion: the deprecated `serviceAccount` is an alias of serviceAccountName, which wins.
    if empty(spec.get("serviceAccountName")) and isinstance(spec.get("serviceAccount"), str) and spec["serviceAccount"]:
        spec["serviceAccountName"] = spec["serviceAccount"]
    default(spec, "dnsPolicy", "ClusterFirst")
    default(spec, "restartPolicy", "Always")
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    default_missing(spec, "terminationGracePeriodSeconds", 30)
    default(spec, "schedulerName", "default-scheduler")
    default_missing(spec, "enableServiceLinks", True)
    for fld in ("initContainers", "containers", "ephemeralContainers"):
        for c in items(spec, fld):
            _container(c, requests_from_limits and fld != "ephemeralContainers")
    if spec.get("hostNetwork") is True:
        # defaultHostNetworkPorts: on the host network a port is a host port.
        for fld in ("initContainers", "containers"):
            for c in items(spec, fld):
                for port in items(c, "ports"):
                    if empty(port.get("hostPort")):
                        port["hostPort"] = port.get("containerPort")
    for v in items(spec, "volumes"):
        _volume(v)


def pod_template(template: dict) -> None:
    """A PodTemplateSpec: its spec gets the pod defaults."""
    spec = child(template, "spec")
    if spec is not None:
        pod_spec(spec)


def pod(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is not None:
        pod_spec(spec, requests_from_limits=True)


def pod_template_object(obj: dict) -> None:
    template = child(obj, "template")  # a struct in Go (an RC's is a pointer and stays absent)
    if template is not None:
        pod_template(template)


def replication_controller(obj: dict) -> None:
    # SetDefaults_ReplicationController: an empty selector and empty labels come from the
    # template's labels; replicas default to 1.
    spec = child(obj, "spec")
    if spec is None:
        return
    template = mapping(spec, "template")
    labels = mapping(mapping(template, "metadata"), "labels")
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = child(obj, "metadata")
        if meta is not None and not meta.get("labels"):
            meta["labels"] = dict(labels)
    default_missing(spec, "replicas", 1)
    if template is not None:
        pod_template(template)


def service(obj: dict) -> None:
    # SetDefaults_Service (the parts validation looks at).
    spec = child(obj, "spec")
    if spec is None:
        return
    default(spec, "sessionAffinity", "None")
    if spec.get("sessionAffinity") == "None":
        spec.pop("sessionAffinityConfig", None)  # "v1 defaulting clears" a config for None
    elif spec.get("sessionAffinity") == "ClientIP":
        cfg = child(spec, "sessionAffinityConfig")
        client = child(cfg, "clientIP") if cfg is not None else None
        if client is not None:
            default_missing(client, "timeoutSeconds", CLIENT_IP_TIMEOUT_SECONDS)
    default(spec, "type", "ClusterIP")
    for port in items(spec, "ports"):
        default(port, "protocol", "TCP")
        if empty(port.get("targetPort")):
            port["targetPort"] = port.get("port")


def endpoints(obj: dict) -> None:
    for subset in items(obj, "subsets"):
        for port in items(subset, "ports"):
            default(port, "protocol", "TCP")


def secret(obj: dict) -> None:
    default(obj, "type", "Opaque")


def pvc_spec(spec: dict) -> None:
    """SetDefaults_PersistentVolumeClaimSpec (claims, claim templates, ephemeral volumes)."""
    default_missing(spec, "volumeMode", "Filesystem")


def persistent_volume_claim(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is not None:
        pvc_spec(spec)


def persistent_volume(obj: dict) -> None:
    spec = child(obj, "spec")
    if spec is None:
        return
    default(spec, "persistentVolumeReclaimPolicy", "Retain")
    default_missing(spec, "volumeMode", "Filesystem")
    hp = mapping(spec, "hostPath")
    if hp is not None and hp.get("type") is None:
        hp["type"] = ""


DEFAULTERS = {
    ("v1", "Pod"): pod,
    ("v1", "PodTemplate"): pod_template_object,
    ("v1", "ReplicationController"): replication_controller,
    ("v1", "Service"): service,
    ("v1", "Endpoints"): endpoints,
    ("v1", "Secret"): secret,
    ("v1", "PersistentVolumeClaim"): persistent_volume_claim,
    ("v1", "PersistentVolume"): persistent_volume,
}
