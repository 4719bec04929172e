"""The catalogue of example Cypher queries: the questions a researcher asks of the graph.

Each :class:`Example` holds the standard Neo4j 5 Cypher (``cypher``), the embedded database's form where its
dialect differs (``embedded``), parameters that give an answer on the seeds graph, and ``expected(G, params)``:
the same answer computed in plain Python over the networkx graph, in the same row shape, so that the tests can
check every back end against the graph. The README section between ``<!-- BEGIN:embedded -->`` and
``<!-- END:embedded -->`` is generated from this catalogue::

    python -m kg.examples --readme      # rewrite the README section
    python -m kg.examples --check       # exit 1 when the README is out of date

Names are stable: other modules (per-server overrides, docs) refer to examples by ``name``.

>>> [e.name for e in EXAMPLES][:3]
['most_used_datasets', 'methods_on_dataset', 'papers_with_code_for_task']
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.models import NodeLabel, RelType

Rows = list[list[Any]]

__all__ = ["EXAMPLES", "Example", "answers_match", "by_name", "readme_section", "update_readme"]


@dataclass(frozen=True)
class Example:
    """One example question with its Cypher and its answer computed from the networkx graph."""

    name: str
    question: str
    cypher: str
    expected: Callable[[nx.MultiDiGraph, dict[str, Any]], Rows]
    params: dict[str, Any] = field(default_factory=dict)
    embedded: str | None = None
    #: The rows come in a defined order (ORDER BY over every column that decides it).
    ordered: bool = True
    #: ``expected`` lists every acceptable row (e.g. all shortest paths); each returned row must be one of them.
    one_of: bool = False
    note: str = ""

    @property
    def embedded_cypher(self) -> str:
        """The text to run on the embedded database."""
        return self.embedded or self.cypher

    def expected_rows(self, G: nx.MultiDiGraph, params: dict[str, Any] | None = None) -> Rows:
        return self.expected(G, {**self.params, **(params or {})})


def answers_match(example: Example, rows: Rows, expected: Rows) -> bool:
    """Whether ``rows`` (from a database) answer ``example`` as ``expected`` (from the graph) does.

    >>> e = by_name("tasks_by_papers")
    >>> answers_match(e, [["a", 2], ["b", 1]], [["a", 2], ["b", 1]]), answers_match(e, [["b", 1]], [["a", 2]])
    (True, False)
    """
    rows = [list(r) for r in rows]
    expected = [list(r) for r in expected]
    if example.one_of:
        return bool(rows) and all(r in expected for r in rows)
    if example.ordered:
        return rows == expected
    return sorted(map(repr, rows)) == sorted(map(repr, expected))


# --------------------------------------------------------------------------- graph helpers


def _nodes(G: nx.MultiDiGraph, label: NodeLabel) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("label") == label.value]


def _prop(G: nx.MultiDiGraph, node: str, key: str) -> Any:
    return node if key == "id" else G.nodes[node].get(key)


def _edges(G: nx.MultiDiGraph, rels: Iterable[RelType]) -> list[tuple[str, str]]:
    keys = {r.value for r in rels}
    return [(u, v) for u, v, k in G.edges(keys=True) if k in keys]


def _named(G: nx.MultiDiGraph, label: NodeLabel, name: str) -> list[str]:
    return [n for n in _nodes(G, label) if G.nodes[n].get("name") == name]


def _ranked(groups: dict[Any, set[Any]], top: int | None) -> Rows:
    """``[key, count]`` rows, most first, ties by key (ORDER BY count DESC, key)."""
    rows = sorted(([key, len(members)] for key, members in groups.items()), key=lambda r: (-r[1], r[0]))
    return rows[:top] if top is not None else rows


def _ranked_multi(groups: dict[tuple[Any, ...], set[Any]], top: int | None) -> Rows:
    """``[*key, count]`` rows, most first, ties by the key columns in order."""
    rows = sorted(([*key, len(members)] for key, members in groups.items()), key=lambda r: (-r[-1], *r[:-1]))
    return rows[:top] if top is not None else rows


def _display(G: nx.MultiDiGraph, node: str) -> Any:
    """``coalesce(n.name, n.title)``."""
    data = G.nodes[node]
    return data["name"] if data.get("name") is not None else data.get("title")


# --------------------------------------------------------------------------- expected answers


def _most_used_datasets(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    groups: dict[Any, set[str]] = defaultdict(set)
    for p, d in _edges(G, [RelType.EVALUATES_ON]):
        groups[_prop(G, d, "name")].add(p)
    return _ranked(groups, 10)


def _methods_on_dataset(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    datasets = set(_named(G, NodeLabel.DATASET, params["dataset"]))
    papers = {p for p, d in _edges(G, [RelType.EVALUATES_ON]) if d in datasets}
    groups: dict[Any, set[str]] = defaultdict(set)
    for p, m in _edges(G, [RelType.PROPOSES, RelType.USES]):
        if p in papers:
            groups[_prop(G, m, "name")].add(p)
    return _ranked(groups, 10)


def _papers_with_code_for_task(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    tasks = set(_named(G, NodeLabel.TASK, params["task"]))
    papers = [p for p, t in _edges(G, [RelType.ADDRESSES]) if t in tasks]
    code = defaultdict(list)
    for p, r in _edges(G, [RelType.HAS_CODE]):
        code[p].append(r)
    rows = [[_prop(G, p, "title"), _prop(G, r, "url")] for p in papers for r in code[p]]
    return sorted(rows)


def _methods_with_repositories(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    code = defaultdict(list)
    for p, r in _edges(G, [RelType.HAS_CODE]):
        code[p].append(r)
    rows = {(_prop(G, m, "name"), _prop(G, r, "url")) for p, m in _edges(G, [RelType.PROPOSES]) for r in code[p]}
    return [list(r) for r in sorted(rows)][:25]


def _owners_by_repositories(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    groups: dict[Any, set[str]] = defaultdict(set)
    for r, o in _edges(G, [RelType.OWNED_BY]):
        groups[o].add(r)
    return _ranked(groups, 10)


def _two_hop_neighbours(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    methods = set(_named(G, NodeLabel.METHOD, params["method"]))
    groups: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for p, m in _edges(G, [RelType.PROPOSES, RelType.USES]):
        if m not in methods:
            continue
        for _, x in G.out_edges(p):
            if x == m:
                continue
            data = G.nodes[x]
            name = data["name"] if data.get("name") is not None else data.get("url")
            groups[(data["label"], name)].add(p)
    return _ranked_multi(groups, 15)


def _methods_sharing_datasets(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    methods = set(_named(G, NodeLabel.METHOD, params["method"]))
    evaluated = _edges(G, [RelType.EVALUATED_ON])
    datasets_of = defaultdict(set)
    for m, d in evaluated:
        datasets_of[m].add(d)
    groups: dict[Any, set[str]] = defaultdict(set)
    for m in methods:
        for other, d in evaluated:
            if other != m and d in datasets_of[m]:
                groups[_prop(G, other, "name")].add(d)
    return _ranked(groups, 10)


def _tasks_by_papers(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    groups: dict[Any, set[str]] = defaultdict(set)
    for p, t in _edges(G, [RelType.ADDRESSES]):
        groups[_prop(G, t, "name")].add(p)
    return _ranked(groups, 10)


def _introduced_then_used(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    users = defaultdict(list)
    for p, d in _edges(G, [RelType.EVALUATES_ON]):
        users[d].append(p)
    rows = []
    for intro, d in _edges(G, [RelType.INTRODUCES]):
        for user in users[d]:
            a, b = G.nodes[intro].get("date"), G.nodes[user].get("date")
            if user != intro and (a is None or b is None or b >= a):
                rows.append([_prop(G, d, "name"), _prop(G, intro, "title"), _prop(G, user, "title")])
    return sorted(rows)


def _shortest_path(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    U = nx.Graph(G)
    rows = []
    for a in _named(G, NodeLabel.METHOD, params["source"]):
        for b in _named(G, NodeLabel.METHOD, params["target"]):
            if a == b or not nx.has_path(U, a, b):
                continue
            for path in nx.all_shortest_paths(U, a, b):
                if len(path) - 1 <= 8:
                    rows.append([[_display(G, n) for n in path], len(path) - 1])
    return rows


def _evidence_for_method(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    methods = set(_named(G, NodeLabel.METHOD, params["method"]))
    rows = [[G.nodes[p].get("title"), data.get("sentence")]
            for p, m, k, data in G.edges(keys=True, data=True) if k == RelType.PROPOSES.value and m in methods]
    return sorted(rows)


def _tasks_with_code(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    with_code = {p for p, _ in _edges(G, [RelType.HAS_CODE])}
    groups: dict[Any, set[str]] = defaultdict(set)
    for p, t in _edges(G, [RelType.ADDRESSES]):
        if p in with_code:
            groups[_prop(G, t, "name")].add(p)
    return _ranked(groups, 10)


def _papers_by_methods(G: nx.MultiDiGraph, params: dict[str, Any]) -> Rows:
    counts: dict[str, int] = defaultdict(int)
    for p, _ in _edges(G, [RelType.PROPOSES, RelType.USES]):
        counts[p] += 1
    rows = [[_prop(G, p, "title"), n] for p, n in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:10]


# --------------------------------------------------------------------------- the catalogue

EXAMPLES: list[Example] = [
    Example(
        name="most_used_datasets",
        question="Which datasets do most papers evaluate on?",
        cypher="""MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset)
