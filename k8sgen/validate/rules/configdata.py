"""ConfigMaps and Secrets: key names, total size, base64 data, Secret types and their keys.

Source: `ValidateConfigMap` and `ValidateSecret` in `pkg/apis/core/validation/validation.go`
(with `IsConfigMapKey` from apimachinery's util/validation), and the v1 -> internal conversion of
Secrets (`stringData` is merged into `data`, overwriting keys of the same name, before
validation). A Secret's `data` values are `[]byte` in Go: the JSON decoder base64-decodes them
(standard alphabet, padded, line breaks ignored) and a bad value fails the request before
validation ("illegal base64 data at input byte N").
"""

from __future__ import annotations

import json
from typing import Iterator

from ...errors import Problem
from . import formats
from .registry import get_dict, get_str, invalid, required, rule, too_long

MAX_SIZE = 1024 * 1024  # core.MaxSecretSize, also the ConfigMap limit
_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"


def decode_base64(text: str) -> tuple[bytes | None, str]:
    """(bytes, "") as Go's base64.StdEncoding decodes `text`, or (None, Go's error message).

    The offset in the message is where Go's decoder gives up: the bad byte, the start of a
    quantum cut short, or the misplaced padding (line breaks count, as in Go).
    """
    raw = text.encode("utf-8", "surrogatepass")
    positions = [i for i, b in enumerate(raw) if b not in (0x0A, 0x0D)]  # the decoder skips \r, \n
    body = bytes(raw[i] for i in positions)

    def fail(j: int) -> tuple[None, str]:
        return None, f"illegal base64 data at input byte {positions[j] if j < len(positions) else len(raw)}"

    for j, b in enumerate(body):
        if b not in _B64 and b != 0x3D:
            return fail(j)
    pad = body.find(b"=")
    if pad < 0:
        if len(body) % 4:
            return fail(len(body) - len(body) % 4)
    else:
        # "xx==" or "xxx=" closes the input; anything else around the padding is corrupt.
        if pad % 4 < 2 or body[pad:] not in (b"=" * (4 - pad % 4),):
            return fail(pad)
    import base64

    return base64.b64decode(body), ""


def _keys(rid: str, data: dict, path: tuple) -> Iterator[Problem]:
    for key in data:
        key = str(key)
        for msg in formats.is_config_map_key(key):
            yield invalid(rid, path + (key,), key, msg,
                          hint="keys are letters, digits, '-', '_' and '.', at most 253 characters")


@rule("configmap-keys", ["ConfigMap"], "data and binaryData keys are valid config keys ([-._a-zA-Z0-9]+, not '.' or '..', at most 253 characters) and no key is in both")
def check_configmap_keys(obj: dict, ctx: object) -> Iterator[Problem]:
    data = get_dict(obj, "data")
    binary = get_dict(obj, "binaryData")
    yield from _keys("configmap-keys", data, ("data",))
    for key in data:
        if key in binary:
            yield invalid("configmap-keys", ("data", str(key)), str(key), "duplicate of key present in binaryData",
                          hint="a key may be in data or in binaryData, not both")
    yield from _keys("configmap-keys", binary, ("binaryData",))


@rule("configmap-size", ["ConfigMap"], "data and binaryData together hold at most 1 MiB, and binaryData values are base64")
def check_configmap_size(obj: dict, ctx: object) -> Iterator[Problem]:
    total = sum(len(v.encode()) for v in get_dict(obj, "data").values() if isinstance(v, str))
    for key, value in get_dict(obj, "binaryData").items():
        if isinstance(value, str):
            decoded, err = decode_base64(value)
            if decoded is None:
                yield invalid("configmap-size", ("binaryData", str(key)), "<binary data>", err,
                              hint="binaryData values are base64 (e.g. `base64 -w0 file`)")
            else:
                total += len(decoded)
    if total > MAX_SIZE:
        yield too_long("configmap-size", (), MAX_SIZE, hint=f"the data takes {total} bytes; a ConfigMap holds at most 1 MiB")


def secret_data(obj: dict) -> tuple[dict, list]:
    """{key: decoded bytes} after the stringData merge, and the base64 errors [(key, message)]."""
    out: dict = {}
    errors = []
    for key, value in get_dict(obj, "data").items():
        if isinstance(value, str):
            decoded, err = decode_base64(value)
            if decoded is None:
                errors.append((str(key), err))
            else:
                out[str(key)] = decoded
        elif value is None:
            out[str(key)] = b""
    for key, value in get_dict(obj, "stringData").items():
        if isinstance(value, str):
            out[str(key)] = value.encode()
    return out, errors


@rule("secret-data", ["Secret"], "data values are base64; data and stringData keys are valid config keys; all values together hold at most 1 MiB")
def check_secret_data(obj: dict, ctx: object) -> Iterator[Problem]:
    data, errors = secret_data(obj)
    for key, err in errors:
        yield invalid("secret-data", ("data", key), "<secret contents redacted>", err,
                      hint="data values are base64 (e.g. `printf %s VALUE | base64 -w0`); use stringData for plain text")
    yield from _keys("secret-data", get_dict(obj, "data"), ("data",))
    # stringData keys become data keys in conversion: the server reports them under data.
    string_keys = {k: None for k in get_dict(obj, "stringData") if k not in get_dict(obj, "data")}
    yield from _keys("secret-data", string_keys, ("data",))
    total = sum(len(v) for v in data.values())
    if total > MAX_SIZE:
        yield too_long("secret-data", ("data",), MAX_SIZE, hint=f"the data takes {total} bytes; a Secret holds at most 1 MiB")


def _json_object(raw: bytes) -> str:
    """"" if `raw` is JSON that decodes into a map, else Go's complaint (in our words)."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"invalid JSON: {exc}"
    if not isinstance(value, dict):
        return "json: cannot unmarshal into a map: the content is not a JSON object"
    return ""


@rule("secret-type", ["Secret"], "a typed Secret has the keys its type requires: service-account-token its account annotation, dockercfg/.dockerconfigjson well-formed JSON, basic-auth a username or password, ssh-auth ssh-privatekey, tls tls.crt and tls.key")
def check_secret_type(obj: dict, ctx: object) -> Iterator[Problem]:
    kind = get_str(obj, "type")
    data, errors = secret_data(obj)
    if errors:
        return  # the request fails at decoding already (secret-data)
    rid = "secret-type"
    if kind == "kubernetes.io/service-account-token":
        if not get_str(get_dict(obj, "metadata", "annotations"), SA_NAME_ANNOTATION):
            yield required(rid, ("metadata", "annotations", SA_NAME_ANNOTATION),
                           hint="name the ServiceAccount the token is for in this annotation")
    elif kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if kind.endswith("dockercfg") else ".dockerconfigjson"
        if key not in data:
            yield required(rid, ("data", key), hint=f"a {kind} Secret holds the registry credentials under {key}")
        else:
            msg = _json_object(data[key])
            if msg:
                yield invalid(rid, ("data", key), "<secret contents redacted>", msg)
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            # The server reports these at the odd path data[%s][username] (a format string
            # used as a path); we report the key itself.
            yield required(rid, ("data", "username"), hint="a basic-auth Secret has a username or a password key")
            yield required(rid, ("data", "password"))
    elif kind == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            yield required(rid, ("data", "ssh-privatekey"), hint="an ssh-auth Secret holds the key under ssh-privatekey")
    elif kind == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in data:
                yield required(rid, ("data", key), hint="a tls Secret holds tls.crt and tls.key (may be empty)")
