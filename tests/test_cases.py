"""Directory-driven cases: tests/cases/valid/*/spec.yaml renders to expected.yaml;
tests/cases/invalid/*/spec.yaml fails with exactly expected.txt on stderr (first line: exit code).
Rewrite the expected files with `pytest --update-golden`."""

from __future__ import annotations

import pytest

from conftest import CASES, check_golden, run_cli

VALID = sorted((CASES / "valid").iterdir())
INVALID = sorted((CASES / "invalid").iterdir())


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid(case, update_golden, monkeypatch):
    monkeypatch.chdir(CASES / "valid")  # warnings print relative paths, as users pass them
    ran = run_cli("render", f"{case.name}/spec.yaml")
    assert ran.code == 0, ran
    check_golden(case / "expected.yaml", ran.out, update_golden)
    check_golden(case / "warnings.txt", ran.err, update_golden)


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid(case, update_golden, monkeypatch):
    monkeypatch.chdir(CASES / "invalid")  # positions print relative paths, as users pass them
    ran = run_cli("render", f"{case.name}/spec.yaml")
    assert ran.code in (1, 2), ran
    assert ran.out == "", "nothing may reach stdout when rendering fails"
    check_golden(case / "expected.txt", f"exit {ran.code}\n{ran.err}", update_golden)
