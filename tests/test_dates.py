"""French dates, absolute or relative to the article's date (graph/extract/dates.py).

Each case gives a sentence, the article's date (the reference), the phrase that must be
recognised, and the date a careful reader gives it, with its precision and its role: the start
of something ("à compter du", "dès", "depuis"), its end ("jusqu'en"), or a point in time.
"""

from __future__ import annotations

import pytest

from graph.corpus import article_from_text
from graph.extract import extract_articles
from graph.extract.dates import FoundDate, find_dates
from graph.records import Date

CASES = [
    # (sentence, article date, phrase, expected ISO date, precision, role)
    (
        "Bérénice Vautrin prendra ses fonctions à compter du 1er février.",
        "2017-01",
        "à compter du 1er février",
        "2017-02-01",
        "day",
        "start",
    ),
    (
        "Tristan Ferrand a quitté Sophos au mois de juillet dernier.",
        "2016-09",
        "au mois de juillet dernier",
        "2016-07",
        "month",
        "point",
    ),
    (
        "Tristan Ferrand a quitté Sophos au mois de juillet dernier.",
        "2017-01",
        "au mois de juillet dernier",
        "2016-07",
        "month",
        "point",
    ),
    (
        "Citrix a complètement refondu son organisation partenaires cet été.",
        "2017-09",
        "cet été",
        "2017",
        "year",
        "point",
    ),
    (
        "La nouvelle direction des alliances sera opérationnelle début avril.",
        "2017-02",
        "début avril",
        "2017-04",
        "month",
        "point",
    ),
    (
        "En ce début d'année fiscale, NetApp a transféré ses responsables partenaires.",
        "2009-07",
        "En ce début d'année fiscale",
        "2009-07",
        "month",
        "point",
    ),
    (
        "Annonce du 05/02/04 : Citrix revoit ses niveaux de partenariat.",
        "2004-02",
        "05/02/04",
        "2004-02-05",
        "day",
        "point",
    ),
    (
        "Gaspard Lemoine rejoindra la filiale française le mois prochain.",
        "2017-03",
        "le mois prochain",
        "2017-04",
        "month",
        "point",
    ),
    (
        "L'an dernier, Sophos comptait à peine 300 revendeurs certifiés.",
        "2017-03",
        "L'an dernier",
        "2016",
        "year",
        "point",
    ),
    (
        "Clémence Aubriot dirige la division Alliances Cloud depuis 2012.",
        "2017-03",
        "depuis 2012",
        "2012",
        "year",
        "start",
    ),
    (
        "Hugo Valmont assurera l'intérim jusqu'en avril.",
        "2017-02",
        "jusqu'en avril",
        "2017-04",
        "month",
        "end",
    ),
    (
        "L'équipe Alliances restera rattachée à la direction commerciale jusqu'au 31 mars.",
        "2017-01",
        "jusqu'au 31 mars",
        "2017-03-31",
        "day",
        "end",
    ),
    (
        "Le changement de programme interviendra dès janvier 2018.",
        "2017-03",
        "dès janvier 2018",
        "2018-01",
        "month",
        "start",
    ),
    (
        "Le 3 mars 2016, Fortinet a annoncé la création de sa division Cloud Alliances.",
        "2016-09",
        "Le 3 mars 2016",
        "2016-03-03",
        "day",
        "point",
    ),
    (
        "Sophos a racheté l'intégrateur rennais Keravel en 2015.",
        "2017-03",
        "en 2015",
        "2015",
        "year",
        "point",
    ),
    (
        "L'éditeur réunira ses partenaires à Lyon mi-juillet.",
        "2017-05",
        "mi-juillet",
        "2017-07",
        "month",
        "point",
    ),
    (
        "Citrix recrutera une vingtaine de Partner Account Managers l'année prochaine.",
        "2017-05",
        "l'année prochaine",
        "2018",
        "year",
        "point",
    ),
]

# the same expressions in an article written around the turn of the year
YEAR_END_CASES = [
    (
        "La fusion des deux divisions sera effective à compter du 1er janvier.",
        "2016-12",
        "à compter du 1er janvier",
        "2017-01-01",
        "day",
        "start",
    ),
    (
        "Bérénice Vautrin prendra ses fonctions à compter du 1er février.",
        "2017-03",  # February is past: the next one
        "à compter du 1er février",
        "2018-02-01",
        "day",
        "start",
    ),
    (
        "Tristan Ferrand a quitté Sophos en décembre dernier.",
        "2017-01",
        "en décembre dernier",
        "2016-12",
        "month",
        "point",
    ),
    (
        "Tristan Ferrand a quitté Sophos au mois de juillet dernier.",
        "2017-07",  # "juillet dernier" written in July: the July before
        "au mois de juillet dernier",
        "2016-07",
        "month",
        "point",
    ),
    (
        "Clémence Aubriot arrivera chez Citrix en janvier prochain.",
        "2016-11",
        "en janvier prochain",
        "2017-01",
        "month",
        "point",
    ),
    (
        "Gaspard Lemoine rejoindra la filiale française le mois prochain.",
        "2016-12",
        "le mois prochain",
        "2017-01",
        "month",
        "point",
    ),
    (
        "Hugo Valmont avait rejoint Citrix le mois dernier.",
        "2017-01",
        "le mois dernier",
        "2016-12",
        "month",
        "point",
    ),
    (
        "Noémie Keraudren pilote les alliances depuis le 1er décembre.",
        "2017-01",  # "since" a December seen from January: the one just past
        "depuis le 1er décembre",
        "2016-12-01",
        "day",
        "start",
    ),
    (
        "Noémie Keraudren pilote les alliances depuis septembre.",
        "2017-03",
        "depuis septembre",
        "2016-09",
        "month",
        "start",
    ),
    (
        "L'an dernier, Sophos comptait à peine 300 revendeurs certifiés.",
        "2017-01",
        "L'an dernier",
        "2016",
        "year",
        "point",
    ),
]


