"""The typer-free fast path (k8sgen/fastpath.py) behaves exactly like the typer CLI.

Each command line below runs through `__main__.main` (fast path first) and through `cli.run`
(typer only); output and exit code must be identical. Command lines the fast path does not
understand must be handed to typer, not half-understood.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sgen import cli, fastpath
from k8sgen.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
EX = str(ROOT / "examples")

BAD_SPEC = """\
namespace: default
pods:
  web:
    image: nginx:1.27
    imagePullPolicy: Sometimes
    portz: [80]
"""

SAME = [
    ["--version"],
    ["version"],
    ["schema"],
    ["render", f"{EX}/api-access.yaml"],
    ["render", f"{EX}/api-access.yaml", "-o", "json"],
    ["render", "--output=json", f"{EX}/clusterip.yaml", f"{EX}/headless.yaml"],
    ["render", f"{EX}/clusterip.yaml", "-k", "1.36", "--strict"],
    ["render", f"{EX}/clusterip.yaml", "--kube-version=v1.35.2", "-o", "yaml", "-o", "json"],
    ["render", f"{EX}/clusterip.yaml", "-k", "1.20"],
    ["render", f"{EX}/clusterip.yaml", "-k", ""],
    ["render", "{tmp}/bad.yaml"],
    ["render", "{tmp}/bad.yaml", "--format", "json"],
    ["render", "{tmp}/bad.yaml", "--format=github", "--strict"],
    ["render", "{tmp}/missing.yaml"],
    ["render", "{tmp}"],
    ["validate", f"{EX}/api-access.yaml", "{tmp}/stream.yaml"],
    ["validate", "{tmp}/bad.yaml", "--format", "json"],
    ["validate", "--strict", "{tmp}/stream.yaml", "-k", "1.35"],
    ["validate", "{tmp}/missing.yaml", f"{EX}/headless.yaml"],
    ["validate", f"{EX}/api-access.yaml", "--profile", "recommended"],
    ["render", f"{EX}/clusterip.yaml", "--profile=restricted", "--strict"],
    ["render", f"{EX}/clusterip.yaml", "--profile", "privileged", "-o", "json"],
    ["render", "{tmp}/bad.yaml", "--format", "sarif"],
    ["render", "{tmp}/missing.yaml", "--format=junit"],
    ["render", f"{EX}/clusterip.yaml", "--format", "sarif", "--report", "{tmp}/render.sarif"],
    ["validate", "{tmp}/bad.yaml", "--format", "sarif"],
    ["validate", "{tmp}/bad.yaml", "--format", "junit", "--strict"],
    ["validate", "{tmp}/stream.yaml", "--report={tmp}/report.txt"],
    ["validate", "{tmp}"],
    ["validate", "{tmp}", "--ignore", "bad", "--ignore=missing", "--format", "github"],
    ["validate", f"{EX}", "--ignore", "golden/.*", "--strict"],
    ["import", f"{EX}/golden/clusterip.yaml"],
    ["import", "{tmp}/stream.yaml", "-k", "1.36", "--format", "json"],
    ["import", "{tmp}/stream.yaml", "--check", f"{EX}/downward-env.yaml"],
    ["import", "{tmp}/stream.yaml", "--check={tmp}/bad.yaml"],
    ["import", "{tmp}/stream.yaml", "-o", "{tmp}/out.yaml", "--force"],
    ["import", "{tmp}/bad.yaml"],
    ["import", "{tmp}/missing.yaml"],
]

TO_TYPER = [
    ["render", "-", "-"],  # stdin twice: typer's path says so
    [],
    ["--help"],
    ["-h"],
    ["render"],
    ["render", "--help"],
    ["render", "x.yaml", "-h"],
    ["render", "-ojson", "x.yaml"],
    ["render", "-o=json", "x.yaml"],
    ["render", "--out", "json", "x.yaml"],
    ["render", "-o", "xml", "x.yaml"],
    ["render", "-o", "JSON", "x.yaml"],
    ["render", "--", "x.yaml"],
    ["render", "--strict=true", "x.yaml"],
    ["render", "x.yaml", "-k"],
    ["render", "x.yaml", "-k", "--strict"],
    ["render", "-5"],
    ["validate", "x.yaml", "-o", "json"],
    ["validate", "x.yaml", "--profile", "strict"],
    ["render", "x.yaml", "--profile"],
    ["validate", "x.yaml", "--ignore"],
    ["validate", "x.yaml", "--ignore", "-x"],
    ["lint", "x.yaml"],
    ["version", "extra"],
    ["schema", "--help"],
    ["--version", "render"],
    ["--install-completion"],
    ["import"],
    ["import", "--help"],
    ["import", "x.yaml", "--strict"],
    ["import", "x.yaml", "-o"],
    ["import", "x.yaml", "--force=yes"],
]


def _expand(argv, tmp):
    return [a.replace("{tmp}", str(tmp)) for a in argv]


@pytest.mark.parametrize("argv", SAME, ids=lambda a: " ".join(a).replace(EX, "examples"))
def test_fast_path_matches_typer(argv, tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text(BAD_SPEC, encoding="utf-8")
    stream = tmp_path / "stream.yaml"
    assert cli.run(["render", f"{EX}/downward-env.yaml"]) == 0
    stream.write_text(capsys.readouterr().out, encoding="utf-8")
    argv = _expand(argv, tmp_path)

    assert fastpath.parse(argv) is not None, "the fast path should understand this command line"
    rc_fast = main(argv)
    fast = capsys.readouterr()
    rc_typer = cli.run(argv)
    typer_ = capsys.readouterr()
    assert (rc_fast, fast.out, fast.err) == (rc_typer, typer_.out, typer_.err)


@pytest.mark.parametrize("argv", TO_TYPER, ids=lambda a: " ".join(a) or "(none)")
def test_other_command_lines_go_to_typer(argv):
    assert fastpath.parse(argv) is None


def test_shell_completion_goes_to_typer(monkeypatch):
    monkeypatch.setenv("_K8SGEN_COMPLETE", "complete_bash")
    assert fastpath.parse(["render", "x.yaml"]) is None


def test_parsed_options():
    assert fastpath.parse(["render", "a.yaml", "-", "-o", "json", "--strict", "-k", "1.36", "--format=github"]) == (
        "render", ["a.yaml", "-"], {"output": "json", "kube_version": "1.36", "strict": True, "fmt": "github", "report_file": None, "profile": None},
    )
    assert fastpath.parse(["validate", "a.yaml", "--profile", "recommended"]) == (
        "validate", ["a.yaml"], {"kube_version": None, "strict": False, "fmt": "parsable", "report_file": None, "profile": "recommended", "ignore": []},
    )
    assert fastpath.parse(["validate", ".", "--ignore", "testdata", "--ignore=*.tpl"]) == (
        "validate", ["."], {"kube_version": None, "strict": False, "fmt": "parsable", "report_file": None, "profile": None, "ignore": ["testdata", "*.tpl"]},
    )


def test_internal_errors_are_one_line_without_traceback(monkeypatch, capsys):
    from k8sgen.commands import render as cmd

    def boom(*a, **k):
        raise ValueError("boom")

    monkeypatch.setattr(cmd, "run", boom)
    monkeypatch.delenv("K8SGEN_DEBUG", raising=False)
    assert main(["render", "x.yaml"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("k8sgen: internal error: ValueError: boom") and "Traceback" not in err
