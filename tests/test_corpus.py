"""Ingest (graph/corpus.py): folders of articles and their metadata -> cleaned Articles.

Every corpus here is written into tmp_path by the test itself: short invented French news
items in the trade-press style (the people, units and partner companies are fictitious).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph import corpus
from graph.corpus import read_article, read_corpus
from graph.errors import CorpusError
from graph.records import Article
from graph.resources import sample_corpus

BODY = (
    "Fortinet réorganise son channel\n\n"
    "Fortinet confie à Bérénice Vautrin la direction de sa division Alliances Cloud. "
    "Elle rendra compte à Gaspard Lemoine, directeur général de Fortinet France.\n"
)
# the same kind of article in other words, for folders of several articles
OTHER = (
    "Sophos muscle son équipe partenaires\n\n"
    "Clémence Aubriot rejoint Sophos pour animer le réseau de revendeurs du Grand Ouest.\n"
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def by_id(articles: list[Article]) -> dict[str, Article]:
    return {a.id: a for a in articles}


def only_problem(problems: list[str], name: str) -> str:
    """The one problem message that names ``name``."""
    found = [p for p in problems if name in p]
    assert len(found) == 1, problems
    return found[0]


# --- metadata ---------------------------------------------------------------------------------
def test_metadata_json_entries_describe_their_articles(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "sophos.txt", OTHER)
    entries = [
        {
            "file": "fortinet.txt",
            "url": "https://example.org/actualites/fortinet-channel-1234.html",
            "publisher": "Distributique",
            "language": "fr",
            "published": "2017-09",
            "published_is_estimate": True,
        },
        {"file": "sophos.txt", "published": "05/02/2004", "title": "Sophos recrute"},
    ]
    write(tmp_path, "metadata.json", json.dumps(entries))
    result = read_corpus(tmp_path)
    assert result.problems == []
    articles = by_id(result.articles)
    fortinet = articles["fortinet"]
    assert fortinet.url == "https://example.org/actualites/fortinet-channel-1234.html"
    assert fortinet.publisher == "Distributique"
    assert fortinet.published is not None
    assert (fortinet.published.iso, fortinet.published.precision) == ("2017-09", "month")
    assert fortinet.published_is_estimate is True
    assert fortinet.title == "Fortinet réorganise son channel"  # the first line, guessed
    sophos = articles["sophos"]
    assert sophos.published is not None and sophos.published.iso == "2004-02-05"  # day first
    assert sophos.title == "Sophos recrute"
    assert sophos.url is None


def test_metadata_json_as_an_object_keyed_by_file(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "metadata.json", json.dumps({"fortinet.txt": {"published": "2016"}}))
    (article,) = read_corpus(tmp_path).articles
    assert article.published is not None
    assert (article.published.iso, article.published.precision) == ("2016", "year")


def test_sidecar_json_takes_precedence_over_metadata_json(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(
        tmp_path,
        "metadata.json",
        json.dumps([{"file": "fortinet.txt", "published": "2017-09", "publisher": "LeMagIT"}]),
    )
    write(
        tmp_path,
        "fortinet.json",
        json.dumps({"published": "2017-10-03", "url": "https://x.test/a"}),
    )
    (article,) = read_corpus(tmp_path).articles
    assert article.published is not None and article.published.iso == "2017-10-03"
    assert article.url == "https://x.test/a"
    assert article.publisher == "LeMagIT"  # keys the sidecar does not give still come through


def test_sidecar_is_not_read_as_an_article(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "fortinet.json", json.dumps({"publisher": "ChannelNews"}))
    result = read_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["fortinet"]
    assert result.problems == []


def test_date_stamp_at_the_top_of_the_text(tmp_path: Path) -> None:
    write(tmp_path, "stamp.txt", "date 2017-09\n" + BODY)
    (article,) = read_corpus(tmp_path).articles
    assert article.published is not None
    assert (article.published.iso, article.published.precision) == ("2017-09", "month")
    assert "2017-09" not in article.text  # the stamp is not article text
    assert article.text.startswith("Fortinet réorganise son channel")


def test_slash_date_near_the_top_is_day_first(tmp_path: Path) -> None:
    text = "Sophos recrute\n\n(05/02/04) - Clémence Aubriot rejoint Sophos comme directrice.\n"
    write(tmp_path, "slash.txt", text)
    (article,) = read_corpus(tmp_path).articles
    assert article.published is not None
    assert (article.published.iso, article.published.precision) == ("2004-02-05", "day")


@pytest.mark.parametrize("head", ["date 2017-13\n", "Sophos recrute (31/02/04)\n"])
def test_impossible_dates_in_the_text_are_ignored(tmp_path: Path, head: str) -> None:
    write(tmp_path, "typo.txt", head + BODY)
    result = read_corpus(tmp_path)
    assert result.problems == []
    assert result.articles[0].published is None  # unknown rather than a wrong date


def test_metadata_date_wins_over_the_text(tmp_path: Path) -> None:
    write(tmp_path, "stamp.txt", "date 2016-01\n" + BODY)
    write(tmp_path, "metadata.json", json.dumps([{"file": "stamp.txt", "published": "2017-09"}]))
    (article,) = read_corpus(tmp_path).articles
    assert article.published is not None and article.published.iso == "2017-09"


def test_missing_date_is_allowed_and_unknown(tmp_path: Path) -> None:
    write(tmp_path, "undated.txt", BODY)
    result = read_corpus(tmp_path)
    assert result.problems == []
    (article,) = result.articles
    assert article.published is None
    assert article.published_is_estimate is False


# --- formats and encodings --------------------------------------------------------------------
HTML = """<!DOCTYPE html>
<html lang="fr"><head>
<title>Sophos nomme une directrice channel</title>
<meta property="og:url" content="https://example.org/channelnews/sophos-directrice-channel">
<meta property="og:site_name" content="ChannelNews">
<meta property="article:published_time" content="2015-06-12T08:00:00+02:00">
<style>p { color: red; }</style>
<script>var tracker = "Gaspard Lemoine";</script>
</head><body>
<nav><a href="/">Accueil</a> <a href="/channel">Channel</a></nav>
<article>
<h1>Sophos nomme une directrice channel</h1>
<p>Cl&eacute;mence Aubriot prend la t&ecirc;te de la division Partenaires de Sophos France.</p>
<p>Elle rapportera &agrave; Hugo Valmont, pr&eacute;sident de Sophos France.</p>
</article>
<footer>Mentions légales - Nous contacter</footer>
</body></html>
"""


def test_html_article_text_and_meta(tmp_path: Path) -> None:
    write(tmp_path, "sophos.html", HTML)
    (article,) = read_corpus(tmp_path).articles
    assert article.id == "sophos"
    assert article.url == "https://example.org/channelnews/sophos-directrice-channel"
    assert article.publisher == "ChannelNews"
    assert article.published is not None and article.published.iso == "2015-06-12"
    assert article.title == "Sophos nomme une directrice channel"  # og:title absent: <title>
    assert "Clémence Aubriot prend la tête de la division Partenaires" in article.text  # entities
    assert "Elle rapportera à Hugo Valmont" in article.text
    for furniture in ("tracker", "color: red", "Accueil", "Mentions légales", "<p>"):
        assert furniture not in article.text


def test_markdown_article(tmp_path: Path) -> None:
    text = (
        "# Sophos étoffe son équipe channel\n\n"
        "Clémence Aubriot rejoint Sophos au poste de directrice des ventes indirectes.\n"
    )
    write(tmp_path, "sophos.md", text)
    (article,) = read_corpus(tmp_path).articles
    assert article.id == "sophos"
    assert article.file == "sophos.md"
    assert "Clémence Aubriot rejoint Sophos" in article.text
    # a Markdown heading is the title, without its markup
    assert article.title == "Sophos étoffe son équipe channel"


CP1252_TEXT = (
    "Citrix recrute\n\n"
    "Hélène Marchetti rejoint l’équipe channel de Citrix France… Elle y pilotera "
    "l’œuvre de recrutement des « partenaires ».\n"
)


def test_cp1252_file_is_detected_and_decoded(tmp_path: Path) -> None:
    data = CP1252_TEXT.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test's premise: not UTF-8
    write(tmp_path, "citrix.txt", data)
    result = read_corpus(tmp_path)
    assert result.problems == []
    (article,) = result.articles
    assert article.original == CP1252_TEXT
    assert "Hélène Marchetti rejoint l'équipe channel de Citrix France" in article.text
    assert "l'œuvre" in article.text


def test_latin1_file_is_detected_and_decoded(tmp_path: Path) -> None:
    text = "Citrix à Besançon\n\nCôté partenaires, Noémie Keraudren succède à Loïc Brévan.\n"
    write(tmp_path, "citrix.txt", text.encode("latin-1"))
    (article,) = read_corpus(tmp_path).articles
    assert "Côté partenaires, Noémie Keraudren succède à Loïc Brévan." in article.text
    assert article.title == "Citrix à Besançon"


def test_utf8_with_bom_and_windows_line_ends(tmp_path: Path) -> None:
    data = ("Sophos recrute\r\n\r\nClémence Aubriot rejoint Sophos.\r\n").encode("utf-8-sig")
    write(tmp_path, "bom.txt", data)
    (article,) = read_corpus(tmp_path).articles
    assert article.text == "Sophos recrute\n\nClémence Aubriot rejoint Sophos."
    assert article.title == "Sophos recrute"


# --- bad input: one message naming the file; the other articles are still read ----------------
def test_bad_files_are_reported_and_skipped(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.txt", "  \n\n \t\n")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    write(tmp_path, "controls.txt", bytes(range(1, 32)) * 20)
    write(tmp_path, "furniture.txt", "Publicité\n\nSuivez-nous\n\nPartager cet article\n")
    result = read_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    assert "empty" in only_problem(result.problems, "empty.txt")
    assert "empty" in only_problem(result.problems, "blank.txt")
    assert "binary" in only_problem(result.problems, "image.txt")
    assert "binary" in only_problem(result.problems, "controls.txt")
    assert "no article text" in only_problem(result.problems, "furniture.txt")
    assert len(result.problems) == 5


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "MAX_ARTICLE_BYTES", 400)
    write(tmp_path, "good.txt", BODY)  # under 400 bytes
    huge = (OTHER * 10).encode("utf-8")
    write(tmp_path, "huge.txt", huge)
    result = read_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    message = only_problem(result.problems, "huge.txt")
    assert f"{len(huge)} bytes" in message and "400" in message


def test_malformed_metadata_json_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "metadata.json", '[\n {"file": "fortinet.txt",\n  "url": }\n]\n')
    result = read_corpus(tmp_path)
    message = only_problem(result.problems, "metadata.json")
    assert "not valid JSON" in message and "line 3" in message
    assert [a.id for a in result.articles] == ["fortinet"]  # read without its metadata


def test_metadata_entry_that_is_not_an_object_names_the_entry(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "metadata.json", json.dumps([{"file": "fortinet.txt"}, "sophos.txt"]))
    result = read_corpus(tmp_path)
    assert "entry 2" in only_problem(result.problems, "metadata.json")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"auteur": "Jean Dupin"}, "unknown key(s) auteur"),
        ({"published": 2017}, "'published' must be a string"),
        ({"published_is_estimate": "oui"}, "'published_is_estimate' must be true or false"),
        ({"published": "septembre 2017"}, "bad date 'septembre 2017'"),
        ({"published": "2017-13"}, "bad date '2017-13'"),
        ({"published": "2017-02-30"}, "bad date '2017-02-30'"),
    ],
)
def test_bad_metadata_entry_names_file_and_problem(
    tmp_path: Path, entry: dict[str, object], expected: str
) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "sophos.txt", OTHER)
    write(tmp_path, "metadata.json", json.dumps([{"file": "fortinet.txt", **entry}]))
    result = read_corpus(tmp_path)
    message = only_problem(result.problems, "fortinet.txt")
    assert expected in message
    assert [a.id for a in result.articles] == ["sophos"]


def test_metadata_listing_a_missing_file(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "metadata.json", json.dumps([{"file": "absent.txt"}]))
    result = read_corpus(tmp_path)
    assert "metadata.json" in only_problem(result.problems, "absent.txt")
    assert [a.id for a in result.articles] == ["fortinet"]


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        ('{"published": "2017-09",\n "url": "https://x.test/a",\n}', "line 3"),
        ('["2017-09"]', "expected a JSON object"),
        ('{"date": "2017-09"}', "unknown key(s) date"),
    ],
)
def test_malformed_sidecar_names_the_sidecar(tmp_path: Path, sidecar: str, expected: str) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "fortinet.json", sidecar)
    write(tmp_path, "sophos.txt", OTHER)
    result = read_corpus(tmp_path)
    message = only_problem(result.problems, "fortinet.json")
    assert expected in message
    assert [a.id for a in result.articles] == ["sophos"]


def test_two_files_with_the_same_article_id(tmp_path: Path) -> None:
    write(tmp_path, "fortinet.txt", BODY)
    write(tmp_path, "fortinet.md", BODY)
    result = read_corpus(tmp_path)
    assert len(result.articles) == 1
    assert "same article id" in result.problems[0]


def test_strict_mode_raises_on_the_first_bad_article(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "image.txt", b"GIF89a\x00\x01\x00\x01")
    assert [a.id for a in read_corpus(tmp_path).articles] == ["good"]  # not strict: skipped
    with pytest.raises(CorpusError, match=r"image\.txt: looks binary"):
        read_corpus(tmp_path, strict=True)


def test_strict_mode_raises_on_malformed_metadata(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "metadata.json", "{not json")
    with pytest.raises(CorpusError, match=r"metadata\.json: not valid JSON at line 1"):
        read_corpus(tmp_path, strict=True)


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        read_corpus(tmp_path / "absent")
    write(tmp_path, "notes.pdf", b"%PDF-1.4")
    with pytest.raises(CorpusError, match=r"no articles \(\.txt, \.md, \.html\)"):
        read_corpus(tmp_path)


# --- cleaning -----------------------------------------------------------------------------------
PAGE = (
    "date 2016-03\n"
    "Citrix : Hélène Marchetti prend la direction des alliances\n"
    "\n"
    "Suivez-nous sur LinkedIn\n"
    "Citrix France confie à Hélène Marchetti (photo) la direction de l’équipe Alliances "
    "— une nouvelle entité. « Nos partenaires attendaient ce signal », explique-t-elle.\n"
    "\n"
    "Publicité\n"
    "Abonnez-vous à notre newsletter quotidienne\n"
    "Lire aussi : Citrix relève ses objectifs partenaires\n"
    "La publicité en ligne n’est pas au programme de l’équipe, précise Noémie Keraudren.\n"
    "Partager cet article\n"
    "Articles les plus lus\n"
    "Cisco rachète une start-up israélienne\n"
    "Les meilleures alternatives au stockage objet\n"
    "Publicité\n"
)


def clean_page(tmp_path: Path) -> Article:
    return read_article(write(tmp_path, "citrix.txt", PAGE))


def test_boilerplate_lines_and_teaser_tail_are_removed(tmp_path: Path) -> None:
    text = clean_page(tmp_path).text
    for furniture in (
        "Suivez-nous",
        "Abonnez-vous",
        "Lire aussi",
        "Partager",
        "Articles les plus lus",
        "Cisco rachète",  # teaser headlines after the "most read" block
        "alternatives",
        "(photo)",
    ):
        assert furniture not in text
    assert "Publicité" not in text
    # a sentence that merely contains a furniture word stays
    assert "La publicité en ligne n'est pas au programme de l'équipe" in text
    assert text.endswith("précise Noémie Keraudren.")


def test_quotes_apostrophes_and_dashes_are_normalised(tmp_path: Path) -> None:
    text = clean_page(tmp_path).text
    for typographic in "’‘«»“”—–\u00a0":
        assert typographic not in text
    assert "la direction de l'équipe Alliances - une nouvelle entité." in text
    assert '" Nos partenaires attendaient ce signal ", explique-t-elle.' in text


def test_normalisation_keeps_the_length(tmp_path: Path) -> None:
    text = "Sophos\u00a0: l’équipe «\u202fChannel\u202f» — ‘Gold’ – “Silver”\n"
    write(tmp_path, "n.txt", text)
    (article,) = read_corpus(tmp_path).articles
    assert article.text == 'Sophos : l\'équipe " Channel " - \'Gold\' - "Silver"'
    assert len(article.text) == len(text.rstrip())


@pytest.mark.parametrize(
    "word",
    [
        "Hélène Marchetti",
        "Citrix France",
        "l'équipe Alliances",  # an apostrophe normalised inside the word
        "une nouvelle entité",  # after a dash and a blanked "(photo)"
        "explique-t-elle",
        "La publicité en ligne",  # after dropped lines
        "Noémie Keraudren",
    ],
)
def test_offsets_map_cleaned_text_back_to_the_original(tmp_path: Path, word: str) -> None:
    article = clean_page(tmp_path)
    i = article.text.index(word)
    j = article.offsets.to_original(i)
    original = article.original[j : j + len(word)]
    assert original.replace("’", "'") == word
    # and the end of the word too (the evidence spans map both ends)
    assert article.offsets.to_original(i + len(word)) == j + len(word)


def test_every_cleaned_character_comes_from_its_original_position(tmp_path: Path) -> None:
    article = clean_page(tmp_path)
    same = {"’": "'", "«": '"', "»": '"', "—": "-"}
    for i, char in enumerate(article.text):
        source = article.original[article.offsets.to_original(i)]
        assert char == same.get(source, source) or char == " ", (i, char, source)


def test_offsets_of_an_html_article_point_into_its_text_content(tmp_path: Path) -> None:
    write(tmp_path, "sophos.html", HTML)
    (article,) = read_corpus(tmp_path).articles
    for word in ("Clémence Aubriot", "Hugo Valmont", "Sophos France"):
        i = article.text.rindex(word)
        j = article.offsets.to_original(i)
        assert article.original[j : j + len(word)] == word


# --- the bundled sample corpus ----------------------------------------------------------------
def test_sample_corpus_has_its_five_articles_with_urls() -> None:
    folder = sample_corpus()
    entries = json.loads((folder / "metadata.json").read_text("utf-8"))
    assert len(entries) == 5
    assert sorted(e["file"] for e in entries) == sorted(
        p.name for p in folder.iterdir() if p.suffix == ".txt"
    )
    for e in entries:
        assert re.match(r"https?://[\w.-]+\.\w+/\S+$", e["url"]), e
    result = read_corpus(folder)
    assert result.problems == []
    assert len(result.articles) == 5
    urls = {e["file"]: e["url"] for e in entries}
    for article in result.articles:
        assert article.url == urls[article.file]
        assert article.published is not None
