"""What `validate` reads (k8sgen/inputs.py) and what each file is (k8sgen/filekinds.py)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_cli
from k8sgen import filekinds
from k8sgen.inputs import Ignore, expand
from k8sgen.source import Document, PositionMap

IGNORE_CASES = [
    # pattern, path, ignored?
    ("testdata", "tests/testdata/bad.yaml", True),  # regex searched in the path
    ("testdata", "tests/test-data/bad.yaml", False),
    ("*.tpl", "charts/a/templates/_x.tpl", True),  # not a regex: a glob on any trailing part
    ("**/invalid/*", "a/b/invalid/c.yaml", True),
    ("invalid/*", "a/b/invalid/c.yaml", True),
    ("test?ata", "x/testdata/y.yaml", True),  # a regex that does not match, a glob on a directory name that does
    (r"_test\.ya?ml$", "pkg/pod_test.yml", True),
    (r"_test\.ya?ml$", "pkg/pod_test.yaml.bak", False),
    ("deploy", "./deploy/app.yaml", True),
    ("^deploy/", "./deploy/app.yaml", True),  # ./ is not part of the path
    ("^deploy/", "x/deploy/app.yaml", False),
]


@pytest.mark.parametrize("pattern,path,ignored", IGNORE_CASES)
def test_ignore_patterns(pattern, path, ignored):
    assert Ignore([pattern]).match(path) is ignored
    assert Ignore().match(path) is False and Ignore([pattern]).match("-") is False


def _tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_walk_order_hidden_directories_extensions_and_duplicates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, {"b/x.yaml": "", "a/y.yml": "", "a/z.json": "", "a/notes.txt": "", ".hidden/h.yaml": "", "a/.dot.yaml": "",
                     "a/UPPER.YAML": "", "testdata/t.yaml": ""})
    (tmp_path / "link").symlink_to(tmp_path / "b", target_is_directory=True)
    got = expand([".", "a/y.yml", "b"], Ignore(["testdata"]))
    assert got.files == ["a/UPPER.YAML", "a/y.yml", "a/z.json", "b/x.yaml"]  # hidden files and directories are left out
    assert got.ignored == 1 and got.problems == []


def test_walk_of_a_directory_keeps_its_prefix(tmp_path):
    _tree(tmp_path, {"deploy/app.yaml": ""})
    assert expand([str(tmp_path / "deploy")]).files == [str(tmp_path / "deploy" / "app.yaml")]


def test_missing_files_are_kept_for_the_reader():
    assert expand(["nope.yaml", "-"]).files == ["nope.yaml", "-"]


def test_a_missing_file_is_reported_whatever_its_name(tmp_path):
    ran = run_cli("validate", str(tmp_path / "Chart.yaml"))
    assert ran.code == 2 and "no such file (input-missing)" in ran.err


# --- by name and place -----------------------------------------------------------------------------

LAYOUT = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "kustomization.yaml": "resources: [app]\n",
    "app/kustomization.yml": "patchesStrategicMerge:\n- p1.yaml\n- |\n  apiVersion: v1\n  kind: ConfigMap\n",
    "app/p1.yaml": "",
    "app/sub/p2.yaml": "",
    "app/sub/kustomization.yaml": "patches:\n- path: p2.yaml\npatchesJson6902:\n- path: ../ops.yaml\n"
                                  "configMapGenerator:\n- name: c\n  files: [k=settings.yaml]\n  envs: [x.env]\n"
                                  "transformers: [t.yaml]\nopenapi: {path: schema.yaml}\nhelmCharts:\n- name: n\n  valuesFile: hv.yaml\n",
    "app/ops.yaml": "", "app/sub/settings.yaml": "", "app/sub/t.yaml": "", "app/sub/schema.yaml": "", "app/sub/hv.yaml": "",
    "app/resource.yaml": "",
    "chart/Chart.yaml": "", "chart/values.yaml": "", "chart/values-prod.yaml": "", "chart/values.schema.json": "",
    "chart/templates/a.yaml": "", "chart/templates/sub/b.yaml": "", "chart/ci/v.yaml": "", "chart/charts/dep/templates/x.yaml": "",
    "chart/crds/crd.yaml": "", "chart/examples/e.yaml": "",
    "chart/charts/dep/Chart.yaml": "", "chart/charts/dep/crds/c.yaml": "",
    "compose.yaml": "", "docker-compose.prod.yml": "", "svc.schema.json": "", "prod.layer.yaml": "",
    "Kustomization": "", "_helpers.tpl": "", "NOTES.txt": "",
}
EXPECTED = {
    "kustomization.yaml": "skip-kustomization", "Kustomization": "skip-kustomization", "app/kustomization.yml": "skip-kustomization",
    "app/p1.yaml": "skip-kustomize-patch", "app/sub/p2.yaml": "skip-kustomize-patch",
    "app/ops.yaml": None,  # named from app/sub: kustomize would refuse to load it (outside that root)
    "app/sub/settings.yaml": "skip-kustomize", "app/sub/t.yaml": "skip-kustomize", "app/sub/schema.yaml": "skip-kustomize",
    "app/sub/hv.yaml": "skip-helm",
    "app/resource.yaml": None,
    "chart/Chart.yaml": "skip-helm", "chart/values.yaml": "skip-helm", "chart/values-prod.yaml": "skip-helm",
    "chart/values.schema.json": "skip-helm", "chart/templates/a.yaml": "skip-helm", "chart/templates/sub/b.yaml": "skip-helm",
    "chart/ci/v.yaml": "skip-helm", "chart/charts/dep/templates/x.yaml": "skip-helm", "chart/crds/crd.yaml": None, "chart/examples/e.yaml": None,
    "chart/charts/dep/crds/c.yaml": None,  # a subchart's CRDs: plain manifests too
    "compose.yaml": "skip-other", "docker-compose.prod.yml": "skip-other", "svc.schema.json": "skip-json-schema",
    "prod.layer.yaml": "skip-layer", "_helpers.tpl": "skip-helm", "NOTES.txt": "skip-helm",
}


@pytest.fixture
def layout(tmp_path):
    _tree(tmp_path, LAYOUT)
    filekinds.clear_caches()
    yield tmp_path
    filekinds.clear_caches()


def test_files_told_apart_by_name_and_place(layout):
    got = {rel: (s.rule if (s := filekinds.skip_by_path(str(layout / rel))) else None) for rel in EXPECTED}
    assert got == EXPECTED


def test_a_kustomization_outside_the_repository_is_not_looked_at(tmp_path):
    # The search for kustomizations and charts stops at the repository root (.git).
    _tree(tmp_path, {"kustomization.yaml": "patches:\n- path: repo/p.yaml\n", "repo/.git/HEAD": "", "repo/p.yaml": ""})
    filekinds.clear_caches()
    assert filekinds.skip_by_path(str(tmp_path / "repo" / "p.yaml")) is None


# --- by content --------------------------------------------------------------------------------------


@pytest.mark.parametrize("first_line,spec", [
    ("# yaml-language-server: $schema=k8sgen.schema.json", True),
    ("#yaml-language-server: $schema=../../k8sgen.schema.json", True),
    ("# yaml-language-server: $schema=https://example.com/schemas/k8sgen.schema.json", True),
    ("# yaml-language-server: $schema=https://example.com/other.json", False),
    ("# yaml-language-server: $schema=my-k8sgen.schema.json", False),
    ("# a comment", False),
])
def test_modeline(first_line, spec):
    assert filekinds.spec_by_marker("app.yaml", first_line + "\nfoo: 1\n") is spec


def test_modeline_after_the_first_comment_lines_does_not_count():
    assert filekinds.spec_by_marker("app.yaml", "# header\n# yaml-language-server: $schema=k8sgen.schema.json\n")
    assert not filekinds.spec_by_marker("app.yaml", "a: 1\n# yaml-language-server: $schema=k8sgen.schema.json\n")


@pytest.mark.parametrize("name,spec", [
    ("k8sgen.yaml", True), ("k8sgen.yml", True), ("web.k8sgen.yaml", True), ("web.k8sgen.yml", True),
    ("k8sgen.yaml.bak", False), ("web-k8sgen.yaml", False),
])
def test_spec_names(name, spec):
    assert filekinds.spec_by_marker(f"specs/{name}", "") is spec


SPEC_KEY = st.sampled_from(sorted(filekinds.SPEC_KEYS))
OTHER_KEY = st.text(min_size=1, max_size=8).filter(lambda k: k not in filekinds.SPEC_KEYS)


@given(st.dictionaries(SPEC_KEY, st.none(), min_size=1), st.dictionaries(OTHER_KEY, st.none(), min_size=1))
def test_a_key_no_spec_has_means_not_a_spec_by_content(spec_keys, other_keys):
    assert not filekinds.spec_by_content({**spec_keys, **other_keys})
    assert filekinds.spec_by_content(spec_keys) is any(k in filekinds.SPEC_ENTRY_KEYS for k in spec_keys)
    assert not filekinds.spec_by_content({**spec_keys, "apiVersion": "v1", "kind": "Pod"})


def _docs(*datas):
    return [Document(d, PositionMap("f.yaml")) for d in datas]


CONTENT_CASES = [
    ("a manifest", [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}], None),
    ("kustomize doc", [{"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}], "skip-kustomization"),
    ("builtin plugin", [{"apiVersion": "builtin", "kind": "PrefixSuffixTransformer", "metadata": {"name": "p"}}], "skip-kustomization"),
    ("json6902", [[{"op": "replace", "path": "/spec/replicas", "value": 3}]], "skip-kustomize-patch"),
    ("json schema", [{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}], "skip-json-schema"),
    ("settings", [{"server": {"port": 80}}], "skip-not-manifest"),
    ("a list", [["a", "b"]], "skip-not-manifest"),
    ("kind and metadata, no apiVersion: a broken object, checked", [{"kind": "Pod", "metadata": {"name": "x"}}], None),
    ("kind alone: some other YAML", [{"kind": "fruit"}], "skip-not-manifest"),
    ("a mix of objects and kustomize docs", [{"apiVersion": "builtin", "kind": "X"}, {"apiVersion": "v1", "kind": "Pod"}], None),
]


@pytest.mark.parametrize("what,datas,rule", CONTENT_CASES, ids=[str(c[0]) for c in CONTENT_CASES])
def test_files_told_apart_by_content(what, datas, rule):
    s = filekinds.skip_by_content("f.yaml", _docs(*datas))
    assert (s.rule if s else None) == rule


@pytest.mark.parametrize("text,skipped", [
    ("a: &x {b: 1}\nc:\n  <<: *x\n", True),  # a CI config with merge keys
    ("Value: !Ref Bucket\n", True),  # CloudFormation
    ("a: 1\na: 2\n", True),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: x}\n---\nx:\n  <<: *m\n", False),  # holds an object
    ("pods: !!python/object/apply:os.system [echo]\n", False),  # a spec key: the refusal stands
    ("labels: {a: 1, a: 2}\n", False),
])
def test_yaml_k8sgen_refuses(text, skipped):
    rule = {"<<": "yaml-merge-key", "!": "yaml-tag"}.get(next((k for k in ("<<", "!") if k in text), ""), "yaml-duplicate-key")
    assert (filekinds.lenient_skip(text, rule) is not None) is skipped
    assert filekinds.lenient_skip(text, "yaml-syntax") is None  # broken YAML is always reported


def test_the_walk_does_not_follow_directory_symlinks(tmp_path):
    _tree(tmp_path, {"real/a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"})
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert expand([str(tmp_path)]).files == [str(tmp_path / "real" / "a.yaml")]
