"""merge_graphs: what kg build --append keeps, merges and replaces."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis.toy import add_paper, derive
from kg.errors import GraphError
from kg.graph.io import graph_counts
from kg.graph.merge import merge_graphs


def _graph(*papers: tuple[str, list[str], list[str]]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for paper, proposes, datasets in papers:
        add_paper(G, paper, proposes=proposes, evaluates_on=datasets)
    return derive(G)


def test_union_of_two_builds_equals_one_build_of_both() -> None:
    a = _graph(("p1", ["SimCLR"], ["ImageNet"]))
    b = _graph(("p2", ["SimCLR"], ["ImageNet", "CIFAR-10"]))
    both = _graph(("p1", ["SimCLR"], ["ImageNet"]), ("p2", ["SimCLR"], ["ImageNet", "CIFAR-10"]))
    merged = merge_graphs(a, b)
    assert graph_counts(merged) == graph_counts(both)
    assert merged.edges["method:simclr", "dataset:imagenet", "EVALUATED_ON"] == {"papers": ["p1", "p2"], "weight": 2}
    assert merge_graphs(merged, b).edges["method:simclr", "dataset:imagenet", "EVALUATED_ON"]["weight"] == 2
    assert a.edges["method:simclr", "dataset:imagenet", "EVALUATED_ON"]["weight"] == 1  # inputs untouched


def test_lists_are_merged_names_stay_and_scalars_take_the_new_value() -> None:
    a = _graph(("p1", ["SimCLR"], []))
    b = _graph(("p1", ["SimCLR"], []))
    a.nodes["p1"].update(sources=["a.txt:1"], url=None, date="2020-01-01")
    b.nodes["p1"].update(sources=["b.jsonl:3", "a.txt:1"], url="https://x.org", date=None)
    a.nodes["method:simclr"]["aliases"] = ["SimCLRv1"]
    b.nodes["method:simclr"].update(name="SimCLR framework", aliases=["SimCLR"])
    b.edges["p1", "method:simclr", "PROPOSES"]["sentence"] = "We propose SimCLR, better."
    merged = merge_graphs(a, b)
    assert merged.nodes["p1"]["sources"] == ["a.txt:1", "b.jsonl:3"]
    assert merged.nodes["p1"]["url"] == "https://x.org" and merged.nodes["p1"]["date"] == "2020-01-01"
    method = merged.nodes["method:simclr"]
    assert method["name"] == "SimCLR" and method["aliases"] == ["SimCLR framework", "SimCLRv1"]
    assert merged.edges["p1", "method:simclr", "PROPOSES"]["sentence"] == "We propose SimCLR, better."


def test_same_id_with_another_label_is_an_error() -> None:
    a = nx.MultiDiGraph()
    a.add_node("x", label="Method", name="X", aliases=[])
    b = nx.MultiDiGraph()
    b.add_node("x", label="Dataset", name="X", aliases=[])
    with pytest.raises(GraphError, match="Cannot append to out: 'x' is a Method there but a Dataset"):
        merge_graphs(a, b, where="out")
