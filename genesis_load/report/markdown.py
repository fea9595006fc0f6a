"""``report.md``: the document as GitHub-flavoured Markdown, charts as relative PNG links.

Owns Markdown layout only (headings, pipe tables, escaping of ``|`` and of Markdown
punctuation in plain text). Chart files must sit next to ``report.md``; they are linked by
file name.
"""

from __future__ import annotations

import re

from .document import (
    Block,
    Bullets,
    Cell,
    Code,
    Columns,
    Document,
    Figure,
    Line,
    Mark,
    Section,
    Table,
    Tiles,
)

__all__ = ["render_markdown"]

#: Characters that would start markup: always escaped, plus ``_`` at a word edge (intraword
#: underscores are literal in GFM) and ``<`` before something that could be a tag.
_SPECIAL = re.compile(r"[\\`*\[\]|]|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?])")
_TONE_ICON = {"good": "✅ ", "bad": "❌ ", "warn": "⚠️ ", "plain": ""}


def _text(text: str) -> str:
    """Plain text with Markdown punctuation escaped, so names never turn into markup."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(), text)


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    escaped = text.replace("|", "\\|")  # GFM tables split on | even inside code spans
    return f"{fence}{pad}{escaped}{pad}{fence}"


def _cell(cell: Cell) -> str:
    if isinstance(cell, Code):
        return _code(cell.text)
    if isinstance(cell, Mark):
        return f"{cell.symbol} {_text(cell.text)}".strip()
    return _text(cell)


def _line(line: Line) -> str:
    lead = f"**{_text(line.lead)}** " if line.lead else ""
    return f"{_TONE_ICON.get(line.tone, '')}{lead}{_text(line.text)}"


def _table(table: Table) -> list[str]:
    out = []
    if table.caption:
        out += [f"**{_text(table.caption)}**", ""]
    rule = {"l": ":---", "r": "---:", "c": ":---:"}
    out.append("| " + " | ".join(_text(h) for h in table.headers) + " |")
    out.append("|" + "|".join(rule[table.alignment(i)] for i in range(len(table.headers))) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return out


def _block(block: Block) -> list[str]:
    if isinstance(block, Line):
        return [_line(block)]
    if isinstance(block, Bullets):
        return [f"- {_line(item)}" for item in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Tiles):
        return _table(
            Table(
                tuple(t.label for t in block.tiles),
                (tuple(t.value for t in block.tiles),),
                "r" * len(block.tiles),
            )
        )
    if isinstance(block, Columns):
        out: list[str] = []
        for sub in block.blocks:
            out += [*_block(sub), ""]
        return out[:-1]
    assert isinstance(block, Figure)
    chart = block.chart
    return [f"![{_text(chart.alt)}]({chart.path.name})"]


def _section(section: Section, level: int) -> list[str]:
    out = [f"{'#' * level} {_text(section.title)}", ""]
    for block in section.blocks:
        out += [*_block(block), ""]
    for sub in section.subsections:
        out += _section(sub, level + 1)
    return out


def render_markdown(doc: Document) -> str:
    icon = "✅" if doc.verdict.ready else ("⚠️" if doc.verdict.incomplete else "❌")
    out = [f"# {_text(doc.title)}", ""]
    out += [f"**{_text(label)}:** {_text(value)}  " for label, value in doc.facts]
    out += ["", "---", "", f"## Verdict: {icon} {doc.verdict.label}", ""]
    for block in doc.verdict_blocks:
        out += [*_block(block), ""]
    out += ["---", ""]
    for section in doc.sections:
        out += _section(section, 2)
    if doc.footer:
        out += ["---", ""]
        out += [f"{_line(line)}  " for line in doc.footer]
    return "\n".join(out).rstrip() + "\n"
