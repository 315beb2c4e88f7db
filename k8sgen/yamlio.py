"""Reading YAML safely, with a position for every node. The only module that imports PyYAML
for loading.

PyYAML's own loaders are not used to build data, because they keep the last of duplicate
keys silently, follow YAML 1.1 (`yes` is a boolean, `0755` is octal, `1:30` is 90), expand
aliases without limit and know no positions after loading. Instead the document is
*composed* into nodes (libyaml when available) and the nodes are turned into data here.

Two ways to resolve plain scalars:
- "spec": YAML 1.2 core (only true/false, null, and plain numbers are not strings; leading-zero
  numbers stay strings). The spec schema then decides the final type of each value, using the
  text kept in `PositionMap.raw`.
- "k8s": YAML 1.1, as kubectl and the API server read manifests (`yes` is a boolean there).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from .errors import SourcePos, input_error
from .source import Document, PositionMap

try:  # libyaml makes composing several times faster; fall back to pure Python.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_INPUT_BYTES = 64 * 1024 * 1024  # a file larger than this is refused (README: Limits)
MAX_DEPTH = 100  # nesting deeper than this is refused; no Kubernetes object comes close
MAX_ALIAS_NODES = 10_000  # nodes an alias may expand to, in total per document ("billion laughs")
# Characters of text that aliases may repeat, in total per document: few nodes can still be huge
# (one 100 KB string aliased 5,000 times is a 500 MB object). 4 MiB is more than any object the
# API server takes (3 MiB request body), so no valid spec or manifest needs more.
MAX_ALIAS_CHARS = 4 * 1024 * 1024
# libyaml composes nodes by C recursion: some 50,000 nested collections crash the process, and
# deep flow nesting composes in quadratic time (5,000 levels: 0.2 s; 10,000: 2 s). Input that may
# nest deeper than this is walked first (about a third of the cost of composing) and refused at
# MAX_DEPTH; below it, composing is safe and quick and the node builder refuses at MAX_DEPTH.
_SAFE_COMPOSE_DEPTH = 2_000
_BLOCK_PREFIX = re.compile(r"^ *(?:[-?:]+[ \t]+)*", re.M)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
# YAML's printable set; anything else is refused by the reader without a line and column.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_T = "tag:yaml.org,2002:"
# Python converts at most this many decimal digits between int and str (sys.int_info,
# default_max_str_digits): a longer number would fail later, in validation or output, as an
# internal error. No Kubernetes field holds such a number (int64 has 19 digits): refused here.
MAX_INT_DIGITS = 4300
_INT_CEILING = 10**MAX_INT_DIGITS
_STD_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary", "value")}
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+\Z")
_OCT_RE = re.compile(r"0o[0-7]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+|\.[0-9]+[eE][-+]?[0-9]+)\Z")
_INF_NAN = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
_BOOLS = {"true": True, "false": False}
_NULLS = {"", "~", "null"}


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _Fallback(Exception):
    """Something the fast builder leaves to PyYAML's own constructor."""


class _MemoLoader(_Loader):
    """libyaml with the implicit-tag resolution of plain scalars memoized.

    Composing calls the (pure Python) resolver for every scalar, and rendered output repeats
    the same few hundred values thousands of times; the answer depends only on the value and
    the implicit flags, as long as no resolvers are added at run time (k8sgen adds none).
    """

    _tags: dict = {}  # implicit flags -> {value: tag}

    def resolve(self, kind, value, implicit):
        # Also called on the class itself (`_implicit_tag`), hence no super().
        if kind is not yaml.ScalarNode:
            # Without path resolvers (SafeLoader has none) a collection's tag is the default.
            return _DEFAULT_TAGS[kind] if not self.yaml_path_resolvers else _Loader.resolve(self, kind, value, implicit)
        tags = _MemoLoader._tags.get(implicit)
        if tags is None:
            tags = _MemoLoader._tags[implicit] = {}
        tag = tags.get(value)
        if tag is None:
            if len(tags) > 200_000:
                tags.clear()
            tag = tags[value] = _Loader.resolve(self, kind, value, implicit)
        return tag

    def descend_resolver(self, current_node, current_index):
        if self.yaml_path_resolvers:  # called for every collection; a no-op without them
            _Loader.descend_resolver(self, current_node, current_index)

    def ascend_resolver(self):
        if self.yaml_path_resolvers:
            _Loader.ascend_resolver(self)


