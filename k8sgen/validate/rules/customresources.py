"""CustomResourceDefinitions: name, group, names, versions and their schemas.

Source: `ValidateCustomResourceDefinition`, `validateCustomResourceDefinitionSpec` and
`ValidateCustomResourceDefinitionNames` in
`k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go`, after v1
defaulting (`SetDefaults_CustomResourceDefinitionSpec`: `singular` is the lower-cased kind,
`listKind` the kind plus "List"), and the root checks of the structural-schema validation
(`apiextensions/pkg/apiserver/schema`). How the custom resources themselves are checked against
these schemas is `k8sgen/validate/crds.py`.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .registry import dicts, get_dict, get_list, get_str, invalid, not_supported, required, rule

KIND = ["CustomResourceDefinition"]


@rule("crd-name", KIND, "metadata.name is spec.names.plural + '.' + spec.group")
def check_crd_name(obj: dict, ctx: object) -> Iterator[Problem]:
    spec = get_dict(obj, "spec")
    name = get_dict(obj, "metadata").get("name")
    want = get_str(get_dict(spec, "names"), "plural") + "." + get_str(spec, "group")
    if isinstance(name, str) and name and name != want:
        yield invalid("crd-name", ("metadata", "name"), name, 'must be spec.names.plural+"."+spec.group',
                      hint=f"name it {want}" if want != "." else "")


@rule("crd-spec", KIND, "spec.group is a DNS-1123 subdomain with at least one dot, scope is Cluster or Namespaced, names.plural and names.kind are set and DNS-1035 labels (kind and listKind lower-cased), kind and listKind differ")
def check_crd_spec(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "crd-spec"
    spec = get_dict(obj, "spec")
    group = get_str(spec, "group")
    if not group:
        yield required(rid, ("spec", "group"))
    else:
        errs = formats.is_dns1123_subdomain(group)
        if errs:
            yield invalid(rid, ("spec", "group"), group, ",".join(errs))
        elif "." not in group:
            yield invalid(rid, ("spec", "group"), group, "should be a domain with at least one dot",
                          hint=f"e.g. {group}.example.com")
    scope = get_str(spec, "scope")
    if not scope:
        yield required(rid, ("spec", "scope"))
    elif scope not in ("Cluster", "Namespaced"):
        yield not_supported(rid, ("spec", "scope"), scope, ["Cluster", "Namespaced"])
    names = get_dict(spec, "names")
    path = ("spec", "names")
    for field in ("plural", "kind"):
        if not get_str(names, field):
            yield required(rid, path + (field,))
    for field, lower in (("plural", False), ("singular", False), ("kind", True), ("listKind", True)):
        value = get_str(names, field)
        if value:
            for msg in formats.is_dns1035_label(value.lower() if lower else value):
                yield invalid(rid, path + (field,), value, msg)
    kind = get_str(names, "kind")
    if kind and get_str(names, "listKind", kind + "List") == kind:
        yield invalid(rid, path + ("listKind",), kind, "kind and listKind may not be the same")
    for field in ("shortNames", "categories"):
        for i, value in enumerate(get_list(names, field)):
            if isinstance(value, str):
                for msg in formats.is_dns1035_label(value):
                    yield invalid(rid, path + (field, i), value, msg)


@rule("crd-versions", KIND, "versions have unique DNS-1035 names, exactly one is the storage version, and each has an openAPIV3Schema whose root is of type object")
def check_crd_versions(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "crd-versions"
    versions = get_list(obj, "spec", "versions")
    base = ("spec", "versions")
    seen: set = set()
    unique = True
    storage = 0
    for i, v in dicts(versions):
        name = get_str(v, "name")
        if name in seen:
            unique = False
        seen.add(name)
        for msg in formats.is_dns1035_label(name):
            yield invalid(rid, base + (i, "name"), name, msg, hint="version names look like v1, v1beta1, v2alpha1")
        storage += v.get("storage") is True
        schema = get_dict(v, "schema").get("openAPIV3Schema")
        spath = base + (i, "schema", "openAPIV3Schema")
        if not isinstance(schema, dict):
            yield required(rid, spath, "schemas are required",
                           hint="give the version a schema; {type: object, x-kubernetes-preserve-unknown-fields: true} accepts anything")
            continue
        root_type = schema.get("type")
        if not root_type:
            yield required(rid, spath + ("type",), "must not be empty at the root")
        elif root_type != "object":
            yield invalid(rid, spath + ("type",), root_type, "must be object at the root")
    if not unique:
        yield invalid(rid, base, "spec.versions", "must contain unique version names")
    if storage != 1:
        yield invalid(rid, base, "spec.versions", "must have exactly one version marked as storage version",
                      hint="set storage: true on exactly one version")
