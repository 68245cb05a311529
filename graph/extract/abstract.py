"""Abstracted sentences: each entity mention replaced by a placeholder such as ⟦P3⟧.

Relation rules are regular expressions over these strings ("⟦P0⟧ prend la tête de ⟦U1⟧").
Pronouns and other anaphors ("Il", "Ce dernier", "Ils ... tous les trois", "L'ensemble ainsi
créé", "l'éditeur") are replaced by the placeholders of their antecedents before matching.
Every position of the abstracted string maps back to the article text, for evidence spans.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .mentions import Entities, Occurrence
from .patterns import KIND_CODE

# "Il"/"Elle" opening a sentence (possibly after "Et", "Mais", "En France,"...)
SUBJECT_PRONOUN = re.compile(r"^(?:(?:Et|Mais|Puis|Enfin|Ensuite|Aussi|En France),?\s+)?"
                             r"(?P<pro>Il|Elle)\s+(?!y\s|est\s+(?:\w+\s+)?(?:important|possible|"
                             r"prévu|question|clair|vrai|probable|nécessaire|difficile)|faut\s|"
                             r"s'agit|semble|reste\s+(?:à|que))")
LAST_PERSON = re.compile(r"(?P<pro>\b[Cc]e\s+dernier|\b[Cc]ette\s+dernière)\b")
PLURAL = re.compile(r"^(?:(?:Et|Mais|Enfin),?\s+)?(?P<pro>Ils|Elles)\b(?P<rest>[^.]*?)"
                    r"\b(?:tou(?:te)?s\s+(?:les\s+)?(?P<n>deux|trois|quatre|cinq))\b")
RESULT_UNIT = re.compile(r"(?P<pro>\b[LlCc](?:'|a\s+|e\s+|et\s+|ette\s+)(?:nouvel(?:le)?\s+)?"
                         r"(?:ensemble|entité|structure|organisation|division|unité|branche)\s+"
                         r"(?:ainsi\s+)?(?:créée?|formée?|constituée?|née?|issue?\s+de\s+"
                         r"(?:la|cette)\s+fusion))\b")
VENDOR_ANAPHOR = re.compile(r"(?P<pro>\b(?:[Ll]a\s+firme|[Ll]'éditeur|[Ll]e\s+constructeur|"
                            r"[Ll]e\s+fabricant|[Ll]e\s+géant|[Ll]a\s+société|[Ll]e\s+groupe"
                            r"(?:\s+(?:américain|californien|allemand|chinois|japonais))?)"
                            r"(?:\s+(?:de\s+Redmond|d'Armonk|de\s+Palo\s+Alto|américain|"
                            r"californien))?)(?!\s+(?:de\s+services|partenaire|[A-Z]))")
UNIT_ANAPHOR = re.compile(r"(?P<pro>\b(?:[Cc]ette\s+(?:entité|structure|direction|division|équipe|"
                          r"organisation)|[Ll]a\s+structure))\b"
                          r"(?!\s+(?:baptisée?|nommée?|appelée?|[A-Z]))")
# "celle-ci" / "celui-ci" (the latter): the unit named last, not the sentence's subject
LATTER_UNIT = re.compile(r"(?P<pro>\b[Cc]el(?:le|ui)-ci)\b(?!\s+(?:baptisée?|nommée?|appelée?))")
NEW_UNIT_ANAPHOR = re.compile(r"(?P<pro>\b[Ll]a\s+nouvelle\s+(?:entité|structure|direction|"
                              r"division|équipe|organisation))\b(?!\s+(?:baptisée?|nommée?|appelée?|[A-Z]))")
SUBSIDIARY_ANAPHOR = re.compile(r"(?P<pro>\b[Ll]a\s+(?:nouvelle\s+)?filiale)\b"
                                r"(?!\s+(?:française|allemande|britannique|européenne|[a-z]+e\b))")
UNIT_PASSIVE = re.compile(r"^\s*(?:est|sera|était|a\s+été|reste|restera)\s+(?:désormais\s+)?"
                          r"(?:dirigée?|pilotée?|rattachée?|logée?|structurée?|organisée?|composée?|"
                          r"placée?|confiée?|chapeautée?|animée?|présidée?)\b|^\s*compte\s")
TIER_ANAPHOR = re.compile(r"(?P<pro>\b[Cc](?:ette|e)\s+(?:catégorie|niveau|statut|label))\b")
COUNT = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
# "Tous deux rapportent à...", "Les trois responsables de pôle rapportent à..."
GROUP = re.compile(r"^(?:(?:Et|Mais|Enfin),?\s+)?(?P<pro>(?:Tou(?:te)?s\s+(?:les\s+)?"
                   r"(?P<n>deux|trois|quatre|cinq))|(?:Les|Ces)\s+(?P<n2>deux|trois|quatre|cinq)\s+(?:nouveaux\s+|"
                   r"nouvelles\s+)?(?:responsables|directeurs|directrices|dirigeants|managers|"
                   r"patrons)(?:\s+(?:de|d')\s*(?:pôles?|équipes?|divisions?|départements?|"
                   r"entités?|régions?))?)\b", re.I)
SPEAKER = re.compile(r"^\s*⟦P(\d+)⟧\s*:")


@dataclass
class Abstract:
    index: int
    start: int                     # sentence span in the article text
    end: int
    text: str                      # the abstracted string
    marks: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (abstract start, abstract end, text start, text end) of each placeholder

    def to_text(self, pos: int) -> int:
        """Article offset of an abstract position (start of a placeholder if inside one)."""
        starts = [m[0] for m in self.marks]
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return self.start + pos
        _, a_end, t_start, t_end = self.marks[k]
        return t_start if pos < a_end else t_end + (pos - a_end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_text(start), max(self.to_text(start), self.to_text(end))


@dataclass
class Context:
    """What earlier sentences leave for anaphora."""

    subjects: list[int] = field(default_factory=list)      # persons, most recent last
    last_person: int | None = None
    last_group: list[int] = field(default_factory=list)    # coordinated persons
    last_tier: int | None = None
    last_unit: int | None = None                           # the last sentence's subject unit
    last_subsidiary: int | None = None
    latter_unit: int | None = None                         # the unit named last
    last_company: int | None = None                        # vendor or partner company
    last_list: list[int] = field(default_factory=list)     # units listed by a sentence
    speaker: int | None = None                             # "X : Je ..." in interviews
    last_mention: str | None = None                        # "P" or "U": who came last
    result_unit: int | None = None                         # of the latest merger/creation
    last_amount_unit: str | None = None                    # of the last amount read


def placeholder(kind: str, i: int) -> str:
    return f"⟦{KIND_CODE[kind]}{i}⟧"


def build(ents: Entities, index: int, start: int, end: int, ctx: Context) -> Abstract:
    """The abstracted sentence [start, end) of the article, anaphors resolved with ``ctx``."""
    text = ents.text
    occs = _choose([o for o in ents.occs if start <= o.start and o.end <= end])
    sentence = text[start:end]
    extra: list[tuple[int, int, str]] = []          # anaphors: (text start, text end, string)

    def free(a: int, b: int) -> bool:
        return not any(o.start < b and a < o.end for o in occs) and \
            not any(x < b and a < y for x, y, _ in extra)

    m = GROUP.match(sentence)
    if m and ctx.subjects:
        n = COUNT[(m.group("n") or m.group("n2")).lower()]
        group = _unique(ctx.subjects)[-n:]
        if len(group) == n:
            extra.append((start + m.start("pro"), start + m.end("pro"), _coordinate(group)))
    m = PLURAL.match(sentence)
    if m and ctx.subjects and not GROUP.match(sentence):
        n = COUNT[m.group("n")]
        group = _unique(ctx.subjects)[-n:]
        if len(group) == n:
            extra.append((start + m.start("pro"), start + m.end("pro"), _coordinate(group)))
    m = SUBJECT_PRONOUN.match(sentence)
    if m and free(start + m.start("pro"), start + m.end("pro")):
        if UNIT_PASSIVE.match(sentence[m.end("pro"):]) and ctx.last_unit is not None:
            antecedent = placeholder("unit", ctx.last_unit)     # "Elle est dirigée par..."
        else:
            antecedent = placeholder("person", ctx.subjects[-1]) if ctx.subjects else ""
        if antecedent:
            extra.append((start + m.start("pro"), start + m.end("pro"), antecedent))
    for m in LAST_PERSON.finditer(sentence):       # "ce dernier": the last name before it
        a, b = start + m.start("pro"), start + m.end("pro")
        before = [o for o in occs if o.end <= a and ents.items[o.entity].kind != "role"]
        if before and free(a, b):
            o = before[-1]
            extra.append((a, b, placeholder(ents.items[o.entity].kind, o.entity)))
    last_match = LAST_PERSON.search(sentence)
    unit_like = last_match is not None and bool(
        UNIT_PASSIVE.match(sentence[last_match.end("pro"):]))
    last = (("unit", ctx.last_unit) if unit_like and ctx.last_unit is not None
            else ("person", ctx.last_person))
    for rx, target in ((LAST_PERSON, last),
                       (RESULT_UNIT, ("unit", ctx.result_unit)),
                       (NEW_UNIT_ANAPHOR, ("unit", ctx.result_unit if ctx.result_unit is not None
                                           else ctx.last_unit)),
                       (UNIT_ANAPHOR, ("unit", ctx.last_unit)),
                       (LATTER_UNIT, ("unit", ctx.latter_unit)),
                       (SUBSIDIARY_ANAPHOR, ("unit", ctx.last_subsidiary)),
                       (TIER_ANAPHOR, ("tier", ctx.last_tier)),
                       (VENDOR_ANAPHOR, ("vendor", ents.focus_vendor))):
        if target[1] is None:
            continue
        for m in rx.finditer(sentence):
            a, b = start + m.start("pro"), start + m.end("pro")
            if free(a, b):
                extra.append((a, b, placeholder(target[0], target[1])))
    pieces: list[tuple[int, int, str]] = [
        (o.start, o.end, placeholder(ents.items[o.entity].kind, o.entity)) for o in occs]
    pieces += extra
    pieces.sort()
    out, marks, pos, apos = [], [], start, 0
    for a, b, ph in pieces:
        out.append(text[pos:a])
        apos += a - pos
        marks.append((apos, apos + len(ph), a, b))
        out.append(ph)
        apos += len(ph)
        pos = b
    out.append(text[pos:end])
    abstract = Abstract(index, start, end, "".join(out), marks)
    speaker = SPEAKER.match(abstract.text)              # "X : Je ...": X speaks
    if speaker:
        ctx.speaker = int(speaker.group(1))
    return abstract


def _choose(occs: list[Occurrence]) -> list[Occurrence]:
    """Non-overlapping occurrences: higher priority, then longer, then earlier."""
    chosen: list[Occurrence] = []
    for o in sorted(occs, key=lambda o: (-o.priority, -(o.end - o.start), o.start)):
        if not any(c.start < o.end and o.start < c.end for c in chosen):
            chosen.append(o)
    return sorted(chosen, key=lambda o: o.start)


def _unique(items: list[int]) -> list[int]:
    seen: list[int] = []
    for i in reversed(items):
        if i not in seen:
            seen.insert(0, i)
    return seen


def _coordinate(persons: list[int]) -> str:
    phs = [placeholder("person", i) for i in persons]
    return ", ".join(phs[:-1]) + " et " + phs[-1] if len(phs) > 1 else phs[0]


def update(ctx: Context, abstract: Abstract, ents: Entities) -> None:
    """Record the sentence's people for the anaphora of the next sentences."""
    persons = [int(m.group(1)) for m in re.finditer(r"⟦P(\d+)⟧", abstract.text)]
    if persons:
        ctx.subjects.append(persons[0])
        ctx.last_person = persons[-1]
    tiers = [int(m.group(1)) for m in re.finditer(r"⟦T(\d+)⟧", abstract.text)]
    if tiers:
        ctx.last_tier = tiers[-1]
    ctx.last_amount_unit = None
    partners = re.findall(r"⟦C(\d+)⟧", abstract.text)    # "son PDG": the partner's, first
    companies = partners or re.findall(r"⟦V(\d+)⟧", abstract.text)
    if companies:
        ctx.last_company = int(companies[-1])
    mentions = list(re.finditer(r"⟦([PU])(\d+)⟧", abstract.text))
    if mentions:
        ctx.last_mention = mentions[-1].group(1)
    units = [int(m.group(2)) for m in mentions if m.group(1) == "U"]
    listed = [u for u in dict.fromkeys(units)]
    if len(listed) >= 3 or (len(listed) == 2 and ":" in abstract.text):
        ctx.last_list = listed[1:] if re.match(r"\W*⟦U", abstract.text) else listed
    if units:
        ctx.last_unit = units[0] if re.match(r"\W*⟦U", abstract.text) else units[-1]
        ctx.latter_unit = units[-1]
        for u in units:
            if ents.items[u].subtype == "Subsidiary":
                ctx.last_subsidiary = u
