"""Workloads end to end: `k8sgen validate` on Deployments, StatefulSets, Jobs and CronJobs as
repositories write them; the pod rules on templates; which API versions the workload rules
apply to; and robustness of defaulting plus rules on malformed workloads (no traceback)."""

from __future__ import annotations

import copy
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from k8sgen.validate import Context, Manifest, defaults, rules, validate_manifests

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: other}
    spec:
      containers:
      - name: Web_1
        image: nginx:1.27
        resources:
          requests: {cpu: "2"}
          limits: {cpu: "1", memory: 64Mi}
"""

VALID = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80, name: http}]
        readinessProbe: {httpGet: {port: http}}
        env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.host}}}]
        volumeMounts: [{name: cache, mountPath: /cache}]
      volumes:
      - name: cache
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:17
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "@daily"
  timeZone: Etc/UTC
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: "busybox:1.36"}]
"""


def errors(ran) -> list[str]:
    return [line for line in ran.out.splitlines() + ran.err.splitlines() if ": error: " in line]


def test_invalid_deployment_is_rejected_at_the_template_paths(tmp_path) -> None:
    f = tmp_path / "deploy.yaml"
    f.write_text(DEPLOYMENT)
    ran = run_cli("validate", str(f))
    assert ran.code == 1, ran
    found = errors(ran)
    assert any(f"{f}:10:15: error: Deployment/web: spec.template.metadata.labels" in e and "(workload-selector)" in e for e in found), found
    assert any(f"{f}:13:15: error:" in e and "spec.template.spec.containers[0].name" in e and "(pod-container-name)" in e for e in found), found
    assert any("spec.template.spec.containers[0].resources.requests" in e and "(pod-container-resources)" in e for e in found), found
    assert "Traceback" not in ran.err


def test_valid_workloads_get_no_error(tmp_path) -> None:
    f = tmp_path / "app.yaml"
    f.write_text(VALID)
    ran = run_cli("validate", str(f))
    assert not errors(ran), ran
    assert ran.code == 0, ran


def _objs(text: str) -> list[dict]:
    import yaml

    return [d for d in yaml.safe_load_all(text) if d]


def test_statefulset_template_is_validated_with_its_claim_templates() -> None:
    sts = _objs(VALID)[1]
    sts["spec"]["template"]["spec"]["containers"][0]["name"] = "DB"
    sts["spec"]["template"]["metadata"]["labels"]["bad key"] = "x"
    found = list(rules.check(defaults.apply(sts), Context(kube_version=(1, 37))))
    by_rule = {p.rule: p for p in found}
    assert set(by_rule) == {"pod-container-name", "metadata-labels"}, found
    assert all(p.is_error for p in found)
    assert tuple(by_rule["metadata-labels"].path) == ("spec", "template", "metadata", "labels")


def test_statefulset_claim_volume_replaces_a_template_volume_in_place() -> None:
    sts = _objs(VALID)[1]
    spec = sts["spec"]["template"]["spec"]
    spec["volumes"] = [{"name": "conf", "configMap": {"name": "c"}}, {"name": "data", "emptyDir": {}}, {"name": "Bad_Name", "emptyDir": {}}]
    _, pod = rules.template_pod(sts)
    assert [v["name"] for v in pod["spec"]["volumes"]] == ["conf", "data", "Bad_Name"]
    assert pod["spec"]["volumes"][1] == {"name": "data", "persistentVolumeClaim": {"claimName": "data"}}
    found = [p for p in rules.check(defaults.apply(sts), Context(kube_version=(1, 37))) if p.is_error]
    assert [tuple(p.path) for p in found] == [("spec", "template", "spec", "volumes", 2, "name")], found
    assert sts["spec"]["template"]["spec"]["volumes"][1] == {"name": "data", "emptyDir": {}}  # the object itself is unchanged


def test_workload_rules_only_for_their_api_version() -> None:
    dep = _objs(DEPLOYMENT)[0]
    for api in ("extensions/v1beta1", "apps/v1beta2", "example.com/v1"):
        other = dict(copy.deepcopy(dep), apiVersion=api)
        found = list(rules.check(defaults.apply(other), Context(kube_version=(1, 37))))
        assert found == [], (api, found)


def test_template_metadata_name_is_not_checked() -> None:
    dep = _objs(VALID)[0]
    dep["spec"]["template"]["metadata"]["name"] = "Not A Name"
    dep["spec"]["template"]["metadata"]["namespace"] = "Not A Namespace"
    problems = validate_manifests([Manifest(obj=dep)], "1.37")
    assert not [p for p in problems if p.is_error], problems


