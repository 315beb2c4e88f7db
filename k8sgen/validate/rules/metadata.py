"""Object metadata of every kind: names per kind, generateName, namespace, labels, annotations,
finalizers.

Source: `ValidateObjectMeta` in `k8s.io/apimachinery/pkg/api/validation/objectmeta.go` (and its
wrapper of the same name in `pkg/apis/core/validation/validation.go`, which every in-tree API
group uses and which adds the finalizer rule), and the per-kind name functions
(`ValidatePodName`, `ValidateServiceName`, ... in `pkg/apis/core/validation/validation.go`;
`minimalNameRequirements` in `pkg/apis/rbac/validation/validation.go`;
`ValidateEndpointSliceName` in discovery; `NameIsDNSSubdomain` for custom resources in
apiextensions' `customresource` strategy).

The rules apply to every kind (`"*"`): a kind not listed in NAME_RULES gets the minimal
requirement every name meets on its way into a REST path (a path segment), so a kind whose name
function was not reviewed never gets a false error; custom resources get a DNS-1123 subdomain.
"""

from __future__ import annotations

from typing import Callable, Iterator

from ...errors import Problem
from . import formats
from .labels import check_labels
from .registry import get_dict, invalid, required, rule, too_long

NameFn = Callable[[str, bool], list]

