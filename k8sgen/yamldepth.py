"""How deep a YAML text nests flow collections (`[...]`, `{...}`), found by a text scan.

yamlio must know, before libyaml composes a document, whether it may nest past the depth at
which composing is unsafe (libyaml composes by C recursion). Counting every `[` and `{` is a
bound, but any spec with a few thousand flow collections (`ports: ["80:http"]` per app) passes
it, and then every parse event was walked (a fifth of loading a large spec). This scanner follows
the text the way PyYAML's and libyaml's scanners do, for the part of YAML specs and manifests are
written in, and returns the deepest running flow nesting.

Its one duty is to never return a number below the real nesting: brackets inside quoted scalars,
comments, block scalars and plain scalars are not structure, but a closing bracket counted that
is not real would lower the count. So it recognizes each of those exactly (token starts, plain
scalar continuation lines, block scalar indentation) and returns None (unknown: the caller walks
the parser's events) on anything it does not follow, or where PyYAML and libyaml read the text
differently: tabs outside scalars, tags, anchors and aliases, complex keys, directives, explicit
block indentation, odd line breaks, and flow scalars whose reading depends on the library.
Text after a syntax error is read by neither library, so what the scan does there cannot matter.
tests/test_yamldepth.py checks it against both libraries' event streams. yamlio imports it only
for a text with more brackets than its limit (compiling its patterns takes a few milliseconds).
"""

from __future__ import annotations

import re


class _Unknown(Exception):
    """The text uses something the scan does not follow exactly."""


class _Deeper(Exception):
    """The nesting has passed the depth the caller asked about: no need to scan on."""


_ODD = re.compile("[\x85\u2028\u2029\ufeff]")  # line breaks of YAML 1.1 and a BOM: left to the walk
_SPACES = re.compile(r" *")
# A block-context plain scalar: ends at `: `/`:` at the end of a line, ` #`, a tab or the line's end.
_BLOCK_PLAIN = re.compile(r"(?:[^\n\t:#]|:(?=[^ \t\n])|(?<=[^ ])#)*")
# A flow-context plain scalar's word: ends at whitespace, a flow indicator, `?`, or a `:` that
# ends it (followed by a blank or a flow indicator); `#` inside a word is text.
_FLOW_WORD = re.compile(r"(?:[^\s,\[\]{}:?]|:(?=[^\s,\[\]{}?]))+")
_FLOW_BLANKS = re.compile(r"(?:[ \n]+|#[^\n]*)+")
_DQ = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SQ = re.compile(r"'[^']*(?:''[^']*)*'")
_BLOCK_HEADER = re.compile(r"[|>][-+]? *(?:#[^\n]*)?(?:\n|\Z)")
# Characters that may start or hide structure other than block mappings and sequences: lines
# without any are skipped by one search (a block mapping's keys and values, list items).
_SPECIAL = re.compile(r"[\"'\[\]{}|>#!&*\t?]")
_SPECIAL_OPEN = re.compile(r"[\[{]")
# A line without them that has a key (`key: value`, `- key:`) is certain on its own: it can be no
# continuation of a plain scalar above it (that is an error in both libraries).
# (No pattern here may match one text in two ways: Python's re has no possessive quantifiers
# before 3.11, and a line of 20,000 spaces must not cost 20,000² steps.)
_KEY = re.compile(r"( *(?:- +)*)(?!(?:---|\.\.\.)(?:[ \n]|\Z)|-[ \n])[^\s:][^\n:]*(?::(?=[^ \n])[^\n:]*)*:(?: +(\S)[^\n]*)?\n")
# The most common lines with a flow collection, certain on their own too: `key: [a, "b"]`,
# `- key: {a: b, c: {d: e}}`, two levels at most of plain or simple quoted scalars.
_ITEM = r"""(?:"[^"\\\n]*"|'[^'\n]*'|(?:[^\s,\[\]{}:?#"'!&*|>%@`-]|-(?=[^\s,\[\]{}]))[^\s,\[\]{}:?]*(?::[^\s,\[\]{}:?]+)*)"""


def _flat(node: str) -> str:
    return (rf"(?:\[ *(?:{node} *(?:, *{node} *)*(?:, *)?)?\]"
            rf"|\{{ *(?:{_ITEM} *: +{node} *(?:, *{_ITEM} *: +{node} *)*(?:, *)?)?\}})")


