"""Custom resources: the CustomResourceDefinitions among the manifests give their kinds a schema.

`lookup(manifests, version)` reads every apiextensions.k8s.io/v1 CRD passed and returns a
`CustomSchemas`; `validate_manifests` asks it about every object of a non-built-in group. A custom
resource is checked the way the API server checks it on create with strict field validation:

- against the served version's structural `openAPIV3Schema`, translated to JSON Schema:
  `nullable`, `x-kubernetes-int-or-string` (integer or string), `x-kubernetes-preserve-unknown-fields`
  (unknown fields kept; elsewhere an unknown field is an error, as kubectl's strict validation
  reports what the server would prune), `x-kubernetes-embedded-resource` (apiVersion, kind and
  metadata allowed), and a `required` field with a `default` is not missing (defaulting runs
  first);
- `metadata` against the built-in ObjectMeta schema (a CRD can only restrict the name);
- an apiVersion whose version the CRD does not serve is an error (no matches for kind).

`x-kubernetes-validations` (CEL) rules are not evaluated: one warning per kind says so. A custom
resource whose CRD is not among the inputs gets one "not checked" warning per kind.
"""

from __future__ import annotations

from typing import Optional

from ..errors import Problem

CRD_KEY = ("apiextensions.k8s.io/v1", "CustomResourceDefinition")
# Keywords of a structural schema that JSON Schema reads the same way.
_SAME = ("type", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
         "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties",
         "maxProperties")


def _is_builtin_group(api_version: str, version: str) -> bool:
    from . import apis, k8s_schema

    return api_version.rpartition("/")[0] in k8s_schema.groups(version) or api_version in apis.REMOVED_GROUP_VERSIONS


