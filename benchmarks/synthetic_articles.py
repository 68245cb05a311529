"""A seeded generator of synthetic French trade-press articles about vendors' channel organisations.

A small simulated world evolves over twenty years (2004-2024): vendors (from a short list) with
a French subsidiary, a tree of units and their heads, reporting lines, staff, partner programmes
with ordered tiers and point requirements, partner companies at a tier, mergers, creations,
renamings, dissolutions and departures. Each article tells a few of these changes in French,
with several phrasings per kind of fact, plus the filler of the genre (quotes, context, page
furniture). People's and companies' names come from a seeded generator of invented names.

The articles are written for the real extractor (spaCy + rules) to read: they exercise the
pipeline end to end at any size. They are not gold data.

    python benchmarks/synthetic_articles.py 1000 OUT_DIR --seed 1

writes OUT_DIR/{id}.txt and OUT_DIR/metadata.json. ``change_article`` edits one article in place
(for incremental-build measurements).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

VENDORS = (
    "Microsoft",
    "IBM",
    "Oracle",
    "Cisco",
    "HPE",
    "Dell",
    "SAP",
    "Lenovo",
    "Salesforce",
    "VMware",
    "Fortinet",
    "NetApp",
)
PUBLISHERS = ("La Lettre du Channel", "Revendeurs Hebdo", "IT Partenaires", "Canal Pro")
FIRST_F = (
    "Anne",
    "Claire",
    "Sophie",
    "Isabelle",
    "Nathalie",
    "Céline",
    "Émilie",
    "Julie",
    "Hélène",
    "Sandrine",
    "Valérie",
    "Aurélie",
    "Camille",
    "Laure",
    "Marion",
    "Agnès",
    "Caroline",
    "Delphine",
    "Élodie",
    "Florence",
    "Géraldine",
    "Karine",
    "Muriel",
    "Nadia",
)
FIRST_M = (
    "Pierre",
    "Olivier",
    "Nicolas",
    "Thierry",
    "Laurent",
    "Christophe",
    "Stéphane",
    "Jérôme",
    "Frédéric",
    "Philippe",
    "Éric",
    "Sébastien",
    "Julien",
    "Marc",
    "Vincent",
    "Arnaud",
    "Bruno",
    "Cédric",
    "Damien",
    "Fabrice",
    "Guillaume",
    "Hervé",
    "Lionel",
    "Patrick",
)
# invented surnames: onset + rime (+ ending)
ONSETS = (
    "B",
    "Br",
    "C",
    "Ch",
    "D",
    "F",
    "G",
    "Gr",
    "L",
    "M",
    "N",
    "P",
    "R",
    "S",
    "T",
    "V",
    "Tr",
    "Pl",
    "Cl",
    "Fl",
)
RIMES = ("ar", "el", "or", "ou", "an", "on", "er", "al", "au", "in", "ér", "ol", "ai", "eu")
ENDINGS = (
    "vel",
    "dier",
    "quet",
    "nard",
    "mont",
    "rin",
    "ville",
    "tier",
    "zac",
    "lier",
    "gnon",
    "sset",
    "chard",
    "deau",
    "nel",
    "vaux",
    "rieu",
    "lard",
)
# invented partner-company names
CO_START = (
    "Ax",
    "Nex",
    "Vel",
    "Or",
    "Dat",
    "Syn",
    "Kel",
    "Prox",
    "Tel",
    "Inf",
    "Cor",
    "Alt",
    "Net",
    "Sys",
    "Opt",
    "Lum",
)
CO_END = ("ora", "ia", "eris", "alis", "ys", "eo", "ium", "ago", "ence", "ika", "ion", "ens")
CO_SUFFIX = ("", "", "", " Conseil", " Informatique", " Systèmes", " Solutions", " Services")
CO_CUES = (
    "l'intégrateur",
    "le revendeur",
    "la société de services",
    "l'ESN",
    "le grossiste",
    "l'infogérant",
    "le distributeur",
)
CITIES = (
    "lyonnais",
    "nantais",
    "lillois",
    "bordelais",
    "toulousain",
    "parisien",
    "rennais",
    "marseillais",
    "strasbourgeois",
    "grenoblois",
)
UNIT_A = (
    "Cloud",
    "Partner",
    "Channel",
    "Enterprise",
    "Commercial",
    "Digital",
    "Data",
    "Security",
    "Mid-Market",
    "SMB",
    "Global",
    "Strategic",
    "Inside",
    "Customer",
    "Public Sector",
    "Industry",
    "Alliance",
    "Distribution",
)
UNIT_B = (
    "Sales",
    "Partners",
    "Solutions",
    "Alliances",
    "Services",
    "Group",
    "Business",
    "Success",
    "Operations",
    "Channels",
    "Programs",
    "Engagement",
)
UNIT_WORDS = (
    ("division", "f"),
    ("département", "m"),
    ("pôle", "m"),
    ("équipe", "f"),
    ("entité", "f"),
    ("branche", "f"),
)
TITLES = (
    "directeur commercial",
    "directeur des ventes",
    "directeur général",
    "directeur du channel",
    "vice-président",
    "responsable des partenaires",
)
TIER_SETS = (
    ("Registered", "Silver", "Gold"),
    ("Silver", "Gold", "Platinum"),
    ("Select", "Premier", "Gold"),
    ("Bronze", "Silver", "Gold", "Platinum"),
    ("Authorized", "Advanced", "Elite"),
)
ROLE_PAIRS = (
    ("Partner Development Manager", "PDM", "Partner Sales Executives"),
    ("Channel Account Manager", "CAM", "Partner Account Managers"),
    ("Partner Business Manager", "PBM", "Channel Managers"),
    ("Territory Partner Manager", "TPM", "Local Reseller Managers"),
)
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
FILLER = (
    "« Nos partenaires attendaient un interlocuteur unique, c'est désormais chose faite », "
    "explique la direction.",
    "Cette évolution intervient alors que le marché des services managés progresse de près de "
    "dix pour cent par an.",
    "Les partenaires interrogés accueillent plutôt favorablement ces changements, même si "
    "certains redoutent une période de transition.",
    "L'éditeur entend ainsi simplifier la relation avec son écosystème de revendeurs.",
    "Le constructeur réalise désormais plus de la moitié de son chiffre d'affaires via le canal "
    "indirect.",
    "« Il fallait clarifier qui fait quoi auprès des intégrateurs », résume un proche du dossier.",
    "Cette annonce a été faite lors de la convention annuelle des partenaires, à Paris.",
    "La nouvelle organisation sera pleinement opérationnelle au début de l'année fiscale.",
    "Les revendeurs spécialisés dans les PME devraient être les premiers concernés.",
    "Selon nos informations, d'autres ajustements pourraient suivre dans les prochains mois.",
    "Le marché français reste l'un des plus dynamiques de la zone Europe du Sud.",
    "Les grossistes, eux, conservent leur rôle dans la logistique et le financement des ventes.",
    "Les commerciaux terrain garderont la main sur les comptes stratégiques, précise-t-on en "
    "interne.",
    "Le calendrier de déploiement n'a pas été communiqué, mais les premiers effets sont attendus "
    "d'ici l'été.",
    "Les intégrateurs historiques disposent d'un délai d'un an pour se mettre en conformité avec "
    "les nouvelles exigences.",
    "« Nous voulons que chaque partenaire sache à qui s'adresser, et pour quoi », insiste-t-on "
    "chez le fournisseur.",
    "La concurrence, qui a engagé des chantiers comparables, observe la manœuvre avec attention.",
    "Ces annonces s'accompagnent d'un renforcement des budgets de marketing mutualisé.",
    "Les partenaires les plus engagés bénéficieront de remises supplémentaires sur les licences.",
    "Le nombre de revendeurs actifs a fortement diminué depuis la crise, au profit des plus gros.",
    "L'objectif affiché est de doubler la part des services récurrents dans les ventes indirectes.",
    "Les équipes support seront regroupées sur un seul site, en région parisienne.",
)
FURNITURE = ("Suivez-nous", "Publicité", "Lire aussi", "Newsletter")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Person:
    first: str
    last: str
    female: bool

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Unit:
    name: str
    word: str
    gender: str
    parent: Unit | None = None
    head: Person | None = None

    @property
    def phrase(self) -> str:  # "la division Cloud Sales"
        art = "l'" if self.word[0] in "éèaeiou" else ("la " if self.gender == "f" else "le ")
        return f"{art}{self.word} {self.name}"

    @property
    def of_phrase(self) -> str:  # "de la division Cloud Sales"
        art = "de l'" if self.word[0] in "éèaeiou" else ("de la " if self.gender == "f" else "du ")
        return f"{art}{self.word} {self.name}"


@dataclass
class Vendor:
    name: str
    boss: Person
    units: list[Unit] = field(default_factory=list)
    tiers: tuple[str, ...] = ()
    points: tuple[int, ...] = ()
    partners: dict[str, str] = field(default_factory=dict)  # company -> tier
    staff: list[Person] = field(default_factory=list)


class World:
    """The simulated world; each ``article()`` call advances it and tells what changed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_people: set[str] = set()
        self.used_units: set[tuple[str, str]] = set()
        self.used_companies: set[str] = set()
        self.vendors = [self._vendor(v) for v in VENDORS]

    # --- names -------------------------------------------------------------------------------
    def person(self) -> Person:
        while True:
            female = self.rng.random() < 0.45
            first = self.rng.choice(FIRST_F if female else FIRST_M)
            last = self.rng.choice(ONSETS) + self.rng.choice(RIMES) + self.rng.choice(ENDINGS)
            p = Person(first, last.capitalize(), female)
            if p.name not in self.used_people:
                self.used_people.add(p.name)
                return p

    def company(self) -> str:
        for _ in range(1000):
            name = self.rng.choice(CO_START) + self.rng.choice(CO_END) + self.rng.choice(CO_SUFFIX)
            if name not in self.used_companies:
                self.used_companies.add(name)
                return name
        return f"Groupe {self.person().last}"

    def unit(self, vendor: Vendor, parent: Unit | None = None) -> Unit:
        for _ in range(1000):
            name = f"{self.rng.choice(UNIT_A)} {self.rng.choice(UNIT_B)}"
            if (vendor.name, name) not in self.used_units:
                break
        else:
            name = f"{name} {len(vendor.units)}"
        self.used_units.add((vendor.name, name))
        word, gender = self.rng.choice(UNIT_WORDS[:2] if parent is None else UNIT_WORDS[2:])
        u = Unit(name, word, gender, parent, self.person())
        vendor.units.append(u)
        return u

    def _vendor(self, name: str) -> Vendor:
        v = Vendor(name, self.person())
        tiers = self.rng.choice(TIER_SETS)
        v.tiers = tiers
        v.points = tuple(sorted(self.rng.sample(range(20, 400, 10), len(tiers))))
        for _ in range(3):
            top = self.unit(v)
            for _ in range(2):
                self.unit(v, top)
        return v

    # --- phrasing helpers --------------------------------------------------------------------
    def title(self, p: Person, base: str) -> str:
        if not p.female:
            return base
        return (
            base.replace("directeur", "directrice")
            .replace("vice-président", "vice-présidente")
            .replace("général", "générale")
        )

    def pron(self, p: Person) -> str:
        return "Elle" if p.female else "Il"

    def date_phrase(self, year: int) -> tuple[str, int]:
        month = self.rng.randrange(12)
        day = self.rng.choice((1, 1, 1, 15))
        return f"{'1er' if day == 1 else day} {MONTHS[month]}", month + 1

    # --- facts -------------------------------------------------------------------------------
    def appointment(self, v: Vendor, out: list[str]) -> None:
        u = self.rng.choice(v.units)
        old, new = u.head, self.person()
        u.head = new
        r = self.rng.randrange(6)
        if r == 0:
            out.append(f"{new.name} prend la tête {u.of_phrase}.")
        elif r == 1:
            out.append(f"La direction {u.of_phrase} revient à {new.name}.")
        elif r == 2:
            out.append(f"{new.name} est désormais responsable {u.of_phrase}.")
        elif r == 3 and old is not None:
            out.append(f"{new.name} succède à {old.name} à la tête {u.of_phrase}.")
        elif r == 4:
            prev = self.rng.choice(
                ("chargé des grands comptes", "responsable du mid-market", "directeur marketing")
            )
            out.append(
                f"C'est à {new.name}, jusqu'ici {prev}, qu'échoit la direction {u.of_phrase}."
            )
        else:
            out.append(
                f"{new.name} a été {'promue' if new.female else 'promu'} à la tête {u.of_phrase}."
            )
        boss = u.parent.head if u.parent and u.parent.head else v.boss
        r = self.rng.randrange(4)
        title = self.title(boss, self.rng.choice(TITLES))
        if r == 0:
            out.append(f"{self.pron(new)} rendra compte à {boss.name}, {title} de {v.name} France.")
        elif r == 1:
            out.append(
                f"{new.name} sera {'rattachée' if new.female else 'rattaché'} à "
                f"{boss.name}, {title} de la filiale."
            )
        elif r == 2:
            out.append(f"{new.name} travaillera sous la responsabilité de {boss.name}.")
        else:
            out.append(f"{self.pron(new)} reporte à {boss.name}, {title} de {v.name} France.")
        if old is not None and self.rng.random() < 0.4:
            out.append(
                f"{old.name} quitte {v.name} France après "
                f"{self.rng.choice(('six', 'huit', 'dix', 'douze'))} ans."
            )

    def structure(self, v: Vendor, out: list[str]) -> None:
        parent = self.rng.choice([u for u in v.units if u.parent is None])
        children = [u for u in v.units if u.parent is parent][:2]
        if len(children) < 2:
            children = [self.unit(v, parent) for _ in range(2)]
        a, b = children
        r = self.rng.randrange(3)
        if r == 0:
            out.append(f"{cap(parent.phrase)} chapeaute {a.phrase} et {b.phrase}.")
        elif r == 1:
            out.append(
                f"{cap(a.phrase)}, {a.word} logé{'e' if a.gender == 'f' else ''} "
                f"au sein de sa {parent.word} {parent.name}, gagne en autonomie."
            )
        else:
            out.append(f"{cap(a.phrase)} au sein {parent.of_phrase} prend de l'ampleur.")
        if parent.head is not None:
            out.append(
                f"{parent.head.name} dirige {parent.phrase} depuis {self.rng.randrange(2, 9)} ans."
            )

    def merger(self, v: Vendor, year: int, out: list[str]) -> None:
        tops = [u for u in v.units if u.parent is None]
        if len(tops) < 2:
            self.creation(v, out)
            return
        a, b = self.rng.sample(tops, 2)
        r = self.rng.randrange(3)
        if r == 0:
            new = self.unit(v)
            new.word, new.gender = "entité", "f"
            out.append(
                f"{v.name} fusionne ses {a.word}s {a.name} et {b.name} en une nouvelle "
                f"entité baptisée {new.name}."
            )
        elif r == 1:
            when, _ = self.date_phrase(year)
            out.append(
                f"{v.name} a annoncé que ses {a.word}s {a.name} et {b.name} allaient "
                f"fusionner à compter du {when}."
            )
            new = None
        else:
            out.append(
                f"La fusion des {a.word}s {a.name} et {b.name} crée un ensemble plus lisible."
            )
            new = None
        for u in (a, b):
            v.units.remove(u)
            for child in v.units:
                if child.parent is u:
                    child.parent = new
        if new is not None and new.head is not None:
            out.append(f"{new.head.name} prend la tête de la nouvelle entité {new.name}.")

    def creation(self, v: Vendor, out: list[str]) -> None:
        u = self.unit(v)
        r = self.rng.randrange(2)
        if r == 0:
            out.append(f"{v.name} vient de créer une nouvelle entité baptisée {u.name}.")
        else:
            out.append(
                f"À noter également, la création d'une nouvelle entité {u.name} qui aura "
                "pour but d'accompagner les partenaires."
            )
        if u.head is not None:
            out.append(f"La direction de l'entité {u.name} revient à {u.head.name}.")

    def renaming(self, v: Vendor, out: list[str]) -> None:
        u = self.rng.choice(v.units)
        old = u.name
        fresh = self.unit(v, u.parent)
        v.units.remove(fresh)
        u.name = fresh.name
        out.append(
            f"La {u.word if u.gender == 'f' else 'division'} {old}, "
            f"rebaptisée {u.name}, gère désormais les revendeurs."
        )

    def dissolution(self, v: Vendor, out: list[str]) -> None:
        if len(v.units) < 4:
            return
        u = self.rng.choice([u for u in v.units if u.parent is not None] or v.units)
        v.units.remove(u)
        if self.rng.random() < 0.5:
            out.append(f"{cap(u.phrase)} disparaît au profit d'une équipe unique.")
        else:
            out.append(f"Le groupe confirme la suppression {u.of_phrase}.")

    def programme(self, v: Vendor, out: list[str]) -> None:
        t, p = v.tiers, v.points
        words = {2: "deux", 3: "trois", 4: "quatre"}
        listing = ", ".join(t[:-1]) + f" et {t[-1]}"
        out.append(
            f"Le programme partenaires de {v.name} compte désormais {words[len(t)]} "
            f"niveaux : {listing}."
        )
        out.append(
            f"Il faut au moins {p[-2]} points pour être {t[-2]} et {p[-1]} pour obtenir "
            f"l'agrément {t[-1]}."
        )

    def partner(self, v: Vendor, out: list[str]) -> None:
        tier = self.rng.choice(v.tiers[1:])
        r = self.rng.randrange(3)
        if r < 2 or len(v.partners) < 2:
            c = self.company()
            v.partners[c] = tier
            cue, city = self.rng.choice(CO_CUES), self.rng.choice(CITIES)
            if r == 0:
                out.append(f"{cap(cue)} {city} {c} devient partenaire {tier} de {v.name}.")
            else:
                out.append(
                    f"{c} devient partenaire {tier} de {v.name}, une première pour {cue} {city}."
                )
            boss = self.person()
            out.append(
                f"« C'est une reconnaissance de notre expertise », estime {boss.name}, "
                f"{self.title(boss, 'directeur général')} de {c}."
            )
        else:
            a, b = self.rng.sample(sorted(v.partners), 2)
            top = v.tiers[-1]
            out.append(
                f"Deux acteurs en France, {a} et {b}, accèdent au niveau le plus haut - "
                f"{top} - du programme."
            )
            v.partners[a] = v.partners[b] = top

    def figures(self, v: Vendor, out: list[str]) -> None:
        u = self.rng.choice(v.units)
        total = self.rng.randrange(2, 20) * 100
        dedicated = total // 4
        out.append(
            f"{u.name} gère environ {total} partenaires, dont {dedicated} via un "
            f"interlocuteur dédié et {total - dedicated} en télé-suivi."
        )

    def roles(self, v: Vendor, out: list[str]) -> None:
        name, acronym, old = self.rng.choice(ROLE_PAIRS)
        if self.rng.random() < 0.5:
            out.append(
                f"Chaque partenaire s'est vu attribuer un {acronym}, pour {name} "
                f"(nouveau nom des {old})."
            )
        else:
            out.append(f"Chez {v.name}, les {name}s remplacent les {old}.")

    def hire(self, v: Vendor, year: int, out: list[str]) -> None:
        p = self.person()
        v.staff.append(p)
        if self.rng.random() < 0.5:
            out.append(f"{p.name} rejoint {v.name} France pour piloter le channel.")
        else:
            out.append(
                f"{p.name} travaille chez {v.name} France depuis {year - self.rng.randrange(1, 8)}."
            )

    # --- one article -------------------------------------------------------------------------
    def article(self, n: int, total: int) -> tuple[str, dict[str, object], str]:
        rng = self.rng
        year = 2004 + (20 * n) // max(total, 1)
        month = rng.randrange(1, 13)
        v = rng.choice(self.vendors)
        kinds = rng.sample(
            (
                "appointment",
                "appointment",
                "structure",
                "merger",
                "creation",
                "renaming",
                "dissolution",
                "programme",
                "partner",
                "partner",
                "figures",
                "roles",
                "hire",
            ),
            k=rng.randrange(4, 8),
        )
        paragraphs: list[list[str]] = []
        for kind in kinds:
            out: list[str] = []
            while len([u for u in v.units if u.parent is None]) < 2:  # mergers use units up
                self.unit(v)
            if kind in ("merger", "hire"):
                getattr(self, kind)(v, year, out)
            else:
                getattr(self, kind)(v, out)
            if out:
                if rng.random() < 0.8:
                    out.append(rng.choice(FILLER))
                paragraphs.append(out)
        lead = (
            f"{v.name} France réorganise ses équipes channel"
            if "merger" in kinds
            else f"Du changement dans l'organisation partenaires de {v.name}"
        )
        body = [lead]
        body.append(
            f"{v.name} poursuit la transformation de son organisation commerciale en "
            "France, où l'essentiel des ventes passe par ses partenaires. "
            + " ".join(rng.sample(FILLER, 2))
        )
        body += [" ".join(p) for p in paragraphs]
        body.append(" ".join(rng.sample(FILLER, 2)))
        if rng.random() < 0.3:
            body.append(rng.choice(FURNITURE))
        text = "\n\n".join(body) + "\n"
        article_id = f"syn{n:05d}-{v.name.lower()}"
        meta = {
            "file": f"{article_id}.txt",
            "url": f"https://example.org/news/{year}/{article_id}",
            "publisher": rng.choice(PUBLISHERS),
            "language": "fr",
            "published": f"{year}-{month:02d}",
            "published_is_estimate": False,
        }
        return article_id, meta, text


def generate(size: int, folder: Path, seed: int = 0) -> list[Path]:
    """Writes ``size`` articles and metadata.json into ``folder``; returns the article files."""
    folder.mkdir(parents=True, exist_ok=True)
    world = World(seed)
    files, metadata = [], []
    for n in range(size):
        article_id, meta, text = world.article(n, size)
        path = folder / f"{article_id}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        metadata.append(meta)
    (folder / "metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return files


def change_article(path: Path, seed: int = 0) -> None:
    """Edits one article as a correction would: a new appointment sentence at the end."""
    world = World(seed + 10_000)
    out: list[str] = []
    world.appointment(world.vendors[0], out)
    with path.open("a", encoding="utf-8") as f:
        f.write("\n" + " ".join(out) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="number of articles")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.size, args.folder, args.seed)


if __name__ == "__main__":
    main()
