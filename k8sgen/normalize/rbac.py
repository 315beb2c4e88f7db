"""ServiceAccounts (with their Roles, bindings and token Secrets), roles and bindings."""

from __future__ import annotations

from .base import Context

RBAC_GROUP = "rbac.authorization.k8s.io"

# API groups of well-known resources, so rules can leave out apiGroups.
RESOURCE_GROUPS = {
    **dict.fromkeys(
        "pods services endpoints configmaps secrets serviceaccounts persistentvolumeclaims events "
        "namespaces nodes persistentvolumes limitranges resourcequotas replicationcontrollers "
        "podtemplates componentstatuses bindings".split(),
        "",
    ),
    **dict.fromkeys("deployments statefulsets daemonsets replicasets controllerrevisions".split(), "apps"),
    **dict.fromkeys("jobs cronjobs".split(), "batch"),
    **dict.fromkeys("roles rolebindings clusterroles clusterrolebindings".split(), RBAC_GROUP),
    **dict.fromkeys("ingresses ingressclasses networkpolicies".split(), "networking.k8s.io"),
    "endpointslices": "discovery.k8s.io",
    "leases": "coordination.k8s.io",
    "horizontalpodautoscalers": "autoscaling",
    "poddisruptionbudgets": "policy",
    **dict.fromkeys("storageclasses csidrivers csinodes volumeattachments".split(), "storage.k8s.io"),
    "customresourcedefinitions": "apiextensions.k8s.io",
    "certificatesigningrequests": "certificates.k8s.io",
    "priorityclasses": "scheduling.k8s.io",
    "runtimeclasses": "node.k8s.io",
    **dict.fromkeys("tokenreviews".split(), "authentication.k8s.io"),
    **dict.fromkeys(
        "subjectaccessreviews selfsubjectaccessreviews selfsubjectrulesreviews localsubjectaccessreviews".split(),
        "authorization.k8s.io",
    ),
    **dict.fromkeys("mutatingwebhookconfigurations validatingwebhookconfigurations".split(), "admissionregistration.k8s.io"),
}
CLUSTER_SCOPED = set(
    "namespaces nodes persistentvolumes componentstatuses clusterroles clusterrolebindings storageclasses "
    "csidrivers csinodes volumeattachments customresourcedefinitions certificatesigningrequests "
    "priorityclasses runtimeclasses ingressclasses tokenreviews subjectaccessreviews selfsubjectaccessreviews "
    "selfsubjectrulesreviews mutatingwebhookconfigurations validatingwebhookconfigurations".split()
)


