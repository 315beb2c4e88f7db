"""Where things came from: positions of YAML nodes, addressed by field path.

A field path is a tuple of mapping keys (str) and sequence indexes (int), e.g.
`("pods", "web", "env", "PORT")`. Every loaded document has a `PositionMap` that knows the
position of every value and every mapping key, so that any later stage can point at the
exact spot in the user's file.
"""

from __future__ import annotations

from .errors import SourcePos


class PositionMap:
    __slots__ = ("file", "values", "keys", "raw")

    def __init__(self, file: str):
        self.file = file
        # path -> (line, col, end_line, end_col) of the node (end column one past its end)
        self.values: dict[tuple, tuple] = {}
        self.keys: dict[tuple, tuple] = {}
        # Plain (unquoted) scalars that did not resolve to a string keep their text here, so a
        # field the schema types as a string can take `0755` or `8080` exactly as written.
        self.raw: dict[tuple, str] = {}

    def _pos(self, lc: tuple) -> SourcePos:
        # (line, col) or (line, col, end_line, end_col): the loader records the extent too.
        return SourcePos(self.file, *lc)

    def locate(self, path: tuple, key: bool = False) -> SourcePos:
        """The position of `path`, or of its nearest ancestor that exists.

        With `key=True` a mapping entry is located at its key (for "unknown key" and
        "duplicate name" problems) rather than at its value.
        """
        path = tuple(path)
        if key and path in self.keys:
            return self._pos(self.keys[path])
        while path:
            if path in self.values:
                return self._pos(self.values[path])
            path = path[:-1]
        return self._pos(self.values.get((), (1, 1)))

    def has(self, path: tuple) -> bool:
        return tuple(path) in self.values

    def raw_text(self, path: tuple) -> str | None:
        return self.raw.get(tuple(path))


class Document:
    """One loaded YAML document: its data and the positions of its nodes."""

    __slots__ = ("data", "positions", "index")

    def __init__(self, data, positions: PositionMap, index: int = 0):
        self.data = data
        self.positions = positions
        self.index = index

    @property
    def file(self) -> str:
        return self.positions.file

    def locate(self, path: tuple, key: bool = False) -> SourcePos:
        return self.positions.locate(path, key)
