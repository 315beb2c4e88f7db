"""`--format sarif` (and junit): valid SARIF 2.1.0, each problem on the exact extent of its node.

The logs are checked with Microsoft's own validator, `sarif-multitool` from the npm registry
(installed once into a cache directory; node and npm are needed, and in CI, K8SGEN_CI=1, a
missing tool fails). The validator exits 0 even when it finds errors, so its report lines
(`FILE(LINE,COL): error CODE: ...`) are read instead. The SARIF JSON schema embedded in the
validator is also applied with jsonschema, so a schema error names the failing path here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import IN_CI, require_tool, run_cli, without_summary

ROOT = Path(__file__).resolve().parent.parent
MULTITOOL_VERSION = "5.7.0"

SPEC = """\
pods:
  web:
    image: nginx:1.27
    securityContext:
      runAsNonRot: true
    env:
      GREETING: |
        hello
        world

  api:
    image: nginx:latest
    resources: {limits: {memory: 64Mi}}
"""

MANIFEST = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    protocoll: TCP
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: Bad_Name
"""


def _text_at(text: str, region: dict) -> str:
    """The characters a SARIF region covers (1-based lines and columns, end column exclusive)."""
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: region["startLine"] - 1]) + region["startColumn"] - 1
    end = sum(len(x) for x in lines[: region["endLine"] - 1]) + region["endColumn"] - 1
    return text[start:end]


def _sarif(tmp_path, *argv, files: dict | None = None) -> dict:
    (tmp_path / ".git").mkdir(exist_ok=True)
    for name, text in (files or {"specs/app.k8sgen.yaml": SPEC, "deploy/svc.yaml": MANIFEST}).items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path / "specs" if (tmp_path / "specs").is_dir() else tmp_path)
    try:
        ran = run_cli(*argv)
    finally:
        os.chdir(old)
    doc = ran.out if argv[0] == "validate" else ran.err
    return json.loads(doc)


def _results(log: dict) -> list[dict]:
    (run,) = log["runs"]
    return run["results"]


def test_each_problem_covers_exactly_its_node(tmp_path):
    log = _sarif(tmp_path, "validate", "app.k8sgen.yaml", "../deploy/svc.yaml", "--format", "sarif")
    found = {}
    for r in _results(log):
        loc = r["locations"][0]["physicalLocation"]
        text = (tmp_path / loc["artifactLocation"]["uri"]).read_text(encoding="utf-8")
        found[(loc["artifactLocation"]["uri"], r["ruleId"])] = _text_at(text, loc["region"])
    assert found[("specs/app.k8sgen.yaml", "k8s-schema-unknown-field")] == "runAsNonRot"
    assert found[("specs/app.k8sgen.yaml", "lint-image-tag")] == "nginx:latest"
    assert found[("deploy/svc.yaml", "k8s-schema-unknown-field")] == "protocoll"
    assert found[("deploy/svc.yaml", "metadata-name")] == "Bad_Name"


def test_a_block_scalar_ends_at_its_last_character(tmp_path):
    from k8sgen.yamlio import load_documents

    doc = load_documents(SPEC, "app.yaml", mode="spec")[0]
    pos = doc.locate(("pods", "web", "env", "GREETING"))
    region = {"startLine": pos.line, "startColumn": pos.col, "endLine": pos.end_line, "endColumn": pos.end_col}
    assert _text_at(SPEC, region) == "|\n        hello\n        world"
    web = doc.locate(("pods", "web"))  # a block mapping ends with its last entry, not at `services:`
    assert (web.end_line, web.end_col) == (9, 14)


def test_uris_are_relative_to_the_repository_root(tmp_path):
    log = _sarif(tmp_path, "validate", "app.k8sgen.yaml", "--format", "sarif")
    (run,) = log["runs"]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"
    for r in run["results"]:
        art = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert art == {"uri": "specs/app.k8sgen.yaml", "uriBaseId": "SRCROOT"}