RETURN d.name AS dataset, count(DISTINCT p) AS papers
ORDER BY papers DESC, dataset
LIMIT 10""",
        expected=_most_used_datasets,
    ),
    Example(
        name="methods_on_dataset",
        question="Which methods appear in papers that evaluate on a given dataset?",
        cypher="""MATCH (m:Method)<-[:PROPOSES|USES]-(p:Paper)-[:EVALUATES_ON]->(d:Dataset {name: $dataset})
RETURN m.name AS method, count(DISTINCT p) AS papers
ORDER BY papers DESC, method
LIMIT 10""",
        params={"dataset": "ImageNet"},
        expected=_methods_on_dataset,
    ),
    Example(
        name="papers_with_code_for_task",
        question="Which papers on a task link their code, and where?",
        cypher="""MATCH (t:Task {name: $task})<-[:ADDRESSES]-(p:Paper)-[:HAS_CODE]->(r:Repository)
RETURN p.title AS paper, r.url AS repository
ORDER BY paper, repository""",
        params={"task": "contrastive learning"},
        expected=_papers_with_code_for_task,
    ),
    Example(
        name="methods_with_repositories",
        question="Which methods were proposed together with a code repository?",
        cypher="""MATCH (m:Method)<-[:PROPOSES]-(p:Paper)-[:HAS_CODE]->(r:Repository)
