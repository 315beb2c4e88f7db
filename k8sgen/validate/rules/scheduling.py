"""Scheduling constraints of a Pod: node and pod affinity, tolerations, topology spread
(`validateAffinity`, `ValidateNodeSelectorRequirement`, `ValidateNodeFieldSelectorRequirement`,
`validatePodAffinityTerm`, `ValidateTolerations`, `validateTopologySpreadConstraints` in
`pkg/apis/core/validation/validation.go`). Label selectors inside pod affinity terms are
checked by `pod-label-selector`."""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .podspec import spec
from .registry import (
    dicts,
    duplicate,
    forbidden,
    get_dict,
    get_list,
    get_str,
    invalid,
    not_supported,
    required,
    rule,
)

TAINT_EFFECTS = ("NoExecute", "NoSchedule", "PreferNoSchedule")
UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")
INCLUSION_POLICIES = ("Honor", "Ignore")


def _node_requirement(rid: str, req: dict, path: tuple) -> Iterator[Problem]:
    op = req.get("operator")
    values = get_list(req, "values")
    if op in ("In", "NotIn"):
        if not values:
            yield required(rid, path + ("values",), "must be specified when `operator` is 'In' or 'NotIn'")
    elif op in ("Exists", "DoesNotExist"):
        if values:
            yield forbidden(rid, path + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            yield required(rid, path + ("values",), "must be specified single value when `operator` is 'Lt' or 'Gt'")
    else:
        yield invalid(rid, path + ("operator",), op if op is not None else "", "not a valid selector operator",
                      hint="use In, NotIn, Exists, DoesNotExist, Gt or Lt")
    key = get_str(req, "key")
    for msg in formats.is_qualified_name(key):
        yield invalid(rid, path + ("key",), key, msg)
    for i, v in enumerate(values):
        if isinstance(v, str):
            for msg in formats.is_label_value(v):
                yield invalid(rid, path + ("values", i), v, msg)


def _node_field_requirement(rid: str, req: dict, path: tuple) -> Iterator[Problem]:
    op = req.get("operator")
    values = get_list(req, "values")
    if op in ("In", "NotIn"):
        if len(values) != 1:
            yield required(rid, path + ("values",), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector")
    else:
        yield invalid(rid, path + ("operator",), op if op is not None else "", "not a valid selector operator")
    key = get_str(req, "key")
    if key != "metadata.name":
        yield invalid(rid, path + ("key",), key, "not a valid field selector key", hint="matchFields only supports metadata.name")
    else:
        for i, v in enumerate(values):
            if isinstance(v, str):
                for msg in formats.name_is_dns_subdomain(v):
                    yield invalid(rid, path + ("values", i), v, msg)


def _node_selector_term(rid: str, term: dict, path: tuple) -> Iterator[Problem]:
    for i, req in dicts(get_list(term, "matchExpressions")):
        yield from _node_requirement(rid, req, path + ("matchExpressions", i))
    for i, req in dicts(get_list(term, "matchFields")):
        yield from _node_field_requirement(rid, req, path + ("matchFields", i))


def _weight(rid: str, w: object, path: tuple) -> Iterator[Problem]:
    if isinstance(w, int) and not 1 <= w <= 100:
        yield invalid(rid, path, w, "must be in the range 1-100")


@rule("pod-affinity", ("Pod",), "node affinity terms use known operators with the right number of values, matchFields only on metadata.name, weights 1-100; pod affinity terms name a topologyKey")
def check_affinity(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-affinity"
    aff = get_dict(spec(obj), "affinity")
    base = ("spec", "affinity")
    node = get_dict(aff, "nodeAffinity")
    req = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(req, dict):
        rp = base + ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
        terms = get_list(req, "nodeSelectorTerms")
        if not terms:
            yield required(rid, rp + ("nodeSelectorTerms",), "must have at least one node selector term")
        for i, term in dicts(terms):
            yield from _node_selector_term(rid, term, rp + ("nodeSelectorTerms", i))
    for i, pref in dicts(get_list(node, "preferredDuringSchedulingIgnoredDuringExecution")):
        pp = base + ("nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", i)
        yield from _weight(rid, pref.get("weight"), pp + ("weight",))
        yield from _node_selector_term(rid, get_dict(pref, "preference"), pp + ("preference",))
    for kind in ("podAffinity", "podAntiAffinity"):
        a = get_dict(aff, kind)
        for i, term in dicts(get_list(a, "requiredDuringSchedulingIgnoredDuringExecution")):
            p = base + (kind, "requiredDuringSchedulingIgnoredDuringExecution", i)
            yield from _pod_term(rid, term, p)
        for i, w in dicts(get_list(a, "preferredDuringSchedulingIgnoredDuringExecution")):
            p = base + (kind, "preferredDuringSchedulingIgnoredDuringExecution", i)
            yield from _weight(rid, w.get("weight"), p + ("weight",))
            yield from _pod_term(rid, get_dict(w, "podAffinityTerm"), p + ("podAffinityTerm",))


def _pod_term(rid: str, term: dict, path: tuple) -> Iterator[Problem]:
    key = get_str(term, "topologyKey")
    if not key:
        yield required(rid, path + ("topologyKey",), "can not be empty", hint="e.g. kubernetes.io/hostname or topology.kubernetes.io/zone")
    else:
        for msg in formats.is_qualified_name(key):
            yield invalid(rid, path + ("topologyKey",), key, msg)
    # The server reports a bad entry at `namespace` (no such field); we name the list item.
    for i, ns in enumerate(get_list(term, "namespaces")):
        if isinstance(ns, str):
            for msg in formats.name_is_dns_label(ns):
                yield invalid(rid, path + ("namespaces", i), ns, msg)


@rule("pod-tolerations", ("Pod",), "tolerations: keys are label names, an empty key needs operator Exists, Exists takes no value, Equal a label value, tolerationSeconds only with NoExecute, known effects")
def check_tolerations(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-tolerations"
    for i, t in dicts(get_list(spec(obj), "tolerations")):
        p = ("spec", "tolerations", i)
        key = get_str(t, "key")
        op = t.get("operator") or ""
        effect = t.get("effect") or ""
        value = get_str(t, "value")
        if key:
            for msg in formats.is_qualified_name(key):
                yield invalid(rid, p + ("key",), key, msg)
        if not key and op != "Exists":
            yield invalid(rid, p + ("operator",), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"")
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            yield invalid(rid, p + ("effect",), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set")
        if op in ("Equal", ""):
            msgs = formats.is_label_value(value)
            if msgs:
                yield invalid(rid, p + ("operator",), value, ";".join(msgs))
        elif op == "Exists":
            if value:
                yield invalid(rid, p + ("operator",), value, "value must be empty when `operator` is 'Exists'")
        else:
            yield not_supported(rid, p + ("operator",), op, ("Equal", "Exists"))
        if effect and effect not in TAINT_EFFECTS:
            yield not_supported(rid, p + ("effect",), effect, TAINT_EFFECTS)


@rule("pod-topology-spread", ("Pod",), "topology spread constraints: maxSkew > 0, a topologyKey, whenUnsatisfiable DoNotSchedule/ScheduleAnyway, minDomains > 0 and only with DoNotSchedule, Honor/Ignore policies, unique (topologyKey, whenUnsatisfiable)")
def check_topology_spread(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-topology-spread"
    seen: set = set()
    for i, c in dicts(get_list(spec(obj), "topologySpreadConstraints")):
        p = ("spec", "topologySpreadConstraints", i)
        skew = c.get("maxSkew")
        if isinstance(skew, int) and skew <= 0:
            yield invalid(rid, p + ("maxSkew",), skew, "must be greater than zero")
        key = get_str(c, "topologyKey")
        if not key:
            yield required(rid, p + ("topologyKey",), "can not be empty")
        else:
            for msg in formats.is_qualified_name(key):
                yield invalid(rid, p + ("topologyKey",), key, msg)
        when = get_str(c, "whenUnsatisfiable")
        if when not in UNSATISFIABLE:
            yield not_supported(rid, p + ("whenUnsatisfiable",), when, UNSATISFIABLE)
        md = c.get("minDomains")
        if isinstance(md, int):
            if md <= 0:
                yield invalid(rid, p + ("minDomains",), md, "must be greater than zero")
            elif when != "DoNotSchedule":
                yield invalid(rid, p + ("minDomains",), md, f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}")
        for f in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            v = c.get(f)
            if isinstance(v, str) and v not in INCLUSION_POLICIES:
                yield not_supported(rid, p + (f,), v, INCLUSION_POLICIES)
        pair = (key, when)
        if pair in seen:
            yield duplicate(rid, p, f"{{{key}, {when}}}", hint="one constraint per (topologyKey, whenUnsatisfiable) pair")
        seen.add(pair)