_PLAIN_KEY = r"""( *(?:- +)*)(?!(?:---|\.\.\.)(?:[ \n]|\Z))[^\s\-?:,\[\]{}#&*!|>'"%@`][^\n:#'"\[\]{}|>!&*?]*(?::(?=\S)[^\n:#'"\[\]{}|>!&*?]*)*: +"""
_KEY_FLOW_LINE = re.compile(rf"{_PLAIN_KEY}({_flat(f'(?:{_ITEM}|{_flat(_ITEM)})')}) *(?:#[^\n]*)?(?:\n|\Z)")
# Quicker still: a flow collection with nothing in it that can hide a bracket (no quotes, no
# comments, no properties), so that every bracket is one. If the brackets balance, the line ends
# in block context (a collection closed early leaves text after it: an error in both libraries),
# and its depth is at most the number of openers, plus the one-pair mappings of sequences
# (`[a: b]` is a sequence of one mapping): no more than there are sequences, nor than colons
# that can be indicators (not those inside a word, as in `http://h:80`).
_KEY_BARE_FLOW_LINE = re.compile(rf"{_PLAIN_KEY}([\[{{][^\n\"'#?!&*|>%@`\t]*[\]}}]) *(?:\n|\Z)")
_MAYBE_PAIR = re.compile(r"(?<![^\s,\[\]{}]):|:(?![^\s,\[\]{}])")
_CONTENT_END: dict[int, re.Pattern] = {}


