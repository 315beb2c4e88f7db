"""Package data: templates/ and schemas/ ship as k8sgen.templates and k8sgen.schemas.

They sit at the top of the repository and are mapped into the package by pyproject.toml, so the
same lookup works from a source checkout, an editable install and a wheel.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _data_dir(package: str, folder: str) -> Path:
    # A wheel puts the data inside the package; an editable install maps the package to the
    # checkout's folder, and a checkout that is not installed (PYTHONPATH=.) has only that. Both
    # are plain folders found without importlib.resources, whose import (pathlib, tempfile,
    # shutil, zipfile helpers) cost every render and validate ~5 ms.
    for where in (_PACKAGE / folder, _CHECKOUT / folder):
        if (where / "__init__.py").is_file():
            return where
    from importlib import resources  # anything else (a zip, a custom loader)

    return Path(str(resources.files(package)))


def templates_dir() -> Path:
    return _data_dir("k8sgen.templates", "templates")


def schemas_dir() -> Path:
    return _data_dir("k8sgen.schemas", "schemas")


def read_schema_text(name: str) -> str:
    return (schemas_dir() / name).read_text(encoding="utf-8")
