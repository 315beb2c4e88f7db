"""Every message a user sees is in k8sgen's own words: help without cut summaries or type labels,
usage errors as `k8sgen: error: ... (usage)` with a hint, never the parser's "Usage: ... Error:"
or a `<input>:` location, and completion of Kubernetes versions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from ecosystem_util import env
from test_first_contact import COMMANDS

ROOT = Path(__file__).resolve().parent.parent

# typer's type labels and click's markers for required arguments.
LEAKS = re.compile(r"<(?:list|str|int|float|bool|path|text)\b|\{[A-Z_]+\}|list\[")


@pytest.mark.parametrize("command", [[]] + COMMANDS, ids=["k8sgen"] + [" ".join(c) for c in COMMANDS])
def test_help_has_whole_summaries_and_no_type_labels(command):
    ran = run_cli(*command, "--help")
    assert ran.code == 0
    assert not LEAKS.search(ran.out), ran.out
    if "Commands:" in ran.out:
        listing = ran.out.split("Commands:", 1)[1]
        assert "..." not in listing and "…" not in listing, listing


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["render", "x.yaml", "-o", "xml"],
         "k8sgen: error: -o/--output: 'xml' is not one of yaml, json (usage)\n"
         "  hint: `k8sgen render --help` lists every option\n"),
        (["render", "x.yaml", "-o", "jsn"],
         "k8sgen: error: -o/--output: 'jsn' is not one of yaml, json (usage)\n"
         "  hint: did you mean json? `k8sgen render --help` lists every option\n"),
        (["validate", "x.yaml", "--format", "sarf"],
         "k8sgen: error: --format: 'sarf' is not one of parsable, json, github, sarif, junit (usage)\n"
         "  hint: did you mean sarif? `k8sgen validate --help` lists every option\n"),
        (["render", "x.yaml", "--frmat", "json"],
         "k8sgen: error: unknown option --frmat (usage)\n  hint: did you mean --format? `k8sgen render --help` lists every option\n"),
        (["validate"], "k8sgen: error: no PATH given (usage)\n  hint: usage: k8sgen validate [OPTIONS] PATH...\n"),
        (["init"], "k8sgen: error: no STORY given (usage)\n  hint: usage: k8sgen init [OPTIONS] STORY [PATH]\n"),
        (["render", "x.yaml", "-k"], "k8sgen: error: -k needs a value (usage)\n  hint: `k8sgen render --help` lists every option\n"),
        (["render", "x.yaml", "--strict=1"],
         "k8sgen: error: --strict takes no value (usage)\n  hint: write just --strict; `k8sgen render --help` lists every option\n"),
        (["lnit"], "k8sgen: error: unknown command 'lnit' (usage)\n"
                   "  hint: did you mean 'init'? commands: render, validate, schema, version, import, init, kustomize-plugin, kustomize\n"),
        (["version", "extra"], "k8sgen: error: unexpected argument extra (usage)\n  hint: usage: k8sgen version [OPTIONS]\n"),
        (["render"], "k8sgen: error: no spec given (usage)\n  hint: name spec files (k8sgen render app.yaml), or layers with -f\n"),
        (["kustomize", "install-plugin", "--plugin-home"],
         "k8sgen: error: --plugin-home needs a value (usage)\n  hint: `k8sgen kustomize install-plugin --help` lists every option\n"),
    ],
)
def test_usage_errors_in_k8sgens_words(argv, expected):
    ran = run_cli(*argv)
    assert (ran.code, ran.out, ran.err) == (2, "", expected)


def test_no_message_starts_with_a_made_up_location():
    from k8sgen import report
    from k8sgen.errors import Problem

    text = report.parsable([Problem(message="no spec given", rule="usage"), Problem(message="x", rule="r", object="K8sGen/demo")])
    assert text == "k8sgen: error: no spec given (usage)\nk8sgen: error: K8sGen/demo: x (r)\n"


def test_kube_versions_complete():
    from k8sgen.validate.k8s_schema import SUPPORTED_VERSIONS

    for words, cword in (("k8sgen render app.yaml -k ", "4"), ("k8sgen validate --kube-version 1.3", "3")):
        done = subprocess.run([sys.executable, "-m", "k8sgen"], capture_output=True, text=True,
                              env=env(_K8SGEN_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword))
        assert done.stdout.split() == list(SUPPORTED_VERSIONS), done.stderr


def test_install_plugin_help_lists_every_plugin_home_the_docs_list():
    docs = (ROOT / "docs" / "ecosystem.md").read_text(encoding="utf-8")
    sentence = " ".join(docs.split("The plugin home is the first existing of", 1)[1].split("(else", 1)[0].split())
    homes = re.findall(r"`([^`]+)`", sentence)
    assert len(homes) == 4, sentence
    helptext = " ".join(run_cli("kustomize", "install-plugin", "--help").out.split())
    for home in homes:
        assert home in helptext, home


def test_an_option_after_the_double_dash_is_named_as_such(tmp_path, monkeypatch):
    # pre-commit hooks end their entry in `--` (docs/security.md): an option a user puts in
    # `args:` arrives as a file name, and the message says why.
    monkeypatch.chdir(tmp_path)
    ran = run_cli("validate", "--", "--ignore", "testdata")
    assert ran.code == 2
    assert "--ignore: error: no such file (input-missing)" in ran.err
    assert "it looks like an option, but it stands after `--`" in ran.err
