"""ConfigMap, Secret, PV and PVC rules beyond the parity fixtures: size limits, base64 decoding
as Go does it, and robustness on odd values."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgen.validate import Context, Manifest, rules, validate_manifests
from k8sgen.validate.rules.configdata import MAX_SIZE, decode_base64


def run(obj: dict) -> list:
    return [(p.rule, p.path, p.message) for p in rules.check(obj, Context(kube_version=(1, 37))) if p.is_error]


def configmap(**fields) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}, **fields}


def secret(**fields) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "n"}, **fields}


@given(st.binary(max_size=64))
def test_base64_of_any_bytes_decodes_back(raw):
    text = base64.b64encode(raw).decode()
    assert decode_base64(text) == (raw, "")
    # Line breaks anywhere are skipped, as Go's decoder does.
    wrapped = "\n".join(text[i:i + 5] for i in range(0, len(text), 5))
    assert decode_base64(wrapped) == (raw, "")


@given(st.text(max_size=12))
def test_decoding_agrees_with_a_strict_decoder(text):
    import binascii

    body = text.replace("\n", "").replace("\r", "")
    try:
        want = base64.b64decode(body.encode("utf-8"), validate=True) if body.isascii() else None
    except (binascii.Error, ValueError):
        want = None
    got, err = decode_base64(text)
    assert got == want
    assert (err == "") is (want is not None)
    if err:
        assert err.startswith("illegal base64 data at input byte ")


@pytest.mark.parametrize("text, offset", [("YWJjZA", 4), ("not base64!", 3), ("YQ=", 2), ("a", 0), ("YWJj\nZA", 5)])
def test_base64_errors_name_the_offset_go_gives_up_at(text, offset):
    assert decode_base64(text) == (None, f"illegal base64 data at input byte {offset}")


def test_configmap_over_one_mebibyte_is_rejected_for_the_whole_object():
    assert run(configmap(data={"a": "x" * MAX_SIZE})) == []
    assert run(configmap(data={"a": "x" * MAX_SIZE, "b": "y"})) == [
        ("configmap-size", (), f"Too long: must have at most {MAX_SIZE} bytes")]


def test_configmap_binary_data_counts_decoded_bytes():
    half = base64.b64encode(b"x" * (MAX_SIZE // 2)).decode()
    assert run(configmap(binaryData={"a": half, "b": half})) == []
    assert [r[0] for r in run(configmap(binaryData={"a": half, "b": half}, data={"c": "z"}))] == ["configmap-size"]


def test_secret_size_counts_decoded_data_and_string_data():
    data = base64.b64encode(b"x" * (MAX_SIZE - 1)).decode()
    assert run(secret(data={"a": data}, stringData={"b": "y"})) == []
    assert run(secret(data={"a": data}, stringData={"b": "yz"})) == [
        ("secret-data", ("data",), f"Too long: must have at most {MAX_SIZE} bytes")]
    # stringData overwrites a data key of the same name: counted once.
    assert run(secret(data={"a": data}, stringData={"a": "short"})) == []


def test_a_secret_value_that_does_not_decode_hides_the_type_checks():
    got = run(secret(type="kubernetes.io/tls", data={"tls.crt": "!!", "tls.key": "a2V5"}))
    assert got == [("secret-data", ("data", "tls.crt"), 'Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0')]


@pytest.mark.parametrize(
    "obj",
    [
        configmap(data=None, binaryData=None),
        secret(data={"a": None}, stringData=None, type=None),
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "p"}, "spec": None},
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "p"}, "spec": {"capacity": None, "nodeAffinity": {"required": None}}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "finalizers": [None, 3]}, "spec": {"finalizers": None}},
    ],
    ids=["configmap", "secret", "pvc", "pv", "namespace"],
)
def test_null_and_odd_fields_do_not_crash(obj):
    run(obj)


def test_through_the_pipeline_errors_get_positions():
    from k8sgen.yamlio import load_documents

    text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: s3cr3t!\n"
    (doc,) = load_documents(text, "secret.yaml")
    (p,) = validate_manifests([Manifest(obj=doc.data, locate=doc.locate)], "1.37")
    assert (str(p.pos), p.rule, p.message) == (
        "secret.yaml:6:13", "secret-data", 'Invalid value: "<secret contents redacted>": illegal base64 data at input byte 6')