def test_levels_rules_and_help(tmp_path):
    log = _sarif(tmp_path, "validate", "app.k8sgen.yaml", "../deploy/svc.yaml", "--format", "sarif")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["k8s-schema-unknown-field"] == "error" and levels["lint-image-tag"] == "warning"
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["metadata-name"]["helpUri"].endswith("docs/rules.md#metadata")
    assert by_id["lint-image-tag"]["helpUri"].endswith("docs/checks.md#lint-rules-lint--all-warnings")
    assert by_id["lint-image-tag"]["shortDescription"]["text"].startswith("Images are pinned")
    texts = [r["message"]["text"] for r in run["results"] if r["ruleId"] == "k8s-schema-unknown-field"]
    assert any(t.endswith('\nhint: did you mean "runAsNonRoot"?') for t in texts), texts


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _all_rule_ids() -> list[str]:
    from k8sgen.validate.lint import LINT_RULES
    from k8sgen.validate.references import REFERENCE_RULES
    from k8sgen.validate.rules.registry import REGISTRY

    ids = list(REGISTRY) + [r[0] for r in REFERENCE_RULES] + [r[0] for r in LINT_RULES]
    return ids + ["k8s-schema-type", "k8s-kind", "spec-unknown-key", "yaml-syntax", "input-missing",
                  "output-edited", "set-path", "kustomize-config", "usage"]


@pytest.mark.parametrize("rule_id", _all_rule_ids())
def test_every_help_uri_names_a_document_and_heading_that_exist(rule_id):
    from k8sgen.report_sarif import DOCS, rule_info

    short, help_text, uri = rule_info(rule_id)
    assert short and help_text and uri.startswith(DOCS)
    doc, _, anchor = uri[len(DOCS):].partition("#")
    text = (ROOT / doc).read_text(encoding="utf-8")
    if anchor:
        headings = {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
        assert anchor in headings, f"{doc} has no heading for #{anchor}"


def test_problems_without_a_file_keep_their_place_in_the_message(tmp_path):
    log = _sarif(tmp_path, "render", "app.k8sgen.yaml", "--set", "pods.web.imag=x", "--format", "sarif")
    (result,) = [r for r in _results(log) if r["ruleId"] == "spec-unknown-key"]
    assert result["message"]["text"].startswith("--set:1:10: ")
    assert "locations" not in result


def test_raised_problems_are_in_the_report_too(tmp_path):
    log = _sarif(tmp_path, "render", "missing.yaml", "--format", "sarif")
    (result,) = _results(log)
    assert result["ruleId"] == "input-missing"
    assert result["locations"][0]["physicalLocation"]["region"] == {"byteOffset": 0, "byteLength": 0}


def test_report_file_and_stable_output(tmp_path):
    log = _sarif(tmp_path, "validate", "app.k8sgen.yaml", "--format", "sarif")
    old = os.getcwd()
    os.chdir(tmp_path / "specs")
    try:
        first = run_cli("validate", "app.k8sgen.yaml", "--format", "sarif", "--report", "a.sarif")
        second = run_cli("validate", "app.k8sgen.yaml", "--format", "sarif")
    finally:
        os.chdir(old)
    assert first.code == 1 and first.out == "" and without_summary(first.err) == ""
    assert (tmp_path / "specs" / "a.sarif").read_text(encoding="utf-8") == second.out
    assert json.loads(second.out) == log


def test_junit(tmp_path):
    (tmp_path / "app.yaml").write_text(SPEC, encoding="utf-8")
    ran = run_cli("validate", str(tmp_path / "app.yaml"), "--format", "junit")
    suites = ET.fromstring(ran.out)
    (suite,) = suites
    cases = list(suite)
    failures = [c for c in cases if c.find("failure") is not None]
    assert suites.get("failures") == str(len(failures)) == "1"
    assert failures[0].get("line") == "5" and "runAsNonRot" in failures[0].find("failure").get("message")
    assert len(cases) == int(suite.get("tests")) > 1
    clean = run_cli("validate", str(ROOT / "examples" / "clusterip.yaml"), "--format", "junit")
    assert clean.code == 0 and ET.fromstring(clean.out).get("failures") == "0"


def test_junit_keeps_xml_valid_with_control_characters(tmp_path):
    (tmp_path / "app.yaml").write_text('pods:\n  web:\n    image: "nginx\\x01"\n', encoding="utf-8")
    ran = run_cli("validate", str(tmp_path / "app.yaml"), "--format", "junit")
    ET.fromstring(ran.out)  # parses
    assert "\\u0001" in ran.out


# --- the official validator ----------------------------------------------------------------------


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "k8sgen-tests" / f"sarif-multitool-{MULTITOOL_VERSION}"


@pytest.fixture(scope="module")
def multitool() -> Path:
    prefix = _cache_dir()
    modules = prefix / "node_modules" / "@microsoft"
    binary = modules / "sarif-multitool-linux" / "Sarif.Multitool"
    if not binary.exists():
        require_tool("node")
        npm = require_tool("npm")
        prefix.mkdir(parents=True, exist_ok=True)
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}"],
                           capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr
    if binary.exists():
        return binary
    # Other platforms: the package's launcher (it passes arguments through a shell).
    return prefix / "node_modules" / ".bin" / "sarif-multitool"


