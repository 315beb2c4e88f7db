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


# k8sgen's own bounds (docs/errors.md, `quantity-too-large`): the API server keeps any decimal
# quantity exactly, but one past 10^1000 (or with more digits than that) is no resource amount,
# and exact arithmetic on it would cost time and memory without bound ("1e99999999").
MAX_DIGITS = 1000
LIMIT_ERROR = f"k8sgen handles quantities below 1e{MAX_DIGITS} with at most {MAX_DIGITS} significant digits"
_MAX_ALLOWED = Fraction(2**63 - 1)  # resource.maxAllowed: BinarySI amounts are capped there
_NANO = Fraction(1, 10**9)


class _TooLarge(Exception):
    pass


def error_message(text: object) -> str:
    """Why `parse(text)` is None: the server's own message, or k8sgen's limit."""
    try:
        if isinstance(text, str) and text:
            _parse_text.__wrapped__(text, strict=True)
    except _TooLarge:
        return LIMIT_ERROR
    return PARSE_ERROR


@lru_cache(maxsize=4096)
def _parse_text(text: str, strict: bool = False) -> Optional[Quantity]:
    # Memoized: a set of objects repeats the same few quantities (100m, 64Mi) thousands of
    # times, and a Quantity (a Fraction and a name) is immutable.
    # Like resource.ParseQuantity, in time linear in the text: digits are counted before any
    # number is built, the exponent is bounded before any power is taken.
    m = re.match(r"([+-]?[0-9.]*)(.*)\Z", text, re.DOTALL)  # any text, newlines too
    assert m
    number, suffix = m.group(1), m.group(2)
    num = _NUMBER.match(number)
    if not num or not (num.group(2) or num.group(3)):
        return None
    sign = -1 if num.group(1) == "-" else 1
    whole, frac = num.group(2) or "", num.group(3) or ""
    if suffix in _BINARY:
        base, exp, fmt = 2, _BINARY[suffix], "BinarySI"
    elif suffix in _DECIMAL:
        base, exp, fmt = 10, _DECIMAL[suffix], "DecimalSI"
    else:
        e = _EXPONENT.match(suffix)
        if not e:
            return None
        text_exp = e.group(1)
        magnitude = text_exp.lstrip("+-").lstrip("0") or "0"
        parsed = int(magnitude) * (-1 if text_exp.startswith("-") else 1) if len(magnitude) <= 19 else None
        if parsed is None or parsed not in range(-(2**63), 2**63):
            return None  # strconv.ParseInt(s, 10, 64) fails: ErrSuffix
        # ...and the server keeps int32(parsed): the exponent wraps around.
        base, exp, fmt = 10, (parsed + 2**31) % 2**32 - 2**31, "DecimalExponent"
    # digits * 10^scale, with leading and trailing zeros taken out before any int is built.
    digits = (whole + frac).lstrip("0")
    scale = -len(frac)
    stripped = digits.rstrip("0")
    scale += len(digits) - len(stripped)
    digits = stripped
    if not digits:
        return Quantity(Fraction(0), fmt)
    if base == 10:
        scale += exp
    if len(digits) > MAX_DIGITS or len(digits) + scale > MAX_DIGITS:
        if strict:
            raise _TooLarge
        return None
    if scale < -9 - len(digits):
        value = _NANO  # far below 1n: the server rounds any non-zero amount up to 1n
    else:
        value = Fraction(int(digits)) * Fraction(10) ** scale
        if base == 2:
            value *= 2**exp
        if value.denominator != 1:
            value = Fraction(-(-value.numerator * 10**9 // value.denominator), 10**9)  # round up to 1n
    if fmt == "BinarySI":
        value = min(value, _MAX_ALLOWED)
        if value < 1:
            fmt = "DecimalSI"
    return Quantity(value * sign, fmt)


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
