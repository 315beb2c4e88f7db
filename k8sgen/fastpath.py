"""Start-up fast path: the common command lines, answered without importing typer.

typer costs about 45 ms to import and, from version 0.20 on, builds pydantic adapters for the
parameters of the command it runs (pydantic's import alone is about 150 ms), while a pre-commit
hook pays start-up on every commit. So `__main__` first offers the command line to `parse`
here: it understands exactly the plain, well-formed forms of `render`, `validate`, `import`,
`version`, `schema` and `--version`, and returns None for anything else (help, completion, abbreviations,
attached short values, `--`, unknown options or choices, missing arguments), which then goes to
typer in `cli.run` unchanged. Both paths call the same command `run` functions through the same
error mapping (`guarded`), and tests/test_fastpath.py runs a table of command lines through
both and compares output and exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable  # collections is loaded at start-up anyway; typing is not

# No `typing` here (8-11 ms with the `re` it imports): annotations are strings (`from __future__`).

# Options of each command as declared in cli.py: name -> (parameter, allowed values or None for
# any text, or True for a flag).
_COMMON = {
    "--kube-version": ("kube_version", None),
    "-k": ("kube_version", None),
    "--strict": ("strict", True),
    "--format": ("fmt", ("parsable", "json", "github", "sarif", "junit")),
    "--report": ("report_file", None),
    "--profile": ("profile", ("privileged", "baseline", "recommended", "restricted")),
}
# render's directory options (the pre-commit hooks run `render --write --fail-on-change` and
# `render --check` on every commit); -f/--set repeat, so they are left to typer.
_RENDER_FILES = {
    "--output-dir": ("output_dir", None),
    "-d": ("output_dir", None),
    "--write": ("write", True),
    "-w": ("write", True),
    "--check": ("check", True),
    "--against": ("against", None),
    "--force": ("force", True),
    "--fail-on-change": ("fail_on_change", True),
}
# validate's --ignore repeats (pre-commit hooks pass it in `args`): "append" collects a list.
_OPTIONS = {
    "render": {**_COMMON, "--output": ("output", ("yaml", "json")), "-o": ("output", ("yaml", "json")), **_RENDER_FILES},
    "validate": {**_COMMON, "--ignore": ("ignore", "append")},
    "import": {
        **{k: v for k, v in _COMMON.items() if k not in ("--strict", "--report", "--profile")},
        "--output": ("output", None), "-o": ("output", None), "--force": ("force", True), "--check": ("check", None),
    },
}
_DEFAULTS = {
    "render": {"output": "yaml", "kube_version": None, "strict": False, "fmt": "parsable", "report_file": None, "profile": None},
    "validate": {"kube_version": None, "strict": False, "fmt": "parsable", "report_file": None, "profile": None, "ignore": []},
    "import": {"output": None, "force": False, "check": None, "kube_version": None, "fmt": "parsable"},
}


def parse(argv: list[str]) -> tuple[str, list[str], dict] | None:
    """(command, positional arguments, options) for a plain command line, else None."""
    if not argv or any(k.startswith("_K8SGEN_COMPLETE") for k in os.environ):
        return None
    if argv == ["--version"]:
        return ("--version", [], {})
    command, rest = argv[0], argv[1:]
    if command in ("version", "schema"):
        return (command, [], {}) if not rest else None
    options = _OPTIONS.get(command)
    if options is None:
        return None
    values = dict(_DEFAULTS[command])
    positional: list[str] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        i += 1
        if token == "-" or not token.startswith("-"):
            positional.append(token)
            continue
        name, eq, value = token.partition("=")
        if eq and not name.startswith("--"):
            return None  # `-o=json` means the value "=json" to click: leave it to typer
        spec = options.get(name)
        if spec is None:
            return None  # --help, -h, --, unknown or abbreviated options, `-ojson`
        param, allowed = spec
        if allowed is True:
            if eq:
                return None
            values[param] = True
            continue
        if not eq:
            if i >= len(rest):
                return None
            value = rest[i]
            i += 1
        if allowed == "append":
            if value.startswith("-"):
                return None
            values[param] = values[param] + [value]
            continue
        if value.startswith("-") or (allowed is not None and value not in allowed):
            return None
        values[param] = value
    if not positional:
        return None
    if positional.count("-") > 1:
        return None  # typer's path reports stdin given twice (cli._stdin_once)
    return (command, positional, values)


def run(argv: list[str]) -> int | None:
    """Run a plain command line without typer; None means "not plain, ask typer"."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, positional, options = parsed
    return guarded(lambda: _dispatch(command, positional, options))


