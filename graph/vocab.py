"""The vocabulary: the ontology's own terms as a closed namespace, and the W3C namespaces.

``PK.Vendor`` is an IRI; ``PK.Vendorr`` raises AttributeError. tests/test_vocab.py checks
that this list and ontology/partnerkg.ttl declare exactly the same terms.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/partnerkg/ontology")
ORG = Namespace("http://www.w3.org/ns/org#")
VANN = Namespace("http://purl.org/vocab/vann/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


class PK(DefinedNamespace):
    """Terms of the partnerkg ontology (https://w3id.org/partnerkg/ontology#)."""

    _NS = Namespace("https://w3id.org/partnerkg/ontology#")
    _fail = True

    # classes
    Addition: URIRef
    Appointment: URIRef
    Article: URIRef
    CertificationRequirement: URIRef
    Creation: URIRef
    CurationAction: URIRef
    Department: URIRef
    Departure: URIRef
    Dissolution: URIRef
    Division: URIRef
    Evidence: URIRef
    Figure: URIRef
    Headship: URIRef
    Merge: URIRef
    Merger: URIRef
    PartnerCompany: URIRef
    PartnerFacingRole: URIRef
    PartnerProgramme: URIRef
    PartnerStatus: URIRef
    PartnerTier: URIRef
    PointsRequirement: URIRef
    Pole: URIRef
    Publisher: URIRef
    Renaming: URIRef
    ReportingLine: URIRef
    Requirement: URIRef
    Retraction: URIRef
    RevenueRequirement: URIRef
    Subsidiary: URIRef
    Team: URIRef
    Transfer: URIRef
    Vendor: URIRef
    # object properties
    atTier: URIRef
    concernsOrganization: URIRef
    concernsPerson: URIRef
    everHeadOf: URIRef
    everMemberOf: URIRef
    figureOf: URIRef
    formerHeadshipHolder: URIRef
    formerMember: URIRef
    formerlyHeadOf: URIRef
    formerlyMemberOf: URIRef
    hadMembership: URIRef
    hasDirectReport: URIRef
    hasFigure: URIRef
    hasHead: URIRef
    hasPartnerStatus: URIRef
    hasProgramme: URIRef
    hasReportingLine: URIRef
    hasRequirement: URIRef
    hasSubUnit: URIRef
    hasTier: URIRef
    headshipHolder: URIRef
    heldHeadship: URIRef
    holdsHeadship: URIRef
    immediatelyBelow: URIRef
    managesTransitively: URIRef
    memberAtSomeTime: URIRef
    mergedInto: URIRef
    parentCompany: URIRef
    partner: URIRef
    partnerAtTier: URIRef
    partnerOf: URIRef
    programmeOf: URIRef
    rankedAbove: URIRef
    rankedBelow: URIRef
    replacedBy: URIRef
    replaces: URIRef
    reportsToTransitively: URIRef
    roleUsedBy: URIRef
    subUnitOf: URIRef
    subordinate: URIRef
    subsidiaryCompany: URIRef
    superior: URIRef
    tierOf: URIRef
    tierPartner: URIRef
    validDuring: URIRef
    # data properties
    attestedOn: URIRef
    confidence: URIRef
    currency: URIRef
    endChar: URIRef
    extractionRule: URIRef
    figureText: URIRef
    jobTitle: URIRef
    measure: URIRef
    mergedName: URIRef
    minimumAmount: URIRef
    minimumCertifiedStaff: URIRef
    minimumPoints: URIRef
    publishedIsEstimate: URIRef
    reason: URIRef
    requirementText: URIRef
    sentenceIndex: URIRef
    sentenceText: URIRef
    startChar: URIRef
    value: URIRef


PREFIXES: dict[str, str] = {
    "pk": str(PK._NS),
    "org": str(ORG),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "time": str(TIME),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to put in front of a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


__all__ = [
    "DCAT",
    "DCTERMS",
    "FOAF",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PK",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SKOS",
    "TIME",
    "VANN",
    "VOID",
    "XSD",
    "sparql_prefixes",
]
