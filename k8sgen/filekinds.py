"""What a file in a repository is: a k8sgen spec, Kubernetes manifests, or something else.

`k8sgen validate` runs over whole repositories, which hold much more YAML than manifests. Each
file is told apart by rules that look at the file itself (its name, its place on disk, its
content), never at the other files of the run, so the answer does not depend on how pre-commit
splits the files into batches. Nothing here guesses: a file that is not recognized as a spec or
as manifests is skipped with a note that says why, and the note names the way to have it checked.

A **k8sgen spec** is a file that says so:
1. its name: `k8sgen.yaml`, `k8sgen.yml`, `*.k8sgen.yaml` or `*.k8sgen.yml` (what `k8sgen init`
   writes), or
2. the editor modeline `k8sgen init` puts on line 1, `# yaml-language-server: $schema=...` with a
   schema file named `k8sgen.schema.json` (any directory or URL), or
3. its content, for specs named otherwise (every example in examples/): one YAML document, a
   mapping without apiVersion and kind, whose top-level keys are all spec keys and include one of
   pods, services, serviceAccounts, roles or bindings. Helm values files, Compose files and files
   inside a Helm chart are never specs by content.

**Skipped, each with one `note`** (notes never fail a run, not even with --strict):
- kustomize: `kustomization.yaml`/`.yml`/`Kustomization` and any document of
  `kustomize.config.k8s.io` or `apiVersion: builtin`; the files a kustomization in the same or a
  parent directory names as patches (patchesStrategicMerge, patches[].path, patchesJson6902),
  transformer/generator/validator configs, replacements, openapi schemas, and generator inputs.
  kustomize's default load restrictor only reads files at or below the kustomization's
  directory, so looking in the file's own and its parent directories finds every such reference;
- Helm: `Chart.yaml`, `Chart.lock`, `values*.yaml`, `values.schema.json`, anything under a
  chart's `templates/`, `charts/` or `ci/` (a chart is a directory holding `Chart.yaml`), `*.tpl`,
  `NOTES.txt`. A chart's `crds/` holds plain manifests and is checked;
- k8sgen layer files (`*.layer.yaml`, partial specs for `render -f`; checked when merged);
- JSON Schema files (`*.schema.json`, or a top-level `$schema` key), Compose files, JSON6902
  patch lists (a YAML list of `{op, path}`), and any other YAML without apiVersion and kind;
- YAML that k8sgen refuses to read for manifests (merge keys, tags, duplicate keys) in a file
  that holds no Kubernetes object and nothing spec-like (e.g. a CI configuration using `<<:`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import Problem, SourcePos

SPEC_SUFFIXES = (".k8sgen.yaml", ".k8sgen.yml")
SPEC_NAMES = ("k8sgen.yaml", "k8sgen.yml")
SCHEMA_NAME = "k8sgen.schema.json"
# Layers merged with `render -f base.yaml -f prod.layer.yaml` are partial specs (docs/ecosystem.md).
LAYER_SUFFIXES = (".layer.yaml", ".layer.yml")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# The keys that only k8sgen specs have at the top level (schemas/spec.schema.json), and those of
# them that produce objects.
SPEC_KEYS = frozenset({"outputDir", "namespace", "labels", "annotations", "serviceAccounts", "roles", "bindings", "pods", "services", "external"})
SPEC_ENTRY_KEYS = frozenset({"pods", "services", "serviceAccounts", "roles", "bindings"})
_MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")
_VALUES = re.compile(r"^values([-._].*)?\.ya?ml$", re.IGNORECASE)
_COMPOSE = re.compile(r"^(docker-)?compose([-._].*)?\.ya?ml$", re.IGNORECASE)
_CHART_PARTS = ("templates", "charts", "ci")
# Input errors of YAML that is well-formed but that k8sgen refuses in manifests and specs. In a
# file that is neither, they are not k8sgen's business.
LENIENT_RULES = frozenset({"yaml-merge-key", "yaml-tag", "yaml-duplicate-key"})


@dataclass(frozen=True)
class Skip:
    """Why a file is not checked: `reason` is the summary's word, `message` the note's."""

    rule: str
    reason: str
    message: str
    hint: str = ""

    def note(self, file: str) -> Problem:
        return Problem(message=f"skipped: {self.message}", rule=self.rule, severity="note", pos=SourcePos(file, 0, 0), hint=self.hint)


def _skip_helm(message: str) -> Skip:
    return Skip("skip-helm", "Helm chart", message)


NOT_MANIFEST = Skip("skip-not-manifest", "not a manifest", "not a Kubernetes manifest (no apiVersion and kind) and not a k8sgen spec")


# --- by name and place ---------------------------------------------------------------------------


def skip_by_path(path: str) -> Skip | None:
    """A file recognized without reading it: kustomize's and Helm's own files, Compose files."""
    if path == "-":
        return None
    name = os.path.basename(path)
    if name in KUSTOMIZATION_NAMES:
        return Skip("skip-kustomization", "kustomization", "a kustomization (kustomize's own file, not a Kubernetes object)")
    if name in ("Chart.yaml", "Chart.lock"):
        return _skip_helm(f"Helm chart metadata ({name})")
    if name == "NOTES.txt" or name.endswith(".tpl"):
        return _skip_helm("a Helm template")
    chart, part = chart_of(path)
    if chart is not None:
        if part in _CHART_PARTS:
            return _skip_helm(f"part of the Helm chart {_show(chart)} ({part}/)")
        if part is None and (_VALUES.match(name) or name == "values.schema.json"):
            return _skip_helm(f"values of the Helm chart {_show(chart)}")
    if name.endswith(LAYER_SUFFIXES):
        return Skip("skip-layer", "k8sgen layer", "a k8sgen layer (*.layer.yaml): checked when merged, by render -f")
    if _COMPOSE.match(name):
        return Skip("skip-other", "other YAML", "a Compose file, not a Kubernetes manifest")
    named = kustomize_reference(path)
    if named is not None:
        return named
    if name.endswith(".schema.json"):
        return Skip("skip-json-schema", "JSON Schema", "a JSON Schema file")
    return None


def _show(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _ancestors(path: str):
    """The file's directory and its parents, up to the repository root (a directory holding .git)."""
    d = os.path.dirname(os.path.abspath(path))
    for _ in range(64):
        yield d
        if _exists(os.path.join(d, ".git")):
            return
        parent = os.path.dirname(d)
        if parent == d:
            return
        d = parent


