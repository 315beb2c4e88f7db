"""The typer CLI: parse options, call a command's `run(...) -> int`, map errors to exit codes.

This is the only place that turns a `K8sgenError` into text and an exit code, and the only place
that catches everything else (exit 3, no traceback unless K8SGEN_DEBUG=1). Command modules are
imported inside the commands so `--help` and `--version` stay cheap.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_USAGE, K8sgenError

app = typer.Typer(
    name="k8sgen",
    help="Turn a short declarative YAML spec into validated, ready-to-apply Kubernetes manifests.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Output(str, Enum):
    yaml = "yaml"
    json = "json"


class Format(str, Enum):
    parsable = "parsable"
    json = "json"
    github = "github"


KUBE_VERSION = typer.Option(None, "--kube-version", "-k", help="Kubernetes version to validate for (default: newest supported).", metavar="X.Y")
STRICT = typer.Option(False, "--strict", help="Treat warnings (lint, unresolved references) as errors.")
FORMAT = typer.Option(Format.parsable, "--format", help="How to print problems: parsable (file:line:col), json, github.")


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"k8sgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."),
) -> None:
    """Turn a short declarative YAML spec into validated, ready-to-apply Kubernetes manifests.

    Exit codes: 0 success, 1 invalid spec or manifests, 2 usage error or unreadable input.
    """


def _stdin_once(paths: List[str]) -> None:
    # stdin can be read once: a second '-' would silently be an empty spec.
    if paths.count("-") > 1:
        from .errors import SourcePos, input_error

        raise input_error("'-' (stdin) is given more than once", SourcePos("<stdin>", 0, 0), hint="stdin holds one input; name the other files", rule="usage-stdin")


@app.command()
def render(
    specs: List[str] = typer.Argument(..., help="Spec files; '-' reads one from stdin.", metavar="SPEC"),
    output: Output = typer.Option(Output.yaml, "--output", "-o", help="yaml: a multi-document stream; json: a v1 List."),
    kube_version: Optional[str] = KUBE_VERSION,
    strict: bool = STRICT,
    fmt: Format = FORMAT,
) -> int:
    """Render specs to manifests on stdout, in apply order.

    Nothing is printed to stdout unless every object passed validation.

    \b
    Examples:
      k8sgen render app.yaml | kubectl apply -f -
      k8sgen render base.yaml pods.yaml -o json
      cat app.yaml | k8sgen render - --kube-version 1.36
    """
    from .commands import render as cmd

    _stdin_once(specs)
    return cmd.run(specs, output=output.value, kube_version=kube_version, strict=strict, fmt=fmt.value)


@app.command()
def validate(
    files: List[str] = typer.Argument(..., help="Spec files and/or Kubernetes manifest files.", metavar="FILE"),
    kube_version: Optional[str] = KUBE_VERSION,
    strict: bool = STRICT,
    fmt: Format = FORMAT,
) -> int:
    """Check spec files and plain manifests (told apart by content); print every problem.

    \b
    Examples:
      k8sgen validate app.yaml
      k8sgen validate deploy/*.yaml --format json
      kubectl get pod web -o yaml > web.yaml && k8sgen validate web.yaml --strict
    """
    from .commands import validate as cmd

    _stdin_once(files)
    return cmd.run(files, kube_version=kube_version, strict=strict, fmt=fmt.value)


@app.command()
def schema() -> int:
    """Print the spec's JSON Schema (for editors: yaml-language-server, check-jsonschema).

    \b
    Example:
      k8sgen schema > k8sgen.schema.json
    """
    from .commands import info

    return info.schema()


@app.command()
def version() -> int:
    """Print k8sgen's version and the Kubernetes versions it validates for."""
    from .commands import info

    return info.version()


def run(argv: list[str]) -> int:
    """Entry point: returns the exit code instead of exiting, for tests and `__main__`."""
    command = typer.main.get_command(app)
    try:
        rc = command.main(args=argv, prog_name="k8sgen", standalone_mode=False)
        return rc if isinstance(rc, int) else 0
    except K8sgenError as e:
        from . import report

        report.write(e.problems, "parsable", sys.stderr)
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
    except Exception as e:
        # Click's exceptions, matched by shape: typer >= 0.20 vendors click as typer._click.
        name = type(e).__name__
        if name == "Exit":
            return getattr(e, "exit_code", 0)
        if name == "Abort":
            sys.stderr.write("aborted\n")
            return 130
        if hasattr(e, "show") and hasattr(e, "exit_code"):
            e.show(file=sys.stderr)
            return EXIT_USAGE
        # Anything else is a bug: say so in one line, keep the traceback for K8SGEN_DEBUG.
        if os.environ.get("K8SGEN_DEBUG"):
            raise
        sys.stderr.write(f"k8sgen: internal error: {type(e).__name__}: {e}\n  (run with K8SGEN_DEBUG=1 for a traceback, and please report it)\n")
        return EXIT_INTERNAL
