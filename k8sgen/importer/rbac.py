"""ServiceAccounts, roles and bindings back to entries.

A Role and a RoleBinding of one name, the binding granting that Role to one ServiceAccount
alone and nothing else binding the Role, are the account's `rules` (a ClusterRole and
ClusterRoleBinding pair its `clusterRules`), with `roleName` (`clusterRoleName`) when the name
is not k8sgen's own (the account's name, NAMESPACE-ACCOUNT); a binding of the account
alone named ACCOUNT-ROLE is a `bind:` entry, and the token Secret ACCOUNT-token its
`tokenSecret: true`. Everything else becomes `roles:` and `bindings:` entries.
"""

from __future__ import annotations

from ..normalize.rbac import CLUSTER_SCOPED, RBAC_GROUP, RESOURCE_GROUPS
from .base import CANNOT, Entry, Group, Unsupported, metadata, only

_TOKEN_TYPE = "kubernetes.io/service-account-token"
_TOKEN_ANNOTATION = "kubernetes.io/service-account.name"


def propose(g: Group) -> list:
    out = []
    bound: dict = {}  # (role kind, role name) -> binding keys that refer to it
    for k, o in g.objects.items():
        if k[0] in ("RoleBinding", "ClusterRoleBinding"):
            ref = o.get("roleRef") or {}
            bound.setdefault((ref.get("kind"), ref.get("name")), []).append(k)
    for k, sa in g.free("ServiceAccount"):
        try:
            out.append(_account(g, k, sa, bound))
        except CANNOT:
            continue
    for kind in ("Role", "ClusterRole"):
        for k, o in g.free(kind):
            try:
                only(o, ("apiVersion", "kind", "metadata", "rules"), "")
                entry: dict = {"rules": _rules(o.get("rules") or [])}
                if kind == "ClusterRole":
                    entry["cluster"] = True
                metadata(o, entry)
            except CANNOT:
                continue
            out.append(Entry("roles", k[2], entry, [k]))
    for kind in ("RoleBinding", "ClusterRoleBinding"):
        for k, o in g.free(kind):
            try:
                out.append(Entry("bindings", k[2], _binding(g, kind, o), [k]))
            except CANNOT:
                continue
    return out


def _same_meta(a: dict, b: dict) -> bool:
    ma, mb = a.get("metadata") or {}, b.get("metadata") or {}
    return (ma.get("labels") or {}) == (mb.get("labels") or {}) and (ma.get("annotations") or {}) == (mb.get("annotations") or {})


def _subject_is(o: dict, account: str, ns: str) -> bool:
    subjects = o.get("subjects") or []
    return len(subjects) == 1 and subjects[0] == {"kind": "ServiceAccount", "name": account, "namespace": ns}


