from __future__ import annotations

import pytest

from kg.analysis import (
    CodeShare,
    code_share,
    code_share_by_task,
    paper_counts,
    rank_datasets,
    rank_methods,
    rank_owners,
    rank_tasks,
)
from kg.errors import QueryError


def test_rank_methods_all_and_by_role(T):
    assert rank_methods(T) == [("method:a", 3), ("method:b", 3), ("method:c", 1), ("method:e", 1)]
    assert rank_methods(T, role="proposed") == [("method:a", 1), ("method:c", 1), ("method:e", 1)]
    assert rank_methods(T, role="used") == [("method:b", 3), ("method:a", 2)]
    assert rank_methods(T, top=1) == [("method:a", 3)]


def test_rank_datasets_all_and_by_role(T):
    assert rank_datasets(T) == [("dataset:d1", 2), ("dataset:d2", 2), ("dataset:d3", 1)]
    assert rank_datasets(T, role="introduced") == [("dataset:d3", 1)]
    assert rank_datasets(T, role="used") == [("dataset:d1", 2), ("dataset:d2", 2)]


def test_rank_tasks_and_owners(T):
    assert rank_tasks(T) == [("task:t1", 3), ("task:t2", 1), ("task:t3", 1)]
    assert rank_owners(T) == [("github.com/x", 2), ("github.com/y", 1)]
    assert paper_counts(T, "Repository") == {"github.com/x/r1": 1, "github.com/x/r2": 1, "github.com/y/r3": 1}


def test_bad_role_is_a_clear_error(T):
    with pytest.raises(QueryError, match=r"not a valid method role.*proposed"):
        rank_methods(T, role="introduced")
    with pytest.raises(QueryError, match="dataset role"):
        rank_datasets(T, role="proposed")


def test_code_share(T):
    assert code_share(T) == pytest.approx(3 / 5)
    assert code_share_by_task(T) == [
        CodeShare("task:t1", 3, 2, pytest.approx(2 / 3)),
        CodeShare("task:t2", 1, 1, 1.0),
        CodeShare("task:t3", 1, 0, 0.0),
    ]
    assert [row.task for row in code_share_by_task(T, min_papers=2)] == ["task:t1"]


def test_empty_graph():
    import networkx as nx

    G = nx.MultiDiGraph()
    assert rank_methods(G) == [] and rank_owners(G) == [] and code_share(G) == 0.0 and code_share_by_task(G) == []
