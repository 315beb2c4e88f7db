#!/usr/bin/env python3
"""Where the time of one k8sgen run goes, stage by stage (CPU seconds, in process).

    python bench/stages.py render SPEC.yaml       # e.g. a spec from bench/specs.py
    python bench/stages.py validate STREAM.yaml
    python bench/stages.py --large 1000           # writes bench/specs.large(1000) to a temp file and renders it

Each stage's function is wrapped by a timer (process CPU time, garbage collector off as in the
CLI). A stage that calls another is reported without the inner one ("self" time), so the
rows add up to the total. Generators are consumed inside the timer. Standard library only;
the numbers feed bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

# (label, module, attribute). Order is the report's.
STAGES = (
    ("lint config lookup (.k8sgen.yaml)", "k8sgen.lintconfig", "resolve"),
    ("YAML load with positions (compose, position builder, depth check)", "k8sgen.yamlio", "load_documents"),
    ("spec typing (coerce)", "k8sgen.spec_schema", "coerce"),
    ("spec schema check", "k8sgen.spec_schema", "check"),
    ("normalize", "k8sgen.pipeline", "normalize"),
    ("Jinja render (text)", "k8sgen.templating", "_render_text"),
    ("re-parse of rendered text (yamlio.load_rendered)", "k8sgen.yamlio", "load_rendered"),
    ("file kinds (validate: what each file is)", "k8sgen.filekinds", "skip_by_content"),
    ("Kubernetes schema", "k8sgen.validate.k8s_schema", "check"),
    ("defaulting (copy + SetDefaults)", "k8sgen.validate.defaults", "apply"),
    ("API-server rules", "k8sgen.validate.rules", "check"),
    ("lint", "k8sgen.validate.lint", "check"),
    ("cross-object references", "k8sgen.validate.references", "check"),
)

totals: dict = {}
_stack: list = []


def _wrap(label: str, fn):
    import inspect

    is_gen = inspect.isgeneratorfunction(fn)

    def timed(*a, **kw):
        start = time.process_time()
        _stack.append(0.0)
        try:
            out = fn(*a, **kw)
            if is_gen:
                out = iter(list(out))
            return out
        finally:
            inner = _stack.pop()
            spent = time.process_time() - start
            totals[label] = totals.get(label, 0.0) + spent - inner
            if _stack:
                _stack[-1] += spent

    return timed


def install() -> None:
    from k8sgen import templating

    # The Jinja call alone (render_item also re-parses): a seam for timing, same behaviour.
    if not hasattr(templating, "_render_text"):
        original = templating.render_item

        def _render_text(item):
            lookup = getattr(templating, "template", None) or templating.environment().get_template
            return lookup(item.template).render(o=item.ctx)

        templating._render_text = _render_text

        def render_item(item):
            text = templating._render_text(item)
            return templating.RenderedObject(obj=templating.yamlio.load_rendered(text), text=text, item=item)

        render_item.__wrapped__ = original
        templating.render_item = render_item
    for label, mod, attr in STAGES:
        m = importlib.import_module(mod)
        if hasattr(m, attr):
            setattr(m, attr, _wrap(label, getattr(m, attr)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", choices=("render", "validate"), default="render")
    ap.add_argument("path", nargs="?")
    ap.add_argument("--large", type=int, help="render bench/specs.large(N)")
    ap.add_argument("--app", type=int, help="render bench/specs.apps(N) (Deployment + ConfigMap + Service)")
    ap.add_argument("--json", action="store_true", help="print {stage: ms, ..., 'total': ms} as JSON (for bench/run.py)")
    args = ap.parse_args(argv)
    import specs

    path = args.path
    if args.large or args.app:
        fd, path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(specs.large(args.large) if args.large else specs.apps(args.app))
    gc.disable()
    t0 = time.process_time()
    import k8sgen.commands.render  # noqa: F401  (imports, timed separately)
    import k8sgen.commands.validate  # noqa: F401
    import k8sgen.validate.lint  # noqa: F401
    import k8sgen.validate.rules  # noqa: F401
    t_import = time.process_time() - t0
    install()
    out, err = io.StringIO(), io.StringIO()
    t1 = time.process_time()
    if args.command == "render":
        from k8sgen.commands import render

        rc = render.run([path], out=out, err=err)
    else:
        from k8sgen.commands import validate

        rc = validate.run([path], err=err, out=out)
    total = time.process_time() - t1
    if args.large or args.app:
        os.unlink(path)
    if args.json:
        import json

        print(json.dumps({**{k: v * 1000 for k, v in totals.items()}, "total": total * 1000, "imports": t_import * 1000, "exit": rc}))
        return 0
    print(f"exit {rc}; imports {t_import * 1000:.0f} ms (not in the table)")
    print("| stage | ms | share |\n|---|---:|---:|")
    for label, _m, _a in STAGES:
        if label in totals:
            print(f"| {label} | {totals[label] * 1000:,.0f} | {totals[label] / total:.0%} |")
    rest = total - sum(totals.values())
    print(f"| everything else (sorting, joining, writing, glue) | {rest * 1000:,.0f} | {rest / total:.0%} |")
    print(f"| **total** | **{total * 1000:,.0f}** | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
