"""Package data: templates/ and schemas/ ship as k8sgen.templates and k8sgen.schemas.

They sit at the top of the repository and are mapped into the package by pyproject.toml, so the
same lookup works from a source checkout, an editable install and a wheel.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


_CHECKOUT = Path(__file__).resolve().parent.parent


def _data_dir(package: str, folder: str) -> Path:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError:
        # Running from a source checkout that is not installed (PYTHONPATH=.): use the folder.
        return _CHECKOUT / folder


def templates_dir() -> Path:
    return _data_dir("k8sgen.templates", "templates")


def schemas_dir() -> Path:
    return _data_dir("k8sgen.schemas", "schemas")


def read_schema_text(name: str) -> str:
    return (schemas_dir() / name).read_text(encoding="utf-8")
