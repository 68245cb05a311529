"""Organisation charts: a vendor's or unit's sub-units, their heads and reporting lines at a
date, drawn as SVG in pure Python.

    chart = build_chart(select, root_iri, "2017-09-30")    # select: SPARQL SELECT -> rows
    svg = render_svg(chart, href)                           # href: IRI -> link or None

What is on the chart at a date is the answer of the query library's ``org_chart_at_date``
(queries/README.md, "Time"): the vendor's units that exist at the date, each with its parent
unit, its head then (the latest headship started by the date and not ended) and whom that
head reports to (a reporting line valid then, else the head of the parent unit). The chart of
a unit is the part of its vendor's chart under it. A unit whose parent is not on the chart at
that date hangs from the root. Small trees are drawn top-down, larger ones as an indented list.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib import Literal, URIRef
from rdflib.term import Node

MAX_UNITS = 150
Select = Callable[[str], list[dict[str, Node]]]
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real date."""
    m = _DATE.match(text)
    if not m:
        return False
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


@dataclass
class Person:
    iri: str
    label: str
    since: str | None = None


@dataclass
class Unit:
    iri: str
    label: str
    head: Person | None = None
    reports_to: Person | None = None  # shown when it is not the head of the parent unit
    children: list[Unit] = field(default_factory=list)
    on_chart: bool = True
    root: bool = False

    def walk(self, depth: int = 0) -> Iterable[tuple[Unit, int]]:
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class Chart:
    root: Unit
    date: str
    omitted: int = 0  # units left out beyond MAX_UNITS


# --- reading the graph --------------------------------------------------------------------------
def _text(row: dict[str, Node], key: str) -> str | None:
    value = row.get(key)
    return str(value) if value is not None else None


