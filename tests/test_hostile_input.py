"""Malformed and hostile specs: one positioned error, the documented exit code, nothing on stdout.

Each case is run three ways: in-process (`k8sgen.cli.run`) from a file and from stdin, and as a
real `python -m k8sgen` subprocess from a file. `{f}` in the expected stderr stands for the
input's display name (the file name, or `<stdin>`). docs/errors.md describes each behaviour.
"""

from __future__ import annotations

import io
import re
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, Ran, without_summary
from k8sgen import yamlio
from k8sgen.errors import K8sgenError

# Subprocesses import the k8sgen under test: the source tree, or the installed package in CI.
PACKAGE_PARENT = str(Path(yamlio.__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes
    code: int
    err: str  # exact stderr; `{f}` is the input's name


def _bomb() -> bytes:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


TAG_HINT = "  hint: k8sgen reads plain data only; remove the tag (quote the value if it must be text)\n"
DUP_HINT = "  hint: YAML keys must be unique; remove or rename one of them\n"
EMPTY = "{f}:1:1: error: the spec is empty (spec-empty)\n  hint: start from `k8sgen init STORY`; `k8sgen schema` lists every key a spec may have\n"
NOT_MAPPING = "{f}:1:1: error: a spec is a mapping of keys (namespace, pods, services, …) at the top level (spec-not-mapping)\n"
DEPTH = "{f}:%s: error: nesting deeper than 100 levels (yaml-depth)\n"

CASES = [
    Case("invalid-yaml", b"pods: [web\n", 2,
         "{f}:2:1: error: invalid YAML: did not find expected ',' or ']' (yaml-syntax)\n  hint: while parsing a flow sequence (line 1)\n"),
    Case("unclosed-quote", b'pods:\n  web:\n    image: "nginx\n', 2,
         "{f}:4:1: error: invalid YAML: found unexpected end of stream (yaml-syntax)\n  hint: while scanning a quoted scalar (line 3)\n"),
    Case("bad-indentation", b"pods:\n  web:\n    image: x\n   command: [a]\n", 2,
         "{f}:4:4: error: invalid YAML: did not find expected key (yaml-syntax)\n  hint: while parsing a block mapping (line 2)\n"),
    Case("non-utf8", b"pods:\n  web:\n    image: caf\xe9\n", 2,
         "{f}:3:15: error: not valid UTF-8: byte 0xe9 cannot start or continue a character (input-encoding)\n  hint: save the file as UTF-8\n"),
    Case("utf16", "pods: {}\n".encode("utf-16"), 2,
         "{f}:1:1: error: not valid UTF-8: byte 0xff cannot start or continue a character (input-encoding)\n  hint: save the file as UTF-8\n"),
    Case("tab-indentation", b"pods:\n\tweb:\n\t\timage: x\n", 2,
         "{f}:2:1: error: invalid YAML: found character that cannot start any token (yaml-syntax)\n  hint: YAML does not allow tabs for indentation; indent with spaces\n"),
    Case("control-character", b"pods:\n  web:\n    image: a\x07b\n", 2,
         '{f}:3:13: error: invalid YAML: character U+0007 is not allowed in YAML text (yaml-character)\n  hint: write it as an escape inside a double-quoted string: "\\x07"\n'),
    Case("nul-byte", b"pods: {}\x00\n", 2,
         '{f}:1:9: error: invalid YAML: character U+0000 is not allowed in YAML text (yaml-character)\n  hint: write it as an escape inside a double-quoted string: "\\x00"\n'),
    Case("bad-escape", b'annotations:\n  a: "\\x4"\n', 2,
         "{f}:2:9: error: invalid YAML: did not find expected hexdecimal number (yaml-syntax)\n  hint: while parsing a quoted scalar (line 2)\n"),
    Case("surrogate-pair-escape", b'annotations:\n  a: "\\ud83d\\ude00"\n', 2,
         "{f}:2:9: error: invalid YAML: found invalid Unicode character escape code (yaml-syntax)\n"
         "  hint: \\ud800-\\udfff are UTF-16 surrogates, not characters: write the character itself, or one escape such as \\U0001F600\n"),
    Case("empty-file", b"", 1, EMPTY),
    Case("only-whitespace", b"  \n\n", 1, EMPTY),
    Case("only-comment", b"# nothing here\n", 1, EMPTY),
    Case("only-document-marker", b"---\n...\n", 1, EMPTY),
    Case("null-document", b"~\n", 1, EMPTY),
    Case("top-level-list", b"- pods\n", 1, NOT_MAPPING),
    Case("top-level-string", b"pods\n", 1, NOT_MAPPING),
    Case("top-level-number", b"8080\n", 1, NOT_MAPPING),
    Case("two-documents", b"pods: {}\n---\nservices: {}\n", 1,
         "{f}:3:1: error: a spec file holds one YAML document, this one has more (spec-multiple-documents)\n"
         "  hint: put each spec in its own file, or merge them into one\n"),
    Case("manifest-not-spec", b"apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n", 1,
         "{f}:1:1: error: this is a Kubernetes manifest, not a k8sgen spec (spec-is-manifest)\n  hint: use `k8sgen validate` to check manifests\n"),
    Case("duplicate-top-key", b"pods: {}\nservices: {}\npods: {}\n", 2,
         "{f}:3:1: error: duplicate key 'pods' (first defined at line 1, column 1) (yaml-duplicate-key)\n" + DUP_HINT),
    Case("duplicate-nested-key", b"pods:\n  web:\n    image: a\n    image: b\n", 2,
         "{f}:4:5: error: duplicate key 'image' (first defined at line 3, column 5) (yaml-duplicate-key)\n" + DUP_HINT),
    Case("duplicate-flow-key", b"pods:\n  web: {image: a, env: {A: 1, A: 2}}\n", 2,
         "{f}:2:31: error: duplicate key 'A' (first defined at line 2, column 25) (yaml-duplicate-key)\n" + DUP_HINT),
    Case("duplicate-key-number-and-text", b"annotations:\n  80: a\n  '80': b\n", 2,
         "{f}:3:3: error: duplicate key '80' (first defined at line 2, column 3) (yaml-duplicate-key)\n" + DUP_HINT),
    Case("python-tag", b"pods: !!python/object/apply:os.system [echo pwned]\n", 2,
         "{f}:1:7: error: YAML tag !!python/object/apply:os.system is not allowed (yaml-tag)\n" + TAG_HINT),
    Case("python-name-tag-on-scalar", b"namespace: !!python/name:os.system ''\n", 2,
         "{f}:1:12: error: YAML tag !!python/name:os.system is not allowed (yaml-tag)\n" + TAG_HINT),
    Case("custom-tag", b"pods:\n  web:\n    image: !secret x\n", 2,
         "{f}:3:12: error: YAML tag !secret is not allowed (yaml-tag)\n" + TAG_HINT),
    Case("tag-directive", b"%TAG ! tag:evil.example,2000:\n---\npods: !x {}\n", 2,
         "{f}:3:7: error: YAML tag tag:evil.example,2000:x is not allowed (yaml-tag)\n" + TAG_HINT),
    Case("set-tag", b"pods: !!set {a, b}\n", 2,
         "{f}:1:7: error: YAML tag !!set is not allowed (yaml-tag)\n" + TAG_HINT),
    Case("merge-key", b"base: &b {image: x}\npods:\n  web:\n    <<: *b\n", 2,
         "{f}:4:5: error: merge keys (<<) are not supported (yaml-merge-key)\n  hint: repeat the keys, or use an alias for the whole value\n"),
    Case("complex-key", b"? [a, b]\n: c\n", 2,
         "{f}:1:3: error: a mapping key must be a plain value, not a mapping or a list (yaml-complex-key)\n"),
    Case("undefined-alias", b"pods:\n  web: *nothing\n", 2,
         "{f}:2:8: error: invalid YAML: found undefined alias (yaml-syntax)\n"),
    Case("billion-laughs", _bomb(), 2,
         "{f}:4:5: error: aliases expand to more than 10000 nodes (yaml-alias-limit)\n"
         "  hint: this looks like an alias bomb; write the values out or use fewer aliases\n"),
    # `like` repeats entries as aliases do: capped as aliases are (100 copies of 100 KB).
    Case("like-amplification", b"pods:\n  p0: {image: 'x:1', command: [" + b"a" * 100_000 + b"]}\n"
         + b"".join(b"  p%d: {like: p0}\n" % i for i in range(1, 100)), 1,
         "{f}:44:15: error: like repeats more than 4 MiB of entries in all (spec-like)\n  hint: write the entries out, or split the spec\n"),
    Case("deep-flow", b"pods: " + b"[" * 200 + b"]" * 200 + b"\n", 2, DEPTH % "1:107"),
    # Deep enough to crash libyaml's recursive composer (and to parse in quadratic time).
    Case("very-deep-flow", b"pods: " + b"[" * 200_000 + b"]" * 200_000 + b"\n", 2, DEPTH % "1:107"),
    Case("very-deep-block", b"- " * 100_000 + b"x\n", 2, DEPTH % "1:203"),
    # Between libyaml's own nesting limit (1,000 levels in the libyaml of PyYAML 6.0.4's wheels;
    # none before) and the depth where k8sgen walks the events before composing: the library's
    # refusal must not replace k8sgen's own error, whichever PyYAML is installed.
    Case("flow-past-libyaml-limit", b"pods: " + b"[" * 1_500 + b"]" * 1_500 + b"\n", 2, DEPTH % "1:107"),
    Case("block-in-deep-flow", b"pods:\n  web:\n    env: " + b"{a: " * 1_200 + b"1" + b"}" * 1_200 + b"\n", 2, DEPTH % "3:402"),
    # Too deep, and broken further on: the depth is what k8sgen reports, on every PyYAML.
    Case("deep-then-broken", b"pods: " + b"[" * 150 + b"]" * 150 + b"\nservices: [\n", 2, DEPTH % "1:107"),
    # Broken before it gets deep: the syntax error, as before.
    Case("broken-then-deep", b"pods: [a, b\nservices: " + b"[" * 1_500 + b"]" * 1_500 + b"\n", 2,
         "{f}:2:9: error: invalid YAML: did not find expected ',' or ']' (yaml-syntax)\n  hint: while parsing a flow sequence (line 1)\n"),
    Case("deep-block-mapping", b"".join(b" " * i + b"k:\n" for i in range(300)), 2, DEPTH % "102:102"),
]


def _stdin(data: bytes):
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def run_in_process(argv: list, stdin: bytes = b"") -> Ran:
    from k8sgen.cli import run

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = out, err, _stdin(stdin)
    try:
        code = run(argv)
    finally:
        sys.stdout, sys.stderr, sys.stdin = old
    return Ran(code, out.getvalue(), err.getvalue())


def run_subprocess(argv: list, stdin: bytes = b"", cwd=None) -> Ran:
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT, "NO_COLOR": "1"}
    env.pop("K8SGEN_DEBUG", None)
    p = subprocess.run([sys.executable, "-m", "k8sgen", *argv], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=120)
    return Ran(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


# `validate` reads manifests too, so the spec-shape cases (exit 1) are not errors there.
FILE_RUNS = [("render", c) for c in CASES] + [("validate", c) for c in CASES if c.code == 2]


@pytest.mark.parametrize("command, case", FILE_RUNS, ids=[f"{cmd}-{c.id}" for cmd, c in FILE_RUNS])
def test_file_in_process(command: str, case: Case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_bytes(case.data)
    ran = run_in_process([command, "spec.yaml"])
    err = without_summary(ran.err) if command == "validate" else ran.err
    assert (ran.code, ran.out, err) == (case.code, "", case.err.format(f="spec.yaml")), ran


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_stdin_in_process(case: Case):
    ran = run_in_process(["render", "-"], stdin=case.data)
    assert (ran.code, ran.out, ran.err) == (case.code, "", case.err.format(f="<stdin>")), ran


# One case per kind of refusal (a process start costs about a second on a busy CI machine).
SUBPROCESS_CASES = ["invalid-yaml", "non-utf8", "empty-file", "python-tag", "billion-laughs", "very-deep-flow"]


def test_subprocess_sample(tmp_path):
    """The real entry point: same lines, same codes, and never a traceback."""
    cases = [c for c in CASES if c.id in SUBPROCESS_CASES]
    assert len(cases) == len(SUBPROCESS_CASES)
    for i, case in enumerate(cases):
        (tmp_path / f"{i}.yaml").write_bytes(case.data)
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(pool.map(lambda i: run_subprocess(["render", f"{i}.yaml"], cwd=tmp_path), range(len(cases))))
    for i, (case, ran) in enumerate(zip(cases, runs)):
        assert (ran.code, ran.out, ran.err) == (case.code, "", case.err.format(f=f"{i}.yaml")), (case.id, ran)


def test_subprocess_stdin_and_paths(tmp_path):
    ran = run_subprocess(["render", "-"], stdin=CASES[3].data)
    assert (ran.code, ran.out, ran.err) == (2, "", CASES[3].err.format(f="<stdin>")), ran
    for command in ("render", "validate"):  # through the start-up fast path, too
        ran = run_subprocess([command, "-", "-"], stdin=b"pods: {}\n")
        assert (ran.code, ran.out) == (2, "") and ran.err.startswith("<stdin>: error: '-' (stdin) is given more than once (usage-stdin)\n"), ran
    ran = run_subprocess(["render", "missing.yaml"], cwd=tmp_path)
    assert (ran.code, ran.out) == (2, "") and ran.err.startswith("missing.yaml: error: no such file (input-missing)\n"), ran


def test_bom_is_accepted(tmp_path):
    body = b"pods:\n  web:\n    image: nginx:1.27\n    automountServiceAccountToken: false\n"
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + body)
    (tmp_path / "plain.yaml").write_bytes(body)
    with_bom = run_in_process(["render", str(tmp_path / "bom.yaml")])
    without = run_in_process(["render", str(tmp_path / "plain.yaml")])
    assert with_bom.code == 0 and with_bom.out == without.out and "name: web" in with_bom.out
    assert run_in_process(["render", "-"], stdin=b"\xef\xbb\xbf" + body).out == without.out


@pytest.mark.parametrize(
    "argv, err",
    [
        (["render", "no/such/spec.yaml"], "no/such/spec.yaml: error: no such file (input-missing)\n  hint: check the path; use '-' to read from stdin\n"),
        (["render", ""], '"": error: the path is empty (input-missing)\n  hint: name a spec file, or \'-\' to read from stdin\n'),
        (["validate", ""], '"": error: the path is empty (input-missing)\n  hint: name a spec file, or \'-\' to read from stdin\n'),
        (["render", "a\nb.yaml"], "a\\nb.yaml: error: no such file (input-missing)\n  hint: check the path; use '-' to read from stdin\n"),
        (["render", "."], ".: error: is a directory, not a file (input-directory)\n  hint: name the spec files inside it, e.g. DIR/*.yaml\n"),
        (["render", "-", "-"], "<stdin>: error: '-' (stdin) is given more than once (usage-stdin)\n  hint: stdin holds one input; name the other files\n"),
        (["validate", "-", "-"], "<stdin>: error: '-' (stdin) is given more than once (usage-stdin)\n  hint: stdin holds one input; name the other files\n"),
    ],
)
def test_paths_that_are_not_specs(argv, err, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ran = run_in_process(argv, b"pods: {}\n")
    got = without_summary(ran.err) if argv[0] == "validate" and ran.err.rstrip("\n").rsplit("\n", 1)[-1].startswith("summary: ") else ran.err
    assert (ran.code, ran.out, got) == (2, "", err), ran


def test_validate_walks_a_directory_and_says_when_it_is_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ran = run_in_process(["validate", "."])
    assert (ran.code, ran.out) == (0, ""), ran
    assert ran.err == (".: note: no .yaml, .yml or .json files in this directory (input-empty-directory)\n"
                       "summary: 0 objects checked; 0 not checked; 0 files skipped; 0 errors, 0 warnings\n")


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "secret.yaml"
    f.write_text("pods: {}\n")

    def refuse(*args, **kwargs):  # chmod 0 does not stop root, who runs CI containers
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yamlio, "open", refuse, raising=False)
    ran = run_in_process(["render", str(f)])
    assert (ran.code, ran.out, ran.err) == (2, "", f"{f}: error: cannot read: Permission denied (input-unreadable)\n")


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_size_limit(source, tmp_path, monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_INPUT_BYTES", 1024 * 1024)
    data = b"# " + b"x" * (1024 * 1024) + b"\npods: {}\n"
    f = tmp_path / "big.yaml"
    f.write_bytes(data)
    name = str(f) if source == "file" else "<stdin>"
    ran = run_in_process(["render", str(f) if source == "file" else "-"], stdin=data)
    assert (ran.code, ran.out, ran.err) == (
        2, "", f"{name}: error: file is larger than the limit of 1 MiB (input-too-large)\n  hint: split it into several files\n"
    )


def test_size_limit_real(tmp_path):
    """The shipped limit, through the real CLI and a pipe (stdin is read no further than the limit)."""
    data = b"#" * (yamlio.MAX_INPUT_BYTES + 1)
    ran = run_subprocess(["render", "-"], stdin=data)
    assert (ran.code, ran.out, ran.err) == (
        2, "", "<stdin>: error: file is larger than the limit of 64 MiB (input-too-large)\n  hint: split it into several files\n"
    )


def test_error_after_partial_success_prints_nothing(tmp_path):
    """One good spec, then one bad spec: stdout stays empty, whatever the order."""
    good = tmp_path / "good.yaml"
    good.write_text("pods:\n  web:\n    image: nginx:1.27\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("pods:\n  db:\n    image: postgres:17\n    ports: [99999]\n")
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"pods: [\n")
    for argv in ([str(good), str(bad)], [str(bad), str(good)], [str(good), str(broken)], [str(good), "-"]):
        for output in ("yaml", "json"):
            ran = run_in_process(["render", *argv, "-o", output], stdin=b"pods: {x: {image: ''}}\n")
            assert ran.code in (1, 2) and ran.out == "" and "error:" in ran.err, (argv, ran)


def test_broken_pipe_is_quiet(tmp_path):
    """`k8sgen render | head -1`: the reader leaves early; no traceback, no error message."""
    spec = tmp_path / "many.yaml"
    spec.write_text("pods:\n" + "".join(f"  p{i}:\n    image: nginx:1.27\n    annotations: {{a: '{'x' * 2000}'}}\n" for i in range(200)))
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    p = subprocess.run(
        f"{sys.executable} -m k8sgen render {spec} | head -1", shell=True, capture_output=True, env=env, timeout=120,
        executable="/bin/bash",
    )
    assert p.stdout == b"apiVersion: v1\n"
    assert p.stderr.count(b"Traceback") == 0 and b"BrokenPipe" not in p.stderr and b"Exception ignored" not in p.stderr, p.stderr


def test_docs_describe_every_refusal_and_limit():
    """docs/errors.md names every rule id this table produces, and the limits as shipped."""
    import re

    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rules = {m for c in CASES for m in re.findall(r"\(([a-z0-9-]+)\)\n", c.err)}
    rules |= {"input-missing", "input-directory", "input-unreadable", "input-too-large", "usage-stdin"}
    assert sorted(r for r in rules if r not in doc) == []
    assert f"{yamlio.MAX_INPUT_BYTES // (1024 * 1024)} MiB" in doc
    assert f"{yamlio.MAX_DEPTH} levels" in doc
    assert f"{yamlio.MAX_ALIAS_NODES:,}" in doc


def test_values_with_line_breaks_keep_problems_on_one_line():
    """A refused value holding line breaks is quoted in the message; the report escapes them."""
    spec = "pods:\n  web:\n    image: nginx:1.27\n    hostname: \"a\\u2028b\\x85c\\nd\"\n"
    ran = run_in_process(["render", "-"], stdin=spec.encode())
    assert ran.code == 1 and ran.out == ""
    lines = ran.err.splitlines()  # splits at \u2028 and \x85 too
    assert all(line.startswith("  hint: ") or re.match(r"<stdin>:\d+:\d+: (error|warning): .* \([a-z0-9-]+\)\Z", line) for line in lines), lines
    assert any('Invalid value: "a\\u2028b\\u0085c\\nd"' in line for line in lines), lines


@pytest.mark.parametrize(
    "target, redirect, code, err",
    [
        ("app.yaml", ">&-", 2, "k8sgen: error: cannot write the output: stdout is closed\n"),
        ("app.yaml", ">/dev/full", 2, "k8sgen: error: cannot write the output: No space left on device\n"),
        ("app.yaml", "2>&- >/dev/null", 0, None),  # stderr closed: nothing to say, still exit 0
        ("missing.yaml", "2>&-", 2, None),  # stderr closed: the error cannot be told, the code can
        ("-", "<&-", 2, "<stdin>: error: cannot read: stdin is closed (input-unreadable)\n  hint: pipe the spec in, or name the file\n"),
    ],
)
def test_closed_or_full_streams(target, redirect, code, err, tmp_path):
    """`k8sgen render app.yaml >&-`, onto a full disk, or with stderr closed: never exit 3."""
    if not os.path.exists("/dev/full"):
        if os.environ.get("K8SGEN_CI"):  # CI runs on Linux: the check must happen there
            pytest.fail("/dev/full is missing in CI")
        pytest.skip("needs /dev/full (Linux)")
    (tmp_path / "app.yaml").write_text(
        "pods:\n  web: {image: nginx:1.27, automountServiceAccountToken: false, resources: {limits: {cpu: 100m, memory: 64Mi}}}\n"
    )
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    # --profile baseline: the pod is kept short, and only the stream's error may reach stderr.
    p = subprocess.run(f"{sys.executable} -m k8sgen render --profile baseline {target} {redirect}", shell=True, executable="/bin/bash",
                       capture_output="2>&-" not in redirect, cwd=tmp_path, env=env, timeout=120)
    assert p.returncode == code, p
    if err is not None:
        assert p.stderr.decode() == err


def test_line_endings_do_not_matter(tmp_path):
    """A spec saved with CRLF (Windows) or CR line endings renders exactly like the LF one."""
    body = (
        "pods:\n  web:\n    image: nginx:1.27\n    automountServiceAccountToken: false\n"
        "    annotations:\n      script: |\n        echo one\n        echo two\n"
        "    resources: {limits: {cpu: 100m, memory: 64Mi}}\n"
    )
    outs = []
    for name, eol in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        f = tmp_path / f"{name}.yaml"
        f.write_bytes(body.replace("\n", eol).encode())
        ran = run_in_process(["render", str(f)])
        assert ran.code == 0, (name, ran)
        outs.append(ran.out)
    assert outs[0] == outs[1] == outs[2] and "script: |\n      echo one\n      echo two\n" in outs[0]


@pytest.mark.parametrize("name", ["a\\0b", "two\\nlines", "back\\\\slash", "tab\\there", "x" * 300])
def test_output_dir_refuses_names_no_file_can_have(name, tmp_path):
    """RBAC names may hold almost anything; --output-dir refuses (exit 1, nothing written)
    instead of crashing on a file name, and stdout still renders the object."""
    spec = tmp_path / "app.yaml"
    spec.write_text(f'roles:\n  "{name}":\n    rules: [{{resources: [pods], verbs: [get]}}]\n')
    ran = run_in_process(["render", str(spec), "--output-dir", str(tmp_path / "out")])
    assert (ran.code, ran.out) == (1, "") and not (tmp_path / "out").exists(), ran
    [line, hint] = ran.err.splitlines()
    assert line.startswith(f"{spec}:2:3: error: Role ") and line.endswith("cannot be written to a file: the name holds characters a file name cannot (output-file-name)")
    assert run_in_process(["render", str(spec)]).code == 0


def test_explicit_tags_in_text_fields_keep_the_text():
    """`!!int "0x1F"` where the schema wants text: the text as written, like an untagged value;
    where it wants a number (ports) the tag is honoured."""
    spec = ('annotations: {a: !!float .nan, b: !!int "0x1F", c: !!bool yes, d: !!null "", e: !!str 0755}\n'
            'pods:\n  web: {image: nginx:1.27, ports: [!!int "8080"]}\n')
    ran = run_in_process(["render", "-"], stdin=spec.encode())
    assert ran.code == 0, ran
    import yaml

    pod = yaml.safe_load(ran.out)
    assert pod["metadata"]["annotations"] == {"a": ".nan", "b": "0x1F", "c": "yes", "d": "", "e": "0755"}
    assert pod["spec"]["containers"][0]["ports"][0]["containerPort"] == 8080


def test_lone_surrogates_are_a_spec_error():
    """Text that is no Unicode (bytes that are not UTF-8 on a --set command line, or a lone
    surrogate from the Python API) is a spec problem, not an internal error."""
    from k8sgen.pipeline import render_specs

    with pytest.raises(K8sgenError) as e:
        render_specs([{"pods": {"web": {"image": "nginx:1.27", "annotations": {"a\ud800": "x", "b": "y\udcff"}}}}])
    assert sorted((p.rule, p.path) for p in e.value.problems) == [
        ("spec-text", ("pods", "web", "annotations", "a\ud800")), ("spec-text", ("pods", "web", "annotations", "b"))]
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    p = subprocess.run([sys.executable, "-m", "k8sgen", "render", "-f", str(ROOT / "examples" / "headless.yaml"),
                        "--set", os.fsdecode(b"pods.pod-a.annotations.x=a\xff")], capture_output=True, env=env, timeout=120)
    assert p.returncode == 1 and p.stdout == b""
    assert p.stderr.decode() == (
        "--set:1:26: error: text 'a\\udcff' holds U+DCFF, a lone UTF-16 surrogate, which is not a character (spec-text)\n"
        "  hint: use UTF-8 text; on a command line, check the terminal's encoding\n"
    )


def test_a_long_like_chain_is_no_recursion(tmp_path):
    # Each entry starts from the one before: resolved in a loop, whatever the length.
    lines = ["pods:", "  p0: {image: 'x:1', resources: {limits: {memory: 8Mi}}}"] + [f"  p{i}: {{like: p{i - 1}}}" for i in range(1, 3000)]
    (tmp_path / "spec.yaml").write_text("\n".join(lines) + "\n")
    ran = run_in_process(["render", str(tmp_path / "spec.yaml"), "--profile", "baseline"])  # baseline: this is about the chain, not lint
    assert ran.code == 0 and ran.err == "", ran.err[:500]
    assert ran.out.count("kind: Pod\n") == 3000
