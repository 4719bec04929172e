"""Graph analyses over the knowledge graph: plain functions ``f(G, ...)`` in networkx style.

``G`` is the ``networkx.MultiDiGraph`` of :func:`kg.graph.load_graph` (node key = id, attribute ``label``;
edge key = relationship type). Functions return node ids; :func:`display_name` turns one into its name.

>>> import kg.analysis as ka
>>> G = ka.example_graph()
>>> [ka.display_name(G, m) for m, _ in ka.rank_methods(G, role="proposed", top=2)]
['BERT', 'BYOL']
>>> ka.display_name(G, ka.find_entity(G, "imagenet"))
'ImageNet'
"""

from kg.analysis._common import ENTITY_LABELS, LOOKUP_LABELS, display_name, find_entity, nodes_with_label
from kg.analysis.projections import (
    bipartite_view,
    cousage_graph,
    dataset_cousage_graph,
    method_cousage_graph,
    method_dataset_graph,
    method_task_graph,
)
from kg.analysis.rankings import (
    CodeShare,
    code_share,
    code_share_by_task,
    paper_counts,
    rank_datasets,
    rank_methods,
    rank_owners,
    rank_tasks,
)
from kg.analysis.similarity import method_profile, similar_methods
from kg.analysis.structure import (
    Hop,
    betweenness,
    communities,
    components,
    entity_graph,
    explain_path,
    format_path,
    pagerank,
)
from kg.analysis.subgraph import neighbourhood
from kg.analysis.toy import add_paper, derive, example_graph

__all__ = [
    "ENTITY_LABELS",
    "LOOKUP_LABELS",
    "CodeShare",
    "Hop",
    "add_paper",
    "betweenness",
    "bipartite_view",
    "code_share",
    "code_share_by_task",
    "communities",
    "components",
    "cousage_graph",
    "dataset_cousage_graph",
    "derive",
    "display_name",
    "entity_graph",
    "example_graph",
    "explain_path",
    "find_entity",
    "format_path",
    "method_cousage_graph",
    "method_dataset_graph",
    "method_profile",
    "method_task_graph",
    "neighbourhood",
    "nodes_with_label",
    "pagerank",
    "paper_counts",
    "rank_datasets",
    "rank_methods",
    "rank_owners",
    "rank_tasks",
    "similar_methods",
]
