"""The server's blueprints (server.py assembles them): sparql, pages, ontology, data, health.

Routes read the request, call the graph package (graph.sparql's engine, graph.entity,
graph.orgchart...) and write the response; errors are turned into responses in one place,
graph.web.errors.
"""
