"""k8sgen as a kustomize generator: the config object, and the KRM `ResourceList` in and out.

The config object (the same for both protocols kustomize speaks):

    apiVersion: k8sgen.dev/v1alpha1
    kind: K8sGen
    metadata: {name: web}
    spec: {pods: {web: {image: nginx:1.27}}}    # the spec inline, or
    specFile: web.k8sgen.yaml                   # a file (or a list of layers, merged in order),
                                                # relative to the kustomization's directory
    kubeVersion: "1.36"                         # optional
    strict: false                               # optional: warnings fail the build

KRM function protocol: a `ResourceList` on stdin; its `items` come back unchanged with the
generated objects appended; problems go into `results` (for kpt) *and* make the exit status 1 with
the problems on stderr, because kustomize ignores `results`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import EXIT_USAGE, K8sgenError, Problem, SourcePos
from ..source import Document, PositionMap

API_VERSION = "k8sgen.dev/v1alpha1"
KIND = "K8sGen"
RESOURCE_LIST_VERSIONS = ("config.kubernetes.io/v1", "config.kubernetes.io/v1beta1")
_ALLOWED_KEYS = {"apiVersion", "kind", "metadata", "spec", "specFile", "kubeVersion", "strict"}
# kustomize's own opt-out (`--load-restrictor LoadRestrictionsNone`) is not passed to plugins: the
# user says the same to k8sgen in its environment. The config itself cannot: it is repository content.
LOAD_RESTRICTOR_ENV = "K8SGEN_LOAD_RESTRICTOR"
LOAD_RESTRICTIONS_NONE = "LoadRestrictionsNone"


@dataclass
class Config:
    docs: list  # spec Documents to render together
    kube_version: str | None
    strict: bool


def parse_resource_list(text: str) -> tuple[dict, Document] | None:
    """The ResourceList on stdin, or None when stdin holds something else (legacy mode)."""
    from .. import yamlio

    if not text.strip():
        return None
    try:
        docs = yamlio.load_documents(text, "<stdin>", mode="k8s")
    except K8sgenError:
        if "ResourceList" in text:
            raise  # meant as one (a limit, a bad character): say what is wrong with it, where
        return None
    if len(docs) != 1 or not isinstance(docs[0].data, dict) or docs[0].data.get("kind") != "ResourceList":
        return None
    rl = docs[0].data
    if rl.get("apiVersion") not in RESOURCE_LIST_VERSIONS:
        raise _config_error(f"unsupported ResourceList apiVersion {rl.get('apiVersion')!r}", docs[0], ("apiVersion",),
                            "expected " + " or ".join(RESOURCE_LIST_VERSIONS))
    if not isinstance(rl.get("items", []), list):
        raise _config_error("ResourceList items must be a list", docs[0], ("items",))
    return rl, docs[0]


def config_name(config: dict) -> str:
    meta = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
    return f"{KIND}/{meta.get('name', '?')}"


def read_config(config_doc: Document, prefix: tuple = (), base_dir: str = ".") -> Config:
    """Turn the K8sGen object at `prefix` inside `config_doc` into the specs to render."""
    from .. import pipeline
    from ..commands.sources import merge

    config = _get(config_doc.data, prefix)
    if not isinstance(config, dict):
        raise _config_error("the function config is missing: expected a K8sGen object", config_doc, prefix,
                            f"apiVersion: {API_VERSION}, kind: {KIND}, with spec: or specFile:")
    if config.get("apiVersion") != API_VERSION or config.get("kind") != KIND:
        raise _config_error(f"expected apiVersion {API_VERSION} and kind {KIND}, got {config.get('apiVersion')!r} and {config.get('kind')!r}",
                            config_doc, prefix)
    for k in config:
        if k not in _ALLOWED_KEYS:
            raise _config_error(f"unknown key {k!r} in the {KIND} config", config_doc, prefix + (k,), "allowed: " + ", ".join(sorted(_ALLOWED_KEYS)), key=True)
    has_spec, has_file = "spec" in config, "specFile" in config
    if has_spec == has_file:
        raise _config_error("give the spec inline (spec:) or as a file (specFile:), exactly one of them", config_doc, prefix)
    if has_spec:
        # kustomize passes a re-serialized copy of the config: its line numbers mean nothing to
        # the user, and its JSON round trip has already typed values the YAML 1.1 way (`0755`
        # arrives as 493). So the user's own file, found through the kustomization, is read instead.
        own = find_config_source(config)
        if own is not None:
            docs = [_checked_spec(own)]
        else:
            docs = [_checked_spec(_subdocument(config_doc, prefix + ("spec",), unpositioned_name(config)))]
    else:
        files = config["specFile"]
        files = [files] if isinstance(files, str) else files
        if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
            raise _config_error("specFile is a path, or a list of paths merged in order", config_doc, prefix + ("specFile",))
        root = kustomization_root()
        layers = []
        for i, f in enumerate(files):
            where = prefix + ("specFile",) + ((i,) if isinstance(config["specFile"], list) else ())
            path = os.path.join(base_dir, f) if base_dir != "." else f if root == "." or os.path.isabs(f) else os.path.join(root, f)
            _check_load_restrictions(path, f, root, config_doc, where)
            layers.append(_guarded_spec(pipeline.spec_document(path)))
        docs = [layers[0] if len(layers) == 1 else merge(layers)]
    kube = config.get("kubeVersion")
    if kube is not None:
        from ..validate.k8s_schema import normalize_version

        try:
            normalize_version(str(kube))
        except K8sgenError as e:  # the version is in the config: point there, not at `<input>`
            from dataclasses import replace

            raise K8sgenError([replace(p, pos=config_doc.locate(prefix + ("kubeVersion",))) for p in e.problems], EXIT_USAGE) from None
    strict = config.get("strict", False)
    if not isinstance(strict, bool):
        # `strict: "false"` is text, and bool("false") is True: refuse, like kustomize's own fields.
        raise _config_error(f"strict must be true or false, got {strict!r}", config_doc, prefix + ("strict",))
    return Config(docs, None if kube is None else str(kube), strict)


def kustomization_root() -> str:
    """The kustomization's directory: kustomize names it for exec plugins and runs KRM functions in it."""
    return os.environ.get("KUSTOMIZE_PLUGIN_CONFIG_ROOT") or "."


