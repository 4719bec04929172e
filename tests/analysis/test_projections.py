from __future__ import annotations

from kg.analysis import (
    cousage_graph,
    dataset_cousage_graph,
    method_cousage_graph,
    method_dataset_graph,
    method_task_graph,
)
from kg.models import RelType


def _edges(H):
    return {tuple(sorted((u, v))): (d["weight"], tuple(d["papers"])) for u, v, d in H.edges(data=True)}


def test_method_dataset_bipartite(T):
    B = method_dataset_graph(T)
    assert _edges(B) == {
        ("dataset:d1", "method:a"): (1, ("p1",)),
        ("dataset:d2", "method:a"): (2, ("p1", "p5")),
        ("dataset:d3", "method:a"): (1, ("p3",)),
        ("dataset:d1", "method:c"): (1, ("p2",)),
        ("dataset:d2", "method:b"): (1, ("p5",)),
    }
    assert {n for n, side in B.nodes(data="bipartite") if side == 0} == {"method:a", "method:b", "method:c"}
    assert {n for n, side in B.nodes(data="bipartite") if side == 1} == {"dataset:d1", "dataset:d2", "dataset:d3"}
    assert B.nodes["method:a"]["name"] == "A" and B.nodes["dataset:d1"]["label"] == "Dataset"
    assert B.graph["relationship"] == RelType.EVALUATED_ON.value


def test_method_task_bipartite(T):
    assert _edges(method_task_graph(T)) == {
        ("method:a", "task:t1"): (2, ("p1", "p5")),
        ("method:a", "task:t2"): (1, ("p3",)),
        ("method:c", "task:t1"): (1, ("p2",)),
        ("method:e", "task:t3"): (1, ("p4",)),
        ("method:b", "task:t1"): (1, ("p5",)),
    }


def test_method_cousage(T):
    H = method_cousage_graph(T)
    assert set(H) == {"method:a", "method:b", "method:c", "method:e"}
    assert _edges(H) == {("method:a", "method:b"): (2, ("p1", "p5")), ("method:b", "method:c"): (1, ("p2",))}
    H2 = method_cousage_graph(T, min_weight=2, isolates=False)
    assert set(H2) == {"method:a", "method:b"} and _edges(H2) == {("method:a", "method:b"): (2, ("p1", "p5"))}


def test_dataset_cousage_and_role_filter(T):
    H = dataset_cousage_graph(T)
    assert set(H) == {"dataset:d1", "dataset:d2", "dataset:d3"}
    assert _edges(H) == {("dataset:d1", "dataset:d2"): (1, ("p1",))}
    # only proposed methods: no paper proposes two, so no edges
    P = cousage_graph(T, "Method", rels=(RelType.PROPOSES,))
    assert set(P) == {"method:a", "method:c", "method:e"} and P.number_of_edges() == 0
