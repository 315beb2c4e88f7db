#!/usr/bin/env python3
"""k8sgen's benchmark: whole-process wall time and peak memory beside the tools users already have.

    python bench/run.py                 # the full run (about 10 minutes; kustomize at N=1000 dominates)
    python bench/run.py --quick         # N=1000 without kustomize, kubernetes-validate capped at N=100
    python bench/run.py --smoke         # seconds: proves the script works (the test suite runs this)

Standard library only. Every command runs as its own process; wall time is measured around it
and peak RSS comes from the kernel (`os.wait4`'s ru_maxrss for that child), so no `time`, no
`hyperfine` is needed. Each number is a median over several runs after one warm-up run.

Writes a Markdown report (default bench/RESULTS.md) and prints it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import specs  # noqa: E402  (bench/specs.py: the inputs)

PYYAML_FLOOR = (
    "import sys, yaml\n"
    "with open(sys.argv[1]) as f:\n"
    "    docs = list(yaml.load_all(f, Loader=yaml.CSafeLoader))\n"
    "with open(sys.argv[2], 'w') as f:\n"
    "    yaml.dump_all(docs, f, Dumper=yaml.CSafeDumper)\n"
)


@dataclass
class Measure:
    """One command measured: medians over `runs` (after a warm-up), or why it was not run."""

    label: str
    seconds: float | None = None
    rss_mib: float | None = None
    cpu: float | None = None  # user + system seconds of the process (median)
    runs: int = 0
    note: str = ""
    samples: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.seconds is not None


def run_once(cmd: list[str], env: dict | None, timeout: float | None, stdout_path: str | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB, CPU seconds) of one process."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
        deadline = None if timeout is None else start + timeout
        # wait4 gives this child's own rusage (ru_maxrss: peak RSS in KiB on Linux).
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise TimeoutError
            time.sleep(0.0005 if time.perf_counter() - start < 0.5 else 0.01)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if proc.returncode != 0:
            raise RuntimeError(f"exit {proc.returncode}: {' '.join(cmd)}\n{stderr[-2000:]}")
        return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    finally:
        if stdout_path:
            out.close()


def measure_group(items: list[tuple], runs: int, warmup: bool = True, timeout: float | None = None) -> list[Measure]:
    """Measure several commands round-robin (one run of each, `runs` times), so that load from
    other processes on a shared machine falls on all of them alike and the ratios stay fair.

    items: (label, cmd or None, env or None[, note when cmd is None]).
    """
    ms = []
    live = []
    for item in items:
        label, cmd, env = item[:3]
        m = Measure(label)
        if cmd is None:
            m.note = item[3] if len(item) > 3 else "not installed"
        else:
            live.append((m, cmd, env))
        ms.append(m)
    for r in range(runs + (1 if warmup else 0)):
        for m, cmd, env in live:
            if m.note:  # failed or timed out before: do not retry
                continue
            try:
                wall, rss, cpu = run_once(cmd, env, timeout)
            except TimeoutError:
                m.note = f"timed out after {timeout:.0f} s"
                continue
            except (RuntimeError, OSError) as e:
                m.note = f"failed: {str(e).splitlines()[0][:120]}"
                print(f"  {m.label}: {e}", file=sys.stderr)
                continue
            if warmup and r == 0:
                continue
            m.samples.append((wall, rss, cpu))
    for m in ms:
        if m.samples and not m.note:
            m.runs = len(m.samples)
            m.seconds = statistics.median(w for w, _, _ in m.samples)
            m.rss_mib = statistics.median(r for _, r, _ in m.samples)
            m.cpu = statistics.median(c for _, _, c in m.samples)
    return ms


def measure(label: str, cmd: list[str] | None, runs: int, env: dict | None = None, timeout: float | None = None,
            warmup: bool = True, missing: str = "") -> Measure:
    return measure_group([(label, cmd, env, missing or "not installed")], runs, warmup, timeout)[0]


def find_tool(name: str) -> str | None:
    """A tool next to this interpreter (its venv) first, then on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def k8sgen_cmd(args) -> tuple[list[str], dict]:
    """How k8sgen is started: the venv's console script if installed there, else `python -m k8sgen`."""
    env = dict(os.environ)
    env.pop("K8SGEN_DEBUG", None)
    if args.k8sgen:
        return args.k8sgen.split(), env
    script = Path(sys.executable).parent / "k8sgen"
    if script.exists() and not args.checkout:
        return [str(script)], env
    # A checkout run as an install would be: pip writes .pyc files at install time, so make
    # sure they exist here too (PYTHONDONTWRITEBYTECODE=1 would recompile every module, about
    # 0.1 s of the generated schema validators alone, on every run).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "k8sgen"), str(ROOT / "templates"), str(ROOT / "schemas")],
                   check=False, env=env, stdout=subprocess.DEVNULL)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return [sys.executable, "-m", "k8sgen"], env


