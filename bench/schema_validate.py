#!/usr/bin/env python3
"""Benchmark the schema stage: compiled validators vs jsonschema, and the cost of first use.

    python3 bench/schema_validate.py [--objects 6000] [--version 1.37]

Prints µs per object for both engines over a realistic mix (pods with several containers, env,
probes and volumes; services; service accounts; RBAC; config maps; endpoint slices), valid and
with one mistake each, and the wall time of `import k8s_schema` plus the first check() of one
small Pod in a fresh interpreter (what a CLI run pays).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from k8sgen.validate import k8s_schema  # noqa: E402


def container(rng: random.Random, i: int) -> dict:
    c = {
        "name": f"c{i}",
        "image": f"registry.example.com/app{rng.randrange(50)}:{rng.randrange(9)}.{rng.randrange(20)}",
        "imagePullPolicy": "IfNotPresent",
        "args": [f"--flag{j}=v{j}" for j in range(rng.randrange(4))],
        "ports": [{"name": f"p{j}", "containerPort": 8000 + j, "protocol": "TCP"} for j in range(rng.randrange(1, 3))],
        "env": [{"name": f"VAR_{j}", "value": str(rng.random())} for j in range(rng.randrange(3, 8))]
        + [
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "SECRET", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": False}}},
        ],
        "resources": {"requests": {"cpu": f"{rng.randrange(1, 999)}m", "memory": f"{rng.randrange(16, 512)}Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8000}, "periodSeconds": 5},
        "livenessProbe": {"tcpSocket": {"port": "p0"}, "initialDelaySeconds": 3},
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}, {"name": "data", "mountPath": "/data"}],
        "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
    }
    return c


def pod(rng: random.Random, n: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"pod-{n}", "namespace": f"ns-{n % 20}", "labels": {"app": f"a{n % 50}", "tier": "web"}, "annotations": {"note": "x"}},
        "spec": {
            "serviceAccountName": f"sa-{n % 50}",
            "containers": [container(rng, i) for i in range(rng.randrange(2, 5))],
            "volumes": [
                {"name": "config", "configMap": {"name": "cfg", "items": [{"key": "a", "path": "a"}]}},
                {"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
                {"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}]}},
            ],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
        },
    }


def others(n: int) -> list[dict]:
    ns = f"ns-{n % 20}"
    return [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{n}", "namespace": ns},
         "spec": {"selector": {"app": f"a{n % 50}"}, "ports": [{"name": "http", "port": 80, "targetPort": "p0"}, {"port": 443, "targetPort": 8443}]}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": f"sa-{n}", "namespace": ns}, "automountServiceAccountToken": False},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": f"r-{n}", "namespace": ns},
         "rules": [{"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list", "watch"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": f"rb-{n}", "namespace": ns},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"r-{n}"},
         "subjects": [{"kind": "ServiceAccount", "name": f"sa-{n}", "namespace": ns}]},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{n}", "namespace": ns}, "data": {"a": "1", "b": "2"}},
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": f"es-{n}", "namespace": ns, "labels": {"kubernetes.io/service-name": f"svc-{n}"}},
         "addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": True}}], "ports": [{"port": 80, "protocol": "TCP"}]},
    ]


def corpus(total: int, seed: int = 1) -> list[dict]:
    """A third pods, the rest the other kinds: about what a large repository of specs renders to."""
    rng = random.Random(seed)
    objs: list[dict] = []
    n = 0
    while len(objs) < total:
        objs.append(pod(rng, n))
        kinds = others(n)
        objs.extend((kinds[n % 6], kinds[(n + 3) % 6]))
        n += 1
    return objs[:total]


def break_one(obj: dict, rng: random.Random) -> dict:
    obj = copy.deepcopy(obj)
    if obj["kind"] == "Pod":
        c = rng.choice(obj["spec"]["containers"])
        rng.choice([lambda: c.update(imagee=c.pop("image")), lambda: c["ports"][0].update(containerPort="80"), lambda: c.pop("name")])()
    else:
        obj["metadata"]["nmae"] = obj["metadata"].pop("name")
    return obj


def per_object_us(fn, objs, repeat: int) -> float:
    """Best-of-`repeat` CPU µs per object (CPU time: the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        for o in objs:
            fn(o)
        best = min(best, time.process_time() - t)
    return best / len(objs) * 1e6


FIRST_USE = """
import time
PRELUDE
w, c = time.perf_counter(), time.process_time()
from k8sgen.validate import k8s_schema
obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
       "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
assert k8s_schema.problems_from(k8s_schema.raw_errors(obj, "1.37", engine=ENGINE)) == []
print((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000)
"""


def first_use_ms(engine: str, pyc: bool, marginal: bool = False, runs: int = 7) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of import + first check of a small Pod, in fresh interpreters.

    pyc=False: every module is compiled from source (PYTHONDONTWRITEBYTECODE=1); pyc=True:
    bytecode cached in a temporary PYTHONPYCACHEPREFIX, as after `pip install`.
    marginal=True: k8sgen.errors and the k8sgen.validate package (which every command
    imports anyway) are imported before the clock starts.
    """
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, PYTHONPYCACHEPREFIX=cache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not pyc:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        prelude = "import k8sgen.errors, k8sgen.fieldpath, k8sgen.validate" if marginal else ""
        code = FIRST_USE.replace("ENGINE", repr(engine)).replace("PRELUDE", prelude)
        walls, cpus = [], []
        for i in range(runs + (1 if pyc else 0)):
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
            if pyc and i == 0:
                continue  # the run that writes the bytecode
            wall, cpu = map(float, out.stdout.split())
            walls.append(wall)
            cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def startup_ms(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=6000)
    ap.add_argument("--version", default=k8s_schema.DEFAULT_VERSION)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    version = args.version
    objs = corpus(args.objects)
    rng = random.Random(2)
    broken = [break_one(o, rng) for o in objs]
    kinds: dict = {}
    for o in objs:
        kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
    print(f"{len(objs)} objects, Kubernetes {version}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))

    def compiled(o):
        return list(k8s_schema.check(o, version))

    def reference(o):
        return k8s_schema.problems_from(k8s_schema.raw_errors(o, version, engine="reference"))

    assert all(compiled(o) == [] for o in objs) and all(reference(o) == [] for o in objs[:200])
    assert all(compiled(o) == reference(o) != [] for o in broken[:500])
    rows = [
        ("compiled, valid", per_object_us(compiled, objs, args.repeat)),
        ("jsonschema, valid", per_object_us(reference, objs, 1)),
        ("compiled, one error each", per_object_us(compiled, broken, args.repeat)),
        ("jsonschema, one error each", per_object_us(reference, broken, 1)),
    ]
    for name, us in rows:
        print(f"{name:28s} {us:9.1f} µs/object (CPU)")
    print(f"speed-up: {rows[1][1] / rows[0][1]:.0f}x on valid objects, {rows[3][1] / rows[2][1]:.0f}x with one error each")
    print("import k8s_schema + first check of a small Pod, fresh interpreter (median wall / CPU ms):")
    for engine in ("compiled", "reference"):
        for pyc in (True, False):
            wall, cpu = first_use_ms(engine, pyc)
            mwall, mcpu = first_use_ms(engine, pyc, marginal=True)
            print(
                f"  {engine:9s} {'with .pyc' if pyc else 'no .pyc  '}  {wall:6.1f} / {cpu:6.1f}"
                f"   (beyond k8sgen.errors + k8sgen.validate: {mwall:6.1f} / {mcpu:6.1f})"
            )
    print(f"  (`python -c pass` takes {startup_ms():.1f} ms wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
