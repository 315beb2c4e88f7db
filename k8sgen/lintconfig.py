"""Which lint profile and which silenced rules apply to a run: `--profile`, then `.k8sgen.yaml`.

The repository config file is found upward from the first input file's directory (the current
directory for stdin), stopping at the first directory that holds `.git`, so a checkout never
picks up a file from outside itself. A config file in a repository is untrusted-ish (it comes
with the code under review), so it can only choose a profile and silence warnings: errors stay
errors whatever it says, and any other key is a problem, not something quietly obeyed.

    # .k8sgen.yaml
    profile: baseline           # privileged | baseline | recommended (the default) | restricted
    ignore: [lint-probes, "lint-rbac-*"]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import SourcePos, input_error

CONFIG_NAME = ".k8sgen.yaml"
KEYS = ("profile", "ignore")
MAX_IGNORE = 500


@dataclass(frozen=True)
class Settings:
    profile: str | None = None  # None: the lint module's default (recommended)
    ignore: frozenset = frozenset()  # rule ids or globs silenced for every object
    source: str | None = None  # the config file that was read, for messages


def find(start: Path) -> Path | None:
    """The nearest `.k8sgen.yaml` at or above `start`, not crossing a repository root."""
    try:
        here = start.resolve()
    except OSError:
        return None
    for d in (here, *here.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (d / ".git").exists():
            return None
    return None


def _start_dir(inputs: Sequence) -> Path:
    for i in inputs:
        name = i if isinstance(i, str) else getattr(i, "file", None)
        if isinstance(name, str) and name != "-" and not name.startswith("<") and os.path.exists(name):
            return Path(name).parent
    return Path(".")


def load(path: Path) -> Settings:
    from . import yamlio
    from .validate.lint import PROFILES

    text, name = yamlio.read_text(str(path))
    docs = yamlio.load_documents(text, name, mode="k8s")
    if not docs:
        return Settings(source=name)
    doc = docs[0]
    data = doc.data
    if len(docs) > 1 or not isinstance(data, dict):
        raise input_error(f"{CONFIG_NAME} holds one mapping with the keys {', '.join(KEYS)}", doc.locate(()), rule="config")
    for key in data:
        if key not in KEYS:
            raise input_error(f"{CONFIG_NAME}: unknown key {key!r}", doc.locate((key,), True),
                              hint=f"a repository config may set only: {', '.join(KEYS)}", rule="config")
    profile = data.get("profile")
    if profile is not None and profile not in PROFILES:
        raise input_error(f"{CONFIG_NAME}: profile {profile!r} is not a lint profile", doc.locate(("profile",)),
                          hint=f"use one of {', '.join(PROFILES)}", rule="config")
    ignore = data.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [r.strip() for r in ignore.split(",")]
    if not isinstance(ignore, list) or not all(isinstance(r, str) for r in ignore) or len(ignore) > MAX_IGNORE:
        raise input_error(f"{CONFIG_NAME}: ignore is a list of rule ids or globs", doc.locate(("ignore",)),
                          hint='e.g. ignore: [lint-probes, "lint-rbac-*"]', rule="config")
    return Settings(profile=profile, ignore=frozenset(r for r in ignore if r), source=name)


def resolve(inputs: Sequence, profile: str | None = None) -> Settings:
    """The settings of a run: the config file found for `inputs`, with `--profile` winning."""
    found = find(_start_dir(inputs))
    settings = load(found) if found is not None else Settings()
    if profile:
        settings = Settings(profile=profile, ignore=settings.ignore, source=settings.source)
    return settings


__all__ = ["CONFIG_NAME", "Settings", "find", "load", "resolve", "SourcePos"]
