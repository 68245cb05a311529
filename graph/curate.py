"""Curate: a human-edited overlay (curation.yaml) applied on top of the extracted graphs.

Three actions, each with a reason::

    - merge: ["Unified Channel Partner", "Unified Chanel Partner"]   # the second goes
      reason: typo in the article
    - add: ["Marc Tessier", org:reportsTo, "Paul Renaud"]
      reason: stated in the press release
    - retract: ["Hugo Lenoir", org:memberOf, Microsoft]
      reason: he had left

Entities are given by label (rdfs:label or skos:altLabel, case and accents ignored), by CURIE
or by <IRI>; the object of a datatype property is a literal. Retracting a derived property
(org:headOf, org:memberOf, org:reportsTo, pk:partnerAtTier) removes the records it comes from.
The extraction's own output (and cache) is never edited: the overlay is applied anew at each
build, and its actions are recorded with their provenance in the curation graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import CurationError
from .extract.names import fold
from .iris import Iris
from .vocab import ORG, OWL, PK, PREFIXES, RDF, RDFS, SKOS

_PROPERTY_TYPES = [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   RDF.Property]
# derived property -> (record class, subject link, object link)
RECORDS = {
    ORG.headOf: [(PK.Headship, PK.headshipHolder, ORG.organization)],
    ORG.memberOf: [(PK.Headship, PK.headshipHolder, ORG.organization),
                   (ORG.Membership, ORG.member, ORG.organization)],
    ORG.reportsTo: [(PK.ReportingLine, PK.subordinate, PK.superior)],
    PK.partnerAtTier: [(PK.PartnerStatus, PK.partner, PK.atTier)],
    PK.formerlyHeadOf: [(PK.Headship, PK.formerHeadshipHolder, ORG.organization)],
}


@dataclass
class Action:
    kind: str                 # merge, add, retract
    line: int
    args: list[Any]
    reason: str


@dataclass
class CurationResult:
    graphs: dict[URIRef, Graph]
    curation: Graph
    warnings: list[str] = field(default_factory=list)


def load_actions(path: Path) -> list[Action]:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise CurationError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        return []
    if not isinstance(data, list) or root is None:
        raise CurationError(f"{path}:1: expected a list of actions (merge / add / retract)")
    actions = []
    for node, item in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            raise CurationError(f"{where}: an action is a mapping such as "
                                "{add: [subject, predicate, object], reason: ...}")
        kinds = [k for k in ("merge", "add", "retract") if k in item]
        unknown = set(item) - {"merge", "add", "retract", "reason"}
        if unknown:
            raise CurationError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                                "expected merge, add or retract, and reason")
        if len(kinds) != 1:
            raise CurationError(f"{where}: give exactly one of merge, add, retract")
        if not str(item.get("reason") or "").strip():
            raise CurationError(f"{where}: every action needs a reason")
        args = item[kinds[0]]
        expected = 2 if kinds[0] == "merge" else 3
        if not isinstance(args, list) or len(args) != expected:
            raise CurationError(f"{where}: {kinds[0]} takes a list of {expected} items")
        actions.append(Action(kinds[0], line, args, str(item["reason"]).strip()))
    return actions


class _Terms:
    """Turns the file's labels, CURIEs and <IRIs> into RDF terms."""

    def __init__(self, entities: Graph, ontology: Graph, where: str) -> None:
        self.labels: dict[str, set[URIRef]] = {}
        for s, p, o in entities:
            if p in (RDFS.label, SKOS.altLabel) and isinstance(s, URIRef):
                self.labels.setdefault(fold(str(o)), set()).add(s)
        self.datatype_properties = {s for s in ontology.subjects(
            RDF.type, URIRef("http://www.w3.org/2002/07/owl#DatatypeProperty"))}
        self.properties = {RDF.type} | {s for kind in _PROPERTY_TYPES
                                         for s in ontology.subjects(RDF.type, kind)}
        self.where = where

    def iri(self, value: Any) -> URIRef:
        text = str(value).strip()
        if text.startswith("<") and text.endswith(">"):
            return URIRef(text[1:-1])
        m = re.fullmatch(r"([a-z][\w-]*):(\w[\w.-]*)", text)
        if m and m.group(1) in PREFIXES:
            return URIRef(PREFIXES[m.group(1)] + m.group(2))
        found = self.labels.get(fold(text), set())
        if not found:
            raise CurationError(f"{self.where}: no entity is labelled {text!r}; give its label "
                                "as in the graph, a CURIE or an <IRI>")
        if len(found) > 1:
            raise CurationError(f"{self.where}: {text!r} names {len(found)} entities "
                                f"({', '.join(sorted(found))}); give the <IRI>")
        return next(iter(found))

    def predicate(self, value: Any) -> URIRef:
        text = str(value).strip()
        if not (text.startswith("<") or re.fullmatch(r"[a-z][\w-]*:\w[\w.-]*", text)):
            raise CurationError(f"{self.where}: predicate {text!r} must be a CURIE "
                                "(org:reportsTo) or an <IRI>")
        if text.startswith("<"):
            return self.iri(text)                     # an IRI is taken as written
        prefix = text.split(":", 1)[0]
        if prefix not in PREFIXES:
            raise CurationError(f"{self.where}: unknown prefix {prefix!r} in {text!r}; known: "
                                f"{', '.join(PREFIXES)}")
        iri = self.iri(text)
        if iri not in self.properties:                # a typo such as org:reportTo
            raise CurationError(f"{self.where}: {text} is not a property of the ontology; "
                                "check its spelling (org:reportsTo, org:headOf...)")
        return iri

    def obj(self, predicate: URIRef, value: Any) -> Node:
        if predicate in self.datatype_properties or predicate in (RDFS.label, SKOS.altLabel):
            return Literal(value)
        return self.iri(value)


