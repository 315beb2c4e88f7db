"""Render normalized items through the Jinja templates in templates/, one per kind.

The rendered text is the output. It is parsed back (libyaml) into the object that validation
checks, so what is validated is exactly what is printed, never a second copy built another way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from . import yamlio
from .errors import Problem, SpecError
from .normalize import Item

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
        obj = yamlio.load_rendered(text)
    except yaml.YAMLError as e:  # a template bug, never the user's input: say so plainly
        raise SpecError(Problem(message=f"internal error: template {item.template} produced invalid YAML: {e}", rule="internal")) from None
    return RenderedObject(obj=obj, text=text, item=item)


def sort_key(r: RenderedObject) -> tuple:
    kind = r.obj.get("kind", "")
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    meta = r.obj.get("metadata") or {}
    return (rank, kind, meta.get("namespace") or "", meta.get("name") or "")


def render_items(items: list) -> list:
    return sorted((render_item(i) for i in items), key=sort_key)