KEYS = st.sampled_from(["spec", "template", "metadata", "labels", "containers", "volumes", "selector", "matchLabels",
                        "strategy", "rollingUpdate", "maxSurge", "maxUnavailable", "replicas", "restartPolicy",
                        "jobTemplate", "schedule", "timeZone", "podFailurePolicy", "rules", "onExitCodes", "values",
                        "updateStrategy", "ports", "env", "valueFrom", "fieldRef", "name", "image", "x"])
JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=6), st.sampled_from(["25%", "*/5 * * * *", "Always", "Never"])),
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(KEYS, c, max_size=4)),
    max_leaves=12,
)
BASES = _objs(VALID) + _objs(DEPLOYMENT) + [
    {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "b"}]}}}},
    {"apiVersion": "v1", "kind": "ReplicationController", "spec": {"template": {"metadata": {"labels": {"a": "b"}}}}},
    {"apiVersion": "v1", "kind": "PodTemplate", "template": {}},
    {"apiVersion": "apps/v1", "kind": "DaemonSet", "spec": {}},
]


def _paths(obj: object, prefix: tuple = ()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _put(obj: dict, path: tuple, value: object) -> dict:
    obj = copy.deepcopy(obj)
    node = obj
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return obj


@settings(max_examples=int(os.environ.get("K8SGEN_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
          suppress_health_check=list(HealthCheck), derandomize=bool(os.environ.get("K8SGEN_CI")))
@given(st.sampled_from(range(len(BASES))), st.integers(0, 10_000), JUNK)
def test_malformed_workloads_never_raise(which: int, where: int, junk: object) -> None:
    base = BASES[which]
    paths = [p for p in _paths(base) if p and p[0] not in ("apiVersion", "kind")]
    obj = _put(base, paths[where % len(paths)], junk) if paths else base
    before = copy.deepcopy(obj)
    problems = validate_manifests([Manifest(obj=obj)], "1.37")
    assert obj == before
    assert all(p.message for p in problems)


def _cron(tz: str) -> dict:
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
            "spec": {"schedule": "@daily", "timeZone": tz, "concurrencyPolicy": "Allow",
                     "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "a", "image": "b"}]}}}}}}


def _tz_problems(tz: str) -> list:
    return [p for p in rules.check(_cron(tz), Context(kube_version=(1, 37))) if p.rule == "cronjob-time-zone"]


def test_time_zone_with_a_tz_database(monkeypatch) -> None:
    from k8sgen.validate.rules import batch

    monkeypatch.setattr(batch, "_known_zones", lambda: frozenset({"America/New_York", "Europe/Berlin", "Etc/UTC"}))
    assert _tz_problems("Europe/Berlin") == [] and _tz_problems("UTC") == []
    [bad] = _tz_problems("Europe/Berln")
    assert bad.message == 'Invalid value: "Europe/Berln": unknown time zone Europe/Berln'
    assert bad.hint == 'did you mean "Europe/Berlin"?'


def test_time_zone_without_a_tz_database(monkeypatch) -> None:
    # No tz database on the machine: only names that cannot be right are errors, so a real
    # zone is never rejected.
    from k8sgen.validate.rules import batch

    monkeypatch.setattr(batch, "_known_zones", lambda: frozenset())
    assert _tz_problems("America/Gotham") == [] and _tz_problems("Europe/Berlin") == []
    assert len(_tz_problems("Mars/Olympus")) == 1
    assert len(_tz_problems("America/New York")) == 1


def test_missing_template_is_defaulted_and_validated_like_a_zero_struct() -> None:
    # Go's PodTemplateSpec is a struct: an absent template is defaulted (restartPolicy Always)
    # and then fails for having no containers, not for its restartPolicy.
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"a": "b"}}}}
    found = {(p.rule, ".".join(map(str, p.path))) for p in rules.check(defaults.apply(ds), Context(kube_version=(1, 37))) if p.is_error}
    assert "spec.template.spec.containers" in {path for _, path in found}, found
    assert not any(rule == "workload-restart-policy" for rule, _ in found), found
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "r"}, "spec": {"selector": {"a": "b"}}}
    found = {(p.rule, ".".join(map(str, p.path))) for p in rules.check(defaults.apply(rc), Context(kube_version=(1, 37))) if p.is_error}
    assert found == {("replicationcontroller-spec", "spec.template")}, found  # an RC's template is a pointer