def chart_of(path: str) -> tuple[str | None, str | None]:
    """(chart directory, first directory below it or None) when the file is inside a Helm chart."""
    full = os.path.abspath(path)
    for d in _ancestors(path):
        if _is_file(os.path.join(d, "Chart.yaml")):
            rel = os.path.relpath(full, d).split(os.sep)
            return d, (rel[0] if len(rel) > 1 else None)
    return None, None


# The disk is looked at once per run (validate calls clear_caches first): a repository has far
# fewer directories than files.
@lru_cache(maxsize=4096)
def _is_file(path: str) -> bool:
    return os.path.isfile(path)


@lru_cache(maxsize=4096)
def _exists(path: str) -> bool:
    return os.path.exists(path)


def clear_caches() -> None:
    for f in (_is_file, _exists, _named_files):
        f.cache_clear()


# --- files a kustomization names -------------------------------------------------------------------

# field -> (summary reason, what the note calls it)
_KUSTOMIZE_FIELDS = {
    "patchesStrategicMerge": ("kustomize patch", "a strategic-merge patch"),
    "patches": ("kustomize patch", "a patch"),
    "patchesJson6902": ("kustomize patch", "a JSON 6902 patch"),
    "transformers": ("kustomize config", "a transformer configuration"),
    "generators": ("kustomize config", "a generator configuration"),
    "validators": ("kustomize config", "a validator configuration"),
    "configurations": ("kustomize config", "a transformer configuration"),
    "replacements": ("kustomize config", "a replacements file"),
    "openapi": ("kustomize config", "an OpenAPI schema"),
    "configMapGenerator": ("kustomize config", "a ConfigMap generator input"),
    "secretGenerator": ("kustomize config", "a Secret generator input"),
    "helmCharts": ("Helm chart", "Helm values"),
}


