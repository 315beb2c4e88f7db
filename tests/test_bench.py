"""The benchmark script runs end to end (smoke mode: tiny sizes, one run; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_smoke_run_writes_a_report(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("old numbers\n<!-- end of generated results -->\n## What we chose and why\nkept\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "old numbers" not in text  # the generated part is replaced …
    assert text.rstrip().endswith("## What we chose and why\nkept")  # … the analysis below the marker kept
    for heading in ("### Small", "### Large", "### Targets"):
        assert heading in text
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| `k8sgen")}
    # k8sgen itself must have been measured in every row (other tools may be missing here).
    for label in ("`k8sgen --version`", "`k8sgen render small.yaml` (with validation)", "`k8sgen render` (render + full validation)",
                  "`k8sgen validate` on the rendered stream"):
        assert label in rows, sorted(rows)
        assert " ms" in rows[label] or " s " in rows[label], rows[label]
        assert "failed" not in rows[label] and "timed out" not in rows[label]
