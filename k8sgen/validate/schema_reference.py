"""The reference schema validator: jsonschema, with its errors reduced to `RawError`s.

Slow (about 1.7 ms per object in bench/schema_validate.py) and heavy to import (~70 ms), so
`k8s_schema` uses the compiled validator; this one stays as the yardstick the compiled one is
tested against, and as its fallback for a schema it cannot compile.
"""

from __future__ import annotations

from .k8s_schema import RawError, quote, type_detail


def raw_errors(schema: dict, obj: object) -> list[RawError]:
    validator = _cached(schema)
    out: list[RawError] = []
    for err in validator.iter_errors(obj):
        out.extend(_reduce(err))
    # One jsonschema "required" error per missing property, each reduced to all of them.
    return list(dict.fromkeys(out))


# id(schema) -> (schema, validator); the schema is kept so its id cannot be reused.
_VALIDATORS: dict = {}


def _cached(schema: dict):
    key = id(schema)
    hit = _VALIDATORS.get(key)
    if hit is None or hit[0] is not schema:
        import jsonschema

        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        hit = _VALIDATORS[key] = (schema, cls(schema))
    return hit[1]


def _types(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def _reduce(err) -> list[RawError]:
    path = tuple(err.absolute_path)
    name = err.validator
    if name == "type":
        return [RawError("type", path, type_detail(_types(err.validator_value), err.instance))]
    if name == "enum":
        return [RawError("enum", path, (tuple(err.validator_value), quote(err.instance)))]
    if name == "required":
        return [RawError("required", path + (p,), p) for p in err.validator_value if p not in err.instance]
    if name == "additionalProperties" and err.validator_value is False:
        known = tuple(sorted(err.schema.get("properties", {})))
        return [RawError("unknown", path + (k,), (k, known)) for k in err.instance if k not in known]
    if name == "oneOf" and all(set(s) == {"type"} for s in err.validator_value):
        # Quantity and IntOrString: a scalar of one of a few types.
        expected: list = []
        for sub in err.validator_value:
            expected.extend(t for t in _types(sub["type"]) if t not in expected)
        expected.sort(key=lambda t: t == "null")
        return [RawError("type", path, type_detail(tuple(expected), err.instance))]
    return [RawError("other", path, err.message)]