def _dispatch(command: str, positional: list[str], options: dict) -> int:
    if command == "--version":
        from . import __version__

        sys.stdout.write(f"k8sgen {__version__}\n")
        return 0
    if command == "version":
        from .commands import info

        return info.version()
    if command == "schema":
        from .commands import info

        return info.schema()
    if command == "render":
        report_file = options.pop("report_file")
        if report_file is not None or options["fmt"] != "parsable" or any(options.get(k) for k, _ in _RENDER_FILES.values()):
            # Reports other than parsable lines on stderr take in raised problems too (output.py).
            from .commands.output import render_command

            return render_command(positional, report_file=report_file, **options)
        from .commands import render as cmd

        return cmd.run(positional, **options)
    if command == "import":
        from .commands import importer

        return importer.run(positional, **options)
    from .commands import validate as cmd

    return cmd.run(positional, **options)


def guarded(call: Callable[[], object]) -> int:
    """Call a command and map what escapes it to an exit code, never a traceback (cli.run's
    contract, shared by both paths).

    k8sgen.errors (dataclasses, and with it inspect and ast: 10-14 ms) is imported only when
    something escapes: `k8sgen --version` needs none of it."""
    if _closed(sys.stderr):  # started with stderr closed (`2>&-`): nowhere to report
        sys.stderr = open(os.devnull, "w")
    if _closed(sys.stdout):  # started with stdout closed (`>&-`): writing fails with a reason
        sys.stdout = _ClosedStdout()
    try:
        rc = call()
        return rc if isinstance(rc, int) else 0
    except _k8sgen_error() as e:  # an except clause's class is looked up only when something is raised
        from . import report

        _tell(report.write, e.problems, "parsable", sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `k8sgen render | head`: the reader left; not an error of ours.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except OSError as e:
        # Writing the output failed (disk full, stdout closed, a read-only directory): a problem
        # of the environment, reported in one line like unreadable input, not a bug.
        _tell(sys.stderr.write, f"k8sgen: error: cannot write the output: {e.strerror or e}\n")
        from .errors import EXIT_USAGE

        return EXIT_USAGE
    except Exception as e:
        # Click's exceptions, matched by shape: typer >= 0.20 vendors click as typer._click.
        name = type(e).__name__
        if name == "Exit":
            return getattr(e, "exit_code", 0)
        if name == "Abort":
            _tell(sys.stderr.write, "aborted\n")
            return 130
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            if name == "NoArgsIsHelpError" or not hasattr(e, "ctx"):
                _tell(e.show, file=sys.stderr)  # `k8sgen` alone: the help is the answer
            else:
                from . import report, usage

                _tell(report.write, [usage.problem(e)], "parsable", sys.stderr)
            from .errors import EXIT_USAGE

            return EXIT_USAGE
        # Anything else is a bug: say so in one line, keep the traceback for K8SGEN_DEBUG.
        if os.environ.get("K8SGEN_DEBUG"):
            raise
        _tell(sys.stderr.write, f"k8sgen: internal error: {type(e).__name__}: {e}\n  (run with K8SGEN_DEBUG=1 for a traceback, and please report it)\n")
        from .errors import EXIT_INTERNAL

        return EXIT_INTERNAL


def _k8sgen_error() -> type:
    from .errors import K8sgenError

    return K8sgenError


def _tell(write: Callable[..., object], *args, **kwargs) -> None:
    try:
        write(*args, **kwargs)
    except OSError:
        pass  # stderr closed, full, or its reader gone: the exit code still tells


def _closed(stream) -> bool:
    """A standard stream on a file descriptor that is not open (`>&-`, `2>&-`)."""
    if stream is None:
        return True
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return False  # not a file at all (tests capture into StringIO): usable
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


class _ClosedStdout:
    """Stands in for a closed stdout, so writing to it is an OSError with a clear reason."""

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "stdout is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
