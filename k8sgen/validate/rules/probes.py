"""Probes and lifecycle hooks (`validateProbe`, `validateLivenessProbe`, `validateHandler`,
`validateHTTPGetAction`, `validateTCPSocketAction`, `validateGRPCAction` in
`pkg/apis/core/validation/validation.go`).

Defaults come first: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3,
httpGet path "/" and scheme HTTP, so only explicit values can be wrong.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...errors import Problem
from . import formats
from .podspec import containers, spec
from .registry import dicts, forbidden, get_list, invalid, not_supported, required, rule

PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
SCHEMES = ("HTTP", "HTTPS")
NON_NEGATIVE = "must be greater than or equal to 0"
_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+\Z")


def _port_num_or_name(rid: str, port: object, path: tuple) -> Iterator[Problem]:
    if isinstance(port, int) and not isinstance(port, bool):
        for msg in formats.is_valid_port_num(port):
            yield invalid(rid, path, port, msg)
    elif isinstance(port, str):
        for msg in formats.is_valid_port_name(port):
            hint = f"a quoted number is a port name: write port: {port}" if port.isdigit() else "a named port must match a container port name"
            yield invalid(rid, path, port, msg, hint=hint)


def _handler(rid: str, handler: dict, kinds: tuple, path: tuple, grace: int = 30) -> Iterator[Problem]:
    present = [k for k in kinds if handler.get(k) is not None]
    if not present:
        yield required(rid, path, "must specify a handler type", hint=f"use one of {', '.join(kinds)}")
        return
    for extra in present[1:]:
        yield forbidden(rid, path + (extra,), "may not specify more than 1 handler type")
    kind, h = present[0], handler.get(present[0])
    if not isinstance(h, dict):
        return
    hp = path + (kind,)
    if kind == "exec" and not get_list(h, "command"):
        yield required(rid, hp + ("command",))
    elif kind == "httpGet":
        yield from _port_num_or_name(rid, h.get("port"), hp + ("port",))
        scheme = h.get("scheme") or "HTTP"
        if scheme not in SCHEMES:
            yield not_supported(rid, hp + ("scheme",), scheme, SCHEMES)
        for i, header in dicts(get_list(h, "httpHeaders")):
            name = header.get("name") if isinstance(header.get("name"), str) else ""
            if not _HEADER_NAME.match(name):
                yield invalid(rid, hp + ("httpHeaders", i, "name"), name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')")
    elif kind == "tcpSocket":
        yield from _port_num_or_name(rid, h.get("port"), hp + ("port",))
    elif kind == "grpc":
        port = h.get("port")
        for msg in formats.is_valid_port_num(port):
            yield invalid(rid, hp + ("port",), port, msg, hint="gRPC probes take a port number, not a name")
    elif kind == "sleep":
        seconds = h.get("seconds")
        # A zero sleep is allowed since PodLifecycleSleepActionAllowZero (beta 1.33, GA 1.34).
        if isinstance(seconds, int) and not 0 <= seconds <= grace:
            yield invalid(rid, hp, seconds, f"must be non-negative and less than terminationGracePeriodSeconds ({grace})",
                          hint="raise spec.terminationGracePeriodSeconds or sleep less")


@rule("pod-probe", ("Pod",), "probes have exactly one handler (exec with a command, httpGet/tcpSocket with a port number or IANA name, grpc with a port number), non-negative timings, and successThreshold 1 for liveness and startup probes")
def check_probes(obj: dict, ctx: object) -> Iterator[Problem]:
    rid = "pod-probe"
    for path, c in containers(obj, ("containers", "initContainers")):
        for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
            probe = c.get(kind)
            if not isinstance(probe, dict):
                continue
            p = path + (kind,)
            yield from _handler(rid, probe, PROBE_HANDLERS, p)
            for f in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
                v = probe.get(f)
                if isinstance(v, int) and v < 0:
                    yield invalid(rid, p + (f,), v, NON_NEGATIVE)
            st = probe.get("successThreshold")
            if kind != "readinessProbe" and isinstance(st, int) and st not in (0, 1):
                # 0 is defaulted to 1 before validation.
                yield invalid(rid, p + ("successThreshold",), st, "must be 1", hint=f"a {kind} cannot require several successes")
            tg = probe.get("terminationGracePeriodSeconds")
            if isinstance(tg, int) and tg <= 0:
                yield invalid(rid, p + ("terminationGracePeriodSeconds",), tg, "must be greater than 0")


@rule("pod-lifecycle", ("Pod",), "postStart and preStop hooks have exactly one handler (exec with a command, httpGet, tcpSocket or sleep); a sleep lasts at most terminationGracePeriodSeconds")
def check_lifecycle(obj: dict, ctx: object) -> Iterator[Problem]:
    grace = spec(obj).get("terminationGracePeriodSeconds")
    grace = grace if isinstance(grace, int) and not isinstance(grace, bool) else 30  # the default
    for path, c in containers(obj, ("containers", "initContainers")):
        lc = c.get("lifecycle")
        if not isinstance(lc, dict):
            continue
        for hook in ("postStart", "preStop"):
            h = lc.get(hook)
            if isinstance(h, dict):
                yield from _handler("pod-lifecycle", h, LIFECYCLE_HANDLERS, path + ("lifecycle", hook), grace)
