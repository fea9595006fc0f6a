"""The report as a small document tree, independent of its output format.

``sections`` decides what the report says and builds a :class:`Document`; ``markdown`` and
``html`` only lay it out, so both files always say the same thing. Text is plain (renderers
escape it); emphasis is structural: a :class:`Line`'s ``lead`` is bold, a :class:`Code` cell is
monospaced, a :class:`Mark` is ✓/✗ (or "not judged") and styled by the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .verdict import Verdict

if TYPE_CHECKING:  # charts imports matplotlib; documents only hold its records
    from .charts import Chart

__all__ = [
    "Block",
    "Bullets",
    "Cell",
    "Code",
    "Columns",
    "Document",
    "Figure",
    "Line",
    "Mark",
    "Section",
    "Table",
    "Tile",
    "Tiles",
]


@dataclass(frozen=True)
class Code:
    """Monospaced text in a table cell: metric names, expressions, endpoint names."""

    text: str


@dataclass(frozen=True)
class Mark:
    """A status cell: ``ok`` True (✓), False (✗) or None (not judged), with optional words."""

    ok: bool | None
    text: str = ""

    @property
    def symbol(self) -> str:
        return {True: "✓", False: "✗", None: "–"}[self.ok]


Cell = str | Code | Mark


@dataclass(frozen=True)
class Line:
    """A paragraph: an optional bold ``lead`` then ``text``. ``tone``: plain, good, bad, warn."""

    text: str
    lead: str = ""
    tone: str = "plain"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Line, ...]
    tone: str = "plain"


@dataclass(frozen=True)
class Table:
    """A real table. ``align`` has one letter per column: ``l`` left, ``r`` right, ``c`` center."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: str = ""
    caption: str = ""

    def alignment(self, column: int) -> str:
        return self.align[column] if column < len(self.align) else "l"


@dataclass(frozen=True)
class Tile:
    """A headline number: ``label`` over ``value``; ``tone``: plain, good, bad, warn."""

    label: str
    value: str
    tone: str = "plain"


@dataclass(frozen=True)
class Tiles:
    """A row of headline numbers (a one-row table in Markdown)."""

    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class Figure:
    chart: Chart


@dataclass(frozen=True)
class Columns:
    """Blocks that may sit side by side when there is room (one after another in Markdown)."""

    blocks: tuple[Line | Bullets | Table | Tiles | Figure, ...]


Block = Line | Bullets | Table | Tiles | Figure | Columns


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Document:
    """Title, the facts under it (label, value), the verdict, then the sections in order."""

    title: str
    facts: tuple[tuple[str, str], ...]
    verdict: Verdict
    verdict_blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    footer: tuple[Line, ...] = ()