def fmt_s(m: Measure) -> str:
    if not m.ok:
        return "—"
    return f"{m.seconds * 1000:.0f} ms" if m.seconds < 10 else f"{m.seconds:.1f} s"


def fmt_cpu(m: Measure) -> str:
    if not m.ok or m.cpu is None:
        return "—"
    return f"{m.cpu * 1000:.0f} ms" if m.cpu < 10 else f"{m.cpu:.1f} s"


def fmt_mib(m: Measure) -> str:
    return f"{m.rss_mib:.0f}" if m.ok else "—"


def ratio(m: Measure, ref: Measure) -> str:
    if not (m.ok and ref.ok) or ref.seconds == 0:
        return "—"
    r = m.seconds / ref.seconds
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def count_objects(stream_path: str) -> int:
    n = 0
    with open(stream_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("kind: "):
                n += 1
    return n


# ---------------------------------------------------------------------------------------------


def bench_small(args, work: Path, kcmd: list[str], kenv: dict) -> tuple[list[Measure], list[str]]:
    spec = work / "small.yaml"
    spec.write_text(specs.SMALL, encoding="utf-8")
    runs = args.small_runs
    kubectl = find_tool("kubectl")
    rows = measure_group([
        ("`python -c pass` (bare interpreter)", [sys.executable, "-c", "pass"], None),
        ('`python -c "import yaml"` (interpreter floor)', [sys.executable, "-c", "import yaml"], None),
        ("`k8sgen --version`", kcmd + ["--version"], kenv),
        ("`k8sgen render small.yaml` (with validation)", kcmd + ["render", str(spec)], kenv),
        ("`k8sgen validate small.yaml`", kcmd + ["validate", str(spec)], kenv),
        (
            "`kubectl create service clusterip x --tcp=80:8080 --dry-run=client -o yaml`",
            [kubectl, "create", "service", "clusterip", "x", "--tcp=80:8080", "--dry-run=client", "-o", "yaml"] if kubectl else None,
            None,
        ),
    ], runs, warmup=not args.smoke)
    ref = rows[3]
    lines = [
        f"### Small: one spec with a pod, a service, a service account, its role and binding ({runs} runs, medians, after a warm-up)",
        "",
        "| command | wall | CPU | peak RSS (MiB) | ratio to `k8sgen render` |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in rows:
        note = f" ({m.note})" if m.note else ""
        lines.append(f"| {m.label}{note} | {fmt_s(m)} | {fmt_cpu(m)} | {fmt_mib(m)} | {ratio(m, ref)} |")
    return rows, lines


@dataclass
class LargeRow:
    tool: str
    by_n: dict = field(default_factory=dict)  # n -> Measure


def bench_large(args, work: Path, kcmd: list[str], kenv: dict) -> tuple[dict, dict, list[str]]:
    kubectl = find_tool("kubectl")
    kv = find_tool("kubernetes-validate")
    tools = {
        "render": LargeRow("`k8sgen render` (render + full validation)"),
        "validate": LargeRow("`k8sgen validate` on the rendered stream"),
        "pyyaml": LargeRow("PyYAML C load+dump of the stream (floor)"),
        "kv": LargeRow("`kubernetes-validate --strict` on the stream"),
        "kustomize": LargeRow("`kubectl kustomize` over the stream"),
    }
    objects: dict = {}
    for n in args.sizes:
        runs = args.large_runs if n < 1000 else max(1, args.large_runs_1000)
        print(f"N = {n}: {runs} run(s) each", file=sys.stderr)
        d = work / f"n{n}"
        d.mkdir(exist_ok=True)
        spec = d / "spec.yaml"
        spec.write_text(specs.large(n), encoding="utf-8")
        stream = d / "stream.yaml"
        # The rendered stream every other tool reads; rendering it once here also checks it passes.
        run_once(kcmd + ["render", str(spec)], kenv, None, str(stream))
        objects[n] = count_objects(str(stream))
        tools["render"].by_n[n], tools["validate"].by_n[n], tools["pyyaml"].by_n[n] = measure_group([
            ("render", kcmd + ["render", str(spec)], kenv),
            ("validate", kcmd + ["validate", str(stream)], kenv),
            ("pyyaml", [sys.executable, "-c", PYYAML_FLOOR, str(stream), os.devnull], None),
        ], runs, warmup=not args.smoke)
        if kv is None:
            tools["kv"].by_n[n] = Measure("kv", note="not installed")
        elif n > args.max_kv:
            tools["kv"].by_n[n] = Measure("kv", note=f"skipped (--max-kubernetes-validate {args.max_kv})")
        else:
            tools["kv"].by_n[n] = measure(
                "kv", [kv, "--strict", "--quiet", "-k", args.kube_version + ".0", str(stream)],
                1 if n >= 1000 else runs, warmup=n < 1000 and not args.smoke, timeout=args.timeout,
            )
        if kubectl is None:
            tools["kustomize"].by_n[n] = Measure("kustomize", note="not installed")
        elif n > args.max_kustomize:
            tools["kustomize"].by_n[n] = Measure("kustomize", note=f"skipped (--max-kustomize {args.max_kustomize})")
        else:
            kdir = d / "kustomize"
            kdir.mkdir(exist_ok=True)
            shutil.copy(stream, kdir / "stream.yaml")
            (kdir / "kustomization.yaml").write_text("resources:\n- stream.yaml\n", encoding="utf-8")
            tools["kustomize"].by_n[n] = measure(
                "kustomize", [kubectl, "kustomize", str(kdir)],
                1 if n >= 1000 else runs, warmup=n < 1000 and not args.smoke, timeout=args.timeout,
            )
    return tools, objects, large_table(args, tools, objects)


def write_app_dir(stream: Path, d: Path) -> int:
    """Split a rendered stream into a repository-like directory: one file per app (its ConfigMap,
    Deployment and Service), as `k8sgen validate DIR` sees a Deployment-heavy repository."""
    d.mkdir(exist_ok=True)
    by_app: dict = {}
    for doc in stream.read_text(encoding="utf-8").split("---\n"):
        name = next((line.split(":", 1)[1].strip() for line in doc.splitlines() if line.startswith("  name: ")), "x")
        app = name[:8]  # web-0042, web-0042-config-…
        by_app.setdefault(app, []).append(doc)
    for app, docs in by_app.items():
        (d / f"{app}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    return len(by_app)


def bench_apps(args, work: Path, kcmd: list[str], kenv: dict) -> tuple[dict, dict, list[str]]:
    """Deployment apps (Deployment + ConfigMap + Service): render, and validate of a directory."""
    tools = {
        "render": LargeRow("`k8sgen render` of N Deployment apps"),
        "validate": LargeRow("`k8sgen validate DIR` (one file per app)"),
        "pyyaml": LargeRow("PyYAML C load+dump of the same stream (floor)"),
    }
    objects: dict = {}
    for n in args.app_sizes:
        runs = args.large_runs if n < 1000 else max(1, args.large_runs_1000)
        print(f"apps N = {n}: {runs} run(s) each", file=sys.stderr)
        d = work / f"apps{n}"
        d.mkdir(exist_ok=True)
        spec = d / "spec.yaml"
        spec.write_text(specs.apps(n), encoding="utf-8")
        stream = d / "stream.yaml"
        run_once(kcmd + ["render", str(spec)], kenv, None, str(stream))
        objects[n] = count_objects(str(stream))
        repo = d / "repo"
        write_app_dir(stream, repo)
        tools["render"].by_n[n], tools["validate"].by_n[n], tools["pyyaml"].by_n[n] = measure_group([
            ("render", kcmd + ["render", str(spec)], kenv),
            ("validate", kcmd + ["validate", str(repo)], kenv),
            ("pyyaml", [sys.executable, "-c", PYYAML_FLOOR, str(stream), os.devnull], None),
        ], runs, warmup=not args.smoke)
    sizes = list(args.app_sizes)
    lines = [
        f"### Deployment apps: N apps, a Deployment, its ConfigMap and a Service each (medians of {args.large_runs} runs; "
        f"{args.large_runs_1000} at N ≥ 1000)",
        "",
        "| tool | " + " | ".join(f"N={n} ({objects[n]} obj): wall · CPU · µs/obj · MiB · ×floor" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for row in tools.values():
        cells = []
        for n in sizes:
            m = row.by_n.get(n)
            if m is None or not m.ok:
                cells.append(m.note if m else "—")
                continue
            cells.append(f"{fmt_s(m)} · {fmt_cpu(m)} · {m.seconds / objects[n] * 1e6:,.0f} · {fmt_mib(m)} · {ratio(m, tools['pyyaml'].by_n[n])}")
        lines.append(f"| {row.tool} | " + " | ".join(cells) + " |")
    return tools, objects, lines


def stage_breakdown(args, work: Path, kenv: dict, objects: dict) -> tuple[dict, list[str]]:
    """In-process CPU time per stage (bench/stages.py), for the render of each size and the
    validate of the largest stream: where the time goes, and whether the cross-object pass
    stays linear. One run each (stage shares are steadier than totals)."""
    env = dict(kenv)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    found: dict = {}
    runs = [("render", n, ["--large", str(n)]) for n in args.sizes]
    if args.sizes:
        runs.append(("validate", max(args.sizes), ["validate", str(work / f"n{max(args.sizes)}" / "stream.yaml")]))
    for what, n, extra in runs:
        samples = []
        for _ in range(args.stage_runs):
            try:
                proc = subprocess.run([sys.executable, str(HERE / "stages.py"), *extra, "--json"], capture_output=True,
                                      text=True, env=env, timeout=args.timeout, check=True)
                samples.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            except (subprocess.SubprocessError, OSError, ValueError, IndexError) as e:
                print(f"  stages {what} N={n}: {e}", file=sys.stderr)
        if samples:  # the median of each stage over the runs
            found[(what, n)] = {k: statistics.median(s[k] for s in samples if k in s) for k in samples[0]}
    if not found:
        return found, []
    cols = [k for k in found]
    labels = []
    for k in cols:
        labels.extend(x for x in found[k] if x not in labels and x not in ("total", "imports", "exit"))
    lines = [
        f"### Where the time goes (CPU ms per stage, in process, median of {args.stage_runs} runs; `bench/stages.py`)",
        "",
        "| stage | " + " | ".join(f"{what} N={n} ({objects.get(n, '?')} obj)" for what, n in cols) + " |",
        "|---|" + "---:|" * len(cols),
    ]
    for label in labels:
        cells = []
        for k in cols:
            v, t = found[k].get(label), found[k]["total"]
            cells.append("—" if v is None else f"{v:,.0f} ({v / t:.0%})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rest = [found[k]["total"] - sum(v for x, v in found[k].items() if x not in ("total", "imports", "exit")) for k in cols]
    lines.append("| everything else (sorting, joining, writing, glue) | " + " | ".join(f"{r:,.0f}" for r in rest) + " |")
    lines.append("| **total** (imports not included) | " + " | ".join(f"**{found[k]['total']:,.0f}**" for k in cols) + " |")
    return found, lines


def stage_exponent(found: dict, label: str, lo: int, hi: int, objects: dict) -> float | None:
    a, b = found.get(("render", lo), {}).get(label), found.get(("render", hi), {}).get(label)
    if not a or not b or lo not in objects or hi not in objects:
        return None
    return math.log(b / a) / math.log(objects[hi] / objects[lo])


def exponent(row: LargeRow, lo: int, hi: int, objects: dict, base: int | None = None, attr: str = "seconds") -> str:
    """k in time ∝ objects^k between two sizes (of wall time, or of CPU time with attr="cpu").
    With `base` (a smaller size), its time is subtracted first: start-up is a constant that
    makes any tool look sublinear."""
    a, b = row.by_n.get(lo), row.by_n.get(hi)
    if not (a and b and a.ok and b.ok) or not getattr(a, attr) or not getattr(b, attr):
        return "—"
    ta, tb, na, nb = getattr(a, attr), getattr(b, attr), objects[lo], objects[hi]
    if base is not None:
        c = row.by_n.get(base)
        if not (c and c.ok and getattr(c, attr)) or ta <= getattr(c, attr) or tb <= getattr(c, attr):
            return "—"
        t0 = getattr(c, attr)
        ta, tb, na, nb = ta - t0, tb - t0, na - objects[base], nb - objects[base]
    return f"{math.log(tb / ta) / math.log(nb / na):.2f}"


def exponents(row: LargeRow, lo: int, hi: int, objects: dict, base: int | None = None) -> str:
    wall, cpu = exponent(row, lo, hi, objects, base), exponent(row, lo, hi, objects, base, "cpu")
    return wall if cpu == "—" else f"{wall} (CPU {cpu})"


def large_table(args, tools: dict, objects: dict) -> list[str]:
    sizes = list(args.sizes)
    lines = [
        f"### Large: N apps, 6 objects each (medians of {args.large_runs} runs after a warm-up; "
        f"{args.large_runs_1000} at N = 1000; kubernetes-validate and kustomize run once, without warm-up, at N = 1000)",
        "",
    ]
    head = "| tool | " + " | ".join(f"N={n} ({objects[n]} obj): wall · CPU · µs/obj · MiB · ×render" for n in sizes)
    lo, hi = (sizes[-2], sizes[-1]) if len(sizes) >= 2 else (None, None)
    base = sizes[-3] if len(sizes) >= 3 else None
    if lo is not None:
        head += f" | exponent N={lo}→{hi}"
    if base is not None:
        head += f" | exponent, N={base} time (start-up) subtracted"
    lines.append(head + " |")
    lines.append("|---|" + "---:|" * (len(sizes) + (lo is not None) + (base is not None)))
    ref = tools["render"]
    for key, row in tools.items():
        cells = []
        for n in sizes:
            m = row.by_n.get(n)
            if m is None or not m.ok:
                cells.append(m.note if m else "—")
                continue
            us = m.seconds / objects[n] * 1e6
            cells.append(f"{fmt_s(m)} · {fmt_cpu(m)} · {us:,.0f} · {fmt_mib(m)} · {ratio(m, ref.by_n[n])}")
        line = f"| {row.tool} | " + " | ".join(cells)
        if lo is not None:
            line += f" | {exponents(row, lo, hi, objects)}"
        if base is not None:
            line += f" | {exponents(row, lo, hi, objects, base)}"
        lines.append(line + " |")
    # kubernetes-validate capped: an extrapolation, marked as one (linear in objects from the
    # largest N it ran at; it validates object by object, so linear is its own best case).
    kv = tools["kv"]
    ran = [n for n in sizes if kv.by_n.get(n) and kv.by_n[n].ok]
    capped = [n for n in sizes if kv.by_n.get(n) and not kv.by_n[n].ok and "skipped" in kv.by_n[n].note]
    if ran and capped:
        base = max(ran)
        for n in capped:
            est = kv.by_n[base].seconds * objects[n] / objects[base]
            kv.by_n[n].note += f"; **extrapolated** linearly from N={base}: ≈{est:.0f} s"
            lines.append(f"\n*kubernetes-validate at N={n} was not run; extrapolated linearly from N={base}: ≈{est:.0f} s "
                         f"(≈{est / ref.by_n[n].seconds:.0f}× `k8sgen render`)*" if ref.by_n.get(n) and ref.by_n[n].ok else "")
    return lines


def targets(small: list[Measure], tools: dict, objects: dict, args, apps: dict | None = None,
            app_objects: dict | None = None, stages: dict | None = None) -> list[str]:
    """The issue's goals (issue 13), each with the measured ratio beside it (informational, not a test)."""
    lines = ["### Targets (ratios from this run; issue 13's table first)", "", "| target | measured | met |", "|---|---|:---:|"]

    def cpu_ratio(a: Measure, b: Measure) -> str:
        return f"; CPU {a.cpu / b.cpu:.2f}×" if a.cpu and b.cpu else ""

    def row(text: str, value: str, ok: bool | None) -> None:
        lines.append(f"| {text} | {value} | {'—' if ok is None else ('yes' if ok else '**no**')} |")

    def vs(a: Measure | None, b: Measure | None, text: str, goal: float, missing: str = "") -> None:
        if a and b and a.ok and b.ok:
            r = a.seconds / b.seconds
            row(text, f"**{r:.2f}×** ({fmt_s(a)} vs {fmt_s(b)}{cpu_ratio(a, b)})", r <= goal)
        elif missing:
            row(text, missing, None)

    bare, _floor, version, render_small, _v, kubectl = small
    sizes = sorted(objects)
    for n in (1000, 300):
        if n in tools["render"].by_n:
            vs(tools["render"].by_n[n], tools["pyyaml"].by_n.get(n),
               f"`k8sgen render`, N={n} ({objects[n]:,} objects), full validation, ÷ PyYAML C load+dump of its output ≤ 0.5×", 0.5)
        else:
            row(f"`k8sgen render`, N={n} ÷ PyYAML C load+dump ≤ 0.5×", f"not run (sizes {','.join(map(str, sizes))})", None)
    vs(render_small, kubectl, "`k8sgen render small.yaml` ÷ one `kubectl create service clusterip --dry-run=client -o yaml` ≤ 1.0×", 1.0,
       "kubectl not installed")
    big = max(sizes) if sizes else None
    if big is not None:
        vs(tools["validate"].by_n.get(big), tools["pyyaml"].by_n.get(big),
           f"`k8sgen validate` of the {objects[big]:,}-object stream ÷ PyYAML C load+dump ≤ 0.5×", 0.5)
    if apps and app_objects:
        n = max(app_objects)
        vs(apps["validate"].by_n.get(n), apps["pyyaml"].by_n.get(n),
           f"`k8sgen validate DIR`, {app_objects[n]:,} Deployment-app objects in {n} files, ÷ PyYAML C load+dump ≤ 0.5×", 0.5)
        vs(apps["render"].by_n.get(n), apps["pyyaml"].by_n.get(n),
           f"`k8sgen render` of {n} Deployment apps ({app_objects[n]:,} objects) ÷ PyYAML C load+dump ≤ 0.5×", 0.5)
    lo, hi = (100, 1000) if {100, 1000} <= set(sizes) else ((sizes[-2], sizes[-1]) if len(sizes) >= 2 else (None, None))
    if lo is not None:
        base = min(sizes) if min(sizes) < lo else None
        for key in ("render", "validate"):
            e = exponent(tools[key], lo, hi, objects, None, "cpu")
            sub = exponent(tools[key], lo, hi, objects, base, "cpu") if base is not None else "—"
            if e != "—":
                shown = f"{e} CPU, {exponent(tools[key], lo, hi, objects)} wall" + (f"; {sub} CPU with N={base} (start-up) subtracted" if sub != "—" else "")
                row(f"`k8sgen {key}` scaling exponent N={lo}→{hi} ≤ 1.05", shown, float(e) <= 1.05)
        if stages:
            label = next((k for k in stages.get(("render", hi), {}) if k.startswith("cross-object")), None)
            pairs = [(a, b) for a, b in zip(sizes, sizes[1:]) if ("render", a) in stages and ("render", b) in stages]
            exps = [(a, b, stage_exponent(stages, label, a, b, objects)) for a, b in pairs] if label else []
            # Below ~10 ms a stage's time is mostly timer and cache noise: such pairs are shown, not judged.
            exps = [(a, b, e, stages[("render", a)][label] >= 10) for a, b, e in exps if e is not None]
            judged = [e for _, _, e, ok in exps if ok]
            if exps:
                row("cross-object pass linear at any size (exponent ≤ 1.05 between each pair of sizes)",
                    ", ".join(f"N={a}→{b}: {e:.2f}" + ("" if ok else " (under 10 ms: not judged)") for a, b, e, ok in exps)
                    + " (in-process CPU, median of the stage runs)", (max(judged) <= 1.05) if judged else None)
    row_lines_before = len(lines)
    if version.ok and bare.ok:
        r = version.seconds / bare.seconds
        row("`k8sgen --version` ≤ 2× bare interpreter", f"{r:.2f}× ({fmt_s(version)} vs {fmt_s(bare)}{cpu_ratio(version, bare)})", r <= 2)
    if big is not None:
        val, kv = tools["validate"].by_n.get(big), tools["kv"].by_n.get(big)
        if val and kv and val.ok:
            if kv.ok:
                r = kv.seconds / val.seconds
                row(f"N={big}: `k8sgen validate` ≥ 30× faster than kubernetes-validate", f"{r:.0f}× ({fmt_s(val)} vs {fmt_s(kv)}{cpu_ratio(kv, val)})", r >= 30)
            elif "extrapolated" in kv.note:
                row(f"N={big}: `k8sgen validate` ≥ 30× faster than kubernetes-validate", f"kubernetes-validate not run at N={big} ({kv.note})", None)
        for key in ("render", "validate"):
            m = tools[key].by_n.get(big)
            if m and m.ok:
                row(f"N={big}: `k8sgen {key}` peak memory < 300 MiB", f"{m.rss_mib:.0f} MiB", m.rss_mib < 300)
    if len(lines) > row_lines_before:
        lines.insert(row_lines_before, "| *earlier goals (issues 1-12)* | | |")
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()} ({sys.executable}), {platform.system()} {platform.release()}"


def tool_versions(kcmd: list[str], kenv: dict) -> str:
    out = []
    for label, cmd, env in (
        ("k8sgen", kcmd + ["--version"], kenv),
        ("kubectl", [find_tool("kubectl") or "kubectl", "version", "--client"], None),
        ("kubernetes-validate", [find_tool("kubernetes-validate") or "kubernetes-validate", "--version"], None),
    ):
        try:
            text = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=30).stdout.strip().splitlines()
            out.append(f"{label}: {text[0] if text else '?'}")
        except (OSError, subprocess.SubprocessError):
            out.append(f"{label}: not installed")
    import yaml

    out.append(f"PyYAML {yaml.__version__} (libyaml: {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'})")
    return "; ".join(out)


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,300,1000", help="comma-separated app counts N (default 10,100,300,1000)")
    ap.add_argument("--app-sizes", default="100,2000",
                    help="comma-separated counts of Deployment apps (3 objects each; default 100,2000: 6,000 objects)")
    ap.add_argument("--no-stages", action="store_true", help="skip the in-process stage breakdown (bench/stages.py)")
    ap.add_argument("--stage-runs", type=int, default=3, help="runs per size of the stage breakdown (default 3; median)")
    ap.add_argument("--small-runs", type=int, default=15, help="runs per small command (default 15)")
    ap.add_argument("--large-runs", type=int, default=5, help="runs per large command for N < 1000 (default 5)")
    ap.add_argument("--large-runs-1000", type=int, default=3, help="runs per k8sgen/PyYAML command at N >= 1000 (default 3)")
    ap.add_argument("--max-kustomize", type=int, default=1000, help="largest N to run kubectl kustomize at (it is quadratic: ~4 min at 1000)")
    ap.add_argument("--max-kubernetes-validate", dest="max_kv", type=int, default=1000,
                    help="largest N to run kubernetes-validate at (~2.5 min at 1000); larger N are extrapolated, marked so")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before one kustomize/kubernetes-validate run is abandoned")
    ap.add_argument("--kube-version", default="1.35", help="version kubernetes-validate checks against (default 1.35)")
    ap.add_argument("--quick", action="store_true", help="skip kustomize above N=100 and cap kubernetes-validate at N=100")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes and single runs: proves the script works")
    ap.add_argument("--k8sgen", help="command that starts k8sgen (default: the venv's console script, else python -m k8sgen)")
    ap.add_argument("--checkout", action="store_true", help="run this checkout (python -m k8sgen) even if a console script is installed")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"), help="where to write the Markdown report ('-' for none)")
    args = ap.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.app_sizes = [int(s) for s in args.app_sizes.split(",") if s.strip()]
    if args.quick:
        args.max_kustomize = min(args.max_kustomize, 100)
        args.max_kv = min(args.max_kv, 100)
    if args.smoke:
        args.sizes, args.small_runs, args.large_runs, args.large_runs_1000 = [1, 2], 1, 1, 1
        args.app_sizes, args.stage_runs = [2], 1

    kcmd, kenv = k8sgen_cmd(args)
    load0 = _load()
    with tempfile.TemporaryDirectory(prefix="k8sgen-bench-") as tmp:
        work = Path(tmp)
        # Compiled templates are cached on disk between runs (the warm-up run fills it); a
        # private cache keeps the benchmark from depending on, or changing, the user's.
        kenv["K8SGEN_CACHE_DIR"] = str(work / "cache")
        print("small…", file=sys.stderr)
        small, small_lines = bench_small(args, work, kcmd, kenv)
        tools, objects, large_lines = bench_large(args, work, kcmd, kenv)
        apps, app_objects, app_lines = bench_apps(args, work, kcmd, kenv) if args.app_sizes else ({}, {}, [])
        print("stages…", file=sys.stderr)
        stages, stage_lines = stage_breakdown(args, work, kenv, objects) if not args.no_stages else ({}, [])
    report = [
        "## Benchmark results" + (" (smoke run: not representative)" if args.smoke else ""),
        "",
        f"Generated by `python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`".rstrip() + f" on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"Machine: {machine()}.",
        f"Tools: {tool_versions(kcmd, kenv)}.",
        f"k8sgen started as: `{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(kcmd))}`.",
        "",
        "Wall time is the whole process (start-up included); CPU is its user + system time (steadier than wall time on a "
        "shared machine); peak RSS is the kernel's ru_maxrss for that process. "
        "Commands in one table are run round-robin, so load from other processes falls on all of them alike; "
        f"load average at the start: {load0}, at the end: {_load()}.",
        "",
        *small_lines,
        "",
        *large_lines,
        "",
        *app_lines,
        "",
        *stage_lines,
        "",
        *targets(small, tools, objects, args, apps, app_objects, stages),
        "",
    ]
    text = "\n".join(report)
    print(text)
    if args.out != "-":
        out = Path(args.out)
        old = out.read_text(encoding="utf-8") if out.exists() else ""
        # Keep everything below the generated section (the hand-written analysis).
        marker = "<!-- end of generated results -->"
        tail = old.split(marker, 1)[1] if marker in old else ""
        out.write_text(text + "\n" + marker + tail, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