def kustomize_reference(path: str) -> Skip | None:
    """The file is named by a kustomization in its own or a parent directory as something other
    than a resource (kustomize reads such files only at or below the kustomization's root)."""
    target = os.path.realpath(path)
    for d in _ancestors(path):
        for kname in KUSTOMIZATION_NAMES:
            kfile = os.path.join(d, kname)
            if not _is_file(kfile):
                continue
            hit = _named_files(kfile).get(target)
            if hit is not None:
                reason, what = hit
                rule = {"kustomize patch": "skip-kustomize-patch", "Helm chart": "skip-helm"}.get(reason, "skip-kustomize")
                return Skip(rule, reason, f"{what} named by {_show(kfile)}")
    return None


@lru_cache(maxsize=512)
def _named_files(kfile: str) -> dict:
    """realpath -> (reason, what) for the non-resource files a kustomization names."""
    data = _read_small_yaml(kfile)
    if not isinstance(data, dict):
        return {}
    base = os.path.dirname(kfile)
    out: dict = {}

    def add(ref, fld: str) -> None:
        if isinstance(ref, str) and ref and "\n" not in ref and not ref.lstrip().startswith(("{", "[")):
            ref = ref.split("=", 1)[1] if fld.endswith("Generator") and "=" in ref else ref
            out.setdefault(os.path.realpath(os.path.join(base, ref)), _KUSTOMIZE_FIELDS[fld])

    for fld in _KUSTOMIZE_FIELDS:
        value = data.get(fld)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for item in items:
            if isinstance(item, str):
                add(item, fld)
            elif isinstance(item, dict):
                add(item.get("path"), fld)
                add(item.get("valuesFile"), fld)
                for key in ("files", "envs", "additionalValuesFiles"):
                    for ref in item.get(key) or () if isinstance(item.get(key), list) else ():
                        add(ref, fld)
                add(item.get("env"), fld)
    return out


def _read_small_yaml(path: str):
    import yaml

    try:
        with open(path, "rb") as f:
            data = f.read(1 << 20)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(data.decode("utf-8", "replace"), Loader=loader)
    except Exception:  # a broken kustomization names nothing we can trust; kustomize reports it
        return None


# --- by content ------------------------------------------------------------------------------------


def spec_by_marker(path: str, text: str) -> bool:
    """The file says it is a k8sgen spec: by its name, or by the modeline `k8sgen init` writes."""
    name = os.path.basename(path)
    if name in SPEC_NAMES or name.endswith(SPEC_SUFFIXES):
        return True
    for line in text.lstrip("\ufeff").splitlines()[:5]:
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        m = _MODELINE.match(stripped)
        if m and m.group(1).rstrip("/").rsplit("/", 1)[-1] == SCHEMA_NAME:
            return True
    return False


def is_manifest(data) -> bool:
    """A Kubernetes object (or List): it has apiVersion and kind."""
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def meant_as_object(data) -> bool:
    """An object with one of apiVersion/kind missing but metadata present: a broken manifest
    (checked, so the missing field is reported), not some other YAML."""
    return isinstance(data, dict) and ("apiVersion" in data or "kind" in data) and isinstance(data.get("metadata"), dict)


