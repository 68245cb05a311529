"""Why does a triple hold? A proof search over the ontology's rules, against the store.

``explain(store, subject, predicate, object)`` chains backwards from the triple through the
axioms of the ontology as written (sub-class and sub-property, domain, range, inverse,
symmetric and transitive properties, property chains), following only triples the store
holds (asserted or inferred), down to asserted facts. Each asserted fact is traced to its
record (a pk:Headship, org:Membership, pk:ReportingLine... node, ``prov:wasDerivedFrom`` a
pk:Evidence) or, for a plain triple, to the evidence node that states it (rdf:subject /
rdf:predicate / rdf:object); the evidence gives the sentence and the article.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .errors import NotFound
from .resources import ontology_file
from .rules import Axioms, curie, schema_predicate, stated_axioms
from .store import Store, from_ox, to_ox
from .vocab import PK, PREFIXES

Triple = tuple[Node, Node, Node]
Premise = tuple[Triple, bool]  # a triple to prove, and whether transitivity may conclude it
BUDGET = 20_000  # goals examined at most


class _OutOfBudget(Exception):
    pass


# --- reading the store ---------------------------------------------------------------------------
class StoreFacts:
    """Triple lookups over every graph of the store; ``inferred`` names the inferred graph."""

    def __init__(self, store: Store, inferred: URIRef | None, ontology: URIRef | None) -> None:
        self.store = store
        self.inferred = str(inferred) if inferred is not None else None
        self.ontology = str(ontology) if ontology is not None else None

    def _quads(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Any]:
        conv = [None if t is None else to_ox(t) for t in (s, p, o)]
        return self.store.ox.quads_for_pattern(conv[0], conv[1], conv[2], None)

    def graphs(self, t: Triple) -> list[str]:
        names = {
            q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            for q in self._quads(*t)
        }
        return sorted(names)

    def holds(self, t: Triple) -> bool:
        return next(iter(self._quads(*t)), None) is not None

    def asserted(self, t: Triple) -> bool:
        return any(g != self.inferred for g in self.graphs(t))

    def objects(self, s: Node, p: Node) -> list[Node]:
        return sorted({from_ox(q.object) for q in self._quads(s, p, None)}, key=str)

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return sorted({from_ox(q.subject) for q in self._quads(None, p, o)}, key=str)

    def value(self, s: Node, *preds: Node) -> Node | None:
        for p in preds:
            values = self.objects(s, p)
            if values:
                return values[0]
        return None


# --- the explanation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """Where an asserted fact comes from."""

    record: Node | None  # the record node, or None for a plain triple / an ontology axiom
    record_type: Node | None
    graph: str | None
    evidence: Node | None = None
    sentence: str | None = None
    article: str | None = None  # dcterms:identifier
    url: str | None = None  # dcterms:source
    title: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return (str(self.record or ""), str(self.evidence or ""), str(self.graph or ""))


@dataclass
class Step:
    triple: Triple
    asserted: bool
    axiom: str | None = None  # the rule that concludes the triple (None when asserted)
    premises: list[Step] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def walk(self) -> Iterator[Step]:
        yield self
        for p in self.premises:
            yield from p.walk()


@dataclass
class Explanation:
    triple: Triple
    root: Step | None  # None when no derivation was found within the search budget
    labels: dict[Node, str]

    @property
    def asserted(self) -> bool:
        return self.root is not None and self.root.asserted

    def axioms(self) -> list[str]:
        out = [s.axiom for s in self.root.walk() if s.axiom] if self.root else []
        return list(dict.fromkeys(out))

    def records(self) -> list[tuple[Source, list[Triple]]]:
        """Each source once, with the asserted facts it gave, in the order of the proof."""
        found: dict[tuple[str, ...], tuple[Source, list[Triple]]] = {}
        for step in self.root.walk() if self.root else []:
            for src in step.sources:
                facts = found.setdefault(src.key, (src, []))[1]
                if step.triple not in facts:
                    facts.append(step.triple)
        return list(found.values())

    def name(self, term: Node) -> str:
        """Vocabulary terms as CURIEs, entities by their label."""
        short = curie(term)
        if isinstance(term, URIRef) and not short.startswith("<"):
            return short
        return self.labels.get(term) or short

    def fact(self, t: Triple) -> str:
        return f"{self.name(t[0])} {curie(t[1])} {self.name(t[2])}"

    def to_text(self) -> str:
        status = "asserted" if self.asserted else "inferred"
        lines = [f"{self.fact(self.triple)}  ({status})", ""]
        if self.root is None:
            lines.append("No derivation found within the search budget.")
            return "\n".join(lines)
        index = {src.key: i for i, (src, _) in enumerate(self.records(), 1)}
        lines.append("Derivation:")
        self._tree(self.root, 1, lines, index)
        lines += ["", "Asserted facts and their sources:"]
        for i, (src, facts) in enumerate(self.records(), 1):
            lines.append(f"  [{i}] {self._source_title(src)}")
            lines += [f"      {self.fact(t)}" for t in facts]
            lines += [f"      {x}" for x in self._source_details(src)]
        axioms = self.axioms()
        if axioms:
            lines += ["", "Ontology axioms used:", *(f"  {a}" for a in axioms)]
        return "\n".join(lines)

    def _tree(self, step: Step, depth: int, lines: list[str], index: dict[Any, int]) -> None:
        pad = "  " * depth
        if step.asserted:
            refs = ", ".join(f"[{index[s.key]}]" for s in step.sources)
            lines.append(f"{pad}{self.fact(step.triple)}   asserted {refs}")
            return
        lines.append(f"{pad}{self.fact(step.triple)}")
        lines.append(f"{pad}  by {step.axiom}")
        for p in step.premises:
            self._tree(p, depth + 2, lines, index)

    def _source_title(self, src: Source) -> str:
        if src.record is not None:
            kind = curie(src.record_type) if src.record_type is not None else "record"
            return f"{kind} {curie(src.record)}"
        if src.graph is not None and src.graph.endswith("graph/ontology"):
            return "stated in the ontology"
        return "plain triple" + (f" in graph <{src.graph}>" if src.graph else "")

    def _source_details(self, src: Source) -> list[str]:
        out = []
        if src.article or src.url or src.title:
            article = " ".join(x for x in (src.article, f"<{src.url}>" if src.url else None) if x)
            title = f": {src.title}" if src.title and src.title != src.article else ""
            out.append(f"article {article}{title}")
        if src.sentence:
            out.append(f"« {src.sentence} »")
        elif src.record is not None or (src.graph and not src.graph.endswith("graph/ontology")):
            out.append("(no evidence sentence recorded)")
        return out

    def to_dict(self) -> dict[str, Any]:
        index = {src.key: i for i, (src, _) in enumerate(self.records(), 1)}
        return {
            "subject": self._term(self.triple[0]),
            "predicate": self._term(self.triple[1]),
            "object": self._term(self.triple[2]),
            "status": "asserted" if self.asserted else "inferred",
            "complete": self.root is not None,
            "proof": self._step(self.root, index) if self.root else None,
            "records": [
                {
                    "id": i,
                    "record": str(src.record) if src.record is not None else None,
                    "type": str(src.record_type) if src.record_type is not None else None,
                    "graph": src.graph,
                    "evidence": str(src.evidence) if src.evidence is not None else None,
                    "sentence": src.sentence,
                    "article": src.article,
                    "url": src.url,
                    "title": src.title,
                    "facts": [self.fact(t) for t in facts],
                }
                for i, (src, facts) in enumerate(self.records(), 1)
            ],
            "axioms": self.axioms(),
        }

    def _term(self, term: Node) -> dict[str, Any]:
        return {"value": str(term), "label": self.labels.get(term), "curie": curie(term)}

    def _step(self, step: Step, index: dict[Any, int]) -> dict[str, Any]:
        return {
            "subject": str(step.triple[0]),
            "predicate": str(step.triple[1]),
            "object": str(step.triple[2]),
            "text": self.fact(step.triple),
            "asserted": step.asserted,
            "axiom": step.axiom,
            "records": [index[s.key] for s in step.sources],
            "premises": [self._step(p, index) for p in step.premises],
        }


# --- the proof search ----------------------------------------------------------------------------
def _invert(m: Any) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for k, vs in m.items():
        for v in vs:
            out.setdefault(v, set()).add(k)
    return out


class Prover:
    """Backward chaining with loop checking; proofs are memoised, failures are not (a goal can
    fail only because an ancestor is on the stack)."""

    def __init__(self, facts: StoreFacts, ax: Axioms, budget: int = BUDGET) -> None:
        self.facts = facts
        self.ax = ax
        self.budget = budget
        self.subproperties = _invert(ax.subproperty)
        self.subclasses = _invert(ax.subclass)
        self.with_domain = _invert(ax.domain)
        self.with_range = _invert(ax.range)
        self.memo: dict[tuple[Triple, bool], Step] = {}

    def prove(
        self, t: Triple, stack: frozenset[Triple] = frozenset(), trans: bool = True
    ) -> Step | None:
        for key in ((t, False), (t, True)) if trans else ((t, False),):
            if key in self.memo:
                return self.memo[key]
        if t in stack or not self.facts.holds(t):
            return None
        self.budget -= 1
        if self.budget < 0:
            raise _OutOfBudget
        if self.facts.asserted(t):
            step = Step(t, True, sources=self.sources(t))
            self.memo[(t, False)] = step
            return step
        inner = stack | {t}
        for axiom, premises, used_trans in self._derivations(t, inner, trans):
            proofs = []
            for triple, allow in premises:
                proof = self.prove(triple, inner, allow)
                if proof is None:
                    break
                proofs.append(proof)
            else:
                step = Step(t, False, axiom, proofs)
                self.memo[(t, used_trans)] = step
                return step
        if schema_predicate(t[1]):
            return Step(t, False, "OWL 2 RL schema rules (scm-*) over the ontology")
        return None

    def _derivations(
        self, t: Triple, stack: frozenset[Triple], trans: bool
    ) -> Iterator[tuple[str, list[Premise], bool]]:
        s, p, o = t
        ax, facts, P = self.ax, self.facts, str(p)
        if p == RDF.type:
            c = str(o)
            for d in sorted(self.subclasses.get(c, ())):
                yield f"{curie(URIRef(d))} ⊑ {curie(o)}", [((s, RDF.type, URIRef(d)), True)], False
            for q in sorted(self.with_domain.get(c, ())):
                for y in facts.objects(s, URIRef(q)):
                    yield (
                        f"{curie(URIRef(q))} has domain {curie(o)}",
                        [((s, URIRef(q), y), True)],
                        False,
                    )
            for q in sorted(self.with_range.get(c, ())):
                for x in facts.subjects(URIRef(q), s):
                    yield (
                        f"{curie(URIRef(q))} has range {curie(o)}",
                        [((x, URIRef(q), s), True)],
                        False,
                    )
            return
        for q in sorted(self.subproperties.get(P, ())):
            yield f"{curie(URIRef(q))} ⊑ {curie(p)}", [((s, URIRef(q), o), True)], False
        for body in ax.chains.get(P, ()):
            text = f"{curie(p)} ⊒ " + " ∘ ".join(curie(URIRef(b)) for b in body)
            for path in self._paths(s, [URIRef(b) for b in body], o):
                yield text, [(e, True) for e in path], False
        if trans and P in ax.transitive:
            steps = self._transitive_path(t, stack)
            if steps is not None:
                yield f"{curie(p)} is transitive", [(e, False) for e in steps], True
        for q in sorted(ax.inverse.get(P, ())):
            yield f"{curie(p)} ≡ {curie(URIRef(q))}⁻", [((o, URIRef(q), s), True)], False
        if P in ax.symmetric:
            yield f"{curie(p)} is symmetric", [((o, p, s), True)], False

    def _paths(self, x: Node, body: list[URIRef], end: Node) -> Iterator[list[Triple]]:
        if len(body) == 1:
            if self.facts.holds((x, body[0], end)):
                yield [(x, body[0], end)]
            return
        for y in self.facts.objects(x, body[0]):
            for rest in self._paths(y, body[1:], end):
                yield [(x, body[0], y), *rest]

    def _transitive_path(self, t: Triple, stack: frozenset[Triple]) -> list[Triple] | None:
        """Shortest path of edges provable without transitivity (breadth first)."""
        s, p, o = t
        previous: dict[Node, Node] = {s: s}
        queue = deque([s])
        while queue:
            a = queue.popleft()
            for b in self.facts.objects(a, p):
                if b in previous or (a == s and b == o):
                    continue
                if self.prove((a, p, b), stack, trans=False) is None:
                    continue
                previous[b] = a
                if b == o:
                    path = []
                    while b != s:
                        path.append((previous[b], p, b))
                        b = previous[b]
                    return path[::-1]
                queue.append(b)
        return None

    # --- sources -----------------------------------------------------------------------------
    def sources(self, t: Triple) -> list[Source]:
        facts = self.facts
        graphs = [g for g in facts.graphs(t) if g != facts.inferred]
        graph = graphs[0] if graphs else None
        s, p, o = t
        if facts.ontology is not None and facts.ontology in graphs:
            return [Source(None, None, facts.ontology)]
        evidence = facts.objects(s, PROV.wasDerivedFrom)
        if evidence:
            return [self._source(s, self._record_type(s), graph, ev) for ev in evidence]
        stated = set(facts.subjects(RDF.subject, s))
        stated &= set(facts.subjects(RDF.predicate, p))
        stated &= set(facts.subjects(RDF.object, o))
        if stated:
            return [self._source(None, None, graph, ev) for ev in sorted(stated, key=str)]
        return [Source(None, None, graph, article=_article_of_graph(graph))]

    def _record_type(self, record: Node) -> Node | None:
        """The most specific asserted type of a record."""
        types = [
            c
            for c in self.facts.objects(record, RDF.type)
            if self.facts.asserted((record, RDF.type, c))
        ]
        specific = [
            c for c in types if not self.subclasses.get(str(c), set()) & {str(t) for t in types}
        ]
        return (specific or types)[0] if types else None

    def _source(
        self, record: Node | None, rtype: Node | None, graph: str | None, ev: Node
    ) -> Source:
        f = self.facts
        sentence = f.value(ev, PK.sentenceText)
        article = f.value(ev, PROV.wasQuotedFrom)
        ident = url = title = None
        if article is not None:
            ident = f.value(article, DCTERMS.identifier)
            url = f.value(article, DCTERMS.source)
            title = f.value(article, RDFS.label, DCTERMS.title)
        return Source(
            record,
            rtype,
            graph,
            ev,
            str(sentence) if sentence is not None else None,
            str(ident) if ident is not None else _article_of_graph(graph),
            str(url) if url is not None else None,
            str(title) if title is not None else None,
        )


def _article_of_graph(graph: str | None) -> str | None:
    return graph.rsplit("/graph/article/", 1)[1] if graph and "/graph/article/" in graph else None


# --- resolving the user's terms ------------------------------------------------------------------
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^\s]*[/#])")


def normalise(text: str) -> str:
    """Case-, accent- and space-insensitive form of a label."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def resolve_predicate(text: str) -> URIRef:
    t = text.strip()
    if t == "a":
        return URIRef(RDF.type)
    if t.startswith("<") and t.endswith(">"):
        return URIRef(t[1:-1])
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if _IRI.match(t):
        return URIRef(t)
    raise NotFound(
        f"unknown predicate {text!r}: write a CURIE with one of the prefixes "
        f"{', '.join(PREFIXES)} (e.g. org:reportsTo) or a full IRI"
    )


