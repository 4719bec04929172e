"""A tiny hand-built graph whose every analysis result was worked out by hand (see the test modules)."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis.toy import add_paper, derive


def tiny() -> nx.MultiDiGraph:
    """Five papers, methods A B C E, datasets D1 D2 D3, tasks T1 T2 T3, owners x (2 repos) and y (1).

    p1: proposes A, uses B, evaluates on D1 D2, addresses T1, code x/r1
    p2: proposes C, uses B, evaluates on D1, addresses T1, code x/r2
    p3: uses A, introduces D3, addresses T2, code y/r3
    p4: proposes E, addresses T3
    p5: uses A B, evaluates on D2, addresses T1
    """
    G = nx.MultiDiGraph()
    add_paper(G, "p1", proposes=["A"], uses=["B"], evaluates_on=["D1", "D2"], addresses=["T1"], code=["x/r1"])
    add_paper(G, "p2", proposes=["C"], uses=["B"], evaluates_on=["D1"], addresses=["T1"], code=["x/r2"])
    add_paper(G, "p3", uses=["A"], introduces=["D3"], addresses=["T2"], code=["y/r3"])
    add_paper(G, "p4", proposes=["E"], addresses=["T3"])
    add_paper(G, "p5", uses=["A", "B"], evaluates_on=["D2"], addresses=["T1"])
    G.nodes["method:a"]["aliases"] = ["Alpha"]
    return derive(G)


@pytest.fixture
def T() -> nx.MultiDiGraph:
    return tiny()
