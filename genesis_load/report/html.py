"""``report.html``: the document as one self-contained HTML page.

Owns HTML layout only. Everything the page needs is inside it: CSS in a ``<style>`` element
and each chart as a ``data:image/png;base64,...`` URI read from its PNG file, so the page
renders offline, from an e-mail attachment or a CI artifact; it refers to no URL at all (links
are in-page ``#anchors``). All text goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
from html import escape

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

__all__ = ["render_html"]

_CSS = """
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de;
        --bg-ok: #dafbe1; --bg-bad: #ffebe9; --bg-warn: #fff8c5; --head: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1f2328; line-height: 1.5;
       font: 15px/1.5 -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 28px; margin: 0 0 12px; }
h2 { font-size: 22px; margin: 36px 0 12px; padding-bottom: 6px;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 18px; margin: 28px 0 10px; }
p { margin: 8px 0; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
       background: var(--head); padding: 1px 4px; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
nav.toc { margin: 18px 0 0; font-size: 14px; color: var(--muted); }
nav.toc a { color: #0969da; text-decoration: none; margin-right: 14px; }
.verdict { margin: 22px 0 8px; padding: 16px 20px; border-radius: 8px; border: 1px solid; }
.verdict.ready { background: var(--bg-ok); border-color: var(--ok); }
.verdict.not-ready { background: var(--bg-bad); border-color: var(--bad); }
.verdict .label { font-size: 26px; font-weight: 700; letter-spacing: 0.5px; }
.verdict.ready .label { color: var(--ok); }
.verdict.not-ready .label { color: var(--bad); }
.tone-good { color: var(--ok); }
.tone-bad { color: var(--bad); }
.tone-warn { color: var(--warn); }
.verdict .tone-bad, .verdict .tone-good { color: inherit; }
ul { margin: 6px 0; padding-left: 22px; }
ul.tone-warn { background: var(--bg-warn); padding: 8px 12px 8px 32px; border-radius: 6px;
               color: #1f2328; }
table.data { border-collapse: collapse; margin: 12px 0 18px; font-size: 14px;
             font-variant-numeric: tabular-nums; }
table.data caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
table.data th, table.data td { border: 1px solid var(--line); padding: 3px 10px; }
table.data th { background: var(--head); font-weight: 600; }
table.data tbody tr:nth-child(even) { background: #fafbfc; }
table.data .r { text-align: right; }
table.data .c { text-align: center; }
table.data .l { text-align: left; }
.columns { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: flex-start; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px;
        background: var(--head); }
.tile-label { font-size: 12px; color: var(--muted); text-transform: uppercase;
              letter-spacing: 0.4px; }
.tile-value { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }
.tile.tone-good { border-color: var(--ok); background: var(--bg-ok); }
.tile.tone-bad { border-color: var(--bad); background: var(--bg-bad); }
.tile.tone-warn { border-color: var(--warn); background: var(--bg-warn); }
.tile.tone-good .tile-value { color: var(--ok); }
.tile.tone-bad .tile-value { color: var(--bad); }
.tile.tone-warn .tile-value { color: var(--warn); }
.mark { font-weight: 700; white-space: nowrap; }
.mark.ok { color: var(--ok); }
.mark.bad { color: var(--bad); }
.mark.none { color: var(--warn); }
figure { margin: 14px 0 22px; }
.columns > figure { flex: 1 1 460px; min-width: 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line);
             border-radius: 6px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line);
         font-size: 13px; color: var(--muted); }
@media print { main { max-width: none; padding: 0; } h2 { break-before: auto; }
               figure, table { break-inside: avoid; } }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _cell(cell: Cell, tag: str, align: str) -> str:
    if isinstance(cell, Code):
        inner = f"<code>{_e(cell.text)}</code>"
    elif isinstance(cell, Mark):
        kind = {True: "ok", False: "bad", None: "none"}[cell.ok]
        words = f" {_e(cell.text)}" if cell.text else ""
        inner = f'<span class="mark {kind}">{cell.symbol}{words}</span>'
    else:
        inner = _e(cell)
    return f'<{tag} class="{align}">{inner}</{tag}>'


def _line(line: Line, tag: str = "p") -> str:
    lead = f"<strong>{_e(line.lead)}</strong> " if line.lead else ""
    return f'<{tag} class="tone-{line.tone}">{lead}{_e(line.text)}</{tag}>'


def _table(table: Table) -> str:
    caption = f"<caption>{_e(table.caption)}</caption>" if table.caption else ""
    head = "".join(_cell(h, "th", table.alignment(i)) for i, h in enumerate(table.headers))
    body = "\n".join(
        "<tr>" + "".join(_cell(c, "td", table.alignment(i)) for i, c in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return (
        f'<table class="data">{caption}<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table>"
    )


def _figure(figure: Figure) -> str:
    chart = figure.chart
    data = base64.b64encode(chart.path.read_bytes()).decode("ascii")
    return (
        f'<figure id="chart-{_e(chart.path.stem)}"><img alt="{_e(chart.alt)}" '
        f'src="data:image/png;base64,{data}">'
        f"<figcaption>{_e(chart.alt)}</figcaption></figure>"
    )


def _block(block: Block) -> str:
    if isinstance(block, Line):
        return _line(block)
    if isinstance(block, Bullets):
        items = "\n".join(_line(item, "li") for item in block.items)
        return f'<ul class="tone-{block.tone}">\n{items}\n</ul>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Tiles):
        tiles = "".join(
            f'<div class="tile tone-{t.tone}"><div class="tile-label">{_e(t.label)}</div>'
            f'<div class="tile-value">{_e(t.value)}</div></div>'
            for t in block.tiles
        )
        return f'<div class="tiles">{tiles}</div>'
    if isinstance(block, Columns):
        return '<div class="columns">' + "\n".join(_block(b) for b in block.blocks) + "</div>"
    assert isinstance(block, Figure)
    return _figure(block)


def _section(section: Section, level: int) -> str:
    parts = [f'<section id="{_e(section.anchor)}"><h{level}>{_e(section.title)}</h{level}>']
    parts += [_block(b) for b in section.blocks]
    parts += [_section(s, level + 1) for s in section.subsections]
    parts.append("</section>")
    return "\n".join(parts)


def _toc(doc: Document) -> str:
    links = ['<a href="#verdict">Verdict</a>']
    for section in doc.sections:
        links.append(f'<a href="#{_e(section.anchor)}">{_e(section.title)}</a>')
        links += [
            f'<a href="#{_e(s.anchor)}">{_e(s.title.split(": ", 1)[-1])}</a>'
            for s in section.subsections
        ]
    return f'<nav class="toc">Contents: {" ".join(links)}</nav>'


def render_html(doc: Document) -> str:
    facts = "\n".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in doc.facts)
    kind = "ready" if doc.verdict.ready else "not-ready"
    icon = "✓" if doc.verdict.ready else ("⚠" if doc.verdict.incomplete else "✗")
    verdict = "\n".join(_block(b) for b in doc.verdict_blocks)
    sections = "\n".join(_section(s, 2) for s in doc.sections)
    footer = "\n".join(_line(line) for line in doc.footer)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(doc.title)}: {doc.verdict.label}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<header>
<h1>{_e(doc.title)}</h1>
<dl class="facts">
{facts}
</dl>
{_toc(doc)}
</header>
<section id="verdict" class="verdict {kind}">
<div class="label">{icon} Verdict: {doc.verdict.label}</div>
{verdict}
</section>
{sections}
<footer>
{footer}
</footer>
</main>
</body>
</html>
"""
