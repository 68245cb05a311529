"""Errors raised by partnerkg. Each message says what went wrong, where, and how to fix it.

PartnerKGError
├── ConfigError        a setting has a bad value (names the setting / env var)
├── CorpusError        an article or its metadata cannot be read (names the file)
├── RuleError          a pattern or gazetteer data file is invalid (names file and line)
├── CurationError      the curation file is invalid (names file and line)
├── ModelError         the spaCy French model is missing
├── StoreError         the store cannot be opened, read or written
├── ReasoningError     the ontology uses an axiom the fast reasoner cannot compile
├── QueryError         a SPARQL query is invalid, refused or failed
│   ├── QueryRefused   the query asks for something the endpoint never does (SERVICE...)
│   │   └── Unauthorized   an update without a valid token
│   ├── QueryTimeout   the query ran past its time limit
│   └── QueryFailed    the evaluation broke down (the worker died: out of memory?)
├── Unavailable        a feature or resource cannot answer now (busy, missing module)
└── NotFound           an entity, query or graph that does not exist
"""

from __future__ import annotations


class PartnerKGError(Exception):
    """Base class: the CLI prints these as one line and exits with status 2."""


class ConfigError(PartnerKGError):
    pass


class CorpusError(PartnerKGError):
    pass


class RuleError(PartnerKGError):
    pass


class CurationError(PartnerKGError):
    pass


class ModelError(PartnerKGError):
    pass


class StoreError(PartnerKGError):
    pass


class ReasoningError(PartnerKGError):
    pass


class QueryError(PartnerKGError):
    pass


class QueryRefused(QueryError):
    pass


class QueryTimeout(QueryError):
    pass


class Unauthorized(QueryRefused):
    pass


class QueryFailed(QueryError):
    pass


class Unavailable(PartnerKGError):
    pass


class NotFound(PartnerKGError):
    pass
