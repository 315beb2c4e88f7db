"""`k8sgen render --output-dir/--write/--check`: kustomize-style directories, written all or nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecosystem_util import EXAMPLES, copy_example, env, kubectl_kustomize, require_tool, tree
from k8sgen.cli import run
from k8sgen.emit import kustomize
from k8sgen.emit.directory import MANIFEST


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")

    def call(*args: str):
        rc = run(list(args))
        captured = capsys.readouterr()
        return rc, captured.out, captured.err

    return call


# --- names ---------------------------------------------------------------------------------------

NAMES = [
    ([{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "a"}}], ["v1_service_web.yaml"]),
    ([{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "Reader"}}],
     ["rbac.authorization.k8s.io_v1_clusterrole_reader.yaml"]),
    (
        [
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"}},
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "b"}},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}},
        ],
        ["a_v1_pod_p.yaml", "b_v1_pod_p.yaml", "rbac.authorization.k8s.io_v1_clusterrole_r.yaml"],
    ),
]


@pytest.mark.parametrize("objects,expected", NAMES)
def test_file_names_follow_kustomize_build_o(objects, expected):
    assert kustomize.file_names(objects) == expected


CLUSTER = "namespace: {ns}\nserviceAccounts:\n  reader:\n    clusterRules:\n      - resources: [nodes]\n        verbs: [get]\n"
HEADLESS = (EXAMPLES / "headless.yaml").read_text()
KO_CASES = {
    "one-namespace": [HEADLESS],
    "two-namespaces": [HEADLESS, HEADLESS.replace("namespace: default", "namespace: other")],
    "one-namespace-and-cluster-scoped": [CLUSTER.format(ns="one")],
    "two-namespaces-and-cluster-scoped": [CLUSTER.format(ns="one"), CLUSTER.format(ns="two")],
}


@pytest.mark.parametrize("specs", list(KO_CASES.values()), ids=list(KO_CASES))
def test_names_equal_what_kubectl_kustomize_o_writes(cli, tmp_path, specs):
    require_tool("kubectl")
    paths = []
    for i, text in enumerate(specs):
        (tmp_path / f"s{i}.yaml").write_text(text)
        paths.append(f"s{i}.yaml")
    assert cli("render", *paths, "--output-dir", "out")[0] == 0
    ko = tmp_path / "ko"
    ko.mkdir()
    r = kubectl_kustomize(tmp_path / "out", "-o", str(ko))
    assert r.returncode == 0, r.stderr
    ours = sorted(n for n in os.listdir(tmp_path / "out") if n not in (MANIFEST, "kustomization.yaml"))
    assert ours == sorted(os.listdir(ko))


# --- writing -------------------------------------------------------------------------------------


def test_output_dir_builds_with_kustomize_and_an_overlay(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    rc, out, err = cli("render", str(spec), "--output-dir", "base")
    assert (rc, out) == (0, "")
    assert "wrote base" in err
    names = sorted(os.listdir(tmp_path / "base"))
    assert "kustomization.yaml" in names and MANIFEST in names
    listed = (tmp_path / "base" / "kustomization.yaml").read_text().split("resources:\n")[1].split()
    assert [l for l in listed if l != "-"] == sorted(n for n in names if n not in ("kustomization.yaml", MANIFEST))
    require_tool("kubectl")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "resources: [../base]\nnamePrefix: prod-\ncommonLabels: {env: prod}\n"
    )
    r = kubectl_kustomize(overlay)
    assert r.returncode == 0, r.stderr
    assert "name: prod-headless1" in r.stdout and "env: prod" in r.stdout


def test_second_run_changes_nothing(cli, tmp_path):
    spec = copy_example("clusterip.yaml", tmp_path)
    cli("render", str(spec), "-d", "out")
    before = {p: os.stat(tmp_path / "out" / p).st_mtime_ns for p in os.listdir(tmp_path / "out")}
    ino = os.stat(tmp_path / "out").st_ino
    rc, out, err = cli("render", str(spec), "-d", "out", "--fail-on-change")
    assert (rc, out, err) == (0, "", "")
    assert before == {p: os.stat(tmp_path / "out" / p).st_mtime_ns for p in os.listdir(tmp_path / "out")}
    assert os.stat(tmp_path / "out").st_ino == ino


def test_fail_on_change_names_the_files(cli, tmp_path):
    spec = copy_example("clusterip.yaml", tmp_path)
    rc, _, err = cli("render", str(spec), "-d", "out", "--fail-on-change")
    assert rc == 1 and "kustomization.yaml" in err


def test_foreign_files_are_never_touched(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    cli("render", str(spec), "-d", "out")
    notes = tmp_path / "out" / "NOTES.md"
    notes.write_text("mine\n")
    sub = tmp_path / "out" / "patches"
    sub.mkdir()
    (sub / "p.yaml").write_text("x: 1\n")
    st = os.stat(notes)
    spec.write_text(spec.read_text().replace("nginx-unprivileged:1.27", "nginx-unprivileged:1.28"))
    assert cli("render", str(spec), "-d", "out")[0] == 0
    st2 = os.stat(notes)
    assert (st.st_ino, st.st_mtime_ns, notes.read_text()) == (st2.st_ino, st2.st_mtime_ns, "mine\n")
    assert (sub / "p.yaml").read_text() == "x: 1\n"
    assert "nginx-unprivileged:1.28" in (tmp_path / "out" / "v1_pod_pod-a.yaml").read_text()


def test_a_foreign_file_in_the_way_is_an_error_and_nothing_is_written(cli, tmp_path):
    spec = copy_example("clusterip.yaml", tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "kustomization.yaml").write_text("resources: []\n")
    before = tree(tmp_path / "out")
    rc, out, err = cli("render", str(spec), "-d", "out")
    assert rc == 1 and out == ""
    assert "out/kustomization.yaml: error: k8sgen would write this file, but it was not written by k8sgen (output-foreign-file)" in err
    assert tree(tmp_path / "out") == before


def test_files_no_longer_produced_are_removed(cli, tmp_path):
    a = copy_example("headless.yaml", tmp_path)
    b = copy_example("api-access.yaml", tmp_path)
    cli("render", str(a), str(b), "-d", "out")
    assert (tmp_path / "out" / "v1_serviceaccount_pod-reader.yaml").exists()
    rc, _, err = cli("render", str(a), "-d", "out")
    assert rc == 0
    assert not (tmp_path / "out" / "v1_serviceaccount_pod-reader.yaml").exists()
    assert "v1_serviceaccount_pod-reader.yaml" in err
    assert "pod-reader" not in (tmp_path / "out" / "kustomization.yaml").read_text()


def test_hand_edited_generated_file_needs_force(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    cli("render", str(spec), "-d", "out")
    edited = tmp_path / "out" / "v1_pod_pod-a.yaml"
    edited.write_text(edited.read_text() + "# my tweak\n")
    spec.write_text(spec.read_text().replace("nginx-unprivileged:1.27", "nginx-unprivileged:1.28"))
    before = tree(tmp_path / "out")
    rc, _, err = cli("render", str(spec), "-d", "out")
    assert rc == 1 and "v1_pod_pod-a.yaml: error: this generated file was edited by hand" in err and "--force" in err
    assert tree(tmp_path / "out") == before
    rc, _, _ = cli("render", str(spec), "-d", "out", "--force")
    assert rc == 0 and "# my tweak" not in edited.read_text() and "nginx-unprivileged:1.28" in edited.read_text()


def test_bad_input_writes_nothing(cli, tmp_path):
    good = copy_example("headless.yaml", tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("pods:\n  x:\n    imag: nginx\n")
    rc, out, err = cli("render", str(good), str(bad), "-d", "out")
    assert rc == 1 and out == "" and "bad.yaml:3:5" in err
    assert not (tmp_path / "out").exists()
    assert not [n for n in os.listdir(tmp_path) if "k8sgen" in n]


def test_output_dir_holding_the_spec_is_refused(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path / "app")
    rc, _, err = cli("render", str(spec), "-d", "app")
    assert rc == 2 and "output-dir-unsafe" in err


# --- --check -------------------------------------------------------------------------------------


def test_check_reports_a_diff_and_writes_nothing(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    rc, out, err = cli("render", str(spec), "-d", "out", "--check")
    assert rc == 1 and not (tmp_path / "out").exists()
    assert "--- /dev/null\n+++ b/out/v1_pod_pod-a.yaml\n" in out
    cli("render", str(spec), "-d", "out")
    assert cli("render", str(spec), "-d", "out", "--check") == (0, "", "")
    spec.write_text(spec.read_text().replace("nginx-unprivileged:1.27", "nginx-unprivileged:1.28"))
    rc, out, err = cli("render", str(spec), "-d", "out", "--check")
    assert rc == 1 and "-    image: nginxinc/nginx-unprivileged:1.27\n+    image: nginxinc/nginx-unprivileged:1.28\n" in out and "out is out of date" in err


def test_check_against_a_stream_file(cli, tmp_path):
    spec = copy_example("clusterip.yaml", tmp_path)
    rc, stream, _ = cli("render", str(spec))
    (tmp_path / "all.yaml").write_text(stream)
    assert cli("render", str(spec), "--check", "--against", "all.yaml") == (0, "", "")
    (tmp_path / "all.yaml").write_text(stream.replace("kind: Service", "kind: Servic"))
    rc, out, err = cli("render", str(spec), "--check", "--against", "all.yaml")
    assert rc == 1 and "-kind: Servic\n+kind: Service\n" in out


# --- outputDir in the spec ------------------------------------------------------------------------


def test_write_uses_each_specs_output_dir_relative_to_the_spec(cli, tmp_path):
    (tmp_path / ".git").mkdir()  # a repository: outputDir may leave specs/ but not the work tree
    copy_example("headless.yaml", tmp_path / "specs", "web.k8sgen.yaml", "outputDir: ../manifests/web\n")
    copy_example("api-access.yaml", tmp_path / "specs", "api.k8sgen.yaml", "outputDir: ../manifests/api\n")
    rc, _, err = cli("render", "specs/web.k8sgen.yaml", "specs/api.k8sgen.yaml", "--write")
    assert rc == 0, err
    assert (tmp_path / "manifests/web/v1_pod_pod-a.yaml").exists()
    assert (tmp_path / "manifests/api/v1_serviceaccount_pod-reader.yaml").exists()
    assert cli("render", "specs/web.k8sgen.yaml", "specs/api.k8sgen.yaml", "--check")[0] == 0


def test_a_subset_of_specs_keeps_the_others_in_a_shared_directory(cli, tmp_path):
    (tmp_path / ".git").mkdir()  # a repository: outputDir may leave specs/ but not the work tree
    copy_example("headless.yaml", tmp_path / "specs", "a.k8sgen.yaml", "outputDir: ../out\n")
    copy_example("api-access.yaml", tmp_path / "specs", "b.k8sgen.yaml", "outputDir: ../out\n")
    cli("render", "specs/a.k8sgen.yaml", "--write")
    cli("render", "specs/b.k8sgen.yaml", "--write")  # a pre-commit batch that holds only b
    names = os.listdir(tmp_path / "out")
    assert "v1_pod_pod-a.yaml" in names and "v1_serviceaccount_pod-reader.yaml" in names
    assert json.loads((tmp_path / "out" / MANIFEST).read_text())["specs"] == ["../specs/a.k8sgen.yaml", "../specs/b.k8sgen.yaml"]


def test_write_without_output_dir_is_a_positioned_error(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    rc, _, err = cli("render", str(spec), "--write")
    assert rc == 2 and "output-dir-missing" in err and "headless.yaml:" in err


# --- all or nothing under kill -9 ----------------------------------------------------------------


def _kill_mid_write(tmp_path: Path, spec: Path, target: str) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "k8sgen", "render", str(spec), "-d", target],
                            cwd=tmp_path, env=env(K8SGEN_TEST_SLOW_WRITE="0.3"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    try:
        while time.time() < deadline:  # wait until the writer is inside the temporary directory
            tmp = [p for p in tmp_path.iterdir() if ".k8sgen-new-" in p.name]
            if tmp and len(list(tmp[0].iterdir())) >= 2:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the writer never started writing")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_kill_9_mid_write_leaves_the_old_output(cli, tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    cli("render", str(spec), "-d", "out")
    old = tree(tmp_path / "out")
    spec.write_text(spec.read_text().replace("nginx-unprivileged:1.27", "nginx-unprivileged:1.28"))
    _kill_mid_write(tmp_path, spec, "out")
    assert tree(tmp_path / "out") == old
    # The next run cleans up the killed run's temporary directory and completes.
    assert cli("render", str(spec), "-d", "out")[0] == 0
    assert [p.name for p in tmp_path.iterdir() if "k8sgen" in p.name] == []
    assert "nginx-unprivileged:1.28" in (tmp_path / "out" / "v1_pod_pod-a.yaml").read_text()


def test_kill_9_on_first_write_leaves_no_directory(tmp_path):
    spec = copy_example("headless.yaml", tmp_path)
    _kill_mid_write(tmp_path, spec, "out")
    assert not (tmp_path / "out").exists()


def test_a_generated_name_replaced_by_the_user_with_a_directory_is_kept(cli, tmp_path):
    a = copy_example("headless.yaml", tmp_path)
    b = copy_example("api-access.yaml", tmp_path)
    cli("render", str(a), str(b), "-d", "out")
    sa = tmp_path / "out" / "v1_serviceaccount_pod-reader.yaml"
    sa.unlink()
    sa.mkdir()
    (sa / "mine.txt").write_text("x\n")
    assert cli("render", str(a), "-d", "out")[0] == 0  # the account is no longer produced
    assert (sa / "mine.txt").read_text() == "x\n"
    rc, _, err = cli("render", str(a), str(b), "-d", "out")  # produced again: the name is taken
    assert rc == 1 and "output-foreign-file" in err


def test_parallel_runs_into_one_directory_keep_each_others_specs(tmp_path):
    (tmp_path / ".git").mkdir()  # a repository: outputDir may leave specs/ but not the work tree
    # Two pre-commit batches at once, each with one new spec for the same outputDir: whichever
    # writes second must see the first one's record (read under the lock) and render both.
    copy_example("headless.yaml", tmp_path / "specs", "a.k8sgen.yaml", "outputDir: ../out\n")
    copy_example("api-access.yaml", tmp_path / "specs", "b.k8sgen.yaml", "outputDir: ../out\n")
    procs = [
        subprocess.Popen([sys.executable, "-m", "k8sgen", "render", f"specs/{n}.k8sgen.yaml", "--write"], cwd=tmp_path,
                         env=env(K8SGEN_TEST_SLOW_WRITE="0.05"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    names = os.listdir(tmp_path / "out")
    assert "v1_pod_pod-a.yaml" in names and "v1_serviceaccount_pod-reader.yaml" in names
    assert json.loads((tmp_path / "out" / MANIFEST).read_text())["specs"] == ["../specs/a.k8sgen.yaml", "../specs/b.k8sgen.yaml"]


# --- the start-up fast path knows the directory options (pre-commit runs them on every commit) ---

FAST = [
    ["render", "s.k8sgen.yaml", "--write", "--fail-on-change"],
    ["render", "s.k8sgen.yaml", "--check"],
    ["render", "s.k8sgen.yaml", "-d", "other", "--force"],
    ["render", "s.k8sgen.yaml", "--output-dir=other", "--check"],
    ["render", "s.k8sgen.yaml", "--check", "--against", "all.yaml"],
    ["render", "s.k8sgen.yaml", "-w", "-o", "json"],
]


@pytest.mark.parametrize("argv", FAST, ids=" ".join)
def test_fast_path_matches_typer_for_directory_options(argv, tmp_path, monkeypatch, capsys):
    from k8sgen import fastpath
    from k8sgen.__main__ import main

    assert fastpath.parse(argv) is not None
    results = []
    for side, call in (("fast", main), ("typer", run)):
        d = tmp_path / side
        copy_example("headless.yaml", d, "s.k8sgen.yaml", "outputDir: out\n")
        (d / "all.yaml").write_text("stale\n")
        monkeypatch.chdir(d)
        rc = call(list(argv))
        captured = capsys.readouterr()
        results.append((rc, captured.out, captured.err, tree(d)))
    assert results[0] == results[1]
