"""The shipped pre-commit hooks, run by the real `pre-commit try-repo` in a scratch git repository.

try-repo clones the hook repository and pip-installs it into a virtualenv (PyPI must be
reachable), so one PRE_COMMIT_HOME is shared by the whole module and the clone source is a
committed snapshot of the current tree (tracked and untracked, not ignored files).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ecosystem_util import EXAMPLES, ROOT, env, k8sgen_cmd, require_tool

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
_SKIP = {".git", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist", ".venv", ".mypy_cache"}


def _pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return [require_tool("pre-commit")]
    return [sys.executable, "-m", "pre_commit"]


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=_git_env())
    assert r.returncode == 0, r.stderr
    return r


def _git_env() -> dict:
    e = env(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    e.pop("PYTHONPATH", None)  # pre-commit's hook venv must run the installed clone, not this tree
    e.pop("GIT_DIR", None)
    e.pop("GIT_INDEX_FILE", None)
    return e


def _source_files() -> list[str]:
    r = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode == 0 and r.stdout.strip():
        return [f for f in r.stdout.splitlines() if (ROOT / f).is_file()]
    out = []  # not a git checkout (e.g. an unpacked sdist in CI): walk the tree
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in _SKIP and not d.endswith(".egg-info")]
        out += [os.path.relpath(os.path.join(dirpath, f), ROOT) for f in filenames if not f.endswith(".pyc")]
    return out


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A committed copy of this tree: what try-repo clones and installs."""
    require_tool("git")
    repo = tmp_path_factory.mktemp("k8sgen-hook-repo")
    for f in _source_files():
        (repo / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, repo / f)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "snapshot")
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture
def project(tmp_path) -> Path:
    """A user's repository: one spec with an outputDir, rendered and committed."""
    require_tool("git")
    _git(tmp_path, "init", "-q")
    spec = tmp_path / "specs" / "web.k8sgen.yaml"
    spec.parent.mkdir()
    spec.write_text((EXAMPLES / "headless.yaml").read_text() + "outputDir: ../manifests/web\n")
    assert k8sgen_cmd("render", "specs/web.k8sgen.yaml", "--write", cwd=tmp_path).returncode == 0
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "initial")
    return tmp_path


def try_repo(project: Path, hook_repo: Path, home: str, hook: str, *args: str) -> subprocess.CompletedProcess:
    e = _git_env()
    e["PRE_COMMIT_HOME"] = home
    e.pop("NO_COLOR", None)
    cmd = [*_pre_commit(), "try-repo", str(hook_repo), hook, "--verbose", "--color", "never", *args]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=e, timeout=900)


def test_manifest_is_valid_for_pre_commit():
    r = subprocess.run([*_pre_commit(), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize(
    "path,hooks",
    [
        ("specs/web.k8sgen.yaml", {"k8sgen-validate", "k8sgen-render", "k8sgen-check"}),
        ("web.k8sgen.yml", {"k8sgen-validate", "k8sgen-render", "k8sgen-check"}),
        ("deploy/pod.yaml", {"k8sgen-validate"}),
        ("manifests/web/v1_pod_web.yaml", {"k8sgen-validate"}),
        ("manifests/web/kustomization.yaml", set()),
        (".github/workflows/ci.yaml", set()),
        ("specs/web.yaml", set()),
    ],
)
def test_hook_file_patterns(path, hooks):
    matched = set()
    for h in HOOKS:
        if re.search(h.get("files", ""), path) and not re.search(h.get("exclude", "^$"), path):
            matched.add(h["id"])
    assert matched == hooks


def test_passing_commit(project, hook_repo, pre_commit_home):
    (project / "README.md").write_text("hello\n")
    _git(project, "add", "README.md")
    for hook in ("k8sgen-validate", "k8sgen-render", "k8sgen-check"):
        r = try_repo(project, hook_repo, pre_commit_home, hook, "--all-files")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Passed" in r.stdout


def test_failing_commit_reports_file_line_col(project, hook_repo, pre_commit_home):
    spec = project / "specs" / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("    image: nginx:1.27\n", "    imag: nginx:1.27\n", 1))
    _git(project, "add", "-A")
    r = try_repo(project, hook_repo, pre_commit_home, "k8sgen-validate")
    assert r.returncode == 1
    assert "specs/web.k8sgen.yaml:6:5: error: unknown key 'imag' (spec-unknown-key)" in r.stdout


def test_stale_output_is_rewritten_and_fails_the_commit(project, hook_repo, pre_commit_home):
    spec = project / "specs" / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("nginx:1.27", "nginx:1.28"))
    _git(project, "add", "-A")
    r = try_repo(project, hook_repo, pre_commit_home, "k8sgen-check")
    assert r.returncode == 1
    assert "+    image: nginx:1.28" in r.stdout and "manifests/web is out of date" in r.stdout
    assert "nginx:1.27" in (project / "manifests/web/v1_pod_pod-a.yaml").read_text()  # check wrote nothing
    r = try_repo(project, hook_repo, pre_commit_home, "k8sgen-render")
    assert r.returncode == 1
    assert "wrote manifests/web" in r.stdout and "v1_pod_pod-a.yaml" in r.stdout
    assert "nginx:1.28" in (project / "manifests/web/v1_pod_pod-a.yaml").read_text()
    _git(project, "add", "-A")
    assert try_repo(project, hook_repo, pre_commit_home, "k8sgen-render").returncode == 0


def test_new_spec_with_untracked_output_still_fails(project, hook_repo, pre_commit_home):
    # pre-commit does not notice new untracked files: the hook's own exit status must.
    (project / "specs" / "db.k8sgen.yaml").write_text((EXAMPLES / "externalname.yaml").read_text() + "outputDir: ../manifests/db\n")
    _git(project, "add", "-A")
    r = try_repo(project, hook_repo, pre_commit_home, "k8sgen-render")
    assert r.returncode == 1 and "wrote manifests/db" in r.stdout
    assert (project / "manifests/db/kustomization.yaml").exists()


def test_only_staged_content_is_checked(project, hook_repo, pre_commit_home):
    spec = project / "specs" / "web.k8sgen.yaml"
    good = spec.read_text()
    spec.write_text(good.replace("nginx:1.27", "nginx:1.29"))
    _git(project, "add", "-A")  # staged: a valid change
    spec.write_text(good.replace("    image: nginx:1.27\n", "    imag: nginx:1.27\n", 1))  # unstaged: broken
    r = try_repo(project, hook_repo, pre_commit_home, "k8sgen-validate")
    assert r.returncode == 0, r.stdout
    assert "imag:" in spec.read_text()  # pre-commit restored the unstaged edit
