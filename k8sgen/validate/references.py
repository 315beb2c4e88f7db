"""Placeholder seam: filled in by the issue-3 work. Returns no problems yet."""

from __future__ import annotations


def check(*args, **kwargs):
    return iter(())