def _check_load_restrictions(path: str, written: str, root: str, config_doc: Document, where: tuple) -> None:
    """kustomize's LoadRestrictionsRootOnly: a file the config names is under the kustomization
    root, symlinks resolved, unless the user lifted that in the environment."""
    from .paths import is_inside

    if os.environ.get(LOAD_RESTRICTOR_ENV) == LOAD_RESTRICTIONS_NONE:
        return
    if "\0" in written or not is_inside(path, root):
        raise _config_error(
            f"specFile {written!r} is not under the kustomization root {os.path.realpath(root)}",
            config_doc, where,
            f"keep spec files beside the kustomization, or set {LOAD_RESTRICTOR_ENV}={LOAD_RESTRICTIONS_NONE} (as kustomize's --load-restrictor)",
        )


def _guarded_spec(doc: Document) -> Document:
    """A spec file named by a config: a file that is no mapping of spec keys is refused without
    showing anything of it, and of unknown keys only the first is named (the config is not the
    user's command line, and the messages may end up in a CI log)."""
    from ..spec_schema import spec_schema

    data = doc.data
    allowed = set(spec_schema().get("properties", {}))
    if isinstance(data, dict) and data and not set(data) & allowed:
        raise K8sgenError(Problem(message="this file is not a k8sgen spec: none of its top-level keys is a spec key", rule="spec-not-mapping",
                                  pos=SourcePos(doc.file, 0, 0), hint="allowed keys: " + ", ".join(sorted(allowed))), EXIT_USAGE)
    unknown = [k for k in data if k not in allowed] if isinstance(data, dict) else []
    if unknown:
        raise K8sgenError(Problem(message=f"unknown key {unknown[0]!r}", rule="spec-unknown-key", pos=doc.locate((unknown[0],), key=True),
                                  hint="allowed keys: " + ", ".join(sorted(allowed))), EXIT_USAGE)
    return doc