RETURN DISTINCT m.name AS method, r.url AS repository
ORDER BY method, repository
LIMIT 25""",
        expected=_methods_with_repositories,
    ),
    Example(
        name="owners_by_repositories",
        question="Which accounts own the most repositories?",
        cypher="""MATCH (r:Repository)-[:OWNED_BY]->(o:Owner)
RETURN o.id AS owner, count(DISTINCT r) AS repositories
ORDER BY repositories DESC, owner
LIMIT 10""",
        expected=_owners_by_repositories,
    ),
    Example(
        name="two_hop_neighbours",
        question="What is two hops from a method (through the papers that propose or use it)?",
        cypher="""MATCH (m:Method {name: $method})<-[:PROPOSES|USES]-(p:Paper)-->(x)
WHERE x <> m
RETURN labels(x)[0] AS label, coalesce(x.name, x.url) AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, label, name
LIMIT 15""",
        embedded="""MATCH (m:Method {name: $method})<-[:PROPOSES|USES]-(p:Paper)-->(x)
WHERE x <> m
RETURN label(x) AS label, coalesce(x.name, x.url) AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, label, name
LIMIT 15""",
        params={"method": "SimCLR"},
        expected=_two_hop_neighbours,
        note="A node's label: `labels(x)[0]` in Neo4j, `label(x)` in the embedded database.",
    ),
    Example(
        name="methods_sharing_datasets",
        question="Which methods are evaluated on the same datasets as a given method?",
        cypher="""MATCH (m:Method {name: $method})-[:EVALUATED_ON]->(d:Dataset)<-[:EVALUATED_ON]-(other:Method)
WHERE other <> m
RETURN other.name AS method, count(DISTINCT d) AS shared_datasets
ORDER BY shared_datasets DESC, method
LIMIT 10""",
        params={"method": "SimCLR"},
        expected=_methods_sharing_datasets,
    ),
    Example(
        name="tasks_by_papers",
        question="Which tasks do most papers address?",
        cypher="""MATCH (p:Paper)-[:ADDRESSES]->(t:Task)
RETURN t.name AS task, count(DISTINCT p) AS papers
ORDER BY papers DESC, task
LIMIT 10""",
        expected=_tasks_by_papers,
    ),
    Example(
        name="introduced_then_used",
        question="Which papers introduce a dataset, and which papers used it after (same date or later)?",
        cypher="""MATCH (intro:Paper)-[:INTRODUCES]->(d:Dataset)<-[:EVALUATES_ON]-(user:Paper)
