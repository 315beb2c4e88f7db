"""First contact: `k8sgen init`, the spec schema in editors, --help examples, completion, colour,
and which stream carries what."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from ecosystem_util import env, k8sgen_cmd, kubectl_kustomize, require_tool
from k8sgen.commands.init import stories
from k8sgen.resources import read_schema_text

SCHEMA = json.loads(read_schema_text("spec.schema.json"))
STORIES = ["api-access", "cronjob", "downward-api", "external-service", "headless", "statefulset", "token-access", "web"]


def test_the_stories_are_offered():
    assert stories() == STORIES


# --- init ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("story", STORIES)
def test_init_writes_a_starter_that_renders_and_validates(tmp_path, story):
    r = k8sgen_cmd("init", story, "specs/my-app.k8sgen.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    spec = tmp_path / "specs" / "my-app.k8sgen.yaml"
    lines = spec.read_text().splitlines()
    assert lines[0] == "# yaml-language-server: $schema=k8sgen.schema.json"
    # The modeline's relative path resolves against the spec file, and holds `k8sgen schema`.
    assert (spec.parent / "k8sgen.schema.json").read_text() == k8sgen_cmd("schema").stdout
    # What an editor does with it: the document validates against the schema.
    jsonschema.Draft202012Validator(SCHEMA).validate(yaml.safe_load(spec.read_text()))
    v = k8sgen_cmd("validate", "--strict", str(spec), cwd=tmp_path)
    assert v.returncode == 0 and v.stderr.startswith("summary: ") and v.stderr.endswith(", 1 spec; 0 not checked; 0 files skipped; 0 errors, 0 warnings\n"), v.stderr
    assert k8sgen_cmd("render", str(spec), cwd=tmp_path).returncode == 0


def test_init_into_a_directory_gives_the_documented_repository_layout(tmp_path):
    # docs/ecosystem.md: specs/web.k8sgen.yaml names `outputDir: ../manifests/web`, so the
    # manifests land in manifests/ at the top, beside specs/, not in specs/manifests/.
    docs = (Path(__file__).resolve().parent.parent / "docs" / "ecosystem.md").read_text(encoding="utf-8")
    assert "# specs/web.k8sgen.yaml\noutputDir: ../manifests/web\n" in docs
    (tmp_path / ".git").mkdir()  # a repository: outputDir may leave specs/ but not the work tree
    r = k8sgen_cmd("init", "api-access", "specs/", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    spec = tmp_path / "specs" / "api-access.k8sgen.yaml"
    assert "outputDir: ../manifests/api-access\n" in spec.read_text()
    assert r.stderr.endswith("kubectl kustomize manifests/api-access\n")
    assert k8sgen_cmd("render", "specs/api-access.k8sgen.yaml", "--write", cwd=tmp_path).returncode == 0
    assert (tmp_path / "manifests" / "api-access" / "kustomization.yaml").is_file()
    assert not (tmp_path / "specs" / "manifests").exists()


def test_init_outside_a_repository_keeps_the_manifests_beside_the_spec(tmp_path):
    # Without a git work tree a spec's outputDir is confined to its own directory (docs/security.md),
    # so the starter must not point above it: it renders at once, as every starter does.
    r = k8sgen_cmd("init", "api-access", "specs/", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "outputDir: manifests/api-access\n" in (tmp_path / "specs" / "api-access.k8sgen.yaml").read_text()
    assert k8sgen_cmd("render", "specs/api-access.k8sgen.yaml", "--write", cwd=tmp_path).returncode == 0
    assert (tmp_path / "specs" / "manifests" / "api-access" / "kustomization.yaml").is_file()


def test_init_never_overwrites(tmp_path):
    (tmp_path / "web.k8sgen.yaml").write_text("mine\n")
    r = k8sgen_cmd("init", "headless", "web.k8sgen.yaml", cwd=tmp_path)
    assert r.returncode == 2 and "already exists" in r.stderr
    assert (tmp_path / "web.k8sgen.yaml").read_text() == "mine\n"
    assert not (tmp_path / "k8sgen.schema.json").exists()
    (tmp_path / "k8sgen.schema.json").write_text("{}\n")
    assert k8sgen_cmd("init", "headless", "db.k8sgen.yaml", cwd=tmp_path).returncode == 0
    assert (tmp_path / "k8sgen.schema.json").read_text() == "{}\n"  # an existing schema file is kept


def test_init_with_a_schema_url_writes_only_the_spec(tmp_path):
    r = k8sgen_cmd("init", "external-service", "db.k8sgen.yaml", "--schema", "https://example.com/s.json", cwd=tmp_path)
    assert r.returncode == 0
    assert sorted(os.listdir(tmp_path)) == ["db.k8sgen.yaml"]
    assert (tmp_path / "db.k8sgen.yaml").read_text().startswith("# yaml-language-server: $schema=https://example.com/s.json\n")


def test_unknown_story_suggests_the_closest(tmp_path):
    r = k8sgen_cmd("init", "headles", cwd=tmp_path)
    assert r.returncode == 2 and "did you mean 'headless'?" in r.stderr and os.listdir(tmp_path) == []


def test_from_init_to_kubectl_kustomize_in_three_commands(tmp_path):
    require_tool("kubectl")
    assert k8sgen_cmd("init", "headless", "web.k8sgen.yaml", cwd=tmp_path).returncode == 0
    r = k8sgen_cmd("render", "web.k8sgen.yaml", "--write", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    k = kubectl_kustomize(tmp_path / "manifests" / "web")
    assert k.returncode == 0, k.stderr
    kinds = [(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(k.stdout)]
    assert kinds == [("Service", "web"), ("Pod", "web-a"), ("Pod", "web-b")]


# --- the schema in editors ---------------------------------------------------------------------


def _properties(node, path=""):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}", sub
        for k, v in node.items():
            yield from _properties(v, f"{path}/{k}" if k not in ("properties",) else path)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _properties(v, f"{path}[{i}]")


PROPERTIES = sorted(dict(_properties(SCHEMA)).items())


@pytest.mark.parametrize("path,prop", PROPERTIES, ids=[p for p, _ in PROPERTIES])
def test_every_property_has_a_description_and_a_valid_example(path, prop):
    assert prop.get("description", "").strip(), f"{path} has no description"
    examples = prop.get("examples")
    assert examples, f"{path} has no example"
    standalone = {**prop, "$defs": SCHEMA["$defs"]}  # so #/$defs/... references resolve
    for ex in examples:
        jsonschema.Draft202012Validator(standalone).validate(ex)


def test_output_dir_is_in_the_schema():
    p = SCHEMA["properties"]["outputDir"]
    assert p["type"] == "string" and "relative to this spec file" in p["description"]


# --- help, completion, colour, streams -------------------------------------------------------------


def _commands():
    import typer

    from k8sgen.cli import app

    def walk(cmd, prefix):
        subs = getattr(cmd, "commands", None)
        if subs:
            if prefix:
                yield prefix  # a group: its help shows examples too
            for name, sub in sorted(subs.items()):
                yield from walk(sub, prefix + [name])
        else:
            yield prefix

    return list(walk(typer.main.get_command(app), []))


COMMANDS = _commands()


def test_commands_are_found():
    assert {"render", "validate", "init", "schema", "kustomize-plugin"} <= {c[0] for c in COMMANDS}
    assert ["kustomize", "install-plugin"] in COMMANDS and ["kustomize"] in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_help_shows_examples(command):
    r = k8sgen_cmd(*command, "--help")
    assert r.returncode == 0
    assert "Example" in r.stdout and f"k8sgen {command[0]}" in r.stdout


def test_shell_completion_through_typer():
    # typer guesses the shell from the parent process unless told; name it, so the test does not
    # depend on how pytest was started.
    r = k8sgen_cmd("--show-completion", "bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert r.returncode == 0 and "_K8SGEN_COMPLETE" in r.stdout
    done = subprocess.run([sys.executable, "-m", "k8sgen"], capture_output=True, text=True,
                          env=env(_K8SGEN_COMPLETE="complete_bash", COMP_WORDS="k8sgen init hea", COMP_CWORD="2"))
    assert done.stdout.split() == ["headless"]


BAD_SPEC = "pods:\n  web:\n    imag: nginx\n"


def _stderr_on_a_terminal(tmp_path: Path, **extra_env: str) -> str:
    (tmp_path / "bad.yaml").write_text(BAD_SPEC)
    master, slave = pty.openpty()
    e = env(**extra_env)
    if "NO_COLOR" not in extra_env:
        e.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "k8sgen", "render", "bad.yaml"], cwd=tmp_path, env=e,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal(tmp_path):
    assert "\x1b[31merror\x1b[0m" in _stderr_on_a_terminal(tmp_path)


def test_no_colour_when_no_color_is_set(tmp_path):
    text = _stderr_on_a_terminal(tmp_path, NO_COLOR="1")
    assert "error: unknown key 'imag'" in text and "\x1b[" not in text


def test_no_colour_into_a_pipe(tmp_path):
    (tmp_path / "bad.yaml").write_text(BAD_SPEC)
    e = env()
    e.pop("NO_COLOR")
    r = subprocess.run([sys.executable, "-m", "k8sgen", "render", "bad.yaml"], cwd=tmp_path, env=e, capture_output=True, text=True)
    assert r.returncode == 1 and "\x1b[" not in r.stderr and "bad.yaml:3:5: error" in r.stderr


@pytest.mark.parametrize(
    "args,spec,rc,stdout_has,stderr_has",
    [
        (["render", "s.yaml"], "pods:\n  web: {image: nginx:1.27, resources: {limits: {cpu: 1, memory: 1Gi}}}\n", 0, "kind: Pod", None),
        (["render", "s.yaml"], BAD_SPEC, 1, None, "s.yaml:3:5: error"),
        (["validate", "s.yaml"], BAD_SPEC, 1, None, "s.yaml:3:5: error"),
        (["render", "s.yaml", "--check", "--against", "missing.yaml"], "pods:\n  web: {image: nginx:1.27}\n", 1, "+++ b/missing.yaml", "out of date"),
    ],
)
def test_problems_go_to_stderr_manifests_to_stdout(tmp_path, args, spec, rc, stdout_has, stderr_has):
    (tmp_path / "s.yaml").write_text(spec)
    r = k8sgen_cmd(*args, cwd=tmp_path)
    assert r.returncode == rc
    if stdout_has:
        assert stdout_has in r.stdout
    else:
        assert r.stdout == ""
    if stderr_has:
        assert stderr_has in r.stderr and "kind:" not in r.stderr
    elif rc == 0:
        assert "error" not in r.stderr


def test_init_into_a_directory(tmp_path):
    r = k8sgen_cmd("init", "api-access", "specs/", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "specs" / "api-access.k8sgen.yaml").exists()
    assert (tmp_path / "specs" / "k8sgen.schema.json").exists()
