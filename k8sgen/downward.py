"""The downward API: which pod fields and container resources may be used where.

Shorthand fields are text: `metadata.name`, `metadata.labels['app']`, `status.podIP`, or a
container resource with an optional divisor after a slash, `limits.memory/1Mi`. Whether a field
is legal depends on where it is used: env vars and volume files allow different sets (the API
server's `validEnvDownwardAPIFieldPathExpressions` and `validVolumeDownwardAPIFieldPathExpressions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENV_FIELDS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)
VOLUME_FIELDS = ("metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations")
RESOURCES = (
    "requests.cpu",
    "limits.cpu",
    "requests.memory",
    "limits.memory",
    "requests.ephemeral-storage",
    "limits.ephemeral-storage",
)
CPU_DIVISORS = ("1m", "1")
BYTE_DIVISORS = ("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")
_SUBSCRIPT = re.compile(r"metadata\.(labels|annotations)\['([^']*)'\]\Z")
_HUGEPAGES = re.compile(r"(requests|limits)\.hugepages-[0-9A-Za-z]+\Z")


@dataclass(frozen=True)
class FieldUse:
    """A parsed shorthand: a fieldRef (`field`) or a resourceFieldRef (`resource`, `divisor`)."""

    field: str = ""
    resource: str = ""
    divisor: str = ""


class DownwardError(ValueError):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def parse(text: str, where: str) -> FieldUse:
    """Parse a shorthand for use in `where` ("env" or "volume"); DownwardError if illegal there."""
    text = text.strip()
    res, _, divisor = text.partition("/")
    if res in RESOURCES or _HUGEPAGES.match(res):
        if divisor:
            allowed = CPU_DIVISORS if res.endswith(".cpu") else BYTE_DIVISORS
            if divisor not in allowed and not res.split(".", 1)[1].startswith("hugepages-"):
                raise DownwardError(
                    f"divisor {divisor!r} is not allowed for {res}",
                    "allowed divisors: " + ", ".join(allowed),
                )
        return FieldUse(resource=res, divisor=divisor)
    if "/" in text:
        raise DownwardError(f"{text!r}: only container resources take a divisor", "resources: " + ", ".join(RESOURCES))
    if where == "env":
        if text in ENV_FIELDS or _SUBSCRIPT.match(text):
            return FieldUse(field=text)
        if text in ("metadata.labels", "metadata.annotations"):
            raise DownwardError(
                f"{text} (the whole map) cannot be an env var",
                f"use {text}['key'] for one entry, or put {text} in a downward volume file",
            )
        raise DownwardError(f"{text!r} is not available as an env var", _allowed("env"))
    if text in VOLUME_FIELDS or _SUBSCRIPT.match(text):
        return FieldUse(field=text)
    if text in ENV_FIELDS:
        raise DownwardError(f"{text} is not available in a downwardAPI volume", f"use an env var for {text}; volume files allow: " + ", ".join(VOLUME_FIELDS))
    raise DownwardError(f"{text!r} is not available in a downwardAPI volume", _allowed("volume"))


def _allowed(where: str) -> str:
    fields = ENV_FIELDS if where == "env" else VOLUME_FIELDS
    return (
        "allowed: "
        + ", ".join(fields)
        + ", metadata.labels['KEY'], metadata.annotations['KEY'], or a resource ("
        + ", ".join(RESOURCES)
        + ") with an optional /DIVISOR"
    )
