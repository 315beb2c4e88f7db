#!/usr/bin/env python3
"""Regenerate schemas/k8s/ from the kubernetes-validate wheel on PyPI.

The wheel bundles the official OpenAPI-derived JSON schemas of every Kubernetes minor, one file
per kind whose `$ref`s point into a shared 1.8 MB `_definitions.json`. k8sgen needs a dozen
kinds, so for each supported Kubernetes version this writes one self-contained schema per kind
holding only the `$defs` reachable from it (refs rewritten to `#/$defs/...`), without the
`description` texts (they are 70% of the bytes and nothing reads them at run time), and records
where every byte came from in schemas/k8s/SOURCES.json.

    python3 scripts/vendor_k8s_schemas.py                  # pip download the pinned wheel
    python3 scripts/vendor_k8s_schemas.py --wheel PATH.whl # use a wheel already on disk

The output is deterministic (sorted keys, compact separators), so re-running it on the same wheel
changes nothing; tests/test_k8s_schema.py checks the recorded checksums.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from k8sgen.validate.k8s_schema import KINDS, SUPPORTED_VERSIONS  # noqa: E402

PACKAGE = "kubernetes-validate"
PACKAGE_VERSION = "1.37.0"
SCHEMA_DIR = "kubernetes_validate/kubernetes-json-schema/v{version}.0-local-strict/"
DEFS_FILE = "_definitions.json"
EXTERNAL_REF = "/api/_definitions.json#/$defs/"
LOCAL_REF = "#/$defs/"
# Keys dropped from every schema node: documentation only. The x-kubernetes-* extensions stay,
# because list-map keys and list types tell later stages how the API server merges lists.
DROP_KEYS = frozenset({"description"})
TRANSFORM = (
    "kind schema plus only the $defs reachable from it; $refs rewritten from "
    f"{EXTERNAL_REF!r} to {LOCAL_REF!r}; 'description' removed; $id kept; "
    "JSON with sorted keys and separators (',', ':')"
)


def download_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         f"{PACKAGE}=={PACKAGE_VERSION}", "-d", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {dest}, found {[w.name for w in wheels]}")
    return wheels[0]


def _strip(node):
    """A copy of `node` without documentation keys, with every ref made local."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in DROP_KEYS and not isinstance(value, dict):
                # A property *named* "description" is a dict value under "properties"; keep it.
                continue
            if key == "$ref":
                if value.startswith(EXTERNAL_REF):
                    value = LOCAL_REF + value[len(EXTERNAL_REF):]
                elif not value.startswith(LOCAL_REF):
                    raise ValueError(f"unexpected $ref {value!r}")
            out[key] = _strip(value)
        return out
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _refs(node, found: list) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value[len(LOCAL_REF):])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for v in node:
            _refs(v, found)


def tree_shake(kind_schema: dict, definitions: dict) -> dict:
    """The kind schema, self-contained: its reachable definitions under `$defs`."""
    root = _strip(kind_schema)
    reachable: dict = {}
    todo: list = []
    _refs(root, todo)
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable[name] = _strip(definitions[name])
        _refs(reachable[name], todo)
    if reachable:
        root["$defs"] = reachable
    return root


def dump(schema: dict) -> bytes:
    return (json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def build_from_wheel(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        return build(zf.read, wheel.name, hashlib.sha256(wheel.read_bytes()).hexdigest())


def build_from_site_packages(root: Path, wheel_name: str, wheel_sha: str) -> dict[str, bytes]:
    """The same output from an installed kubernetes-validate (its files are the wheel's)."""
    return build(lambda rel: (root / rel).read_bytes(), wheel_name, wheel_sha)


def build(read: Callable[[str], bytes], wheel_name: str, wheel_sha: str) -> dict[str, bytes]:
    """{relative output path: bytes} for every vendored file, SOURCES.json included.

    `read` returns the bytes of a path inside the wheel.
    """
    out: dict[str, bytes] = {}
    sources: dict = {
        "package": PACKAGE,
        "version": PACKAGE_VERSION,
        "wheel": wheel_name,
        "wheel_sha256": wheel_sha,
        "transform": TRANSFORM,
        "generator": "scripts/vendor_k8s_schemas.py",
        "versions": {},
    }
    for version in SUPPORTED_VERSIONS:
        base = SCHEMA_DIR.format(version=version)
        definitions = json.loads(read(base + DEFS_FILE))["$defs"]
        files = {}
        for (api_version, kind), stem in sorted(KINDS.items(), key=lambda kv: kv[1]):
            kind_schema = json.loads(read(base + stem + ".json"))
            gvk = kind_schema.get("x-kubernetes-group-version-kind") or []
            group, _, ver = api_version.rpartition("/")
            if {"group": group, "kind": kind, "version": ver} not in gvk:
                raise SystemExit(f"{base}{stem}.json is not {api_version} {kind}: {gvk}")
            data = dump(tree_shake(kind_schema, definitions))
            out[f"v{version}/{stem}.json"] = data
            files[f"{stem}.json"] = {
                "apiVersion": api_version,
                "kind": kind,
                "source": base + stem + ".json",
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
        sources["versions"][version] = {"source_path": base, "files": files}
    out["SOURCES.json"] = (json.dumps(sources, indent=2, sort_keys=True) + "\n").encode()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="use this wheel instead of downloading it")
    ap.add_argument("--out", type=Path, default=ROOT / "schemas" / "k8s")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        files = build_from_wheel(wheel)
    for old in sorted(args.out.glob("v*/*.json")):
        if str(old.relative_to(args.out)) not in files:
            old.unlink()
    for rel, data in sorted(files.items()):
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