def vendor_of(select: Select, root: str) -> tuple[str, str]:
    """The vendor whose chart holds ``root``, and the root's label."""
    rows = select(
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?vendor ?label WHERE {{ OPTIONAL {{ <{root}> rdfs:label ?label }} "
        f"OPTIONAL {{ <{root}> org:unitOf ?vendor . ?vendor a org:FormalOrganization }} }} "
        "ORDER BY ?vendor LIMIT 1"
    )
    row = rows[0] if rows else {}
    label = _text(row, "label") or root.rstrip("/").rsplit("/", 1)[-1]
    return _text(row, "vendor") or root, label


def chart_rows(select: Select, vendor: str, date: str) -> list[dict[str, Node]]:
    from .queries import bind_values, get_query

    query = get_query("org_chart_at_date").sparql
    return select(bind_values(query, {"vendor": URIRef(vendor), "date": Literal(date)}))


def build_chart(select: Select, root: str, date: str) -> Chart:
    """The chart of ``root`` (a vendor or unit IRI) at ``date`` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    vendor, root_label = vendor_of(select, root)
    units: dict[str, Unit] = {}
    parents: dict[str, str] = {}
    for row in chart_rows(select, vendor, date):
        iri = str(row["unit"])
        if iri in units:  # a second parent or head: the first row wins
            continue
        unit = Unit(iri, _text(row, "unitLabel") or iri.rsplit("/", 1)[-1])
        if row.get("head") is not None:
            head = str(row["head"])
            unit.head = Person(head, _text(row, "headLabel") or head, _text(row, "headSince"))
        if row.get("reportsTo") is not None:
            boss = str(row["reportsTo"])
            unit.reports_to = Person(boss, _text(row, "reportsToLabel") or boss)
        units[iri] = unit
        parents[iri] = str(row["parent"])
    top = units.get(root) or Unit(root, root_label, on_chart=root == vendor)
    omitted, count = 0, 1
    for iri, unit in units.items():
        parent = parents[iri]
        holder = units.get(parent) if parent != vendor else None
        if iri == root:
            continue
        if holder is None:  # a top unit, or one whose parent is not on the chart then
            holder = top if root == vendor else None
        if holder is None or not _under(iri, root, parents, vendor):
            continue
        if count >= MAX_UNITS:
            omitted += 1
            continue
        holder.children.append(unit)
        count += 1
    top.root = True
    for unit, _ in top.walk():
        unit.children.sort(key=lambda u: u.label.lower())
        for child in unit.children:  # the line to the parent's head goes without saying
            if unit.head and child.reports_to and child.reports_to.iri == unit.head.iri:
                child.reports_to = None
    return Chart(top, date, omitted)


def _under(iri: str, root: str, parents: dict[str, str], vendor: str) -> bool:
    """Whether ``iri`` is ``root`` or below it (following parents up to the vendor)."""
    seen: set[str] = set()
    while iri not in seen:
        if iri == root:
            return True
        seen.add(iri)
        if iri not in parents:
            return root == vendor
        iri = parents[iri]
    return False


# --- drawing ----------------------------------------------------------------------------------
BOX_W, LINE_H, PAD, GAP_X, GAP_Y, INDENT = 230, 15, 8, 16, 36, 28
Href = Callable[[str], str | None]


def _clip(text: str, width: int = 31) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _link(href: Href, iri: str, inner: str) -> str:
    url = href(iri)
    return f"<a href={quoteattr(url)}>{inner}</a>" if url else inner


def _box_lines(unit: Unit) -> list[tuple[str, str | None, str]]:
    """(text, IRI to link, css class) of each line of a unit's box."""
    lines: list[tuple[str, str | None, str]] = [(_clip(unit.label, 28), unit.iri, "unit")]
    if unit.head is not None:
        since = f" ({unit.head.since[:7]})" if unit.head.since else ""
        lines.append((_clip(f"{unit.head.label}{since}"), unit.head.iri, "head"))
    elif not unit.on_chart:
        lines.append(("not on the chart at this date", None, "none"))
    elif not unit.root:
        lines.append(("no head known at this date", None, "none"))
    if unit.reports_to is not None:
        lines.append((_clip(f"↳ reports to {unit.reports_to.label}"), unit.reports_to.iri, "line"))
    return lines


def _box(unit: Unit, x: float, y: float, href: Href) -> tuple[str, float]:
    lines = _box_lines(unit)
    height = PAD * 2 + LINE_H * len(lines)
    out = [
        f'<g class="box"><title>{escape(unit.label)}</title>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{height}" rx="6"/>'
    ]
    for i, (text, iri, css) in enumerate(lines):
        ty = y + PAD + LINE_H * (i + 1) - 3
        tspan = f'<text class="{css}" x="{x + PAD:.0f}" y="{ty:.0f}">{escape(text)}</text>'
        out.append(_link(href, iri, tspan) if iri else tspan)
    out.append("</g>")
    return "".join(out), height


def _height(unit: Unit) -> int:
    return PAD * 2 + LINE_H * len(_box_lines(unit))


def _top_down(root: Unit, href: Href) -> tuple[list[str], float, float]:
    levels: dict[int, int] = {}
    for unit, depth in root.walk():
        levels[depth] = max(levels.get(depth, 0), _height(unit))
    level_y = [0.0]
    for d in range(1, len(levels)):
        level_y.append(level_y[-1] + levels[d - 1] + GAP_Y)
    pos: dict[int, tuple[float, float]] = {}
    next_x = [0.0]

    def place(unit: Unit, depth: int) -> float:
        if not unit.children:
            x = next_x[0]
            next_x[0] += BOX_W + GAP_X
        else:
            xs = [place(c, depth + 1) for c in unit.children]
            x = (xs[0] + xs[-1]) / 2
        pos[id(unit)] = (x, level_y[depth])
        return x

    place(root, 0)
    parts: list[str] = []
    for unit, _ in root.walk():
        x, y = pos[id(unit)]
        for c in unit.children:
            cx, cy = pos[id(c)]
            mid = y + _height(unit) + GAP_Y / 2
            parts.append(
                f'<path class="edge" d="M{x + BOX_W / 2:.0f},{y + _height(unit):.0f} '
                f'V{mid:.0f} H{cx + BOX_W / 2:.0f} V{cy:.0f}"/>'
            )
    for unit, _ in root.walk():
        parts.append(_box(unit, *pos[id(unit)], href)[0])
    return parts, next_x[0] - GAP_X, level_y[-1] + levels[len(levels) - 1]


def _indented(root: Unit, href: Href) -> tuple[list[str], float, float]:
    parts: list[str] = []
    y, width = 0.0, 0.0
    anchors: dict[int, tuple[float, float]] = {}
    for unit, depth in root.walk():
        x = depth * INDENT
        anchors[id(unit)] = (x, y)
        box, height = _box(unit, x, y, href)
        parts.append(box)
        width = max(width, x + BOX_W)
        y += height + 10
    edges = []
    for unit, _ in root.walk():
        px, py = anchors[id(unit)]
        for c in unit.children:
            cx, cy = anchors[id(c)]
            edges.append(
                f'<path class="edge" d="M{px + 10:.0f},{py + 20:.0f} V{cy + 12:.0f} H{cx:.0f}"/>'
            )
    return edges + parts, width, y - 10


STYLE = (
    "rect{fill:#f6f8fb;stroke:#3b5b8c;stroke-width:1.2}.edge{fill:none;stroke:#7a8ca8}"
    "text{font:12px sans-serif;fill:#1d2733}text.unit{font-weight:bold}.line{fill:#55657a}"
    ".none{fill:#8a96a6;font-style:italic}.caption{font:13px sans-serif;fill:#1d2733}"
    "a text{text-decoration:underline}"
)


def render_svg(chart: Chart, href: Href, standalone: bool = True) -> str:
    """The chart as SVG (links through ``href``); ``standalone`` adds its own style sheet,
    which a page embedding it provides instead (CSS classes of STYLE)."""
    leaves = sum(1 for u, _ in chart.root.walk() if not u.children)
    parts, width, height = (_top_down if leaves <= 8 else _indented)(chart.root, href)
    caption = f"{chart.root.label}, at {chart.date}"
    if chart.omitted:
        caption += f" ({chart.omitted} more units not shown)"
    margin = 10
    w, h = width + 2 * margin, height + 2 * margin + 24
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="orgchart" width="{w:.0f}" '
        f'height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" role="img" '
        f"aria-label={quoteattr(caption)}>{f'<style>{STYLE}</style>' if standalone else ''}"
        f'<text class="caption" x="{margin}" y="16">{escape(caption)}</text>'
        f'<g transform="translate({margin},{margin + 24})">{"".join(parts)}</g></svg>'
    )
