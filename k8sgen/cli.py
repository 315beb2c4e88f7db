"""The typer CLI: parse options, call a command's `run(...) -> int`, map errors to exit codes.

Errors become text and exit codes in one place, `fastpath.guarded` (exit 3 and no traceback for
anything unexpected unless K8SGEN_DEBUG=1), shared with the typer-free fast path that `__main__`
tries first for plain command lines. Command modules are imported inside the commands so
`--help` and `--version` stay cheap.
"""

from __future__ import annotations

from enum import Enum
from typing import List, Optional

import typer

from . import __version__

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


class Profile(str, Enum):
    privileged = "privileged"
    baseline = "baseline"
    recommended = "recommended"
    restricted = "restricted"


class Format(str, Enum):
    parsable = "parsable"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


def _complete_kube_version(incomplete: str) -> list[str]:
    from .validate.k8s_schema import SUPPORTED_VERSIONS

    return [v for v in SUPPORTED_VERSIONS if v.startswith(incomplete.lstrip("v"))]


KUBE_VERSION = typer.Option(None, "--kube-version", "-k", help="Kubernetes version to validate for (default: newest supported).", metavar="X.Y",
                            autocompletion=_complete_kube_version)
STRICT = typer.Option(False, "--strict", help="Treat warnings (lint, unresolved references) as errors.")
FORMAT = typer.Option(Format.parsable, "--format", help="How to print problems: parsable (file:line:col), json, github (annotations), sarif (code scanning), junit.")
REPORT = typer.Option(None, "--report", help="Write the problems (in --format) to FILE instead of stderr (stdout for validate's json, sarif, junit).", metavar="FILE")
PROFILE = typer.Option(None, "--profile", help="Lint profile (default: .k8sgen.yaml's, else recommended); see docs/checks.md.")


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
    specs: Optional[List[str]] = typer.Argument(None, help="Spec files; '-' reads one from stdin.", metavar="SPEC"),
    output: Output = typer.Option(Output.yaml, "--output", "-o", help="yaml: a multi-document stream; json: a v1 List."),
    kube_version: Optional[str] = KUBE_VERSION,
    strict: bool = STRICT,
    fmt: Format = FORMAT,
    # --- ecosystem options (k8sgen/commands/output.py, docs/ecosystem.md) ---
    output_dir: Optional[str] = typer.Option(None, "--output-dir", "-d", help="Write one file per object plus kustomization.yaml into DIR (all or nothing).", metavar="DIR"),
    write: bool = typer.Option(False, "--write", "-w", help="Write each spec into its own outputDir."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 with a diff if the output (DIR, outputDir or --against FILE) is out of date."),
    against: Optional[str] = typer.Option(None, "--against", help="With --check: compare the stdout stream with FILE.", metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Overwrite or remove generated files that were edited by hand."),
    fail_on_change: bool = typer.Option(False, "--fail-on-change", help="Exit 1 if anything was written (for pre-commit)."),
    layers: Optional[List[str]] = typer.Option(None, "--file", "-f", help="Spec layers merged in order into one spec (later wins; maps merge, lists are replaced).", metavar="SPEC"),
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Override one value of the merged spec, e.g. --set pods.web.image=nginx:1.28; the pod (container, env var...) it names must exist.", metavar="PATH=VALUE"),
    new_sets: Optional[List[str]] = typer.Option(None, "--set-new", help="Like --set, but may add the entry it names (a pod, a container, an env var); applied before --set.", metavar="PATH=VALUE"),
    report_file: Optional[str] = REPORT,
    profile: Optional[Profile] = PROFILE,
) -> int:
    """Render specs to manifests on stdout, in apply order, or into a directory for kustomize.

    Nothing is printed to stdout (or written) unless every object passed validation.

    \b
    Examples:
      k8sgen render app.yaml | kubectl apply -f -
      k8sgen render base.yaml pods.yaml -o json
      cat app.yaml | k8sgen render - --kube-version 1.36
      k8sgen render app.yaml --output-dir manifests/app && kubectl kustomize manifests/app
      k8sgen render specs/*.k8sgen.yaml --write        # each spec into its outputDir
      k8sgen render specs/*.k8sgen.yaml --check        # CI: exit 1 with a diff if stale
      k8sgen render -f base.yaml -f prod.yaml --set pods.web.image=nginx:1.28
      k8sgen render specs/*.k8sgen.yaml --check --format sarif --report k8sgen.sarif
    """
    from .commands import output as out_cmd

    _stdin_once((specs or []) + (layers or []))
    from .commands.sources import NewSet

    sets = [NewSet(x) for x in new_sets or []] + list(sets or [])
    return out_cmd.render_command(specs or [], layers=layers or [], sets=sets, output=output.value, kube_version=kube_version,
                                  strict=strict, fmt=fmt.value, output_dir=output_dir, write=write, check=check, against=against,
                                  force=force, fail_on_change=fail_on_change, report_file=report_file,
                                  profile=profile.value if profile else None)


@app.command()
def validate(
    files: List[str] = typer.Argument(..., help="Spec files, Kubernetes manifest files and directories (walked for .yaml, .yml, .json).", metavar="PATH"),
    kube_version: Optional[str] = KUBE_VERSION,
    strict: bool = STRICT,
    fmt: Format = FORMAT,
    profile: Optional[Profile] = PROFILE,
    report_file: Optional[str] = REPORT,
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Leave out paths matching PATTERN (a regex searched in the path, or a glob); repeatable.", metavar="PATTERN"),
) -> int:
    """Check specs, manifests and whole directories; print every problem and a summary.

    Kustomize and Helm files and other YAML that is not a manifest are skipped with a note.

    \b
    Examples:
      k8sgen validate app.k8sgen.yaml
      k8sgen validate . --ignore testdata
      k8sgen validate deploy/*.yaml --format json
      k8sgen validate specs/*.k8sgen.yaml --format sarif > k8sgen.sarif
      kubectl get pod web -o yaml > web.yaml && k8sgen validate web.yaml --strict
    """
    from .commands import validate as cmd

    _stdin_once(files)
    return cmd.run(files, kube_version=kube_version, strict=strict, fmt=fmt.value, report_file=report_file,
                   profile=profile.value if profile else None, ignore=ignore or [])


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
    """Print k8sgen's version and the Kubernetes versions it validates for.

    \b
    Example:
      k8sgen version
    """
    from .commands import info

    return info.version()


# --- adoption (k8sgen/commands/importer.py, k8sgen/importer/, docs/import.md) ---


@app.command("import")
def import_(
    paths: List[str] = typer.Argument(..., help="Manifest files, directories of them (recursively), or '-' for stdin.", metavar="FILE|DIR|-"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the spec to FILE (atomically); DIR/ writes one spec per namespace (and per directory of variants: envs/dev, envs/prod).", metavar="FILE|DIR/"),
    force: bool = typer.Option(False, "--force", help="Replace an -o file that k8sgen import did not write, or that was edited."),
    check: Optional[str] = typer.Option(None, "--check", help="Write nothing; exit 1 unless SPEC renders the same objects as the manifests.", metavar="SPEC"),
    kube_version: Optional[str] = KUBE_VERSION,
    fmt: Format = FORMAT,
) -> int:
    """Turn existing manifests into the shortest spec that renders the same objects.

    What the spec has no shorthand for is kept verbatim under `manifests:`, so nothing is lost;
    stderr says how many objects became shorthands. Invalid manifests are reported as
    `k8sgen validate` reports them, and nothing is written.

    \b
    Examples:
      k8sgen import k8s/ -o app.k8sgen.yaml
      k8sgen import k8s/ --check app.k8sgen.yaml      # proves the spec renders the same objects
      cat k8s/*.yaml | k8sgen import -
      k8sgen import k8s/ -o specs/                     # one spec per namespace and variant directory
    """
    from .commands import importer as cmd

    _stdin_once(paths)
    return cmd.run(paths, output=output, force=force, check=check, kube_version=kube_version, fmt=fmt.value)


# --- first contact (k8sgen/commands/init.py) ---


def _complete_story(incomplete: str) -> list[str]:
    from .commands.init import stories

    return [s for s in stories() if s.startswith(incomplete)]


@app.command()
def init(
    story: str = typer.Argument(..., help="downward-api, api-access, headless or external-service.", metavar="STORY", autocompletion=_complete_story),
    path: Optional[str] = typer.Argument(None, help="Where to write the spec (default: STORY.k8sgen.yaml; given a directory, that name inside it). Never overwritten.", metavar="PATH"),
    schema: Optional[str] = typer.Option(None, "--schema", help="$schema for the editor modeline (default: k8sgen.schema.json, written beside the spec).", metavar="URL|PATH"),
) -> int:
    """Write a starter spec for a story; it renders and validates as written.

    Line 1 is a yaml-language-server modeline, so editors complete and check the spec.

    \b
    Examples:
      k8sgen init headless web.k8sgen.yaml
      k8sgen render web.k8sgen.yaml --write
      kubectl kustomize manifests/web
      k8sgen init api-access specs/reader.k8sgen.yaml --schema https://example.com/k8sgen.schema.json
    """
    if story is None:  # some typer releases hand a missing required argument on as None
        import click

        ctx = click.get_current_context()
        raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "story"))
    from .commands import init as cmd

    return cmd.run(story, path, schema)


