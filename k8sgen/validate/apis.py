"""Removed and deprecated built-in API versions, as data.

Source: the Kubernetes deprecated API migration guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/), restated per kind.
`REMOVED[(apiVersion, kind)] = (the minor that stopped serving it, what to use instead)`; the
replacement is an apiVersion, or, when the kind left Kubernetes, what took its place.
tests/test_apis.py cross-checks every removal from 1.26 on against the schemas the
kubernetes-validate wheel has for each minor (a kind served in 1.N-1 and not in 1.N).

`k8s_schema` consults this table before anything else: a removed apiVersion is an error (the API
server answers "no matches for kind"), a deprecated one that is still served is a warning.
"""

from __future__ import annotations

# Deployment, DaemonSet, ReplicaSet and friends: the 1.16 removals.
_APPS_116 = {
    ("extensions/v1beta1", "Deployment"): "apps/v1",
    ("extensions/v1beta1", "DaemonSet"): "apps/v1",
    ("extensions/v1beta1", "ReplicaSet"): "apps/v1",
    ("apps/v1beta1", "Deployment"): "apps/v1",
    ("apps/v1beta1", "StatefulSet"): "apps/v1",
    ("apps/v1beta1", "ControllerRevision"): "apps/v1",
    ("apps/v1beta2", "Deployment"): "apps/v1",
    ("apps/v1beta2", "DaemonSet"): "apps/v1",
    ("apps/v1beta2", "ReplicaSet"): "apps/v1",
    ("apps/v1beta2", "StatefulSet"): "apps/v1",
    ("apps/v1beta2", "ControllerRevision"): "apps/v1",
    ("extensions/v1beta1", "NetworkPolicy"): "networking.k8s.io/v1",
    ("extensions/v1beta1", "PodSecurityPolicy"): "Pod Security Admission (no replacement kind)",
}

_V122 = {
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"): "admissionregistration.k8s.io/v1",
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"): "admissionregistration.k8s.io/v1",
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"): "apiextensions.k8s.io/v1",
    ("apiregistration.k8s.io/v1beta1", "APIService"): "apiregistration.k8s.io/v1",
    ("authentication.k8s.io/v1beta1", "TokenReview"): "authentication.k8s.io/v1",
    ("authorization.k8s.io/v1beta1", "SubjectAccessReview"): "authorization.k8s.io/v1",
    ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview"): "authorization.k8s.io/v1",
    ("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview"): "authorization.k8s.io/v1",
    ("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview"): "authorization.k8s.io/v1",
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"): "certificates.k8s.io/v1",
    ("coordination.k8s.io/v1beta1", "Lease"): "coordination.k8s.io/v1",
    ("extensions/v1beta1", "Ingress"): "networking.k8s.io/v1",
    ("networking.k8s.io/v1beta1", "Ingress"): "networking.k8s.io/v1",
    ("networking.k8s.io/v1beta1", "IngressClass"): "networking.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1beta1", "Role"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1alpha1", "ClusterRole"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1alpha1", "ClusterRoleBinding"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1alpha1", "Role"): "rbac.authorization.k8s.io/v1",
    ("rbac.authorization.k8s.io/v1alpha1", "RoleBinding"): "rbac.authorization.k8s.io/v1",
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): "scheduling.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "CSIDriver"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "CSINode"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "StorageClass"): "storage.k8s.io/v1",
    ("storage.k8s.io/v1beta1", "VolumeAttachment"): "storage.k8s.io/v1",
}

_V125 = {
    ("batch/v1beta1", "CronJob"): "batch/v1",
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): "discovery.k8s.io/v1",
    ("events.k8s.io/v1beta1", "Event"): "events.k8s.io/v1",
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): "autoscaling/v2",
    ("policy/v1beta1", "PodDisruptionBudget"): "policy/v1",
    ("policy/v1beta1", "PodSecurityPolicy"): "Pod Security Admission (no replacement kind)",
    ("node.k8s.io/v1beta1", "RuntimeClass"): "node.k8s.io/v1",
}

_V126 = {
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"): "flowcontrol.apiserver.k8s.io/v1",
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"): "flowcontrol.apiserver.k8s.io/v1",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "autoscaling/v2",
}

_V127 = {("storage.k8s.io/v1beta1", "CSIStorageCapacity"): "storage.k8s.io/v1"}

_V129 = {
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"): "flowcontrol.apiserver.k8s.io/v1",
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration"): "flowcontrol.apiserver.k8s.io/v1",
}

_V132 = {
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"): "flowcontrol.apiserver.k8s.io/v1",
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"): "flowcontrol.apiserver.k8s.io/v1",
}

