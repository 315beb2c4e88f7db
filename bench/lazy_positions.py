#!/usr/bin/env python3
"""A measured design, not used by k8sgen: what would recording positions lazily save?

    python bench/lazy_positions.py [N]    # N Deployment apps (default 1000: 3,000 objects)

"Lazy positions": build plain data from the composed nodes, keep the nodes, and walk to a
position only when a problem needs one. This script times, on the rendered stream of
bench/specs.apps(N) and on the spec bench/specs.large(N):

- compose alone (what the lazy design would keep),
- compose + plain data without positions and without checks (yamlio._data, which
  `load_rendered` uses): the floor of any builder,
- yamlio.load_documents (data, positions, and the checks: duplicate keys, tags, alias limits),
- PyYAML's own CSafeLoader load,

and counts how often, and from where, positions are asked for (`PositionMap.locate`) during a
clean `k8sgen validate` and `k8sgen render`.
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402

import specs  # noqa: E402
from k8sgen import source, yamlio  # noqa: E402


def _ms(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def _plain(text: str) -> list:
    return [yamlio._data(node, set()) for node in yaml.compose_all(text, Loader=yamlio._MemoLoader) if node is not None]


def _census(argv: list[str]) -> Counter:
    """Calls of PositionMap.locate in one in-process CLI run, by calling function."""
    from k8sgen.__main__ import main

    callers: Counter = Counter()
    locate = source.PositionMap.locate

    def counting_locate(self, path, key=False):
        f = sys._getframe(1)
        if f.f_code.co_name == "locate":  # Document.locate: count its caller
            f = f.f_back
        callers[f"{Path(f.f_code.co_filename).name}:{f.f_code.co_name}"] += 1
        return locate(self, path, key)

    source.PositionMap.locate = counting_locate
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            try:
                main(argv)
            except SystemExit:
                pass
    finally:
        source.PositionMap.locate = locate
    return callers


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    gc.disable()
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "apps.yaml"
        spec.write_text(specs.apps(n))
        from k8sgen.__main__ import main as cli

        out = io.StringIO()
        with redirect_stdout(out):
            try:
                cli(["render", str(spec)])
            except SystemExit:
                pass
        stream = out.getvalue()
        stream_file = Path(tmp) / "stream.yaml"
        stream_file.write_text(stream)
        large = specs.large(n)
        large_file = Path(tmp) / "large.yaml"
        large_file.write_text(large)
        print(f"{n} Deployment apps rendered: {stream.count(chr(10)):,} lines, {stream.count('---') + 1:,} objects; spec large({n}): {large.count(chr(10)):,} lines")
        print("| step | rendered stream (k8s) | spec large(N) |")
        print("|---|---:|---:|")
        rows = [
            ("compose only (the nodes lazy positions would keep)", lambda t, m: list(yaml.compose_all(t, Loader=yamlio._MemoLoader))),
            ("compose + plain data, no positions, no checks (yamlio._data)", lambda t, m: _plain(t)),
            ("yamlio.load_documents (data + positions + checks)", lambda t, m: yamlio.load_documents(t, "x.yaml", m)),
            ("PyYAML CSafeLoader load", lambda t, m: list(yaml.load_all(t, Loader=yaml.CSafeLoader))),
        ]
        for label, fn in rows:
            a = _ms(lambda fn=fn: fn(stream, "k8s"))
            b = _ms(lambda fn=fn: fn(large, "spec"))
            print(f"| {label} | {a:,.0f} ms | {b:,.0f} ms |")
        # The census is of clean runs: the baseline profile, under which these apps give no
        # warning (the default profile's hardening warnings would each ask for a position).
        for argv_ in (["validate", str(stream_file)], ["render", str(large_file)]):
            callers = _census(argv_ + ["--profile", "baseline"])
            where = ", ".join(f"{k} {v:,}" for k, v in callers.most_common()) or "nowhere"
            print(f"`k8sgen {argv_[0]}` (no problems): PositionMap.locate called {sum(callers.values()):,} times ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
