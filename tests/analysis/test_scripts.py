"""The example scripts run on the seeds graph through the public API."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _main(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_scripts_are_there():
    assert len(list(SCRIPTS.glob("example_*.py"))) >= 3


@pytest.mark.slow
def test_example_ssl_datasets(seeds_graph_dir, capsys):
    assert _main("example_ssl_datasets")([str(seeds_graph_dir), "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "applied to 'self-supervised learning'" in lines[0]
    assert lines[1].split()[0] == "ImageNet" and len(lines) == 4


@pytest.mark.slow
def test_example_code_owners(seeds_graph_dir, capsys):
    assert _main("example_code_owners")([str(seeds_graph_dir), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "papers with a code repository: 21.9%" in out
    assert "facebookresearch" in out.splitlines()[2]


@pytest.mark.slow
def test_example_bridge_methods(seeds_graph_dir, capsys):
    assert _main("example_bridge_methods")([str(seeds_graph_dir), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "bridge methods:" in out and "path from" in out
    assert out.rstrip().splitlines()[-1].count("-") >= 1


def test_example_ssl_datasets_tiny(tmp_path, capsys):
    from kg.analysis import example_graph
    from kg.graph.io import save_graph

    save_graph(example_graph(), tmp_path)
    assert _main("example_ssl_datasets")([str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    # SimCLR, MoCo, BYOL, DINO -> ImageNet (4 methods, 4 papers), CIFAR-10 (SimCLR, BYOL)
    assert out[0].startswith("4 methods are applied to 'self-supervised learning'")
    assert out[1].split() == ["ImageNet", "4", "methods", "4", "papers"]
    assert out[2].split() == ["CIFAR-10", "2", "methods", "2", "papers"]
