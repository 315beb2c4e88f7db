"""The rule registry and the API server's error vocabulary.

Every rule is a generator `fn(obj, ctx) -> Iterator[Problem]` registered with `@rule(id, kinds, doc)`.
The registry keeps rules in registration order, so problems come out in a stable order, and is the
single source for the generated rule documentation (`RULES`).

Messages follow `k8s.io/apimachinery/pkg/util/validation/field` (`errors.go`): the error type
("Invalid value", "Required value", ...) and the detail, as `kubectl apply` shows them after the
field path, so a user can search for the text and find the Kubernetes documentation. The path
itself is `Problem.path`; the report prints it in front of the message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ...errors import Problem

RuleFn = Callable[[dict, object], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple
    doc: str
    fn: RuleFn


REGISTRY: dict[str, Rule] = {}


def rule(id: str, kinds: Iterable[str], doc: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if id in REGISTRY:
            raise ValueError(f"duplicate rule id {id!r}")
        REGISTRY[id] = Rule(id=id, kinds=tuple(kinds), doc=doc, fn=fn)
        return fn

    return register


# --- values as the API server prints them (Go's %q for strings, %v for numbers) ---


def show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _problem(rule_id: str, path: tuple, text: str, hint: str, severity: str) -> Problem:
    # The report puts `object: field.path: ` in front (k8sgen.report), which together with this
    # text reads exactly like the API server's `field.path: Invalid value: ...`.
    return Problem(message=text, rule=rule_id, severity=severity, path=tuple(path), hint=hint)


def invalid(rule_id: str, path: tuple, value: object, detail: str, hint: str = "", severity: str = "error") -> Problem:
    return _problem(rule_id, path, f"Invalid value: {show(value)}: {detail}", hint, severity)


def required(rule_id: str, path: tuple, detail: str = "", hint: str = "") -> Problem:
    return _problem(rule_id, path, "Required value" + (f": {detail}" if detail else ""), hint, "error")


def duplicate(rule_id: str, path: tuple, value: object, hint: str = "") -> Problem:
    return _problem(rule_id, path, f"Duplicate value: {show(value)}", hint, "error")


def not_found(rule_id: str, path: tuple, value: object, hint: str = "") -> Problem:
    return _problem(rule_id, path, f"Not found: {show(value)}", hint, "error")


def closest(value: object, choices: Iterable[str]) -> str:
    """The choice a typo most likely meant ('tcp' -> 'TCP', 'spec.nodename' -> 'spec.nodeName'), or ''."""
    if not isinstance(value, str) or not value:
        return ""
    choices = list(choices)
    for c in choices:
        if c.lower() == value.lower():
            return c
    import difflib  # only on the error path

    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return match[0] if match else ""


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    best = closest(value, choices)
    return f"did you mean {show(best)}?" if best else ""


def not_supported(rule_id: str, path: tuple, value: object, supported: Iterable[str], hint: str = "") -> Problem:
    supported = list(supported)
    hint = hint or did_you_mean(value, supported)
    values = ", ".join(show(v) for v in supported)
    return _problem(rule_id, path, f"Unsupported value: {show(value)}: supported values: {values}", hint, "error")


def forbidden(rule_id: str, path: tuple, detail: str, hint: str = "") -> Problem:
    return _problem(rule_id, path, f"Forbidden: {detail}", hint, "error")


def too_many(rule_id: str, path: tuple, actual: int, limit: int, hint: str = "") -> Problem:
    return _problem(rule_id, path, f"Too many: {actual}: must have at most {limit} items", hint, "error")


def too_long(rule_id: str, path: tuple, limit: int, hint: str = "") -> Problem:
    return _problem(rule_id, path, f"Too long: must have at most {limit} bytes", hint, "error")


def warning(rule_id: str, path: tuple, detail: str, hint: str = "") -> Problem:
    return _problem(rule_id, path, detail, hint, "warning")


# --- views shared by the rules of one object ---

# While `rules.check` runs the rules of one object, views that several rules build from it (its
# containers, a Service's defaulted fields) are built once: a Pod's containers were walked 55
# times per object, a Service's view 18 times. Entries hold the object itself, so an id cannot
# be reused by another object while its entry lives; outside `check` nothing is memoized (a rule
# called on its own, on an object a caller then changes, sees the change).
_MEMO: list = []  # a stack of memo dicts, one per running `check`


def shared(obj: object, key: object, build):
    """build(obj), once per object and key during one `rules.check` call."""
    if not _MEMO:
        return build(obj)
    memo = _MEMO[-1]
    hit = memo.get((id(obj), key))
    if hit is not None and hit[0] is obj:
        return hit[1]
    value = build(obj)
    memo[(id(obj), key)] = (obj, value)
    return value


# --- tolerant accessors: the schema stage ran, but optional fields may be absent or null ---


def get_dict(d: object, *keys: str) -> dict:
    for k in keys:
        if not isinstance(d, dict):
            return {}
        d = d.get(k)
    return d if isinstance(d, dict) else {}


def get_list(d: object, *keys: str) -> list:
    for k in keys[:-1]:
        if not isinstance(d, dict):
            return []
        d = d.get(k)
    v = d.get(keys[-1]) if isinstance(d, dict) else None
    return v if isinstance(v, list) else []


def get_str(d: object, key: str, default: str = "") -> str:
    v = d.get(key) if isinstance(d, dict) else None
    return v if isinstance(v, str) else default


def dicts(items: list) -> Iterator[tuple[int, dict]]:
    """(index, item) for the mapping items of a list; others were the schema stage's business."""
    for i, item in enumerate(items):
        if isinstance(item, dict):
            yield i, item
