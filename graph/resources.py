"""Files shipped with partnerkg: the ontology, the query library, the sample corpus.

In a source checkout (or an editable install) they sit at the repository root; a wheel
carries them under ``graph/_data``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_ROOTS = (_PACKAGE / "_data", _PACKAGE.parent)


def resource(name: str) -> Path:
    """Path of a shipped file or folder (``ontology/partnerkg.ttl``, ``queries``...)."""
    for root in _ROOTS:
        path = root / name
        if path.exists():
            return path
    raise FileNotFoundError(f"partnerkg resource {name!r} is missing from the installation")


def ontology_file() -> Path:
    return resource("ontology/partnerkg.ttl")


def shapes_file() -> Path:
    return resource("ontology/shapes.ttl")


def queries_dir() -> Path:
    return resource("queries")


def sample_corpus() -> Path:
    return resource("corpus")


def package_data(name: str) -> Path:
    """A data file inside the package itself (patterns, gazetteers, templates)."""
    return _PACKAGE / name
