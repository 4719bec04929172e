"""The in-memory graph: typed nodes and edges in a ``networkx.MultiDiGraph``."""

from kg.graph.build import GraphBuilder, build_graph
from kg.graph.io import graph_counts, load_graph, node_rows, relationship_rows, save_graph

__all__ = ["GraphBuilder", "build_graph", "graph_counts", "load_graph", "node_rows", "relationship_rows",
           "save_graph"]
