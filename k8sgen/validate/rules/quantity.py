"""Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource/quantity.go`).

`parse` gives the exact value as a Fraction plus the suffix family, `canonical` the string
`Quantity.String()` prints, which is what the API server compares divisors against.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple, Optional

QUANTITY_REGEX = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
PARSE_ERROR = f"quantities must match the regular expression '{QUANTITY_REGEX}'"

_NUMBER = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?\Z")
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_BY_EXP = {v: k for k, v in _DECIMAL.items()}
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)\Z")


class Quantity(NamedTuple):
    value: Fraction
    format: str  # "BinarySI" | "DecimalSI" | "DecimalExponent"


def parse(text: object) -> Optional[Quantity]:
    """The quantity of a YAML value (string or number), or None when the server would reject it."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return Quantity(Fraction(text), "DecimalSI")
    if isinstance(text, float):
        text = repr(text)
    if not isinstance(text, str) or not text:
        return None
    return _parse_text(text)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Optional[Quantity]:
    # Memoized: a set of objects repeats the same few quantities (100m, 64Mi) thousands of
    # times, and a Quantity (a Fraction and a name) is immutable.
    m = re.match(r"([+-]?[0-9.]*)(.*)\Z", text, re.DOTALL)  # any text, newlines too
    assert m
    number, suffix = m.group(1), m.group(2)
    num = _NUMBER.match(number)
    if not num or not (num.group(2) or num.group(3)):
        return None
    sign = -1 if num.group(1) == "-" else 1
    whole, frac = num.group(2) or "0", num.group(3) or ""
    value = Fraction(int(whole + frac), 10 ** len(frac)) * sign
    if suffix in _BINARY:
        return Quantity(value * 2 ** _BINARY[suffix], "BinarySI")
    if suffix in _DECIMAL:
        return Quantity(value * Fraction(10) ** _DECIMAL[suffix], "DecimalSI")
    e = _EXPONENT.match(suffix)
    if e:
        return Quantity(value * Fraction(10) ** int(e.group(1)), "DecimalExponent")
    return None


def canonical(q: Quantity) -> str:
    """`Quantity.String()` for the values that matter here (divisors, messages)."""
    v = q.value
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    v = abs(v)
    if q.format == "BinarySI" and v.denominator == 1 and v >= 1024:
        n, shift = v.numerator, 0
        while shift < 60 and n % 1024 == 0:
            n //= 1024
            shift += 10
        suffix = {s: k for k, s in _BINARY.items()}.get(shift, "")
        return f"{sign}{n}{suffix}"
    if q.format == "BinarySI" and v.denominator == 1:
        return f"{sign}{v.numerator}"
    # Decimal: the largest exponent (multiple of 3) that leaves an integer mantissa.
    for exp in range(18, -10, -3):
        m = v / Fraction(10) ** exp
        if m.denominator == 1:
            if q.format == "DecimalExponent":
                return f"{sign}{m.numerator}" + (f"e{exp}" if exp else "")
            return f"{sign}{m.numerator}{_DECIMAL_BY_EXP[exp]}"
    # Finer than nano: the server rounds up to 1n precision, then prints the rounded value
    # canonically (3124999.1n -> 3125u), so printing is idempotent.
    n = -(-v * 10**9 // 1)
    return canonical(Quantity(Fraction(n, 10**9) * (-1 if sign else 1), q.format))
