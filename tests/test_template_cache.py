"""Compiled templates cached on disk change nothing but start-up time, and a broken cache is ignored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = str(ROOT / "examples" / "api-access.yaml")


def render(cache: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, K8SGEN_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "k8sgen", "render", SPEC], capture_output=True, text=True, env=env, timeout=120)


def test_cache_is_written_reused_and_never_breaks_rendering(tmp_path):
    plain = render("")  # no cache at all
    assert plain.returncode == 0, plain.stderr
    cache = tmp_path / "cache"
    first, second = render(str(cache)), render(str(cache))
    entries = sorted((cache / "jinja").iterdir())
    assert entries, "the first run should have stored compiled templates"
    assert first.stdout == second.stdout == plain.stdout and not first.stderr and not second.stderr

    for e in entries:  # corrupt every entry: compiled afresh, same output
        e.write_bytes(b"not a bytecode cache entry")
    corrupt = render(str(cache))
    assert (corrupt.returncode, corrupt.stdout, corrupt.stderr) == (0, plain.stdout, "")

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    unwritable = render(str(blocker))
    assert (unwritable.returncode, unwritable.stdout, unwritable.stderr) == (0, plain.stdout, "")
