"""Every example query (the README's) runs on the embedded database of the seeds graph and agrees with networkx."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import kg.cli  # noqa: F401  (registers every command)
from kg.cli.app import app
from kg.examples import BEGIN, END, EXAMPLES, Example, answers_match, by_name, readme_section, update_readme
from kg.stores.embedded import open_database

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(seeds_graph_dir: Path):  # type: ignore[no-untyped-def]
    with open_database(seeds_graph_dir) as db:
        yield db


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_agrees_with_the_graph(example: Example, seeds_db, seeds_graph: nx.MultiDiGraph) -> None:  # type: ignore[no-untyped-def]
    expected = example.expected_rows(seeds_graph)
    assert expected, f"{example.name}: its parameters give no answer on the seeds graph"
    result = seeds_db.query(example.embedded_cypher, example.params)
    assert result.columns == _columns(example), result.columns
    assert answers_match(example, result.rows, expected), (result.rows[:5], expected[:5])


def _columns(example: Example) -> list[str]:
    """The column names of the query's RETURN clause (``AS name``)."""
    tail = example.embedded_cypher.split("RETURN", 1)[1].split("ORDER BY")[0]
    return re.findall(r"\bAS (\w+)", tail)


def test_names_are_unique_and_dialects_are_kept_apart() -> None:
    names = [e.name for e in EXAMPLES]
    assert len(names) == len(set(names)) >= 10
    for e in EXAMPLES:
        assert by_name(e.name) is e
        assert not re.search(r"\blabel\(|list_transform|SHORTEST \d", e.cypher), e.name  # Neo4j 5 text
        if e.embedded:
            assert " ".join(e.embedded.split()) != " ".join(e.cypher.split()), e.name
        assert set(re.findall(r"\$(\w+)", e.embedded_cypher)) == set(e.params) == set(re.findall(r"\$(\w+)",
                                                                                               e.cypher))


def test_issue_questions_are_covered() -> None:
    wanted = {"most_used_datasets", "methods_on_dataset", "papers_with_code_for_task", "methods_with_repositories",
              "owners_by_repositories", "two_hop_neighbours", "methods_sharing_datasets", "tasks_by_papers",
              "introduced_then_used", "shortest_path"}
    assert wanted <= {e.name for e in EXAMPLES}


def test_readme_is_in_sync() -> None:
    readme = REPO / "README.md"
    assert update_readme(readme, check=True), "README is out of date: run python -m kg.examples --readme"
    text = readme.read_text(encoding="utf-8")
    assert readme_section() in text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert "pip install -e . && kg build ../shared/seeds/*.txt --out graph" in text


def _readme_commands() -> list[list[str]]:
    section = (REPO / "README.md").read_text(encoding="utf-8").split(BEGIN, 1)[1].split(END, 1)[0]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S):
        text = "\n".join(line.strip() for line in block.splitlines())
        for command in re.split(r"\n(?=kg )", text.strip()):
            words = shlex.split(command.replace("\\\n", " "), comments=True)
            if words[:3] == ["kg", "query", "graph"]:
                commands.append(words[1:])
    return commands


def test_readme_commands_run_on_the_seeds_database(seeds_graph_dir: Path, seeds_graph: nx.MultiDiGraph) -> None:
    commands = _readme_commands()
    assert len(commands) >= len(EXAMPLES)
    by_query = {" ".join(e.embedded_cypher.split()): e for e in EXAMPLES}
    checked = 0
    for words in commands:
        words[1] = str(seeds_graph_dir)
        result = runner.invoke(app, [*words, "--format", "json"])
        assert result.exit_code == 0, (words, result.output)
        example = by_query.get(" ".join(words[2].split()))
        if example is not None:
            records = json.loads(result.stdout)
            rows = [list(r.values()) for r in records]
            assert answers_match(example, rows, example.expected_rows(seeds_graph)), example.name
            checked += 1
    assert checked == len(EXAMPLES)
