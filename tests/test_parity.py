"""Parity with the API server: every fixture under tests/parity/cases is classified as the server
classifies it, and rejected objects are rejected at the server's field path."""

from __future__ import annotations

import pytest
from parity.loader import k8sgen_problems, load_cases

from k8sgen.fieldpath import format_path

CASES = list(load_cases())


def test_enough_cases() -> None:
    assert len(CASES) >= 150
    assert sum(not c.valid for c in CASES) >= 75


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case) -> None:
    problems = k8sgen_problems(case)
    shown = "\n".join(f"  {p.rule}: {p.message}" for p in problems)
    if case.valid:
        assert not problems, f"valid object rejected:\n{shown}"
        return
    at_path = [p for p in problems if format_path(p.path) == case.path]
    assert at_path, f"expected an error at {case.path}, got:\n{shown or '  nothing'}"
    if case.rule:
        assert case.rule in {p.rule for p in at_path}, f"expected rule {case.rule} at {case.path}, got:\n{shown}"