def normalize(cx: Context) -> None:
    spec, ns = cx.spec, cx.ns
    for name, sa in spec.get("serviceAccounts", {}).items():
        src = ("serviceAccounts", name)
        cx.add("ServiceAccount", "v1", name, True, "serviceaccount.yaml.j2", {"automount": automount(cx, sa, src)}, src, sa)
        if sa.get("tokenSecret"):
            _token_secret(cx, name, sa, src)
        local, cluster = _split_rules(cx, sa.get("rules", []), src + ("rules",))
        cluster += _rules(cx, sa.get("clusterRules", []), src + ("clusterRules",))
        subject = [{"kind": "ServiceAccount", "name": name, "namespace": ns}]
        if local:
            rname = sa.get("roleName", name)  # an install's own naming (import keeps it)
            cx.add("Role", f"{RBAC_GROUP}/v1", rname, True, "role.yaml.j2", {"kind": "Role", "rules": local}, src, sa, {("rules",): src + ("rules",)})
            cx.add("RoleBinding", f"{RBAC_GROUP}/v1", rname, True, "binding.yaml.j2", {"kind": "RoleBinding", "roleRef": {"kind": "Role", "name": rname}, "subjects": subject}, src, sa)
        if cluster:
            cname = sa.get("clusterRoleName", f"{ns}-{name}")
            cx.add("ClusterRole", f"{RBAC_GROUP}/v1", cname, False, "role.yaml.j2", {"kind": "ClusterRole", "rules": cluster}, src, sa)
            cx.add("ClusterRoleBinding", f"{RBAC_GROUP}/v1", cname, False, "binding.yaml.j2", {"kind": "ClusterRoleBinding", "roleRef": {"kind": "ClusterRole", "name": cname}, "subjects": subject}, src, sa)
        for i, ref in enumerate(sa.get("bind", [])):
            bsrc = src + ("bind", i)
            role_ref = _role_ref(cx, ref, bsrc)
            if role_ref is None:
                continue
            if _cluster(cx, ref, bsrc):
                cx.add("ClusterRoleBinding", f"{RBAC_GROUP}/v1", f"{ns}-{name}-{role_ref['name']}", False, "binding.yaml.j2", {"kind": "ClusterRoleBinding", "roleRef": role_ref, "subjects": subject}, bsrc, sa)
            else:
                cx.add("RoleBinding", f"{RBAC_GROUP}/v1", f"{name}-{role_ref['name']}", True, "binding.yaml.j2", {"kind": "RoleBinding", "roleRef": role_ref, "subjects": subject}, bsrc, sa)

    for name, role in spec.get("roles", {}).items():
        src = ("roles", name)
        kind = "ClusterRole" if role.get("cluster") else "Role"
        rules = _rules(cx, role.get("rules", []), src + ("rules",))
        if kind == "Role":
            for i, r in enumerate(rules):
                if r.get("nonResourceURLs"):
                    cx.error("nonResourceURLs can only be granted by a ClusterRole", src + ("rules", i, "nonResourceURLs"), "add cluster: true to this role")
        cx.add(kind, f"{RBAC_GROUP}/v1", name, kind == "Role", "role.yaml.j2", {"kind": kind, "rules": rules}, src, role, {("rules",): src + ("rules",)})

    for name, b in spec.get("bindings", {}).items():
        src = ("bindings", name)
        role_ref = _role_ref(cx, b, src)
        subjects = []
        for i, s in enumerate(b.get("subjects", [])):
            subj = _subject(cx, s, src + ("subjects", i), ns)
            if subj:
                subjects.append(subj)
        if role_ref is None:
            continue
        kind = "ClusterRoleBinding" if _cluster(cx, b, src) else "RoleBinding"
        cx.add(kind, f"{RBAC_GROUP}/v1", name, kind == "RoleBinding", "binding.yaml.j2", {"kind": kind, "roleRef": role_ref, "subjects": subjects}, src, b, {("subjects",): src + ("subjects",)})


def automount(cx: Context | None, sa: dict, src: tuple = ()):
    """automountServiceAccountToken of an account entry: the pod's word for the same switch. The
    old spelling automountToken still works, with a deprecation warning (when `cx` is given)."""
    if "automountToken" in sa and cx is not None:
        if "automountServiceAccountToken" in sa:
            cx.error("automountToken and automountServiceAccountToken say the same thing", src + ("automountToken",), "remove automountToken", rule="spec-deprecated", key=True)
        else:
            cx.warn("automountToken is deprecated; write automountServiceAccountToken, as for pods", src + ("automountToken",), "rename automountToken to automountServiceAccountToken", rule="spec-deprecated", key=True)
    return sa.get("automountServiceAccountToken", sa.get("automountToken"))


def _cluster(cx: Context, ref: dict, path: tuple) -> bool:
    """`cluster: true` makes a binding cluster-wide, as it makes a role a ClusterRole. The old
    spelling `clusterWide` still works, with a deprecation warning (one name per idea)."""
    if "clusterWide" in ref:
        if "cluster" in ref:
            cx.error("cluster and clusterWide say the same thing", path + ("clusterWide",), "remove clusterWide", rule="spec-deprecated", key=True)
        else:
            cx.warn("clusterWide is deprecated; write cluster: true, as for roles", path + ("clusterWide",), "rename clusterWide to cluster", rule="spec-deprecated", key=True)
    return bool(ref.get("cluster", ref.get("clusterWide")))


def _token_secret(cx: Context, name: str, sa: dict, src: tuple) -> None:
    """The long-lived token Secret that the token controller fills in for `name` (what scripts
    outside the cluster read). The lint rule lint-token-secret says when a projected token is
    the better choice."""
    tsrc = src + ("tokenSecret",)
    ctx = {"type": "kubernetes.io/service-account-token", "data": {}, "stringData": {}, "binaryData": {}, "immutable": None}
    entry = {"labels": sa.get("labels", {}), "annotations": {**sa.get("annotations", {}), "kubernetes.io/service-account.name": name}, "ignore": sa.get("ignore", [])}
    cx.add("Secret", "v1", f"{name}-token", True, "secret.yaml.j2", ctx, tsrc, entry, secret=True)