def _rename(graphs: dict[URIRef, Graph], old: URIRef, new: URIRef) -> None:
    for g in graphs.values():
        for s, p, o in list(g.triples((old, None, None))):
            g.remove((s, p, o))
            g.add((new, p, o))
        for s, p, o in list(g.triples((None, None, old))):
            g.remove((s, p, o))
            g.add((s, p, new))


def _drop_record(g: Graph, record: Node) -> None:
    for t in list(g.triples((record, None, None))):
        g.remove(t)
    for t in list(g.triples((None, None, record))):
        g.remove(t)
    prefix = f"{record}/"
    for t in [t for t in g if str(t[0]).startswith(prefix)]:
        g.remove(t)


def _retract(graphs: dict[URIRef, Graph], s: URIRef, p: URIRef, o: Node) -> int:
    removed = 0
    for g in graphs.values():
        if (s, p, o) in g:
            g.remove((s, p, o))
            for ev in list(g.subjects(RDF.object, o)):
                if (ev, RDF.subject, s) in g and (ev, RDF.predicate, p) in g:
                    for t in ((ev, RDF.subject, s), (ev, RDF.predicate, p), (ev, RDF.object, o)):
                        g.remove(t)
            removed += 1
        for cls, s_link, o_link in RECORDS.get(p, []):
            for record in list(g.subjects(s_link, s)):
                if (record, o_link, o) in g and (record, RDF.type, cls) in g:
                    _drop_record(g, record)
                    removed += 1
    return removed


def apply_curation(graphs: dict[URIRef, Graph], path: Path | None, ontology: Graph,
                   iris: Iris) -> CurationResult:
    """The curated copy of ``graphs`` and the curation graph. ``graphs`` is not modified."""
    out = {name: _copy(g) for name, g in graphs.items()}
    curation = Graph()
    result = CurationResult(out, curation)
    if path is None or not path.exists():
        return result
    entities = out[iris.graph("entities")]
    for action in load_actions(path):
        where = f"{path.name}:{action.line}"
        terms = _Terms(entities, ontology, where)
        record = iris.record("curation", "actions", action.kind, action.line, *action.args)
        curation.add((record, PK.reason, Literal(action.reason)))
        if action.kind == "merge":
            keep, drop = terms.iri(action.args[0]), terms.iri(action.args[1])
            if keep == drop:
                continue
            names = [str(o) for o in entities.objects(drop, RDFS.label)]
            own = {str(o) for o in entities.objects(keep, RDFS.label)}
            _rename(out, drop, keep)
            for name in names:
                if name not in own:                   # the kept entity keeps its own label
                    entities.remove((keep, RDFS.label, Literal(name)))
                    entities.add((keep, SKOS.altLabel, Literal(name)))
            curation.add((record, RDF.type, PK.Merge))
            curation.add((record, PK.mergedInto, keep))
            for name in names:
                curation.add((record, PK.mergedName, Literal(name)))
            continue
        s, p = terms.iri(action.args[0]), terms.predicate(action.args[1])
        o = terms.obj(p, action.args[2])
        curation.add((record, RDF.subject, s))
        curation.add((record, RDF.predicate, p))
        curation.add((record, RDF.object, o))
        if action.kind == "add":
            curation.add((record, RDF.type, PK.Addition))
            curation.add((s, p, o))
        else:
            curation.add((record, RDF.type, PK.Retraction))
            if _retract(out, s, p, o) == 0:
                result.warnings.append(f"{where}: retract matched no asserted fact")
    return result


def _copy(g: Graph) -> Graph:
    new = Graph()
    for t in g:
        new.add(t)
    return new


__all__ = ["apply_curation", "load_actions"]
