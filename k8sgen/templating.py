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
# Storage before the workloads that claim it, Services before the pods they select (so the pods
# get the Service's environment variables), controllers before bare Pods.
KIND_ORDER = (
    "Namespace", "ServiceAccount", "Secret", "ConfigMap", "PersistentVolume", "PersistentVolumeClaim",
    "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding", "Service", "Endpoints", "EndpointSlice",
    "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod",
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
        bytecode_cache=_bytecode_cache(jinja2),
    )
    env.filters.update(FILTERS)
    return env


def cache_dir() -> str | None:
    """Where compiled templates are kept between runs: $K8SGEN_CACHE_DIR (empty: nowhere), else
    $XDG_CACHE_HOME/k8sgen or ~/.cache/k8sgen."""
    import os

    explicit = os.environ.get("K8SGEN_CACHE_DIR")
    if explicit is not None:
        return explicit or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "k8sgen")


def _bytecode_cache(jinja2):
    """Jinja's on-disk cache of compiled templates, made unable to fail.

    Compiling the templates costs 30-60 ms per process, a third of a small `k8sgen render`
    (bench/RESULTS.md). Jinja keys each entry by template path and checks the source's checksum
    and the Python version, so an edited template or another k8sgen is simply recompiled. An
    unwritable or corrupt cache is ignored: the templates are compiled as without it.
    """
    directory = cache_dir()
    if not directory:
        return None

    class _Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # unreadable or corrupt: compile instead
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            import os

            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except Exception:  # read-only home, full disk: the next run compiles again
                pass

    import os

    return _Cache(os.path.join(directory, "jinja"), "%s.cache")


@lru_cache(maxsize=None)
def template(name: str):
    """A template, looked up once per run: Jinja's own `get_template` checks the source file's
    modification time on every call (0.1 s over 6,000 objects). Template names come from
    k8sgen's code (one per kind), never from a spec, so the cache stays small."""
    return environment().get_template(name)


def render_item(item: Item) -> RenderedObject:
    text = template(item.template).render(o=item.ctx)
    try:
        obj = yamlio.load_rendered(text)
    except yaml.YAMLError as e:  # a template bug, never the user's input: say so plainly
        # Positioned at the spec entry, so the report names the file rather than `<input>`.
        raise SpecError(Problem(message=f"internal error: template {item.template} produced invalid YAML: {e}", rule="internal",
                                pos=item.locate(()))) from None
    return RenderedObject(obj=obj, text=text, item=item)


def sort_key(r: RenderedObject) -> tuple:
    kind = r.obj.get("kind", "")
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    meta = r.obj.get("metadata") or {}
    return (rank, kind, meta.get("namespace") or "", meta.get("name") or "")


def render_items(items: list) -> list:
    return sorted((render_item(i) for i in items), key=sort_key)
