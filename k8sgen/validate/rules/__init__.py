"""Placeholder seam: filled in by the issue-3 work (API-server rules). Returns no problems yet."""

from __future__ import annotations


def check(obj, ctx):
    return iter(())
