"""`k8sgen import` end to end: exit codes, the stderr summary, -o writing (atomic, never over a
file it did not write), one spec per namespace, --check, stdin, and Secret values kept out of
every message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, without_summary

GOLDEN = ROOT / "examples" / "golden"


@pytest.fixture
def k8s(tmp_path) -> Path:
    d = tmp_path / "k8s"
    (d / "web").mkdir(parents=True)
    (d / "web" / "deploy.yaml").write_text((GOLDEN / "web-deployment.yaml").read_text())
    (d / "api.yaml").write_text((GOLDEN / "api-access.yaml").read_text())
    (d / "kustomization.yaml").write_text("resources: [api.yaml, web/deploy.yaml]\n")
    (d / ".hidden.yaml").write_text("not: [a manifest\n")
    return d


def test_adopt_in_two_commands(k8s, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ran = run_cli("import", "k8s/", "-o", "app.k8sgen.yaml")
    assert ran.code == 0, ran
    assert ran.out == ""
    assert ran.err == ("k8sgen: skipped k8s/kustomization.yaml: a kustomization (kustomize's own file, not a Kubernetes object)\n"
                       "k8sgen: imported 8 objects into app.k8sgen.yaml: 7 as shorthands, 1 kept verbatim under manifests:\n")  # the PodDisruptionBudget
    text = (tmp_path / "app.k8sgen.yaml").read_text()
    assert text.startswith("# k8sgen import wrote this spec (sha256:")
    checked = run_cli("import", "k8s/", "--check", "app.k8sgen.yaml")
    assert checked.code == 0, checked
    assert checked.out == ""
    assert "renders the same 8 objects" in checked.err
    rendered = run_cli("render", "app.k8sgen.yaml")
    assert rendered.code == 0, rendered


def test_stdout_and_stdin():
    text = (GOLDEN / "clusterip.yaml").read_text()
    ran = run_cli("import", "-", stdin=text)
    assert ran.code == 0, ran
    assert "services:" in ran.out and "pods:" in ran.out
    assert ran.err == "k8sgen: imported 2 objects: 2 as shorthands, 0 kept verbatim under manifests:\n"


def test_check_reports_what_differs(k8s, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text((ROOT / "examples" / "web-deployment.yaml").read_text().replace("replicas: 3", "replicas: 2"))
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "web.conf").write_text((ROOT / "examples" / "files" / "web.conf").read_text())
    ran = run_cli("import", "k8s/web", "--check", "spec.yaml")
    assert ran.code == 1, ran
    assert "changed: Deployment/default/web" in ran.out
    assert "-  replicas: 3" in ran.out and "+  replicas: 2" in ran.out
    ran = run_cli("import", "k8s/", "--check", "spec.yaml")
    assert ran.code == 1
    assert "missing: Pod/default/curl" in ran.out


def test_never_overwrites_a_file_it_did_not_write(k8s, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "app.k8sgen.yaml"
    mine.write_text("# my own spec\npods: {}\n")
    ran = run_cli("import", "k8s/", "-o", "app.k8sgen.yaml")
    assert ran.code == 1
    assert "app.k8sgen.yaml exists and k8sgen import did not write it" in ran.err and "(import-overwrite)" in ran.err
    assert mine.read_text() == "# my own spec\npods: {}\n"
    assert run_cli("import", "k8s/", "-o", "app.k8sgen.yaml", "--force").code == 0
    assert "# my own spec" not in mine.read_text()
    # Its own, unedited output it replaces; once edited, no longer.
    assert run_cli("import", "k8s/", "-o", "app.k8sgen.yaml").code == 0
    mine.write_text(mine.read_text() + "# edited\n")
    assert run_cli("import", "k8s/", "-o", "app.k8sgen.yaml").code == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".k8sgen-import-")] == []


def test_one_spec_per_namespace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: one}\ndata: {k: v}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: two}\ndata: {k: v}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: two}\ndata: {k: v}\n"
    )
    one = run_cli("import", "in.yaml")
    assert one.code == 0
    assert one.out.startswith("namespace: two\n") and "namespace: one" in one.out  # a stays verbatim
    assert "objects of namespace one stay verbatim in this spec; -o DIR/ writes one spec per namespace" in one.err
    ran = run_cli("import", "in.yaml", "-o", "specs/")
    assert ran.code == 0, ran
    assert sorted(os.listdir(tmp_path / "specs")) == ["one.k8sgen.yaml", "two.k8sgen.yaml"]
    assert "namespace: one\nconfigMaps:\n  a:" in (tmp_path / "specs" / "one.k8sgen.yaml").read_text()
    assert ran.err.count("kept verbatim") == 2


def test_invalid_manifests_get_the_problems_of_validate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, protocl: TCP}]\n")
    ran = run_cli("import", "bad.yaml", "-o", "out.yaml")
    validated = run_cli("validate", "bad.yaml")
    assert ran.code == validated.code == 1
    assert ran.err == without_summary(validated.err)  # the same problems; validate adds its summary line
    assert 'bad.yaml:5:22: error: Service/s: spec.ports[0].protocl: unknown field "protocl"' in ran.err
    assert not (tmp_path / "out.yaml").exists()


def test_unreadable_input_is_a_usage_error(tmp_path):
    ran = run_cli("import", str(tmp_path / "missing.yaml"))
    assert ran.code == 2, ran
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [unclosed\n")
    ran = run_cli("import", str(broken))
    assert ran.code == 2 and "broken.yaml:" in ran.err


def test_nothing_to_import(tmp_path):
    (tmp_path / "empty.yaml").write_text("# nothing\n")
    ran = run_cli("import", str(tmp_path / "empty.yaml"))
    assert ran.code == 1 and "no Kubernetes objects found (import-empty)" in ran.err


def test_a_spec_among_the_manifests_is_skipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text("pods: {web: {image: nginx:1.27}}\n")
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    ran = run_cli("import", ".")
    assert ran.code == 0, ran
    assert "k8sgen: skipped spec.yaml: a k8sgen spec\n" in ran.err
    assert "k8sgen: skipped package.json: not a Kubernetes manifest (no apiVersion and kind) and not a k8sgen spec\n" in ran.err


def test_secret_values_never_in_messages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2-very-secret}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: bad}\ntype: Opaque\ndata: {key: 12345678}\n"
    )
    ran = run_cli("import", "s.yaml")
    assert ran.code == 1  # a number where text belongs: validate's error, without the value
    assert "data.key: expected string" in ran.err
    assert "hunter2" not in ran.err and "12345678" not in ran.err
    (tmp_path / "s.yaml").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2-very-secret}\n")
    (tmp_path / "other.yaml").write_text("secrets: {db: {data: {password: other-value-here}}}\n")
    ran = run_cli("import", "s.yaml", "--check", "other.yaml")
    assert ran.code == 1 and "changed: Secret/default/db" in ran.out
    assert "hunter2" not in ran.out + ran.err and "other-value" not in ran.out + ran.err
    ran = run_cli("import", "s.yaml", "-o", "spec.yaml")
    assert ran.code == 0 and "hunter2" not in ran.err
    assert "password: hunter2-very-secret" in (tmp_path / "spec.yaml").read_text()


def test_comments_above_objects_are_kept(tmp_path):
    (tmp_path / "in.yaml").write_text(
        "# yaml-language-server: $schema=x.json\n# The settings.\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n"
        "---\n# Raw: no shorthand.\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {maxUnavailable: 1, selector: {matchLabels: {a: b}}}\n"
    )
    ran = run_cli("import", str(tmp_path / "in.yaml"))
    assert ran.code == 0, ran
    assert "configMaps:\n  # The settings.\n  a:\n" in ran.out
    assert "manifests:\n# Raw: no shorthand.\n- apiVersion: policy/v1\n" in ran.out
    assert "yaml-language-server" not in ran.out


def test_an_object_given_twice_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n"
    (tmp_path / "one.yaml").write_text(cm)
    (tmp_path / "two.yaml").write_text("# again\n" + cm)
    ran = run_cli("import", ".", "-o", "spec.yaml")
    assert ran.code == 1
    assert ran.err.startswith("two.yaml:2:1: error: ConfigMap 'a' is given twice (also at one.yaml:1:1) (import-duplicate-object)\n")
    assert not (tmp_path / "spec.yaml").exists()


@pytest.fixture
def envs(tmp_path) -> Path:
    import shutil

    d = tmp_path / "k8s"
    shutil.copytree(ROOT / "tests" / "repos" / "multi-env", d)
    return d


def test_variants_become_one_spec_per_directory(envs, tmp_path, monkeypatch):
    # envs/dev and envs/prod hold the same objects (names) in two variants: -o DIR/ writes one
    # spec per directory, each of which renders back exactly its directory's objects.
    monkeypatch.chdir(tmp_path)
    ran = run_cli("import", "k8s/", "-o", "specs/")
    assert ran.code == 0, ran
    written = sorted(str(p.relative_to(tmp_path / "specs")) for p in (tmp_path / "specs").rglob("*.yaml"))
    assert written == ["envs/dev/shop.k8sgen.yaml", "envs/prod/shop.k8sgen.yaml"]
    assert "into specs/envs/dev/shop.k8sgen.yaml:" in ran.err and "into specs/envs/prod/shop.k8sgen.yaml:" in ran.err
    for env in ("dev", "prod"):
        checked = run_cli("import", f"k8s/envs/{env}", "--check", f"specs/envs/{env}/shop.k8sgen.yaml")
        assert checked.code == 0, checked
    # Run again: it replaces what it wrote itself.
    assert run_cli("import", "k8s/", "-o", "specs/").code == 0


@pytest.mark.parametrize("args, hint", [
    (["-o", "app.k8sgen.yaml"], "hint: -o DIR/ writes one spec per directory"),
    ([], "hint: -o DIR/ writes one spec per directory"),
    (["--check", "spec.yaml"], "hint: --check compares one variant: name its directory"),
])
def test_variants_do_not_fit_one_spec(envs, tmp_path, monkeypatch, args, hint):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text("namespace: shop\n")
    ran = run_cli("import", "k8s/", *args)
    assert ran.code == 1, ran
    assert ran.out == ""
    assert ran.err.startswith("k8s/envs/prod/configmap.yaml:1:1: error: ConfigMap 'storefront-env' is in two directories "
                              "(also at k8s/envs/dev/configmap.yaml:1:1): one spec cannot hold both variants (import-duplicate-object)\n")
    assert hint in ran.err
    assert not (tmp_path / "app.k8sgen.yaml").exists()


def test_variants_write_all_specs_or_none(envs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "specs" / "envs" / "prod" / "shop.k8sgen.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("# my own prod spec\n")
    ran = run_cli("import", "k8s/", "-o", "specs/")
    assert ran.code == 1
    assert "specs/envs/prod/shop.k8sgen.yaml exists and k8sgen import did not write it" in ran.err
    assert mine.read_text() == "# my own prod spec\n"
    assert not (tmp_path / "specs" / "envs" / "dev").exists()  # not even its directory


def test_server_set_fields_are_dropped(tmp_path, monkeypatch):
    # `kubectl get -o yaml` output: status, uid, resourceVersion... and the last-applied
    # annotation (which holds a Secret's values) are dropped, stderr says which, never a value.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dump.yaml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: db\n    namespace: default\n    uid: 1c6f0d6e-0000-4000-8000-000000000009\n"
        "    resourceVersion: \"881\"\n    creationTimestamp: \"2026-11-30T09:15:00Z\"\n    annotations:\n"
        "      kubectl.kubernetes.io/last-applied-configuration: '{\"stringData\":{\"password\":\"hunter2-very-secret\"}}'\n"
        "  type: Opaque\n  data:\n    password: aHVudGVyMi12ZXJ5LXNlY3JldA==\n"
    )
    ran = run_cli("import", "dump.yaml", "-o", "spec.yaml")
    assert ran.code == 0, ran
    assert ran.err == (
        "k8sgen: dropped what the API server sets (metadata.annotations[kubectl.kubernetes.io/last-applied-configuration], "
        "metadata.creationTimestamp, metadata.resourceVersion, metadata.uid) from 1 object: applying it back means nothing\n"
        "k8sgen: imported 1 object into spec.yaml: 1 as shorthands, 0 kept verbatim under manifests:\n"
    )
    text = (tmp_path / "spec.yaml").read_text()
    assert "secrets:\n  db:\n    data: {password: hunter2-very-secret}\n" in text
    assert "uid" not in text and "last-applied" not in text
    checked = run_cli("import", "dump.yaml", "--check", "spec.yaml")
    assert checked.code == 0, checked
    assert "hunter2" not in checked.out + checked.err


def test_the_readme_adopts_an_app_in_exactly_these_two_commands(k8s, tmp_path, monkeypatch):
    # The commands the README shows, run as they are written there (comments aside).
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adopting an existing application", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert commands == [["k8sgen", "import", "k8s/", "-o", "app.k8sgen.yaml"], ["k8sgen", "import", "k8s/", "--check", "app.k8sgen.yaml"]]
    monkeypatch.chdir(tmp_path)
    for argv in commands:
        ran = run_cli(*argv[1:])
        assert ran.code == 0, (argv, ran)
    assert "renders the same 8 objects as the manifests" in ran.err
