"""Choosing the lint profile: `--profile`, the repository's `.k8sgen.yaml`, the object annotation.

End to end through the CLI (both the typer path and the fast path parse --profile; see
test_fastpath.py for their agreement).
"""

from __future__ import annotations

import pytest

from conftest import without_summary
from k8sgen import cli, lintconfig

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web%s}
spec:
  automountServiceAccountToken: false
  containers:
  - {name: app, image: nginx:1.27.3, resources: {limits: {cpu: 100m, memory: 128Mi}}}
"""


def _rules(err: str) -> set:
    return {line.rsplit("(", 1)[1].rstrip(")") for line in err.splitlines() if ": warning: " in line}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "pod.yaml").write_text(POD % "", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _validate(capsys, *args):
    rc = cli.run(["validate", *args])
    err = capsys.readouterr().err
    # A run that got as far as validating ends with its summary line; a bad config file stops it first.
    return rc, without_summary(err) if "\nsummary: " in "\n" + err else err


def test_default_profile_is_recommended(repo, capsys):
    # What kube-linter, Polaris and kube-score enable by default; baseline is one option away.
    rc, err = _validate(capsys, "app/pod.yaml")
    assert rc == 0 and {"lint-probes", "lint-read-only-root-fs", "lint-run-as-non-root"} <= _rules(err)
    rc, err = _validate(capsys, "app/pod.yaml", "--profile", "baseline")
    assert rc == 0 and err == ""


def test_profile_option(repo, capsys):
    rc, err = _validate(capsys, "app/pod.yaml", "--profile", "recommended")
    assert rc == 0
    assert {"lint-probes", "lint-read-only-root-fs", "lint-run-as-non-root"} <= _rules(err)
    rc, err = _validate(capsys, "app/pod.yaml", "--profile", "restricted", "--strict")
    assert rc == 1 and "lint-pss-restricted-seccomp" in _rules(err) and "lint-probes" not in _rules(err)


def test_config_file_found_upward_and_option_wins(repo, capsys):
    (repo / ".k8sgen.yaml").write_text("profile: recommended\nignore: [lint-probes, 'lint-drop-*']\n", encoding="utf-8")
    rc, err = _validate(capsys, "app/pod.yaml")
    rules = _rules(err)
    assert "lint-read-only-root-fs" in rules and "lint-probes" not in rules and "lint-drop-net-raw" not in rules
    rc, err = _validate(capsys, "app/pod.yaml", "--profile", "baseline")
    assert err == ""  # --profile beats the file; the file's ignore list still applies (nothing left to silence)


def test_config_file_applies_to_render(repo, capsys):
    (repo / "app" / "spec.yaml").write_text("pods:\n  web:\n    image: nginx:1.27.3\n    resources: {limits: {cpu: 100m, memory: 64Mi}}\n", encoding="utf-8")
    assert cli.run(["render", "app/spec.yaml", "--strict"]) == 1  # the default, recommended, warns
    capsys.readouterr()
    (repo / ".k8sgen.yaml").write_text("profile: baseline\n", encoding="utf-8")
    assert cli.run(["render", "app/spec.yaml", "--strict"]) == 0
    captured = capsys.readouterr()
    assert "kind: Pod" in captured.out and captured.err == ""
    assert cli.run(["render", "app/spec.yaml", "--profile", "recommended"]) == 0
    assert "lint-probes" in _rules(capsys.readouterr().err)


def test_config_file_does_not_cross_the_repository_root(tmp_path, monkeypatch, capsys):
    (tmp_path / ".k8sgen.yaml").write_text("profile: baseline\n", encoding="utf-8")
    inner = tmp_path / "checkout"
    (inner / ".git").mkdir(parents=True)
    (inner / "pod.yaml").write_text(POD % "", encoding="utf-8")
    monkeypatch.chdir(inner)
    rc, err = _validate(capsys, "pod.yaml")
    assert rc == 0 and "lint-probes" in _rules(err)  # the default, not the outer file's baseline


def test_config_ignore_cannot_silence_errors(repo, capsys):
    (repo / ".k8sgen.yaml").write_text("ignore: ['*']\n", encoding="utf-8")
    (repo / "app" / "bad.yaml").write_text((POD % "").replace("name: web", "name: Web_1"), encoding="utf-8")
    rc, err = _validate(capsys, "app/bad.yaml")
    assert rc == 1 and ": error: " in err


@pytest.mark.parametrize("text,where,words", [
    ("profile: strict\n", ":1:10:", "is not a lint profile"),
    ("profile: baseline\nexternal: {secrets: [x]}\n", ":2:1:", "unknown key 'external'"),
    ("ignore: {a: b}\n", ":1:9:", "ignore is a list"),
    ("- profile\n", ":1:1:", "holds one mapping"),
])
def test_bad_config_file(repo, capsys, text, where, words):
    (repo / ".k8sgen.yaml").write_text(text, encoding="utf-8")
    rc, err = _validate(capsys, "app/pod.yaml")
    assert rc == 2
    assert f".k8sgen.yaml{where} error: " in err and words in err and "Traceback" not in err


def test_annotation_chooses_the_profile_per_object(repo, capsys):
    (repo / "app" / "two.yaml").write_text(
        POD % ", annotations: {k8sgen.dev/lint-profile: baseline}" + "---\n" + (POD % "").replace("name: web", "name: other"), encoding="utf-8")
    rc, err = _validate(capsys, "app/two.yaml")
    assert rc == 0
    assert "Pod/other" in err
    assert "Pod/web" not in err


def test_empty_config_file_is_the_default(repo):
    (repo / ".k8sgen.yaml").write_text("# nothing here\n", encoding="utf-8")
    assert lintconfig.resolve(["app/pod.yaml"]).profile is None