def _logs(tmp_path) -> dict[str, str]:
    """SARIF logs of many kinds of runs: spec and manifest problems, layers, --set, unreadable
    input, YAML errors, a clean run."""
    (tmp_path / ".git").mkdir()
    files = {
        "app.k8sgen.yaml": SPEC,
        "svc.yaml": MANIFEST,
        "prod.yaml": "pods:\n  web:\n    image: nginx\n",
        "broken.yaml": "pods:\n  web: [\n",
        "dup.yaml": "pods:\n  a: {image: x}\n  a: {image: y}\n",
        "with space ü.yaml": SPEC,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    runs = {
        "validate": ["validate", "app.k8sgen.yaml", "svc.yaml", "broken.yaml", "dup.yaml", "missing.yaml", "with space ü.yaml"],
        "layers": ["render", "-f", "app.k8sgen.yaml", "-f", "prod.yaml", "--set", "pods.web.imag=1"],
        "clean": ["validate", str(ROOT / "examples" / "clusterip.yaml")],
        "outside": ["validate", str(ROOT / "examples" / "clusterip.yaml"), "svc.yaml"],
        "stdin": ["render", "-"],
    }
    out = {}
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        for name, argv in runs.items():
            ran = run_cli(*argv, "--format", "sarif", "--report", f"{name}.sarif", stdin=MANIFEST if "-" in argv else None)
            assert ran.code in (0, 1, 2), ran
            out[name] = (tmp_path / f"{name}.sarif").read_text(encoding="utf-8")
    finally:
        os.chdir(old)
    return out


def test_the_official_validator_accepts_every_log(multitool, tmp_path):
    logs = _logs(tmp_path)
    report = tmp_path / "validation.sarif"
    paths = [str(tmp_path / f"{name}.sarif") for name in logs]
    args = ["validate", *paths, "-o", str(report), "--log", "ForceOverwrite"]
    r = subprocess.run([str(multitool), *args], capture_output=True, text=True, timeout=600)
    # It exits 0 even when it finds errors: its report lines tell.
    problems = [line for line in r.stdout.splitlines() if re.search(r": (error|warning) [A-Z]+[0-9]+:", line)]
    assert r.returncode == 0 and "Analysis completed successfully" in r.stdout, r.stdout + r.stderr
    assert problems == []
    validation = json.loads(report.read_text(encoding="utf-8-sig"))
    assert [x for x in validation["runs"][0].get("results", []) if x.get("level", "warning") in ("error", "warning")] == []


def _embedded_schema(binary: Path) -> dict | None:
    data = binary.read_bytes()
    title = b'"title": "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"'
    at = data.find(title)
    if at < 0:
        return None
    start = data.rfind(b"{", 0, at)
    return json.JSONDecoder().raw_decode(data[start:start + 1_000_000].decode("utf-8", "replace"))[0]


def test_logs_match_the_sarif_json_schema(multitool, tmp_path):
    import jsonschema

    schema = _embedded_schema(multitool) if multitool.name == "Sarif.Multitool" else None
    if schema is None:
        if IN_CI:
            pytest.fail("the SARIF schema was not found in the sarif-multitool binary")
        pytest.skip("sarif-multitool for this platform does not embed the schema")
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for name, text in _logs(tmp_path).items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(json.loads(text))]
        assert errors == [], name


