"""The string formats, quantities and IP parsing the rules are built on, against upstream facts
(apimachinery validation_test.go, resource/quantity_test.go, netutils ParseIPSloppy)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgen.validate.rules import formats, ip, quantity

FORMAT_CASES = [
    # (checker, value, valid)
    (formats.is_dns1123_label, "a", True),
    (formats.is_dns1123_label, "0-abc", True),
    (formats.is_dns1123_label, "a" * 63, True),
    (formats.is_dns1123_label, "a" * 64, False),
    (formats.is_dns1123_label, "A", False),
    (formats.is_dns1123_label, "a.b", False),
    (formats.is_dns1123_label, "-a", False),
    (formats.is_dns1123_label, "", False),
    (formats.is_dns1123_subdomain, "a.b.c", True),
    (formats.is_dns1123_subdomain, "a..b", False),
    (formats.is_dns1123_subdomain, ".a", False),
    (formats.is_dns1123_subdomain, ("a" * 63 + ".") * 4, False),
    (formats.is_dns1035_label, "abc-123", True),
    (formats.is_dns1035_label, "1abc", False),
    (formats.is_qualified_name, "example.com/MyName", True),
    (formats.is_qualified_name, "my.name", True),
    (formats.is_qualified_name, "a/b/c", False),
    (formats.is_qualified_name, "/a", False),
    (formats.is_qualified_name, "a/", False),
    (formats.is_qualified_name, "Example.com/x", False),
    (formats.is_qualified_name, "_a", False),
    (formats.is_label_value, "", True),
    (formats.is_label_value, "a_b.c-d", True),
    (formats.is_label_value, "a b", False),
    (formats.is_label_value, "a" * 64, False),
    (formats.is_env_var_name, "my.env-name", True),
    (formats.is_env_var_name, "1abc", False),
    (formats.is_env_var_name, "..", False),
    (formats.is_relaxed_env_var_name, "1 a-b.c!", True),
    (formats.is_relaxed_env_var_name, "a=b", False),
    (formats.is_relaxed_env_var_name, "é", False),
    (formats.is_config_map_key, "tls.crt", True),
    (formats.is_config_map_key, ".", False),
    (formats.is_config_map_key, "..a", False),
    (formats.is_config_map_key, "a/b", False),
    (formats.is_valid_port_name, "http", True),
    (formats.is_valid_port_name, "h2c-1", True),
    (formats.is_valid_port_name, "a" * 16, False),
    (formats.is_valid_port_name, "80", False),
    (formats.is_valid_port_name, "a--b", False),
    (formats.is_valid_port_name, "HTTP", False),
    (formats.is_path_segment_name, "system:node", True),
    (formats.is_path_segment_name, "..", False),
    (formats.is_path_segment_name, "a%b", False),
    (formats.is_fully_qualified_domain_name, "db.example.com.", True),
    (formats.is_fully_qualified_domain_name, "db", False),
]


@pytest.mark.parametrize("fn,value,valid", FORMAT_CASES, ids=[f"{f.__name__}:{v[:20]!r}" for f, v, _ in FORMAT_CASES])
def test_format(fn, value: str, valid: bool) -> None:
    assert (fn(value) == []) is valid


def test_generate_name_prefix_may_end_in_dash() -> None:
    assert formats.name_is_dns_subdomain("web-", prefix=True) == []
    assert formats.name_is_dns_subdomain("web-", prefix=False) != []


QUANTITIES = [
    ("100m", Fraction(1, 10), "100m"),
    ("1", 1, "1"),
    ("1000m", 1, "1"),
    ("1000", 1000, "1k"),
    ("1500", 1500, "1500"),
    ("1024", 1024, "1024"),
    ("1Ki", 1024, "1Ki"),
    ("1.5Gi", 3 * 2**29, "1536Mi"),
    ("2e3", 2000, "2e3"),
    ("0.001k", 1, "1"),
    (3, 3, "3"),
    ("-1", -1, "-1"),
]


@pytest.mark.parametrize("text,value,canonical", QUANTITIES)
def test_quantity(text, value, canonical: str) -> None:
    q = quantity.parse(text)
    assert q is not None and q.value == value
    assert quantity.canonical(q) == canonical


@pytest.mark.parametrize("text", ["", "1MB", "abc", "1.2.3", ".", "1 Gi", "Mi", True])
def test_bad_quantity(text) -> None:
    assert quantity.parse(text) is None


@pytest.mark.parametrize("value,ok", [
    ("10.0.0.1", True), ("010.000.000.001", True), ("2001:db8::1", True), ("::ffff:1.2.3.4", True),
    ("256.0.0.1", False), ("1.2.3", False), ("fe80::1%eth0", False), ("host", False), ("", False),
])
def test_parse_ip_sloppy(value: str, ok: bool) -> None:
    assert (ip.parse_ip_sloppy(value) is not None) is ok


@pytest.mark.parametrize("value,special", [
    ("0.0.0.0", True), ("::", True), ("127.1.2.3", True), ("::1", True), ("169.254.1.1", True),
    ("fe80::1", True), ("224.0.0.251", True), ("ff02::1", True), ("::ffff:127.0.0.1", True),
    ("10.0.0.1", False), ("224.0.1.1", False), ("2001:db8::1", False),
])
def test_special_ip(value: str, special: bool) -> None:
    assert bool(ip.special_ip_messages(value)) is special


SUFFIXES = ["", "m", "k", "M", "G", "Ki", "Mi", "Gi", "n", "u", "e3", "E2"]


@given(st.integers(min_value=-10**6, max_value=10**9), st.integers(min_value=0, max_value=3), st.sampled_from(SUFFIXES))
def test_canonical_quantity_round_trips(number: int, decimals: int, suffix: str) -> None:
    # Values finer than 1n are rounded up by the server (and by canonical), so compare the
    # canonical forms: printing is idempotent and keeps the value up to that rounding.
    text = f"{number / 10**decimals:.{decimals}f}{suffix}"
    q = quantity.parse(text)
    assert q is not None
    again = quantity.parse(quantity.canonical(q))
    assert again is not None and quantity.canonical(again) == quantity.canonical(q)
    assert abs(again.value - q.value) < Fraction(1, 10**9)


@given(st.from_regex(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", fullmatch=True))
def test_dns_labels_are_subdomains_and_qualified_names(label: str) -> None:
    assert formats.is_dns1123_label(label) == []
    assert formats.is_dns1123_subdomain(label) == []
    assert formats.is_qualified_name(label) == []
