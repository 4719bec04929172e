"""Which methods bridge two communities of the method co-usage graph?

Finds the Louvain communities of methods (joined by papers that propose or use both), takes the two
largest (or the communities of two methods you name), and ranks the methods that share papers with both
by betweenness in the co-usage graph. Then explains, paper by paper, the path between the two hubs.

    python scripts/example_bridge_methods.py GRAPH_DIR [--between "SimCLR" "CLIP"] [--top 10]
"""

from __future__ import annotations

import argparse

import networkx as nx

from kg.analysis import communities, display_name, explain_path, find_entity, format_path, method_cousage_graph
from kg.graph import load_graph


def bridges(H: nx.Graph, a: set[str], b: set[str]) -> list[tuple[str, float]]:
    """Methods with co-usage neighbours in both ``a`` and ``b``, by betweenness in ``H`` (highest first)."""
    score = nx.betweenness_centrality(H, weight=None, k=min(300, H.number_of_nodes()), seed=0)
    found = [n for n in H if any(x in a for x in H[n]) and any(x in b for x in H[n])]
    return sorted(((n, score[n]) for n in found), key=lambda item: (-item[1], display_name(H, item[0]).casefold()))


def hub(H: nx.Graph, members: set[str]) -> str:
    return max(sorted(members), key=lambda n: H.degree(n, weight="weight"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", help="a folder written by kg build")
    parser.add_argument("--between", nargs=2, metavar="METHOD", help="use the communities of these two methods")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    G = load_graph(args.graph)
    H = method_cousage_graph(G, isolates=False)
    found = communities(H, min_size=2)
    if args.between:
        ids = [find_entity(G, name, labels=["Method"]) for name in args.between]
        a, b = (next(c for c in found if m in c) for m in ids)
        hubs = ids
    else:
        a, b = found[0], found[1]
        hubs = [hub(H, a), hub(H, b)]
    print(f"{len(found)} communities; bridging one of {len(a)} methods (hub {display_name(H, hubs[0])}) "
          f"and one of {len(b)} (hub {display_name(H, hubs[1])})")
    ranked = bridges(H, a, b)
    print(f"{len(ranked)} bridge methods:")
    for node, s in ranked[: args.top]:
        side = "first" if node in a else "second" if node in b else "other"
        print(f"  {display_name(H, node):<40} betweenness {s:.4f}  ({side} community)")
    print(f"path from {display_name(G, hubs[0])} to {display_name(G, hubs[1])}:")
    print(format_path(G, explain_path(G, hubs[0], hubs[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
