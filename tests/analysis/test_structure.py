from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis import Hop, add_paper, betweenness, communities, components, entity_graph, explain_path, pagerank
from kg.analysis.structure import format_path
from kg.errors import QueryError
from kg.models import NodeLabel


def two_triangles() -> nx.Graph:
    H = nx.Graph()
    H.add_weighted_edges_from([("a", "b", 3), ("b", "c", 3), ("a", "c", 3), ("x", "y", 3), ("y", "z", 3),
                               ("x", "z", 3), ("c", "x", 1)])
    H.add_node("lonely")
    return H


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_communities_two_triangles(method):
    found = communities(two_triangles(), method=method)
    assert found == [{"a", "b", "c"}, {"x", "y", "z"}, {"lonely"}]
    assert communities(two_triangles(), method=method, min_size=2) == [{"a", "b", "c"}, {"x", "y", "z"}]
    assert communities(nx.Graph()) == []


def test_communities_bad_method():
    with pytest.raises(QueryError, match="community method"):
        communities(two_triangles(), method="leiden-ish")


def test_pagerank_star_exact():
    # p1 -- A, p1 -- D: a star; PageRank (alpha .85) of the centre is 18/37, of each leaf 19/74
    G = nx.MultiDiGraph()
    add_paper(G, "p1", proposes=["A"], evaluates_on=["D"])
    ranked = pagerank(G)
    assert len(ranked) == 2
    assert dict(ranked) == {"method:a": pytest.approx(19 / 74, abs=1e-6), "dataset:d": pytest.approx(19 / 74, abs=1e-6)}
    assert pagerank(G, labels=(NodeLabel.PAPER,)) == [("p1", pytest.approx(18 / 37, abs=1e-6))]


def test_betweenness_path_exact():
    # D -- p1 -- A -- p2: a path of four; each inner node lies on 2 of the 3 pairs it can be between
    G = nx.MultiDiGraph()
    add_paper(G, "p1", proposes=["A"], evaluates_on=["D"])
    add_paper(G, "p2", uses=["A"])
    assert betweenness(G) == [("method:a", pytest.approx(2 / 3)), ("dataset:d", 0.0)]
    assert betweenness(G, labels=(NodeLabel.PAPER,)) == [("p1", pytest.approx(2 / 3)), ("p2", 0.0)]
    assert betweenness(G, normalized=False, top=1) == [("method:a", pytest.approx(2.0))]


def test_entity_graph_and_components(T):
    U = entity_graph(T)
    # 5 papers + 4 methods + 3 datasets + 3 tasks; 5+4+3+2+4 Paper -> entity edges, derived ones left out
    assert U.number_of_nodes() == 15 and U.number_of_edges() == 18
    assert U.number_of_edges() + 10 == entity_graph(T, derived=True).number_of_edges()
    assert [len(c) for c in components(T)] == [17, 3]
    assert components(T)[1] == {"p4", "method:e", "task:t3"}
    assert [len(c) for c in components(T, labels=(NodeLabel.PAPER, NodeLabel.DATASET))] == [5, 2, 1]


def test_explain_path_unique(T):
    hops = explain_path(T, "dataset:d3", "task:t2")
    assert hops == [Hop("p3", "INTRODUCES", "dataset:d3", False, "Paper p3: introduces D3.", ()),
                    Hop("p3", "ADDRESSES", "task:t2", True, "Paper p3: addresses T2.", ())]
    assert format_path(T, hops) == "D3 <-INTRODUCES- Paper p3\nPaper p3 -ADDRESSES-> T2"
    assert explain_path(T, "method:e", "task:t3", derived=True) == [
        Hop("method:e", "APPLIED_TO", "task:t3", True, None, ("p4",))]


def test_explain_path_long_is_a_chain(T):
    hops = explain_path(T, "method:c", "dataset:d3")
    assert len(hops) == 6
    walk = [h.source if h.forward else h.target for h in hops] + [hops[-1].target if hops[-1].forward
                                                                   else hops[-1].source]
    assert walk[0] == "method:c" and walk[-1] == "dataset:d3"
    for hop in hops:
        assert T.has_edge(hop.source, hop.target, hop.rel)


def test_explain_path_errors(T):
    with pytest.raises(QueryError, match="No path joins"):
        explain_path(T, "method:e", "method:a")
    with pytest.raises(QueryError, match="not a node"):
        explain_path(T, "method:zzz", "method:a")
