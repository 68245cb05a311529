"""graph.orgchart: the tree built from the query library's org_chart_at_date rows, and its SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph import orgchart

V = "http://x.example/vendor"
SVG = "{http://www.w3.org/2000/svg}"


def unit_row(unit: str, parent: str, head: str | None = None, boss: str | None = None) -> dict:
    row: dict[str, Node] = {
        "unit": URIRef(f"http://x.example/{unit}"),
        "unitLabel": Literal(unit),
        "parent": URIRef(parent if parent == V else f"http://x.example/{parent}"),
    }
    if head:
        row |= {"head": URIRef(f"http://x.example/{head}"), "headLabel": Literal(head)}
        row["headSince"] = Literal("2017-09")
    if boss:
        row |= {"reportsTo": URIRef(f"http://x.example/{boss}"), "reportsToLabel": Literal(boss)}
    return row


ROWS = [
    unit_row("Sales", V, "Ann", "Zed"),
    unit_row("Partners <&> Alliances", V, "Bob"),
    unit_row("Build", "Partners <&> Alliances", "Cy", "Bob"),  # the parent's head: implied
    unit_row("Sell", "Partners <&> Alliances", "Di", "Eve"),  # a stated line elsewhere
    unit_row("Orphan", "Gone", "Fay"),  # its parent is not on the chart at that date
]


def fake_select(rows: list[dict]) -> orgchart.Select:
    def select(query: str) -> list[dict[str, Node]]:
        if "?vendor ?label" in query:  # vendor_of
            root = query.split("OPTIONAL { <", 1)[1].split(">", 1)[0]
            vendor = V if root != V else None
            out: dict[str, Node] = {"label": Literal(root.rsplit("/", 1)[-1])}
            if vendor:
                out["vendor"] = URIRef(vendor)
            return [out]
        assert "VALUES (?vendor ?date)" in query and "2017-12-31" in query
        return rows

    return select


def test_vendor_chart_tree() -> None:
    chart = orgchart.build_chart(fake_select(ROWS), V, "2017-12-31")
    tree = [(u.label, d) for u, d in chart.root.walk()]
    assert tree == [
        ("vendor", 0),
        ("Orphan", 1),
        ("Partners <&> Alliances", 1),
        ("Build", 2),
        ("Sell", 2),
        ("Sales", 1),
    ]
    units = {u.label: u for u, _ in chart.root.walk()}
    assert units["Build"].reports_to is None  # to the head of its parent: not repeated
    assert units["Sell"].reports_to is not None and units["Sell"].reports_to.label == "Eve"
    assert units["Sales"].head is not None and units["Sales"].head.label == "Ann"


def test_unit_chart_is_the_subtree() -> None:
    chart = orgchart.build_chart(
        fake_select(ROWS), "http://x.example/Partners <&> Alliances", "2017-12-31"
    )
    assert [u.label for u, _ in chart.root.walk()] == ["Partners <&> Alliances", "Build", "Sell"]
    assert chart.root.head is not None and chart.root.head.label == "Bob"


def test_svg_is_well_formed_escaped_and_linked() -> None:
    chart = orgchart.build_chart(fake_select(ROWS), V, "2017-12-31")
    svg = orgchart.render_svg(chart, lambda iri: "/id/" + iri.rsplit("/", 1)[-1])
    root = ET.fromstring(svg)  # escaping keeps it well-formed
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Partners <&> Alliances" in texts
    assert "↳ reports to Eve" in texts and "Di (2017-09)" in texts
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert "/id/Ann" in links
    assert "<style>" in svg and "<style>" not in orgchart.render_svg(chart, lambda i: None, False)


def test_large_charts_are_capped_and_drawn_as_a_list() -> None:
    rows = [unit_row(f"Unit {i}", V) for i in range(orgchart.MAX_UNITS + 20)]
    chart = orgchart.build_chart(fake_select(rows), V, "2017-12-31")
    assert chart.omitted == 21 and len(chart.root.children) == orgchart.MAX_UNITS - 1
    svg = orgchart.render_svg(chart, lambda iri: None)
    assert "21 more units not shown" in svg
    ET.fromstring(svg)


def test_dates() -> None:
    assert orgchart.valid_date("2017") and orgchart.valid_date("2017-02-28")
    assert not orgchart.valid_date("2017-02-30") and not orgchart.valid_date("2017-13")
    assert not orgchart.valid_date("yesterday")
