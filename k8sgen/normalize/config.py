"""ConfigMaps and Secrets: from literal values and from files next to the spec.

A spec is untrusted input, and `files:` reads the disk: a file must sit inside the directory of
the spec that names it (no absolute path, no `..`, no symlink that leads out), be a regular file
and fit into the object (the API server keeps an object under 1 MiB). Text that is UTF-8 goes to
`data`, anything else to `binaryData` (base64). Secret values always go to `data` as base64, as
kustomize's secretGenerator writes them, and are never shown in a message.

`hashSuffix: true` appends a hash of the content to the name, the way kustomize's generators do
(the same hash, so the names agree): the name changes when, and only when, the content does, so
pods that refer to it roll. Every reference from env, envFrom and volumes of the spec follows the
final name (see `Context.final_name`).
"""

from __future__ import annotations

import base64
import json
import os
import stat

from .base import Context

MAX_BYTES = 1024 * 1024  # etcd's request limit; the API server refuses larger objects


def normalize(cx: Context) -> None:
    for key, kind in (("configMaps", "ConfigMap"), ("secrets", "Secret")):
        for name, entry in cx.spec.get(key, {}).items():
            _object(cx, kind, name, entry, (key, name))


def _object(cx: Context, kind: str, name: str, entry: dict, src: tuple) -> None:
    secret = kind == "Secret"
    text: dict = {}  # key -> str (from literals and UTF-8 files)
    binary: dict = {}  # key -> bytes
    for k, v in entry.get("data", {}).items():
        text[k] = v
    for k, v in entry.get("binaryData", {}).items():
        # Bytes that are no text, as Kubernetes writes them (base64): what import makes of a
        # ConfigMap's binaryData or of Secret data that is not UTF-8.
        bsrc = src + ("binaryData", k)
        if k in text:
            cx.error(f"key {k!r} is given twice (data and binaryData)", bsrc, "rename one of the keys", rule="spec-config", key=True)
            continue
        try:
            binary[k] = base64.b64decode(v, validate=True)
        except (ValueError, TypeError):
            cx.error(f"binaryData {k!r} is not base64", bsrc, "write the bytes base64-encoded (base64 -w0 FILE)", rule="spec-config")
    for k, path, at in _file_list(entry.get("files", {})):
        fsrc = src + ("files", at)
        if k in text or k in binary:
            cx.error(f"key {k!r} is given twice (data and files, or two files)", fsrc, "rename one of the keys (files: {KEY: path})", rule="spec-config", key=True)
            continue
        raw = _read(cx, path, fsrc)
        if raw is None:
            continue
        try:
            text[k] = raw.decode("utf-8")
        except UnicodeDecodeError:
            binary[k] = raw
    size = sum(len(v.encode()) for v in text.values()) + sum(len(v) for v in binary.values())
    if size > MAX_BYTES:
        cx.error(f"{kind} {name!r} holds {size} bytes; the API server stores at most 1 MiB per object", src, "split it, or mount a volume instead", rule="spec-config")
        return
    ctx: dict = {"immutable": entry.get("immutable"), "data": {}, "binaryData": {}, "stringData": {}}
    if secret:
        ctx["type"] = entry.get("type", "Opaque")
        all_bytes = {**{k: v.encode() for k, v in text.items()}, **binary}
        ctx["data"] = {k: base64.b64encode(v).decode() for k, v in sorted(all_bytes.items())}
    else:
        ctx["type"] = None
        ctx["data"] = dict(sorted(text.items()))
        ctx["binaryData"] = {k: base64.b64encode(v).decode() for k, v in sorted(binary.items())}
    final = name
    if entry.get("hashSuffix"):
        final = f"{name}-{content_hash(kind, name, ctx)}"
    cx.names.setdefault(kind, {})[name] = final
    origins = {("data",): src + ("data",), ("binaryData",): src + ("binaryData" if entry.get("binaryData") else "files",)}
    cx.add(kind, "v1", final, True, "secret.yaml.j2" if secret else "configmap.yaml.j2", ctx, src, entry, origins, secret=secret)


def _file_list(files) -> list:
    """(key, path, where in the spec) of files: {KEY: path} or [path, ...] (the key is the
    file's base name, as kustomize does)."""
    if isinstance(files, dict):
        return [(k, p, k) for k, p in files.items()]
    return [(os.path.basename(p), p, i) for i, p in enumerate(files)]


def _read(cx: Context, path: str, fsrc: tuple) -> bytes | None:
    """The bytes of `path`, relative to the spec that named it, confined to that spec's directory."""
    file_of = getattr(cx.doc.positions, "file_of", None)
    spec_file = file_of(fsrc) if file_of else cx.doc.file
    if not os.path.isfile(spec_file):
        cx.error(f"files need a spec file on disk to be relative to; {spec_file} is not one", fsrc, "use data: for literal values, or render the spec from its file", rule="spec-file")
        return None
    parts = path.replace("\\", "/").split("/")
    if os.path.isabs(path) or path.startswith(("/", "\\")) or ".." in parts:
        cx.error(f"file {path!r} is outside the spec's directory", fsrc, "name a file relative to the spec, inside its directory (no absolute path, no ..)", rule="spec-file")
        return None
    base = os.path.realpath(os.path.dirname(os.path.abspath(spec_file)))
    target = os.path.realpath(os.path.join(base, path))
    if os.path.commonpath([base, target]) != base:
        cx.error(f"file {path!r} leads outside the spec's directory (through a symlink)", fsrc, "copy the file next to the spec", rule="spec-file")
        return None
    try:
        # target is already resolved: a symlink there now was swapped in since (O_NOFOLLOW
        # refuses it); O_NONBLOCK keeps a FIFO from blocking the open (fstat refuses it next).
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        cx.error(f"cannot read file {path!r}: {e.strerror}", fsrc, "the path is relative to the spec's directory", rule="spec-file")
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            cx.error(f"{path!r} is not a regular file", fsrc, rule="spec-file")
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        cx.error(f"file {path!r} is larger than 1 MiB, the most an object may hold", fsrc, rule="spec-config")
        return None
    return data


def content_hash(kind: str, name: str, ctx: dict) -> str:
    """kustomize's name suffix: the SHA-256 of Go's JSON encoding of kind and content (keys
    sorted, HTML characters escaped), its first 10 hex digits with 0, 1, 3, a, e replaced so the
    suffix never spells a word. kustomize hashes before it names the object, so its encoding
    holds an empty name; ours does too, so both tools agree (tests/test_config.py checks it
    against `kubectl kustomize`) and the suffix depends on the content alone."""
    name = ""
    if kind == "ConfigMap":
        m: dict = {"kind": kind, "name": name, "data": ctx["data"]}
        if ctx["binaryData"]:
            m["binaryData"] = ctx["binaryData"]
    else:
        m = {"kind": kind, "type": ctx["type"], "name": name, "data": ctx["data"]}
    text = json.dumps(m, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    import hashlib  # here, not at the top: 5 ms of start-up (OpenSSL) that most specs never need

    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))
