"""The committed nasty-string corpus (tests/corpus/) rendered for real, read back by PyYAML,
json and kubectl (whose go-yaml reads some plain scalars differently from PyYAML)."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import require_tool, run_cli
from k8sgen import yamltext
from roundtrip import POD, ROUTES, render_all_ways

CORPUS = Path(__file__).resolve().parent / "corpus"


def _lines(name: str) -> list[str]:
    with open(CORPUS / name, encoding="utf-8", newline="") as f:
        return [line for line in f.read().split("\n") if line and not line.startswith("##")]


NAUGHTY = _lines("naughty-strings.txt")
YAML_STRINGS = json.loads((CORPUS / "yaml-strings.json").read_text(encoding="utf-8"))
PLAIN_TRAPS = _lines("plain-traps.txt")
ALL = NAUGHTY + YAML_STRINGS


def corpus_spec(values: list[str]) -> dict:
    """Every value in every free-text field of one pod, and as RBAC subject names."""
    return {
        "annotations": {"common": values[0]},
        "pods": {"web": {
            **POD,
            "annotations": {f"n{i:03}": v for i, v in enumerate(values)},
            "env": {f"V{i:03}": v for i, v in enumerate(values)},
            "command": ["sh", "-c", *values],
            "args": list(values),
        }},
        "bindings": {"b": {"clusterRole": "view", "subjects": [{"user": v} for v in values if v]}},
    }


def check_corpus_objects(objects: list, values: list[str], where: str) -> None:
    [pod] = [o for o in objects if o["kind"] == "Pod"]
    [binding] = [o for o in objects if o["kind"] == "RoleBinding"]
    ann = pod["metadata"]["annotations"]
    c = pod["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in c["env"]}
    for i, v in enumerate(values):
        assert ann[f"n{i:03}"] == v, (where, "annotation", v)
        assert env[f"V{i:03}"] == v, (where, "env", v)
    assert c["command"] == ["sh", "-c", *values], where
    assert c["args"] == values, where
    assert [s["name"] for s in binding["subjects"]] == [v for v in values if v], where


def test_corpus_holds_the_traps():
    from test_roundtrip import TRAPS

    assert [t for t in TRAPS if t not in ALL] == []


def test_corpus_is_big_and_distinct():
    assert len(NAUGHTY) > 200 and len(YAML_STRINGS) > 80
    assert len(set(ALL)) == len(ALL), [v for v in ALL if ALL.count(v) > 1]


@pytest.mark.parametrize("route", ROUTES)
def test_corpus_through_the_pipeline(route):
    outcome = render_all_ways(corpus_spec(ALL), route)
    assert not outcome.rejected, [p.message for p in outcome.rejected][:5]
    for name, objects in outcome.outputs.items():
        check_corpus_objects(objects, ALL, f"{route}/{name}")


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("corpus") / "spec.yaml"
    f.write_text(yamltext.document(corpus_spec(ALL)), encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def rendered(corpus_file) -> str:
    ran = run_cli("render", str(corpus_file))
    assert ran.code == 0 and "error" not in ran.err, ran
    return ran.out


def test_corpus_through_the_cli(corpus_file, rendered):
    check_corpus_objects(list(yaml.safe_load_all(rendered)), ALL, "render -o yaml")
    ran = run_cli("render", str(corpus_file), "-o", "json")
    assert ran.code == 0, ran
    check_corpus_objects(json.loads(ran.out)["items"], ALL, "render -o json")


def test_corpus_through_output_dir(corpus_file, rendered, tmp_path):
    """`render --output-dir`: every object file reads back as the stream did, kustomize builds it."""
    ran = run_cli("render", str(corpus_file), "--output-dir", str(tmp_path / "out"))
    assert ran.code == 0, ran
    files = sorted(p for p in (tmp_path / "out").iterdir() if p.suffix == ".yaml" and p.name != "kustomization.yaml")
    objects = [yaml.safe_load(p.read_bytes().decode("utf-8")) for p in files]
    check_corpus_objects(objects, ALL, "--output-dir")
    assert sorted(objects, key=json.dumps) == sorted(yaml.safe_load_all(rendered), key=json.dumps)


def test_no_template_is_evaluated(rendered):
    assert "{{ 7*7 }}" in rendered and "{% for x in range(9) %}x{% endfor %}" in rendered
    assert ": 49\n" not in rendered and "- 49\n" not in rendered and "xxxxxxxxx" not in rendered


@pytest.mark.parametrize("field", ["annotation", "env", "command"])
def test_plain_traps_come_out_as_written(field):
    """`note: yes`, `X: 0755`, `- 1e3`: unquoted in the spec, still the same text in the output."""
    lines = ["pods:", "  web:", "    image: nginx:1.27"]
    if field == "annotation":
        lines += ["    annotations:"] + [f"      n{i:03}: {v}" for i, v in enumerate(PLAIN_TRAPS)] + ["      empty:"]
    elif field == "env":
        lines += ["    env:"] + [f"      V{i:03}: {v}" for i, v in enumerate(PLAIN_TRAPS)] + ["      EMPTY:"]
    else:
        lines += ["    command:"] + [f"    - {v}" for v in PLAIN_TRAPS] + ["    -"]
    ran = run_cli("render", "-", stdin="\n".join(lines) + "\n")
    assert ran.code == 0, ran
    for out in (ran.out, json.dumps(json.loads(run_cli("render", "-", "-o", "json", stdin="\n".join(lines) + "\n").out)["items"][0])):
        [pod] = list(yaml.safe_load_all(out))
        c = pod["spec"]["containers"][0]
        if field == "annotation":
            got = [pod["metadata"]["annotations"][f"n{i:03}"] for i in range(len(PLAIN_TRAPS))] + [pod["metadata"]["annotations"]["empty"]]
        elif field == "env":
            env = {e["name"]: e["value"] for e in c["env"]}
            got = [env[f"V{i:03}"] for i in range(len(PLAIN_TRAPS))] + [env["EMPTY"]]
        else:
            got = c["command"]
        assert got == PLAIN_TRAPS + [""]


# kubectl -----------------------------------------------------------------------------------


def kubectl_read(text: str) -> tuple[list, str]:
    """The objects kubectl decodes from a YAML stream (annotate --local changes nothing else)."""
    kubectl = require_tool("kubectl")
    p = subprocess.run([kubectl, "annotate", "--local", "-f", "-", "-o", "json", "k8sgen-check=1"], input=text.encode(), capture_output=True, timeout=120)
    dec, raw, objects = json.JSONDecoder(), p.stdout.decode(), []
    i = 0
    while raw[i:].strip():
        obj, end = dec.raw_decode(raw[i:].lstrip())
        i = len(raw) - len(raw[i:].lstrip()) + end
        obj["metadata"]["annotations"].pop("k8sgen-check")
        if not obj["metadata"]["annotations"]:
            del obj["metadata"]["annotations"]
        objects.append(obj)
    return objects, p.stderr.decode()


def test_kubectl_reads_the_rendered_corpus(rendered):
    objects, err = kubectl_read(rendered)
    assert err == ""
    check_corpus_objects(objects, ALL, "kubectl")


def _numberish(n: int) -> list[str]:
    """Strings shaped like the numbers, booleans and dates of some YAML reader."""
    rnd = random.Random(1)
    alphabet = "0123456789_.+-eExXoObBaAfF:tTzZyYnN"
    out = {"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6))) for _ in range(n)}
    out.update(f"{a}{b}" for a in ("", "+", "-", "0", "0x", "0X", "0o", "0O", "0b", "0B", ".", "1e", "1_") for b in ("1", "7", "9", "f", "F", "_1", "e1", ".5", "inf"))
    return sorted(out)


def _random_text(n: int) -> list[str]:
    """Seeded random strings over ASCII (indicators, spaces, controls) and all of Unicode."""
    rnd = random.Random(2)
    pools = [
        [chr(c) for c in range(0x20, 0x7F)],
        list(" \t\n\r-?:,[]{}#&*!|>'\"%@`\\"),
        [chr(c) for c in range(0, 0x20)] + ["\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"],
    ]

    def anychar() -> str:
        c = rnd.choice([rnd.randrange(0x80, 0xD800), rnd.randrange(0xE000, 0x110000)])
        return chr(c)

    out = []
    for _ in range(n):
        out.append("".join(rnd.choice(rnd.choice(pools)) if rnd.random() < 0.7 else anychar() for _ in range(rnd.randint(1, 12))))
    return out


def test_kubectl_and_pyyaml_read_every_written_string_alike():
    """The writer (k8sgen/yamltext.py) against go-yaml: one ConfigMap per string, as a value and
    as a key. kubectl drops a document it cannot decode (a string read as a number or bool)."""
    values = sorted(set(ALL + PLAIN_TRAPS + _numberish(1500) + _random_text(600)))
    docs = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"c{i}", "annotations": {"v": v}}, "data": {v or "empty": "k"}}
        for i, v in enumerate(values)
    ]
    text = "---\n".join(yamltext.document(d) for d in docs)
    assert list(yaml.safe_load_all(text)) == docs
    objects, err = kubectl_read(text)
    by_name = {o["metadata"]["name"]: o for o in objects}
    misread = [values[i] for i, d in enumerate(docs) if by_name.get(f"c{i}") != d]
    assert not misread and err == "", (misread[:20], err[:500])


def test_numbers_stay_numbers():
    """Where the API wants numbers (ports, modes, seconds), they come out as numbers, not text."""
    spec = """\