def unpositioned_name(config: dict) -> str:
    """The pseudo file name of an inline spec whose source file was not found (see `reposition`)."""
    return f"<{config_name(config)}>"


def reposition(problems: list, config: dict, transport: str | None = None) -> list:
    """Problems located where the user cannot look become `K8sGen/name: path: message` problems
    at the kustomization that lists the generator (or at no file, when it is not known): those in
    the pseudo file of an inline spec, and those in `transport`, the copy of the config kustomize
    handed over (`/tmp/kust-plugin-config-N`, or the ResourceList on stdin)."""
    from dataclasses import replace

    pseudo = unpositioned_name(config)
    where = kustomization_file()
    at = SourcePos(where, 0, 0) if where else None
    out = []
    for p in problems:
        if p.pos is not None and p.pos.file == pseudo:
            p = replace(p, pos=at) if p.object else replace(p, pos=at, object=config_name(config), path=("spec",) + tuple(p.path))
        elif p.pos is not None and transport is not None and p.pos.file == transport:
            p = replace(p, pos=at, object=p.object or config_name(config))
        out.append(p)
    return out


def kustomization_file() -> str | None:
    """The kustomization file of the directory kustomize runs the generator for, as shown."""
    root = os.environ.get("KUSTOMIZE_PLUGIN_CONFIG_ROOT")
    if not root:
        return None
    for kname in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        path = os.path.join(root, kname)
        if os.path.isfile(path):
            return _display(path, root)
    return None


def _display(path: str, root: str) -> str:
    return os.path.relpath(path) if not os.path.isabs(root) or path.startswith(os.getcwd()) else path


def find_config_source(config: dict) -> Document | None:
    """The `spec:` of the user's K8sGen file that kustomize took this config from, with positions.

    kustomize runs generators in the kustomization's directory (and names it in
    KUSTOMIZE_PLUGIN_CONFIG_ROOT for exec plugins); its generators/transformers entries that are
    files are searched for a K8sGen object of the same name.
    """
    d = user_config(config)
    if d is None or not isinstance(d.data, dict) or "spec" not in d.data:
        return None
    from .. import spec_schema

    sub = _subdocument(d, ("spec",), d.file)
    spec_schema.coerce(sub)
    return sub


def user_config(config: dict) -> Document | None:
    """The user's own K8sGen object, with positions, that kustomize copied this config from, or
    None (an inline generator in the kustomization, or no kustomization found)."""
    from .. import yamlio

    from .paths import is_inside

    root = kustomization_root()
    name = (config.get("metadata") or {}).get("name") if isinstance(config.get("metadata"), dict) else None
    for kname in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        kpath = os.path.join(root, kname)
        if os.path.isfile(kpath):
            break
    else:
        return None
    try:
        # Through k8sgen's own loader: its depth, alias and size limits hold for this file too.
        text, _ = yamlio.read_text(kpath)
        kdocs = yamlio.load_documents(text, kpath, mode="k8s")
        kust = kdocs[0].data if len(kdocs) == 1 else None
        entries = [e for key in ("generators", "transformers", "validators") for e in (kust.get(key) or []) if isinstance(e, str) and "\n" not in e]
    except (K8sgenError, AttributeError, TypeError):
        return None
    for e in entries:
        path = os.path.normpath(os.path.join(root, e))
        if not os.path.isfile(path) or not is_inside(path, root):
            continue
        display = _display(path, root)
        try:
            text, _ = yamlio.read_text(path)
            docs = yamlio.load_documents(text, display, mode="spec")
        except K8sgenError:
            continue
        for d in docs:
            data = d.data
            if isinstance(data, dict) and data.get("kind") == KIND and isinstance(data.get("metadata"), dict) and data["metadata"].get("name") == name:
                return d
    return None


