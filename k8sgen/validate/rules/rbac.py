"""RBAC objects (`pkg/apis/rbac/validation/validation.go`).

Names of RBAC objects and roleRef names only need to be path segments ('system:auth-delegator'
is fine). The server defaults `roleRef.apiGroup` and User/Group subjects' `apiGroup` to
rbac.authorization.k8s.io before validating, so an empty value is accepted here too.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .labels import check_label_selector
from .registry import (
    dicts,
    get_dict,
    get_list,
    get_str,
    invalid,
    not_supported,
    required,
    rule,
)

GROUP = "rbac.authorization.k8s.io"


def _policy_rules(rid: str, obj: dict, namespaced: bool) -> Iterator[Problem]:
    for i, r in dicts(get_list(obj, "rules")):
        p = ("rules", i)
        if not get_list(r, "verbs"):
            yield required(rid, p + ("verbs",), "verbs must contain at least one value", hint="e.g. verbs: [get, list, watch]")
        urls = get_list(r, "nonResourceURLs")
        if urls:
            if namespaced:
                yield invalid(rid, p + ("nonResourceURLs",), urls, "namespaced rules cannot apply to non-resource URLs",
                              hint="nonResourceURLs only work in a ClusterRole")
            if get_list(r, "apiGroups") or get_list(r, "resources") or get_list(r, "resourceNames"):
                yield invalid(rid, p + ("nonResourceURLs",), urls, "rules cannot apply to both regular resources and non-resource URLs",
                              hint="split it into two rules")
            continue
        if not get_list(r, "apiGroups"):
            yield required(rid, p + ("apiGroups",), "resource rules must supply at least one api group",
                           hint='use apiGroups: [""] for the core group (pods, services, ...)')
        # resourceNames with several resources is accepted: a check for it was proposed
        # upstream once and never shipped (ValidatePolicyRule has none).
        if not get_list(r, "resources"):
            yield required(rid, p + ("resources",), "resource rules must supply at least one resource")


@rule("rbac-rule", ("Role", "ClusterRole"), "policy rules have verbs; resource rules have apiGroups and resources; nonResourceURLs only in ClusterRoles and never mixed with resources")
def check_rules(obj: dict, ctx: object) -> Iterator[Problem]:
    yield from _policy_rules("rbac-rule", obj, obj["kind"] == "Role")


@rule("rbac-aggregation-rule", ("ClusterRole",), "an aggregationRule has at least one clusterRoleSelector, each a valid label selector")
def check_aggregation(obj: dict, ctx: object) -> Iterator[Problem]:
    agg = obj.get("aggregationRule")
    if not isinstance(agg, dict):
        return
    selectors = get_list(agg, "clusterRoleSelectors")
    if not selectors:
        yield required("rbac-aggregation-rule", ("aggregationRule", "clusterRoleSelectors"),
                       "at least one clusterRoleSelector required if aggregationRule is non-nil")
    for i, sel in enumerate(selectors):
        yield from check_label_selector("rbac-aggregation-rule", sel, ("aggregationRule", "clusterRoleSelectors", i))


@rule("rbac-role-ref", ("RoleBinding", "ClusterRoleBinding"), "roleRef names a Role or ClusterRole (only ClusterRole from a ClusterRoleBinding) in apiGroup rbac.authorization.k8s.io")
def check_role_ref(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "rbac-role-ref"
    ref = get_dict(obj, "roleRef")
    group = get_str(ref, "apiGroup") or GROUP
    if group != GROUP:
        yield not_supported(rid, ("roleRef", "apiGroup"), group, (GROUP,))
    kind = get_str(ref, "kind")
    allowed = ("Role", "ClusterRole") if obj["kind"] == "RoleBinding" else ("ClusterRole",)
    if kind not in allowed:
        hint = "a ClusterRoleBinding grants cluster-wide and can only reference a ClusterRole; use a RoleBinding for a Role" if kind == "Role" else ""
        yield not_supported(rid, ("roleRef", "kind"), kind, allowed, hint=hint)
    name = get_str(ref, "name")
    if not name:
        yield required(rid, ("roleRef", "name"))
    else:
        for msg in formats.is_path_segment_name(name):
            yield invalid(rid, ("roleRef", "name"), name, msg)


@rule("rbac-subject", ("RoleBinding", "ClusterRoleBinding"), "subjects are ServiceAccount (valid name, apiGroup \"\", namespace required in ClusterRoleBindings), User or Group (apiGroup rbac.authorization.k8s.io), with a name")
def check_subjects(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "rbac-subject"
    namespaced = obj["kind"] == "RoleBinding"
    for i, s in dicts(get_list(obj, "subjects")):
        p = ("subjects", i)
        name = get_str(s, "name")
        kind = get_str(s, "kind")
        group = get_str(s, "apiGroup")
        if not name:
            yield required(rid, p + ("name",))
        if kind == "ServiceAccount":
            for msg in formats.name_is_dns_subdomain(name) if name else ():
                yield invalid(rid, p + ("name",), name, msg)
            if group:
                yield not_supported(rid, p + ("apiGroup",), group, ("",), hint="ServiceAccounts are in the core group: drop apiGroup")
            if not namespaced and not get_str(s, "namespace"):
                yield required(rid, p + ("namespace",), hint="a ClusterRoleBinding must say which namespace the ServiceAccount lives in")
        elif kind in ("User", "Group"):
            if not name:
                yield invalid(rid, p + ("name",), name, f"{kind.lower()} name cannot be empty")
            group = group or GROUP  # defaulted for User and Group subjects
            if group != GROUP:
                yield not_supported(rid, p + ("apiGroup",), group, (GROUP,))
        else:
            yield not_supported(rid, p + ("kind",), kind, ("ServiceAccount", "User", "Group"))