WHERE user <> intro AND coalesce(user.date >= intro.date, true)
RETURN d.name AS dataset, intro.title AS introduced_by, user.title AS used_by
ORDER BY dataset, introduced_by, used_by""",
        expected=_introduced_then_used,
        note="Papers without a date are kept (the comparison is null, so `coalesce(..., true)`).",
    ),
    Example(
        name="shortest_path",
        question="How are two methods connected (a shortest path through papers, datasets, tasks, ...)?",
        cypher="""MATCH (a:Method {name: $source}), (b:Method {name: $target})
MATCH p = shortestPath((a)-[*..8]-(b))
RETURN [n IN nodes(p) | coalesce(n.name, n.title)] AS path, length(p) AS hops""",
        embedded="""MATCH p = (a:Method {name: $source})-[* SHORTEST 1..8]-(b:Method {name: $target})
RETURN list_transform(nodes(p), n -> coalesce(n.name, n.title)) AS path, length(p) AS hops""",
        params={"source": "BYOL", "target": "GPT-4"},
        expected=_shortest_path,
        ordered=False,
        one_of=True,
        note="Shortest paths: `shortestPath((a)-[*..8]-(b))` in Neo4j, `-[* SHORTEST 1..8]-` in the embedded "
             "database; list comprehensions `[n IN list | ...]` are `list_transform(list, n -> ...)` there. When "
             "several paths are shortest, either engine returns one of them.",
    ),
    Example(
        name="tasks_with_code",
        question="Which tasks have the most papers that link code (an existence subquery)?",
        cypher="""MATCH (t:Task)<-[:ADDRESSES]-(p:Paper)
WHERE EXISTS { (p)-[:HAS_CODE]->(:Repository) }
RETURN t.name AS task, count(DISTINCT p) AS papers_with_code
ORDER BY papers_with_code DESC, task
LIMIT 10""",
        embedded="""MATCH (t:Task)<-[:ADDRESSES]-(p:Paper)
WHERE EXISTS { MATCH (p)-[:HAS_CODE]->(:Repository) }
RETURN t.name AS task, count(DISTINCT p) AS papers_with_code
ORDER BY papers_with_code DESC, task
LIMIT 10""",
        expected=_tasks_with_code,
        note="Subqueries: the embedded database needs `MATCH` inside `EXISTS { ... }` and `COUNT { ... }`; "
             "Neo4j 5 accepts both the short pattern form and the `MATCH` form.",
    ),
    Example(
        name="papers_by_methods",
        question="Which papers mention the most methods (a counting subquery)?",
        cypher="""MATCH (p:Paper)
RETURN p.title AS paper, COUNT { (p)-[:PROPOSES|USES]->(:Method) } AS methods
ORDER BY methods DESC, paper
LIMIT 10""",
        embedded="""MATCH (p:Paper)
RETURN p.title AS paper, COUNT { MATCH (p)-[:PROPOSES|USES]->(:Method) } AS methods
ORDER BY methods DESC, paper
LIMIT 10""",
        expected=_papers_by_methods,
    ),
    Example(
        name="evidence_for_method",
        question="Which papers propose a method, and in which sentence?",
        cypher="""MATCH (p:Paper)-[r:PROPOSES]->(m:Method {name: $method})
