"""kg.pipeline: the corpus pass streams through a spill file and gives what the in-memory harmonize gives."""

from __future__ import annotations

import pytest

from kg.models import EntityMention, PaperExtraction, PaperRecord
from kg.nlp import harmonize
from kg.pipeline import extract_stream


class _FakeExtractor:
    """Stands in for kg.nlp.Extractor: one fixed extraction per record id, counting what it was asked."""

    def __init__(self, by_id: dict[str, PaperExtraction]):
        self.by_id = by_id
        self.seen: list[str] = []

    def pipe(self, records, batch_size=256, n_process=1):  # type: ignore[no-untyped-def]
        for rec in records:
            self.seen.append(rec.id)
            yield self.by_id[rec.id]


def _m(name: str, confidence: float, aliases: tuple[str, ...] = (), role: str = "used") -> EntityMention:
    return EntityMention(name=name, aliases=aliases, role=role, confidence=confidence)


def _corpus() -> tuple[list[PaperRecord], dict[str, PaperExtraction]]:
    records = [PaperRecord(id=i, title=f"Paper {i}", abstract=f"Abstract {i} with \"quotes\"\nand a line break.",
                           authors=("A. Author",), source=f"f.jsonl:{n}") for n, i in enumerate("abc", 1)]
    ex = {
        # "Glorp" is a dataset with confidence in a and b; c guesses method: the corpus pass retypes it
        "a": PaperExtraction(id="a", title="Paper a", datasets=(_m("Glorp", 0.9),)),
        "b": PaperExtraction(id="b", title="Paper b", datasets=(_m("Glorp", 0.9),),
                             methods=(_m("Sparse Mixture Router", 0.9, aliases=("SMR",), role="proposed"),)),
        "c": PaperExtraction(id="c", title="Paper c", methods=(_m("Glorp", 0.5), _m("SMR", 0.5))),
    }
    return records, ex


def test_corpus_pass_streams_and_equals_in_memory_harmonize() -> None:
    records, ex = _corpus()
    fake = _FakeExtractor(ex)
    pairs = list(extract_stream(records, extractor=fake, corpus_pass=True))
    assert [r for r, _ in pairs] == records  # records come back whole, in input order
    assert [e for _, e in pairs] == harmonize([ex[r.id] for r in records])
    settled = pairs[2][1]
    assert [d.name for d in settled.datasets] == ["Glorp"]  # retyped by the corpus votes
    assert [(m.name, m.aliases) for m in settled.methods] == [("Sparse Mixture Router", ("SMR",))]


def test_without_corpus_pass_each_result_streams_before_the_next_record_is_read() -> None:
    records, ex = _corpus()
    fake = _FakeExtractor(ex)
    stream = extract_stream(iter(records), extractor=fake, corpus_pass=False)
    first_record, first = next(stream)
    assert first_record.id == "a" and first == ex["a"]
    assert fake.seen == ["a"]
    assert [r.id for r, _ in stream] == ["b", "c"]


def test_make_extractor_tunes_the_garbage_collector_only_for_the_kg_command(monkeypatch):
    import gc

    from kg import pipeline

    gc.unfreeze()
    threshold = gc.get_threshold()
    try:
        pipeline.make_extractor()
        assert gc.get_freeze_count() == 0  # a library caller: old extractors can still be collected
        assert gc.get_threshold() == threshold
        monkeypatch.setattr(pipeline, "TUNE_GC", True)
        extractor = pipeline.make_extractor()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == pipeline.BATCH_GC_THRESHOLD
        assert [t.name for t in extractor.extract(PaperRecord(id="x", title="", abstract=(
            "We study image segmentation."))).tasks] == ["image segmentation"]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_the_kg_command_sets_the_freeze(monkeypatch):
    from kg import cli, pipeline

    monkeypatch.setattr(pipeline, "TUNE_GC", False)
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert pipeline.TUNE_GC is True
