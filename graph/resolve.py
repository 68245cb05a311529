"""Resolve: the mentions of all articles -> canonical entities with stable IRIs.

Mentions are the same entity when they share a key: a folded name or alias ("Anais" =
"Anaïs"), an acronym with or without its ampersand ("SMS&P" = "SMSP"), or a one-typo variant
of a multi-word name ("Unified Chanel Partner" = "Unified Channel Partner"). Units, tiers and
programmes are only merged within the same owning company. The label is the most used form
(long forms before acronyms); every other form becomes a skos:altLabel. IRIs are slugs of the
label under a type path, so building the same corpus twice gives the same IRIs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rdflib import URIRef

from .extract.names import acronym_key, edit_distance_le1, fold, is_acronym
from .iris import Iris, slug
from .records import Extraction

KIND_PATH = {"person": "person", "vendor": "org", "company": "org", "unit": "unit",
             "tier": "tier", "role": "role", "programme": "programme"}
SCOPED = ("unit", "tier", "programme")          # merged only within their owner
_TIER_SUFFIX = re.compile(r"(?i)\s+(?:certified|partners?)$")


@dataclass
class Entity:
    kind: str
    iri: URIRef
    label: str
    alt_labels: list[str]
    subtypes: list[str]
    owner: URIRef | None
    articles: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    by_mention: dict[tuple[str, int], URIRef] = field(default_factory=dict)

    def iri(self, article_id: str, mention: int) -> URIRef:
        return self.by_mention[(article_id, mention)]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _keys(kind: str, names: list[str]) -> set[str]:
    keys = set()
    for n in names:
        if kind == "tier":
            n = _TIER_SUFFIX.sub("", n)
        if is_acronym(n):
            if len(acronym_key(n)) >= 2:
                keys.add("A:" + acronym_key(n))
        elif len(fold(n)) >= 2:
            keys.add("N:" + fold(n))
    return keys


def _label(forms: Counter[str]) -> str:
    """Most used form; long forms before acronyms; then the longest; then alphabetical."""
    return sorted(forms, key=lambda f: (is_acronym(f), -forms[f], -len(f), f))[0]


def resolve(extractions: Sequence[Extraction], iris: Iris) -> Resolution:
    # flatten the mentions: (article, index) -> node number
    nodes: list[tuple[str, int]] = []
    for ex in extractions:
        nodes.extend((ex.article_id, i) for i in range(len(ex.mentions)))
    index = {n: k for k, n in enumerate(nodes)}
    mention = {n: ex.mentions[n[1]] for ex in extractions for n in
               ((ex.article_id, i) for i in range(len(ex.mentions)))}
    uf = _UnionFind()

    # owners first (vendors and companies are global), then scoped kinds within owners
    def scope(node: tuple[str, int]) -> str:
        m = mention[node]
        if m.kind not in SCOPED:
            return ""
        if m.owner is None:
            return f"none:{node[0]}"
        owner = mention[(node[0], m.owner)]
        return "owner:" + fold(owner.name)

    buckets: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for node in nodes:
        m = mention[node]
        for key in _keys(m.kind, [m.name, *m.aliases]):
            buckets[(m.kind, scope(node), key)].append(index[node])
    for bucket in buckets.values():
        for other in bucket[1:]:
            uf.union(bucket[0], other)
    # one-typo variants of multi-word unit and company names
    by_scope: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for node in nodes:
        if mention[node].kind in ("unit", "company"):
            by_scope[(mention[node].kind, scope(node))].append(node)
    for group in by_scope.values():
        # near_same_name holds only between names of as many words that differ in one word:
        # block the names on "every word but the i-th" and compare only the differing words
        # within a block, instead of every pair of mentions (quadratic on large corpora)
        blocks: dict[tuple[int, tuple[str, ...]], dict[str, int]] = defaultdict(dict)
        for node in group:
            for name in (mention[node].name, *mention[node].aliases):
                words = fold(name).split()
                for i in range(len(words)) if len(words) >= 2 else ():
                    blocks[(i, (*words[:i], *words[i + 1:]))].setdefault(words[i], index[node])
        for variants in blocks.values():
            if len(variants) > 1:
                for (word, a), (word_b, b) in combinations(sorted(variants.items()), 2):
                    if min(len(word), len(word_b)) > 2 and edit_distance_le1(word, word_b):
                        uf.union(a, b)

    clusters: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for node in nodes:
        clusters[uf.find(index[node])].append(node)

    resolution = Resolution()
    # vendors and companies get their IRIs first: units, tiers and programmes are under them;
    # then by article id, not article order, so that who gets "-2" on a slug clash is stable
    order = sorted(clusters.values(), key=lambda c: (mention[c[0]].kind in SCOPED, min(c)))
    used: set[URIRef] = set()
    clashes: dict[URIRef, int] = defaultdict(lambda: 1)  # last "-n" given per base IRI
    for members in order:
        first = mention[members[0]]
        forms: Counter[str] = Counter()
        for node in members:
            m = mention[node]
            forms[" ".join(m.name.split())] += 2
            for alias in m.aliases:
                forms[" ".join(alias.split())] += 1
        label = _label(forms)
        owner_iri: URIRef | None = None
        if first.kind in SCOPED:
            owners: Counter[URIRef | None] = Counter()
            for n in members:
                owner_index = mention[n].owner
                if owner_index is not None:
                    owners[resolution.by_mention.get((n[0], owner_index))] += 1
            owners.pop(None, None)
            owner_iri = owners.most_common(1)[0][0] if owners else None
        path = [slug(label)]
        if owner_iri is not None:
            path.insert(0, owner_iri.rsplit("/", 1)[-1])
        base = iri = iris.entity(KIND_PATH[first.kind], *path)
        while iri in used:  # a slug clash: the next free "-n" (counted per base IRI)
            clashes[base] += 1
            iri = iris.entity(KIND_PATH[first.kind], *path[:-1], f"{path[-1]}-{clashes[base]}")
        used.add(iri)
        # every other surface form, accent and case variants included ("Raissa" / "Raïssa")
        alts = [f for f in sorted(forms, key=lambda f: (-forms[f], f)) if f != label]
        subtypes = sorted({st for st in (mention[n].subtype for n in members) if st})
        resolution.entities[iri] = Entity(first.kind, iri, label, alts, subtypes, owner_iri,
                                          sorted({n[0] for n in members}))
        for node in members:
            resolution.by_mention[node] = iri
    return resolution