def _rules(cx: Context, rules: list, path: tuple) -> list:
    out = []
    for i, r in enumerate(rules):
        rule: dict = {}
        resources = r.get("resources", [])
        urls = r.get("nonResourceURLs", [])
        if resources and urls:
            cx.error("a rule has either resources or nonResourceURLs, not both", path + (i,), "split it into two rules", rule="spec-rbac-rule")
            continue
        if not resources and not urls:
            cx.error("a rule needs resources or nonResourceURLs", path + (i,), "for example: resources: [pods]", rule="spec-rbac-rule")
            continue
        if resources:
            groups = r.get("apiGroups")
            if groups is None:
                groups = []
                for res in resources:
                    base = res.split("/", 1)[0]
                    if base == "*":
                        g = "*"
                    elif base in RESOURCE_GROUPS:
                        g = RESOURCE_GROUPS[base]
                    else:
                        cx.error(f"cannot tell the API group of {res!r}", path + (i, "resources"), "add apiGroups: [GROUP] to this rule", rule="spec-rbac-group")
                        g = None
                    if g is not None and g not in groups:
                        groups.append(g)
            rule["apiGroups"] = groups
            rule["resources"] = resources
            if "resourceNames" in r:
                rule["resourceNames"] = r["resourceNames"]
        else:
            rule["nonResourceURLs"] = urls
        rule["verbs"] = r["verbs"]
        out.append(rule)
    return out


def _split_rules(cx: Context, rules: list, path: tuple) -> tuple[list, list]:
    """Rules on cluster-scoped resources or URLs can only be granted by a ClusterRole."""
    local, cluster = [], []
    normalized = _rules(cx, rules, path)
    for i, r in enumerate(normalized):
        if r.get("nonResourceURLs"):
            cluster.append(r)
            continue
        scoped = {res.split("/", 1)[0] in CLUSTER_SCOPED for res in r["resources"]}
        if scoped == {True}:
            cluster.append(r)
        elif scoped == {True, False}:
            cx.error(
                "this rule mixes namespaced and cluster-scoped resources",
                path + (i, "resources"),
                "split it: cluster-scoped resources go to a ClusterRole, the others to the Role",
                rule="spec-rbac-scope",
            )
        else:
            local.append(r)
    return local, cluster


def _role_ref(cx: Context, ref: dict, path: tuple):
    has_role, has_cluster = "role" in ref, "clusterRole" in ref
    if has_role == has_cluster:
        cx.error("give exactly one of role or clusterRole", path, "role: NAME binds a Role in the namespace; clusterRole: NAME a ClusterRole", rule="spec-rbac-ref")
        return None
    said = "cluster" if ref.get("cluster") else "clusterWide" if ref.get("clusterWide") else None
    if has_role and said:
        cx.error(f"{said} needs a clusterRole", path + (said,), "a ClusterRoleBinding can only refer to a ClusterRole", rule="spec-rbac-ref")
        return None
    return {"kind": "Role", "name": ref["role"]} if has_role else {"kind": "ClusterRole", "name": ref["clusterRole"]}


def _subject(cx: Context, s: dict, path: tuple, ns: str):
    kinds = [k for k in ("serviceAccount", "user", "group") if k in s]
    if len(kinds) != 1:
        cx.error("a subject is exactly one of serviceAccount, user or group", path, rule="spec-rbac-subject")
        return None
    if "namespace" in s and kinds[0] != "serviceAccount":
        cx.error("namespace goes only with serviceAccount", path + ("namespace",), rule="spec-rbac-subject", key=True)
        return None
    k = kinds[0]
    if k == "serviceAccount":
        return {"kind": "ServiceAccount", "name": s[k], "namespace": s.get("namespace", ns)}
    return {"kind": "User" if k == "user" else "Group", "apiGroup": RBAC_GROUP, "name": s[k]}


