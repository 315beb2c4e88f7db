"""Parity cases: our YAML fixtures of what the API server accepts and rejects.

Each file under `cases/` holds one or more YAML documents with a `kind`, a valid `base` object
and `cases`. A case names itself, says whether the API server accepts it (`valid`), and for
rejected objects the field path the server reports (`path`, formatted like
`k8sgen.fieldpath.format_path`) and optionally the k8sgen rule id (`rule`). The object of a case
is the base with the case's `patch` applied as a JSON merge patch (RFC 7386: null deletes a key,
lists are replaced whole). `kube_version` overrides the target version (default 1.37).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import yaml

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_VERSION = "1.37"


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    obj: dict
    valid: bool
    path: Optional[str]
    rule: Optional[str]
    kube_version: str


def merge_patch(target: object, patch: object) -> object:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def load_cases(directory: Path = CASES_DIR) -> Iterator[Case]:
    for file in sorted(directory.glob("*.yaml")):
        with file.open(encoding="utf-8") as fh:
            docs = [d for d in yaml.safe_load_all(fh) if d]
        for doc in docs:
            base = doc["base"]
            if base.get("kind") != doc["kind"]:
                raise ValueError(f"{file.name}: base kind {base.get('kind')!r} is not {doc['kind']!r}")
            for case in doc["cases"]:
                valid = bool(case["valid"])
                if not valid and not case.get("path"):
                    raise ValueError(f"{file.name}: invalid case {case['name']!r} needs a path")
                yield Case(
                    id=f"{file.stem}/{doc['kind']}/{case['name']}",
                    kind=doc["kind"],
                    obj=merge_patch(base, case.get("patch") or {}),
                    valid=valid,
                    path=case.get("path"),
                    rule=case.get("rule"),
                    kube_version=str(case.get("kube_version", DEFAULT_VERSION)),
                )


def k8sgen_problems(case: Case) -> list:
    """Errors k8sgen reports for the case: the schema stage (when present), then the rules on
    the defaulted object."""
    import importlib

    from k8sgen.validate import Context, defaults, parse_version, rules

    try:
        schema = importlib.import_module("k8sgen.validate.k8s_schema")
    except ModuleNotFoundError as exc:
        if exc.name != "k8sgen.validate.k8s_schema":
            raise
        schema = None
    found = []
    if schema is not None:
        found = [p for p in schema.check(case.obj, case.kube_version) if p.is_error]
    if not found:
        ctx = Context(kube_version=parse_version(case.kube_version))
        # As validate_manifests does: the rules see the object after the server's defaulting.
        found = [p for p in rules.check(defaults.apply(case.obj), ctx) if p.is_error]
    return found
