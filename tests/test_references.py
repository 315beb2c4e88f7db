"""Cross-object checks: each case is a small set of objects and the exact problems expected,
as (rule, severity, object, path)."""

from __future__ import annotations

import sys
import types

import pytest
from k8s_objects import (
    binding,
    configmap,
    ctr,
    deployment,
    endpoint_slice,
    endpoints,
    group_subject,
    pod,
    pvc,
    role,
    sa,
    sa_subject,
    secret,
    svc,
)

from k8sgen import validate
from k8sgen.fieldpath import format_path, object_id
from k8sgen.validate import Context, Manifest, references, refindex


def run(objs, external=None):
    ctx = Context(kube_version=(1, 37), manifests=[Manifest(o) for o in objs], external=external or {})
    return sorted((p.rule, p.severity, object_id(o), format_path(p.path)) for p, o in references.check(ctx))


# Every cross-object finding is a warning in `validate`: the API server never looks at other objects.
W = "warning"
HTTP = [{"name": "http", "containerPort": 8080}]

CASES = {
    # --- ref-service-selector
    "selector matches a pod": ([pod(), svc()], {}, []),
    "selector matches a deployment template": ([deployment(), svc()], {}, []),
    "selector matches nothing": ([pod(labels={"app": "api"}), svc()], {}, [
        ("ref-service-selector", W, "Service/web", "spec.selector")]),
    "selector matches a pod in another namespace only": ([pod(ns="other"), svc()], {}, [
        ("ref-service-selector", W, "Service/web", "spec.selector")]),
    "selector must match every label": ([pod(labels={"app": "web"}), svc(selector={"app": "web", "tier": "fe"})], {}, [
        ("ref-service-selector", W, "Service/web", "spec.selector")]),
    "no pods in the set at all: pods live elsewhere": ([svc()], {}, []),
    "ExternalName service is not checked": ([svc(type="ExternalName", externalName="db.example.com")], {}, []),
    "service without selector is not checked": ([svc(selector=False)], {}, []),
    # --- ref-target-port
    "named targetPort exposed": ([pod(containers=[ctr(ports=HTTP)]), svc(ports=[{"port": 80, "targetPort": "http"}])], {}, []),
    "named targetPort exposed by a sidecar": (
        [pod(containers=[ctr(), ctr(name="side", ports=HTTP)]), svc(ports=[{"port": 80, "targetPort": "http"}])], {}, []),
    "named targetPort missing": ([pod(containers=[ctr(ports=HTTP)]), svc(ports=[{"port": 80, "targetPort": "web"}])], {}, [
        ("ref-target-port", W, "Service/web", "spec.ports[0].targetPort")]),
    "named targetPort with another protocol": (
        [pod(containers=[ctr(ports=[{"name": "dns", "containerPort": 53, "protocol": "UDP"}])]),
         svc(ports=[{"port": 53, "targetPort": "dns", "protocol": "TCP"}])], {}, [
        ("ref-target-port", W, "Service/web", "spec.ports[0].targetPort")]),
    "named targetPort of a sidecar init container": (
        [pod(initContainers=[ctr("proxy", ports=HTTP, restartPolicy="Always")]), svc(ports=[{"port": 80, "targetPort": "http"}])], {}, []),
    "named targetPort of a plain init container": (
        [pod(initContainers=[ctr("setup", ports=HTTP)]), svc(ports=[{"port": 80, "targetPort": "http"}])], {}, [
        ("ref-target-port", W, "Service/web", "spec.ports[0].targetPort")]),
    "numeric targetPort is not checked": ([pod(), svc(ports=[{"port": 80, "targetPort": 9999}])], {}, []),
    # --- ref-service-account
    "pod service account defined": ([pod(serviceAccountName="builder"), sa()], {}, []),
    "pod default service account": ([pod(serviceAccountName="default")], {}, []),
    "pod service account missing": ([pod(serviceAccountName="builder")], {}, [
        ("ref-service-account", W, "Pod/web", "spec.serviceAccountName")]),
    "pod service account in another namespace": ([pod(serviceAccountName="builder"), sa(ns="ci")], {}, [
        ("ref-service-account", W, "Pod/web", "spec.serviceAccountName")]),
    "pod service account external": ([pod(serviceAccountName="builder")], {"ServiceAccount": {"default/builder"}}, []),
    "deployment service account missing": ([deployment(serviceAccountName="x")], {}, [
        ("ref-service-account", W, "Deployment/web", "spec.template.spec.serviceAccountName")]),
    # --- ref-role
    "rolebinding to defined role": ([role(), binding(), sa()], {}, []),
    "rolebinding to missing role": ([binding(), sa()], {}, [("ref-role", W, "RoleBinding/bind", "roleRef.name")]),
    "rolebinding to role of another namespace": ([role(ns="ci"), binding(), sa()], {}, [
        ("ref-role", W, "RoleBinding/bind", "roleRef.name")]),
    "rolebinding to external role": ([binding(), sa()], {"Role": {"default/reader"}}, []),
    "built-in cluster roles exist": ([
        binding(name="a", role_kind="ClusterRole", role_name="view"),
        binding(name="b", role_kind="ClusterRole", role_name="system:auth-delegator", kind="ClusterRoleBinding"),
        sa()], {}, []),
    "clusterrolebinding to missing clusterrole": ([binding(role_kind="ClusterRole", role_name="ops", kind="ClusterRoleBinding"), sa()], {}, [
        ("ref-role", W, "ClusterRoleBinding/bind", "roleRef.name")]),
    "clusterrole in the set": ([role("ops", kind="ClusterRole"), binding(role_kind="ClusterRole", role_name="ops", kind="ClusterRoleBinding"), sa()], {}, []),
    "external clusterrole": ([binding(role_kind="ClusterRole", role_name="ops", kind="ClusterRoleBinding"), sa()], {"ClusterRole": {"ops"}}, []),
    # --- ref-subject
    "subject service account missing": ([role(), binding(subjects=[group_subject("devs"), sa_subject("ghost")])], {}, [
        ("ref-subject", W, "RoleBinding/bind", "subjects[1].name")]),
    "subject service account in the set": ([role(), binding(subjects=[sa_subject("builder", "ci")]), sa(ns="ci")], {}, []),
    "subject default service account": ([role(), binding(subjects=[sa_subject("default", "ci")])], {}, []),
    "subject service account external": ([role(), binding(subjects=[sa_subject("b", "ci")])], {"ServiceAccount": {"ci/b"}}, []),
    # --- ref-endpoints
    "endpoints matching a selectorless service": ([svc("db", selector=False, ports=[{"name": "http", "port": 80}]), endpoints()], {}, []),
    "endpoints with explicit matching targetPort": (
        [svc("db", selector=False, ports=[{"name": "http", "port": 80, "targetPort": 5432}]), endpoints(ports=[{"name": "http", "port": 5432}])], {}, []),
    "endpoints without service": ([endpoints(), svc("other", selector=False)], {}, [("ref-endpoints", W, "Endpoints/db", "metadata.name")]),
    # Book-style repositories keep the Service in another file: with no Service at all in the
    # set, it is elsewhere, as with pods and Services.
    "endpoints alone, its service in another file": ([endpoints()], {}, []),
    "endpoints of a service with selector": ([svc("db"), pod("db"), endpoints()], {}, [("ref-endpoints", W, "Endpoints/db", "metadata.name")]),
    "endpoints port name mismatch": ([svc("db", selector=False), endpoints(ports=[{"name": "web", "port": 80}])], {}, [
        ("ref-endpoints", W, "Endpoints/db", "subsets[0].ports[0].name")]),
    "endpoints unnamed port for a named service port": ([svc("db", selector=False), endpoints(ports=[{"port": 80}])], {}, [
        ("ref-endpoints", W, "Endpoints/db", "subsets[0].ports[0]")]),
    "endpoints port number mismatch": ([svc("db", selector=False), endpoints(ports=[{"name": "http", "port": 8080}])], {}, [
        ("ref-endpoints", W, "Endpoints/db", "subsets[0].ports[0].port")]),
    "endpoints of an external service": ([endpoints()], {"Service": {"default/db"}}, []),
    "endpointslice of a selectorless service": ([svc("db", selector=False), endpoint_slice()], {}, []),
    "endpointslice of a missing service": ([endpoint_slice(service="nope"), svc("db", selector=False)], {}, [
        ("ref-endpoints", W, "EndpointSlice/db-1", "metadata.labels[kubernetes.io/service-name]")]),
    "endpointslice without service label": ([endpoint_slice(service=None)], {}, [
        ("ref-endpoints", W, "EndpointSlice/db-1", "metadata.labels")]),
    "endpointslice of a service with selector": ([svc("db"), pod("db"), endpoint_slice()], {}, [
        ("ref-endpoints", W, "EndpointSlice/db-1", "metadata.labels[kubernetes.io/service-name]")]),
    "endpointslice port name mismatch": ([svc("db", selector=False), endpoint_slice(ports=[{"name": "pg", "port": 5432}])], {}, [
        ("ref-endpoints", W, "EndpointSlice/db-1", "ports[0].name")]),
    # --- ref-subdomain
    "subdomain with headless service selecting the pod": ([pod(subdomain="web"), svc(clusterIP="None")], {}, []),
    "subdomain without service": ([pod(subdomain="web")], {}, [("ref-subdomain", W, "Pod/web", "spec.subdomain")]),
    "subdomain of an external service": ([pod(subdomain="web")], {"Service": {"default/web"}}, []),
    "subdomain with non-headless service": ([pod(subdomain="web"), svc()], {}, [("ref-subdomain", W, "Pod/web", "spec.subdomain")]),
    "subdomain service not selecting the pod": ([pod(subdomain="web"), pod("other"), svc(clusterIP="None", selector={"app": "other"})], {}, [
        ("ref-subdomain", W, "Pod/web", "spec.subdomain")]),
    # --- ref-container-name
    "resourceFieldRef to own container": ([pod(containers=[ctr(env=[{"name": "M", "valueFrom": {"resourceFieldRef": {"containerName": "app", "resource": "limits.memory"}}}])])], {}, []),
    "resourceFieldRef to missing container": ([pod(containers=[ctr(env=[{"name": "M", "valueFrom": {"resourceFieldRef": {"containerName": "ap", "resource": "limits.memory"}}}])])], {}, [
        ("ref-container-name", W, "Pod/web", "spec.containers[0].env[0].valueFrom.resourceFieldRef.containerName")]),
    "downwardAPI volume to missing container": ([pod(volumes=[{"name": "d", "downwardAPI": {"items": [
        {"path": "m", "resourceFieldRef": {"containerName": "app"}},
        {"path": "n", "resourceFieldRef": {"containerName": "nope"}}]}}])], {}, [
        ("ref-container-name", W, "Pod/web", "spec.volumes[0].downwardAPI.items[1].resourceFieldRef.containerName")]),
    "projected downwardAPI to missing container": ([pod(volumes=[{"name": "d", "projected": {"sources": [{"downwardAPI": {"items": [
        {"path": "n", "resourceFieldRef": {"containerName": "nope"}}]}}]}}])], {}, [
        ("ref-container-name", W, "Pod/web", "spec.volumes[0].projected.sources[0].downwardAPI.items[0].resourceFieldRef.containerName")]),
    # --- ref-config
    "configMapKeyRef present": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "key"}}}])]), configmap()], {}, []),
    "configMapKeyRef missing": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "key"}}}])])], {}, [
        ("ref-config", W, "Pod/web", "spec.containers[0].env[0].valueFrom.configMapKeyRef.name")]),
    "configMapKeyRef missing key": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "other"}}}])]), configmap()], {}, [
        ("ref-config", W, "Pod/web", "spec.containers[0].env[0].valueFrom.configMapKeyRef.key")]),
    "configMapKeyRef optional": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k", "optional": True}}}])])], {}, []),
    "secretKeyRef external": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "k"}}}])])], {"Secret": {"default/creds"}}, []),
    "secretKeyRef external without namespace": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "k"}}}])])], {"Secret": {"creds"}}, []),
    "external glob": ([pod(ns="prod", volumes=[{"name": "a", "secret": {"secretName": "tls"}}])], {"Secret": {"prod/*"}}, []),
    "external glob of another namespace": ([pod(ns="dev", volumes=[{"name": "a", "secret": {"secretName": "tls"}}])], {"Secret": {"prod/*"}}, [
        ("ref-config", W, "Pod/dev/web", "spec.volumes[0].secret.secretName")]),
    "external without namespace means default": ([pod(ns="dev", volumes=[{"name": "a", "secret": {"secretName": "tls"}}])], {"Secret": {"tls"}}, [
        ("ref-config", W, "Pod/dev/web", "spec.volumes[0].secret.secretName")]),
    "secret in stringData has the key": ([pod(containers=[ctr(env=[{"name": "K", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "key"}}}])]), secret()], {}, []),
    "envFrom secret missing": ([pod(containers=[ctr(envFrom=[{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "creds"}}])]), configmap()], {}, [
        ("ref-config", W, "Pod/web", "spec.containers[0].envFrom[1].secretRef.name")]),
    "volumes missing": ([pod(volumes=[{"name": "a", "configMap": {"name": "cfg"}}, {"name": "b", "secret": {"secretName": "creds"}},
                                      {"name": "c", "persistentVolumeClaim": {"claimName": "data"}},
                                      {"name": "d", "secret": {"secretName": "opt", "optional": True}}])], {}, [
        ("ref-config", W, "Pod/web", "spec.volumes[0].configMap.name"),
        ("ref-config", W, "Pod/web", "spec.volumes[1].secret.secretName"),
        ("ref-config", W, "Pod/web", "spec.volumes[2].persistentVolumeClaim.claimName")]),
    "volumes present": ([pod(volumes=[{"name": "a", "configMap": {"name": "cfg"}}, {"name": "b", "secret": {"secretName": "creds"}},
                                      {"name": "c", "persistentVolumeClaim": {"claimName": "data"}}]), configmap(), secret(), pvc()], {}, []),
    "config in another namespace": ([pod(ns="a", volumes=[{"name": "a", "configMap": {"name": "cfg"}}]), configmap(ns="b")], {}, [
        ("ref-config", W, "Pod/a/web", "spec.volumes[0].configMap.name")]),
    # --- ref-duplicate
    "duplicate object": ([sa(), sa()], {}, [("ref-duplicate", W, "ServiceAccount/builder", "metadata.name")]),
    "missing namespace duplicates default": ([sa(), sa(ns="default")], {}, [("ref-duplicate", W, "ServiceAccount/default/builder", "metadata.name")]),
    "nameless objects are not duplicates": ([{"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "x-"}}] * 2, {}, []),
    "same name in other namespace or kind": ([sa(), sa(ns="ci"), configmap("builder")], {}, []),
}


@pytest.mark.parametrize("objs,external,expected", CASES.values(), ids=CASES.keys())
def test_references(objs, external, expected):
    assert run(objs, external) == sorted(expected)


def test_every_rule_has_positive_and_negative_cases():
    seen = {p[0] for _, _, exp in CASES.values() for p in exp}
    assert seen == {"ref-service-selector", "ref-target-port", "ref-service-account", "ref-role", "ref-subject",
                    "ref-endpoints", "ref-subdomain", "ref-container-name", "ref-config", "ref-duplicate"}


def test_problem_is_yielded_with_the_very_object():
    objs = [pod(serviceAccountName="x")]
    ctx = Context(kube_version=(1, 37), manifests=[Manifest(o) for o in objs])
    [(p, obj)] = list(references.check(ctx))
    assert obj is objs[0] and p.pos is None and p.hint


def test_duplicate_points_at_the_first_definition():
    from k8sgen.errors import SourcePos

    first = Manifest(sa(), locate=lambda path, key: SourcePos("a.yaml", 3, 9))
    ctx = Context(kube_version=(1, 37), manifests=[first, Manifest(sa(), locate=lambda path, key: SourcePos("a.yaml", 9, 9))])
    [(p, obj)] = list(references.check(ctx))
    assert obj is ctx.manifests[1].obj and p.extra_pos == (SourcePos("a.yaml", 3, 9),)
    assert "first at a.yaml:3:9" in p.message and "in this file" in p.message
    assert p.severity == "warning"


# --- sets laid out as repositories lay them out ---------------------------------------------------


def at(obj: dict, file: str) -> Manifest:
    from k8sgen.errors import SourcePos

    return Manifest(obj, locate=lambda path, key: SourcePos(file, 1, 1))


def run_at(placed):
    ctx = Context(kube_version=(1, 37), manifests=[at(o, f) for o, f in placed])
    return sorted((p.rule, object_id(o), format_path(p.path), ctx_file(ctx, o)) for p, o in references.check(ctx))


def ctx_file(ctx, obj):
    return next(m.locate((), False).file for m in ctx.manifests if m.obj is obj)


LAYOUTS = {
    "same name in envs/dev and envs/prod": ([(sa(), "envs/dev/sa.yaml"), (sa(), "envs/prod/sa.yaml")], []),
    "provider variants side by side": ([(svc(selector=False), "deploy/aws/deploy.yaml"), (svc(selector=False), "deploy/kind/deploy.yaml"),
                                        (svc(selector=False), "deploy/deploy.yaml")], []),
    "twice in one file": ([(sa(), "a/sa.yaml"), (sa(), "a/sa.yaml")], [
        ("ref-duplicate", "ServiceAccount/builder", "metadata.name", "a/sa.yaml")]),
    "twice in one directory": ([(sa(), "a/one.yaml"), (sa(), "a/two.yaml")], [
        ("ref-duplicate", "ServiceAccount/builder", "metadata.name", "a/two.yaml")]),
    "a reference is satisfied from any directory": ([(pod(serviceAccountName="builder"), "apps/pod.yaml"), (sa(), "rbac/sa.yaml")], []),
    "endpoints are compared with the service of their own directory": ([
        (svc("db", selector=False, ports=[{"name": "pg", "port": 5432, "targetPort": 5432}]), "envs/dev/svc.yaml"),
        (endpoints(ports=[{"name": "pg", "port": 5432}]), "envs/dev/ep.yaml"),
        (svc("db", selector=False, ports=[{"name": "pg", "port": 5432, "targetPort": 6432}]), "envs/prod/svc.yaml"),
        (endpoints(ports=[{"name": "pg", "port": 6432}]), "envs/prod/ep.yaml")], []),
    "a mismatch is reported in its own directory only": ([
        (svc("db", selector=False, ports=[{"name": "pg", "port": 5432, "targetPort": 5432}]), "envs/dev/svc.yaml"),
        (endpoints(ports=[{"name": "pg", "port": 5432}]), "envs/dev/ep.yaml"),
        (svc("db", selector=False, ports=[{"name": "pg", "port": 5432, "targetPort": 6432}]), "envs/prod/svc.yaml"),
        (endpoints(ports=[{"name": "pg", "port": 5432}]), "envs/prod/ep.yaml")], [
        ("ref-endpoints", "Endpoints/db", "subsets[0].ports[0].port", "envs/prod/ep.yaml")]),
    "endpoints whose service is in another directory": ([
        (svc("db", selector=False, ports=[{"name": "http", "port": 80}]), "svc/db.yaml"), (endpoints(), "ep/db.yaml")], []),
    "target ports are looked up in the pods of the service's directory": ([
        (pod(containers=[ctr(ports=HTTP)]), "envs/dev/pod.yaml"), (svc(ports=[{"port": 80, "targetPort": "http"}]), "envs/dev/svc.yaml"),
        (pod(containers=[ctr(ports=[{"name": "web", "containerPort": 8080}])]), "envs/prod/pod.yaml"),
        (svc(ports=[{"port": 80, "targetPort": "http"}]), "envs/prod/svc.yaml")], [
        ("ref-target-port", "Service/web", "spec.ports[0].targetPort", "envs/prod/svc.yaml")]),
    "every copy of a service is checked, not only the first": ([
        (pod(), "envs/dev/pod.yaml"), (svc(), "envs/dev/svc.yaml"), (svc(selector={"app": "nope"}), "envs/prod/svc.yaml")], [
        ("ref-service-selector", "Service/web", "spec.selector", "envs/prod/svc.yaml")]),
}


@pytest.mark.parametrize("placed,expected", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_repository_layouts(placed, expected):
    assert run_at(placed) == sorted(expected)


def test_render_turns_the_contradictions_into_errors():
    from k8sgen.errors import Problem

    found = [Problem(message="m", rule=r, severity="warning") for r in ("ref-target-port", "ref-config", "ref-endpoints", "ref-container-name")]
    assert [p.severity for p in references.for_render(found)] == ["error", "warning", "error", "error"]
    assert all(why for why in references.RENDER_STOPS.values())


def test_identical_selectors_are_resolved_once(monkeypatch):
    """2,000 Services with one selector over 2,000 pods: one scan, not 4 million comparisons."""
    calls = []
    real = references._selects
    monkeypatch.setattr(refindex, "_selects", lambda s, l: calls.append(1) or real(s, l))
    objs = [pod(f"p{i}", labels={"app": "shop"}, containers=[ctr(ports=HTTP)]) for i in range(2000)]
    objs += [svc(f"s{i}", selector={"app": "shop"}, ports=[{"port": 80, "targetPort": "http"}]) for i in range(2000)]
    assert run(objs) == []
    assert 0 < len(calls) <= 2 * 2000


def test_malformed_objects_do_not_crash():
    junk = [{"kind": "Pod", "spec": "x"}, {"kind": "Service", "spec": {"selector": ["a"], "ports": "x"}},
            {"kind": "RoleBinding", "roleRef": None, "subjects": [None, 3]}, {"kind": "Endpoints", "subsets": [{"ports": [None]}]},
            {"kind": "EndpointSlice", "metadata": {"labels": {"kubernetes.io/service-name": 5}}}, ["not", "a", "dict"], {"kind": 3}]
    run(junk)  # only: no exception


@pytest.fixture
def runner(monkeypatch):
    """validate_manifests with only the lint and reference stages (the others are not ours)."""
    import k8sgen.validate.lint  # noqa: F401  (its imports, rules.quantity among them, resolve before the stubs)

    quiet = types.SimpleNamespace(check=lambda *a, **k: iter(()), lookup=lambda *a: types.SimpleNamespace(handles=lambda obj: False))
    for name in ("k8s_schema", "rules", "crds"):
        monkeypatch.setitem(sys.modules, f"k8sgen.validate.{name}", quiet)
        monkeypatch.setattr(validate, name, quiet, raising=False)
    return validate.validate_manifests


IGNORE_CASES = {
    "exact id": (frozenset({"ref-service-account"}), []),
    "glob": (frozenset({"ref-*"}), []),
    "other rule": (frozenset({"ref-role", "lint-*"}), ["ref-service-account"]),
    "nothing": (frozenset(), ["ref-service-account"]),
}


@pytest.mark.parametrize("ignore,expected", IGNORE_CASES.values(), ids=IGNORE_CASES.keys())
def test_silencing_reference_problems(runner, ignore, expected):
    m = Manifest(pod(serviceAccountName="ghost"), ignore=ignore)
    # Under baseline, whose lint has nothing to say about this pod: only references are left.
    assert [p.rule for p in runner([m], "1.37", profile="baseline")] == expected


def test_silencing_by_annotation(runner):
    obj = pod(serviceAccountName="ghost", annotations={"k8sgen.dev/ignore": "lint-image-tag, ref-service-*"})
    m = Manifest(obj, ignore=validate.ignored_rules(obj))
    assert [p.rule for p in runner([m], "1.37", profile="baseline")] == []


def test_reference_rule_table_names_every_rule():
    assert {r[0] for r in references.REFERENCE_RULES} == {p[0] for _, _, exp in CASES.values() for p in exp}
    assert all(sev == "warning" and doc for _, sev, doc in references.REFERENCE_RULES)
    assert set(references.RENDER_STOPS) <= {r[0] for r in references.REFERENCE_RULES}


def test_render_refuses_a_spec_that_contradicts_itself_and_validate_only_warns(tmp_path):
    from conftest import run_cli

    spec = tmp_path / "web.k8sgen.yaml"
    spec.write_text("pods:\n  web:\n    image: nginx:1.27.3\n    labels: {app: web}\n    automountServiceAccountToken: false\n"
                    "    resources: {limits: {memory: 64Mi}}\n    ports: [{name: http, port: 80}]\n"
                    "services:\n  web:\n    selector: {app: web}\n    ports: ['80:htp']\n")
    ran = run_cli("render", str(spec))
    assert (ran.code, ran.out) == (1, "")
    assert f"{spec}:11:13: error: Service/default/web: spec.ports[0].targetPort:" in ran.err and "(ref-target-port)" in ran.err
    # The same objects as plain manifests: the API server accepts each, so only a warning.
    manifests = tmp_path / "out.yaml"
    spec.write_text(spec.read_text().replace("ports: ['80:htp']", "ports: ['80:http']"))
    manifests.write_text(run_cli("render", str(spec)).out.replace("targetPort: http", "targetPort: htp"))
    ran = run_cli("validate", str(manifests))
    assert ran.code == 0 and "warning: Service/default/web: spec.ports[0].targetPort" in ran.err, ran
    assert run_cli("validate", str(manifests), "--strict").code == 1
