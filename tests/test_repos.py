"""The realistic corpus in tests/repos/: no false errors, however the files are passed.

Every file outside testdata/ is one the API server accepts (or no manifest at all), so k8sgen must
report no error for it alone, per directory, all together and in random batch splits (as pre-commit
splits files), and the single-object results must be the same in every split. kubectl's parser,
`kubectl kustomize` and kubernetes-validate are independent oracles for the same files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from ecosystem_util import require_tool

from k8sgen.pipeline import validate_run

REPOS = Path(__file__).resolve().parent / "repos"
ROOT = REPOS.parent.parent


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def _corpus_files() -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(REPOS):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "testdata")
        out += [_rel(Path(dirpath) / f) for f in sorted(filenames) if f.endswith((".yaml", ".yml", ".json"))]
    return out


FILES = _corpus_files()
DIRS = sorted({str(Path(f).parent) for f in FILES})
R = "tests/repos/"

# What each file is. Everything not listed is Kubernetes manifests.
SKIPPED = {
    "kustomize-app/base/kustomization.yaml": "skip-kustomization",
    "kustomize-app/overlays/prod/kustomization.yaml": "skip-kustomization",
    "kustomize-app/overlays/staging/kustomization.yaml": "skip-kustomization",
    "kustomize-app/overlays/prod/replicas.yaml": "skip-kustomize-patch",
    "kustomize-app/overlays/prod/resources.yaml": "skip-kustomize-patch",
    "kustomize-app/overlays/prod/probes.yaml": "skip-kustomize-patch",
    "kustomize-app/overlays/prod/image-tag.yaml": "skip-kustomize-patch",
    "kustomize-app/overlays/staging/debug-env.yaml": "skip-kustomize-patch",
    "kustomize-app/overlays/prod/team-labels.yaml": "skip-kustomize",
    "kustomize-app/overlays/prod/settings.yaml": "skip-kustomize",
    "helm-mixed/charts/notes/Chart.yaml": "skip-helm",
    "helm-mixed/charts/notes/values.yaml": "skip-helm",
    "helm-mixed/charts/notes/values-prod.yaml": "skip-helm",
    "helm-mixed/charts/notes/ci/ha-values.yaml": "skip-helm",
    "helm-mixed/charts/notes/templates/deployment.yaml": "skip-helm",
    "helm-mixed/charts/notes/templates/service.yaml": "skip-helm",
    "helm-mixed/charts/notes/templates/tests/test-connection.yaml": "skip-helm",
    "mixed-yaml/ci/pipeline.yaml": "skip-not-manifest",
    "mixed-yaml/infra/bucket.yaml": "skip-not-manifest",
    "mixed-yaml/config/app-settings.yaml": "skip-not-manifest",
    "mixed-yaml/docker-compose.yml": "skip-other",
    "mixed-yaml/deploy/values-staging.yaml": "skip-helm",
    "mixed-yaml/tools.schema.json": "skip-json-schema",
    "mixed-yaml/specs/web.prod.layer.yaml": "skip-layer",
}
SPECS = {"mixed-yaml/specs/web.k8sgen.yaml", "mixed-yaml/specs/headless.yaml"}
MANIFESTS = [f for f in FILES if f[len(R):] not in SKIPPED and f[len(R):] not in SPECS]

# Rules whose verdict depends on the other objects of the run (cross-object checks, and lint that
# looks at bindings, roles and Namespace labels); every other result belongs to one object alone.
SET_DEPENDENT = ("ref-", "lint-token-automount", "lint-rbac-broad-binding", "lint-pss-",
                 # availability lint pairs workloads with their budgets and autoscalers
                 "lint-pdb-", "lint-hpa-target", "lint-replicas", "lint-hpa-replicas", "lint-anti-affinity")


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # FILES are relative to the checkout, as pre-commit passes them


def _key(p) -> tuple:
    return (str(p.pos) if p.pos else "", p.severity, p.rule, p.object, p.message)


def _single_object(problems) -> set:
    return {_key(p) for p in problems if not p.rule.startswith(SET_DEPENDENT)}


def _objects_in(path: str) -> list:
    text = (ROOT / path).read_text()
    docs = [json.loads(text)] if path.endswith(".json") else list(yaml.safe_load_all(text))
    return [d for d in docs if isinstance(d, dict)]


def _errors(problems) -> list:
    return [f"{p.pos}: {p.message} ({p.rule})" for p in problems if p.is_error]


def test_the_corpus_has_every_layout():
    assert len(FILES) >= 60 and set(SKIPPED) | SPECS <= {f[len(R):] for f in FILES}
    kinds = {d.get("kind") for f in MANIFESTS for d in _objects_in(f)}
    assert {"Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Service", "Endpoints", "Pod", "ConfigMap", "Secret",
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "CustomResourceDefinition", "Widget",
            "ValidatingWebhookConfiguration", "Namespace", "Ingress", "PersistentVolumeClaim", "ReplicationController"} <= kinds


@pytest.mark.parametrize("path", FILES, ids=lambda f: f[len(R):])
def test_every_file_alone(path):
    run = validate_run([path])
    assert (run.floor, _errors(run.problems)) == (0, [])
    rel = path[len(R):]
    notes = [p.rule for p in run.problems if p.severity == "note" and p.rule.startswith("skip-")]
    if rel in SKIPPED:
        assert (notes, run.objects, run.specs) == ([SKIPPED[rel]], [], 0)
    elif rel in SPECS:
        assert (notes, run.specs) == ([], 1) and run.objects
    else:
        assert notes == [] and run.specs == 0 and run.objects


@pytest.mark.parametrize("directory", DIRS, ids=lambda d: d[len(R):])
def test_every_directory(directory):
    run = validate_run([directory])
    assert (run.floor, _errors(run.problems)) == (0, [])


def test_all_together_through_the_cli():
    ran = run_cli("validate", str(REPOS), "--ignore", "testdata")
    assert ran.code == 0, ran
    summary = ran.err.splitlines()[-1]
    assert summary.startswith("summary: ") and "; 0 errors, " in summary
    assert ("files skipped (Helm chart 8, JSON Schema 1, k8sgen layer 1, kustomization 3, kustomize config 2, kustomize patch 5, "
            "not a manifest 3, other YAML 1, ignored by --ignore 4)") in summary, summary
    assert ", 2 specs;" in summary and "Cluster 1: custom resource without its CRD" in summary
    assert ".github" not in ran.err  # hidden directories are not walked


def test_all_together_equals_the_sum_of_its_files():
    together = validate_run(FILES)
    alone = set()
    for f in FILES:
        alone |= _single_object(validate_run([f]).problems)
    assert _errors(together.problems) == []
    assert _single_object(together.problems) == alone


@pytest.mark.parametrize("seed", range(4))
def test_random_batch_splits(seed):
    """pre-commit passes files in batches of its choosing: errors and single-object results must
    not depend on them."""
    rnd = random.Random(seed)
    files = list(FILES)
    rnd.shuffle(files)
    n = rnd.randint(2, 7)
    cuts = sorted(rnd.sample(range(1, len(files)), n - 1))
    batches = [files[a:b] for a, b in zip([0] + cuts, cuts + [len(files)])]
    union: set = set()
    for batch in batches:
        run = validate_run(batch)
        assert (run.floor, _errors(run.problems)) == (0, []), batch
        union |= _single_object(run.problems)
    assert union == _single_object(validate_run(FILES).problems)


def test_the_same_result_through_paths_and_directories():
    by_dir = validate_run(["tests/repos"], ignore=["testdata"])
    by_file = validate_run(FILES)
    assert {_key(p) for p in by_dir.problems} == {_key(p) for p in by_file.problems}


def test_variants_are_not_duplicates_but_copies_in_one_file_are(tmp_path):
    run = validate_run([str(REPOS / "multi-env"), str(REPOS / "providers")])
    assert not [p for p in run.problems if p.rule == "ref-duplicate"]
    twice = tmp_path / "envs" / "dev" / "sa.yaml"
    twice.parent.mkdir(parents=True)
    text = (REPOS / "multi-env/envs/dev/sa.yaml").read_text()
    twice.write_text(text + "---\n" + text)
    (tmp_path / "envs" / "dev" / "z-copy.yaml").write_text(text)
    ran = run_cli("validate", str(tmp_path))
    assert ran.code == 0 and ran.err.count("(ref-duplicate)") == 2, ran
    assert "defined more than once in this file" in ran.err and "defined more than once in this directory" in ran.err
    assert run_cli("validate", str(tmp_path), "--strict").code == 1


# --- independent oracles -------------------------------------------------------------------------


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda f: f[len(R):])
def test_kubectl_reads_every_manifest_file(path):
    kubectl = require_tool("kubectl")
    p = subprocess.run([kubectl, "annotate", "--local", "-f", str(ROOT / path), "-o", "name", "k8sgen-check=1"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert len(p.stdout.split()) == len(validate_run([path]).objects)


NOT_OBJECTS = [f for f in FILES if SKIPPED.get(f[len(R):]) in ("skip-not-manifest", "skip-helm", "skip-other")]


@pytest.mark.parametrize("path", NOT_OBJECTS, ids=lambda f: f[len(R):])
def test_kubectl_finds_no_object_in_what_k8sgen_skips(path):
    kubectl = require_tool("kubectl")
    p = subprocess.run([kubectl, "annotate", "--local", "-f", str(ROOT / path), "-o", "name", "k8sgen-check=1"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and p.stdout == "", (p.stdout, p.stderr)


def test_kubernetes_validate_accepts_every_object_it_knows():
    import kubernetes_validate

    from k8sgen.validate.k8s_schema import DEFAULT_VERSION

    known = 0
    for path in MANIFESTS:
        for obj in _objects_in(path):
            try:
                kubernetes_validate.validate(obj, DEFAULT_VERSION + ".0", strict=True)
            except kubernetes_validate.SchemaNotFoundError:
                continue  # custom resources, kind's cluster config
            known += 1
    assert known >= 80


@pytest.mark.parametrize("overlay", ["base", "overlays/prod", "overlays/staging"])
def test_kustomize_builds_what_was_skipped_and_k8sgen_accepts_the_result(overlay, tmp_path):
    kubectl = require_tool("kubectl")
    p = subprocess.run([kubectl, "kustomize", str(REPOS / "kustomize-app" / overlay)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    built = tmp_path / "built.yaml"
    built.write_text(p.stdout)
    run = validate_run([str(built)])
    assert (run.floor, _errors(run.problems)) == (0, [])
    assert {o["kind"] for o in run.objects} >= {"Deployment", "Service", "ConfigMap"}


# --- what is broken on purpose is rejected, with a position --------------------------------------


def test_fixtures_are_rejected_at_their_position():
    t = "tests/repos/testdata/invalid/"
    ran = run_cli("validate", str(REPOS / "testdata"), "--format", "json")
    assert ran.code == 1
    got = {(p["file"][p["file"].index(t) + len(t):], p["line"], p["column"], p["path"], p["rule"])
           for p in json.loads(ran.out)["problems"] if p["severity"] == "error"}
    assert got >= {
        ("pod-bad-container-name.yaml", 8, 11, "spec.containers[0].name", "pod-container-name"),
        ("pod-bad-container-name.yaml", 12, 9, "spec.containers[0].resources.requests", "pod-container-resources"),
        ("service-bad-port.yaml", 9, 11, "spec.ports[0].port", "service-ports"),
        ("configmap-unknown-field.yaml", 5, 1, "date", "k8s-schema-unknown-field"),
        ("role-removed-api.yaml", 1, 13, "apiVersion", "k8s-api-removed"),
    }
    whole = run_cli("validate", str(REPOS))
    assert whole.code == 1 and "testdata/invalid/" in whole.err


def test_ignore_patterns_as_regex_and_glob():
    for pattern in ("testdata", "tests/repos/testdata/.*", "*/testdata/*", "invalid"):
        ran = run_cli("validate", str(REPOS), "--ignore", pattern)
        assert ran.code == 0 and "testdata" not in ran.err.replace("--ignore", ""), (pattern, ran)
    # Named files are left out too: what a pre-commit hook passes with `entry: k8sgen validate --ignore testdata --`.
    bad = str(REPOS / "testdata/invalid/service-bad-port.yaml")
    ran = run_cli("validate", bad, "--ignore", "testdata")
    assert ran.code == 0 and ran.err.endswith("; 1 file skipped (ignored by --ignore 1); 0 errors, 0 warnings\n")


def test_hidden_directories_are_not_walked_but_named_files_are_read():
    hidden = REPOS / "mixed-yaml/.github/workflows/ci.yaml"
    assert hidden.exists()
    ran = run_cli("validate", str(hidden))
    assert ran.code == 0 and "(skip-not-manifest)" in ran.err


def test_the_schema_file_init_writes_is_told_apart(tmp_path):
    shutil.copytree(REPOS / "mixed-yaml", tmp_path / "repo")
    schema = run_cli("schema").out
    (tmp_path / "repo" / "k8sgen.schema.json").write_text(schema)  # where the spec's modeline points
    ran = run_cli("validate", str(tmp_path / "repo"))
    assert ran.code == 0, ran
    assert "k8sgen.schema.json: note: skipped: a JSON Schema file (skip-json-schema)" in ran.err


def test_a_spec_is_checked_as_a_spec_only_when_recognized(tmp_path):
    typo = "pods:\n  web:\n    imagee: nginx:1.27\n"
    (tmp_path / "app.yaml").write_text(typo)  # recognized by its keys: every mistake is reported
    ran = run_cli("validate", str(tmp_path / "app.yaml"))
    assert ran.code == 1 and "unknown key 'imagee' (spec-unknown-key)" in ran.err
    (tmp_path / "values.yaml").write_text(typo)  # Helm values by name: never a spec
    ran = run_cli("validate", str(tmp_path / "values.yaml"))
    assert ran.code == 0 and "(skip-helm)" in ran.err
    (tmp_path / "other.yaml").write_text("pods: {}\nreplicas: 3\n")  # a key no spec has
    ran = run_cli("validate", str(tmp_path / "other.yaml"))
    assert ran.code == 0 and "not a k8sgen spec although it has 'pods'" in ran.err and "*.k8sgen.yaml" in ran.err
    (tmp_path / "other.k8sgen.yaml").write_text("pods: {}\nreplicas: 3\n")  # named as a spec: checked as one
    ran = run_cli("validate", str(tmp_path / "other.k8sgen.yaml"))
    assert ran.code == 1 and "unknown key 'replicas'" in ran.err
    (tmp_path / "modeline.yaml").write_text("# yaml-language-server: $schema=https://example.com/k8sgen.schema.json\nreplicas: 3\n")
    ran = run_cli("validate", str(tmp_path / "modeline.yaml"))
    assert ran.code == 1 and "unknown key 'replicas'" in ran.err


def test_a_layer_is_checked_when_merged(monkeypatch):
    monkeypatch.chdir(REPOS / "mixed-yaml")
    ran = run_cli("render", "-f", "specs/web.k8sgen.yaml", "-f", "specs/web.prod.layer.yaml")
    assert ran.code == 0 and "memory: 512Mi" in ran.out, ran


def test_kustomize_references_are_found_from_parent_directories(tmp_path):
    (tmp_path / ".git").mkdir()  # the repository root: the search stops here
    overlay = tmp_path / "overlays" / "prod"
    (overlay / "patches").mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("resources: [../../base]\npatches:\n- path: patches/replicas.yaml\n")
    patch = overlay / "patches" / "replicas.yaml"
    patch.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n")
    ran = run_cli("validate", str(patch))
    assert ran.code == 0 and "a patch named by" in ran.err and "(skip-kustomize-patch)" in ran.err, ran
    # Not named by any kustomization: the same partial object is checked as what it is.
    other = tmp_path / "partial.yaml"
    other.write_text(patch.read_text())
    ran = run_cli("validate", str(other))
    assert "(skip-kustomize-patch)" not in ran.err and "Deployment/web" in ran.err, ran


def test_a_chart_s_crds_are_checked():
    run = validate_run(["tests/repos/helm-mixed/charts/notes/crds/notebooks.yaml"])
    assert [o["kind"] for o in run.objects] == ["CustomResourceDefinition"] and not run.skipped


def test_yaml_k8sgen_refuses_is_still_an_error_in_a_manifest(tmp_path):
    f = tmp_path / "deploy.yaml"
    f.write_text("base: &b {app: web}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    <<: *b\n")
    ran = run_cli("validate", str(f))
    assert ran.code == 2 and "(yaml-merge-key)" in ran.err


def test_notes_in_every_format():
    chart = "tests/repos/helm-mixed/charts/notes/Chart.yaml"
    ran = run_cli("validate", chart, "--format", "github")
    assert ran.err.splitlines()[0] == f"::notice file={chart},title=skip-helm::skipped: Helm chart metadata (Chart.yaml)"
    ran = run_cli("validate", chart, "--format", "json")
    [p] = json.loads(ran.out)["problems"]
    assert (p["severity"], p["rule"], p["line"]) == ("note", "skip-helm", 0) and ran.code == 0
    assert run_cli("validate", chart, "--strict").code == 0  # notes never fail


def test_render_still_reads_any_spec_it_is_given():
    from conftest import EXAMPLES

    for example in sorted(EXAMPLES.glob("*.yaml")):
        assert run_cli("render", str(example)).code == 0, example


# --- the cross-object pass stays linear ------------------------------------------------------------


def test_two_thousand_pods_and_services_finish_fast(tmp_path):
    from k8sgen.validate import Context, Manifest, references, refindex

    def objects(n):
        out = []
        for i in range(n):
            out.append({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"web-{i}", "namespace": f"ns-{i % 20}", "labels": {"app": f"web-{i}", "tier": "fe"}},
                        "spec": {"containers": [{"name": "web", "image": "nginx:1.27.3", "ports": [{"name": "http", "containerPort": 8080}]}]}})
            out.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"web-{i}", "namespace": f"ns-{i % 20}"},
                        "spec": {"selector": {"app": f"web-{i}", "tier": "fe"}, "ports": [{"port": 80, "targetPort": "http"}]}})
        return out

    calls = []
    real = refindex._selects
    refindex._selects = lambda s, l: calls.append(1) or real(s, l)
    try:
        for n in (1000, 2000):
            calls.clear()
            ctx = Context(kube_version=(1, 37), manifests=[Manifest(o) for o in objects(n)])
            start = time.perf_counter()
            assert list(references.check(ctx)) == []
            took = time.perf_counter() - start
            assert 0 < len(calls) <= 2 * n  # one candidate per Service (and per subdomain), not n x n
    finally:
        refindex._selects = real
    assert took < 10, took  # about 0.3 s on an idle machine; a pairwise scan would be 4 million comparisons


@pytest.mark.skipif(sys.platform == "win32", reason="paths")
def test_a_repository_run_by_pre_commit_style_argument_lists_is_the_same_as_a_walk():
    """pre-commit passes `git ls-files` paths relative to the repository root."""
    cwd = os.getcwd()
    try:
        os.chdir(REPOS)
        listed = sorted(f[len(R):] for f in FILES)
        walk = validate_run(["."], ignore=["testdata"])
        named = validate_run(listed)
    finally:
        os.chdir(cwd)
    assert {_key(p) for p in walk.problems} == {_key(p) for p in named.problems}
