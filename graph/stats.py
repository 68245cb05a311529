"""Stats: what the built graph holds, per class and per relation, and which articles gave
nothing (a sign that the extractor missed their phrasing)."""

from __future__ import annotations

import json

from .config import Settings
from .iris import Iris
from .store import open_live
from .vocab import sparql_prefixes

CLASSES = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?class { foaf:Person pk:Vendor pk:PartnerCompany org:OrganizationalUnit pk:PartnerTier
                  pk:PartnerProgramme org:Role org:Membership pk:Headship pk:ReportingLine
                  pk:PartnerStatus org:ChangeEvent pk:Requirement pk:Figure pk:Article pk:Evidence }
  ?x a ?class } GROUP BY ?class ORDER BY ?class
"""
RELATIONS = """
SELECT ?p (COUNT(*) AS ?n) WHERE {
  VALUES ?p { org:headOf org:reportsTo pk:reportsToTransitively org:memberOf org:unitOf
              org:subOrganizationOf pk:subUnitOf pk:formerlyHeadOf pk:tierOf pk:rankedBelow
              pk:partnerAtTier pk:replaces org:originalOrganization org:resultingOrganization }
  ?s ?p ?o } GROUP BY ?p ORDER BY ?p
"""


def _curie(iri: str) -> str:
    for prefix, ns in (("pk", "https://w3id.org/partnerkg/ontology#"),
                       ("org", "http://www.w3.org/ns/org#"), ("foaf", "http://xmlns.com/foaf/0.1/")):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def stats(settings: Settings) -> str:
    store = open_live(settings.data_dir)
    iris = Iris(settings.base_iri)
    lines = ["classes (after reasoning):"]
    for row in store.query(sparql_prefixes() + CLASSES):
        lines.append(f"  {_curie(row['class'].value):28} {row['n'].value}")
    lines.append("relations (after reasoning):")
    for row in store.query(sparql_prefixes() + RELATIONS):
        lines.append(f"  {_curie(row['p'].value):28} {row['n'].value}")
    counts = store.counts()
    articles = [g for g in counts if iris.is_article_graph(str(g))]
    lines.append(f"graphs: {len(counts)} ({len(articles)} articles)")
    report = settings.data_dir / "build.json"
    if report.exists():
        empty = json.loads(report.read_text("utf-8")).get("empty_articles", [])
        lines.append("articles that produced no fact: " + (", ".join(empty) if empty else "none"))
    return "\n".join(lines)
