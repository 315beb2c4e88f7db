"""Command-line mistakes in k8sgen's own words.

The parser (click, inside typer) reports a bad command line as "Usage: ... Try ... Error: Invalid
value for '--output' / '-o': Value error, 'xml' is not one of 'yaml', 'json'." Here each kind of
parser error becomes one k8sgen problem, in the style of every other: `k8sgen: error: message
(usage)` and a hint with the way out (the valid choices, a did-you-mean, the usage line).
Matched by class name and attributes, as typer vendors its own click.
"""

from __future__ import annotations

import difflib
import re

from .errors import Problem

_CHOICES = re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.*?)\.?\Z", re.S)
_NEEDS_VALUE = re.compile(r"Option '(?P<opt>[^']+)' requires (?:an argument|(?P<n>\d+) arguments)\.?\Z")
_NO_VALUE = re.compile(r"Option '(?P<opt>[^']+)' does not take a value\.?\Z")
_NO_COMMAND = re.compile(r"No such command '(?P<name>[^']*)'")


def _option_name(param) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return getattr(param, "metavar", None) or (getattr(param, "name", None) or "").upper() or "argument"
    opts = sorted(getattr(param, "opts", None) or [], key=len)
    if opts:
        return "/".join(opts)  # -o/--output
    return getattr(param, "metavar", None) or (getattr(param, "name", None) or "").upper() or "value"


def _command_path(e) -> str:
    ctx = getattr(e, "ctx", None)
    # The option parser raises some errors without a context; cli.run names the command.
    return getattr(ctx, "command_path", None) or COMMAND["path"]


COMMAND = {"path": "k8sgen"}  # the command being parsed, set by cli.run for errors without context


def _usage_line(e) -> str:
    """`k8sgen CMD [OPTIONS] ARG...`, built here from the command's parameters: click and typer
    word and shape their own usage line differently from release to release."""
    ctx = getattr(e, "ctx", None)
    command = getattr(ctx, "command", None)
    if command is None:
        return ""
    parts = [_command_path(e)]
    params = list(getattr(command, "params", None) or [])
    parts.append("[OPTIONS]")  # every command has at least --help
    if getattr(command, "commands", None):
        parts.append("COMMAND [ARGS]...")
    for p in params:
        if getattr(p, "param_type_name", "") != "argument":
            continue
        word = _option_name(p) + ("..." if getattr(p, "nargs", 1) == -1 else "")
        parts.append(word if getattr(p, "required", False) else f"[{word}]")
    return " ".join(parts)


def problem(e) -> Problem:
    """The k8sgen problem for one of the parser's usage errors."""
    name = type(e).__name__
    command = _command_path(e)
    more = f"`{command} --help` lists every option"
    param = getattr(e, "param", None)
    message = str(getattr(e, "message", "") or e).strip()
    if name == "NoSuchOption":
        option = getattr(e, "option_name", "") or message
        close = sorted(getattr(e, "possibilities", None) or [])
        hint = f"did you mean {' or '.join(close)}? {more}" if close else more
        return _usage(f"unknown option {option}", hint)
    if name == "MissingParameter":
        what = _option_name(param) if param is not None else "an argument"
        if getattr(param, "param_type_name", "") == "option":
            return _usage(f"{what} needs a value", f"usage: {_usage_line(e)}")
        return _usage(f"no {what} given", f"usage: {_usage_line(e)}")
    if name in ("BadParameter",) or (param is not None and name == "UsageError"):
        what = _option_name(param) if param is not None else "value"
        text = message.removeprefix("Value error, ")
        m = _CHOICES.match(text)
        if m:
            choices = re.findall(r"'([^']*)'", m.group("choices")) or [c.strip() for c in m.group("choices").split(",")]
            value = m.group("value")
            close = difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
            return _usage(f"{what}: {value!r} is not one of {', '.join(choices)}", hint + more)
        return _usage(f"{what}: {_lower(text)}", more)
    m = _NEEDS_VALUE.match(message)
    if m:
        return _usage(f"{m.group('opt')} needs a value", more)
    m = _NO_VALUE.match(message)
    if m:
        return _usage(f"{m.group('opt')} takes no value", f"write just {m.group('opt')}; {more}")
    m = _NO_COMMAND.match(message)
    if m:
        commands = _commands(e)
        close = difflib.get_close_matches(m.group("name"), commands, n=1, cutoff=0.5)
        hint = (f"did you mean {close[0]!r}? " if close else "") + (f"commands: {', '.join(commands)}" if commands else more)
        return _usage(f"unknown command {m.group('name')!r}", hint)
    if message.startswith("Got unexpected extra argument"):
        extra = message.rpartition("(")[2].rstrip(")") if message.endswith(")") else ""
        return _usage(f"unexpected argument{'s' if ' ' in extra else ''} {extra}".strip(), f"usage: {_usage_line(e)}")
    return _usage(_lower(message), more)


def _commands(e) -> list[str]:
    ctx = getattr(e, "ctx", None)
    cmd = getattr(ctx, "command", None)
    try:
        return [n for n in cmd.list_commands(ctx) if not cmd.get_command(ctx, n).hidden]
    except Exception:
        return []


def _lower(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _usage(message: str, hint: str) -> Problem:
    return Problem(message=message, rule="usage", hint=hint)
