"""The pipeline, importable without the CLI.

    load spec -> check against the spec schema -> normalize -> render (Jinja) -> parse
    -> validate (Kubernetes schema, API-server rules, cross-object checks, lint) -> objects

`render_specs` returns every rendered object and every problem; it raises `K8sgenError` only when
nothing can be rendered (unreadable or invalid specs). Callers decide what problems mean: the
CLI refuses to print anything when there is an error (or a warning under --strict).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence, Union

from . import spec_schema, yamlio
from .errors import K8sgenError, Problem, SourcePos, SpecError, input_error
from .normalize import normalize
from .templating import RenderedObject, render_items, sort_key
from .source import Document, PositionMap

SpecInput = Union[str, Mapping]


def is_manifest(data) -> bool:
    """A Kubernetes object (or List) rather than a k8sgen spec: it has apiVersion and kind."""
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def spec_document(source: SpecInput, name: str | None = None) -> Document:
    """A spec as a Document: from a path ("-" for stdin), YAML text via `name`, or a mapping."""
    if isinstance(source, Mapping):
        import copy

        pm = PositionMap(name or "<spec>")
        return Document(copy.deepcopy(dict(source)), pm)
    text, display = yamlio.read_text(source)
    return parse_spec_text(text, name or display)


def parse_spec_text(text: str, name: str) -> Document:
    docs = yamlio.load_documents(text, name, mode="spec")
    if not docs:
        raise SpecError(Problem(message="the spec is empty", rule="spec-empty", pos=SourcePos(name, 1, 1), hint="start from `k8sgen init STORY`; `k8sgen schema` lists every key a spec may have"))
    if len(docs) > 1:
        pos = docs[1].locate(())
        raise SpecError(Problem(message="a spec file holds one YAML document, this one has more", rule="spec-multiple-documents", pos=pos, hint="put each spec in its own file, or merge them into one"))
    doc = docs[0]
    if not isinstance(doc.data, dict):
        raise SpecError(Problem(message="a spec is a mapping of keys (namespace, pods, services, …) at the top level", rule="spec-not-mapping", pos=doc.locate(())))
    if is_manifest(doc.data):
        raise SpecError(Problem(message="this is a Kubernetes manifest, not a k8sgen spec", rule="spec-is-manifest", pos=doc.locate(()), hint="use `k8sgen validate` to check manifests"))
    return doc


@dataclass
class Result:
    objects: list = field(default_factory=list)  # RenderedObject, in apply order
    problems: list = field(default_factory=list)  # Problem, sorted

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list:
        return [p for p in self.problems if not p.is_error]


def default_kube_version() -> str:
    from .validate.k8s_schema import DEFAULT_VERSION

    return DEFAULT_VERSION


def render_specs(specs: Sequence[SpecInput], kube_version: str | None = None, profile: str | None = None,
                 ignore: frozenset = frozenset()) -> Result:
    """Render several specs together and validate everything.

    `profile` and `ignore` are the run's lint settings (see `lintconfig`); None is lint's default.
    """
    from .errors import sorted_problems
    from .validate import Manifest, validate_manifests
    from .validate.k8s_schema import normalize_version

    version = normalize_version(kube_version or default_kube_version())
    problems: list[Problem] = []
    normalized = []
    for s in specs:
        doc = s if isinstance(s, Document) else spec_document(s)
        found = spec_problems(doc)
        if found:
            problems.extend(found)
            continue
        try:
            normalized.append(normalize(doc))
        except SpecError as e:
            problems.extend(e.problems)
    if problems:
        raise SpecError(problems)
    items = [i for n in normalized for i in n.items]
    _check_duplicates(items)
    objects = render_items(items)
    external: dict = {}
    for n in normalized:
        for kind, names in n.external.items():
            external.setdefault(kind, set()).update(names)
    manifests = [Manifest(obj=r.obj, locate=r.item.locate, ignore=r.item.ignore) for r in objects]
    problems = [w for n in normalized for w in n.warnings]
    # k8sgen made this whole set: the cross-object contradictions it could only have produced
    # from a contradictory spec stop the output (validate.references.RENDER_STOPS).
    from .validate.references import for_render

    problems += for_render(validate_manifests(manifests, version, external, profile=profile, ignore=ignore))
    return Result(objects=objects, problems=sorted_problems(_redact_secrets(problems, objects)))


def _redact_secrets(problems: list, objects: list) -> list:
    """No message or hint may quote a Secret's value (as text or as its base64), whatever rule
    produced it: such a quote becomes `<redacted, N bytes>`. `objects` are the rendered or read
    objects (dicts, or RenderedObjects); every Secret among them counts."""
    import base64
    import binascii
    from dataclasses import replace

    values: dict = {}
    for o in objects:
        obj = getattr(o, "obj", o)
        if not isinstance(obj, dict) or obj.get("kind") != "Secret":
            continue
        for key in ("data", "stringData"):
            entries = obj.get(key)
            for v in (entries.values() if isinstance(entries, dict) else ()):
                if isinstance(v, (dict, list)) or v is None:
                    continue
                text = v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
                raw = text.encode("utf-8", "surrogatepass")
                if key == "data":
                    try:
                        raw = base64.b64decode(text, validate=True)
                        decoded = raw.decode("utf-8", "replace")
                        if len(decoded) >= 3:
                            values[decoded] = len(raw)
                    except (binascii.Error, ValueError):
                        pass
                if len(text) >= 3:  # a shorter value would redact ordinary words
                    values[text] = len(raw)
    if not values:
        return problems
    ordered = sorted(values, key=len, reverse=True)
    out = []
    for p in problems:
        if p.object and not p.object.startswith("Secret/"):
            # Other objects' problems quote their own fields; redacting a short Secret value
            # such as "app" there would only garble them.
            out.append(p)
            continue
        msg, hint = p.message, p.hint
        for v in ordered:
            mark = f"<redacted, {values[v]} bytes>"
            msg, hint = msg.replace(v, mark), hint.replace(v, mark)
        out.append(p if (msg, hint) == (p.message, p.hint) else replace(p, message=msg, hint=hint))
    return out


def spec_problems(doc: Document) -> list[Problem]:
    spec_schema.coerce(doc)
    return spec_schema.check(doc)


def _check_duplicates(items: list) -> None:
    """Two entries (in one spec or in several) that would produce the same object."""
    seen: dict = {}
    problems = []
    for it in items:
        k = (it.kind, it.namespace, it.name)
        first = seen.setdefault(k, it)
        if first is it:
            continue
        where = ".".join(map(str, first.src)) + f" at {first.doc.locate(first.src, True)}"
        problems.append(Problem(
            message=f"{it.kind} {it.name!r} is produced twice (also by {where})",
            rule="spec-duplicate-object",
            pos=it.doc.locate(it.src, True),
            hint="rename one of them" + ("" if first.doc is it.doc else ", or give the specs different namespaces"),
        ))
    if problems:
        raise SpecError(problems)


def render(spec: SpecInput, kube_version: str | None = None, strict: bool = False) -> list[dict]:
    """Render one spec (a path or a mapping) to Kubernetes objects as Python dicts.

    Raises `K8sgenError` (with `.problems`) if the spec is invalid or any object would be
    rejected (with `strict=True`, also on warnings). The dicts can be passed to the Kubernetes
    Python client, e.g. `kubernetes.utils.create_from_dict`.
    """
    result = render_specs([spec], kube_version)
    bad = result.problems if strict else result.errors
    if bad:
        raise SpecError(bad)
    return [r.obj for r in result.objects]


__all__ = ["render", "render_specs", "Result", "RenderedObject", "K8sgenError", "sort_key", "input_error"]


def validate_paths(paths: Sequence[str], kube_version: str | None = None, ignore: Sequence[str] = (),
                   profile: str | None = None, silence: frozenset = frozenset()) -> tuple[list, int]:
    """Validate spec files, manifest files and directories (walked) together.

    `ignore` leaves out paths (patterns, as `--ignore`); `profile` and `silence` (rule ids, from
    a repository's .k8sgen.yaml) are the lint settings of the run.

    Returns (problems, exit code floor): the floor is 2 when an input could not be read or
    parsed, else 0; the caller raises it to 1 for errors. Files that are neither specs nor
    manifests (kustomize and Helm files, other YAML) come back as notes (k8sgen/filekinds.py).
    """
    run = validate_run(paths, kube_version, ignore, profile=profile, silence=silence)
    return run.problems, run.floor


@dataclass
class ValidateRun:
    problems: list = field(default_factory=list)  # sorted; notes included
    floor: int = 0
    objects: list = field(default_factory=list)  # every object checked (manifests and rendered)
    specs: int = 0
    skipped: dict = field(default_factory=dict)  # reason -> number of files
    ignored: int = 0


def validate_run(paths: Sequence[str], kube_version: str | None = None, ignore: Sequence[str] = (),
                 profile: str | None = None, silence: frozenset = frozenset()) -> ValidateRun:
    """`validate_paths` with what the summary needs: the objects, specs and skipped files."""
    import os

    from . import filekinds, inputs
    from .errors import EXIT_USAGE, InputError, sorted_problems
    from .validate import validate_manifests
    from .validate.k8s_schema import normalize_version

    version = normalize_version(kube_version or default_kube_version())
    filekinds.clear_caches()
    expanded = inputs.expand(list(paths), inputs.Ignore(ignore))
    run = ValidateRun(ignored=expanded.ignored)
    problems: list[Problem] = list(expanded.problems)
    manifests: list = []

    def skip(s, file: str) -> None:
        problems.append(s.note(file))
        run.skipped[s.reason] = run.skipped.get(s.reason, 0) + 1

    for path in expanded.files:
        try:
            # A missing or unreadable file is reported as such, whatever its name.
            s = filekinds.skip_by_path(path) if path == "-" or os.path.isfile(path) else None
            if s is not None:
                skip(s, path)
                continue
            text, name = yamlio.read_text(path)
            try:
                docs = yamlio.load_documents(text, name, mode="k8s")
            except InputError as e:
                s = filekinds.lenient_skip(text, e.problems[0].rule if len(e.problems) == 1 else "")
                if s is None:
                    raise
                skip(s, name)
                continue
            if filekinds.is_spec(path, text, docs):
                run.specs += 1
                result = render_specs([parse_spec_text(text, name)], version, profile=profile, ignore=silence)
                problems.extend(result.problems)
                run.objects.extend(r.obj for r in result.objects)
                continue
            s = filekinds.skip_by_content(path, docs)
            if s is not None:
                skip(s, name)
                continue
            for doc in docs:
                manifests.extend(_manifests_of(doc, problems))
        except InputError as e:
            problems.extend(e.problems)
            run.floor = EXIT_USAGE
        except K8sgenError as e:
            problems.extend(e.problems)
    if manifests:
        found = validate_manifests(manifests, version, profile=profile, ignore=silence)
        problems.extend(_redact_secrets(found, [m.obj for m in manifests]))
        run.objects.extend(m.obj for m in manifests)
    if any(p.rule == "input-unreadable" for p in expanded.problems):
        run.floor = EXIT_USAGE
    run.problems = sorted_problems(problems)
    return run


def _manifests_of(doc: Document, problems: list) -> list:
    from .filekinds import meant_as_object
    from .validate import Manifest, ignored_rules

    data = doc.data
    if data is None:
        return []
    if not (is_manifest(data) or meant_as_object(data)):
        problems.append(Problem(
            message="not a Kubernetes object (no apiVersion and kind), in a file of Kubernetes objects",
            rule="input-not-object",
            pos=doc.locate(()),
            hint="every document of a manifest file is an object with apiVersion and kind (kubectl apply refuses the file otherwise)",
        ))
        return []
    if is_manifest(data) and (data.get("kind") == "List" or (isinstance(data.get("kind"), str) and data["kind"].endswith("List") and isinstance(data.get("items"), list))):
        if not isinstance(data.get("items") or [], list):
            problems.append(Problem(message="the items of a List are a list of Kubernetes objects", rule="input-not-object", pos=doc.locate(("items",))))
            return []
        out = []
        for i, item in enumerate(data.get("items") or []):
            if not is_manifest(item):
                problems.append(Problem(message="a List item must be a Kubernetes object", rule="input-not-object", pos=doc.locate(("items", i))))
                continue
            out.append(Manifest(obj=item, locate=_prefixed(doc, ("items", i)), ignore=ignored_rules(item)))
        return out
    return [Manifest(obj=data, locate=doc.locate, ignore=ignored_rules(data))]


def _prefixed(doc: Document, prefix: tuple):
    def locate(path: tuple, key: bool = False):
        return doc.locate(prefix + tuple(path), key)

    return locate
