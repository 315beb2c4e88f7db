"""Label maps and label selectors (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`).

Note the API server reports a bad label key or value at the map's path (`metadata.labels`), not at
the key: rules keep that path so messages match what `kubectl apply` prints.
"""

from __future__ import annotations

from typing import Iterator

from ...errors import Problem
from . import formats
from .registry import dicts, forbidden, invalid, required


def check_labels(rule_id: str, labels: object, path: tuple) -> Iterator[Problem]:
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        key = str(key)
        for msg in formats.is_qualified_name(key):
            yield invalid(rule_id, path, key, msg, hint="label keys are [prefix/]name: a DNS subdomain prefix and a name of up to 63 alphanumerics, '-', '_' or '.'")
        if value is None:
            continue
        text = value if isinstance(value, str) else str(value)
        for msg in formats.is_label_value(text):
            yield invalid(rule_id, path, text, msg, hint="label values are at most 63 alphanumerics, '-', '_' or '.', or empty")


_SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


def check_label_selector(rule_id: str, selector: object, path: tuple) -> Iterator[Problem]:
    if not isinstance(selector, dict):
        return
    yield from check_labels(rule_id, selector.get("matchLabels"), path + ("matchLabels",))
    exprs = selector.get("matchExpressions")
    for i, expr in dicts(exprs if isinstance(exprs, list) else []):
        p = path + ("matchExpressions", i)
        op = expr.get("operator")
        values = expr.get("values") if isinstance(expr.get("values"), list) else []
        if op in ("In", "NotIn"):
            if not values:
                yield required(rule_id, p + ("values",), "must be specified when `operator` is 'In' or 'NotIn'")
        elif op in ("Exists", "DoesNotExist"):
            if values:
                yield forbidden(rule_id, p + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
        else:
            yield invalid(rule_id, p + ("operator",), op if op is not None else "", "not a valid selector operator",
                          hint="use one of In, NotIn, Exists, DoesNotExist")
        key = expr.get("key") if isinstance(expr.get("key"), str) else ""
        for msg in formats.is_qualified_name(key):
            yield invalid(rule_id, p + ("key",), key, msg)
        for j, value in enumerate(values):
            if isinstance(value, str):
                for msg in formats.is_label_value(value):
                    yield invalid(rule_id, p + ("values", j), value, msg)
