"""Validate: SHACL shapes (ontology/shapes.ttl) over instance data, with pySHACL.

The data validated is asserted + inferred (the closure carries the types the shapes target),
so no inference is asked of pySHACL. Each result names the offending node.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyshacl
from rdflib import Graph, Namespace
from rdflib.term import Node

from .resources import shapes_file
from .vocab import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    severity: str          # Violation, Warning, Info
    focus: str
    path: str | None
    message: str

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{path}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [r for r in self.results if r.severity == "Warning"]


def validate(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    shapes = shapes if shapes is not None else Graph().parse(shapes_file())
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                           advanced=True, allow_warnings=True)
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        path: Node | None = report.value(r, SH.resultPath)
        results.append(Violation(severity, str(report.value(r, SH.focusNode)),
                                 str(path) if path is not None else None,
                                 str(report.value(r, SH.resultMessage) or "")))
    results.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), results)