pods:
  web:
    image: nginx:1.27
    ports: [8080, "http:9090", {port: 7070, hostPort: 17070}]
    mounts: {/cfg: cfg}
    volumes:
      cfg: {configMap: {name: app, defaultMode: "0644"}}
    apiProxy: {port: 8002}
services:
  web:
    selector: {app: web}
    ports: ["80:8080", {port: 443, targetPort: 8443}]
"""
    ran = run_cli("render", "-", stdin=spec)
    assert ran.code == 0, ran
    for objects in (list(yaml.safe_load_all(ran.out)), json.loads(run_cli("render", "-", "-o", "json", stdin=spec).out)["items"]):
        pod = next(o for o in objects if o["kind"] == "Pod")
        svc = next(o for o in objects if o["kind"] == "Service")
        c = pod["spec"]["containers"][0]
        assert [p["containerPort"] for p in c["ports"]] == [8080, 9090, 7070] and c["ports"][2]["hostPort"] == 17070
        assert pod["spec"]["volumes"][0]["configMap"]["defaultMode"] == 0o644
        assert [(p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [(80, 8080), (443, 8443)]
        assert "--port=8002" in pod["spec"]["containers"][1]["args"]


def _line_break_text() -> list[str]:
    """Each line break either reader knows (and the vertical spaces neither does), alone and in
    every position of multi-line text that would otherwise be a literal block, next to text
    shaped like keys: seeded, so CI runs the same set every time."""
    breaks = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\v", "\f"]
    words = ["x", "key: value", "  hostNetwork: true", "- item", "# c", "", " ", "é"]
    out = set()
    for b in breaks:
        for w in words:
            out.update({b, f"{w}{b}", f"{b}{w}", f"a\n{w}{b}z", f"a\nb{b}{w}", f"{w}\n{b}\n", f"a{b}\n{w}"})
    rnd = random.Random(3)
    for _ in range(400):
        out.add("".join(rnd.choice(breaks + words) for _ in range(rnd.randint(2, 8))))
    return sorted(out)


def test_kubectl_and_pyyaml_read_line_breaks_of_every_kind_as_written():
    """The writer against both readers with every line-break class, as values and as keys (issue
    11: a raw U+2028 inside a literal block became new keys for both)."""
    values = _line_break_text()
    docs = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"c{i}", "annotations": {"v": v}}, "data": {v or "empty": v}}
        for i, v in enumerate(values)
    ]
    text = "---\n".join(yamltext.document(d) for d in docs)
    assert list(yaml.safe_load_all(text)) == docs
    objects, err = kubectl_read(text)
    by_name = {o["metadata"]["name"]: o for o in objects}
    misread = [values[i] for i, d in enumerate(docs) if by_name.get(f"c{i}") != d]
    assert not misread and err == "", (misread[:20], err[:500])