def _account(g: Group, k: tuple, sa: dict, bound: dict) -> Entry:
    name, ns = k[2], g.namespace
    only(sa, ("apiVersion", "kind", "metadata", "automountServiceAccountToken"), "")
    entry: dict = {}
    metadata(sa, entry)
    if "automountServiceAccountToken" in sa:
        entry["automountServiceAccountToken"] = sa["automountServiceAccountToken"]
    keys = [k]
    taken = set()
    if k in g.solo:
        return Entry("serviceAccounts", name, entry, keys)

    def pair(role_kind: str, binding_kind: str, rname: str, cluster: bool):
        role = g.get(role_kind, rname, cluster)
        binding = g.get(binding_kind, rname, cluster)
        if not role or not binding or len(bound.get((role_kind, rname), [])) != 1:
            return None
        r, b = role[1], binding[1]
        if not (_same_meta(r, sa) and _same_meta(b, sa) and _subject_is(b, name, ns)):
            return None
        ref = b.get("roleRef") or {}
        if {**ref, "apiGroup": ref.get("apiGroup", RBAC_GROUP)} != {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": rname} or set(b) - {"apiVersion", "kind", "metadata", "roleRef", "subjects"}:
            return None
        if set(r) - {"apiVersion", "kind", "metadata", "rules"} or not r.get("rules"):
            return None
        try:
            rules = _rules(r["rules"])
        except CANNOT:
            return None
        if not cluster and any(_cluster_rule(x) for x in rules):
            return None  # k8sgen would put these rules on a ClusterRole
        taken.update((role[0], binding[0]))
        return rules

    def named(role_kind: str, binding_kind: str, default: str, cluster: bool) -> tuple:
        """The first of the default name and the names of bindings (named like their role)
        of this account alone whose pair folds: (name, rules), or (None, None)."""
        others = sorted(bk[2] for bk, b in g.objects.items() if bk[0] == binding_kind and bk[2] != default
                        and (b.get("roleRef") or {}).get("name") == bk[2] and _subject_is(b, name, ns))
        for rname in [default] + others:
            rules = pair(role_kind, binding_kind, rname, cluster)
            if rules:
                return rname, rules
        return None, None

    rname, local = named("Role", "RoleBinding", name, False)
    if local:
        entry["rules"] = local
        if rname != name:
            entry["roleName"] = rname
    cname, cluster = named("ClusterRole", "ClusterRoleBinding", f"{ns}-{name}", True)
    if cluster:
        entry["clusterRules"] = cluster
        if cname != f"{ns}-{name}":
            entry["clusterRoleName"] = cname
    bind = []
    for bk, b in list(g.objects.items()):
        if bk in g.forced or bk in g.taken or bk in taken or bk[0] not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        ref = b.get("roleRef") or {}
        prefix = f"{name}-" if bk[0] == "RoleBinding" else f"{ns}-{name}-"
        if bk[2] != prefix + str(ref.get("name")) or not _subject_is(b, name, ns) or not _same_meta(b, sa):
            continue
        if set(b) - {"apiVersion", "kind", "metadata", "roleRef", "subjects"} or ref.get("apiGroup", RBAC_GROUP) != RBAC_GROUP:
            continue
        if bk[0] == "RoleBinding":
            bind.append({"role": ref["name"]} if ref.get("kind") == "Role" else {"clusterRole": ref["name"]})
        elif ref.get("kind") == "ClusterRole":
            bind.append({"clusterRole": ref["name"], "cluster": True})
        else:
            continue
        taken.add(bk)
    if bind:
        entry["bind"] = bind
    token = g.get("Secret", f"{name}-token")
    if token:
        t = token[1]
        tmeta = dict(t.get("metadata") or {})
        ann = dict(tmeta.get("annotations") or {})
        want = dict((sa.get("metadata") or {}).get("annotations") or {})
        if (t.get("type") == _TOKEN_TYPE and not t.get("data") and set(t) <= {"apiVersion", "kind", "metadata", "type"}
                and ann.pop(_TOKEN_ANNOTATION, None) == name and ann == want
                and (tmeta.get("labels") or {}) == ((sa.get("metadata") or {}).get("labels") or {})):
            entry["tokenSecret"] = True
            taken.add(token[0])
    g.taken.update(taken)
    return Entry("serviceAccounts", name, entry, keys + sorted(taken))


def _cluster_rule(r: dict) -> bool:
    if r.get("nonResourceURLs"):
        return True
    return all(res.split("/", 1)[0] in CLUSTER_SCOPED for res in r["resources"])


def _rules(rules: list) -> list:
    out = []
    for r in rules:
        only(r, ("apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"), "rules")
        rule: dict = {}
        if r.get("resources"):
            rule["resources"] = list(r["resources"])
            inferred = []
            for res in r["resources"]:
                base = res.split("/", 1)[0]
                grp = "*" if base == "*" else RESOURCE_GROUPS.get(base)
                if grp is None:
                    inferred = None
                    break
                if grp not in inferred:
                    inferred.append(grp)
            if inferred != list(r.get("apiGroups") or []):
                rule = {"apiGroups": list(r.get("apiGroups") or []), **rule}
            if "resourceNames" in r:
                rule["resourceNames"] = r["resourceNames"]
        elif r.get("nonResourceURLs"):
            if r.get("apiGroups") or r.get("resourceNames"):
                raise Unsupported("rules")
            rule["nonResourceURLs"] = list(r["nonResourceURLs"])
        else:
            raise Unsupported("rules")
        rule["verbs"] = list(r.get("verbs") or [])
        out.append(rule)
    return out


def _binding(g: Group, kind: str, o: dict) -> dict:
    only(o, ("apiVersion", "kind", "metadata", "roleRef", "subjects"), "")
    ref = o.get("roleRef") or {}
    if ref.get("apiGroup", RBAC_GROUP) != RBAC_GROUP or ref.get("kind") not in ("Role", "ClusterRole"):
        raise Unsupported("roleRef")
    entry: dict = {("role" if ref["kind"] == "Role" else "clusterRole"): ref["name"]}
    if kind == "ClusterRoleBinding":
        if ref["kind"] != "ClusterRole":
            raise Unsupported("roleRef")
        entry["cluster"] = True
    subjects = []
    for s in o.get("subjects") or []:
        if s.get("kind") == "ServiceAccount":
            only(s, ("kind", "name", "namespace", "apiGroup"), "subjects")
            if s.get("apiGroup", "") != "":
                raise Unsupported("subjects")
            out = {"serviceAccount": s["name"]}
            if s.get("namespace") != g.namespace:
                if not s.get("namespace"):
                    raise Unsupported("subjects")  # k8sgen would name the namespace
                out["namespace"] = s["namespace"]
            subjects.append(out)
        elif s.get("kind") in ("User", "Group") and s.get("apiGroup", RBAC_GROUP) == RBAC_GROUP:  # defaulted when left out
            only(s, ("kind", "name", "apiGroup"), "subjects")
            subjects.append({s["kind"].lower(): s["name"]})
        else:
            raise Unsupported("subjects")
    entry["subjects"] = subjects
    metadata(o, entry)
    return entry
