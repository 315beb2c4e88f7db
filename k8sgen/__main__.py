"""`python -m k8sgen` and the `k8sgen` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    # Plain command lines skip typer's start-up (see fastpath); everything else goes to typer.
    from .fastpath import run as run_fast

    rc = run_fast(args)
    if rc is not None:
        return rc
    from .cli import run

    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