# Alpha and beta versions dropped since, read off the kubernetes-validate schemas of each minor
# (a kind served by 1.N-1 and not by 1.N). "" means: use the version the target serves.
_PRERELEASE = {
    (1, 27): ["resource.k8s.io/v1alpha1 PodScheduling", "resource.k8s.io/v1alpha1 ResourceClaim",
              "resource.k8s.io/v1alpha1 ResourceClaimTemplate", "resource.k8s.io/v1alpha1 ResourceClass"],
    (1, 29): ["networking.k8s.io/v1alpha1 ClusterCIDR"],
    (1, 31): ["networking.k8s.io/v1alpha1 IPAddress", "networking.k8s.io/v1alpha1 ServiceCIDR",
              "resource.k8s.io/v1alpha2 PodSchedulingContext", "resource.k8s.io/v1alpha2 ResourceClaim",
              "resource.k8s.io/v1alpha2 ResourceClaimParameters", "resource.k8s.io/v1alpha2 ResourceClaimTemplate",
              "resource.k8s.io/v1alpha2 ResourceClass", "resource.k8s.io/v1alpha2 ResourceClassParameters",
              "resource.k8s.io/v1alpha2 ResourceSlice"],
    (1, 32): ["admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy",
              "admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBinding",
              "authentication.k8s.io/v1alpha1 SelfSubjectReview", "coordination.k8s.io/v1alpha1 LeaseCandidate",
              "resource.k8s.io/v1alpha3 PodSchedulingContext"],
    (1, 33): ["authentication.k8s.io/v1beta1 SelfSubjectReview"],
    (1, 34): ["admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy",
              "admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding",
              "resource.k8s.io/v1alpha3 DeviceClass", "resource.k8s.io/v1alpha3 ResourceClaim",
              "resource.k8s.io/v1alpha3 ResourceClaimTemplate", "resource.k8s.io/v1alpha3 ResourceSlice"],
    (1, 35): ["certificates.k8s.io/v1alpha1 PodCertificateRequest", "storage.k8s.io/v1alpha1 VolumeAttributesClass",
              "storagemigration.k8s.io/v1alpha1 StorageVersionMigration"],
    (1, 36): ["scheduling.k8s.io/v1alpha1 Workload"],
    (1, 37): ["certificates.k8s.io/v1alpha1 ClusterTrustBundle", "networking.k8s.io/v1beta1 IPAddress",
              "networking.k8s.io/v1beta1 ServiceCIDR", "scheduling.k8s.io/v1alpha2 PodGroup",
              "scheduling.k8s.io/v1alpha2 Workload", "storage.k8s.io/v1beta1 VolumeAttributesClass"],
}

REMOVED: dict[tuple[str, str], tuple[tuple[int, int], str]] = {}
for _since, _names in _PRERELEASE.items():
    for _name in _names:
        _api, _kind = _name.split(" ")
        REMOVED[(_api, _kind)] = (_since, "")
for _since, _table in (((1, 16), _APPS_116), ((1, 22), _V122), ((1, 25), _V125), ((1, 26), _V126),
                       ((1, 27), _V127), ((1, 29), _V129), ((1, 32), _V132)):
    for _key, _use in _table.items():
        REMOVED[_key] = (_since, _use)

# Whole group-versions that are gone: any kind in them (also ones not listed above, such as
# extensions/v1beta1 ReplicationControllerDummy) gets the version's removal. Group-versions that
# were later reused for new kinds (certificates.k8s.io/v1beta1, coordination.k8s.io/v1beta1,
# admissionregistration.k8s.io/v1beta1, scheduling.k8s.io/v1beta1 ...) are not listed: a kind
# the target serves there is checked normally, whatever this table says.
REMOVED_GROUP_VERSIONS: dict[str, tuple[int, int]] = {
    "extensions/v1beta1": (1, 22),
    "apps/v1beta1": (1, 16),
    "apps/v1beta2": (1, 16),
    "batch/v1beta1": (1, 25),
    "batch/v2alpha1": (1, 21),
    "policy/v1beta1": (1, 25),
    "rbac.authorization.k8s.io/v1beta1": (1, 22),
    "rbac.authorization.k8s.io/v1alpha1": (1, 22),
    "apiextensions.k8s.io/v1beta1": (1, 22),
    "apiregistration.k8s.io/v1beta1": (1, 22),
    "authorization.k8s.io/v1beta1": (1, 22),
    "discovery.k8s.io/v1beta1": (1, 25),
    "events.k8s.io/v1beta1": (1, 25),
    "node.k8s.io/v1beta1": (1, 25),
    "autoscaling/v2beta1": (1, 25),
    "autoscaling/v2beta2": (1, 26),
    "flowcontrol.apiserver.k8s.io/v1beta1": (1, 26),
    "flowcontrol.apiserver.k8s.io/v1beta2": (1, 29),
    "flowcontrol.apiserver.k8s.io/v1beta3": (1, 32),
}

# Kinds deprecated while still served: (apiVersion, kind) -> (deprecated since, replacement).
DEPRECATED: dict[tuple[str, str], tuple[tuple[int, int], str]] = {
    # KEP-4974: the Endpoints API is frozen; EndpointSlices carry what it cannot (dual stack,
    # more than 1000 endpoints, topology).
    ("v1", "Endpoints"): ((1, 33), "discovery.k8s.io/v1 EndpointSlice"),
    ("v1", "ComponentStatus"): ((1, 19), "the kube-apiserver /livez and /readyz endpoints"),
}


def removed(api_version: str, kind: str, target: tuple) -> tuple[tuple[int, int], str] | None:
    """(removed in, replacement) if `apiVersion`/`kind` is no longer served by `target`."""
    hit = REMOVED.get((api_version, kind))
    if hit is None and api_version in REMOVED_GROUP_VERSIONS:
        hit = (REMOVED_GROUP_VERSIONS[api_version], "")
    if hit is None or hit[0] > tuple(target):
        return None
    return hit


def deprecated(api_version: str, kind: str, target: tuple) -> tuple[tuple[int, int], str] | None:
    hit = DEPRECATED.get((api_version, kind))
    if hit is None or hit[0] > tuple(target):
        return None
    return hit


def is_prerelease(api_version: str) -> str:
    """"alpha", "beta" or "" for the version part of an apiVersion."""
    version = api_version.rpartition("/")[2]
    for level in ("alpha", "beta"):
        if level in version:
            return level
    return ""
