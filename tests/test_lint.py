"""Lint rules: each case is a set of objects, the rules looked at (a glob), and the exact
findings expected over the whole set, as (rule, object, path)."""

from __future__ import annotations

import copy
import sys
import types
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from k8s_objects import (
    binding,
    ctr,
    deployment,
    group_subject,
    namespace,
    pod,
    role,
    sa,
    sa_subject,
)

from k8sgen import validate
from k8sgen.fieldpath import format_path, object_id
from k8sgen.validate import Context, Manifest, lint

RESTRICTED = {"k8sgen.dev/lint-profile": "restricted"}


def run(objs, only="*", version=(1, 37), profile=None):
    ctx = Context(kube_version=version, manifests=[Manifest(o) for o in objs])
    if profile:
        ctx.profile = profile  # type: ignore[attr-defined]
    return sorted(
        (p.rule, object_id(o), format_path(p.path))
        for o in objs
        for p in lint.check(o, ctx)
        if fnmatchcase(p.rule, only)
    )


def sc(**kw):
    return {"securityContext": kw}


def hardened(**security):
    """A container that passes the restricted profile, with `security` merged into its securityContext."""
    return ctr(**sc(**{"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, **security}))


RESTRICTED_POD_SC = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}

CASES = {
    # --- lint-rbac-wildcard
    "rbac narrow role": ([role()], "lint-rbac-*", []),
    "rbac wildcards": ([role(rules=[{"apiGroups": ["*"], "resources": ["pods", "*"], "verbs": ["*"]},
                                    {"apiGroups": ["apps"], "resources": ["*/scale"], "verbs": ["get"]}])], "lint-rbac-wildcard", [
        ("lint-rbac-wildcard", "Role/reader", "rules[0].apiGroups[0]"),
        ("lint-rbac-wildcard", "Role/reader", "rules[0].resources[1]"),
        ("lint-rbac-wildcard", "Role/reader", "rules[0].verbs[0]"),
        ("lint-rbac-wildcard", "Role/reader", "rules[1].resources[0]")]),
    "rbac wildcard nonResourceURLs": ([role("r", rules=[{"nonResourceURLs": ["*"], "verbs": ["get"]}], kind="ClusterRole")], "lint-rbac-wildcard", [
        ("lint-rbac-wildcard", "ClusterRole/r", "rules[0].nonResourceURLs[0]")]),
    "rbac aggregated clusterrole": ([{**role("agg", rules=[{"verbs": ["*"]}], kind="ClusterRole"), "aggregationRule": {"clusterRoleSelectors": []}}], "lint-rbac-wildcard", []),
    # --- lint-rbac-broad-binding
    "cluster-admin to a service account": ([binding(role_kind="ClusterRole", role_name="cluster-admin", kind="ClusterRoleBinding")], "lint-rbac-broad-binding", [
        ("lint-rbac-broad-binding", "ClusterRoleBinding/bind", "subjects[0]")]),
    "cluster-admin to broad groups": ([binding(role_kind="ClusterRole", role_name="cluster-admin", subjects=[
        group_subject("admins"), group_subject("system:serviceaccounts:ci"), group_subject("system:authenticated"),
        group_subject("system:unauthenticated"), {"kind": "User", "name": "alice"}])], "lint-rbac-broad-binding", [
        ("lint-rbac-broad-binding", "RoleBinding/bind", "subjects[1]"),
        ("lint-rbac-broad-binding", "RoleBinding/bind", "subjects[2]"),
        ("lint-rbac-broad-binding", "RoleBinding/bind", "subjects[3]")]),
    "cluster-admin to a human group": ([binding(role_kind="ClusterRole", role_name="cluster-admin", subjects=[group_subject("admins")])], "lint-rbac-broad-binding", []),
    "wildcard clusterrole in the set": ([role("god", rules=[{"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}], kind="ClusterRole"),
                                         binding(role_kind="ClusterRole", role_name="god")], "lint-rbac-broad-binding", [
        ("lint-rbac-broad-binding", "RoleBinding/bind", "subjects[0]")]),
    "narrow role to a service account": ([role(), binding(), sa()], "lint-rbac-broad-binding", []),
    "view to a service account": ([binding(role_kind="ClusterRole", role_name="view")], "lint-rbac-broad-binding", []),
    # --- lint-resources
    "resources set": ([pod()], "lint-resources", []),
    "no limits": ([pod(containers=[{"name": "a", "image": "x:1"}, ctr("b", limits={"cpu": "1"})],
                       initContainers=[{"name": "i", "image": "x:1", "resources": {"requests": {"cpu": "1"}}}],
                       ephemeralContainers=[{"name": "dbg", "image": "x:1"}])], "lint-resources", [
        ("lint-resources", "Pod/web", "spec.containers[0].resources.limits"),
        ("lint-resources", "Pod/web", "spec.containers[1].resources.limits.memory"),
        ("lint-resources", "Pod/web", "spec.initContainers[0].resources.limits")]),
    "deployment without limits": ([deployment(containers=[{"name": "a", "image": "x:1"}])], "lint-resources", [
        ("lint-resources", "Deployment/web", "spec.template.spec.containers[0].resources.limits")]),
    # --- lint-image-tag
    "pinned images": ([pod(containers=[ctr("a", image="nginx:1.27"), ctr("b", image="reg:5000/team/app:v2"),
                                       ctr("c", image="busybox@sha256:" + "a" * 64), ctr("d", image="x:latest@sha256:" + "b" * 64)])], "lint-image-tag", []),
    "unpinned images": ([pod(containers=[ctr("a", image="busybox"), ctr("b", image="nginx:latest"), ctr("c", image="reg:5000/team/app")])], "lint-image-tag", [
        ("lint-image-tag", "Pod/web", "spec.containers[0].image"),
        ("lint-image-tag", "Pod/web", "spec.containers[1].image"),
        ("lint-image-tag", "Pod/web", "spec.containers[2].image")]),
    # --- lint-token-automount
    "token mounted into a pod without API use": ([pod(automountServiceAccountToken=None)], "lint-token-automount", [
        ("lint-token-automount", "Pod/web", "spec.automountServiceAccountToken")]),
    "token explicitly mounted without API use": ([pod(automountServiceAccountToken=True)], "lint-token-automount", [
        ("lint-token-automount", "Pod/web", "spec.automountServiceAccountToken")]),
    "token off on the pod": ([pod()], "lint-token-automount", []),
    "token off on the default service account": ([pod(automountServiceAccountToken=None), sa("default", automountServiceAccountToken=False)], "lint-token-automount", []),
    "default service account off, but another namespace": ([pod(automountServiceAccountToken=None), sa("default", ns="x", automountServiceAccountToken=False)], "lint-token-automount", [
        ("lint-token-automount", "Pod/web", "spec.automountServiceAccountToken")]),
    "dedicated service account": ([pod(automountServiceAccountToken=None, serviceAccountName="builder"), sa()], "lint-token-automount", []),
    "default service account with a binding": ([pod(automountServiceAccountToken=None), role(), binding(subjects=[sa_subject("default")])], "lint-token-automount", []),
    "default service account bound through its group": ([pod(automountServiceAccountToken=None), role(), binding(subjects=[group_subject("system:serviceaccounts:default")])], "lint-token-automount", []),
    # --- lint-pss-baseline-*
    "baseline clean": ([pod(containers=[ctr(**sc(capabilities={"add": ["NET_BIND_SERVICE", "CHOWN"]}, seccompProfile={"type": "RuntimeDefault"},
                                                 procMount="Default", seLinuxOptions={"type": "container_t"}),
                                            ports=[{"containerPort": 80, "hostPort": 0}])],
                           securityContext={"sysctls": [{"name": "net.ipv4.tcp_keepalive_time", "value": "60"}]},
                           volumes=[{"name": "e", "emptyDir": {}}], hostNetwork=False)], "lint-pss-*", []),
    "privileged": ([pod(containers=[ctr(**sc(privileged=True))])], "lint-pss-*", [
        ("lint-pss-baseline-privileged", "Pod/web", "spec.containers[0].securityContext.privileged")]),
    "host namespaces": ([pod(hostNetwork=True, hostPID=True, hostIPC=True)], "lint-pss-*", [
        ("lint-pss-baseline-host-namespaces", "Pod/web", "spec.hostIPC"),
        ("lint-pss-baseline-host-namespaces", "Pod/web", "spec.hostNetwork"),
        ("lint-pss-baseline-host-namespaces", "Pod/web", "spec.hostPID")]),
    "hostPath volume": ([pod(volumes=[{"name": "e", "emptyDir": {}}, {"name": "h", "hostPath": {"path": "/var/log"}}])], "lint-pss-*", [
        ("lint-pss-baseline-host-path", "Pod/web", "spec.volumes[1].hostPath")]),
    "host port": ([pod(initContainers=[ctr(ports=[{"containerPort": 80, "hostPort": 8080}])])], "lint-pss-*", [
        ("lint-pss-baseline-host-ports", "Pod/web", "spec.initContainers[0].ports[0].hostPort")]),
    "added capabilities": ([pod(containers=[ctr(**sc(capabilities={"add": ["CHOWN", "NET_RAW", "SYS_ADMIN"]}))])], "lint-pss-*", [
        ("lint-pss-baseline-capabilities", "Pod/web", "spec.containers[0].securityContext.capabilities.add[1]"),
        ("lint-pss-baseline-capabilities", "Pod/web", "spec.containers[0].securityContext.capabilities.add[2]")]),
    "apparmor unconfined": ([pod(annotations={"container.apparmor.security.beta.kubernetes.io/app": "unconfined",
                                              "container.apparmor.security.beta.kubernetes.io/b": "localhost/prof"},
                                 securityContext={"appArmorProfile": {"type": "Unconfined"}},
                                 containers=[ctr(**sc(appArmorProfile={"type": "RuntimeDefault"}))])], "lint-pss-*", [
        ("lint-pss-baseline-apparmor", "Pod/web", "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]"),
        ("lint-pss-baseline-apparmor", "Pod/web", "spec.securityContext.appArmorProfile.type")]),
    "selinux": ([pod(securityContext={"seLinuxOptions": {"type": "spc_t"}},
                     containers=[ctr(**sc(seLinuxOptions={"user": "system_u", "role": "r", "type": "container_engine_t"}))])], "lint-pss-*", [
        ("lint-pss-baseline-selinux", "Pod/web", "spec.containers[0].securityContext.seLinuxOptions.role"),
        ("lint-pss-baseline-selinux", "Pod/web", "spec.containers[0].securityContext.seLinuxOptions.user"),
        ("lint-pss-baseline-selinux", "Pod/web", "spec.securityContext.seLinuxOptions.type")]),
    "selinux container_engine_t before 1.31": ([pod(containers=[ctr(**sc(seLinuxOptions={"type": "container_engine_t"}))])], "lint-pss-*", [
        ("lint-pss-baseline-selinux", "Pod/web", "spec.containers[0].securityContext.seLinuxOptions.type")], (1, 30)),
    "proc mount": ([pod(containers=[ctr(**sc(procMount="Unmasked"))])], "lint-pss-*", [
        ("lint-pss-baseline-proc-mount", "Pod/web", "spec.containers[0].securityContext.procMount")]),
    "proc mount in a user namespace": ([pod(hostUsers=False, containers=[ctr(**sc(procMount="Unmasked"))])], "lint-pss-*", []),
    "proc mount in a user namespace before 1.35": ([pod(hostUsers=False, containers=[ctr(**sc(procMount="Unmasked"))])], "lint-pss-*", [
        ("lint-pss-baseline-proc-mount", "Pod/web", "spec.containers[0].securityContext.procMount")], (1, 34)),
    "seccomp unconfined": ([pod(securityContext={"seccompProfile": {"type": "Unconfined"}}, containers=[ctr(**sc(seccompProfile={"type": "Unconfined"}))])], "lint-pss-*", [
        ("lint-pss-baseline-seccomp", "Pod/web", "spec.containers[0].securityContext.seccompProfile.type"),
        ("lint-pss-baseline-seccomp", "Pod/web", "spec.securityContext.seccompProfile.type")]),
    "unsafe sysctls": ([pod(securityContext={"sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"}, {"name": "kernel.msgmax", "value": "1"}]})], "lint-pss-*", [
        ("lint-pss-baseline-sysctls", "Pod/web", "spec.securityContext.sysctls[1].name")]),
    "sysctl safe only from 1.32": ([pod(securityContext={"sysctls": [{"name": "net.ipv4.tcp_rmem", "value": "4096 87380 6291456"}]})], "lint-pss-*", [
        ("lint-pss-baseline-sysctls", "Pod/web", "spec.securityContext.sysctls[0].name")], (1, 31)),
    "windows host process": ([pod(securityContext={"windowsOptions": {"hostProcess": True}})], "lint-pss-*", [
        ("lint-pss-baseline-host-process", "Pod/web", "spec.securityContext.windowsOptions.hostProcess")]),
    "probe host": ([pod(containers=[ctr(livenessProbe={"httpGet": {"port": 80, "host": "10.0.0.1"}},
                                        lifecycle={"preStop": {"tcpSocket": {"port": 80, "host": "db"}}},
                                        readinessProbe={"httpGet": {"port": 80}})])], "lint-pss-*", [
        ("lint-pss-baseline-probe-host", "Pod/web", "spec.containers[0].lifecycle.preStop.tcpSocket.host"),
        ("lint-pss-baseline-probe-host", "Pod/web", "spec.containers[0].livenessProbe.httpGet.host")]),
    "probe host before 1.34": ([pod(containers=[ctr(livenessProbe={"httpGet": {"port": 80, "host": "10.0.0.1"}})])], "lint-pss-*", [], (1, 33)),
    "baseline in a deployment template": ([deployment(hostPID=True)], "lint-pss-*", [
        ("lint-pss-baseline-host-namespaces", "Deployment/web", "spec.template.spec.hostPID")]),
    # --- profiles
    "restricted not checked by default": ([pod(containers=[ctr(image="busybox:1.36")])], "lint-pss-*", []),
    "privileged profile turns baseline off": ([pod(annotations={"k8sgen.dev/lint-profile": "privileged"}, hostNetwork=True)], "lint-pss-*", []),
    "namespace label sets the profile": ([namespace("secure", {"pod-security.kubernetes.io/enforce": "restricted"}),
                                          pod(ns="secure", securityContext=RESTRICTED_POD_SC, containers=[ctr()])], "lint-pss-*", [
        ("lint-pss-restricted-capabilities", "Pod/secure/web", "spec.containers[0].securityContext.capabilities.drop"),
        ("lint-pss-restricted-privilege-escalation", "Pod/secure/web", "spec.containers[0].securityContext.allowPrivilegeEscalation")]),
    "annotation beats the namespace label": ([namespace("ops", {"pod-security.kubernetes.io/enforce": "privileged"}),
                                              pod(ns="ops", annotations={"k8sgen.dev/lint-profile": "baseline"}, hostPID=True)], "lint-pss-*", [
        ("lint-pss-baseline-host-namespaces", "Pod/ops/web", "spec.hostPID")]),
    "good profile annotation": ([pod(annotations={"k8sgen.dev/lint-profile": "restricted"})], "lint-profile", []),
    "bad profile annotation": ([pod(annotations={"k8sgen.dev/lint-profile": "strict"})], "lint-profile", [
        ("lint-profile", "Pod/web", "metadata.annotations[k8sgen.dev/lint-profile]")]),
    # --- lint-pss-restricted-*
    "restricted clean": ([pod(annotations=RESTRICTED, securityContext=RESTRICTED_POD_SC, hostUsers=False,
                              containers=[hardened(runAsUser=1000, capabilities={"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})],
                              volumes=[{"name": v, t: {}} for v, t in (("a", "emptyDir"), ("b", "projected"), ("c", "ephemeral"), ("d", "image"))])], "lint-pss-*", []),
    "restricted everything missing": ([pod(annotations=RESTRICTED, containers=[ctr(), ctr("b", **sc(runAsNonRoot=True, seccompProfile={"type": "Localhost"}))])], "lint-pss-*", [
        ("lint-pss-restricted-capabilities", "Pod/web", "spec.containers[0].securityContext.capabilities.drop"),
        ("lint-pss-restricted-capabilities", "Pod/web", "spec.containers[1].securityContext.capabilities.drop"),
        ("lint-pss-restricted-privilege-escalation", "Pod/web", "spec.containers[0].securityContext.allowPrivilegeEscalation"),
        ("lint-pss-restricted-privilege-escalation", "Pod/web", "spec.containers[1].securityContext.allowPrivilegeEscalation"),
        ("lint-pss-restricted-run-as-non-root", "Pod/web", "spec.containers[0].securityContext.runAsNonRoot"),
        ("lint-pss-restricted-seccomp", "Pod/web", "spec.containers[0].securityContext.seccompProfile")]),
    "restricted from the context profile": ([pod(securityContext=RESTRICTED_POD_SC, containers=[hardened(), ctr("b", **sc(allowPrivilegeEscalation=True, capabilities={"drop": ["ALL"]}))])], "lint-pss-*", [
        ("lint-pss-restricted-privilege-escalation", "Pod/web", "spec.containers[1].securityContext.allowPrivilegeEscalation")], (1, 37), "restricted"),
    "restricted volume types replace hostPath": ([pod(annotations=RESTRICTED, securityContext=RESTRICTED_POD_SC, containers=[hardened()],
                                                      volumes=[{"name": "h", "hostPath": {"path": "/var/log"}}, {"name": "n", "nfs": {"server": "s", "path": "/"}}])], "lint-pss-*", [
        ("lint-pss-restricted-volumes", "Pod/web", "spec.volumes[0].hostPath"),
        ("lint-pss-restricted-volumes", "Pod/web", "spec.volumes[1].nfs")]),
    "restricted root": ([pod(annotations=RESTRICTED, securityContext={**RESTRICTED_POD_SC, "runAsNonRoot": False, "runAsUser": 0},
                             containers=[hardened(runAsUser=0)])], "lint-pss-*", [
        ("lint-pss-restricted-run-as-non-root", "Pod/web", "spec.securityContext.runAsNonRoot"),
        ("lint-pss-restricted-run-as-user", "Pod/web", "spec.containers[0].securityContext.runAsUser"),
        ("lint-pss-restricted-run-as-user", "Pod/web", "spec.securityContext.runAsUser")]),
    "restricted root in a user namespace": ([pod(annotations=RESTRICTED, hostUsers=False, securityContext={"seccompProfile": {"type": "RuntimeDefault"}, "runAsUser": 0},
                                                 containers=[hardened()])], "lint-pss-*", []),
    "restricted seccomp and capabilities replace baseline": ([pod(annotations=RESTRICTED, securityContext={"runAsNonRoot": True, "seccompProfile": {"type": "Unconfined"}},
                                                                  containers=[ctr(**sc(allowPrivilegeEscalation=False, capabilities={"drop": ["ALL"], "add": ["CHOWN"]}))])], "lint-pss-*", [
        ("lint-pss-restricted-capabilities", "Pod/web", "spec.containers[0].securityContext.capabilities.add[0]"),
        ("lint-pss-restricted-seccomp", "Pod/web", "spec.securityContext.seccompProfile.type")]),
    "restricted proc mount even in a user namespace": ([pod(annotations=RESTRICTED, hostUsers=False, securityContext=RESTRICTED_POD_SC,
                                                            containers=[hardened(procMount="Unmasked")])], "lint-pss-*", [
        ("lint-pss-restricted-proc-mount", "Pod/web", "spec.containers[0].securityContext.procMount")]),
    "restricted windows pod is exempt from linux controls": ([pod(annotations=RESTRICTED, os={"name": "windows"}, securityContext={"runAsNonRoot": True}, containers=[ctr()])], "lint-pss-*", []),
    # --- lint-token-secret
    "long-lived token secret": ([{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "ci-token", "namespace": "default", "annotations": {"kubernetes.io/service-account.name": "ci"}},
                                  "type": "kubernetes.io/service-account-token"}], "lint-token-secret", [
        ("lint-token-secret", "Secret/default/ci-token", "type"),
    ]),
    "opaque secret": ([{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "default"}, "type": "Opaque", "data": {"pw": "eA=="}}], "lint-token-secret", []),
}


def _unpack(case):
    objs, only, expected, *rest = case
    version = rest[0] if rest else (1, 37)
    profile = rest[1] if len(rest) > 1 else None
    return objs, only, expected, version, profile


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_lint(case):
    objs, only, expected, version, profile = _unpack(case)
    assert run(objs, only, version, profile) == sorted(expected)


LINT_CASES = Path(__file__).parent / "lint_cases"  # fixture files, tests/test_lint_cases.py


def test_every_rule_has_a_positive_case():
    seen = {p[0] for case in CASES.values() for p in case[2]} | {p.parent.parent.name for p in LINT_CASES.glob("*/fail/*.yaml")}
    assert seen >= {rule_id for rule_id, _ in lint.LINT_RULES}


def test_every_rule_has_a_negative_case():
    """A case that looks at the rule (its glob matches) and expects no finding of it, or a pass/ fixture."""
    fixtures = {p.parent.parent.name for p in LINT_CASES.glob("*/pass/*.yaml")}
    for rule_id, _ in lint.LINT_RULES:
        assert rule_id in fixtures or any(fnmatchcase(rule_id, case[1]) and rule_id not in {e[0] for e in case[2]} for case in CASES.values()), rule_id


def test_rule_table_is_documented():
    ids = [rule_id for rule_id, _ in lint.LINT_RULES]
    assert len(ids) == len(set(ids))
    for rule_id, doc in lint.LINT_RULES:
        assert rule_id.startswith("lint-") and doc and "\n" not in doc


def test_findings_are_warnings_with_hints():
    objs = [pod(hostPID=True, automountServiceAccountToken=None, containers=[{"name": "a", "image": "busybox"}])]
    found = list(lint.check(objs[0], Context(kube_version=(1, 37), manifests=[Manifest(o) for o in objs], profile="baseline")))
    assert len(found) == 4
    by_default = list(lint.check(objs[0], Context(kube_version=(1, 37), manifests=[Manifest(o) for o in objs])))
    assert len(by_default) > 4  # the recommended checks run too (probes, non-root...)
    assert all(p.severity == "warning" and p.hint and p.pos is None for p in by_default)
    assert all(p.severity == "warning" and p.hint and p.pos is None for p in found)


def test_lint_does_not_change_the_object():
    obj = pod(annotations=RESTRICTED, hostPID=True, containers=[ctr(**sc(privileged=True))])
    before = copy.deepcopy(obj)
    run([obj])
    assert obj == before


def test_malformed_objects_do_not_crash():
    junk = [{"kind": "Pod", "spec": {"containers": [None, {"securityContext": "x", "ports": [3]}], "volumes": ["x"]}},
            {"kind": "Role", "rules": [None, {"verbs": "*"}]}, {"kind": "RoleBinding", "roleRef": [], "subjects": "x"},
            {"kind": "Deployment", "spec": None}, {"kind": "Pod", "metadata": {"annotations": {"k8sgen.dev/lint-profile": "restricted"}}, "spec": {"securityContext": []}}]
    run(junk)  # only: no exception


@pytest.fixture
def runner(monkeypatch):
    quiet = types.SimpleNamespace(check=lambda *a, **k: iter(()), lookup=lambda *a: types.SimpleNamespace(handles=lambda obj: False))
    for name in ("k8s_schema", "rules", "crds"):
        monkeypatch.setitem(sys.modules, f"k8sgen.validate.{name}", quiet)
        monkeypatch.setattr(validate, name, quiet, raising=False)
    return validate.validate_manifests


NOISY = {"hostPID": True, "automountServiceAccountToken": None, "containers": [ctr(image="busybox", **sc(privileged=True))]}
SILENCE_CASES = {
    "nothing silenced": (frozenset(), ["lint-image-tag", "lint-pss-baseline-host-namespaces", "lint-pss-baseline-privileged", "lint-token-automount"]),
    "one id": (frozenset({"lint-token-automount"}), ["lint-image-tag", "lint-pss-baseline-host-namespaces", "lint-pss-baseline-privileged"]),
    "pss glob": (frozenset({"lint-pss-*"}), ["lint-image-tag", "lint-token-automount"]),
    "narrow glob": (frozenset({"lint-pss-baseline-p*", "lint-image-*"}), ["lint-pss-baseline-host-namespaces", "lint-token-automount"]),
    "all lint": (frozenset({"lint-*"}), []),
}


@pytest.mark.parametrize("ignore,expected", SILENCE_CASES.values(), ids=SILENCE_CASES.keys())
def test_silencing(runner, ignore, expected):
    # Under baseline, so that the list stays short; the recommended rules silence the same way.
    assert sorted(p.rule for p in runner([Manifest(pod(**NOISY), ignore=ignore)], "1.37", profile="baseline")) == expected


def test_silencing_by_annotation_glob(runner):
    obj = pod(annotations={"k8sgen.dev/ignore": "lint-pss-*,lint-token-automount"}, **NOISY)
    assert [p.rule for p in runner([Manifest(obj, ignore=validate.ignored_rules(obj))], "1.37", profile="baseline")] == ["lint-image-tag"]


def test_silencing_under_the_default_profile(runner):
    found = {p.rule for p in runner([Manifest(pod(**NOISY))], "1.37")}
    assert {"lint-probes", "lint-run-as-non-root", "lint-read-only-root-fs"} <= found
    quiet = runner([Manifest(pod(**NOISY), ignore=frozenset({"lint-probes", "lint-run-as-*", "lint-read-only-root-fs"}))], "1.37")
    assert {p.rule for p in quiet} == found - {"lint-probes", "lint-run-as-non-root", "lint-read-only-root-fs"}


IS_IGNORED = [
    ("lint-pss-baseline-privileged", {"lint-pss-*"}, True),
    ("lint-pss-baseline-privileged", {"lint-pss-baseline-privileged"}, True),
    ("lint-pss-baseline-privileged", {"lint-pss"}, False),  # a prefix without a glob is not a match
    ("lint-image-tag", {"lint-pss-*"}, False),
    ("ref-role", {"ref-?ole"}, True),
]


@pytest.mark.parametrize("rule,ignore,expected", IS_IGNORED)
def test_is_ignored(rule, ignore, expected):
    from k8sgen.errors import Problem

    assert validate.is_ignored(Problem("m", rule, severity="warning"), frozenset(ignore)) is expected


def test_errors_cannot_be_silenced():
    from k8sgen.errors import Problem

    assert validate.is_ignored(Problem("m", "metadata-name", severity="error"), frozenset({"*", "metadata-name"})) is False


def test_checks_doc_is_current():
    from pathlib import Path

    from k8sgen.validate import checks_doc

    doc = Path(__file__).resolve().parent.parent / "docs" / "checks.md"
    assert doc.read_text(encoding="utf-8") == checks_doc.render(), "run: python3 -m k8sgen.validate.checks_doc > docs/checks.md"


def test_peer_mapping_names_real_rules():
    """docs/checks.md's migration table: every k8sgen id it names exists; every gap says why."""
    from k8sgen.validate import references
    from k8sgen.validate.lint import peers

    known = {i for i, _ in lint.LINT_RULES} | {i for i, _, _ in references.REFERENCE_RULES} | peers.OTHER_IDS
    for tool, checks in peers.PEERS.items():
        names = [p.name for p in checks]
        assert len(names) == len(set(names)), tool
        for p in checks:
            ids = {i.strip() for i in p.covered.split(",")} if p.covered else set()
            assert ids <= known, (tool, p.name, ids - known)
            assert p.covered or p.note, (tool, p.name)


def test_every_default_peer_check_is_covered_or_explained():
    from k8sgen.validate.lint import peers

    for tool, checks in peers.PEERS.items():
        for p in checks:
            if p.default and not p.covered:
                assert len(p.note) > 20, (tool, p.name)


def test_namespace_label_sets_only_the_pod_security_part():
    secure = [namespace("secure", {"pod-security.kubernetes.io/enforce": "restricted"}), pod(ns="secure", securityContext=RESTRICTED_POD_SC, containers=[ctr()])]
    rules = {r for r, _, _ in run(secure, profile="recommended")}
    assert {"lint-pss-restricted-privilege-escalation", "lint-pss-restricted-capabilities", "lint-read-only-root-fs", "lint-probes"} <= rules
    assert not rules & {"lint-privilege-escalation", "lint-drop-net-raw", "lint-run-as-non-root"}  # replaced by the restricted checks
    ops = [namespace("ops", {"pod-security.kubernetes.io/enforce": "privileged"}), pod(ns="ops", hostPID=True)]
    rules = {r for r, _, _ in run(ops, profile="recommended")}
    assert "lint-probes" in rules and not any(r.startswith("lint-pss-") for r in rules)


# --- the API server's address warnings, in its words (GetWarningsForIP / GetWarningsForCIDR) -------

from k8sgen.validate.lint import ipwarnings  # noqa: E402

IPV6_FORMS = [
    ("2001:DB8::1", "2001:db8::1"),  # capitals
    ("2001:0db8::1", "2001:db8::1"),  # leading zeros in a group
    ("2001:db8:0:0::2", "2001:db8::2"),  # a zero run left uncompressed
    ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),  # the longest run is the one compressed
    ("::1.2.3.4", "::102:304"),  # IPv4-embedded (not -mapped) is written in hex
]


@pytest.mark.parametrize("value,canonical", IPV6_FORMS)
def test_ipv6_not_in_rfc5952_form(value, canonical):
    message, hint = ipwarnings.ipv6_form(value)
    assert message == f'IPv6 address "{value}" should be in RFC 5952 canonical format ("{canonical}")'
    assert hint == f"write {canonical}"


@pytest.mark.parametrize("value", ["2001:db8::1", "::1", "2001:db8:0:1:1:1:1:1", "192.0.2.1", "010.0.0.1", "::ffff:1.2.3.4", "fe80::1%eth0", "nonsense", "", 7, None])
def test_no_ipv6_form_warning(value):
    # Canonical IPv6, IPv4 and the forms the validation rules report (leading zeros, IPv4-mapped),
    # and whatever is not an address at all (the server warns only about what it parsed).
    assert ipwarnings.ipv6_form(value) is None


def test_load_balancer_ip_gets_every_ip_warning():
    assert ipwarnings.ip_warnings("010.1.2.3")[0] == 'non-standard IP address "010.1.2.3" will be considered invalid in a future Kubernetes release: use "10.1.2.3"'
    assert ipwarnings.ip_warnings("::ffff:1.2.3.4")[0] == 'non-standard IP address "::ffff:1.2.3.4" will be considered invalid in a future Kubernetes release: use "1.2.3.4"'
    assert ipwarnings.ip_warnings("2001:DB8::1")[0].startswith('IPv6 address "2001:DB8::1" should be')
    assert ipwarnings.ip_warnings("10.1.2.3") is None and ipwarnings.ip_warnings("not-an-ip") is None


@pytest.mark.parametrize("value,messages", [
    ("192.0.2.8/24", ['CIDR value "192.0.2.8/24" is ambiguous in this context (should be "192.0.2.0/24" or "192.0.2.8/32"?)']),
    ("2001:db8::1/64", ['CIDR value "2001:db8::1/64" is ambiguous in this context (should be "2001:db8::/64" or "2001:db8::1/128"?)']),
    ("2001:DB8::/64", ['IPv6 CIDR value "2001:DB8::/64" should be in RFC 5952 canonical format ("2001:db8::/64")']),
    ("192.0.2.0/24", []), ("2001:db8::/64", []), ("0.0.0.0/0", []), ("10.0.0.1/32", []),
    ("010.0.0.0/8", []),  # leading zeros: check_cidr's warning (before 1.36) or error
    ("192.0.2.0/33", []), ("192.0.2.0", []), ("x/24", []),  # invalid: validation's business
])
def test_cidr_warnings(value, messages):
    assert [m for m, _ in ipwarnings.cidr_warnings(value)] == messages


def test_canonical_ipv6_is_never_flagged():
    import ipaddress
    import random

    rnd = random.Random(16)
    for _ in range(500):
        n = rnd.getrandbits(128) & rnd.choice([0, (1 << 64) - 1, (1 << 128) - 1, 0xFFFF0000FFFF0000FFFF0000FFFF0000])
        text = str(ipaddress.IPv6Address(n))
        if ipaddress.IPv6Address(n).ipv4_mapped is None:
            assert ipwarnings.ipv6_form(text) is None, text