def is_spec(path: str, text: str, docs: list) -> bool:
    """Whether `validate` reads the file as a k8sgen spec (the rules in the module docstring)."""
    datas = [d.data for d in docs]
    if datas and all(is_manifest(x) for x in datas):
        return False  # a kustomize generator config named k8sgen.yaml holds an object, not a spec
    if spec_by_marker(path, text):
        return True
    name = os.path.basename(path)
    return (len(datas) == 1 and spec_by_content(datas[0]) and not _VALUES.match(name)
            and (path == "-" or chart_of(path)[0] is None))


def spec_by_content(data) -> bool:
    return (isinstance(data, dict) and not is_manifest(data) and bool(data) and all(isinstance(k, str) and k in SPEC_KEYS for k in data)
            and any(k in SPEC_ENTRY_KEYS for k in data))


def skip_by_content(path: str, docs: list) -> Skip | None:
    """A parsed file that is not Kubernetes manifests; None when it holds objects to check."""
    datas = [d.data for d in docs]
    objects = [x for x in datas if is_manifest(x) or meant_as_object(x)]
    if objects and all(_kustomize_doc(x) for x in objects) and len(objects) == len(datas):
        return Skip("skip-kustomization", "kustomization", "kustomize configuration (kustomize.config.k8s.io or builtin), not a Kubernetes object")
    if objects:
        return None
    name = os.path.basename(path)
    if len(datas) == 1 and _json6902(datas[0]):
        return Skip("skip-kustomize-patch", "kustomize patch", "a JSON 6902 patch (a list of operations), not a Kubernetes object")
    if len(datas) == 1 and isinstance(datas[0], dict) and "$schema" in datas[0]:
        return Skip("skip-json-schema", "JSON Schema", "a JSON Schema file")
    if _VALUES.match(name):
        return _skip_helm("Helm values")
    entry = sorted(k for x in datas if isinstance(x, dict) for k in x if isinstance(k, str) and k in SPEC_ENTRY_KEYS)
    if entry:
        others = sorted({str(k) for x in datas if isinstance(x, dict) for k in x if k not in SPEC_KEYS})
        what = "several YAML documents" if len(datas) > 1 else "keys a spec does not have: " + ", ".join(others[:5])
        return Skip("skip-not-manifest", "not a manifest",
                    f"not a Kubernetes manifest, and not a k8sgen spec although it has {entry[0]!r} ({what})",
                    "if it is a k8sgen spec, name it *.k8sgen.yaml so that every mistake in it is reported")
    return NOT_MANIFEST


def _kustomize_doc(data) -> bool:
    av = data.get("apiVersion") if isinstance(data, dict) else None
    return isinstance(av, str) and (av.startswith("kustomize.config.k8s.io/") or av == "builtin")


def _json6902(data) -> bool:
    return isinstance(data, list) and bool(data) and all(isinstance(x, dict) and "op" in x and "path" in x for x in data)


def lenient_skip(text: str, error_rule: str) -> Skip | None:
    """For YAML k8sgen refuses (merge keys, tags, duplicate keys): a note when the file, read
    leniently, holds no Kubernetes object and nothing spec-like; None to report the error."""
    if error_rule not in LENIENT_RULES or len(text) > (4 << 20):
        return None
    datas = _lenient_load(text)
    if datas is None:
        return None
    for data in datas:
        if is_manifest(data) or meant_as_object(data):
            return None
        if isinstance(data, dict) and any(isinstance(k, str) and k in SPEC_KEYS for k in data):
            return None
    return Skip("skip-not-manifest", "not a manifest",
                "not a Kubernetes manifest (no apiVersion and kind); it uses YAML that k8sgen does not read in manifests (merge keys, tags or duplicate keys)")


def _lenient_load(text: str):
    import yaml

    class Lenient(yaml.SafeLoader):
        pass

    def plain(loader, suffix, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_scalar(node)

    Lenient.add_multi_constructor("", plain)  # any unknown tag (!Ref, !reference, !!python/...) as plain data
    try:
        return [d for d in yaml.load_all(text, Loader=Lenient)]
    except (yaml.YAMLError, RecursionError, TypeError, ValueError):
        return None
