"""`python -m k8sgen` and the `k8sgen` console script."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    # A short-lived process that builds large, long-lived trees (nodes, positions, objects):
    # the cyclic collector would re-scan them again and again (about 30% of a 6,000-object
    # run) to find almost nothing, since reference counting frees k8sgen's data. Peak memory
    # is the same with it off (bench/RESULTS.md); it is restored for in-process callers.
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
        if was_enabled:
            gc.enable()


if __name__ == "__main__":
    raise SystemExit(main())
