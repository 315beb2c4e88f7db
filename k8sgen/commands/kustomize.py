"""`k8sgen kustomize-plugin` (one entry point for both kustomize protocols) and
`k8sgen kustomize install-plugin` (puts that entry point where kustomize looks for exec plugins).

Protocol choice: if stdin holds a `ResourceList`, this is the KRM function protocol (container
functions, `kustomize fn`, kpt). Otherwise it is the legacy exec-plugin protocol: argv[1] is a file
holding the K8sGen config, stdin is empty (generator) or a YAML stream (transformer, passed through),
and the output is a YAML stream. stdout carries only the ResourceList or the stream; every
message goes to stderr, and any problem exits non-zero (kustomize ignores `results`).
"""

from __future__ import annotations

import os
import shlex
import site
import stat
import sys
from pathlib import Path
from typing import TextIO

from .. import report
from ..errors import EXIT_INVALID, EXIT_OK, EXIT_USAGE, K8sgenError, Problem, SourcePos
from ..source import Document

PLUGIN_SUBPATH = Path("k8sgen.dev") / "v1alpha1" / "k8sgen" / "K8sGen"


def run_plugin(
    config_file: str | None,
    kube_version: str | None = None,
    strict: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    from ..emit import krm

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    err = err or sys.stderr
    text = "" if _is_tty(stdin) else stdin.read()
    parsed = krm.parse_resource_list(text)
    if parsed is not None:
        return _run_krm(parsed, kube_version, strict, out, err)
    if config_file is None:
        raise krm.unreadable(
            "no ResourceList on stdin and no config file given",
            "kustomize runs this with the K8sGen config: as a KRM function (ResourceList on stdin) or an exec plugin (argv[1])",
        )
    return _run_legacy(config_file, text, kube_version, strict, out, err)


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _render(cfg, kube_version: str | None, strict: bool):
    from ..pipeline import render_specs

    result = render_specs(cfg.docs, kube_version or cfg.kube_version)
    failing = result.errors or ((strict or cfg.strict) and result.warnings)
    return result, bool(failing)


def _run_krm(parsed, kube_version, strict, out: TextIO, err: TextIO) -> int:
    from ..emit import krm

    rl, doc = parsed
    api = rl["apiVersion"]
    items = rl.get("items") or []
    config = rl.get("functionConfig") if isinstance(rl.get("functionConfig"), dict) else {}
    # Problems in the config point into the user's own generator file when it can be found,
    # else they name the generator (kind/name), not a line of the ResourceList.
    own = krm.user_config(config) if config else None
    try:
        if own is not None:
            cfg = krm.read_config(Document(config, own.positions))
        else:
            cfg = krm.read_config(doc, ("functionConfig",))
        result, failing = _render(cfg, kube_version, strict)
    except K8sgenError as e:
        # Even on failure the ResourceList goes out (input items unchanged), with the results.
        problems = krm.reposition(e.problems, config, transport=doc.file)
        out.write(krm.resource_list_text(api, items, [], problems))
        report.write(problems, "parsable", err)
        return e.exit_code
    problems = krm.reposition(result.problems, config, transport=doc.file)
    report.write(problems, "parsable", err)
    out.write(krm.resource_list_text(api, items, [] if failing else result.objects, problems))
    out.flush()
    return EXIT_INVALID if failing else EXIT_OK


def _run_legacy(config_file: str, stdin_text: str, kube_version, strict, out: TextIO, err: TextIO) -> int:
    from .. import yamlio
    from ..emit import krm
    from .render import stream_text

    text, name = yamlio.read_text(config_file)
    docs = yamlio.load_documents(text, name, mode="spec")
    if len(docs) != 1:
        raise K8sgenError(Problem(message="the config file must hold exactly one K8sGen object", rule="kustomize-config", pos=SourcePos(name, 1, 1)), EXIT_USAGE)
    config = docs[0].data if isinstance(docs[0].data, dict) else {}
    # kustomize passes a temporary copy of the config (/tmp/kust-plugin-config-N), which the user
    # never sees: positions come from the user's generator file, or problems name the generator.
    own = krm.user_config(config) if config else None
    config_doc = Document(docs[0].data, own.positions) if own is not None else docs[0]
    # Run by kustomize (which names the kustomization root), the file is its copy; run by hand,
    # it is the user's own generator file, and its positions are the ones to show.
    transport = name if os.environ.get("KUSTOMIZE_PLUGIN_CONFIG_ROOT") else None
    try:
        cfg = krm.read_config(config_doc)
        result, failing = _render(cfg, kube_version, strict)
    except K8sgenError as e:
        raise K8sgenError(krm.reposition(e.problems, config, transport=transport), e.exit_code) from None
    report.write(krm.reposition(result.problems, config, transport=transport), "parsable", err)
    if failing:
        return EXIT_INVALID
    body = stream_text(result.objects)
    if stdin_text.strip():
        # Used as a transformer: the resources kustomize passed in stay, ours are added.
        passthrough = stdin_text if stdin_text.endswith("\n") else stdin_text + "\n"
        body = passthrough + "---\n" + body
    out.write(body)
    out.flush()
    return EXIT_OK


# --- install-plugin ------------------------------------------------------------------------------


def default_plugin_home() -> Path:
    """Where kustomize looks (konfig.DefaultAbsPluginHome): the first that exists, else XDG's."""
    env = os.environ
    candidates = []
    if env.get("KUSTOMIZE_PLUGIN_HOME"):
        candidates.append(Path(env["KUSTOMIZE_PLUGIN_HOME"]))
    if env.get("XDG_CONFIG_HOME"):
        candidates.append(Path(env["XDG_CONFIG_HOME"]) / "kustomize" / "plugin")
    home = Path.home()
    candidates += [home / ".config" / "kustomize" / "plugin", home / "kustomize" / "plugin"]
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def plugin_script() -> str:
    """A POSIX sh script running this very k8sgen (this interpreter, this package)."""
    import k8sgen

    python = shlex.quote(sys.executable)
    parent = str(Path(k8sgen.__file__).resolve().parent.parent)
    lines = ["#!/bin/sh", "# kustomize exec plugin for K8sGen (k8sgen.dev/v1alpha1), written by `k8sgen kustomize install-plugin`."]
    if parent not in _site_dirs():
        # Not installed into that interpreter (a source checkout): point it at the package.
        lines.append(f'PYTHONPATH={shlex.quote(parent)}${{PYTHONPATH:+:$PYTHONPATH}}; export PYTHONPATH')
    lines.append(f'exec {python} -m k8sgen kustomize-plugin "$@"')
    return "\n".join(lines) + "\n"


def _site_dirs() -> set:
    dirs = set()
    try:
        dirs.update(site.getsitepackages())
    except AttributeError:  # pragma: no cover - old virtualenvs
        pass
    user = site.getusersitepackages() if hasattr(site, "getusersitepackages") else None
    if user:
        dirs.add(user)
    return {str(Path(d).resolve()) for d in dirs}


def install_plugin(plugin_home: str | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    home = Path(plugin_home) if plugin_home else default_plugin_home()
    target = home / PLUGIN_SUBPATH
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(plugin_script(), encoding="utf-8")
        tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(tmp, target)
    except OSError as e:
        raise K8sgenError(Problem(message=f"cannot install the plugin: {e.strerror}", rule="install-failed", pos=SourcePos(str(target), 0, 0)), EXIT_USAGE) from None
    (out or sys.stdout).write(f"{target}\n")
    env_hint = "" if plugin_home is None or home == default_plugin_home() else f"KUSTOMIZE_PLUGIN_HOME={shlex.quote(str(home))} "
    (err or sys.stderr).write(f"k8sgen: installed the K8sGen plugin; use it with: {env_hint}kubectl kustomize --enable-alpha-plugins DIR\n")
    return EXIT_OK
