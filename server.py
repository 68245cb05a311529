"""The partnerkg server: a SPARQL 1.1 endpoint, a query page and linked-data pages.

    create_app(settings)     the Flask application (nothing is built or started at import)
    serve(settings)          run it with waitress (what `partnerkg serve` does)

The application lives in graph.web.app (so that it ships inside the package); routes, one
blueprint per feature, in graph.web:
    /sparql                        SPARQL 1.1 Protocol; the Service Description without query
    /                              query page: editor, competency-question examples, results
    /id/...                        entity pages: HTML, or Turtle / JSON-LD / N-Triples / RDF/XML
    /graph/...                     named graphs: HTML summary, or the graph's statements
    /explain?s=&p=&o=              why a statement holds (graph.explain)
    /orgchart.svg?org=&date=       organisation chart of a vendor or unit at a date
    /ontology                      the ontology: HTML documentation or Turtle
    /.well-known/void, /dumps/...  dataset description (VoID) and dumps of the whole graph
    /health                        liveness and store status
"""

from graph.web.app import create_app, serve

__all__ = ["create_app", "serve"]
