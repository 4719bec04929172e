"""Which owners release the most code, and which tasks publish their code most often?

    python scripts/example_code_owners.py GRAPH_DIR [--top 10] [--min-papers 5]
"""

from __future__ import annotations

import argparse

from kg.analysis import code_share, code_share_by_task, display_name, rank_owners
from kg.graph import load_graph


def repositories_of(G, owner: str) -> list[str]:  # type: ignore[no-untyped-def]
    """``owner/name`` of the owner's repositories, with the number of papers that link each."""
    rows = []
    for repo in sorted(G.predecessors(owner)):
        papers = sum(1 for _, _, k in G.in_edges(repo, keys=True) if k == "HAS_CODE")
        rows.append(f"{display_name(G, repo)} ({papers} paper{'s' if papers != 1 else ''})")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", help="a folder written by kg build")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--min-papers", type=int, default=5, help="tasks with fewer papers are left out")
    args = parser.parse_args(argv)
    G = load_graph(args.graph)
    print(f"papers with a code repository: {code_share(G):.1%}")
    print("owners by repositories:")
    for owner, n in rank_owners(G, top=args.top):
        print(f"  {display_name(G, owner):<24} {n:>3}  {', '.join(repositories_of(G, owner)[:4])}")
    print(f"tasks with {args.min_papers}+ papers, by share of papers with code:")
    rows = sorted(code_share_by_task(G, min_papers=args.min_papers), key=lambda r: (-r.share, -r.papers))
    for row in rows[: args.top]:
        print(f"  {display_name(G, row.task):<40} {row.with_code:>3}/{row.papers:<4} {row.share:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
