"""Start-up stays cheap: the CLI's entry modules import nothing heavy at module level.

k8sgen runs in pre-commit on every commit, so `--version`, `--help` and argument errors must not
pay for jinja2 or jsonschema (about 0.2 s together); they are imported inside the functions that
need them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("jinja2", "jsonschema", "referencing", "rpds")
ENTRY_MODULES = ("k8sgen/__init__.py", "k8sgen/__main__.py", "k8sgen/cli.py")


def module_level_imports(path: Path) -> list[tuple[str, int]]:
    """Top-level names imported outside any function (class bodies and if/try blocks count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.Import):
                found.extend((a.name.split(".")[0], child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.module.split(".")[0], child.lineno))
            visit(child)

    visit(tree)
    return found


@pytest.mark.parametrize("rel", ENTRY_MODULES)
def test_entry_modules_do_not_import_heavy_libraries_at_module_level(rel):
    bad = [(name, line) for name, line in module_level_imports(ROOT / rel) if name in HEAVY]
    assert not bad, f"{rel}: move these imports into the functions that use them: {bad}"


def test_the_ast_check_sees_module_level_imports(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import os\ntry:\n    import jinja2\nexcept ImportError:\n    pass\ndef f():\n    import jsonschema\n")
    assert module_level_imports(f) == [("os", 1), ("jinja2", 3)]


@pytest.mark.parametrize("module", ["k8sgen", "k8sgen.cli", "k8sgen.__main__"])
def test_importing_the_cli_loads_no_heavy_library(module):
    code = (
        f"import sys, {module}\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"`import {module}` loaded: {proc.stdout.strip()}"


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["render", "--help"]])
def test_version_and_help_load_no_heavy_library(argv):
    code = (
        "import sys\n"
        "from k8sgen.__main__ import main\n"
        f"rc = main({argv!r})\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY=\n" in proc.stderr, proc.stderr


def test_in_process_callers_keep_their_garbage_collector(capsys):
    import gc

    from k8sgen.__main__ import main

    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    assert main(["--version"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    capsys.readouterr()
