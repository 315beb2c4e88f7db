"""Workloads, configuration, storage and tokens (issue 12): each kind from a short spec, accepted
by kubernetes-validate (official schemas, strict) and kubectl's parser; selectors, StatefulSet
Services, hash suffixes, file confinement, Secret redaction and the deprecated spelling."""

from __future__ import annotations

import base64
import json
import os
import subprocess

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import k8sgen
from conftest import require_tool, run_cli
from k8sgen.errors import K8sgenError

RES = {"limits": {"cpu": "100m", "memory": "64Mi"}}

# One short spec per new kind (and combination); each must render without errors.
SPECS = {
    "deployment": {"deployments": {"web": {"image": "nginx:1.27", "replicas": 2, "strategy": "Recreate", "ports": ["http:80"], "resources": RES,
                                           "minReadySeconds": 5, "revisionHistoryLimit": 3, "progressDeadlineSeconds": 120}}},
    "deployment-long-form": {"deployments": {"web": {"labels": {"app": "web", "tier": "front"}, "selector": {"app": "web"},
                                                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                                                     "initContainers": {"init": {"image": "busybox:1.36", "command": ["true"], "resources": RES}},
                                                     "containers": {"app": {"image": "nginx:1.27", "resources": RES}, "side": {"image": "busybox:1.36", "resources": RES}},
                                                     "volumes": {"tmp": {"emptyDir": {}}}, "podSecurityContext": {"runAsNonRoot": True}}}},
    "statefulset": {"statefulSets": {"db": {"image": "postgres:17", "ports": ["pg:5432", 9187], "podManagementPolicy": "Parallel", "updateStrategy": "OnDelete",
                                            "volumeClaims": {"data": {"size": "1Gi", "accessModes": ["ReadWriteOncePod"], "storageClass": "fast"}},
                                            "mounts": {"/data": "data"}, "resources": RES}}},
    "statefulset-own-service": {"statefulSets": {"db": {"image": "postgres:17", "service": "db-hl", "resources": RES}},
                                "services": {"db-hl": {"headless": True, "selectWorkload": "db", "ports": [5432]}}},
    "daemonset": {"daemonSets": {"agent": {"image": "fluent/fluent-bit:3.2", "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}, "resources": RES}}},
    "job": {"jobs": {"once": {"image": "busybox:1.36", "command": ["echo", "hi"], "completions": 3, "parallelism": 2, "backoffLimit": 1,
                              "activeDeadlineSeconds": 60, "ttlSecondsAfterFinished": 30, "completionMode": "Indexed", "restartPolicy": "OnFailure", "resources": RES}}},
    "cronjob": {"cronJobs": {"tick": {"image": "busybox:1.36", "schedule": "*/5 * * * *", "timeZone": "Etc/UTC", "concurrencyPolicy": "Replace",
                                      "successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 1, "startingDeadlineSeconds": 30, "suspend": True,
                                      "parallelism": 1, "resources": RES}}},
    "workload-api-proxy": {"serviceAccounts": {"reader": {"rules": [{"resources": ["pods"], "verbs": ["get"]}]}},
                           "deployments": {"api": {"image": "curlimages/curl:8.11.1", "serviceAccount": "reader", "apiProxy": True, "resources": RES,
                                                   "downward": {"env": {"POD": "metadata.name"}}}}},
    "config-and-secret": {"configMaps": {"cfg": {"data": {"MODE": "x"}, "immutable": True}}, "secrets": {"tls": {"type": "kubernetes.io/tls", "data": {"tls.crt": "C", "tls.key": "K"}}}},
    "pvc-and-pv": {"persistentVolumeClaims": {"data": {"size": "5Gi", "storageClass": "", "volumeMode": "Filesystem", "selector": {"tier": "a"}}},
                   "persistentVolumes": {"nfs": {"capacity": "5Gi", "accessModes": ["ReadWriteMany"], "nfs": {"server": "10.0.0.1", "path": "/x"}, "mountOptions": ["hard"], "labels": {"tier": "a"}},
                                         "csi": {"capacity": "1Gi", "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1", "fsType": "ext4"}, "reclaimPolicy": "Delete", "claimRef": {"name": "x", "namespace": "other"}},
                                         "host": {"capacity": "1Gi", "hostPath": {"path": "/mnt", "type": "DirectoryOrCreate"}, "volumeMode": "Filesystem"}}},
    "token-secret": {"serviceAccounts": {"ci": {"tokenSecret": True}}},
}


def _render(spec) -> k8sgen.pipeline.Result:
    return k8sgen.render_specs([spec])


def _objects(spec) -> list:
    result = _render(spec)
    assert result.errors == [], result.errors
    return [r.obj for r in result.objects]


def _by_kind(objs: list, kind: str) -> list:
    return [o for o in objs if o["kind"] == kind]


def _messages(spec) -> list:
    with pytest.raises(K8sgenError) as e:
        k8sgen.render(spec)
    return [p.message for p in e.value.problems]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_kubernetes_validate_accepts(name):
    import kubernetes_validate

    from k8sgen.validate.k8s_schema import DEFAULT_VERSION

    for obj in _objects(SPECS[name]):
        kubernetes_validate.validate(obj, DEFAULT_VERSION + ".0", strict=True)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_kubectl_reads_the_same_objects(name, tmp_path):
    kubectl = require_tool("kubectl")
    result = _render(SPECS[name])
    f = tmp_path / "out.yaml"
    f.write_text("".join("---\n" + r.text for r in result.objects))
    proc = subprocess.run([kubectl, "label", "--local", "-f", str(f), "k8sgen-test=ok", "-o", "json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    dec, items, i, text = json.JSONDecoder(), [], 0, proc.stdout
    while text[i:].strip():
        while text[i].isspace():
            i += 1
        obj, i = dec.raw_decode(text, i)
        items.append(obj)
    assert len(items) == len(result.objects)
    for got, r in zip(items, result.objects):
        got["metadata"]["labels"].pop("k8sgen-test")
        if not got["metadata"]["labels"]:
            del got["metadata"]["labels"]
        assert got == r.obj


def test_apply_order():
    spec = {**SPECS["config-and-secret"], **SPECS["pvc-and-pv"], **SPECS["token-secret"], **SPECS["deployment"],
            "statefulSets": SPECS["statefulset"]["statefulSets"], "cronJobs": SPECS["cronjob"]["cronJobs"], "pods": {"p": {"image": "x:1", "resources": RES}}}
    kinds = [o["kind"] for o in _objects(spec)]
    order = ["ServiceAccount", "Secret", "ConfigMap", "PersistentVolume", "PersistentVolumeClaim", "Service", "Deployment", "StatefulSet", "CronJob", "Pod"]
    assert [k for k in dict.fromkeys(kinds)] == order


# --- selectors --------------------------------------------------------------------------------


def test_selector_defaults_to_a_name_label():
    [d] = _objects(SPECS["deployment"])
    assert d["metadata"]["labels"] == {"app.kubernetes.io/name": "web"}
    assert d["spec"]["selector"] == {"matchLabels": {"app.kubernetes.io/name": "web"}}
    assert d["spec"]["template"]["metadata"]["labels"] == {"app.kubernetes.io/name": "web"}


def test_selector_is_the_entry_labels_not_the_common_ones():
    objs = _objects({"labels": {"team": "a"}, "deployments": {"web": {"image": "x:1", "labels": {"app": "web"}, "resources": RES}}})
    [d] = objs
    assert d["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert d["spec"]["template"]["metadata"]["labels"] == {"team": "a", "app": "web"}


def test_explicit_selector_must_select_own_pods():
    msgs = _messages({"deployments": {"web": {"image": "x:1", "labels": {"app": "web"}, "selector": {"app": "other"}}}})
    assert msgs == ["selector label 'app' is not one of this workload's pod labels"]


def test_jobs_have_no_selector_and_restart_never():
    [j] = _objects({"jobs": {"j": {"image": "x:1", "resources": RES}}})
    assert "selector" not in j["spec"]
    assert j["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    [c] = _objects(SPECS["cronjob"])
    assert c["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize("key,policy", [("jobs", "Always"), ("deployments", "Never"), ("statefulSets", "OnFailure")])
def test_restart_policy_the_api_server_refuses_is_a_spec_error(key, policy):
    with pytest.raises(K8sgenError) as e:
        k8sgen.render({key: {"w": {"image": "x:1", "restartPolicy": policy}}})
    assert [p.rule for p in e.value.problems] == ["spec-enum"]


def test_select_workload():
    objs = _objects({**SPECS["deployment"], "services": {"web": {"selectWorkload": "web", "ports": ["80:http"]}}})
    [svc] = _by_kind(objs, "Service")
    assert svc["spec"]["selector"] == {"app.kubernetes.io/name": "web"}


@pytest.mark.parametrize("svc,message", [
    ({"selectWorkload": "nope", "ports": [80]}, "selectWorkload names 'nope', which is no workload of this spec"),
    ({"selectWorkload": "web", "selector": {"a": "b"}, "ports": [80]}, "give selector or selectWorkload, not both"),
])
def test_select_workload_errors(svc, message):
    assert _messages({**SPECS["deployment"], "services": {"s": svc}}) == [message]


def test_two_workloads_with_one_name():
    msgs = _messages({"deployments": {"web": {"image": "x:1"}}, "jobs": {"web": {"image": "x:1"}}})
    assert msgs == ["two workloads are named 'web' (also deployments.web)"]


# --- StatefulSets -----------------------------------------------------------------------------


def test_statefulset_makes_its_headless_service_for_stable_dns():
    objs = _objects(SPECS["statefulset"])
    [svc], [sts] = _by_kind(objs, "Service"), _by_kind(objs, "StatefulSet")
    # Pods db-0, db-1… get db-N.SERVICE.NS.svc because the governing Service is headless and
    # selects exactly the StatefulSet's pods.
    assert sts["spec"]["serviceName"] == svc["metadata"]["name"] == "db"
    assert svc["spec"]["clusterIP"] == "None"
    assert svc["spec"]["selector"] == sts["spec"]["selector"]["matchLabels"]
    assert [p["name"] for p in svc["spec"]["ports"]] == ["pg", "tcp-9187"]
    [tmpl] = sts["spec"]["volumeClaimTemplates"]
    assert tmpl == {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOncePod"], "resources": {"requests": {"storage": "1Gi"}}, "storageClassName": "fast"}}
    assert sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] == [{"name": "data", "mountPath": "/data"}]


def test_statefulset_checks_the_spec_service():
    objs = _objects(SPECS["statefulset-own-service"])
    assert [o["metadata"]["name"] for o in _by_kind(objs, "Service")] == ["db-hl"]
    msgs = _messages({"statefulSets": {"db": {"image": "x:1"}}, "services": {"db": {"selectWorkload": "db", "ports": [80]}}})
    assert msgs == ["StatefulSet 'db' needs its Service 'db' to be headless"]


def test_statefulset_with_external_service_makes_none():
    objs = _objects({"statefulSets": {"db": {"image": "x:1", "resources": RES}}, "external": {"services": ["db"]}})
    assert _by_kind(objs, "Service") == []


def test_mount_of_unknown_claim():
    msgs = _messages({"statefulSets": {"db": {"image": "x:1", "mounts": {"/d": "data"}}}})
    assert msgs == ["mount '/d' names volume 'data', which this pod does not have"]


# --- the pod template is the pod spec ---------------------------------------------------------


def test_workload_pod_spec_equals_the_pod_spec():
    """Everything a pod takes, a workload takes, rendered by the same lines."""
    pod = SPECS["deployment-long-form"]["deployments"]["web"]
    pod_only = {k: v for k, v in pod.items() if k not in ("strategy", "selector")}
    [p] = _objects({"pods": {"web": pod_only}})
    [d] = _objects(SPECS["deployment-long-form"])
    assert d["spec"]["template"]["spec"] == p["spec"]
    assert d["spec"]["template"]["metadata"]["labels"] == p["metadata"]["labels"]


# --- ConfigMaps and Secrets -------------------------------------------------------------------


def _spec_file(tmp_path, text: str):
    f = tmp_path / "app.yaml"
    f.write_text(text)
    return f


def test_files_text_and_binary(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "a.conf").write_text("x = 1\n")
    (tmp_path / "conf" / "blob").write_bytes(b"\x00\xff\x01")
    f = _spec_file(tmp_path, "configMaps:\n  c:\n    files: [conf/a.conf, conf/blob]\nsecrets:\n  s:\n    files: {key: conf/blob}\n")
    objs = k8sgen.render(str(f))
    cm, sec = _by_kind(objs, "ConfigMap")[0], _by_kind(objs, "Secret")[0]
    assert cm["data"] == {"a.conf": "x = 1\n"}
    assert cm["binaryData"] == {"blob": base64.b64encode(b"\x00\xff\x01").decode()}
    assert sec["data"] == {"key": base64.b64encode(b"\x00\xff\x01").decode()}


@pytest.mark.parametrize("path,message", [
    ("/etc/passwd", "file '/etc/passwd' is outside the spec's directory"),
    ("../secret.txt", "file '../secret.txt' is outside the spec's directory"),
    ("sub/../../secret.txt", "file 'sub/../../secret.txt' is outside the spec's directory"),
    ("link", "file 'link' leads outside the spec's directory (through a symlink)"),
    ("linkdir/secret.txt", "file 'linkdir/secret.txt' leads outside the spec's directory (through a symlink)"),
    ("missing", "cannot read file 'missing': No such file or directory"),
    ("sub", "'sub' is not a regular file"),
    ("fifo", "'fifo' is not a regular file"),
])
def test_files_are_confined_to_the_spec_directory(tmp_path, path, message):
    outside = tmp_path / "secret.txt"
    outside.write_text("top secret")
    d = tmp_path / "spec"
    (d / "sub").mkdir(parents=True)
    os.symlink(outside, d / "link")
    os.symlink(tmp_path, d / "linkdir")
    os.mkfifo(d / "fifo")
    f = _spec_file(d, f"configMaps:\n  c:\n    files: {{k: {json.dumps(path)}}}\n")
    ran = run_cli("render", str(f))
    assert ran.code == 1 and ran.out == ""
    assert f"{f}:3:16: error: {message} (spec-file)" in ran.err
    assert "top secret" not in ran.err


def test_files_need_a_spec_file():
    assert _messages({"configMaps": {"c": {"files": ["a"]}}}) == ["files need a spec file on disk to be relative to; <spec> is not one"]


def test_symlink_inside_the_directory_is_fine(tmp_path):
    (tmp_path / "real.conf").write_text("ok")
    os.symlink("real.conf", tmp_path / "alias.conf")
    f = _spec_file(tmp_path, "configMaps:\n  c:\n    files: [alias.conf]\n")
    assert _by_kind(k8sgen.render(str(f)), "ConfigMap")[0]["data"] == {"alias.conf": "ok"}


def _cm_name(data: dict, **extra) -> str:
    objs = _objects({"configMaps": {"c": {"data": data, "hashSuffix": True, **extra}}})
    return objs[0]["metadata"]["name"]


def test_hash_suffix_changes_when_and_only_when_content_changes():
    a = _cm_name({"k": "v"})
    assert a.startswith("c-") and len(a) == 12
    assert _cm_name({"k": "v"}) == a
    assert _cm_name({"k": "v"}, labels={"x": "y"}, annotations={"n": "m"}) == a  # metadata is not content
    assert _cm_name({"k": "w"}) != a
    assert _cm_name({"k": "v", "k2": "v"}) != a
    assert _cm_name({"K": "v"}) != a


def test_hash_suffix_matches_kustomize(tmp_path):
    kubectl = require_tool("kubectl")
    (tmp_path / "f.txt").write_text("line <one> & \"two\"\n")
    (tmp_path / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: c\n  literals: [MODE=prod]\n  files: [f.txt]\n"
        "secretGenerator:\n- name: s\n  literals: [pw=s3cr&t]\n"
    )
    proc = subprocess.run([kubectl, "kustomize", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    want = sorted(o["metadata"]["name"] for o in yaml.safe_load_all(proc.stdout))
    f = _spec_file(tmp_path, "configMaps:\n  c:\n    hashSuffix: true\n    data: {MODE: prod}\n    files: [f.txt]\n"
                             "secrets:\n  s:\n    hashSuffix: true\n    data: {pw: s3cr&t}\n")
    got = sorted(o["metadata"]["name"] for o in k8sgen.render(str(f)))
    assert got == want


def test_every_reference_follows_the_final_name():
    spec = {
        "configMaps": {"cfg": {"data": {"A": "1"}, "hashSuffix": True}},
        "secrets": {"sec": {"data": {"B": "2"}, "hashSuffix": True}},
        "deployments": {"web": {"image": "x:1", "resources": RES,
                                "env": {"A": {"configMapKeyRef": {"name": "cfg", "key": "A"}}, "B": {"secretKeyRef": {"name": "sec", "key": "B"}}},
                                "envFrom": [{"configMap": "cfg"}, {"secret": "sec"}],
                                "volumes": {"c": {"configMap": "cfg"}, "s": {"secret": {"name": "sec"}}}}},
    }
    objs = _objects(spec)
    cm, sec = _by_kind(objs, "ConfigMap")[0]["metadata"]["name"], _by_kind(objs, "Secret")[0]["metadata"]["name"]
    pod = _by_kind(objs, "Deployment")[0]["spec"]["template"]["spec"]
    c = pod["containers"][0]
    assert [e["valueFrom"] for e in c["env"]] == [{"configMapKeyRef": {"name": cm, "key": "A"}}, {"secretKeyRef": {"name": sec, "key": "B"}}]
    assert c["envFrom"] == [{"configMapRef": {"name": cm}}, {"secretRef": {"name": sec}}]
    assert pod["volumes"] == [{"name": "c", "configMap": {"name": cm}}, {"name": "s", "secret": {"secretName": sec}}]
    assert cm != "cfg" and sec != "sec"


def test_key_given_twice(tmp_path):
    (tmp_path / "A").write_text("x")
    f = _spec_file(tmp_path, "configMaps:\n  c:\n    data: {A: y}\n    files: [A]\n")
    ran = run_cli("render", str(f))
    assert ran.code == 1 and "key 'A' is given twice (data and files, or two files) (spec-config)" in ran.err


# --- Secrets never shown ----------------------------------------------------------------------

SECRET = "hunter2-very-secret"


def test_secret_values_are_base64_in_the_output():
    [s] = _objects({"secrets": {"s": {"data": {"pw": SECRET}}}})
    assert s["data"] == {"pw": base64.b64encode(SECRET.encode()).decode()} and "stringData" not in s


def test_secret_values_never_in_check_diffs(tmp_path):
    f = _spec_file(tmp_path, f"outputDir: out\nsecrets:\n  s:\n    data: {{pw: {SECRET}}}\nconfigMaps:\n  c:\n    data: {{MODE: visible}}\n")
    assert run_cli("render", str(f), "--write").code == 0
    f.write_text(f.read_text().replace(SECRET, SECRET + "-changed").replace("visible", "shown"))
    ran = run_cli("render", str(f), "--check")
    assert ran.code == 1
    encoded = [base64.b64encode(v.encode()).decode() for v in (SECRET, SECRET + "-changed")]
    assert all(v not in ran.out for v in [SECRET, *encoded]), ran.out
    assert "-  pw: \"<redacted, 19 bytes>\"\n+  pw: \"<redacted, 27 bytes>\"\n" in ran.out
    assert "+  MODE: shown\n" in ran.out  # other objects still diff in full


def test_same_length_secret_change_is_reported_without_values(tmp_path):
    f = _spec_file(tmp_path, f"outputDir: out\nsecrets:\n  s:\n    data: {{pw: {SECRET}}}\n")
    assert run_cli("render", str(f), "--write").code == 0
    f.write_text(f.read_text().replace(SECRET, SECRET.upper()))
    ran = run_cli("render", str(f), "--check")
    assert ran.code == 1 and "@@ Secret values changed (not shown) @@" in ran.out
    assert SECRET.upper() not in ran.out and SECRET not in ran.out


def test_secret_values_never_in_messages():
    # A lone surrogate can only come from the Python API or --set; its message quotes the text.
    with pytest.raises(K8sgenError) as e:
        k8sgen.render({"secrets": {"s": {"data": {"pw": SECRET + "\ud800"}}}})
    assert e.value.problems and all(SECRET not in p.message + p.hint for p in e.value.problems)


def test_secret_values_redacted_whatever_rule_quotes_them():
    from k8sgen.errors import Problem
    from k8sgen.pipeline import _redact_secrets

    result = k8sgen.render_specs([{"secrets": {"s": {"data": {"pw": SECRET}}}}])
    leaky = [Problem(message=f"value {SECRET!r} and {base64.b64encode(SECRET.encode()).decode()}", rule="x", hint=SECRET)]
    [p] = _redact_secrets(leaky, result.objects)
    assert p.message == "value '<redacted, 19 bytes>' and <redacted, 19 bytes>" and p.hint == "<redacted, 19 bytes>"


# --- storage ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pv,message", [
    ({"capacity": "1Gi"}, "a PersistentVolume has exactly one source (hostPath, local, nfs, csi), this one has none"),
    ({"capacity": "1Gi", "hostPath": "/a", "nfs": {"server": "s", "path": "/p"}}, "a PersistentVolume has exactly one source (hostPath, local, nfs, csi), this one has 2"),
    ({"capacity": "1Gi", "local": "/mnt/disk"}, "a local PersistentVolume needs nodeAffinity (the node that holds the disk)"),
])
def test_persistent_volume_errors(pv, message):
    assert _messages({"persistentVolumes": {"pv": pv}}) == [message]


def test_static_binding():
    objs = _objects({"persistentVolumes": {"pv": {"capacity": "1Gi", "local": "/mnt/d", "nodeAffinity": {"kubernetes.io/hostname": ["n1", "n2"]}, "claimRef": "data", "storageClass": "manual"}},
                     "persistentVolumeClaims": {"data": {"size": "1Gi", "storageClass": "manual", "volumeName": "pv"}}})
    pv, pvc = _by_kind(objs, "PersistentVolume")[0], _by_kind(objs, "PersistentVolumeClaim")[0]
    assert "namespace" not in pv["metadata"]
    assert pv["spec"]["claimRef"] == {"name": "data", "namespace": "default"}
    assert pv["spec"]["nodeAffinity"] == {"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["n1", "n2"]}]}]}}
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pvc["spec"] == {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "storageClassName": "manual", "volumeName": "pv"}


# --- tokens and the one name per idea ---------------------------------------------------------


def test_token_secret_and_its_warning():
    result = _render(SPECS["token-secret"])
    [s] = [r.obj for r in result.objects if r.kind == "Secret"]
    assert s["type"] == "kubernetes.io/service-account-token"
    assert s["metadata"] == {"name": "ci-token", "namespace": "default", "annotations": {"kubernetes.io/service-account.name": "ci"}}
    assert [p.rule for p in result.warnings] == ["lint-token-secret"]
    assert "kubectl create token ci" in result.warnings[0].hint


def test_cluster_and_cluster_wide_together_is_an_error():
    msgs = _messages({"bindings": {"b": {"clusterRole": "view", "cluster": True, "clusterWide": True, "subjects": [{"group": "g"}]}}})
    assert msgs == ["cluster and clusterWide say the same thing"]


def test_cluster_binding_needs_a_cluster_role():
    msgs = _messages({"bindings": {"b": {"role": "r", "cluster": True, "subjects": [{"group": "g"}]}}})
    assert msgs == ["cluster needs a clusterRole"]


def test_new_kinds_render_without_warnings_through_the_cli(tmp_path):
    f = _spec_file(tmp_path, yaml.safe_dump({k: v for name in ("deployment", "statefulset", "cronjob", "pvc-and-pv") for k, v in SPECS[name].items()}))
    # Under baseline: the recommended checks (probes, non-root...) judge what these specs leave
    # out; the point here is that rendering the kinds adds nothing to warn about.
    ran = run_cli("render", str(f), "--profile", "baseline")
    assert ran.code == 0 and ran.err == "", ran.err


@pytest.mark.parametrize("kind", ["deployment", "statefulSet", "daemonSet", "job", "cronJob"])
def test_every_workload_takes_everything_a_pod_takes(kind):
    """The schema's workload entries share the pod's properties by reference ($ref into
    #/$defs/pod/properties), so the two cannot drift apart."""
    from k8sgen.spec_schema import spec_schema

    defs = spec_schema()["$defs"]
    pod, workload = defs["pod"]["properties"], defs[kind]["properties"]
    reworded = {"restartPolicy", "labels", "annotations", "like"}  # same keys, the workload's own wording
    # `like` names an entry of the entry's own section; CronJobs have none (their schedule is required).
    assert set(pod) - ({"like"} if kind == "cronJob" else set()) <= set(workload)
    for k in set(pod) - reworded:
        assert workload[k] == {"$ref": f"#/$defs/pod/properties/{k}", "description": pod[k]["description"], "examples": pod[k]["examples"]}


def test_the_spec_schema_keeps_its_compiled_fast_check():
    """A keyword the compiled check lacks would silently send every render through jsonschema."""
    from k8sgen import spec_schema

    assert spec_schema._fast_check() is not None


@pytest.mark.parametrize("key,field,value,message", [
    ("deployments", "replicas", -1, "replicas must not be negative, not -1"),
    ("jobs", "activeDeadlineSeconds", 0, "activeDeadlineSeconds must be greater than 0, not 0"),
    ("cronJobs", "backoffLimit", -2, "backoffLimit must not be negative, not -2"),
])
def test_negative_counts(key, field, value, message):
    entry = {"image": "x:1", field: value, **({"schedule": "@daily"} if key == "cronJobs" else {})}
    assert _messages({key: {"w": entry}}) == [message]


_KEYS = st.from_regex(r"[A-Za-z0-9._-]{1,12}", fullmatch=True).filter(lambda k: k not in (".", ".."))
_DATA = st.dictionaries(_KEYS, st.text(st.characters(blacklist_categories=("Cs",)), max_size=20), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(a=_DATA, b=_DATA, kind=st.sampled_from(["ConfigMap", "Secret"]))
def test_hash_suffix_is_a_function_of_the_content(a, b, kind):
    from k8sgen.normalize import config
    from k8sgen.normalize.base import Context
    from k8sgen.source import Document, PositionMap

    def name(data: dict) -> str:
        key = "configMaps" if kind == "ConfigMap" else "secrets"
        cx = Context(Document({key: {"x": {"data": data, "hashSuffix": True}}}, PositionMap("<spec>")))
        config.normalize(cx)
        [item] = cx.items
        return item.name

    assert name(a) == name(dict(reversed(list(a.items()))))  # key order is not content
    assert (name(a) == name(b)) == (a == b)


def test_secret_values_never_in_against_diffs(tmp_path):
    f = _spec_file(tmp_path, f"secrets:\n  s:\n    data: {{pw: {SECRET}}}\n")
    current = tmp_path / "current.yaml"
    current.write_text(run_cli("render", str(f)).out.replace(base64.b64encode(SECRET.encode()).decode(), base64.b64encode(b"old-value").decode()))
    ran = run_cli("render", str(f), "--check", "--against", str(current))
    assert ran.code == 1
    assert '-  pw: "<redacted, 9 bytes>"\n+  pw: "<redacted, 19 bytes>"\n' in ran.out
    assert base64.b64encode(SECRET.encode()).decode() not in ran.out and base64.b64encode(b"old-value").decode() not in ran.out


def test_output_dir_names_every_kind_as_kustomize_does(tmp_path):
    kubectl = require_tool("kubectl")
    spec = {**SPECS["config-and-secret"], **SPECS["pvc-and-pv"], **SPECS["token-secret"], **SPECS["deployment"],
            "statefulSets": SPECS["statefulset"]["statefulSets"], "daemonSets": SPECS["daemonset"]["daemonSets"],
            "jobs": SPECS["job"]["jobs"], "cronJobs": SPECS["cronjob"]["cronJobs"]}
    f = _spec_file(tmp_path, yaml.safe_dump(spec))
    ran = run_cli("render", str(f), "--output-dir", str(tmp_path / "base"))
    assert ran.code == 0, ran
    ours = sorted(p.name for p in (tmp_path / "base").glob("*.yaml") if p.name != "kustomization.yaml")
    (tmp_path / "theirs").mkdir()
    proc = subprocess.run([kubectl, "kustomize", str(tmp_path / "base"), "-o", str(tmp_path / "theirs")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert ours == sorted(p.name for p in (tmp_path / "theirs").iterdir())
    assert "apps_v1_statefulset_db.yaml" in ours and "batch_v1_cronjob_tick.yaml" in ours and "v1_persistentvolume_nfs.yaml" in ours


def test_validate_never_quotes_a_secret_value(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  pin: 98765\n")
    ran = run_cli("validate", str(f))
    assert ran.code == 1 and "98765" not in ran.err
    assert 'hint: quote the value: "<redacted, 5 bytes>"' in ran.err


def test_list_form_file_problem_points_at_the_item(tmp_path):
    f = _spec_file(tmp_path, "configMaps:\n  c:\n    files:\n      - ok.txt\n      - ../out.txt\n")
    (tmp_path / "ok.txt").write_text("ok")
    ran = run_cli("render", str(f))
    assert ran.code == 1 and f"{f}:5:9: error: file '../out.txt' is outside the spec's directory (spec-file)" in ran.err
