from __future__ import annotations

import math

import networkx as nx
import pytest

from kg.analysis import add_paper, example_graph, find_entity, method_profile, neighbourhood, similar_methods
from kg.errors import QueryError
from kg.graph.io import node_rows, relationship_rows
from kg.models import NodeLabel, RelType


def test_method_profile(T):
    assert method_profile(T, "method:a") == {"dataset:d1": 1, "dataset:d2": 2, "task:t1": 2, "dataset:d3": 1,
                                             "task:t2": 1}
    assert method_profile(T, "method:b") == {"dataset:d1": 2, "dataset:d2": 2, "task:t1": 3}
    assert method_profile(T, "method:b", via="derived") == {"dataset:d2": 1, "task:t1": 1}
    with pytest.raises(QueryError, match="is a Dataset, not a Method"):
        method_profile(T, "dataset:d1")


def test_similar_methods_jaccard_and_cosine(T):
    assert similar_methods(T, "method:a") == [("method:b", pytest.approx(3 / 5)), ("method:c", pytest.approx(2 / 5))]
    assert similar_methods(T, "method:a", metric="cosine") == [
        ("method:b", pytest.approx(12 / math.sqrt(11 * 17))), ("method:c", pytest.approx(3 / math.sqrt(22)))]
    # derived profiles: B {D2, T1}, C {D1, T1} both share 2 of 5 with A; ties go by name
    assert similar_methods(T, "method:a", via="derived") == [("method:b", pytest.approx(0.4)),
                                                              ("method:c", pytest.approx(0.4))]
    assert similar_methods(T, "method:e") == []
    assert similar_methods(T, "method:a", top=1) == [("method:b", pytest.approx(0.6))]
    with pytest.raises(QueryError, match="similarity metric"):
        similar_methods(T, "method:a", metric="dice")


def test_neighbourhood(T):
    assert set(neighbourhood(T, "method:e", hops=1)) == {"method:e", "p4"}
    H = neighbourhood(T, "method:e", hops=2)
    assert set(H) == {"method:e", "p4", "task:t3"}
    assert sorted(H.edges(keys=True)) == [("p4", "method:e", "PROPOSES"), ("p4", "task:t3", "ADDRESSES")]
    D = neighbourhood(T, "method:e", hops=1, derived=True)
    assert set(D) == {"method:e", "p4", "task:t3"} and D.number_of_edges() == 3
    assert set(neighbourhood(T, "method:a", hops=1)) == {"method:a", "p1", "p3", "p5"}
    # capped: p1 has degree 6, p3 and p5 have 4; the tie goes by name
    assert set(neighbourhood(T, "method:a", hops=1, max_nodes=3)) == {"method:a", "p1", "p3"}
    assert set(neighbourhood(T, "method:a", hops=0)) == {"method:a"}
    assert neighbourhood(T, "method:a", hops=2).nodes["method:a"]["aliases"] == ["Alpha"]
    with pytest.raises(QueryError, match="hops must be 0 or more"):
        neighbourhood(T, "method:a", hops=-1)


def test_find_entity(T):
    assert find_entity(T, "a") == "method:a"
    assert find_entity(T, "ALPHA") == "method:a"
    assert find_entity(T, "method:a") == "method:a"
    assert find_entity(T, "x/r1") == "github.com/x/r1"
    assert find_entity(T, "github.com/y/r3") == "github.com/y/r3"
    assert find_entity(T, "d2", labels=["Dataset"]) == "dataset:d2"
    with pytest.raises(QueryError, match=r"No Task is named 'd2'"):
        find_entity(T, "d2", labels=[NodeLabel.TASK])
    with pytest.raises(QueryError, match=r"named 'Alpah'.*Close matches: A \(Method\)"):
        find_entity(T, "Alpah")
    with pytest.raises(QueryError, match="No close matches"):
        find_entity(T, "zzzzzzzz")


def test_find_entity_name_beats_alias_and_ambiguity():
    G = nx.MultiDiGraph()
    add_paper(G, "p", proposes=["X", "Shared"], evaluates_on=["Y"], addresses=["Shared"])
    G.nodes["method:x"]["aliases"] = ["Y"]
    assert find_entity(G, "y") == "dataset:y"
    with pytest.raises(QueryError, match=r"'shared' names 2 entities: Shared \(Method, id method:shared\); "
                                         r"Shared \(Task, id task:shared\)"):
        find_entity(G, "shared")
    assert find_entity(G, "shared", labels=["Task"]) == "task:shared"


def test_example_graph_follows_the_graph_model():
    G = example_graph()
    nodes = sum(len(list(node_rows(G, label))) for label in NodeLabel)
    rels = sum(len(list(relationship_rows(G, rel))) for rel in RelType)
    assert (nodes, rels) == (G.number_of_nodes(), G.number_of_edges()) == (25, 49)


def test_find_entity_alias_beats_repository_short_name():
    G = nx.MultiDiGraph()
    add_paper(G, "p", proposes=["Contrastive Language-Image Pretraining"], code=["openai/CLIP"])
    G.nodes["method:contrastivelanguageimagepretraining"]["aliases"] = ["CLIP"]
    assert find_entity(G, "clip") == "method:contrastivelanguageimagepretraining"
    assert find_entity(G, "clip", labels=["Repository"]) == "github.com/openai/clip"
    assert find_entity(G, "https://github.com/openai/CLIP") == "github.com/openai/clip"
