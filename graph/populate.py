"""Populate: extracted facts -> RDF under the ontology.

One named graph per article holds the article's description, its records (headships,
memberships, reporting lines, partner statuses, events, requirements, figures), the plain
triples it states (sub-units, tier order...) and the evidence of each; one graph holds the
canonical entities. Records are `prov:wasDerivedFrom` their pk:Evidence; plain triples are
stated by their evidence node with rdf:subject / rdf:predicate / rdf:object.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .iris import Iris
from .records import Article, Date, Evidence, Extraction, Fact
from .resolve import Resolution
from .vocab import DCTERMS, FOAF, ORG, PK, PROV, RDF, RDFS, SKOS, TIME, XSD

DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}
INSTANT_PROPERTY = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth, "year": TIME.inXSDgYear}
UNIT_CLASSES = {"Division": PK.Division, "Department": PK.Department, "Pole": PK.Pole,
                "Team": PK.Team, "Subsidiary": PK.Subsidiary}
KIND_CLASS = {"person": FOAF.Person, "vendor": PK.Vendor, "company": PK.PartnerCompany,
              "unit": ORG.OrganizationalUnit, "tier": PK.PartnerTier, "role": ORG.Role,
              "programme": PK.PartnerProgramme}
EVENT_LABELS = {"Merger": "fusion", "Creation": "création", "Renaming": "renommage",
                "Dissolution": "dissolution", "Transfer": "transfert",
                "Appointment": "nomination", "Departure": "départ"}


def date_literal(iso: str | None) -> Literal | None:
    if not iso:
        return None
    return typed_date(Date(iso))


def typed_date(d: Date) -> Literal:
    """The date as a literal of the XSD type of its precision."""
    return Literal(d.iso, datatype=DATE_TYPES[d.precision])


def entity_graph(resolution: Resolution, articles: Sequence[Article], iris: Iris) -> Graph:
    g = Graph()
    for e in resolution.entities.values():
        cls = KIND_CLASS[e.kind]
        if e.kind == "unit":
            classes = [UNIT_CLASSES[s] for s in e.subtypes if s in UNIT_CLASSES]
            cls = classes[0] if len(classes) == 1 else ORG.OrganizationalUnit
        elif e.kind == "role" and "PartnerFacingRole" in e.subtypes:
            cls = PK.PartnerFacingRole
        g.add((e.iri, RDF.type, cls))
        g.add((e.iri, RDFS.label, Literal(e.label)))
        for alt in e.alt_labels:
            g.add((e.iri, SKOS.altLabel, Literal(alt)))
    for publisher in sorted({a.publisher for a in articles if a.publisher}):
        p = iris.entity("publisher", publisher)
        g.add((p, RDF.type, PK.Publisher))
        g.add((p, RDFS.label, Literal(publisher)))
    return g


class _ArticleGraph:
    """Builds one article's graph."""

    def __init__(self, article: Article, resolution: Resolution, iris: Iris) -> None:
        self.a = article
        self.res = resolution
        self.iris = iris
        self.g = Graph()
        self.node = iris.article(article.id)
        self.attested = date_literal(article.published.iso) if article.published else None

    def ent(self, mention: int) -> URIRef:
        """The entity IRI of a mention of the article."""
        return self.res.iri(self.a.id, mention)

    def maybe_ent(self, mention: int | None) -> URIRef | None:
        """The entity IRI of an optional mention (None when absent)."""
        return None if mention is None else self.ent(mention)

    def describe_article(self, ex: Extraction) -> None:
        g, a, node = self.g, self.a, self.node
        g.add((node, RDF.type, PK.Article))
        g.add((node, RDFS.label, Literal(a.title or a.id)))
        g.add((node, DCTERMS.identifier, Literal(a.id)))
        if a.title:
            g.add((node, DCTERMS.title, Literal(a.title, lang=a.language)))
        if a.url:
            g.add((node, DCTERMS.source, URIRef(a.url)))
        if a.published:
            g.add((node, DCTERMS.issued, typed_date(a.published)))
            g.add((node, PK.publishedIsEstimate, Literal(a.published_is_estimate)))
        if a.publisher:
            g.add((node, DCTERMS.publisher, self.iris.entity("publisher", a.publisher)))
        g.add((node, DCTERMS.language, Literal(a.language)))
        for i in range(len(ex.mentions)):
            g.add((self.ent(i), DCTERMS.source, node))

    def evidence(self, ev: Evidence, statement: tuple[Node, ...] = ()) -> URIRef:
        iri = self.iris.record("evidence", self.a.id, ev.rule, ev.start, ev.end, *statement)
        g = self.g
        if (iri, RDF.type, PK.Evidence) not in g:
            g.add((iri, RDF.type, PK.Evidence))
            g.add((iri, PK.sentenceText, Literal(ev.sentence)))
            g.add((iri, PK.sentenceIndex, Literal(ev.sentence_index)))
            g.add((iri, PK.startChar, Literal(ev.start)))
            g.add((iri, PK.endChar, Literal(ev.end)))
            g.add((iri, PK.extractionRule, Literal(ev.rule)))
            g.add((iri, PK.confidence, Literal(Decimal(str(round(ev.confidence, 3))))))
            g.add((iri, PROV.wasQuotedFrom, self.node))
        return iri

    def record(self, kind: str, cls: URIRef, fact: Fact, key: Any) -> URIRef:
        iri = self.iris.record(kind, self.a.id, *key)
        self.g.add((iri, RDF.type, cls))
        self.g.add((iri, PROV.wasDerivedFrom, self.evidence(fact.evidence)))
        if self.attested is not None:
            self.g.add((iri, PK.attestedOn, self.attested))
        return iri

    def statement(self, s: Node, p: URIRef, o: Node, ev: Evidence) -> None:
        """A plain triple, stated by its own evidence node (RDF reification)."""
        self.g.add((s, p, o))
        e = self.evidence(ev, (s, p, o))
        self.g.add((e, RDF.subject, s))
        self.g.add((e, RDF.predicate, p))
        self.g.add((e, RDF.object, o))

    def interval(self, owner: URIRef, prop: URIRef, start: str | None, end: str | None) -> None:
        if not start and not end:
            return
        interval = URIRef(f"{owner}/during")
        self.g.add((owner, prop, interval))
        self.g.add((interval, RDF.type, TIME.Interval))
        for iso, link, suffix in ((start, TIME.hasBeginning, "start"), (end, TIME.hasEnd, "end")):
            if iso:
                instant = URIRef(f"{owner}/{suffix}")
                d = Date(iso)
                self.g.add((interval, link, instant))
                self.g.add((instant, RDF.type, TIME.Instant))
                self.g.add((instant, INSTANT_PROPERTY[d.precision], typed_date(d)))

    # --- one method per relation ------------------------------------------------------------
    def membership(self, f: Fact) -> None:
        a = f.args
        person, org = self.ent(a["person"]), self.ent(a["org"])
        head, former = bool(a.get("head")), bool(a.get("former"))
        cls = PK.Headship if head else ORG.Membership
        rec = self.record("headship" if head else "membership", cls, f,
                          (person, org, head, former, a.get("title")))
        link = {(True, False): PK.headshipHolder, (True, True): PK.formerHeadshipHolder,
                (False, False): ORG.member, (False, True): PK.formerMember}[(head, former)]
        self.g.add((rec, link, person))
        self.g.add((rec, ORG.organization, org))
        if a.get("role") is not None:
            self.g.add((rec, ORG.role, self.ent(a["role"])))
        if a.get("title"):
            self.g.add((rec, PK.jobTitle, Literal(a["title"], lang="fr")))
        self.interval(rec, ORG.memberDuring, a.get("start_date"), a.get("end_date"))

    def reportsTo(self, f: Fact) -> None:
        person, boss = self.ent(f.args["person"]), self.ent(f.args["superior"])
        rec = self.record("reporting", PK.ReportingLine, f, (person, boss))
        self.g.add((rec, PK.subordinate, person))
        self.g.add((rec, PK.superior, boss))
        self.interval(rec, PK.validDuring, f.args.get("start_date"), None)

    def subUnitOf(self, f: Fact) -> None:
        self.statement(self.ent(f.args["unit"]), PK.subUnitOf, self.ent(f.args["parent"]),
                       f.evidence)

    def unitOf(self, f: Fact) -> None:
        self.statement(self.ent(f.args["unit"]), ORG.unitOf, self.ent(f.args["org"]),
                       f.evidence)

    def parentCompany(self, f: Fact) -> None:
        self.statement(self.ent(f.args["company"]), PK.parentCompany,
                       self.ent(f.args["parent"]), f.evidence)

    def tierOf(self, f: Fact) -> None:
        vendor = self.ent(f.args["vendor"])
        programme = self.maybe_ent(f.args.get("programme"))
        if programme is None:
            programme = self.iris.entity("programme", str(vendor).rsplit("/", 1)[-1],
                                         "partner-programme")
            name = self.res.entities[vendor].label if vendor in self.res.entities else ""
            self.g.add((programme, RDF.type, PK.PartnerProgramme))
            self.g.add((programme, RDFS.label, Literal(f"programme partenaires {name}".strip(),
                                                       lang="fr")))
        self.statement(self.ent(f.args["tier"]), SKOS.inScheme, programme, f.evidence)
        self.statement(programme, PK.programmeOf, vendor, f.evidence)

    def tierRank(self, f: Fact) -> None:
        self.statement(self.ent(f.args["lower"]), PK.immediatelyBelow,
                       self.ent(f.args["higher"]), f.evidence)

    def requirement(self, f: Fact) -> None:
        a = f.args
        cls = (PK.PointsRequirement if a.get("points") is not None else PK.RevenueRequirement
               if a.get("amount") is not None else PK.CertificationRequirement
               if a.get("staff") is not None else PK.Requirement)
        tier = self.ent(a["tier"])
        rec = self.record("requirement", cls, f, (tier, a.get("points"), a.get("amount"),
                                                  a.get("currency"), a.get("staff")))
        self.g.add((tier, PK.hasRequirement, rec))
        self.g.add((rec, PK.requirementText, Literal(a["text"], lang="fr")))
        if a.get("points") is not None:
            self.g.add((rec, PK.minimumPoints, Literal(int(a["points"]))))
        if a.get("amount") is not None:
            self.g.add((rec, PK.minimumAmount, Literal(Decimal(str(a["amount"])).normalize(),
                                                       datatype=XSD.decimal)))
            self.g.add((rec, PK.currency, Literal(a["currency"])))
        if a.get("staff") is not None:
            self.g.add((rec, PK.minimumCertifiedStaff, Literal(int(a["staff"]))))

    def partnerStatus(self, f: Fact) -> None:
        company, tier = self.ent(f.args["company"]), self.ent(f.args["tier"])
        rec = self.record("status", PK.PartnerStatus, f, (company, tier))
        self.g.add((rec, PK.partner, company))
        self.g.add((rec, PK.atTier, tier))

    def roleReplaces(self, f: Fact) -> None:
        self.statement(self.ent(f.args["role"]), PK.replaces, self.ent(f.args["old"]),
                       f.evidence)

    def roleUsedBy(self, f: Fact) -> None:
        self.statement(self.ent(f.args["role"]), PK.roleUsedBy, self.ent(f.args["org"]),
                       f.evidence)

    def event(self, f: Fact) -> None:
        a = f.args
        before = [self.ent(u) for u in a.get("before", [])]
        after = [self.ent(u) for u in a.get("after", [])]
        person = self.maybe_ent(a.get("person"))
        rec = self.record("event", PK[a["type"]], f, (a["type"], *before, "->", *after, person))
        names = [self.res.entities[u].label for u in before + after if u in self.res.entities]
        if person is not None and person in self.res.entities:
            names.insert(0, self.res.entities[person].label)
        label = EVENT_LABELS[a["type"]] + (" : " + ", ".join(names) if names else "")
        self.g.add((rec, RDFS.label, Literal(label, lang="fr")))
        for u in before:
            self.g.add((rec, ORG.originalOrganization, u))
        for u in after:
            self.g.add((rec, ORG.resultingOrganization, u))
        if person is not None:
            self.g.add((rec, PK.concernsPerson, person))
        org = self.maybe_ent(a.get("org"))
        if org is not None:
            self.g.add((rec, PK.concernsOrganization, org))
        if a.get("date"):
            self.g.add((rec, DCTERMS.date, typed_date(Date(a["date"]))))

    def figure(self, f: Fact) -> None:
        a = f.args
        subject = self.ent(a["subject"])
        rec = self.record("figure", PK.Figure, f, (subject, a["value"], a["measure"]))
        self.g.add((rec, PK.figureOf, subject))
        self.g.add((rec, PK.value, Literal(Decimal(str(a["value"])).normalize(),
                                           datatype=XSD.decimal)))
        self.g.add((rec, PK.measure, Literal(a["measure"], lang="fr")))
        self.g.add((rec, PK.figureText, Literal(a["text"], lang="fr")))


def article_graph(article: Article, extraction: Extraction, resolution: Resolution,
                  iris: Iris) -> Graph:
    builder = _ArticleGraph(article, resolution, iris)
    builder.describe_article(extraction)
    for fact in extraction.facts:
        getattr(builder, fact.relation)(fact)
    return builder.g


def populate(articles: Sequence[Article], extractions: Sequence[Extraction],
             resolution: Resolution, iris: Iris) -> dict[URIRef, Graph]:
    """Named graph IRI -> graph: the entities graph and one graph per article."""
    graphs = {iris.graph("entities"): entity_graph(resolution, articles, iris)}
    for article, extraction in zip(articles, extractions, strict=True):
        graphs[iris.article_graph(article.id)] = article_graph(article, extraction,
                                                               resolution, iris)
    return graphs
