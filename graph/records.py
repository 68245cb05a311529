"""The records that flow between pipeline stages (corpus -> extract -> resolve -> populate).

They are plain, immutable dataclasses; extraction results are cached as JSON, so every record
converts to and from plain dicts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from typing import Any

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, order=True)
class Date:
    """A calendar date with its precision: '2017', '2017-02' or '2017-02-01'."""

    iso: str

    def __post_init__(self) -> None:
        if not _DATE_RE.match(self.iso):
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {self.iso!r}")

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.iso)]

    @property
    def year(self) -> int:
        return int(self.iso[:4])

    @property
    def month(self) -> int | None:
        return int(self.iso[5:7]) if len(self.iso) >= 7 else None

    @property
    def day(self) -> int | None:
        return int(self.iso[8:10]) if len(self.iso) == 10 else None

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in a cleaned text back to the original text.

    ``segments`` lists (clean_start, original_start) for each run of characters that was
    kept; characters within a run map one to one.
    """

    segments: tuple[tuple[int, int], ...] = ((0, 0),)

    def to_original(self, offset: int) -> int:
        starts = [s[0] for s in self.segments]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        clean_start, original_start = self.segments[i]
        return original_start + (offset - clean_start)


@dataclass(frozen=True)
class Article:
    id: str
    file: str  # file name inside the corpus folder
    text: str  # cleaned text: what the NLP pipeline reads
    original: str  # the text as read from the file (HTML: its text content)
    offsets: OffsetMap
    sha: str  # hash of the file's bytes and metadata (extraction cache key)
    url: str | None = None
    publisher: str | None = None
    published: Date | None = None
    published_is_estimate: bool = False
    title: str | None = None
    language: str = "fr"


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated: the sentence, its span in the original text, the rule."""

    article_id: str
    sentence_index: int
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass
class Mention:
    """An entity as one article names it (already merged within the article)."""

    kind: str  # person, vendor, company, unit, tier, programme, role
    name: str
    aliases: list[str] = field(default_factory=list)
    owner: int | None = None  # index of the owning organisation's mention
    subtype: str | None = None  # unit kind (division, pole...), partner-facing role...
    descriptive: bool = False  # named by a common-noun phrase ("la direction channel")


@dataclass
class Fact:
    """One extracted statement. ``args`` values are mention indices, literals or Dates (as
    ISO strings under keys ending in '_date')."""

    relation: str
    args: dict[str, Any]
    evidence: Evidence


@dataclass
class Extraction:
    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Extraction:
        return cls(
            article_id=d["article_id"],
            mentions=[Mention(**m) for m in d["mentions"]],
            facts=[
                Fact(relation=f["relation"], args=f["args"], evidence=Evidence(**f["evidence"]))
                for f in d["facts"]
            ],
        )