def _workflow_blocks(text: str) -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    return [b for b in blocks if "upload-sarif" in b]


def test_the_documented_workflow_runs(tmp_path):
    """docs/ecosystem.md's GitHub Actions workflow: valid YAML, and its k8sgen steps, run in a
    repository like the one it describes, leave a SARIF log for the upload step."""
    import yaml

    (block,) = [b for b in _workflow_blocks((ROOT / "docs" / "ecosystem.md").read_text(encoding="utf-8")) if "jobs:" in b]
    workflow = yaml.safe_load(block)
    steps = workflow["jobs"]["k8sgen"]["steps"]
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload and upload[0]["if"] == "always()" and workflow["permissions"]["security-events"] == "write"
    (tmp_path / ".git").mkdir()
    (tmp_path / "specs").mkdir()
    (tmp_path / "deploy").mkdir()
    spec = (ROOT / "examples" / "headless.yaml").read_text(encoding="utf-8") + "outputDir: ../manifests/web\n"
    (tmp_path / "specs" / "web.k8sgen.yaml").write_text(spec, encoding="utf-8")
    (tmp_path / "deploy" / "svc.yaml").write_text(MANIFEST, encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "k8sgen", "render", "specs/web.k8sgen.yaml", "--write"], cwd=tmp_path).returncode == 0
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "k8sgen").write_text(f"#!/bin/sh\nexec {sys.executable} -m k8sgen \"$@\"\n")
    (bindir / "k8sgen").chmod(0o755)
    codes = []
    for step in steps:
        if str(step.get("run", "")).startswith("k8sgen "):
            r = subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True,
                               env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"})
            codes.append(r.returncode)
    assert codes == [1, 0]  # the manifest has errors; the generated output is current
    log = json.loads((tmp_path / upload[0]["with"]["sarif_file"]).read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in _results(log)}
    assert uris == {"deploy/svc.yaml"}


def test_the_readme_shows_the_upload_too():
    (block,) = _workflow_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "--format sarif --report k8sgen.sarif" in block and "sarif_file: k8sgen.sarif" in block


# --- extents as a property: what a region covers reads back as the node --------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
_SCALARS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
_TREES = st.recursive(_SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(_KEYS, kids, max_size=3)), max_leaves=12)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=st.dictionaries(_KEYS, _TREES, min_size=1, max_size=4), flow=st.booleans(), width=st.sampled_from([20, 1000]))
def test_every_scalar_and_key_extent_reads_back_as_itself(tree, flow, width):
    import yaml

    from k8sgen.errors import InputError
    from k8sgen.yamlio import load_documents

    text = yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=True, width=width)
    try:
        (doc,) = load_documents(text, "t.yaml", mode="k8s")
    except InputError:
        return  # refused input (control characters, depth): no positions to check
    whole = yaml.safe_load(text)

    def value_at(path):
        v = whole
        for p in path:
            v = v[p]
        return v

    for path, (line, col, end_line, end_col) in doc.positions.values.items():
        region = {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}
        piece = _text_at(text, region)
        v = value_at(path)
        if not isinstance(v, (dict, list)):
            assert yaml.safe_load(piece) == v, (path, piece)
        else:
            assert (end_line, end_col) > (line, col) and piece.strip(), (path, piece)
    for path, (line, col, end_line, end_col) in doc.positions.keys.items():
        piece = _text_at(text, {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col})
        assert str(yaml.safe_load(piece)) == str(path[-1]) or yaml.safe_load(piece) == path[-1], (path, piece)
