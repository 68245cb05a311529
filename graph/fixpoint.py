"""Semi-naive evaluation of the compiled rules over dictionary-encoded triples (numpy).

Facts are kept per predicate as a sorted array of unique int64 keys ``subject << 32 | object``
(term ids < 2**31). The unary rules (sub-property, inverse, symmetric) are composed once into
the *copies* of each predicate and applied whenever a fact is inserted. The binary rules
(transitivity, property chains) are grouped into the strongly connected components of their
dependency graph; each component runs to its fixpoint in topological order, joining only new
facts with the others after its first round. Types come last (no property rule reads
rdf:type): asserted types, domains and ranges, then superclasses in one step (the schema
closure is transitive), then the disjointness check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .rules import Axioms

LOW = np.int64(0xFFFFFFFF)
EMPTY = np.zeros(0, dtype=np.int64)


def unique(a: np.ndarray) -> np.ndarray:
    """Sorted unique values (numpy's hash-based np.unique is much slower on int64)."""
    if a.size < 2:
        return a.copy()
    a = np.sort(a)
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def runs(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and start offsets of the runs of a sorted array."""
    if a.size == 0:
        return a, a
    starts = np.flatnonzero(np.concatenate(([True], a[1:] != a[:-1])))
    return a[starts], starts


def pack(s: np.ndarray, o: np.ndarray) -> np.ndarray:
    return (s.astype(np.int64) << 32) | o.astype(np.int64)


def split(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return keys >> 32, keys & LOW


def join(
    a_s: np.ndarray, a_o: np.ndarray, b_s: np.ndarray, b_o: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (x, z) with (x, y) in a and (y, z) in b; ``b_s`` must be sorted."""
    lo = np.searchsorted(b_s, a_o, "left")
    cnt = np.searchsorted(b_s, a_o, "right") - lo
    hit = cnt > 0
    if not hit.any():
        return EMPTY, EMPTY
    x, lo, cnt = a_s[hit], lo[hit], cnt[hit]
    total = int(cnt.sum())
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return np.repeat(x, cnt), b_o[np.repeat(lo, cnt) + offsets]


@dataclass(frozen=True)
class Rule:
    kind: str  # "transitive" or "chain"
    head: int
    body: tuple[int, ...]


@dataclass(frozen=True)
class Program:
    """The closed axioms of a RuleSet, over term ids."""

    rdf_type: int
    copies: dict[int, tuple[tuple[int, bool], ...]]  # p -> (q, swapped): x p y gives x q y / y q x
    rules: tuple[Rule, ...]
    domain: dict[int, np.ndarray]
    range: dict[int, np.ndarray]
    superclasses: dict[int, np.ndarray]
    disjoint: tuple[tuple[int, int], ...]

    def copies_of(self, p: int) -> tuple[tuple[int, bool], ...]:
        return self.copies.get(p, ((p, False),))


def program(ax: Axioms, id_of: Callable[[str], int], rdf_type: str) -> Program:
    def ids(values: frozenset[str]) -> np.ndarray:
        return np.array(sorted(id_of(v) for v in values), dtype=np.int64)

    props = set(ax.subproperty) | set(ax.inverse) | set(ax.symmetric)
    copies: dict[int, tuple[tuple[int, bool], ...]] = {}
    for p in props:
        seen = {(p, False)}
        stack = [(p, False)]
        while stack:
            q, swapped = stack.pop()
            nxt = [(r, swapped) for r in ax.subproperty.get(q, ())]
            nxt += [(r, not swapped) for r in ax.inverse.get(q, ())]
            if q in ax.symmetric:
                nxt.append((q, not swapped))
            for state in nxt:
                if state not in seen:
                    seen.add(state)
                    stack.append(state)
        copies[id_of(p)] = tuple(sorted((id_of(q), f) for q, f in seen))
    rules = [Rule("transitive", id_of(p), (id_of(p), id_of(p))) for p in sorted(ax.transitive)]
    for head, bodies in sorted(ax.chains.items()):
        rules += [Rule("chain", id_of(head), tuple(id_of(p) for p in body)) for body in bodies]
    return Program(
        rdf_type=id_of(rdf_type),
        copies=copies,
        rules=tuple(rules),
        domain={id_of(p): ids(cs) for p, cs in ax.domain.items()},
        range={id_of(p): ids(cs) for p, cs in ax.range.items()},
        superclasses={id_of(c): ids(ds) for c, ds in ax.subclass.items()},
        disjoint=tuple(sorted({(id_of(a), id_of(b)) for a, b in ax.disjoint})),
    )


class Facts:
    """Facts per predicate: sorted unique keys."""

    def __init__(self) -> None:
        self.rel: dict[int, np.ndarray] = {}
        self._split: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def get(self, p: int) -> np.ndarray:
        return self.rel.get(p, EMPTY)

    def columns(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        keys = self.get(p)
        cached = self._split.get(p)
        if cached is None or cached[0] is not keys:
            cached = (keys, *split(keys))
            self._split[p] = cached
        return cached[1], cached[2]

    def add(self, p: int, keys: np.ndarray) -> np.ndarray:
        """Adds keys (any order, duplicates allowed); returns the new ones, sorted."""
        keys = unique(keys)
        old = self.rel.get(p)
        if old is None or old.size == 0:
            self.rel[p] = keys
            return keys
        idx = np.searchsorted(old, keys)
        present = old[np.minimum(idx, old.size - 1)] == keys
        new = keys[~present]
        if new.size:
            self.rel[p] = np.insert(old, idx[~present], new)
        return new


class Saturation:
    def __init__(self, prog: Program, facts: Facts) -> None:
        self.prog = prog
        self.facts = facts

    def insert(self, head: int, x: np.ndarray, z: np.ndarray) -> dict[int, list[np.ndarray]]:
        new: dict[int, list[np.ndarray]] = defaultdict(list)
        for q, swapped in self.prog.copies_of(head):
            added = self.facts.add(q, pack(z, x) if swapped else pack(x, z))
            if added.size:
                new[q].append(added)
        return new

    def load(self, s: np.ndarray, p: np.ndarray, o: np.ndarray) -> None:
        if p.size == 0:
            return
        order = np.argsort(p, kind="stable")
        s, p, o = s[order], p[order], o[order]
        preds, starts = runs(p)
        ends = [*starts[1:], p.size]
        for pred, a, b in zip(preds.tolist(), starts.tolist(), ends, strict=True):
            self.insert(pred, s[a:b], o[a:b])

    # --- rules ------------------------------------------------------------------------------
    def _naive(self, rule: Rule) -> tuple[np.ndarray, np.ndarray]:
        x, z = self.facts.columns(rule.body[0])
        for p in rule.body[1:]:
            x, z = join(x, z, *self.facts.columns(p))
        return x, z

    def _semi_naive(
        self, rule: Rule, delta: dict[int, np.ndarray]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        out = []
        for i, p in enumerate(rule.body):
            d = delta.get(p)
            if d is None:
                continue
            x, z = split(d)  # sorted by x
            for q in reversed(rule.body[:i]):  # extend to the left: (a, x) in q
                a, b = self.facts.columns(q)
                x, z = join(a, b, x, z)
                if x.size == 0:
                    break
                x, z = split(unique(pack(x, z)))
            for q in rule.body[i + 1 :]:  # extend to the right
                if x.size == 0:
                    break
                x, z = join(x, z, *self.facts.columns(q))
            out.append((x, z))
        return out

    def run_component(self, rules: list[Rule]) -> None:
        body = {p for r in rules for p in r.body}
        results = [(r, [self._naive(r)]) for r in rules]
        while True:
            new: dict[int, list[np.ndarray]] = defaultdict(list)
            for rule, pairs in results:
                for x, z in pairs:
                    if x.size:
                        for q, arrays in self.insert(rule.head, x, z).items():
                            new[q] += arrays
            delta = {p: unique(np.concatenate(new[p])) for p in body if p in new}
            if not delta:
                return
            results = [(r, self._semi_naive(r, delta)) for r in rules]

    def run(self) -> None:
        for component in components(self.prog):
            self.run_component(component)

    # --- types ------------------------------------------------------------------------------
    def types(self) -> list[tuple[int, int, int]]:
        """Derives rdf:type; returns the disjointness violations (individual, class, class)."""
        prog, t = self.prog, self.prog.rdf_type
        parts = [self.facts.get(t)]
        for table, column in ((prog.domain, 0), (prog.range, 1)):
            for p, classes in table.items():
                nodes = unique(split(self.facts.get(p))[column])
                if nodes.size:
                    parts.append(pack(np.repeat(nodes, classes.size), np.tile(classes, nodes.size)))
        keys = unique(np.concatenate(parts))
        x, c = split(keys)
        classes = unique(c)
        supers = [prog.superclasses.get(int(k), EMPTY) for k in classes.tolist()]
        counts = np.array([s.size for s in supers], dtype=np.int64)
        if counts.sum():
            flat = np.concatenate(supers)
            starts = np.cumsum(counts) - counts
            pos = np.searchsorted(classes, c)
            cnt = counts[pos]
            offsets = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(
                np.cumsum(cnt) - cnt, cnt
            )
            extra = pack(np.repeat(x, cnt), flat[np.repeat(starts[pos], cnt) + offsets])
            keys = unique(np.concatenate([keys, extra]))
        self.facts.rel[t] = keys
        x, c = split(keys)
        errors = []
        for a, b in prog.disjoint:
            if a < b:
                both = np.intersect1d(x[c == a], x[c == b])
                errors += [(int(i), a, b) for i in both.tolist()]
        return errors


def components(prog: Program) -> list[list[Rule]]:
    """The rules' strongly connected components, producers before consumers (Tarjan)."""
    rules = list(prog.rules)
    heads = [{q for q, _ in prog.copies_of(r.head)} for r in rules]
    edges = [
        [j for j, r2 in enumerate(rules) if heads[i] & set(r2.body)] for i in range(len(rules))
    ]
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    out: list[list[Rule]] = []

    def visit(v: int) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(rules[w])
                if w == v:
                    break
            out.append(comp)

    for v in range(len(rules)):
        if v not in index:
            visit(v)
    return out[::-1]  # Tarjan emits consumers first


def saturate(
    prog: Program, s: np.ndarray, p: np.ndarray, o: np.ndarray
) -> tuple[Facts, list[tuple[int, int, int]]]:
    """All facts entailed by the triples (s, p, o) under ``prog``, and the inconsistencies."""
    sat = Saturation(prog, Facts())
    sat.load(s, p, o)
    sat.run()
    errors = sat.types()
    return sat.facts, errors