def _checked_spec(doc: Document) -> Document:
    from ..pipeline import is_manifest

    if not isinstance(doc.data, dict) or is_manifest(doc.data):
        raise K8sgenError(Problem(message="spec: must be a k8sgen spec (a mapping with pods, services, …)", rule="spec-not-mapping", pos=doc.locate(())), EXIT_USAGE)
    return doc


def _get(data, path: tuple):
    for p in path:
        if isinstance(data, dict) and p in data:
            data = data[p]
        elif isinstance(data, list) and isinstance(p, int) and p < len(data):
            data = data[p]
        else:
            return None
    return data


def _subdocument(doc: Document, prefix: tuple, name: str) -> Document:
    pm = PositionMap(name)
    n = len(prefix)
    for table in ("values", "keys", "raw"):
        src = getattr(doc.positions, table)
        dst = getattr(pm, table)
        for path, v in src.items():
            if path[:n] == prefix:
                dst[path[n:]] = v
    # Positions are in the config text as kustomize passed it: name it, not a file of the user's.
    return Document(_get(doc.data, prefix), pm)


def _config_error(message: str, doc: Document, path: tuple, hint: str = "", key: bool = False) -> K8sgenError:
    # `path` inside the K8sGen object (not the ResourceList) is kept, so that a problem moved off
    # kustomize's copy of the config (`reposition`) still says where in the generator it is.
    inner = tuple(path[1:]) if path[:1] == ("functionConfig",) else tuple(path)
    return K8sgenError(Problem(message=message, rule="kustomize-config", pos=doc.locate(path, key), hint=hint, path=inner), EXIT_USAGE)


def results(problems: list) -> list[dict]:
    """Problems as KRM `results` entries (functions spec: message, severity, file, field, tags)."""
    from ..fieldpath import format_path

    out = []
    for p in problems:
        r: dict = {"message": p.message + (f" (hint: {p.hint})" if p.hint else ""), "severity": "error" if p.is_error else "warning"}
        if p.pos and p.pos.file:
            r["file"] = {"path": p.pos.file}
        if p.path:
            r["field"] = {"path": format_path(p.path)}
        if p.object:
            kind, _, rest = p.object.partition("/")
            ns, _, name = rest.rpartition("/")
            ref = {"kind": kind, "name": name}
            if ns:
                ref["namespace"] = ns
            r["resourceRef"] = ref
        tags = {"rule": p.rule}
        if p.pos and p.pos.line:
            tags["position"] = f"{p.pos.line}:{p.pos.col}"
        r["tags"] = tags
        out.append(r)
    return out


def resource_list_text(api_version: str, items: list, generated: list, problems: list) -> str:
    from .. import yamltext
    from .kustomize import file_names

    new_items = []
    names = file_names([r.obj for r in generated])
    for name, r in zip(names, generated, strict=True):
        obj = dict(r.obj)
        meta = dict(obj.get("metadata") or {})
        # kpt's guidance: new resources get a path; kustomize strips these annotations again.
        meta["annotations"] = {**(meta.get("annotations") or {}), "config.kubernetes.io/path": name, "internal.config.kubernetes.io/path": name}
        obj["metadata"] = meta
        new_items.append(obj)
    rl: dict = {"apiVersion": api_version, "kind": "ResourceList", "items": list(items) + new_items}
    if problems:
        rl["results"] = results(problems)
    return yamltext.document(rl)


def unreadable(message: str, hint: str = "") -> K8sgenError:
    return K8sgenError(Problem(message=message, rule="kustomize-input", pos=SourcePos("<stdin>", 0, 0), hint=hint), EXIT_USAGE)
