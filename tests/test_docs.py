"""The README's promises: its commands are the ones CI runs, and they work."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text()


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands():
    cmds = _quick_start()
    assert len(cmds) == 2
    assert cmds[0].endswith("pip install . && k8sgen render examples/api-access.yaml")
    assert cmds[1].endswith("pip install '.[test]' && pytest")


def test_ci_runs_the_readme_test_command():
    test_cmd = _quick_start()[1].split(" && ", 2)[2]  # after creating/activating the venv
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_cmd.replace("pip install ", "pip install --quiet ") in ci


def test_quick_start_render_works(monkeypatch):
    monkeypatch.chdir(ROOT)
    ran = run_cli("render", "examples/api-access.yaml")
    assert ran.code == 0 and "kind: RoleBinding" in ran.out


def test_linked_files_exist():
    for link in re.findall(r"\]\(((?:examples|docs|templates)/[^)#]*)\)", README):
        assert (ROOT / link).exists(), link


def test_spec_reference_is_current():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, 'scripts'); import gen_spec_reference as g, json, pathlib; "
         "print(g.render(json.loads(pathlib.Path('schemas/spec.schema.json').read_text())), end='')"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    assert proc.stdout == (ROOT / "docs" / "spec-reference.md").read_text(), "run: python scripts/gen_spec_reference.py"


def test_readme_parity_table_matches_the_report():
    sys.path.insert(0, str(ROOT / "scripts"))
    from parity_report import first_table

    table = first_table((ROOT / "docs" / "parity.md").read_text())
    assert len(table) >= 4 and "\n".join(table) in README, "run scripts/parity_report.py (it refreshes the README)"


def test_readme_names_the_oldest_tested_versions():
    section = README.split("Tested versions:", 1)[1].split("\n\n", 1)[0].lower().replace("\n", " ")
    for line in (ROOT / ".ci" / "oldest-constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            assert f"{name} {version}".lower() in section, f"README 'Tested versions' should name {name} {version}"
