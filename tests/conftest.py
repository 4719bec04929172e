"""Shared fixtures: where ../shared is, and the seeds graph built once per test session."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the tests read ../shared beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def seed_files(shared_dir: Path) -> list[str]:
    files = sorted(glob.glob(str(shared_dir / "seeds" / "*.txt")))
    assert files, "no seed files"
    return files


@pytest.fixture(scope="session")
def seeds_graph_dir(seed_files: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds graph built once through the same path as ``kg build`` (graph folder on disk)."""
    from kg.pipeline import run_build

    out = tmp_path_factory.mktemp("seeds-graph")
    run_build(seed_files, out)
    return out


@pytest.fixture(scope="session")
def seeds_graph(seeds_graph_dir: Path):  # type: ignore[no-untyped-def]
    from kg.graph.io import load_graph

    return load_graph(seeds_graph_dir)