# How each kind's name is validated; generateName uses the same function in prefix mode.
_SUBDOMAIN = (formats.name_is_dns_subdomain, "a DNS-1123 subdomain")
_PATH_SEGMENT = (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'")

NAME_RULES: dict[str, tuple[NameFn, str]] = {
    "Pod": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "Service": (formats.name_is_dns1035_label, "a DNS-1035 label (it becomes a DNS name and env var prefix)"),
    "Endpoints": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain, the name of its Service"),
    "EndpointSlice": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "ServiceAccount": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "ConfigMap": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "Secret": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "Namespace": (formats.name_is_dns_label, "a DNS-1123 label"),
    # ValidateStatefulSetName is NameIsDNSLabel (apps/validation): each pod is named NAME-ORDINAL
    # and gets a DNS name through the headless Service.
    "StatefulSet": (formats.name_is_dns_label, "a DNS-1123 label (its pods are named NAME-0, NAME-1, ...)"),
    "Role": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
    "RoleBinding": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
    "ClusterRole": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
    "ClusterRoleBinding": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
}
# Kinds whose name function is NameIsDNSSubdomain in their group's validation.go (core,
# apps, batch, networking, policy, storage, scheduling, node, autoscaling, coordination,
# admissionregistration, apiextensions).
for _kind in (
    "ReplicationController", "PodTemplate", "PersistentVolume", "PersistentVolumeClaim", "Node",
    "LimitRange", "ResourceQuota", "Event", "Deployment", "ReplicaSet", "DaemonSet",
    "ControllerRevision", "Job", "CronJob", "Ingress", "IngressClass", "NetworkPolicy",
    "PodDisruptionBudget", "StorageClass", "CSIDriver", "VolumeAttachment", "PriorityClass",
    "RuntimeClass", "HorizontalPodAutoscaler", "Lease", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "CustomResourceDefinition",
):
    NAME_RULES.setdefault(_kind, _SUBDOMAIN)
KINDS = ("*",)

# Requests that are answered, not stored: they need no name.
NAME_OPTIONAL = frozenset({
    "TokenReview", "SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview",
    "SelfSubjectRulesReview", "SelfSubjectReview", "TokenRequest",
})

# Cluster-scoped built-in kinds. The API server clears metadata.namespace on them on create
# (EnsureObjectNamespaceMatchesRequestNamespace in apiserver's rest/create.go), so a namespace
# there is not an error.
CLUSTER_SCOPED = frozenset({
    "Namespace", "Node", "PersistentVolume", "ComponentStatus", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding", "CertificateSigningRequest", "ClusterTrustBundle", "StorageClass",
    "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass", "PriorityClass", "RuntimeClass",
    "FlowSchema", "PriorityLevelConfiguration", "IngressClass", "IPAddress", "ServiceCIDR", "DeviceClass",
    "DeviceTaintRule", "ResourceSlice", "StorageVersion", "StorageVersionMigration", "SelfSubjectAccessReview",
    "SelfSubjectRulesReview", "SubjectAccessReview", "TokenReview", "SelfSubjectReview", "ResourcePoolStatusRequest",
})

# `pkg/apis/core/helper`: the finalizers that may be written without a domain prefix.
STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")

# RelaxedServiceNameValidation: alpha in 1.34, beta and on by default from 1.36. Service names
# become DNS-1123 labels (a leading digit is fine); before, DNS-1035 labels.
RELAXED_SERVICE_NAMES_SINCE = (1, 36)


def name_rule(kind: str, version: tuple, builtin: bool = True) -> tuple[NameFn, str]:
    if not builtin:
        return _SUBDOMAIN  # custom resources, whatever their kind is called
    if kind == "Service" and version >= RELAXED_SERVICE_NAMES_SINCE:
        return formats.name_is_dns_label, "a DNS-1123 label (it becomes a DNS name)"
    return NAME_RULES.get(kind, _PATH_SEGMENT)


def is_builtin(obj: dict) -> bool:
    """Whether the object's group is a built-in one (custom resources live in their own groups)."""
    from .. import k8s_schema

    api = obj.get("apiVersion")
    return isinstance(api, str) and api.rpartition("/")[0] in k8s_schema.groups(k8s_schema.DEFAULT_VERSION)


def applies(obj: dict) -> bool:
    # kubectl's `List` (and any ...List) is a wrapper of objects, not an object with a name.
    return not obj["kind"].endswith("List")


TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


@rule("metadata-name", KINDS, "metadata.name (or generateName) is set and valid for the kind: a DNS-1123 subdomain for most, a DNS-1123 label for Namespaces and Services (DNS-1035 before 1.36), a path segment for RBAC objects and kinds without a stricter rule; custom resources a DNS-1123 subdomain; review requests need no name")
def check_name(obj: dict, ctx: object) -> Iterator[Problem]:
    if not applies(obj):
        return
    meta = get_dict(obj, "metadata")
    fn, what = name_rule(obj["kind"], getattr(ctx, "kube_version", (1, 37)), is_builtin(obj))
    name = meta.get("name")
    generate = meta.get("generateName")
    if not name:
        if not generate and obj["kind"] not in NAME_OPTIONAL:
            yield required("metadata-name", ("metadata", "name"), "name or generateName is required")
        return
    if isinstance(name, str):
        for msg in fn(name, False):
            yield invalid("metadata-name", ("metadata", "name"), name, msg, hint=f"a {obj['kind']} name must be {what}")


@rule("metadata-generate-name", KINDS, "metadata.generateName is a valid name prefix for the kind (a trailing '-' is allowed)")
def check_generate_name(obj: dict, ctx: object) -> Iterator[Problem]:
    generate = get_dict(obj, "metadata").get("generateName")
    if isinstance(generate, str) and generate and applies(obj):
        fn, what = name_rule(obj["kind"], getattr(ctx, "kube_version", (1, 37)), is_builtin(obj))
        for msg in fn(generate, True):
            yield invalid("metadata-generate-name", ("metadata", "generateName"), generate, msg,
                          hint=f"the generated name must be {what}")


@rule("metadata-namespace", KINDS, "metadata.namespace, when set on a namespaced kind, is a DNS-1123 label (on a cluster-scoped kind the server clears it)")
def check_namespace(obj: dict, ctx: object) -> Iterator[Problem]:
    ns = get_dict(obj, "metadata").get("namespace")
    if isinstance(ns, str) and ns and obj["kind"] not in CLUSTER_SCOPED:
        for msg in formats.name_is_dns_label(ns):
            yield invalid("metadata-namespace", ("metadata", "namespace"), ns, msg,
                          hint="namespace names are lowercase letters, digits and '-', at most 63 characters")


@rule("metadata-labels", KINDS, "label keys are qualified names ([prefix/]name) and values are valid label values")
def check_metadata_labels(obj: dict, ctx: object) -> Iterator[Problem]:
    yield from check_labels("metadata-labels", get_dict(obj, "metadata").get("labels"), ("metadata", "labels"))


@rule("metadata-annotations", KINDS, "annotation keys are qualified names and all annotations together stay within 256 KiB")
def check_annotations(obj: dict, ctx: object) -> Iterator[Problem]:
    ann = get_dict(obj, "metadata", "annotations")
    path = ("metadata", "annotations")
    total = 0
    for key, value in ann.items():
        key = str(key)
        # The server lower-cases annotation keys before checking them, so 'Example.com/Key' passes.
        for msg in formats.is_qualified_name(key.lower()):
            yield invalid("metadata-annotations", path, key, msg,
                          hint="annotation keys are [prefix/]name with a DNS subdomain prefix")
        total += len(key.encode()) + len((value if isinstance(value, str) else "").encode())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        yield too_long("metadata-annotations", path, TOTAL_ANNOTATION_SIZE_LIMIT,
                       hint=f"the annotations take {total} bytes; move large data to a ConfigMap")


@rule("metadata-finalizers", KINDS, "metadata.finalizers are qualified names ([prefix/]name), built-in kinds allow an unprefixed name only for the standard finalizers (kubernetes, orphan, foregroundDeletion), and orphan and foregroundDeletion are not both set")
def check_finalizers(obj: dict, ctx: object) -> Iterator[Problem]:
    items = get_dict(obj, "metadata").get("finalizers")
    if not isinstance(items, list) or not applies(obj):
        return
    yield from finalizer_problems("metadata-finalizers", items, ("metadata", "finalizers"), is_builtin(obj), indexed=True)


def finalizer_problems(rid: str, items: list, path: tuple, builtin: bool, indexed: bool) -> Iterator[Problem]:
    """apimachinery's ValidateFinalizers (errors at the list's path) and, for built-in kinds,
    core's validateKubeFinalizerName (at the item's path in metadata, the list's in a Namespace's
    spec)."""
    names = [f for f in items if isinstance(f, str)]
    for i, name in enumerate(items):
        if not isinstance(name, str):
            continue
        for msg in formats.is_qualified_name(name):
            yield invalid(rid, path, name, msg, hint="finalizers are [prefix/]name, e.g. example.com/cleanup")
        if builtin and "/" not in name and name not in STANDARD_FINALIZERS:
            yield invalid(rid, path + ((i,) if indexed else ()), name,
                          "name is neither a standard finalizer name nor is it fully qualified",
                          hint="prefix it with a domain you own, e.g. example.com/" + name)
    if "orphan" in names and "foregroundDeletion" in names:
        yield invalid(rid, path, names, "finalizer orphan and foregroundDeletion cannot be both set")
