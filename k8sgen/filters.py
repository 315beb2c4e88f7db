"""Jinja filters. Templates never paste text into YAML: every value goes through `yv`."""

from __future__ import annotations

from . import yamltext


def yv(value, indent: int) -> str:
    """The YAML text after `key:` for a key at column `indent`: ` scalar` or a nested block."""
    return yamltext.value(value, indent)


FILTERS = {"yv": yv}
