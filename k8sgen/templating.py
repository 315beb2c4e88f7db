"""Render normalized items through the Jinja templates in templates/, one per kind.

The rendered text is the output. It is parsed back (libyaml) into the object that validation
checks, so what is validated is exactly what is printed, never a second copy built another way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from .errors import Problem, SpecError
from .normalize import Item

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Apply order: what a kind refers to comes before it (kubectl applies in stream order).
KIND_ORDER = (
    "Namespace", "ServiceAccount", "Secret", "ConfigMap", "ClusterRole", "Role", "ClusterRoleBinding",
    "RoleBinding", "Service", "Endpoints", "EndpointSlice", "Pod",
)


@dataclass
class RenderedObject:
    obj: dict
    text: str  # one YAML document, no `---`, ending in a newline
    item: Item | None = None

    @property
    def kind(self) -> str:
        return self.obj.get("kind", "")


@lru_cache(maxsize=1)
def environment():
    import jinja2

    from .filters import FILTERS
    from .resources import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render_item(item: Item) -> RenderedObject:
    text = environment().get_template(item.template).render(o=item.ctx)
    try:
        obj = parse(text)
    except yaml.YAMLError as e:  # a template bug, never the user's input: say so plainly
        raise SpecError(Problem(message=f"internal error: template {item.template} produced invalid YAML: {e}", rule="internal")) from None
    return RenderedObject(obj=obj, text=text, item=item)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _Fallback(Exception):
    """Something the fast builder leaves to PyYAML's own constructor."""


class _RenderedLoader(_Loader):
    """libyaml with the implicit-tag resolution of plain scalars memoized.

    Composing calls the (pure Python) resolver for every scalar, and rendered output repeats
    the same few hundred values thousands of times; the answer depends only on the value and
    the implicit flags, as long as no resolvers are added at run time (k8sgen adds none).
    """

    _tags: dict = {}

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            if len(self._tags) > 200_000:
                self._tags.clear()
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


_constructor = yaml.constructor.SafeConstructor()


def _data(node, seen: set):
    cls = node.__class__
    if cls is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _SCALAR_TAGS:
            return _constructor.yaml_constructors[tag](_constructor, node)
        raise _Fallback
    # An alias (the same node twice) must become the same object twice: PyYAML's business.
    if id(node) in seen:
        raise _Fallback
    seen.add(id(node))
    if cls is yaml.MappingNode:
        if node.tag != _MAP:
            raise _Fallback
        out = {}
        for k, v in node.value:
            if k.__class__ is not yaml.ScalarNode or k.tag == _MERGE:
                raise _Fallback
            out[_data(k, seen)] = _data(v, seen)
        return out
    if node.tag != _SEQ:
        raise _Fallback
    return [_data(v, seen) for v in node.value]


def parse(text: str):
    """Exactly `yaml.load(text, Loader=CSafeLoader)`, about twice as fast on rendered output.

    The constructor's generic machinery (object cache, generators for two-step construction,
    merge-key flattening) is for anchors, aliases, merge keys and custom tags, which rendered
    output never contains; a document that does contain one goes to `yaml.load` itself.
    tests/test_render_parse.py compares both on every example and on generated documents.
    """
    loader = _RenderedLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None
    try:
        return _data(node, set())
    except _Fallback:
        return yaml.load(text, Loader=_Loader)


def sort_key(r: RenderedObject) -> tuple:
    kind = r.obj.get("kind", "")
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    meta = r.obj.get("metadata") or {}
    return (rank, kind, meta.get("namespace") or "", meta.get("name") or "")


def render_items(items: list) -> list:
    return sorted((render_item(i) for i in items), key=sort_key)
