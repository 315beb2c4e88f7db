"""The loader: positions, YAML 1.2 typing for specs, and positioned refusals."""

from __future__ import annotations

import pytest

from k8sgen.errors import InputError
from k8sgen.yamlio import decode, load_documents, resolve_core


@pytest.mark.parametrize(
    "text, value",
    [
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("0755", "0755"), ("1_000", "1_000"),
        ("2024-01-01", "2024-01-01"), ("80:8080", "80:8080"), ("true", True), ("False", False),
        ("null", None), ("~", None), ("", None), ("8080", 8080), ("-3", -3), ("0x1F", 31),
        ("0o17", 15), ("1e3", 1000.0), ("1.5", 1.5), ("08", "08"), ("+1", 1),
    ],
)
def test_resolve_core(text, value):
    assert resolve_core(text) == value and type(resolve_core(text)) is type(value)


def test_spec_mode_keeps_raw_text_for_non_strings():
    [doc] = load_documents("a: 8080\nb: '8080'\nc: [true, x]\n", "f.yaml", mode="spec")
    assert doc.data == {"a": 8080, "b": "8080", "c": [True, "x"]}
    assert doc.positions.raw == {("a",): "8080", ("c", 0): "true"}


def test_k8s_mode_reads_like_kubectl():
    [doc] = load_documents("a: yes\nb: 0755\n", "f.yaml", mode="k8s")
    assert doc.data == {"a": True, "b": 493}


def test_positions_of_values_and_keys():
    [doc] = load_documents("pods:\n  web:\n    image: nginx\n    ports: [80, 81]\n", "f.yaml")
    assert str(doc.locate(("pods", "web", "image"))) == "f.yaml:3:12"
    assert str(doc.locate(("pods", "web", "image"), key=True)) == "f.yaml:3:5"
    assert str(doc.locate(("pods", "web", "ports", 1))) == "f.yaml:4:17"
    assert str(doc.locate(("pods", "web", "missing", "deeper"))) == "f.yaml:3:5"


def test_multiple_documents_and_empty_ones():
    docs = load_documents("---\na: 1\n---\n---\nb: 2\n...\n", "f.yaml")
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}]


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("a: 1\nb: 2\na: 3\n", "3:1", "duplicate key 'a' (first defined at line 1, column 1)"),
        ("a:\n  - {x: 1, x: 2}\n", "2:12", "duplicate key 'x' (first defined at line 2, column 6)"),
        ("a: !!python/object:os.system x\n", "1:4", "YAML tag !!python/object:os.system is not allowed"),
        ("a: !custom x\n", "1:4", "YAML tag !custom is not allowed"),
        ("a: !!binary aGk=\n", None, None),
        ("a: &x {k: v}\nb:\n  <<: *x\n", "3:3", "merge keys (<<) are not supported"),
        ("a: [1, 2\n", "2:1", "invalid YAML: "),
        ("{a: 1}: b\n", "1:1", "a mapping key must be a plain value, not a mapping or a list"),
        ("a: " + "[" * 150 + "]" * 150 + "\n", "1:104", "nesting deeper than 100 levels"),
    ],
)
def test_refusals(text, where, message):
    if message is None:
        load_documents(text, "f.yaml")
        return
    with pytest.raises(InputError) as e:
        load_documents(text, "f.yaml")
    [p] = e.value.problems
    assert message in p.message
    if where:
        assert str(p.pos) == f"f.yaml:{where}"


def test_alias_bomb_is_capped():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(InputError) as e:
        load_documents("\n".join(lines) + "\n", "bomb.yaml")
    assert "aliases expand to more than" in e.value.problems[0].message


def test_small_aliases_are_fine():
    [doc] = load_documents("base: &b {image: nginx}\ncopy: *b\n", "f.yaml")
    assert doc.data["copy"] == {"image": "nginx"} and doc.data["copy"] is not doc.data["base"]


def test_decode_bom_and_bad_bytes():
    assert decode(b"\xef\xbb\xbfa: 1\n", "f") == "a: 1\n"
    with pytest.raises(InputError) as e:
        decode(b"a: 1\nb: \xc3\x28\n", "f")
    assert str(e.value.problems[0].pos) == "f:2:4"