def the_date(text: str, ref: str | None, phrase: str) -> FoundDate:
    """The one date found in ``text``, which must cover ``phrase`` exactly."""
    found = find_dates(text, Date(ref) if ref else None)
    assert len(found) == 1, [(text[f.start : f.end], f.date) for f in found]
    assert text[found[0].start : found[0].end].strip() == phrase
    return found[0]


@pytest.mark.parametrize(
    ("text", "ref", "phrase", "iso", "precision", "role"),
    CASES + YEAR_END_CASES,
    ids=[f"{c[2]}@{c[1]}" for c in CASES + YEAR_END_CASES],
)
def test_french_date(text: str, ref: str, phrase: str, iso: str, precision: str, role: str) -> None:
    found = the_date(text, ref, phrase)
    assert found.date.iso == iso
    assert found.date.precision == precision
    assert found.role == role


def test_several_dates_in_one_sentence_in_text_order() -> None:
    text = (
        "Directrice des alliances depuis 2012, Clémence Aubriot dirigera la division "
        "Cloud Partners à compter du 1er avril et jusqu'en décembre 2018."
    )
    found = find_dates(text, Date("2017-03"))
    assert [(f.date.iso, f.role) for f in found] == [
        ("2012", "start"),
        ("2017-04-01", "start"),
        ("2018-12", "end"),
    ]
    assert [f.start for f in found] == sorted(f.start for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Citrix a refondu son organisation cet été.",
        "Gaspard Lemoine rejoindra l'éditeur le mois prochain.",
        "L'an dernier, Sophos comptait 300 revendeurs.",
        "Bérénice Vautrin prendra ses fonctions à compter du 1er février.",
    ],
)
def test_relative_dates_need_the_article_date(text: str) -> None:
    assert find_dates(text, None) == []  # unknown article date: no guess


def test_absolute_dates_do_not_need_the_article_date() -> None:
    assert [f.date.iso for f in find_dates("Le 3 mars 2016, Citrix a annoncé", None)] == [
        "2016-03-03"
    ]
    assert [f.date.iso for f in find_dates("Depuis 2012, Sophos recrute.", None)] == ["2012"]


def test_article_date_of_year_precision_is_enough_for_month_names() -> None:
    found = the_date("La réorganisation prendra effet début avril.", "2017", "début avril")
    assert found.date.iso == "2017-04"


@pytest.mark.parametrize(
    "text",
    [
        "Le programme compte désormais 2000 revendeurs agréés.",
        "Sophos revendique 1950 partenaires actifs en France.",
        "Le seuil passe à 2010 points pour le niveau Gold.",
        "Un chiffre d'affaires de 2019,5 millions d'euros.",
    ],
)
def test_counts_are_not_years(text: str) -> None:
    assert find_dates(text, Date("2017-03")) == []


@pytest.mark.parametrize("text", ["le 30 février", "le 31 avril", "le 32 mars", "le 31/06/2016"])
def test_impossible_days_are_not_dates(text: str) -> None:
    found = find_dates(f"Citrix a annoncé la nouvelle {text}.", Date("2017-01"))
    assert [f.date for f in found if f.date.precision == "day"] == []  # at most a year


def test_relative_month_needs_a_month_in_the_article_date() -> None:
    assert find_dates("Il arrivera le mois prochain.", Date("2017")) == []


def test_start_date_of_an_appointment_comes_from_the_article_date() -> None:
    """Through the extractor: "à compter du 1er avril" in an article of March 2016."""
    article = article_from_text(
        "Fortinet réorganise son channel\n\nBérénice Vautrin prend la tête de la division "
        "Cloud Partners de Fortinet à compter du 1er avril.\n",
        "fortinet-2016",
        "2016-03",
    )
    (extraction,) = extract_articles([article])
    heads = [
        f
        for f in extraction.facts
        if f.relation == "membership" and f.args.get("head") and not f.args.get("former")
    ]
    assert heads, extraction.facts
    assert {f.args["start_date"] for f in heads} == {"2016-04-01"}
