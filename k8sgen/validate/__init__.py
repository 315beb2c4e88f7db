"""Validation of Kubernetes objects: everything that decides whether k8sgen may print them.

Stages, each its own module, all returning `Problem` values (never raising for bad input):
- `k8s_schema`: the official Kubernetes JSON schema of the target version, strict, on the
  object as written (the server decodes with strict field validation before anything else).
- `defaults`: the server's defaulting and legacy-value conversion; a defaulted deep copy that
  the next two stages see (the object itself, and what k8sgen prints, is never changed).
- `rules`: the API server's own validation (names, containers, downward API, services, RBAC,
  workloads and their pod templates).
- `references`: cross-object checks over the whole set (selectors, bindings, refs).
- `lint`: least privilege and safe defaults (warnings; `--strict` makes them fail).

`validate_manifests` runs them all and gives every problem a source position through the
manifest's `locate` function: the spec node that produced the field for rendered objects, or the
node in the manifest file itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Callable, Iterable, Optional

from ..errors import Problem, SourcePos
from ..fieldpath import format_path, object_id

Locate = Callable[[tuple, bool], Optional[SourcePos]]


def _nowhere(path: tuple, key: bool = False) -> Optional[SourcePos]:
    return None


@dataclass
class Manifest:
    """One Kubernetes object plus where it came from."""

    obj: dict
    locate: Locate = _nowhere
    # Rule ids silenced for this object (from the spec's `ignore:` or the
    # `k8sgen.dev/ignore` annotation of a plain manifest).
    ignore: frozenset = frozenset()


@dataclass
class Context:
    """What a rule may know besides the object it checks."""

    kube_version: tuple  # (major, minor), e.g. (1, 37)
    manifests: list = field(default_factory=list)  # every Manifest validated together
    # Objects declared to exist outside the set: {"ServiceAccount": {"ns/name", ...},
    # "ClusterRole": {"view"}, "ConfigMap": {"ns/name"}, ...}.
    external: dict = field(default_factory=dict)
    # The run's lint profile (`--profile` or the repository's .k8sgen.yaml); "" = lint's default.
    profile: str = ""


IGNORE_ANNOTATION = "k8sgen.dev/ignore"


def parse_version(version: str) -> tuple:
    major, minor = version.lstrip("v").split(".")[:2]
    return int(major), int(minor)


def ignored_rules(obj: dict) -> frozenset:
    ann = ((obj.get("metadata") or {}).get("annotations") or {}) if isinstance(obj, dict) else {}
    value = ann.get(IGNORE_ANNOTATION) if isinstance(ann, dict) else None
    if not isinstance(value, str):
        return frozenset()
    return frozenset(r.strip() for r in value.split(",") if r.strip())


def is_ignored(p: Problem, ignore: frozenset) -> bool:
    """Whether a warning is silenced: its rule listed, or matched by a glob like `lint-pss-*`.

    Errors cannot be silenced: they are what the API server would reject, and k8sgen never
    prints those as success.
    """
    if p.is_error or not ignore:
        return False
    rule = p.rule
    if rule in ignore:
        return True
    return any(("*" in pat or "?" in pat) and fnmatchcase(rule, pat) for pat in ignore)


# Schema-stage findings that mean "this kind is unknown here, not checked" (k8s_schema.py).
_NOT_CHECKED = frozenset({"k8s-custom-resource", "k8s-kind"})


def validate_manifests(
    manifests: list[Manifest],
    kube_version: str,
    external: dict | None = None,
    profile: str | None = None,
    ignore: frozenset = frozenset(),
) -> list[Problem]:
    """All problems of a set of objects, positioned and labelled with their object.

    `profile` is the run's lint profile; `ignore` silences warnings on every object (a
    repository's .k8sgen.yaml), on top of each manifest's own `ignore`.
    """
    from . import crds, defaults, k8s_schema, lint, references, rules

    ctx = Context(kube_version=parse_version(kube_version), manifests=manifests, external=external or {}, profile=profile or "")
    if ignore:
        manifests = [replace(m, ignore=m.ignore | ignore) for m in manifests]
        ctx.manifests = manifests
    out: list[Problem] = []
    custom = crds.lookup(manifests, kube_version)  # custom resources: schemas from CRDs in the set
    for m in manifests:
        if custom.handles(m.obj):
            found: list[Problem] = custom.check(m.obj)
        else:
            found = list(k8s_schema.check(m.obj, kube_version))
        # API-server rules assume the structure is right; skip them on a broken object
        # rather than report the same mistake twice in other words.
        # Nor on an object whose kind nothing here describes (a custom resource without its
        # CRD, a tool's own config such as a kind Cluster): its one "not checked" warning says all
        # k8sgen knows; the metadata rules of a CRD-less kind would be guesses.
        if not any(p.is_error or p.rule in _NOT_CHECKED for p in found):
            # The API-server rules see what the server validates: the defaulted object. Lint sees
            # the object as written: it judges what the user wrote (a `replicas:` beside an
            # autoscaler is a finding, the server's default of 1 is not), and the defaults it
            # cares about (requests from limits) it reads itself.
            found.extend(rules.check(defaults.apply(m.obj), ctx))
            found.extend(lint.check(m.obj, ctx))
        found.extend(_size_problems(m.obj))
        out.extend(_finish(m, p) for p in found if not is_ignored(p, m.ignore))
    by_obj = {id(m.obj): m for m in manifests}
    for p, obj in references.check(ctx):
        m = by_obj.get(id(obj))
        if m is None:
            out.append(p)
        elif not is_ignored(p, m.ignore):
            out.append(_finish(m, p))
    return out


# The API server refuses a request body over 3 MiB (genericapiserver's MaxRequestBodyBytes,
# 3 * 1024 * 1024, "413 Request Entity Too Large"); etcd's default request limit is 1.5 MiB
# (--max-request-bytes 1572864), which the stored (protobuf) object must fit too.
MAX_REQUEST_BYTES = 3 * 1024 * 1024
ETCD_REQUEST_BYTES = 1572864


def _size_problems(obj: dict) -> list[Problem]:
    import json

    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    size = len(text.encode("utf-8", "surrogatepass")) if len(text) * 4 > ETCD_REQUEST_BYTES else 0
    if size <= ETCD_REQUEST_BYTES:
        return []
    # kubectl's JSON escapes <, > and & (Go's HTML-safe encoding): 6 bytes each.
    size += 5 * sum(text.count(c) for c in "<>&")
    if size > MAX_REQUEST_BYTES:
        return [Problem(message=f"the object is {size:,} bytes as JSON; the API server refuses requests over {MAX_REQUEST_BYTES:,} bytes (3 MiB)",
                        rule="object-too-large", hint="move large data into a volume or image; ConfigMaps and Secrets hold at most 1 MiB")]
    return [Problem(message=f"the object is {size:,} bytes as JSON; etcd refuses requests over {ETCD_REQUEST_BYTES:,} bytes (1.5 MiB) by default",
                    rule="object-too-large", severity="warning", hint="move large data into a volume or image")]


def _finish(m: Manifest, p: Problem) -> Problem:
    key = p.rule.endswith("unknown-field") or "unknown field" in p.message
    pos = p.pos or m.locate(tuple(p.path), key)
    # Reports print the field path before the message; rules written in the API server's
    # words ("spec.x: Invalid value: ...") would say it twice.
    prefix = format_path(tuple(p.path)) + ": "
    message = p.message[len(prefix):] if p.path and p.message.startswith(prefix) else p.message
    return replace(p, pos=pos, object=p.object or object_id(m.obj), message=message)


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    errors = warnings = 0
    for p in problems:
        if p.is_error:
            errors += 1
        else:
            warnings += 1
    return errors, warnings
