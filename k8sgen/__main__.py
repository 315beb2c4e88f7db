"""`python -m k8sgen` and the `k8sgen` console script."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    """Run k8sgen; without `argv` (the console script, `python -m k8sgen`) as the whole process."""
    args = sys.argv[1:] if argv is None else list(argv)
    # A short-lived process that builds large, long-lived trees (nodes, positions, objects):
    # the cyclic collector would re-scan them again and again (about 30% of a 6,000-object
    # run) to find almost nothing, since reference counting frees k8sgen's data. Peak memory
    # is the same with it off (bench/RESULTS.md); it is restored for in-process callers.
    if argv is None:
        _utf8_streams()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        # Plain command lines skip typer's start-up (see fastpath); everything else goes to typer.
        from .fastpath import run as run_fast

        rc = run_fast(args)
        if rc is not None:
            return rc
        from .cli import run

        return run(args)
    finally:
        if argv is None:
            # The process is about to end: interpreter shutdown runs one last full collection,
            # even with the collector off, over every object still alive (caches, modules), 0.2-0.4 s
            # after a 6,000-object run. Frozen objects are not scanned; all else runs as usual
            # (atexit, flushing and closing files).
            gc.freeze()
        elif was_enabled:
            gc.enable()


def _utf8_streams() -> None:
    """Manifests are UTF-8 whatever the locale says: with PYTHONIOENCODING=latin-1 (or a C locale
    without UTF-8 mode) a name like `wéb` would otherwise end the run with an encoding error, or
    come out in an encoding no Kubernetes reader expects."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot change
                pass


if __name__ == "__main__":
    raise SystemExit(main())