def flow_depth(text: str, stop: int | None = None) -> int | None:
    """The deepest nesting of flow collections in `text`, or None if the scan cannot tell; with
    `stop`, the scan ends as soon as it finds a depth past it (and returns that depth)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if _ODD.search(text):
        return None
    scan = _Scan(text, stop)
    try:
        return scan.run()
    except _Unknown:
        return None
    except _Deeper:
        return scan.deepest


class _Scan:
    def __init__(self, text: str, stop: int | None = None):
        self.text = text
        self.n = len(text)
        self.deepest = 0
        self.stop = len(text) if stop is None else stop
        self.plain_owner: int | None = None  # a block plain scalar ended its line; its entry's column
        self.pending: int | None = None  # the line ended with `key:` or `-`; that column

    def deeper(self, depth: int) -> None:
        if depth > self.deepest:
            self.deepest = depth
            if depth > self.stop:
                raise _Deeper

    def col(self, i: int) -> int:
        return i - (self.text.rfind("\n", 0, i) + 1)

    def run(self) -> int:
        text = self.text
        pos = 0  # the text before `pos` is scanned, and the state at `pos` is known
        while True:
            m = _SPECIAL.search(text, pos)
            if m is None:
                return self.deepest  # nothing after `pos` can nest flow collections
            s = text.rfind("\n", pos, m.start()) + 1 or pos
            if text[m.start()] in "[{":
                k = _KEY_BARE_FLOW_LINE.match(text, s)
                if k is not None:
                    flow = k.group(2)
                    opens = flow.count("[") + flow.count("{")
                    if opens == flow.count("]") + flow.count("}"):
                        # Every level opens with a bracket, or with a `:` in a sequence (`[a: b]`).
                        pairs = min(flow.count("["), len(_MAYBE_PAIR.findall(flow))) if "[" in flow else 0
                        self.deeper(opens + pairs)
                        self.plain_owner = self.pending = None
                        pos = k.end()
                        continue
            k = _KEY_FLOW_LINE.match(text, s)
            if k is not None:
                # Two levels if a bracket follows the first (one in a quoted scalar counts too).
                flow = k.group(2)
                self.deeper(2 if _SPECIAL_OPEN.search(flow, 1) else 1)
                self.plain_owner = self.pending = None
                pos = k.end()
                continue
            if s > pos:
                self.simple(pos, s)
            pos = self.line(s)

    def simple(self, pos: int, s: int) -> None:
        """The state after the lines from `pos` to `s`, none with a special character: set by
        their last key line and the lines after it."""
        text = self.text
        e = s
        start = pos
        while e > pos:
            b = text.rfind("\n", pos, e - 1) + 1 or pos
            k = _KEY.match(text, b, e)
            if k is not None and k.end() == e:
                key_col = k.end(1) - b
                self.plain_owner, self.pending = (key_col, None) if k.group(2) else (None, key_col)
                start = e
                break
            e = b
        while start < s:
            start = self.line(start)

    # -- block context ---------------------------------------------------------------------

    def next_line(self, i: int) -> int:
        e = self.text.find("\n", i)
        return self.n if e < 0 else e + 1

    def line(self, pos: int) -> int:
        """Scan the line at `pos` (and the flow collections, quoted and block scalars that
        start on it); returns the start of the next line to scan."""
        text, n = self.text, self.n
        j = _SPACES.match(text, pos).end()
        c = j - pos
        if j >= n:
            return n
        ch = text[j]
        if ch == "\n":
            return j + 1
        if ch == "#":
            self.plain_owner = None  # a comment line ends a plain scalar; a pending key stays
            return self.next_line(j)
        if ch == "\t":
            raise _Unknown
        if c == 0 and text.startswith(("---", "..."), j) and (j + 3 >= n or text[j + 3] in " \n\t"):
            self.plain_owner = self.pending = None
            if text[j] == ".":
                raise _Unknown
            j = _SPACES.match(text, j + 3).end()
            return self.tokens(j, -1, after_key=False)
        if c == 0 and ch == "%":
            raise _Unknown
        if self.plain_owner is not None:
            if c > self.plain_owner:
                # More of the plain scalar: everything on the line is text.
                k = _BLOCK_PLAIN.match(text, j).end()
                if k >= n or text[k] == "\n":
                    return k + 1
                if text[k] == "#":
                    self.plain_owner = None
                    return self.next_line(k)
                raise _Unknown  # `: ` in a continuation line (an error) or a tab
            self.plain_owner = None
        owner = self.pending if self.pending is not None and c > self.pending else None
        self.pending = None
        return self.tokens(j, owner, after_key=False)

    def tokens(self, j: int, owner: int | None, after_key: bool) -> int:
        """Token starts in block context from `j` to the end of its line."""
        text, n = self.text, self.n
        line_start = text.rfind("\n", 0, j) + 1  # once: a line of 100,000 `- ` has as many entries
        while True:
            if j >= n:
                return n
            ch = text[j]
            nxt = text[j + 1] if j + 1 < n else "\n"
            if ch == "\n":
                return j + 1
            if ch == "#":
                return self.next_line(j)
            if ch == "-" and nxt in " \n":
                if after_key:
                    raise _Unknown  # `key: - x` is an error in both libraries
                owner = j - line_start
                j = _SPACES.match(text, j + 1).end()
                if j >= n or text[j] == "\n":
                    self.pending = owner
                    return j + 1
                continue
            if ch in "[{":
                start = j
                j = self.flow(j)
                return self.after_node(j, start, owner, after_key, single_line=False)
            if ch == '"' or ch == "'":
                m = (_DQ if ch == '"' else _SQ).match(text, j)
                if m is None:
                    return n  # unterminated: an error where the text ends
                return self.after_node(m.end(), j, owner, after_key, single_line="\n" not in m.group())
            if ch in "|>":
                if owner is None:
                    raise _Unknown
                return self.block_scalar(j, owner)
            if ch in "?:" and nxt in " \n\t":
                raise _Unknown  # complex keys
            if ch in "!&*%@`,]}\t":
                raise _Unknown
            k = _BLOCK_PLAIN.match(text, j).end()
            stop = text[k] if k < n else "\n"
            if stop == ":":  # `key:` (followed by a blank: _BLOCK_PLAIN stops at no other `:`)
                if after_key:
                    raise _Unknown
                owner, after_key = j - line_start, True
                j = _SPACES.match(text, k + 1).end()
                if j >= n or text[j] == "\n":
                    self.pending = owner
                    return j + 1
                if text[j] == "\t":
                    raise _Unknown
                continue
            if stop == "#":
                return self.next_line(k)
            if stop == "\t":
                raise _Unknown
            # A plain scalar ends the line; the next lines may continue it.
            if owner is None:
                raise _Unknown
            self.plain_owner = owner
            return k + 1

    def after_node(self, j: int, start: int, owner: int | None, after_key: bool, single_line: bool) -> int:
        """After a quoted scalar or a flow collection in block context: the line ends, or the
        node was a key."""
        text, n = self.text, self.n
        j = _SPACES.match(text, j).end()
        if j >= n or text[j] == "\n":
            return j + 1
        if text[j] == "#":
            return self.next_line(j)
        if text[j] == ":" and (j + 1 >= n or text[j + 1] in " \n") and single_line and not after_key and text[start] in "\"'":
            key_col = self.col(start)
            j = _SPACES.match(text, j + 1).end()
            if j >= n or text[j] == "\n":
                self.pending = key_col
                return j + 1
            return self.tokens(j, key_col, after_key=True)
        raise _Unknown

    def block_scalar(self, j: int, owner: int) -> int:
        text, n = self.text, self.n
        m = _BLOCK_HEADER.match(text, j)
        if m is None:
            raise _Unknown  # an indentation digit, or something after the indicators
        p = m.end()
        min_indent = max(owner + 1, 1)
        # The content's indentation: that of its first non-blank line (blank lines before it
        # may not be more indented: libyaml and PyYAML disagree on those).
        blank_max = 0
        while p < n:
            s = _SPACES.match(text, p).end()
            if s < n and text[s] == "\n":
                blank_max = max(blank_max, s - p)
                p = s + 1
                continue
            first = s - p
            if blank_max > first:
                raise _Unknown
            indent = max(min_indent, first)
            if indent <= 32:  # one search past the content (patterns kept for common indents)
                end = _CONTENT_END.get(indent)
                if end is None:
                    end = _CONTENT_END[indent] = re.compile(r"^ {0,%d}[^ \n]" % (indent - 1), re.M)
                e = end.search(text, p)
                return n if e is None else e.start()
            while p < n:  # deeper content: line by line
                s = _SPACES.match(text, p).end()
                if s < n and text[s] != "\n" and s - p < indent:
                    return p
                p = self.next_line(s)
            return n
        return n

    # -- flow context ----------------------------------------------------------------------

    def flow(self, j: int) -> int:
        """Scan the flow collection opening at `j`; returns the position after it.

        An entry of a flow sequence with a `:` in it (`[a: b]`) is a mapping of its own, one
        level deeper, from its key to the `,` or `]` after its value."""
        text, n = self.text, self.n
        seq = [text[j] == "["]  # per open collection: is it a sequence
        pair = [False]  # an entry of that sequence is an implicit one-pair mapping
        holds = [False]  # the entry of that sequence has held a collection (a possible key)
        depth = 1
        if depth > self.deepest:
            self.deeper(depth)
        j += 1
        json_like = False  # the last node was a quoted scalar or a collection (`"a":b` is a pair)
        token = True  # expecting a node (else: after a node, expecting `,`, `:` or a closer)
        while True:
            b = _FLOW_BLANKS.match(text, j)
            if b is not None:
                j = b.end()
            if j >= n:
                return n  # unterminated: an error at the end of the text
            ch = text[j]
            if ch in "[{":
                if not token:
                    raise _Unknown
                if seq[-1]:
                    holds[-1] = True
                seq.append(ch == "[")
                pair.append(False)
                holds.append(False)
                depth += 1
                if depth > self.deepest:
                    self.deeper(depth)
                j += 1
                continue
            if ch in "]}":
                depth -= 1 + pair.pop()
                seq.pop()
                holds.pop()
                j += 1
                if not seq:
                    return j
                token, json_like = False, True
                continue
            if ch == ",":
                if pair[-1]:
                    depth -= 1
                pair[-1] = holds[-1] = False
                token, j = True, j + 1
                continue
            nxt = text[j + 1] if j + 1 < n else "\n"
            if ch == ":":
                if nxt in " \n" or (json_like and not token and nxt not in "\"'[{!&*|>?:-#"):
                    depth = self.value(seq, pair, holds, depth)
                    token, j = True, j + 1
                    continue
                raise _Unknown
            if not token:
                raise _Unknown
            if ch == '"' or ch == "'":
                m = (_DQ if ch == '"' else _SQ).match(text, j)
                if m is None:
                    return n
                j, token, json_like = m.end(), False, True
                continue
            if ch in "!&*|>%@`?\t" or (ch == "-" and nxt in " \n\t"):
                raise _Unknown
            # A plain scalar: words separated by blanks (line breaks too), up to a flow
            # indicator, a `:` that ends it, or a comment.
            while True:
                w = _FLOW_WORD.match(text, j)
                if w is None:
                    raise _Unknown  # a `?`, or a `:` before `?`: the libraries differ
                j = w.end()
                s = j
                while s < n and text[s] in " \n":
                    s += 1
                if s >= n:
                    return n
                if text[s] == "\t":
                    raise _Unknown
                if text[s] == "#" and s > j:
                    j = s  # a comment ends the scalar; _FLOW_BLANKS skips it
                    break
                if text[s] in ",[]{}":
                    j = s
                    break
                if text[s] == ":":
                    after = text[s + 1] if s + 1 < n else "\n"
                    if after in " \n,[]{}":
                        j = s
                        break
                    if s == j:
                        raise _Unknown  # `a:?` and the like
                if text[s] == "?":
                    raise _Unknown
                j = s  # more words of the same scalar
            token, json_like = False, False
            if text[j] == ":":
                depth = self.value(seq, pair, holds, depth)
                token, j = True, j + 1

    def value(self, seq: list, pair: list, holds: list, depth: int) -> int:
        """A `:` in a flow collection; returns the depth after it."""
        if not seq[-1]:
            return depth
        if pair[-1] or holds[-1]:
            raise _Unknown  # a second `:`, or a collection as the key: left to the walk
        pair[-1] = True
        depth += 1
        if depth > self.deepest:
            self.deeper(depth)
        return depth
