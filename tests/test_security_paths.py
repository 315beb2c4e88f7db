"""A hostile repository around the output directory (issue 11, classes 2, 3 and 7): outputDir
confined to the spec's repository, nothing read or written through a symlink, the record not
trusted, no object or foreign file lost. docs/security.md is the threat model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import yaml

from conftest import run_cli
from ecosystem_util import EXAMPLES, copy_example, env, k8sgen_cmd, kubectl_kustomize
from k8sgen.emit.directory import MANIFEST
from test_security import _repo, _written

# --- 2. outputDir confined to the spec's repository ------------------------------------------------


@pytest.mark.parametrize("output_dir,why", [
    ("ABSOLUTE", "absolute"),
    ("../../outside", "outside"),
    ("../.git/hooks", ".git"),
    ("../.GIT/x", ".git"),
    ("../sub/../../outside", "outside"),
])
def test_output_dir_outside_the_repository_is_refused(tmp_path, output_dir, why):
    escape = tmp_path / "escape"
    repo = _repo(tmp_path, str(escape) if output_dir == "ABSOLUTE" else output_dir)
    before = sorted(p for p in tmp_path.rglob("*"))
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo)
    assert r.returncode == 2 and "(output-dir-outside)" in r.stderr and why in r.stderr, r.stderr
    line = len((EXAMPLES / "headless.yaml").read_text().splitlines()) + 1  # copy_example appends outputDir
    assert f"specs/web.k8sgen.yaml:{line}:12:" in r.stderr
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not escape.exists()
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--check", cwd=repo).returncode == 2


def test_output_dir_through_a_symlink_out_of_the_repository_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    repo = _repo(tmp_path, "../out/web")
    (repo / "out").symlink_to(outside)
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo)
    assert r.returncode == 2 and "through a symlink" in r.stderr, r.stderr
    assert os.listdir(outside) == ["keep.txt"]


def test_without_git_the_spec_directory_is_the_boundary(tmp_path):
    copy_example("headless.yaml", tmp_path / "specs", "web.k8sgen.yaml", "outputDir: ../manifests\n")
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=tmp_path)
    assert r.returncode == 2 and "(output-dir-outside)" in r.stderr
    (tmp_path / "specs" / "web.k8sgen.yaml").write_text((EXAMPLES / "headless.yaml").read_text() + "outputDir: manifests\n")
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=tmp_path).returncode == 0
    assert (tmp_path / "specs" / "manifests" / "kustomization.yaml").is_file()


def test_the_users_own_output_dir_may_be_anywhere(tmp_path):
    repo = _repo(tmp_path, "../manifests")
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--output-dir", str(tmp_path / "elsewhere"), cwd=repo)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "elsewhere" / "kustomization.yaml").is_file()


def test_rewriting_keeps_the_directorys_owner_and_mode(tmp_path):
    repo = _repo(tmp_path, "../manifests")
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo).returncode == 0
    d = repo / "manifests"
    (d / "docs").mkdir()
    (d / "docs" / "a.md").write_text("notes")
    os.chmod(d, 0o750)
    os.chmod(d / "docs", 0o705)
    if os.geteuid() == 0:  # as root (CI containers) the swap must not hand the directory to root
        os.chown(d, 4321, 4321)
        os.chown(d / "docs", 4322, 4322)
    before = {p: (os.lstat(p).st_uid, os.lstat(p).st_gid, os.lstat(p).st_mode) for p in (d, d / "docs")}
    (repo / "specs" / "web.k8sgen.yaml").write_text((EXAMPLES / "externalname.yaml").read_text() + "outputDir: ../manifests\n")
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo)
    assert r.returncode == 0 and "wrote" in r.stderr, r.stderr
    assert {p: (os.lstat(p).st_uid, os.lstat(p).st_gid, os.lstat(p).st_mode) for p in (d, d / "docs")} == before


# --- 3. --check and --write never read or write through a symlink ----------------------------------


def test_check_never_prints_what_a_symlink_points_to(tmp_path):
    repo = _written(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("CI_TOKEN=hunter2\n")
    target = repo / "manifests" / "v1_pod_pod-a.yaml"
    target.unlink()
    target.symlink_to(secret)
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--check", cwd=repo)
    assert r.returncode == 1 and "hunter2" not in r.stdout + r.stderr, r.stdout
    assert "(symlink, not read)" in r.stdout
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=repo)
    assert r.returncode == 1 and "(output-foreign-file)" in r.stderr
    assert secret.read_text() == "CI_TOKEN=hunter2\n" and target.is_symlink()


def test_a_record_naming_paths_outside_is_not_believed(tmp_path):
    repo = _written(tmp_path)
    outside = tmp_path / "victim.yaml"
    outside.write_text("precious: true\n")
    secret = tmp_path / "spec-elsewhere.yaml"
    secret.write_text("db_password: hunter2\n")
    record_path = repo / "manifests" / MANIFEST
    record = json.loads(record_path.read_text())
    record["files"]["../../victim.yaml"] = "0" * 64
    record["specs"] += ["../../spec-elsewhere.yaml", str(secret), "/proc/self/environ"]
    record_path.write_text(json.dumps(record))
    for mode in ("--check", "--write"):
        r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", mode, cwd=repo)
        assert "hunter2" not in r.stdout + r.stderr and "environ" not in r.stdout + r.stderr, (mode, r.stdout, r.stderr)
        assert r.returncode in (0, 1), r.stderr
    assert outside.read_text() == "precious: true\n"
    assert set(json.loads(record_path.read_text())["specs"]) == {"../specs/web.k8sgen.yaml"}


def test_a_symlinked_record_is_not_read(tmp_path):
    repo = _written(tmp_path)
    secret = tmp_path / "environ"
    secret.write_text('{"files": {}, "specs": [], "token": "hunter2"}')
    (repo / "manifests" / MANIFEST).unlink()
    (repo / "manifests" / MANIFEST).symlink_to(secret)
    r = k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--check", cwd=repo)
    assert r.returncode == 1 and "hunter2" not in r.stdout + r.stderr


# --- 7. no object is lost in --output-dir ----------------------------------------------------------


ROLES = """\
roles:
  Admin: {rules: [{resources: [pods], verbs: [get]}]}
  admin: {rules: [{resources: [pods], verbs: [list]}]}
  "a #b": {rules: [{resources: [pods], verbs: [watch]}]}
  "a: b": {rules: [{resources: [pods], verbs: [create]}]}
  "stra\\xdfe": {rules: [{resources: [pods], verbs: [delete]}]}
  STRASSE: {rules: [{resources: [pods], verbs: [patch]}]}
