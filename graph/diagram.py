"""The ontology diagram: the main classes and the properties between them, as SVG written
directly (no Graphviz, no web service).

The layout (which class goes where, which property is drawn between which classes) is set
here by hand for readability; everything else comes from the ontology: labels, definitions
(as tooltips) and subclass arrows. ``check_edges`` verifies every drawn property against the
ontology's domains and ranges, so the picture cannot drift from the axioms.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS
from rdflib.term import Node

from .vocab import PREFIXES

# (class, column, row)
NODES: tuple[tuple[str, float, float], ...] = (
    ("pk:Publisher", 0, 0),
    ("pk:Article", 1, 0),
    ("pk:Evidence", 2, 0),
    ("time:Interval", 3.2, 0),
    ("time:Instant", 4.6, 0),
    ("pk:ReportingLine", 0, 1),
    ("pk:Headship", 1, 1),
    ("org:Membership", 2, 1),
    ("org:ChangeEvent", 3.15, 1),
    ("pk:PartnerStatus", 4.3, 1),
    ("foaf:Person", 0, 2.5),
    ("org:Role", 1, 2.5),
    ("org:Organization", 2, 2.5),
    ("pk:PartnerTier", 4.3, 2.5),
    ("org:OrganizationalUnit", 1, 3.6),
    ("org:FormalOrganization", 3, 3.6),
    ("pk:PartnerProgramme", 4.3, 3.6),
    ("pk:Requirement", 5.3, 3.6),
    ("pk:Vendor", 2.5, 4.7),
    ("pk:PartnerCompany", 3.5, 4.7),
)

# side of the box where a property from a class to itself loops
LOOPS: dict[str, str] = {
    "org:reportsTo": "bottom",
    "pk:subUnitOf": "bottom",
    "pk:rankedBelow": "right",
}

# (property, from class, to class): from must fall under the domain, to under the range
EDGES: tuple[tuple[str, str, str], ...] = (
    ("dcterms:publisher", "pk:Article", "pk:Publisher"),
    ("prov:wasQuotedFrom", "pk:Evidence", "pk:Article"),
    ("prov:wasDerivedFrom", "org:Membership", "pk:Evidence"),
    ("org:memberDuring", "org:Membership", "time:Interval"),
    ("time:hasBeginning", "time:Interval", "time:Instant"),
    ("time:hasEnd", "time:Interval", "time:Instant"),
    ("pk:subordinate", "pk:ReportingLine", "foaf:Person"),
    ("pk:superior", "pk:ReportingLine", "foaf:Person"),
    ("pk:headshipHolder", "pk:Headship", "foaf:Person"),
    ("org:organization", "org:Membership", "org:Organization"),
    ("org:role", "org:Membership", "org:Role"),
    ("org:originalOrganization", "org:ChangeEvent", "org:Organization"),
    ("org:resultingOrganization", "org:ChangeEvent", "org:Organization"),
    ("pk:atTier", "pk:PartnerStatus", "pk:PartnerTier"),
    ("pk:partner", "pk:PartnerStatus", "org:FormalOrganization"),
    ("org:reportsTo", "foaf:Person", "foaf:Person"),
    ("org:headOf", "foaf:Person", "org:OrganizationalUnit"),
    ("pk:subUnitOf", "org:OrganizationalUnit", "org:OrganizationalUnit"),
    ("org:unitOf", "org:OrganizationalUnit", "org:FormalOrganization"),
    ("skos:inScheme", "pk:PartnerTier", "pk:PartnerProgramme"),
    ("pk:rankedBelow", "pk:PartnerTier", "pk:PartnerTier"),
    ("pk:hasRequirement", "pk:PartnerTier", "pk:Requirement"),
    ("pk:programmeOf", "pk:PartnerProgramme", "org:FormalOrganization"),
)

W, H = 180, 44  # box size
DX, DY = 290, 110  # grid step
MARGIN_X, MARGIN_Y = 24, 24
LEGEND_H = 58
COLOURS = {"asserted": "#1f3a5f", "derived": "#b35900", "subclass": "#777777"}
FILL = {
    "pk": "#dbe9f8",
    "org": "#dcf0dc",
    "foaf": "#fbf1cf",
    "prov": "#eee4f5",
    "time": "#eeeeee",
    "skos": "#fde3d6",
}
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def _superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    return set(ontology.transitive_objects(cls, RDFS.subClassOf))  # type: ignore[arg-type]


def check_edges(ontology: Graph) -> list[str]:
    """Problems of the drawing against the ontology (empty when it agrees)."""
    problems = []
    nodes = {n for n, _, _ in NODES}
    for prop, source, target in EDGES:
        p = expand(prop)
        if (p, None, None) not in ontology:
            problems.append(f"{prop} is not in the ontology")
        for end, cls, axiom in ((source, source, RDFS.domain), (target, target, RDFS.range)):
            if end not in nodes:
                problems.append(f"{prop}: {end} is not a node of the diagram")
            for bound in ontology.objects(p, axiom):
                if bound not in _superclasses(ontology, expand(cls)):
                    problems.append(f"{prop}: {cls} is not under its {axiom.fragment} {bound}")
    return problems


@dataclass(frozen=True)
class _Box:
    curie: str
    x: float
    y: float

    @property
    def cx(self) -> float:
        return self.x + W / 2

    @property
    def cy(self) -> float:
        return self.y + H / 2

    def border(self, dx: float, dy: float) -> tuple[float, float]:
        """Where the ray from the centre in direction (dx, dy) leaves the box (plus a gap)."""
        scale = min(
            (W / 2 + 3) / abs(dx) if dx else math.inf, (H / 2 + 3) / abs(dy) if dy else math.inf
        )
        return self.cx + dx * scale, self.cy + dy * scale


def _label(ontology: Graph, iri: URIRef, lang: str) -> str:
    for label in ontology.objects(iri, RDFS.label):
        if getattr(label, "language", None) == lang:
            return str(label)
    return ""


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.56


def _tag_label(x: float, y: float, text: str, title: str, kind: str) -> list[str]:
    w = _text_width(text, 11) + 8
    return [
        "<g>",
        f"<title>{escape(title)}</title>",
        f'<rect x="{x - w / 2:.1f}" y="{y - 8:.1f}" width="{w:.1f}" height="15" rx="3" '
        'fill="#ffffff" fill-opacity="0.9"/>',
        f'<text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="11" text-anchor="middle" '
        f'fill="{COLOURS[kind]}">{escape(text)}</text>',
        "</g>",
    ]


def _stroke(kind: str) -> str:
    dash = ' stroke-dasharray="5 3"' if kind == "subclass" else ""
    return f'stroke="{COLOURS[kind]}" stroke-width="1.3"{dash} marker-end="url(#dg-{kind})"'


def _edge(a: _Box, b: _Box, offset: float, t: float, kind: str) -> tuple[str, float, float]:
    """The line from box a to box b, shifted sideways by offset; the point at t for a label."""
    dx, dy = b.cx - a.cx, b.cy - a.cy
    length = math.hypot(dx, dy)
    nx, ny = -dy / length * offset, dx / length * offset  # shift parallel edges apart
    x1, y1 = a.border(dx, dy)
    x2, y2 = b.border(-dx, -dy)
    x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
    line = f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {_stroke(kind)}/>'
    x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
    if abs(dy) < 1:  # horizontal: the label goes above the line (below it if shifted down)
        y += 11 if offset > 0 else -11
    return line, x, y


def _loop(box: _Box, side: str, text: str, kind: str) -> tuple[str, float, float]:
    """A property from a class to itself: an arc on one side of the box; the label point."""
    reach = 38
    if side == "right":
        (x0, y0), (x1, y1) = (box.x + W + 3, box.cy - 12), (box.x + W + 3, box.cy + 12)
        c0, c1 = (x0 + reach, y0 - 14), (x1 + reach, y1 + 14)
        at = (x0 + reach + _text_width(text, 11) / 2, box.cy)
    else:  # bottom
        (x0, y0), (x1, y1) = (box.cx - 26, box.y + H + 3), (box.cx + 26, box.y + H + 3)
        c0, c1 = (x0 - 14, y0 + reach), (x1 + 14, y1 + reach)
        at = (box.cx, y0 + reach - 4)
    path = (
        f"M {x0:.1f} {y0:.1f} C {c0[0]:.1f} {c0[1]:.1f} {c1[0]:.1f} {c1[1]:.1f} {x1:.1f} {y1:.1f}"
    )
    return f'<path d="{path}" fill="none" {_stroke(kind)}/>', *at


def _node(ontology: Graph, box: _Box, link: str) -> list[str]:
    iri = expand(box.curie)
    en, fr = _label(ontology, iri, "en"), _label(ontology, iri, "fr")
    definition = next(
        (
            str(d)
            for d in ontology.objects(iri, SKOS.definition)
            if getattr(d, "language", "") == "en"
        ),
        "",
    )
    fill = FILL.get(box.curie.split(":")[0], "#ffffff")
    anchor = box.curie.replace(":", "-")
    return [
        f"<a href={quoteattr(f'{link}#{anchor}')}>",
        f"<title>{escape(f'{box.curie} — {en} / {fr}. {definition}')}</title>",
        f'<rect x="{box.x}" y="{box.y}" width="{W}" height="{H}" rx="6" fill="{fill}" '
        'stroke="#4a5a6a" stroke-width="1"/>',
        f'<text x="{box.cx}" y="{box.y + 18}" font-size="13" font-weight="600" '
        f'text-anchor="middle" fill="#111111">{escape(box.curie)}</text>',
        f'<text x="{box.cx}" y="{box.y + 34}" font-size="11" text-anchor="middle" '
        f'fill="#444444">{escape(en)}</text>',
        "</a>",
    ]


def _legend(y: float, prefixes: list[str]) -> list[str]:
    items = (
        ("asserted", "object property, from a class of its domain to one of its range"),
        ("derived", "object property derived by reasoning (property chain axiom)"),
        ("subclass", "subclass of"),
    )
    parts = [f'<g font-size="11" fill="#333333" transform="translate({MARGIN_X},{y})">']
    for i, (kind, text) in enumerate(items):
        parts.append(f'<line x1="0" y1="{6 + 17 * i}" x2="34" y2="{6 + 17 * i}" {_stroke(kind)}/>')
        parts.append(f'<text x="42" y="{10 + 17 * i}">{escape(text)}</text>')
    for i, prefix in enumerate(prefixes):
        x = 470 + 70 * i
        parts.append(
            f'<rect x="{x}" y="0" width="14" height="14" rx="3" fill="{FILL[prefix]}" '
            'stroke="#4a5a6a"/>'
        )
        parts.append(f'<text x="{x + 19}" y="11">{prefix}:</text>')
    parts.append("</g>")
    return parts


def _marker(kind: str) -> str:
    fill = "#ffffff" if kind == "subclass" else COLOURS[kind]
    return (
        f'<marker id="dg-{kind}" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="9" '
        f'markerHeight="9" orient="auto-start-reverse"><path d="M 1 1 L 11 6 L 1 11 z" '
        f'fill="{fill}" stroke="{COLOURS[kind]}"/></marker>'
    )


def diagram_svg(ontology: Graph, link: str = "") -> str:
    """The diagram as an SVG document; class boxes link to ``{link}#pk-Vendor`` etc."""
    problems = check_edges(ontology)
    if problems:
        raise ValueError("the diagram disagrees with the ontology: " + "; ".join(problems))
    boxes = {c: _Box(c, MARGIN_X + col * DX, MARGIN_Y + row * DY) for c, col, row in NODES}
    width = max(b.x for b in boxes.values()) + W + MARGIN_X + 40
    height = max(b.y for b in boxes.values()) + H + MARGIN_Y + LEGEND_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        'aria-label="Main classes and properties of the partnerkg ontology" '
        f'style="{FONT}">',
        "<defs>",
        *(_marker(kind) for kind in COLOURS),
        "</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    by_iri: dict[Node, _Box] = {expand(b.curie): b for b in boxes.values()}
    for a in boxes.values():
        for parent in sorted(ontology.objects(expand(a.curie), RDFS.subClassOf), key=str):
            if parent in by_iri:
                out.append(_edge(a, by_iri[parent], 0, 0.5, "subclass")[0])
    pairs: dict[frozenset[str], list[tuple[str, str, str]]] = defaultdict(list)
    for edge in EDGES:
        pairs[frozenset(edge[1:])].append(edge)
    labels: list[str] = []
    for group in pairs.values():
        for i, (prop, source, target) in enumerate(group):
            iri = expand(prop)
            kind = "derived" if (iri, OWL.propertyChainAxiom, None) in ontology else "asserted"
            title = f"{prop} — {_label(ontology, iri, 'en')} / {_label(ontology, iri, 'fr')}"
            if source == target:
                line, x, y = _loop(boxes[source], LOOPS.get(prop, "bottom"), prop, kind)
            else:
                shift = i - (len(group) - 1) / 2  # parallel edges: apart, labels staggered
                offset = shift * 18 * (1 if source < target else -1)
                line, x, y = _edge(boxes[source], boxes[target], offset, 0.5 + shift * 0.3, kind)
            out.append(line)
            labels += _tag_label(x, y, prop, title, kind)
    for box in boxes.values():
        out += _node(ontology, box, link)
    out += labels
    used = sorted({c.split(":")[0] for c, _, _ in NODES}, key=list(FILL).index)
    out += _legend(height - LEGEND_H + 4, used)
    out.append("</svg>")
    return "\n".join(out) + "\n"
