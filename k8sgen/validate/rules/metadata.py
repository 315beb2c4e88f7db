"""Object metadata: names per kind, generateName, namespace, labels, annotations.

Source: `ValidateObjectMeta` in `k8s.io/apimachinery/pkg/api/validation/objectmeta.go` and the
per-kind name functions (`ValidatePodName`, `ValidateServiceName`, ... in
`pkg/apis/core/validation/validation.go`; `minimalNameRequirements` in
`pkg/apis/rbac/validation/validation.go`; `ValidateEndpointSliceName` in discovery).
"""

from __future__ import annotations

from typing import Callable, Iterator

from ...errors import Problem
from . import formats
from .labels import check_labels
from .registry import get_dict, invalid, required, rule, too_long

NameFn = Callable[[str, bool], list]

# How each kind's name is validated; generateName uses the same function in prefix mode.
NAME_RULES: dict[str, tuple[NameFn, str]] = {
    "Pod": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "Service": (formats.name_is_dns1035_label, "a DNS-1035 label (it becomes a DNS name and env var prefix)"),
    "Endpoints": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain, the name of its Service"),
    "EndpointSlice": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "ServiceAccount": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "ConfigMap": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "Secret": (formats.name_is_dns_subdomain, "a DNS-1123 subdomain"),
    "Namespace": (formats.name_is_dns_label, "a DNS-1123 label"),
    "Role": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
    "RoleBinding": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
    "ClusterRole": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
    "ClusterRoleBinding": (formats.name_is_path_segment, "a path segment: not '.' or '..', no '/' or '%'"),
}
KINDS = tuple(NAME_RULES)

# RelaxedServiceNameValidation: alpha in 1.34, beta and on by default from 1.36. Service names
# become DNS-1123 labels (a leading digit is fine); before, DNS-1035 labels.
RELAXED_SERVICE_NAMES_SINCE = (1, 36)


def name_rule(kind: str, version: tuple) -> tuple[NameFn, str]:
    if kind == "Service" and version >= RELAXED_SERVICE_NAMES_SINCE:
        return formats.name_is_dns_label, "a DNS-1123 label (it becomes a DNS name)"
    return NAME_RULES[kind]
CLUSTER_SCOPED = frozenset({"Namespace", "ClusterRole", "ClusterRoleBinding"})

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


@rule("metadata-name", KINDS, "metadata.name (or generateName) is set and valid for the kind: a DNS-1123 subdomain for most, a DNS-1123 label for Services (DNS-1035 before 1.36), a path segment for RBAC objects")
def check_name(obj: dict, ctx: object) -> Iterator[Problem]:
    meta = get_dict(obj, "metadata")
    fn, what = name_rule(obj["kind"], getattr(ctx, "kube_version", (1, 37)))
    name = meta.get("name")
    generate = meta.get("generateName")
    if not name:
        if not generate:
            yield required("metadata-name", ("metadata", "name"), "name or generateName is required")
        return
    if isinstance(name, str):
        for msg in fn(name, False):
            yield invalid("metadata-name", ("metadata", "name"), name, msg, hint=f"a {obj['kind']} name must be {what}")


@rule("metadata-generate-name", KINDS, "metadata.generateName is a valid name prefix for the kind (a trailing '-' is allowed)")
def check_generate_name(obj: dict, ctx: object) -> Iterator[Problem]:
    generate = get_dict(obj, "metadata").get("generateName")
    if isinstance(generate, str) and generate:
        fn, what = name_rule(obj["kind"], getattr(ctx, "kube_version", (1, 37)))
        for msg in fn(generate, True):
            yield invalid("metadata-generate-name", ("metadata", "generateName"), generate, msg,
                          hint=f"the generated name must be {what}")


@rule("metadata-namespace", KINDS, "metadata.namespace, when set, is a DNS-1123 label")
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