def resolve_term(store: Store, text: str) -> Node:
    """An IRI, a CURIE, or an entity's label (rdfs:label or skos:altLabel)."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        return URIRef(t[1:-1])
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and " " not in t and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if _IRI.match(t) and " " not in t:
        return URIRef(t)
    key = normalise(t)
    found: set[Node] = set()
    for pred in (RDFS.label, SKOS.altLabel):
        for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(pred)), None, None):
            if isinstance(q.object, ox.Literal) and normalise(q.object.value) == key:
                found.add(from_ox(q.subject))
    if len(found) == 1:
        return found.pop()
    if not found:
        raise NotFound(
            f"no entity labelled {text!r}: give its IRI, or its label (any case/accents)"
        )
    names = ", ".join(f"<{x}>" for x in sorted(found, key=str)[:5])
    raise NotFound(f"{text!r} names several entities ({names}): give the IRI instead")


def _labels(facts: StoreFacts, nodes: set[Node]) -> dict[Node, str]:
    out: dict[Node, str] = {}
    for n in nodes:
        if isinstance(n, URIRef):
            values = [v for v in facts.objects(n, RDFS.label) if isinstance(v, Literal)]
            if values:
                fr = [v for v in values if v.language in (None, "fr")]
                out[n] = str((fr or values)[0])
    return out


def _graph_named(store: Store, suffix: str) -> URIRef | None:
    names = [g for g in store.graph_names() if str(g).endswith(suffix)]
    return names[0] if len(names) == 1 else None


def explain(
    store: Store,
    subject: str,
    predicate: str,
    object: str,
    *,
    ontology: Graph | None = None,
    inferred_graph: URIRef | None = None,
    ontology_graph: URIRef | None = None,
    budget: int = BUDGET,
) -> Explanation:
    """Why (subject, predicate, object) holds in ``store``.

    Terms are IRIs, CURIEs or labels. The inferred and ontology graphs default to the store's
    graphs named ``.../graph/inferred`` and ``.../graph/ontology``; the ontology to the one in
    the store, else the shipped ontology file. Raises NotFound if the triple does not hold.
    """
    t = (resolve_term(store, subject), resolve_predicate(predicate), resolve_term(store, object))
    inferred = inferred_graph or _graph_named(store, "graph/inferred")
    onto_graph = ontology_graph or _graph_named(store, "graph/ontology")
    facts = StoreFacts(store, inferred, onto_graph)
    if not facts.holds(t):
        raise NotFound(
            f"{curie(t[0])} {curie(t[1])} {curie(t[2])} is neither asserted nor inferred "
            "in the graph (was it built with reasoning?)"
        )
    if ontology is None:
        ontology = Graph()
        if onto_graph is not None:
            for triple in store.triples(onto_graph):
                ontology.add(triple)
        if len(ontology) == 0:
            ontology.parse(ontology_file())
    prover = Prover(facts, stated_axioms(ontology), budget)
    try:
        root = prover.prove(t)
    except _OutOfBudget:
        root = None
    nodes = {x for step in (root.walk() if root else []) for x in step.triple} | {t[0], t[2]}
    return Explanation(t, root, _labels(facts, nodes))