# --- kustomize integration (k8sgen/commands/kustomize.py, docs/ecosystem.md) ---

kustomize_app = typer.Typer(
    help="Use k8sgen as a kustomize generator.\n\n\b\nExamples:\n  k8sgen kustomize install-plugin\n  kubectl kustomize --enable-alpha-plugins examples/kustomize/overlay",
    no_args_is_help=True,
)
app.add_typer(kustomize_app, name="kustomize")


@app.command("kustomize-plugin")
def kustomize_plugin(
    config_file: Optional[str] = typer.Argument(None, help="The K8sGen config (legacy exec plugin: kustomize passes it as argv[1]).", metavar="CONFIG_FILE"),
    kube_version: Optional[str] = KUBE_VERSION,
    strict: bool = STRICT,
) -> int:
    """Run as a kustomize generator: KRM function (ResourceList on stdin) or legacy exec plugin.

    stdout carries only the ResourceList (KRM) or the YAML stream (exec plugin); problems go to
    stderr and make the exit status non-zero.

    \b
    Examples:
      k8sgen kustomize install-plugin        # then: kubectl kustomize --enable-alpha-plugins DIR
      k8sgen kustomize-plugin k8sgen.yaml    # what kustomize runs (exec plugin)
      k8sgen kustomize-plugin < resource-list.yaml
    """
    from .commands import kustomize as cmd

    return cmd.run_plugin(config_file, kube_version=kube_version, strict=strict)