_DEFAULT_TAGS = {yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


def _implicit_tag(value: str) -> str:
    """The tag a plain scalar gets without an explicit one."""
    return _MemoLoader.resolve(_MemoLoader, yaml.ScalarNode, value, (True, False))


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


def load_rendered(text: str):
    """Exactly `yaml.load(text, Loader=CSafeLoader)`, about twice as fast on rendered output.

    The constructor's generic machinery (object cache, generators for two-step construction,
    merge-key flattening) is for anchors, aliases, merge keys and custom tags, which rendered
    output never contains; a document that does contain one goes to `yaml.load` itself.
    tests/test_render_parse.py compares both on every example and on generated documents.
    """
    loader = _MemoLoader(text)
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


def read_text(path: str, stdin_name: str = "<stdin>") -> tuple[str, str]:
    """Read a file (or stdin for "-") as text. Returns (text, display name)."""
    if path == "-":
        name = stdin_name
        stream = getattr(sys.stdin, "buffer", None)  # sys.stdin is None when started with `<&-`
        if stream is None:
            raise input_error("cannot read: stdin is closed", SourcePos(name, 0, 0), hint="pipe the spec in, or name the file", rule="input-unreadable")
        try:
            data = stream.read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            raise input_error(f"cannot read: {e.strerror or e}", SourcePos(name, 0, 0), rule="input-unreadable") from None
    else:
        p = Path(path)
        name = path
        if not path:  # Path("") is ".", which would be reported as a directory
            raise input_error("the path is empty", SourcePos('""', 0, 0), hint="name a spec file, or '-' to read from stdin", rule="input-missing")
        if not p.exists():
            hint = ("it looks like an option, but it stands after `--` (or in a pre-commit hook's args:), where everything is a file name; "
                    "put options before the `--` (in a hook, override `entry:`)") if path.startswith("--") else "check the path; use '-' to read from stdin"
            raise input_error("no such file", SourcePos(path, 0, 0), hint=hint, rule="input-missing")
        if p.is_dir():
            raise input_error("is a directory, not a file", SourcePos(path, 0, 0), hint="name the spec files inside it, e.g. DIR/*.yaml", rule="input-directory")
        try:
            with open(p, "rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            raise input_error(f"cannot read: {e.strerror}", SourcePos(path, 0, 0), rule="input-unreadable") from None
    if len(data) > MAX_INPUT_BYTES:
        raise input_error(
            f"file is larger than the limit of {MAX_INPUT_BYTES // (1024 * 1024)} MiB",
            SourcePos(name, 0, 0),
            hint="split it into several files",
            rule="input-too-large",
        )
    return decode(data, name), name


def decode(data: bytes, name: str) -> str:
    """UTF-8 with an optional BOM; anything else is an error pointing at the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise input_error(
            f"not valid UTF-8: byte 0x{data[e.start]:02x} cannot start or continue a character",
            SourcePos(name, line, col),
            hint="save the file as UTF-8",
            rule="input-encoding",
        ) from None


def load_documents(text: str, name: str, mode: str = "k8s") -> list[Document]:
    """Compose every document of a YAML stream and build data with positions."""
    try:
        if _may_nest_deeper(text, _SAFE_COMPOSE_DEPTH):
            _check_depth(text, name)
        nodes = list(yaml.compose_all(text, Loader=_MemoLoader))
    except yaml.MarkedYAMLError as e:
        # Some libyaml builds (the one in PyYAML 6.0.4's wheels) refuse nesting of their own
        # (1,000 levels) while composing, before k8sgen's builder could refuse it at MAX_DEPTH.
        # k8sgen's limit is k8sgen's: whichever error the library raises, nesting deeper than
        # MAX_DEPTH before that point is reported as yaml-depth, the same on every PyYAML.
        _check_depth_before_error(text, name)
        raise _syntax_error(e, name, text) from None
    except yaml.YAMLError as e:  # the reader's errors (bad characters) carry no mark
        raise _character_error(e, name, text) from None
    except RecursionError:
        raise input_error("nesting is too deep to read", SourcePos(name, 0, 0), hint=f"at most {MAX_DEPTH} levels", rule="yaml-depth") from None
    docs = []
    for i, node in enumerate(nodes):
        if node is None:
            continue
        pm = PositionMap(name)
        data = _Builder(pm, mode, text, aliases="*" in text).build(node)
        if data is None:
            continue  # an empty document (`---` with nothing after it) is no document
        docs.append(Document(data, pm, i))
    return docs


def load_file(path: str, mode: str = "k8s") -> list[Document]:
    text, name = read_text(path)
    return load_documents(text, name, mode)


def _may_nest_deeper(text: str, limit: int) -> bool:
    """A cheap upper bound on nesting: every block level starts at a new indentation column (two
    levels per column at most: a list directly under a key may share its column) or after an
    indicator (`- `, `? `, `: `) on its line, so block levels are at most 2 * (P + 1) for the
    longest such line prefix P; flow levels open with `[` or `{`, or with a `:` in a flow
    sequence (`[a: b]` is a sequence of a one-pair mapping, at most one per sequence level), so
    they nest no deeper than twice the `[` plus the `{` in the text, nor than the running depth
    yamldepth's scan finds (a fifth of the cost of walking the parser's events; None when it
    cannot tell)."""
    flow = 2 * text.count("[") + text.count("{")
    if not _prefix_longer_than(text, (limit - flow) // 2 - 1):
        return False
    if flow <= limit:
        return True  # the block levels alone may reach the limit
    from .yamldepth import flow_depth  # only texts with many brackets: off a small run's start-up

    depth = flow_depth(text, stop=limit)
    return depth is None or _prefix_longer_than(text, (limit - depth) // 2 - 1)


_PREFIXES: dict[int, tuple] = {}


def _prefix_longer_than(text: str, k: int) -> bool:
    """Whether some line's block prefix (_BLOCK_PREFIX) is longer than k characters: only if the
    line starts with k + 1 of its characters, which one search finds (a tenth of the cost of
    measuring every line's prefix)."""
    if k < 0:
        return True
    found = _PREFIXES.get(k)
    if found is None:
        if len(_PREFIXES) > 64:
            _PREFIXES.clear()
        found = _PREFIXES[k] = (re.compile("[ \t?:-]{%d}" % (k + 1)), re.compile("\n[ \t?:-]{%d}" % (k + 1)))
    if found[0].match(text) or found[1].search(text):
        return max(m.end() - m.start() for m in _BLOCK_PREFIX.finditer(text)) > k
    return False


def _check_depth(text: str, name: str, loader=_Loader) -> None:
    """Walk the parser's events (iterative in libyaml) and stop at the first collection nested
    deeper than MAX_DEPTH, where the node builder would stop too."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if depth > MAX_DEPTH:
                m = event.start_mark
                raise input_error(f"nesting deeper than {MAX_DEPTH} levels", SourcePos(name, m.line + 1, m.column + 1), rule="yaml-depth")
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_depth_before_error(text: str, name: str) -> None:
    """Raise yaml-depth if the text nests deeper than MAX_DEPTH before the point where the YAML
    library stopped; any other error of the walk is the library's own and left to the caller.

    The walk uses PyYAML's pure-Python parser, which has no nesting limit of its own: libyaml's
    scanner looks ahead up to 1,024 characters for a possible simple key, so on a line of
    brackets it reaches its own limit before the parser has emitted the collection at
    MAX_DEPTH. Only error paths of text that may nest that deep pay for it."""
    if not _may_nest_deeper(text, MAX_DEPTH):
        return
    try:
        _check_depth(text, name, yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        pass


def _character_error(e: yaml.YAMLError, name: str, text: str):
    m = _NOT_PRINTABLE.search(text)
    if m is None:  # pragma: no cover - the reader refuses nothing else
        return input_error(f"invalid YAML: {str(e).splitlines()[0]}", SourcePos(name, 0, 0), rule="yaml-syntax")
    before = text[: m.start()]
    line = before.count("\n") + 1
    col = m.start() - (before.rfind("\n") + 1) + 1
    o = ord(m.group())
    escape = f"\\x{o:02X}" if o < 0x100 else f"\\u{o:04X}"
    return input_error(
        f"invalid YAML: character U+{o:04X} is not allowed in YAML text",
        SourcePos(name, line, col),
        hint=f'write it as an escape inside a double-quoted string: "{escape}"',
        rule="yaml-character",
    )


def _syntax_error(e: yaml.MarkedYAMLError, name: str, text: str):
    mark = e.problem_mark or e.context_mark
    pos = SourcePos(name, mark.line + 1, mark.column + 1) if mark else None
    problem = (e.problem or "invalid YAML").strip()
    hint = ""
    line_text = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "\t" in line_text[: (mark.column + 1) if mark else 0] or "'\\t'" in problem:
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    elif mark and "escape" in problem and _SURROGATE_ESCAPE.search(line_text, max(0, mark.column - 3), mark.column + 6):
        # JSON writers escape emoji as UTF-16 surrogate pairs ("\ud83d\ude00"); YAML has none.
        hint = "\\ud800-\\udfff are UTF-16 surrogates, not characters: write the character itself, or one escape such as \\U0001F600"
    elif e.context:
        hint = e.context.strip()
        if e.context_mark and e.context_mark is not mark:
            hint += f" (line {e.context_mark.line + 1})"
    return input_error(f"invalid YAML: {problem}", pos, hint=hint, rule="yaml-syntax")


class _Builder:
    """Turns composed nodes into plain data while recording positions."""

    def __init__(self, pm: PositionMap, mode: str, text: str | None = None, aliases: bool = True):
        self.pm = pm
        # Scalars long enough to matter, by node: an alias to a scalar is the same node again.
        # Kept only when the text may hold an alias at all (`*`).
        self.long_scalars: set | None = set() if aliases else None
        self.mode = mode
        self.text = text  # to trim the line breaks a block scalar's end mark includes
        self.last_end: tuple = (1, 1)  # end of the node built last: a block collection ends there
        self.seen: set[int] = set()
        self.alias_nodes = 0
        self.alias_chars = 0
        self.in_alias = 0
        self.alias_at: SourcePos | None = None  # where the alias being expanded is used
        self._std = yaml.constructor.SafeConstructor()

    def pos(self, node) -> SourcePos:
        m = node.start_mark
        return SourcePos(self.pm.file, m.line + 1, m.column + 1)

    def build(self, root):
        # An explicit stack instead of recursion: deep documents must fail with a message,
        # not with a RecursionError.
        return self._node(root, (), 0)

    def _node(self, node, path: tuple, depth: int):
        if depth > MAX_DEPTH:
            raise input_error(f"nesting deeper than {MAX_DEPTH} levels", self.pos(node), rule="yaml-depth")
        reused = id(node) in self.seen
        m = node.start_mark
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if reused:
                if not self.in_alias:
                    # Composed nodes keep no mark of the alias itself, only of its anchor: point
                    # at the key (or list) that holds it, where the expansion starts.
                    self.alias_at = self.pm.locate(path, key=True) if path in self.pm.keys else self.pm.locate(path[:-1])
                self.in_alias += 1
            self.seen.add(id(node))
        start = (m.line + 1, m.column + 1)
        self.pm.values[path] = start  # the extent is completed below, once the node is built
        if self.in_alias or reused:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise input_error(
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes",
                    self.alias_at or self.pos(node),
                    hint="this looks like an alias bomb; write the values out or use fewer aliases",
                    rule="yaml-alias-limit",
                )
        try:
            if isinstance(node, yaml.MappingNode):
                result = self._mapping(node, path, depth)
            elif isinstance(node, yaml.SequenceNode):
                if node.tag != _T + "seq":
                    raise self._tag_error(node)
                result = [self._node(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
            else:
                if self.in_alias or reused or self._scalar_reused(node):
                    self._count_alias_chars(node, path)
                result = self._scalar(node, path)
            # A block collection's end mark is the start of whatever follows it (comments and
            # blank lines included): it ends where its last entry ends.
            end = self.last_end if node.value and getattr(node, "flow_style", True) is False else self._end(node)
            self.pm.values[path] = start + end
            self.last_end = end
            return result
        finally:
            if reused and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
                self.in_alias -= 1

    def _scalar_reused(self, node) -> bool:
        # Shorter scalars cannot grow the document much: `*a` itself takes 2 characters or more.
        if self.long_scalars is None or len(node.value) < 16:
            return False
        if id(node) in self.long_scalars:
            return True
        self.long_scalars.add(id(node))
        return False

    def _count_alias_chars(self, node, path: tuple | None = None) -> None:
        """Bound the expanded size, not only the node count (MAX_ALIAS_CHARS)."""
        self.alias_chars += len(node.value)
        if self.alias_chars > MAX_ALIAS_CHARS:
            used_at = self.pm.locate(path, key=True) if path is not None and path in self.pm.keys else None
            raise input_error(
                f"aliases expand to more than {MAX_ALIAS_CHARS // (1024 * 1024)} MiB of text",
                self.alias_at or used_at or self.pos(node),
                hint="this looks like an alias bomb; write the values out or use fewer aliases",
                rule="yaml-alias-limit",
            )

    def _mapping(self, node, path: tuple, depth: int) -> dict:
        if node.tag != _T + "map":
            raise self._tag_error(node)
        out: dict = {}
        first: dict = {}
        for knode, vnode in node.value:
            if knode.tag == _T + "merge":
                raise input_error(
                    "merge keys (<<) are not supported",
                    self.pos(knode),
                    hint="repeat the keys, or use an alias for the whole value",
                    rule="yaml-merge-key",
                )
            if not isinstance(knode, yaml.ScalarNode):
                raise input_error("a mapping key must be a plain value, not a mapping or a list", self.pos(knode), rule="yaml-complex-key")
            if self.in_alias:
                self._count_alias_chars(knode)
            key = self._scalar(knode, None)
            if not isinstance(key, str):
                # Keys are names; `80: x` or `true: x` mean the text as written.
                key = knode.value
            if key in first:
                p = self.pos(first[key])
                raise input_error(
                    f"duplicate key {key!r} (first defined at line {p.line}, column {p.col})",
                    self.pos(knode),
                    hint="YAML keys must be unique; remove or rename one of them",
                    rule="yaml-duplicate-key",
                )
            first[key] = knode  # its position is made only for the error (one per key cost 5% of a load)
            child = path + (key,)
            km, ke = knode.start_mark, knode.end_mark
            self.pm.keys[child] = (km.line + 1, km.column + 1, ke.line + 1, ke.column + 1)
            out[key] = self._node(vnode, child, depth + 1)
        return out

    def _end(self, node) -> tuple:
        e = node.end_mark
        if node.__class__ is yaml.ScalarNode and node.style in ("|", ">") and self.text is not None:
            # A block scalar's end mark is past its final line break (and trailing blank lines).
            t, stop = self.text, e.index
            i = stop
            while i > node.start_mark.index and t[i - 1] in " \t\r\n":
                i -= 1
            return (e.line + 1 - t.count("\n", i, stop), i - t.rfind("\n", 0, i))
        return (e.line + 1, e.column + 1)

    def _tag_error(self, node):
        tag = node.tag
        if tag.startswith(_T):
            tag = "!!" + tag[len(_T):]
        return input_error(
            f"YAML tag {tag} is not allowed",
            self.pos(node),
            hint="k8sgen reads plain data only; remove the tag (quote the value if it must be text)",
            rule="yaml-tag",
        )

    def _scalar(self, node, path):
        value = node.value
        tag = node.tag
        if tag == _STR and self.mode == "k8s":
            # Text, quoted or plain (a plain scalar gets this tag only if YAML 1.1 resolves it
            # as text, or from an explicit `!!str`): what the steps below come to, 12% sooner.
            return value
        if node.style is not None and node.style != "":
            # Quoted or block scalars are text, unless explicitly tagged.
            if tag == _T + "str":
                return value
            if tag not in _STD_SCALAR_TAGS:
                raise self._tag_error(node)
            return self._keep_raw(self._typed(node, tag, path), value, path)
        implicit = _implicit_tag(value)
        if tag != implicit:
            # An explicit tag on a plain scalar (`!!str 0755`, `!foo x`).
            if tag == _T + "str":
                return value
            if tag not in _STD_SCALAR_TAGS:
                raise self._tag_error(node)
            return self._keep_raw(self._typed(node, tag, path), value, path)
        if self.mode == "spec":
            try:
                resolved = resolve_core(value)
            except NumberTooLong:
                raise number_too_long(self.pos(node)) from None
        else:
            resolved = self._typed(node, tag, path)
        if path is not None and not isinstance(resolved, str):
            self.pm.raw[path] = value
        return resolved

    def _keep_raw(self, resolved, value: str, path):
        # `!!int "0x1F"` in a field the schema types as text is still the text as written.
        if path is not None and not isinstance(resolved, str):
            self.pm.raw[path] = value
        return resolved

    def _typed(self, node, tag, path):
        try:
            if tag == _T + "timestamp" or tag == _T + "binary" or tag == _T + "value":
                return node.value  # kept as text: Kubernetes has no timestamp or binary scalars
            if tag == _T + "int":
                number = self._std.construct_yaml_int(node)
                if abs(number) >= _INT_CEILING:
                    raise NumberTooLong(node.value)
                return number
            if tag == _T + "float":
                return self._std.construct_yaml_float(node)
            if tag == _T + "bool":
                return self._std.construct_yaml_bool(node)
            if tag == _T + "null":
                return None
        except (ValueError, yaml.YAMLError) as e:
            if isinstance(e, NumberTooLong) or (tag == _T + "int" and len(node.value) > MAX_INT_DIGITS):
                raise number_too_long(self.pos(node)) from None
            raise input_error(f"{node.value!r} is not a valid {tag[len(_T):]}", self.pos(node), rule="yaml-tag") from None
        return node.value


class NumberTooLong(ValueError):
    """A plain number with more than MAX_INT_DIGITS digits (see there)."""


def _bounded_int(text: str, base: int) -> int:
    if base == 10 and len(text) > MAX_INT_DIGITS + 1:
        raise NumberTooLong(text)  # without converting: that alone takes time quadratic in the length
    try:
        value = int(text, base)
    except ValueError:
        raise NumberTooLong(text) from None
    if abs(value) >= _INT_CEILING:
        raise NumberTooLong(text)
    return value


def number_too_long(pos: SourcePos):
    """The error for a NumberTooLong at `pos`."""
    return input_error(
        f"a number with more than {MAX_INT_DIGITS} digits",
        pos,
        hint="no Kubernetes field holds such a number; quote it if it is meant as text",
        rule="yaml-number-too-long",
    )


def resolve_core(text: str):
    """Resolve a plain scalar the YAML 1.2 core way, with leading-zero numbers kept as text."""
    try:
        return _CORE[text]
    except KeyError:
        pass
    value = _resolve_core(text)
    if len(_CORE) > 200_000:
        _CORE.clear()
    _CORE[text] = value
    return value


_CORE: dict = {}  # memo of resolve_core: specs repeat the same values many times


def _resolve_core(text: str):
    if text in _NULLS or text in ("Null", "NULL"):
        return None
    low = text.lower()
    if low in _BOOLS and text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return _BOOLS[low]
    if _INT_RE.match(text):
        return _bounded_int(text, 10)
    if _HEX_RE.match(text):
        return _bounded_int(text, 16)
    if _OCT_RE.match(text):
        return _bounded_int(text[2:], 8)
    if _FLOAT_RE.match(text):
        return float(text)
    if low in _INF_NAN:
        return _INF_NAN[low]
    return text
