"""Which datasets do self-supervised methods evaluate on?

Methods applied to a task (default: self-supervised learning), then the datasets those methods are
evaluated on, counted by methods and by supporting papers. Uses only the public ``kg.analysis`` API:

    python scripts/example_ssl_datasets.py GRAPH_DIR [--task "self-supervised learning"] [--top 10]
"""

from __future__ import annotations

import argparse
from collections import Counter

from kg.analysis import display_name, find_entity, method_dataset_graph, method_task_graph
from kg.graph import load_graph


def datasets_of_task_methods(G, task: str) -> tuple[list[str], Counter, Counter]:  # type: ignore[no-untyped-def]
    """(methods applied to ``task``, methods per dataset, papers per dataset)."""
    methods = sorted(method_task_graph(G).neighbors(task)) if task in method_task_graph(G) else []
    md = method_dataset_graph(G)
    by_methods: Counter[str] = Counter()
    by_papers: Counter[str] = Counter()
    for m in methods:
        if m not in md:
            continue
        for dataset, data in md[m].items():
            by_methods[dataset] += 1
            by_papers[dataset] += data["weight"]
    return methods, by_methods, by_papers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", help="a folder written by kg build")
    parser.add_argument("--task", default="self-supervised learning")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    G = load_graph(args.graph)
    task = find_entity(G, args.task, labels=["Task"])
    methods, by_methods, by_papers = datasets_of_task_methods(G, task)
    print(f"{len(methods)} methods are applied to {display_name(G, task)!r}; "
          f"they are evaluated on {len(by_methods)} datasets:")
    ranked = sorted(by_methods, key=lambda d: (-by_methods[d], -by_papers[d], display_name(G, d).casefold()))
    for dataset in ranked[: args.top]:
        print(f"  {display_name(G, dataset):<30} {by_methods[dataset]:>3} methods  {by_papers[dataset]:>3} papers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