@kustomize_app.command("install-plugin")
def kustomize_install_plugin(
    plugin_home: Optional[str] = typer.Option(None, "--plugin-home", help="Plugin root (default: the first that exists of $KUSTOMIZE_PLUGIN_HOME, $XDG_CONFIG_HOME/kustomize/plugin, ~/.config/kustomize/plugin, ~/kustomize/plugin; else the first of them).", metavar="DIR"),
) -> int:
    """Install the K8sGen exec plugin (<home>/k8sgen.dev/v1alpha1/k8sgen/K8sGen) and print its path.

    \b
    Examples:
      k8sgen kustomize install-plugin
      k8sgen kustomize install-plugin --plugin-home ./plugins
      KUSTOMIZE_PLUGIN_HOME=./plugins kubectl kustomize --enable-alpha-plugins overlays/prod
    """
    from .commands import kustomize as cmd

    return cmd.install_plugin(plugin_home)


def run(argv: list[str]) -> int:
    """Entry point: returns the exit code instead of exiting, for tests and `__main__`."""
    from .fastpath import guarded

    from . import usage

    command = typer.main.get_command(app)
    _house_style(command)
    usage.COMMAND["path"] = _command_path(command, argv)
    return guarded(lambda: command.main(args=argv, prog_name="k8sgen", standalone_mode=False))


def _house_style(command) -> None:
    """Help in k8sgen's words: whole one-line summaries in command lists (click cuts them at 45
    characters with "..."), and arguments shown as `SPEC...` / `FILE...` without typer's type
    labels (`<list[str]>`) or braces (`{FILE}...`)."""
    help_text = command.help or ""
    if not command.short_help and help_text:
        command.short_help = " ".join(help_text.split("\n\n")[0].split())
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument":
            _plain_argument(param)
    for sub in (getattr(command, "commands", None) or {}).values():
        _house_style(sub)


def _plain_argument(param) -> None:
    name = param.metavar or param.name.upper()
    shown = (name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else "")
    param.display_type_rich = lambda ctx: ""
    param._usage_display_name = lambda: shown
    param._rich_display_name = lambda: name + ("..." if param.nargs != 1 else "")


def _command_path(command, argv: list[str]) -> str:
    path = ["k8sgen"]
    for token in argv:
        if token.startswith("-"):
            continue
        sub = (getattr(command, "commands", None) or {}).get(token)
        if sub is None:
            break
        path.append(token)
        command = sub
    return " ".join(path)