"""


def test_names_that_fold_to_one_file_each_keep_their_object(tmp_path):
    (tmp_path / "roles.yaml").write_text(ROLES)
    ran = run_cli("render", str(tmp_path / "roles.yaml"), "--output-dir", str(tmp_path / "out"))
    assert ran.code == 0, ran
    files = [n for n in os.listdir(tmp_path / "out") if n.endswith(".yaml") and n != "kustomization.yaml"]
    names = {yaml.safe_load((tmp_path / "out" / n).read_text(encoding="utf-8"))["metadata"]["name"] for n in files}
    assert names == {"Admin", "admin", "a #b", "a: b", "straße", "STRASSE"}
    assert len({n.casefold() for n in files}) == len(files) == 6
    kust = yaml.safe_load((tmp_path / "out" / "kustomization.yaml").read_text(encoding="utf-8"))
    assert sorted(kust["resources"]) == sorted(files)
    r = kubectl_kustomize(tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert {o["metadata"]["name"] for o in yaml.safe_load_all(r.stdout)} == names


def test_file_names_are_stable_and_independent_of_order():
    from k8sgen.emit.kustomize import file_names

    objs = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n}} for n in ("A", "a", "b")]
    names = file_names(objs)
    assert names[2] == "v1_configmap_b.yaml" and names[0] != names[1]
    assert file_names(list(reversed(objs))) == list(reversed(names))


def test_files_created_or_replaced_during_a_write_are_kept(tmp_path):
    repo = _written(tmp_path)
    d = repo / "manifests"
    (d / "docs").mkdir()
    (d / "docs" / "old.md").write_text("old")
    (d / "docs" / "gone.md").write_text("bye")
    (d / "top.md").write_text("top")
    (repo / "specs" / "web.k8sgen.yaml").write_text((EXAMPLES / "api-access.yaml").read_text() + "outputDir: ../manifests\n")
    p = subprocess.Popen([sys.executable, "-m", "k8sgen", "render", "specs/web.k8sgen.yaml", "--write"], cwd=repo,
                         env=env(K8SGEN_TEST_SLOW_WRITE="0.3"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(n.startswith(".manifests.k8sgen-new-") for n in os.listdir(repo)):
        assert time.monotonic() < deadline and p.poll() is None
        time.sleep(0.02)
    time.sleep(0.2)  # the foreign files are linked into the new tree first
    (d / "docs" / "new.md").write_text("new")
    tmp = d / "docs" / "old.md.tmp"
    tmp.write_text("edited")
    os.replace(tmp, d / "docs" / "old.md")  # an editor's save
    (d / "docs" / "gone.md").unlink()
    (d / "late.md").write_text("late")
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert (d / "docs" / "new.md").read_text() == "new"
    assert (d / "docs" / "old.md").read_text() == "edited"
    assert not (d / "docs" / "gone.md").exists()
    assert (d / "late.md").read_text() == "late" and (d / "top.md").read_text() == "top"
    assert (d / "v1_serviceaccount_pod-reader.yaml").is_file()


def test_check_of_a_spec_with_secrets_never_reads_through_a_symlink(tmp_path):
    """The --check diff that redacts Secret values goes through the same reader as every other
    (it once read files itself and followed links)."""
    from k8sgen.emit import directory, redact

    d = tmp_path / "out"
    d.mkdir()
    secret = tmp_path / "environ"
    secret.write_text("CI_TOKEN=hunter2\n")
    (d / "v1_secret_db.yaml").symlink_to(secret)
    planned = directory.Planned(path=d, files={"v1_secret_db.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {pw: eA==}\n"})
    out = redact.directory_diff(planned)
    assert "hunter2" not in out and "(symlink, not read)" in out
