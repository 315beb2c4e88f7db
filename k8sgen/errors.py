"""Problems and the one error type of k8sgen.

A `Problem` is a value: every stage returns or collects them so that one run reports every
mistake in a spec, not just the first. `K8sgenError` carries one or more problems up to the
CLI, which is the only place that turns them into text and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence, Union

PathKey = Union[str, int]
FieldPath = tuple  # tuple[PathKey, ...]

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_INVALID = 1  # the spec or the manifests are invalid
EXIT_USAGE = 2  # usage error, unreadable or malformed input
EXIT_INTERNAL = 3  # a bug in k8sgen


@dataclass(frozen=True, order=True)
class SourcePos:
    """A 1-based position in a source file.

    `end_line`/`end_col` (0 when unknown) end the node's extent, the column one past its last
    character, as SARIF regions want; they take no part in comparing or sorting problems."""

    file: str
    line: int
    col: int
    end_line: int = field(default=0, compare=False)
    end_col: int = field(default=0, compare=False)

    def __str__(self) -> str:
        # Line 0 means "the file as a whole" (missing, unreadable, too large).
        return f"{self.file}:{self.line}:{self.col}" if self.line else self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec or a manifest.

    `path` is the field path inside the object the problem is about: a Kubernetes field path
    for manifests (formatted API-server style by `fieldpath.format_path`), or the spec path for
    spec problems. `object` is `Kind/namespace/name` (or `Kind/name`) when there is one.
    """

    message: str
    rule: str
    severity: str = "error"  # "error" | "warning"
    pos: SourcePos | None = None
    path: FieldPath = ()
    object: str = ""
    hint: str = ""
    extra_pos: tuple = field(default=(), compare=False)  # other places involved (duplicates)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def at(self, pos: SourcePos | None) -> "Problem":
        return replace(self, pos=pos)

    def sort_key(self) -> tuple:
        p = self.pos
        return (
            p.file if p else "",
            p.line if p else 0,
            p.col if p else 0,
            self.object,
            str(self.path),
            self.rule,
            self.message,
        )


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    seen: set = set()
    out = []
    for p in sorted(problems, key=Problem.sort_key):
        key = (p.sort_key(), p.severity, p.hint)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


class K8sgenError(Exception):
    """The single error type: one or more problems and the exit code they mean."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: Sequence[Problem] | Problem, exit_code: int | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted_problems(problems)
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__("; ".join(p.message for p in self.problems))


class SpecError(K8sgenError):
    """The spec (or a manifest) is well-formed YAML but wrong: exit 1."""

    exit_code = EXIT_INVALID


class InputError(K8sgenError):
    """The input cannot be read or parsed (missing file, bad YAML, bad bytes): exit 2."""

    exit_code = EXIT_USAGE


def input_error(message: str, pos: SourcePos | None = None, hint: str = "", rule: str = "input") -> InputError:
    return InputError(Problem(message=message, rule=rule, pos=pos, hint=hint))


def spec_error(message: str, pos: SourcePos | None = None, hint: str = "", rule: str = "spec", path: FieldPath = ()) -> SpecError:
    return SpecError(Problem(message=message, rule=rule, pos=pos, hint=hint, path=path))