def to_json_schema(s: object, root: bool = False) -> dict:
    """A JSON Schema (2020-12) for a structural openAPIV3Schema node."""
    if not isinstance(s, dict):
        return {}
    out: dict = {k: s[k] for k in _SAME if k in s}
    if s.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["type"] = ["integer", "string"]
    if s.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = types + ["null"]
        if "enum" in out:
            out["enum"] = list(out["enum"]) + [None]
    preserve = bool(s.get("x-kubernetes-preserve-unknown-fields"))
    props = {k: to_json_schema(v) for k, v in (s.get("properties") or {}).items()} if isinstance(s.get("properties"), dict) else {}
    if s.get("x-kubernetes-embedded-resource"):
        for key in ("apiVersion", "kind"):
            props.setdefault(key, {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    if root:
        # The server checks metadata as ObjectMeta (with_defs adds it); apiVersion/kind are given.
        props["apiVersion"] = {"type": "string"}
        props["kind"] = {"type": "string"}
        props["metadata"] = {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
    if props:
        out["properties"] = props
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = to_json_schema(extra)
    elif extra is False or (extra is None and not preserve and s.get("type", "object" if props else None) == "object"):
        out["additionalProperties"] = False
    if "items" in s:
        out["items"] = to_json_schema(s["items"])
    required = [r for r in s.get("required") or [] if not (isinstance((s.get("properties") or {}).get(r), dict) and "default" in s["properties"][r])]
    if required:
        out["required"] = required
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(s.get(key), list):
            # Structural schemas allow only value validations inside these: no types, no pruning.
            out[key] = [_value_only(to_json_schema(b)) for b in s[key]]
    if isinstance(s.get("not"), dict):
        out["not"] = _value_only(to_json_schema(s["not"]))
    return out


def _value_only(schema: dict) -> dict:
    schema = dict(schema)
    schema.pop("additionalProperties", None)
    schema.pop("type", None)
    return schema


def _has_validations(s: object) -> bool:
    if isinstance(s, dict):
        return "x-kubernetes-validations" in s or any(_has_validations(v) for v in s.values())
    if isinstance(s, list):
        return any(_has_validations(v) for v in s)
    return False


class CustomSchemas:
    """Schemas of the custom kinds the CRDs among the manifests define."""

    def __init__(self, version: str) -> None:
        self.version = version
        # (group, kind) -> {version name: openAPIV3Schema or None}
        self.defined: dict[tuple[str, str], dict] = {}
        self._compiled: dict = {}
        self._noted: set = set()

    def add(self, crd: dict) -> None:
        spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
        group = spec.get("group")
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        kind = names.get("kind")
        if not isinstance(group, str) or not isinstance(kind, str):
            return
        served = self.defined.setdefault((group, kind), {})
        for v in spec.get("versions") or []:
            if isinstance(v, dict) and isinstance(v.get("name"), str) and v.get("served", True):
                schema = (v.get("schema") or {}).get("openAPIV3Schema") if isinstance(v.get("schema"), dict) else None
                served[v["name"]] = schema if isinstance(schema, dict) else None

    def has_schema(self, api_version: str, kind: str) -> bool:
        """Whether a CRD among the inputs serves this apiVersion/kind with a schema (for summaries)."""
        group, _, ver = api_version.rpartition("/")
        return (self.defined.get((group, kind)) or {}).get(ver) is not None

    def handles(self, obj: object) -> bool:
        """Whether `obj` is a custom resource (a well-formed object of a non-built-in group)."""
        if not isinstance(obj, dict):
            return False
        api, kind = obj.get("apiVersion"), obj.get("kind")
        return isinstance(api, str) and isinstance(kind, str) and bool(api) and bool(kind) and not _is_builtin_group(api, self.version)

    def check(self, obj: dict) -> list[Problem]:
        api, kind = obj["apiVersion"], obj["kind"]
        group, _, ver = api.rpartition("/")
        served = self.defined.get((group, kind))
        if served is None:
            if ("missing", api, kind) in self._noted:
                return []
            self._noted.add(("missing", api, kind))
            from .k8s_schema import check

            return list(check(obj, self.version))  # its one "not checked" warning
        if ver not in served:
            return [Problem(
                message=f'no kind "{kind}" is served for version "{api}" by its CustomResourceDefinition',
                rule="k8s-custom-resource", path=("apiVersion",),
                hint="served versions: " + ", ".join(f"{group}/{v}" for v in sorted(served)) if served else "the CRD serves no version",
            )]
        schema = served[ver]
        out: list[Problem] = []
        if schema is not None and _has_validations(schema):
            out += self._once(("cel", api, kind), Problem(
                message=f"the x-kubernetes-validations (CEL) rules of {kind} ({api}) are not evaluated",
                rule="k8s-custom-resource-cel", severity="warning", path=("kind",),
                hint="the API server may still reject these objects on a rule k8sgen cannot run",
            ))
        if schema is None:
            return out
        from .k8s_schema import problems_from
        from .schema_reference import raw_errors

        out.extend(problems_from(raw_errors(self._schema(api, kind, schema), obj)))
        return out

    def _schema(self, api: str, kind: str, schema: dict) -> dict:
        hit = self._compiled.get((api, kind))
        if hit is None:
            from .k8s_schema import definitions, with_defs

            hit = with_defs(to_json_schema(schema, root=True), definitions(self.version))
            hit["$schema"] = "https://json-schema.org/draft/2020-12/schema"
            self._compiled[(api, kind)] = hit
        return hit

    def _once(self, key: tuple, p: Problem) -> list[Problem]:
        if key in self._noted:
            return []
        self._noted.add(key)
        return [p]


def lookup(manifests: list, version: str) -> CustomSchemas:
    """The custom kinds defined by the CRDs among `manifests` (objects or Manifests)."""
    from .k8s_schema import normalize_version

    out = CustomSchemas(normalize_version(version))
    for m in manifests:
        obj: Optional[dict] = getattr(m, "obj", m)
        if isinstance(obj, dict) and (obj.get("apiVersion"), obj.get("kind")) == CRD_KEY:
            out.add(obj)
    return out
