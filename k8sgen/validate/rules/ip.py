"""IP addresses as the API server parses them (`netutils.ParseIPSloppy`, `ValidateNonSpecialIP`).

Go's sloppy parser still accepts IPv4 octets with leading zeros (read as decimal) for backwards
compatibility, which Python's `ipaddress` rejects, so IPv4 is parsed by hand here.
"""

from __future__ import annotations

import ipaddress
from typing import Optional, Union

from ...errors import Problem
from .registry import invalid, warning

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

VALID_IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
VALID_CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
# StrictIPCIDRValidation: alpha in 1.33, beta and on by default from 1.36. With it, IPv4 octets
# with leading zeros and IPv4-mapped IPv6 addresses are errors; before, the server accepts them
# and warns that they "will be considered invalid in a future Kubernetes release".
STRICT_IP_SINCE = (1, 36)


def parse_ip_sloppy(value: object) -> Optional[Address]:
    if not isinstance(value, str) or not value:
        return None
    if ":" not in value:
        parts = value.split(".")
        if len(parts) != 4 or not all(p.isdigit() and p.isascii() and len(p) <= 3 for p in parts):
            return None
        octets = [int(p) for p in parts]
        if any(o > 255 for o in octets):
            return None
        return ipaddress.IPv4Address(".".join(str(o) for o in octets))
    if "%" in value:  # zones are not addresses for Kubernetes
        return None
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


def as_ipv4(addr: Address) -> Optional[ipaddress.IPv4Address]:
    """Go's `ip.To4()`: IPv4, or IPv4-mapped IPv6, seen as IPv4."""
    if isinstance(addr, ipaddress.IPv4Address):
        return addr
    return addr.ipv4_mapped


def special_ip_messages(value: str) -> list[str]:
    """`ValidateNonSpecialIP`: addresses that make no sense as endpoints or external IPs."""
    addr = parse_ip_sloppy(value)
    if addr is None:
        return ["must be a valid IP address"]
    v4 = as_ipv4(addr)
    a: Address = v4 if v4 is not None else addr
    out = []
    if a.is_unspecified:
        out.append(f"may not be unspecified ({value})")
    if a.is_loopback:
        out.append("may not be in the loopback range (127.0.0.0/8, ::1/128)")
    if _link_local_unicast(a):
        out.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)")
    if _link_local_multicast(a):
        out.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
    return out


def _link_local_unicast(a: Address) -> bool:
    if isinstance(a, ipaddress.IPv4Address):
        return a in ipaddress.ip_network("169.254.0.0/16")
    return a in ipaddress.ip_network("fe80::/10")


def _link_local_multicast(a: Address) -> bool:
    if isinstance(a, ipaddress.IPv4Address):
        return a in ipaddress.ip_network("224.0.0.0/24")
    # Go: IPv6 multicast with link-local scope, ff02::/16 (and ffX2 scopes).
    return a.packed[0] == 0xFF and (a.packed[1] & 0x0F) == 0x02


def is_valid_cidr(value: str) -> bool:
    if not isinstance(value, str) or "/" not in value:
        return False
    addr, _, bits = value.partition("/")
    ip = parse_ip_sloppy(addr)
    if ip is None or not bits.isdigit():
        return False
    return int(bits) <= (32 if isinstance(ip, ipaddress.IPv4Address) else 128)


def _leading_zeros(value: str) -> bool:
    if ":" in value:
        return False
    return any(len(octet) > 1 and octet.startswith("0") for octet in value.split("."))


def _form_issues(value: str, addr: Address, version: tuple) -> list[tuple[str, str, str]]:
    """(severity, detail, hint) for an address written in a non-standard form."""
    mapped = isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None
    standard = str(addr.ipv4_mapped if mapped else addr)
    if version >= STRICT_IP_SINCE:
        out = []
        if _leading_zeros(value):
            out.append(("error", "must not have leading 0s", f"write {standard}"))
        if mapped:
            out.append(("error", "must not be an IPv4-mapped IPv6 address", f"write {standard}"))
        return out
    if _leading_zeros(value) or mapped:
        return [("warning", f"non-standard IP address {value!r} will be considered invalid in a future Kubernetes release: use {standard!r}",
                 "StrictIPCIDRValidation rejects it from 1.36")]
    return []


def _problems(rid: str, path: tuple, shown: str, issues: list) -> list[Problem]:
    return [invalid(rid, path, shown, detail, hint=hint) if sev == "error" else warning(rid, path, detail, hint=hint)
            for sev, detail, hint in issues]


def check_ip(rid: str, value: object, path: tuple, version: tuple) -> tuple[Optional[Address], list[Problem]]:
    """Parse an IP field the way the target version does: the address (None when invalid) and the
    problems: invalid, or non-standard (an error from 1.36, a warning before)."""
    addr = parse_ip_sloppy(value)
    if addr is None:
        return None, [invalid(rid, path, value if value is not None else "", VALID_IP_MSG)]
    assert isinstance(value, str)
    return addr, _problems(rid, path, value, _form_issues(value, addr, version))


def check_cidr(rid: str, value: object, path: tuple, version: tuple) -> list[Problem]:
    if not isinstance(value, str) or not is_valid_cidr(value):
        return [invalid(rid, path, value if value is not None else "", VALID_CIDR_MSG)]
    address = value.partition("/")[0]
    addr = parse_ip_sloppy(address)
    assert addr is not None
    return _problems(rid, path, value, _form_issues(address, addr, version))