RETURN p.title AS paper, r.sentence AS evidence
ORDER BY paper, evidence""",
        params={"method": "SimCLR"},
        expected=_evidence_for_method,
    ),
]


def by_name(name: str) -> Example:
    """The example called ``name`` (KeyError when there is none)."""
    for example in EXAMPLES:
        if example.name == name:
            return example
    raise KeyError(name)


# --------------------------------------------------------------------------- README


BEGIN, END = "<!-- BEGIN:embedded -->", "<!-- END:embedded -->"


def _shell_params(params: dict[str, Any]) -> str:
    parts = []
    for key, value in params.items():
        text = f"{key}={value}"
        parts.append(f"--param '{text}'" if re.search(r"[^\w=.:/-]", text) else f"--param {text}")
    return " ".join(parts)


def _command(prefix: str, cypher: str, params: dict[str, Any]) -> str:
    if "'" in cypher:
        raise ValueError("README example queries are shown in single quotes; use parameters instead of quotes")
    tail = f" \\\n  {_shell_params(params)}" if params else ""
    return f"{prefix} '\n{cypher}'{tail}"


def readme_section() -> str:
    """The README text between the ``embedded`` markers (markers excluded)."""
    lines = [
        "### Query with Cypher, no server needed",
        "",
        "`kg build` also writes an embedded graph database into the graph folder (`graph.lbdb`, made with "
        "[ladybug](https://pypi.org/project/ladybug/), the maintained fork of the Kuzu embedded database; "
        "`--no-db` skips it). Its tables are the node labels and relationship types of the graph model, with the "
        "same property names; lists (`aliases`, `sources`, `authors`, `papers`) are `STRING[]`, dates ISO strings.",
        "",
        "```bash",
        "kg query graph 'MATCH (p:Paper) RETURN count(p) AS papers'             # a table",
        "kg query graph 'MATCH (m:Method) RETURN m.name LIMIT 5' --format json  # or csv",
        "kg query graph 'MATCH (d:Dataset {name: $name}) RETURN d.id' --param name=ImageNet",
        "kg shell graph                                   # interactive: end a query with ';', :help, :quit",
        "kg build more/*.jsonl --out graph --append        # add papers; nothing is duplicated",
        "```",
        "",
        "`--param name=value` reads the value as JSON when it parses (`--param k=3`, `--param 'xs=[\"a\"]'`), else "
        "as text. The same command runs on Neo4j with `--uri` (then no folder is needed): "
        "`kg query --uri bolt://localhost:7687 'MATCH ...'` (`--user`, `--password`, `--database` or the "
        "`KG_NEO4J_*` variables).",
        "",
        "Building into a folder again replaces its graph and database; `--append` adds the new papers instead: new "
        "nodes and relationships are copied in, changed ones updated (aliases and sources merged), and a "
        "relationship is one per (source, type, target). Any number of readers (`kg query`, `kg shell`, other "
        "processes opening it read-only) can share the database; a build writes a new file beside it and moves it "
        "into place when complete. Settings: `KG_EMBEDDED_BUFFER_POOL_MB`, `KG_EMBEDDED_THREADS`, `KG_SHELL_HISTORY` "
        "(default `~/.kg_history`). `python scripts/bench_embedded.py` loads a synthetic graph of 200,000 papers and "
        "prints the load seconds, query latencies and the size on disk.",
        "",
        "The embedded dialect is Cypher with a few differences from Neo4j 5: a relationship property named `end` "
        "must be written `` r.`end` ``; `label(x)` instead of `labels(x)[0]`; shortest paths as "
        "`-[* SHORTEST 1..8]-`; list comprehensions as `list_transform(list, x -> ...)`. Where an example differs, "
        "both forms are shown.",
        "",
        "#### Example queries",
        "",
        "Each runs on the seeds graph built above (`kg build ../shared/seeds/*.txt --out graph`); the tests check "
        "every answer against the networkx graph (`kg.examples`).",
        "",
    ]
    for i, ex in enumerate(EXAMPLES, 1):
        pad = " " * len(f"{i}. ")  # list item continuation lines line up with the item's text
        lines += [f"{i}. **{ex.question}** (`{ex.name}`)", ""]
        forms: list[tuple[str | None, str, str]] = [(None, "kg query graph", ex.cypher)]
        if ex.embedded:
            forms = [("Embedded database:", "kg query graph", ex.embedded),
                     ("Neo4j:", "kg query --uri bolt://localhost:7687", ex.cypher)]
        for heading, prefix, cypher in forms:
            if heading:
                lines += [pad + heading, ""]
            lines += [pad + "```bash", *(pad + s for s in _command(prefix, cypher, ex.params).splitlines()),
                      pad + "```", ""]
        if ex.note:
            lines += [pad + ex.note, ""]
    return "\n".join(lines).rstrip() + "\n"


def update_readme(path: str | Path, *, check: bool = False) -> bool:
    """Write :func:`readme_section` between the markers of ``path``; True when the file was (or is) in sync.

    With ``check`` nothing is written: the return value says whether the README is up to date.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise ValueError(f"{path}: no {BEGIN} / {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{readme_section()}{END}{tail}"
    if check:
        return new == text
    if new != text:
        path.write_text(new, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.examples", description=__doc__.splitlines()[0])
    parser.add_argument("--readme", nargs="?", const="README.md", help="rewrite the README section")
    parser.add_argument("--check", nargs="?", const="README.md", help="exit 1 when the README section is stale")
    args = parser.parse_args(argv)
    if args.check:
        ok = update_readme(args.check, check=True)
        print(f"{args.check}: {'up to date' if ok else 'out of date: run python -m kg.examples --readme'}")
        return 0 if ok else 1
    if args.readme:
        update_readme(args.readme)
        print(f"{args.readme}: example queries written")
        return 0
    print(readme_section(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
