"""A seeded generator of synthetic partnerkg data, following the ABox model of ontology/README.md.

Each vendor has a tree of units (depth ``depth``, about ``branching`` children per unit, a few
units with a second parent), a head per unit (``pk:Headship`` records, some ended), staff
(``org:Membership`` records), stated reporting lines (``pk:ReportingLine``), a partner programme
whose tiers are ordered by ``pk:immediatelyBelow``, partner companies with a ``pk:PartnerStatus``,
and mergers. Records are ``prov:wasDerivedFrom`` a ``pk:Evidence`` quoted from a ``pk:Article``;
plain triples (a unit's parent, a tier's order) are stated by an evidence node with
``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``. Entities go to ``{base}graph/entities``,
the rest to one ``{base}graph/article/{id}`` per article.

    python benchmarks/synthetic_org.py 100000 --seed 1 > synthetic.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

PK = "https://w3id.org/partnerkg/ontology#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://example.org/partnerkg/"

UNIT_CLASSES = ("Division", "Department", "Pole", "Team", "Team", "Team", "Team")
FIRST = ("Anne", "Bruno", "Chloé", "David", "Élise", "Fabien", "Hélène", "Inès", "Jules", "Léa")
LAST = ("Arnaud", "Benoît", "Caron", "Dupré", "Étienne", "Faure", "Girard", "Hamon", "Joly")
PUBLISHERS = ("La Lettre du Channel", "Revendeurs Hebdo", "IT Partenaires")


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: object, datatype: str | None = None, lang: str | None = None) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{text}"@{lang}'
    return f'"{text}"^^<{XSD}{datatype}>' if datatype else f'"{text}"'


@dataclass
class Generator:
    """Writes N-Quads lines; ``lines`` grows until the caller stops asking for units."""

    seed: int = 0
    base: str = BASE
    depth: int = 6
    branching: int = 4
    staff_per_unit: float = 2.0
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.counter = 0
        self.article = ""
        self.article_id = ""
        self.article_records = 0
        self.graph = ""
        self.entities = iri(f"{self.base}graph/entities")
        self.publishers: set[str] = set()
        self.roles = self._roles()

    # --- low level ----------------------------------------------------------------------------
    def _id(self, kind: str) -> str:
        self.counter += 1
        return iri(f"{self.base}id/{kind}/{self.counter:x}")

    def _add(self, s: str, p: str, o: str, graph: str | None = None) -> None:
        self.lines.append(f"{s} {p} {o} {graph or self.graph} .")

    def _record_id(self, kind: str) -> str:
        self.counter += 1
        return iri(f"{self.base}id/{kind}/{self.article_id}/{self.counter:x}")

    def _date(self) -> str:
        year = self.rng.randint(2012, 2024)
        if self.rng.random() < 0.5:
            return literal(f"{year}-{self.rng.randint(1, 12):02d}", "gYearMonth")
        return literal(
            f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}", "date"
        )

    def _next_article(self) -> None:
        """A new article every ~25 records: its own named graph and metadata."""
        self.article_id = f"syn-{self.seed}-{len(self.lines)}"
        self.article = iri(f"{self.base}id/article/{self.article_id}")
        self.graph = iri(f"{self.base}graph/article/{self.article_id}")
        self.article_records = 0
        publisher = PUBLISHERS[self.rng.randrange(len(PUBLISHERS))]
        pub = iri(f"{self.base}id/publisher/p{PUBLISHERS.index(publisher)}")
        a = self.article
        self._add(a, iri(RDF + "type"), iri(PK + "Article"))
        self._add(a, iri(DCT + "identifier"), literal(self.article_id))
        self._add(a, iri(DCT + "source"), iri(f"https://news.example.org/{self.article_id}"))
        self._add(a, iri(DCT + "issued"), self._date())
        self._add(a, iri(DCT + "publisher"), pub)
        self._add(a, iri(RDFS + "label"), literal(f"Réorganisation {self.article_id}", lang="fr"))
        if pub not in self.publishers:
            self.publishers.add(pub)
            self._add(pub, iri(RDF + "type"), iri(PK + "Publisher"), self.entities)
            self._add(pub, iri(RDFS + "label"), literal(publisher), self.entities)

    def _evidence(self, sentence: str, statement: tuple[str, str, str] | None = None) -> str:
        if not self.article or self.article_records >= 25:
            self._next_article()
        self.article_records += 1
        ev = self._record_id("evidence")
        index = self.article_records
        self._add(ev, iri(RDF + "type"), iri(PK + "Evidence"))
        self._add(ev, iri(PK + "sentenceText"), literal(sentence, lang="fr"))
        self._add(ev, iri(PK + "sentenceIndex"), literal(index, "integer"))
        self._add(ev, iri(PK + "startChar"), literal(index * 120, "integer"))
        self._add(ev, iri(PK + "endChar"), literal(index * 120 + len(sentence), "integer"))
        self._add(ev, iri(PK + "extractionRule"), literal("synthetic"))
        self._add(ev, iri(PK + "confidence"), literal("0.8", "decimal"))
        self._add(ev, iri(PROV + "wasQuotedFrom"), self.article)
        if statement is not None:
            s, p, o = statement
            self._add(ev, iri(RDF + "subject"), s)
            self._add(ev, iri(RDF + "predicate"), p)
            self._add(ev, iri(RDF + "object"), o)
        return ev

    def _entity(self, node: str, cls: str, label: str) -> None:
        self._add(node, iri(RDF + "type"), iri(cls), self.entities)
        self._add(node, iri(RDFS + "label"), literal(label), self.entities)
        if self.article:  # the article that mentions it
            self._add(node, iri(DCT + "source"), self.article, self.entities)

    def _person(self) -> tuple[str, str]:
        node = self._id("person")
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)} {self.counter:x}"
        self._entity(node, FOAF + "Person", name)
        return node, name

    def _interval(self, record: str, begins: bool) -> None:
        interval, instant = self._record_id("interval"), self._record_id("instant")
        self._add(record, iri(ORG + "memberDuring"), interval)
        self._add(interval, iri(RDF + "type"), iri(TIME + "Interval"))
        self._add(interval, iri(TIME + ("hasBeginning" if begins else "hasEnd")), instant)
        self._add(instant, iri(RDF + "type"), iri(TIME + "Instant"))
        date = self._date()
        prop = "inXSDDate" if "#date>" in date else "inXSDgYearMonth"
        self._add(instant, iri(TIME + prop), date)

    def _roles(self) -> dict[str, str]:
        roles = {}
        for key, label, cls in (
            ("head", "Directeur", ORG + "Role"),
            ("sales", "Directeur des ventes", ORG + "Role"),
            ("pam", "Partner Account Manager", PK + "PartnerFacingRole"),
            ("pdm", "Partner Development Manager", PK + "PartnerFacingRole"),
        ):
            node = iri(f"{self.base}id/role/{key}")
            self._entity(node, cls, label)
            roles[key] = node
        self._add(roles["pam"], iri(SKOS + "altLabel"), literal("PAM"), self.entities)
        self._add(roles["pdm"], iri(PK + "replaces"), roles["pam"], self.entities)
        return roles

    # --- records ------------------------------------------------------------------------------
    def _headship(self, person: str, name: str, unit: str, label: str, former: bool) -> None:
        ev = self._evidence(f"{name} {'a dirigé' if former else 'dirige'} {label}.")
        h = self._record_id("headship")
        holder = "formerHeadshipHolder" if former else "headshipHolder"
        self._add(h, iri(RDF + "type"), iri(PK + "Headship"))
        self._add(h, iri(PK + holder), person)
        self._add(h, iri(ORG + "organization"), unit)
        self._add(h, iri(ORG + "role"), self.roles["head"])
        self._add(h, iri(PK + "jobTitle"), literal(f"directeur de {label}", lang="fr"))
        self._add(h, iri(PK + "attestedOn"), self._date())
        self._add(h, iri(PROV + "wasDerivedFrom"), ev)
        if former or self.rng.random() < 0.25:
            self._interval(h, begins=not former)

    def _membership(self, person: str, name: str, unit: str, label: str, head: str) -> None:
        role = self.roles[self.rng.choice(("sales", "pam", "pdm"))]
        former = self.rng.random() < 0.05
        ev = self._evidence(f"{name} {'a rejoint' if not former else 'a quitté'} {label}.")
        m = self._record_id("membership")
        self._add(m, iri(RDF + "type"), iri(ORG + "Membership"))
        self._add(m, iri(PK + ("formerMember" if former else "member")), person)
        self._add(m, iri(ORG + "organization"), unit)
        self._add(m, iri(ORG + "role"), role)
        self._add(m, iri(PK + "jobTitle"), literal(f"responsable partenaires {label}", lang="fr"))
        self._add(m, iri(PK + "attestedOn"), self._date())
        self._add(m, iri(PROV + "wasDerivedFrom"), ev)
        if not former and self.rng.random() < 0.3:
            self._reporting_line(person, head, ev)

    def _reporting_line(self, subordinate: str, superior: str, ev: str) -> None:
        r = self._record_id("reporting")
        self._add(r, iri(RDF + "type"), iri(PK + "ReportingLine"))
        self._add(r, iri(PK + "subordinate"), subordinate)
        self._add(r, iri(PK + "superior"), superior)
        self._add(r, iri(PK + "attestedOn"), self._date())
        self._add(r, iri(PROV + "wasDerivedFrom"), ev)

    def _stated(self, s: str, p: str, o: str, sentence: str) -> None:
        self._evidence(sentence, (s, iri(p), o))
        self._add(s, iri(p), o)

    # --- a vendor ----------------------------------------------------------------------------
    def _programme(self, vendor: str, v: int, label: str) -> list[str]:
        prog = iri(f"{self.base}id/programme/vendor-{v}/partenaires")
        self._entity(prog, PK + "PartnerProgramme", f"Programme partenaires {label}")
        self._stated(prog, PK + "programmeOf", vendor, f"Le programme partenaires de {label}.")
        tiers = []
        for k, name in enumerate(("Registered", "Silver", "Gold", "Platinum")):
            tier = iri(f"{self.base}id/tier/vendor-{v}/{name.lower()}")
            self._entity(tier, PK + "PartnerTier", name)
            self._add(tier, iri(SKOS + "inScheme"), prog, self.entities)
            req = self._record_id("requirement")
            self._add(tier, iri(PK + "hasRequirement"), req)
            self._add(req, iri(RDF + "type"), iri(PK + "PointsRequirement"))
            self._add(req, iri(PK + "minimumPoints"), literal(50 * (k + 1), "integer"))
            self._add(
                req, iri(PK + "requirementText"), literal(f"{50 * (k + 1)} points", lang="fr")
            )
            if tiers:
                self._stated(tiers[-1], PK + "immediatelyBelow", tier, f"Puis vient {name}.")
            tiers.append(tier)
        return tiers

    def _partner(self, v: int, k: int, tiers: list[str]) -> None:
        company = iri(f"{self.base}id/org/partner-{v}-{k}")
        self._entity(company, PK + "PartnerCompany", f"Intégrateur {v}-{k}")
        ev = self._evidence(f"Intégrateur {v}-{k} est partenaire.")
        st = self._record_id("status")
        self._add(st, iri(RDF + "type"), iri(PK + "PartnerStatus"))
        self._add(st, iri(PK + "partner"), company)
        self._add(st, iri(PK + "atTier"), self.rng.choice(tiers))
        self._add(st, iri(PK + "attestedOn"), self._date())
        self._add(st, iri(PROV + "wasDerivedFrom"), ev)

    def _merger(self, units: list[str]) -> None:
        a, b, c = self.rng.sample(units, 3)
        ev = self._evidence("Deux entités fusionnent.")
        e = self._record_id("event")
        self._add(e, iri(RDF + "type"), iri(PK + "Merger"))
        self._add(e, iri(RDFS + "label"), literal("fusion", lang="fr"))
        self._add(e, iri(ORG + "originalOrganization"), a)
        self._add(e, iri(ORG + "originalOrganization"), b)
        self._add(e, iri(ORG + "resultingOrganization"), c)
        self._add(e, iri(DCT + "date"), self._date())
        self._add(e, iri(PROV + "wasDerivedFrom"), ev)

    def vendor(self, v: int, limit: int) -> None:
        """One vendor, its programme, partners and units (breadth first, until ``limit``)."""
        vendor = iri(f"{self.base}id/org/vendor-{v}")
        label = f"Éditeur {v}"
        self._entity(vendor, PK + "Vendor", label)
        self._add(self.roles["pam"], iri(PK + "roleUsedBy"), vendor, self.entities)
        tiers = self._programme(vendor, v, label)
        boss, boss_name = self._person()
        self._headship(boss, boss_name, vendor, label, former=False)
        queue: list[tuple[str, int, str, str]] = [("", 0, vendor, boss)]  # path, depth, node, head
        by_depth: dict[int, list[str]] = {}
        done = 0
        while queue and len(self.lines) < limit:
            path, depth, parent, parent_head = queue.pop(0)
            if depth == self.depth:
                continue
            n = max(1, self.branching + self.rng.randint(-1, 1))
            for i in range(n):
                child_path = f"{path}-{i + 1}"
                unit = iri(f"{self.base}id/unit/vendor-{v}/u{child_path}")
                unit_label = f"Entité {v}{child_path}"
                head = self._unit(unit, unit_label, depth, parent, parent_head, by_depth)
                queue.append((child_path, depth + 1, unit, head))
                by_depth.setdefault(depth + 1, []).append(unit)
                done += 1
                if done % 40 == 0:
                    self._partner(v, done // 40, tiers)
                if done % 200 == 0:
                    self._merger(by_depth[depth + 1][-3:])

    def _unit(
        self,
        unit: str,
        label: str,
        depth: int,
        parent: str,
        parent_head: str,
        by_depth: dict[int, list[str]],
    ) -> str:
        cls = PK + ("Subsidiary" if depth == 0 and unit.endswith("-1>") else UNIT_CLASSES[depth])
        self._entity(unit, cls, label)
        prop = ORG + "unitOf" if depth == 0 else PK + "subUnitOf"
        self._stated(unit, prop, parent, f"{label} est rattachée à son entité mère.")
        siblings = by_depth.get(depth, [])
        if depth >= 2 and len(siblings) > 1 and self.rng.random() < 0.01:  # a second parent
            other = self.rng.choice(siblings)
            if other != parent:
                self._stated(unit, PK + "subUnitOf", other, f"{label} dépend aussi d'une autre.")
        head, head_name = self._person()
        self._headship(head, head_name, unit, label, former=False)
        if depth == 0:  # top units: their head's line to the vendor's head is stated
            self._reporting_line(head, parent_head, self._evidence(f"{head_name} rapporte."))
        if self.rng.random() < 0.1:
            former, former_name = self._person()
            self._headship(former, former_name, unit, label, former=True)
        for _ in range(self.rng.randint(0, int(2 * self.staff_per_unit))):
            person, name = self._person()
            self._membership(person, name, unit, label, head)
        return head


def generate(size: int, seed: int = 0, base: str = BASE) -> list[str]:
    """About ``size`` N-Quads lines (a little more: the last unit is completed)."""
    gen = Generator(seed=seed, base=base)
    v = 0
    while len(gen.lines) < size:
        gen.vendor(v, size)
        v += 1
    return gen.lines


def iter_nquads(size: int, seed: int = 0, base: str = BASE) -> Iterator[str]:
    for line in generate(size, seed, base):
        yield line + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="approximate number of triples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", default=BASE)
    args = parser.parse_args(argv)
    sys.stdout.writelines(iter_nquads(args.size, args.seed, args.base))


if __name__ == "__main__":
    main()
