"""Shared by the round-trip tests: each string-valued spec field, where it lands in the output,
and the real pipeline from a spec (dict, YAML text or JSON text) to parsed output.

A field is `Field(id, build, find, free)`: `build(s)` is a spec holding the string `s` in that
field, `find(objects)` picks the value back out of the rendered objects, and `free` says the
API takes any text there (so a validation error is itself a failure) rather than a name, an
address or a label value (where most strings are rightly refused).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from k8sgen import report, yamltext
from k8sgen.commands.render import stream_text
from k8sgen.errors import K8sgenError
from k8sgen.pipeline import parse_spec_text, render_specs

POD = {"image": "nginx:1.27", "automountServiceAccountToken": False, "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}}


def _one(objects: list, kind: str) -> dict:
    [obj] = [o for o in objects if o["kind"] == kind]
    return obj


def _pod(objects: list) -> dict:
    return _one(objects, "Pod")


def _container(objects: list) -> dict:
    return _pod(objects)["spec"]["containers"][0]


def _only_key(d: dict) -> str:
    [k] = d
    return k


def _pod_with(**fields) -> dict:
    return {"pods": {"web": {**POD, **fields}}}


def _any(s: str) -> bool:
    return True


def _nonempty(s: str) -> bool:
    return s != ""


def _never(s: str) -> bool:
    return False


@dataclass(frozen=True)
class Field:
    id: str
    build: Callable[[str], dict]
    find: Callable[[list], object]
    must_accept: Callable[[str], bool]  # the API takes this text here, so refusing it is a bug

    @property
    def free(self) -> bool:
        return self.must_accept is not _never


FIELDS = [
    Field("annotation-value", lambda s: _pod_with(annotations={"note": s}), lambda o: _pod(o)["metadata"]["annotations"]["note"], _any),
    Field("common-annotation-value", lambda s: {"annotations": {"note": s}, **_pod_with()}, lambda o: _pod(o)["metadata"]["annotations"]["note"], _any),
    Field("service-annotation-value", lambda s: {"services": {"ext": {"externalName": "example.com", "annotations": {"a": s}}}}, lambda o: _one(o, "Service")["metadata"]["annotations"]["a"], _any),
    Field("annotation-key", lambda s: _pod_with(annotations={s: "x"}), lambda o: _only_key(_pod(o)["metadata"]["annotations"]), _never),
    Field("label-value", lambda s: _pod_with(labels={"app": s}), lambda o: _pod(o)["metadata"]["labels"]["app"], _never),
    Field("label-key", lambda s: _pod_with(labels={s: "x"}), lambda o: _only_key(_pod(o)["metadata"]["labels"]), _never),
    Field("env-value", lambda s: _pod_with(env={"X": s}), lambda o: _container(o)["env"][0]["value"], _any),
    Field("env-long-value", lambda s: _pod_with(env={"X": {"value": s}}), lambda o: _container(o)["env"][0]["value"], _any),
    Field("env-name", lambda s: _pod_with(env={s: "v"}), lambda o: _container(o)["env"][0]["name"], _never),
    Field("command", lambda s: _pod_with(command=["sh", "-c", s]), lambda o: _container(o)["command"][2], _any),
    Field("args", lambda s: _pod_with(args=[s]), lambda o: _container(o)["args"][0], _any),
    Field("image", lambda s: _pod_with(image=s), lambda o: _container(o)["image"], _never),
    Field("working-dir", lambda s: _pod_with(workingDir=s), lambda o: _container(o)["workingDir"], _never),
    Field("mount-path", lambda s: _pod_with(mounts={s: "data"}, volumes={"data": {"emptyDir": {}}}), lambda o: _container(o)["volumeMounts"][0]["mountPath"], _never),
    Field("pod-name", lambda s: {"pods": {s: POD}}, lambda o: _pod(o)["metadata"]["name"], _never),
    Field("namespace", lambda s: {"namespace": s, **_pod_with()}, lambda o: _pod(o)["metadata"]["namespace"], _never),
    Field("node-selector-value", lambda s: _pod_with(nodeSelector={"disk": s}), lambda o: _pod(o)["spec"]["nodeSelector"]["disk"], _never),
    Field("hostname", lambda s: _pod_with(hostname=s), lambda o: _pod(o)["spec"]["hostname"], _never),
    Field("external-name", lambda s: {"services": {"ext": {"externalName": s}}}, lambda o: _one(o, "Service")["spec"]["externalName"], _never),
    Field("selector-value", lambda s: {"services": {"web": {"selector": {"app": s}, "ports": [80]}}}, lambda o: _one(o, "Service")["spec"]["selector"]["app"], _never),
    Field("endpoint-address", lambda s: {"services": {"db": {"endpoints": [s], "ports": [5432]}}}, lambda o: _one(o, "Endpoints")["subsets"][0]["addresses"][0]["ip"], _never),
    Field("subject-user", lambda s: {"bindings": {"b": {"clusterRole": "view", "subjects": [{"user": s}]}}}, lambda o: _one(o, "RoleBinding")["subjects"][0]["name"], _nonempty),
    Field("subject-group", lambda s: {"bindings": {"b": {"clusterRole": "view", "subjects": [{"group": s}]}}}, lambda o: _one(o, "RoleBinding")["subjects"][0]["name"], _nonempty),
    Field("service-account-name", lambda s: {"serviceAccounts": {s: {}}, **_pod_with(serviceAccount=s)}, lambda o: _pod(o)["spec"]["serviceAccountName"], _never),
    Field("subdomain", lambda s: _pod_with(subdomain=s), lambda o: _pod(o)["spec"]["subdomain"], _never),
    Field("container-name", lambda s: {"pods": {"web": {"containers": {s: POD}}}}, lambda o: _container(o)["name"], _never),
    Field("api-proxy-image", lambda s: _pod_with(apiProxy={"image": s}), lambda o: _pod(o)["spec"]["containers"][1]["image"], _never),
    Field("env-from-prefix", lambda s: _pod_with(envFrom=[{"configMap": "cm", "prefix": s}]), lambda o: _container(o)["envFrom"][0]["prefix"], _never),
    Field("env-from-config-map", lambda s: _pod_with(envFrom=[{"configMap": s}]), lambda o: _container(o)["envFrom"][0]["configMapRef"]["name"], _never),
    Field("config-map-key", lambda s: _pod_with(env={"X": {"configMapKeyRef": {"name": "cm", "key": s}}}), lambda o: _container(o)["env"][0]["valueFrom"]["configMapKeyRef"]["key"], _never),
    Field("secret-key-ref-name", lambda s: _pod_with(env={"X": {"secretKeyRef": {"name": s, "key": "k"}}}), lambda o: _container(o)["env"][0]["valueFrom"]["secretKeyRef"]["name"], _never),
    Field("sub-path", lambda s: _pod_with(mounts={"/data": {"volume": "data", "subPath": s}}, volumes={"data": {"emptyDir": {}}}), lambda o: _container(o)["volumeMounts"][0]["subPath"], _never),
    Field("volume-name", lambda s: _pod_with(mounts={"/data": s}, volumes={s: {"emptyDir": {}}}), lambda o: _pod(o)["spec"]["volumes"][0]["name"], _never),
    Field("config-map-item-path", lambda s: _pod_with(mounts={"/cfg": "cfg"}, volumes={"cfg": {"configMap": {"name": "cm", "items": {"k": s}}}}), lambda o: _pod(o)["spec"]["volumes"][0]["configMap"]["items"][0]["path"], _never),
    Field("claim-name", lambda s: _pod_with(mounts={"/pvc": "pvc"}, volumes={"pvc": {"persistentVolumeClaim": s}}), lambda o: _pod(o)["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"], _never),
    Field("token-audience", lambda s: _pod_with(mounts={"/tok": "tok"}, volumes={"tok": {"serviceAccountToken": {"audience": s}}}), lambda o: _pod(o)["spec"]["volumes"][0]["projected"]["sources"][0]["serviceAccountToken"]["audience"], _nonempty),
    Field("size-limit", lambda s: _pod_with(volumes={"d": {"emptyDir": {"sizeLimit": s}}}, mounts={"/d": "d"}), lambda o: _pod(o)["spec"]["volumes"][0]["emptyDir"]["sizeLimit"], _never),
    Field("resource-limit", lambda s: _pod_with(resources={"limits": {"cpu": "100m", "memory": s}}), lambda o: _container(o)["resources"]["limits"]["memory"], _never),
    Field("port-name", lambda s: _pod_with(ports=[{"port": 8080, "name": s}]), lambda o: _container(o)["ports"][0]["name"], _never),
    Field("service-target-port-name", lambda s: {"services": {"svc": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": s}]}}}, lambda o: _one(o, "Service")["spec"]["ports"][0]["targetPort"], _never),
    Field("app-protocol", lambda s: {"services": {"svc": {"selector": {"app": "web"}, "ports": [{"port": 80, "appProtocol": s}]}}}, lambda o: _one(o, "Service")["spec"]["ports"][0]["appProtocol"], _never),
    Field("rule-verb", lambda s: {"roles": {"r": {"rules": [{"resources": ["configmaps"], "verbs": [s]}]}}}, lambda o: _one(o, "Role")["rules"][0]["verbs"][0], _never),
    Field("rule-api-group", lambda s: {"roles": {"r": {"rules": [{"apiGroups": [s], "resources": ["widgets"], "verbs": ["get"]}]}}}, lambda o: _one(o, "Role")["rules"][0]["apiGroups"][0], _never),
    Field("non-resource-url", lambda s: {"roles": {"r": {"cluster": True, "rules": [{"nonResourceURLs": [s], "verbs": ["get"]}]}}}, lambda o: _one(o, "ClusterRole")["rules"][0]["nonResourceURLs"][0], _never),
    Field("subject-namespace", lambda s: {"bindings": {"b": {"clusterRole": "view", "subjects": [{"serviceAccount": "sa", "namespace": s}]}}}, lambda o: _one(o, "RoleBinding")["subjects"][0]["namespace"], _never),
    Field("binding-cluster-role", lambda s: {"bindings": {"b": {"clusterRole": s, "subjects": [{"user": "u"}]}}}, lambda o: _one(o, "RoleBinding")["roleRef"]["name"], _never),
    Field("role-name", lambda s: {"roles": {s: {"rules": [{"resources": ["pods"], "verbs": ["get"]}]}}}, lambda o: _one(o, "Role")["metadata"]["name"], _never),
    Field("service-name", lambda s: {"services": {s: {"externalName": "example.com"}}}, lambda o: _one(o, "Service")["metadata"]["name"], _never),
    Field("resource-name", lambda s: {"roles": {"r": {"rules": [{"resources": ["configmaps"], "verbs": ["get"], "resourceNames": [s]}]}}}, lambda o: _one(o, "Role")["rules"][0]["resourceNames"][0], _never),
]
FIELDS_BY_ID = {f.id: f for f in FIELDS}

ROUTES = ("dict", "yaml", "yaml-flow", "yaml-canonical", "json")
_YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def spec_source(spec: dict, route: str):
    """The spec as the pipeline takes it: a mapping, or a Document parsed from YAML/JSON text."""
    if route == "dict":
        return spec
    if route.startswith("yaml"):
        # Block style; flow style on one line; canonical: every scalar quoted and tagged (!!int "80").
        style = {"yaml": {}, "yaml-flow": {"default_flow_style": True}, "yaml-canonical": {"canonical": True}}[route]
        text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=10**9, **style)
        if "\x85" in text:
            # PyYAML's emitter writes NEL raw in single quotes, where every reader folds it
            # to a space (a PyYAML bug, not ours); our writer escapes it.
            text = yamltext.document(spec)
    else:
        # JSON is YAML, except that YAML text may not hold raw control characters (and reads
        # NEL and the Unicode line separators as line breaks): escape those, keep the rest raw.
        # Surrogate-pair escapes (json.dumps' default for emoji) are refused: docs/errors.md.
        text = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(spec, ensure_ascii=False))
    return parse_spec_text(text, "spec.yaml")


@dataclass
class Outcome:
    rejected: list  # error Problems (empty if rendered)
    outputs: dict  # name of an output -> list of objects parsed back from it


def render_all_ways(spec: dict, route: str) -> Outcome:
    """Render through the pipeline; parse every output form back with safe_load / json.loads."""
    try:
        result = render_specs([spec_source(spec, route)])
    except K8sgenError as e:
        assert e.problems and all(p.message for p in e.problems)
        return Outcome(e.problems, {})
    if result.errors:
        return Outcome(result.errors, {})
    try:
        through_dir = _through_output_dir(result.objects)
    except K8sgenError as e:  # names the API takes but no file system does (RBAC names)
        assert [p.rule for p in e.problems] == ["output-file-name"], e.problems
        return Outcome(e.problems, {})
    yaml_text = stream_text(result.objects, "yaml")
    json_text = stream_text(result.objects, "json")
    outputs = {
        "yaml-stream": list(yaml.safe_load_all(yaml_text)),
        "yaml-documents": [yaml.safe_load(o.text) for o in result.objects],
        "json-list": json.loads(json_text)["items"],
        "validated": [o.obj for o in result.objects],
        "output-dir": through_dir,
        "krm-resource-list": _through_krm(result.objects),
    }
    return Outcome([], outputs)


def _through_krm(objects: list) -> list:
    """The kustomize KRM function's ResourceList, minus the path annotations it adds."""
    from k8sgen.emit import krm

    items = yaml.safe_load(krm.resource_list_text("config.kubernetes.io/v1", [], objects, []))["items"]
    for obj in items:
        ann = obj["metadata"]["annotations"]
        for k in ("config.kubernetes.io/path", "internal.config.kubernetes.io/path"):
            ann.pop(k)
        if not ann:
            del obj["metadata"]["annotations"]
    return items


def _through_output_dir(objects: list) -> list:
    """The `--output-dir` emitter: write the directory for real, read every object file back."""
    from k8sgen.emit import directory, kustomize

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out"
        directory.write(directory.plan(target, objects))
        names = kustomize.file_names([o.obj for o in objects])
        return [yaml.safe_load((target / n).read_bytes().decode("utf-8")) for n in names]


def check_field(field: Field, value: str, route: str) -> bool:
    """Assert the round trip for one value; returns True if it rendered, False if refused."""
    outcome = render_all_ways(field.build(value), route)
    if outcome.rejected:  # one line per problem (plus a hint line), whatever the value holds
        text = report.parsable(outcome.rejected)
        assert len(text.splitlines()) == sum(1 + bool(p.hint) for p in outcome.rejected), (field.id, value, text)
    if outcome.rejected:
        assert not field.must_accept(value), f"{field.id}: {value!r} refused: {[p.message for p in outcome.rejected]}"
        return False
    for name, objects in outcome.outputs.items():
        got = field.find(objects)
        assert got == value and type(got) is str, f"{field.id} via {route}, {name}: wrote {value!r}, read back {got!r}"
    return True
