"""The shipped pre-commit hooks, run by the real pre-commit in scratch git repositories.

The hook repository is a committed snapshot of the current tree (tracked and untracked, not
ignored files). Building a hook environment pip-installs it from PyPI (~15 s or more).
`pre-commit try-repo` always builds into a fresh temporary store (it ignores PRE_COMMIT_HOME), so
the three try-repo tests run every hook in one call each; the other scenarios make real commits
through `pre-commit install`ed hooks that share one PRE_COMMIT_HOME (one build for all of them).
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
    cmd = [*_pre_commit(), "try-repo", str(hook_repo), *([hook] if hook else []), "--verbose", "--color", "never", *args]
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
        # Manifests wherever they are; what is not a manifest is told apart by k8sgen (a note).
        ("manifests/web/kustomization.yaml", {"k8sgen-validate"}),
        ("specs/web.yaml", {"k8sgen-validate"}),
        ("envs/prod/app/service.yaml", {"k8sgen-validate"}),
        ("charts/web/templates/deployment.yaml", {"k8sgen-validate"}),
        ("install.json", {"k8sgen-validate"}),
        # Hidden directories are left out, as `k8sgen validate DIR` leaves them out.
        (".github/workflows/ci.yaml", set()),
        ("deploy/.cache/x.yaml", set()),
    ],
)
def test_hook_file_patterns(path, hooks):
    matched = set()
    for h in HOOKS:
        if re.search(h.get("files", ""), path) and not re.search(h.get("exclude", "^$"), path):
            matched.add(h["id"])
    assert matched == hooks


def test_validate_hook_sees_the_whole_set_at_once():
    # Cross-object warnings depend on the set: one process, whatever pre-commit's batches.
    [hook] = [h for h in HOOKS if h["id"] == "k8sgen-validate"]
    assert hook["require_serial"] is True and set(hook["types_or"]) == {"yaml", "json"}


def _all_hooks(project: Path, hook_repo: Path, home: str) -> subprocess.CompletedProcess:
    """`pre-commit try-repo REPO` without a hook id: every hook of the manifest, on staged files."""
    return try_repo(project, hook_repo, home, "")


def test_try_repo_passing_commit(project, hook_repo, pre_commit_home):
    spec = project / "specs" / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("# Stable DNS", "# Stable, predictable DNS"))
    _git(project, "add", "-A")
    r = _all_hooks(project, hook_repo, pre_commit_home)
    assert r.returncode == 0, r.stdout + r.stderr
    for name in ("k8sgen validate", "k8sgen render (keep outputDir current)", "k8sgen check (outputDir up to date)"):
        assert re.search(re.escape(name) + r"\.+Passed", r.stdout), r.stdout


def test_try_repo_failing_commit_reports_file_line_col(project, hook_repo, pre_commit_home):
    spec = project / "specs" / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("    image: nginxinc/nginx-unprivileged:1.27\n", "    imag: nginxinc/nginx-unprivileged:1.27\n", 1))
    _git(project, "add", "-A")
    before = tree_of(project / "manifests")
    r = _all_hooks(project, hook_repo, pre_commit_home)
    assert r.returncode == 1
    assert re.search(r"k8sgen validate\.+Failed", r.stdout)
    assert "specs/web.k8sgen.yaml:7:5: error: unknown key 'imag' (spec-unknown-key)" in r.stdout
    assert tree_of(project / "manifests") == before  # bad input: nothing written


def test_try_repo_stale_output(project, hook_repo, pre_commit_home):
    spec = project / "specs" / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("nginx-unprivileged:1.27", "nginx-unprivileged:1.28"))
    _git(project, "add", "-A")
    r = _all_hooks(project, hook_repo, pre_commit_home)
    assert r.returncode == 1
    # Hooks run in id order: check (writes nothing, shows the diff), then render (rewrites).
    assert re.search(r"k8sgen check \(outputDir up to date\)\.+Failed", r.stdout)
    assert "+    image: nginxinc/nginx-unprivileged:1.28" in r.stdout and "manifests/web is out of date" in r.stdout
    assert re.search(r"k8sgen render \(keep outputDir current\)\.+Failed", r.stdout)
    assert "wrote manifests/web" in r.stdout and "v1_pod_pod-a.yaml" in r.stdout
    assert "nginx-unprivileged:1.28" in (project / "manifests/web/v1_pod_pod-a.yaml").read_text()
    assert re.search(r"k8sgen validate\.+Passed", r.stdout)


def tree_of(d: Path) -> dict:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


# --- real commits through installed hooks ---------------------------------------------------------


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("pre-commit-shared-home"))


@pytest.fixture
def committing(project, hook_repo, shared_home):
    """`project` with the k8sgen hooks installed from `hook_repo`; returns a `git commit` runner."""
    rev = _git(hook_repo, "rev-parse", "HEAD").stdout.strip()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo}\n  rev: {rev}\n  hooks:\n  - id: k8sgen-validate\n  - id: k8sgen-render\n"
    )
    _git(project, "add", ".pre-commit-config.yaml")
    e = _git_env()
    e["PRE_COMMIT_HOME"] = shared_home
    r = subprocess.run([*_pre_commit(), "install"], cwd=project, capture_output=True, text=True, env=e)
    assert r.returncode == 0, r.stdout + r.stderr

    def commit(message: str = "change") -> subprocess.CompletedProcess:
        return subprocess.run(["git", "commit", "-m", message], cwd=project, capture_output=True, text=True, env=e, timeout=900)

    return commit


def test_commit_of_a_new_spec_fails_until_its_untracked_output_is_added(project, committing):
    # pre-commit does not notice new untracked files: the hook's own exit status must.
    (project / "specs" / "db.k8sgen.yaml").write_text((EXAMPLES / "externalname.yaml").read_text() + "outputDir: ../manifests/db\n")
    _git(project, "add", "-A")
    r = committing()
    assert r.returncode == 1, r.stdout + r.stderr
    assert "wrote manifests/db" in r.stderr  # git shows the hook's output on stderr
    assert (project / "manifests/db/kustomization.yaml").exists()
    _git(project, "add", "-A")
    r = committing()
    assert r.returncode == 0, r.stdout + r.stderr
    assert _git(project, "status", "--porcelain").stdout == ""


def test_commit_checks_only_staged_content(project, committing):
    spec = project / "specs" / "web.k8sgen.yaml"
    good = spec.read_text()
    spec.write_text(good.replace("# Stable DNS", "# Stable, predictable DNS"))
    _git(project, "add", "-A")  # staged: a valid change
    spec.write_text(good.replace("    image: nginxinc/nginx-unprivileged:1.27\n", "    imag: nginxinc/nginx-unprivileged:1.27\n", 1))  # unstaged: broken
    r = committing()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "imag:" in spec.read_text()  # pre-commit put the unstaged edit back


def test_commit_of_many_specs_sharing_one_output_dir(project, committing):
    # pre-commit shuffles the file names; several specs feed one directory and all must land there.
    # (Batches of a subset are covered by test_emit_directory's subset test.)
    specs = project / "specs"
    for i in range(40):
        (specs / f"svc-{i:02d}.k8sgen.yaml").write_text(
            f"outputDir: ../manifests/many\nservices:\n  svc-{i:02d}:\n    externalName: db{i}.example.com\n"
        )
    _git(project, "add", "-A")
    r = committing()
    assert r.returncode == 1, r.stdout + r.stderr
    names = os.listdir(project / "manifests/many")
    assert sorted(n for n in names if n.startswith("v1_service_")) == [f"v1_service_svc-{i:02d}.yaml" for i in range(40)]
    _git(project, "add", "-A")
    r = committing()
    assert r.returncode == 0, r.stdout + r.stderr


def test_warnings_are_shown_on_a_passing_commit(project, committing):
    # k8sgen-validate is `verbose: true`: pre-commit would hide a passing hook's warnings.
    spec = project / "specs" / "web.k8sgen.yaml"
    spec.write_text(spec.read_text().replace("image: nginxinc/nginx-unprivileged:1.27", "image: nginxinc/nginx-unprivileged:latest", 1))
    assert "nginx-unprivileged:latest" in spec.read_text()
    _git(project, "add", "-A")
    r = committing()
    if r.returncode == 1:  # the rendered output changed: add it, as a user would
        _git(project, "add", "-A")
        r = committing()
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"k8sgen validate\.+Passed", r.stdout + r.stderr)
    assert "warning: Pod/" in r.stdout + r.stderr and "(lint-image-tag)" in r.stdout + r.stderr


# --- a whole repository through the validate hook -----------------------------------------------


def test_a_realistic_repository_passes_the_validate_hook(project, hook_repo, shared_home):
    """tests/repos (install bundles, envs, variants, kustomize, a Helm chart, other YAML) committed
    into a user's repository: `pre-commit run --all-files` passes with the fixtures ignored, and
    fails at their file:line:col without."""
    shutil.copytree(ROOT / "tests" / "repos", project / "repo")
    rev = _git(hook_repo, "rev-parse", "HEAD").stdout.strip()
    e = _git_env()
    e["PRE_COMMIT_HOME"] = shared_home

    def run(args: str) -> subprocess.CompletedProcess:
        (project / ".pre-commit-config.yaml").write_text(
            f"repos:\n- repo: {hook_repo}\n  rev: {rev}\n  hooks:\n  - id: k8sgen-validate\n{args}"
        )
        _git(project, "add", "-A")
        return subprocess.run([*_pre_commit(), "run", "--all-files", "--color", "never"], cwd=project,
                              capture_output=True, text=True, env=e, timeout=900)

    r = run("    exclude: (^|/)testdata/\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"k8sgen validate\.+Passed", r.stdout)
    # Options go in an overridden entry, before its `--` (args: would be file names).
    r = run("    entry: k8sgen validate --ignore testdata --\n")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"k8sgen validate\.+Passed", r.stdout)
    r = run("")
    assert r.returncode == 1
    assert "repo/testdata/invalid/service-bad-port.yaml:9:11: error: Service/broken-svc: spec.ports[0].port" in r.stdout, r.stdout
