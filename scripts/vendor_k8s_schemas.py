#!/usr/bin/env python3
"""Regenerate schemas/k8s/ from the kubernetes-validate wheel on PyPI.

The wheel bundles the official OpenAPI-derived JSON schemas of every Kubernetes minor, one file
per kind whose `$ref`s point into a shared 1.8 MB `_definitions.json`. For each supported
Kubernetes version this vendors every built-in kind the wheel has (one entry per
group/version/kind; the `...List` kinds and the discovery/meta types APIGroup, APIVersions and
Status are left out) as:

- `v<minor>/<stem>.json`: the kind's own small entry schema, its `$ref`s rewritten to
  `#/$defs/...`;
- `v<minor>/_definitions.json`: the definitions reachable from all of them, one definition per
  line (`"name":{...},`) so that k8s_schema can parse only the ones a run reaches;
- `v<minor>/_index.json`: `{"apiVersion kind": stem}`, what k8s_schema reads to dispatch.

The `description` texts are dropped (they are 70% of the bytes and nothing reads them at run
time), and schemas/k8s/SOURCES.json records where every byte came from.

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

from k8sgen.validate.k8s_schema import DEFS_FILE as OUT_DEFS, INDEX_FILE, SUPPORTED_VERSIONS  # noqa: E402

PACKAGE = "kubernetes-validate"
PACKAGE_VERSION = "1.37.0"
SCHEMA_DIR = "kubernetes_validate/kubernetes-json-schema/v{version}.0-local-strict/"
DEFS_FILE = "_definitions.json"
EXTERNAL_REF = "/api/_definitions.json#/$defs/"
LOCAL_REF = "#/$defs/"
# Keys dropped from every schema node: documentation only. The x-kubernetes-* extensions stay,
# because list-map keys and list types tell later stages how the API server merges lists.
DROP_KEYS = frozenset({"description"})
# Kinds with a group-version-kind that are not objects anyone applies: discovery documents and
# the Status of a failed call.
SKIP_KINDS = frozenset({"APIGroup", "APIVersions", "Status"})
TRANSFORM = (
    "every kind with exactly one x-kubernetes-group-version-kind, except *List, APIGroup, "
    "APIVersions and Status: its schema as an entry file, $refs rewritten from "
    f"{EXTERNAL_REF!r} to {LOCAL_REF!r}; the definitions reachable from all entries in "
    f"{OUT_DEFS}, one per line; 'description' removed; $id kept; "
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
            if key == "$ref" and isinstance(value, str):
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


def reachable(roots: list, definitions: dict) -> dict:
    """{name: stripped definition} for every definition reachable from the (stripped) roots."""
    found: dict = {}
    todo: list = []
    for root in roots:
        _refs(root, todo)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = _strip(definitions[name])
        _refs(found[name], todo)
    return found


def dump(schema: dict) -> bytes:
    return (json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def dump_definitions(defs: dict) -> bytes:
    """A JSON object with one definition per line, sorted: k8s_schema.LazyDefs reads it lazily."""
    lines = [
        json.dumps(name) + ":" + json.dumps(defs[name], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for name in sorted(defs)
    ]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode()


def api_version_of(gvk: dict) -> str:
    return f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]


def kind_files(names: list) -> list:
    """The wheel's per-kind files to vendor, from the names in its version folder."""
    return sorted(n for n in names if n.endswith(".json") and n not in (DEFS_FILE, "all.json"))


def build_from_wheel(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()

        def listdir(base: str) -> list:
            return [n[len(base):] for n in names if n.startswith(base) and "/" not in n[len(base):]]

        return build(zf.read, listdir, wheel.name, hashlib.sha256(wheel.read_bytes()).hexdigest())


def build_from_site_packages(root: Path, wheel_name: str, wheel_sha: str) -> dict[str, bytes]:
    """The same output from an installed kubernetes-validate (its files are the wheel's)."""
    return build(
        lambda rel: (root / rel).read_bytes(),
        lambda base: [p.name for p in (root / base).iterdir() if p.is_file()],
        wheel_name, wheel_sha,
    )


def build(read: Callable[[str], bytes], listdir: Callable[[str], list], wheel_name: str, wheel_sha: str) -> dict[str, bytes]:
    """{relative output path: bytes} for every vendored file, SOURCES.json included.

    `read` returns the bytes of a path inside the wheel; `listdir` the file names in a folder.
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
        index = {}
        entries = []
        for name in kind_files(listdir(base)):
            kind_schema = json.loads(read(base + name))
            gvk = kind_schema.get("x-kubernetes-group-version-kind") or []
            if len(gvk) != 1 or gvk[0]["kind"].endswith("List") or gvk[0]["kind"] in SKIP_KINDS:
                continue
            api_version, kind = api_version_of(gvk[0]), gvk[0]["kind"]
            stem = name[: -len(".json")]
            key = f"{api_version} {kind}"
            if key in index:
                raise SystemExit(f"{base}: two files for {key}: {index[key]}, {stem}")
            index[key] = stem
            entry = _strip(kind_schema)
            entries.append(entry)
            data = dump(entry)
            out[f"v{version}/{name}"] = data
            files[name] = {
                "apiVersion": api_version,
                "kind": kind,
                "source": base + name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
        shared = {
            OUT_DEFS: dump_definitions(reachable(entries, definitions)),
            INDEX_FILE: dump(index),
        }
        for name, data in shared.items():
            out[f"v{version}/{name}"] = data
            files[name] = {
                "source": base + DEFS_FILE if name == OUT_DEFS else base,
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
