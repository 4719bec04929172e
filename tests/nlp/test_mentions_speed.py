"""The shortcuts of kg.nlp.mentions give the objects and answers of the code they stand in for."""

from __future__ import annotations

import pickle
import random

from kg.models import EntityMention, Evidence, PaperExtraction
from kg.nlp import mentions
from kg.nlp.mentions import _built_as_validated, _capital_title, _entity_mention, _evidence, _md_kind


def _state(obj) -> dict:
    return {n: getattr(obj, n, None) for c in type(obj).__mro__ for n in getattr(c, "__slots__", ())}


def test_models_built_without_validation_are_the_validated_ones() -> None:
    assert _built_as_validated() and mentions._TRUSTED_BUILD
    ev = _evidence("abstract", "We use X.", 7, 8, "kg_context:method-noun", 0.7)
    valid_ev = Evidence(section="abstract", sentence="We use X.", start=7, end=8, rule="kg_context:method-noun",
                        confidence=0.7)
    assert _state(ev) == _state(valid_ev) and ev.model_dump_json() == valid_ev.model_dump_json()
    assert hash(ev) == hash(valid_ev) and pickle.loads(pickle.dumps(ev)) == valid_ev
    em = _entity_mention("X", ("Xs",), "used", 0.7, (ev,))
    valid_em = EntityMention(name="X", aliases=("Xs",), role="used", confidence=0.7, evidence=(ev,))
    assert _state(em) == _state(valid_em) and em.model_fields_set == valid_em.model_fields_set
    pe = PaperExtraction(id="p", title="T", methods=(em,))
    assert pe.methods[0] is em  # a validated model keeps a built one as it is


def _capital_title_plain(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return len(title.split()) >= 4 and len(letters) >= 12 and sum(c.isupper() for c in letters) * 10 >= len(
        letters) * 9


def test_capital_title_quick_no_agrees_with_the_count() -> None:
    rnd = random.Random(7)
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ     -:éÉßǅⅠⓐⒶªµ0123\ud800"
    for _ in range(20000):
        title = "".join(rnd.choice(chars) if rnd.random() < 0.3 else rnd.choice("ABCDEFGH IJ")
                        for _ in range(rnd.randint(0, 60)))
        if rnd.random() < 0.5:
            title = title.upper()
        assert _capital_title(title) == _capital_title_plain(title), title
    assert _capital_title("FUZZY MODELS FOR WATER DEMAND FORECASTING")
    assert not _capital_title("Fuzzy Models for Water Demand Forecasting")


def _md_kind_plain(votes: dict[str, float]) -> str | None:
    md = {k: v for k, v in votes.items() if k in ("METHOD", "DATASET")}
    return max(md, key=lambda k: md[k]) if md else None


def test_md_kind_agrees_with_the_max_of_the_votes() -> None:
    rnd = random.Random(3)
    for _ in range(5000):
        votes: dict[str, float] = {}
        for _ in range(rnd.randint(0, 5)):
            kind = rnd.choice(("METHOD", "DATASET", "NAME", "TASK"))
            votes[kind] = votes.get(kind, 0) + rnd.choice((0.4, 1, 1.5, 2, 2.5, 3))
        assert _md_kind(votes) == _md_kind_plain(votes), votes


def test_task_keys_are_the_words_initials_and_head() -> None:
    from kg.nlp.mentions import _initials_key, _task_head, _task_keys, _task_words

    for name in ("out-of-distribution detection", "low-level image restoration problems", "OOD detection", "",
                 "--", "glass", "Tasks", "multi-step QA", "sequential recommendations", "a1 b22s"):
        assert _task_keys(name) == (_task_words(name), _initials_key(name), _task_head(name)), name


def test_extractions_built_without_validation_pass_validation() -> None:
    # the fast build skips pydantic's checks (offsets, confidence in [0, 1]): every extraction must still pass them
    from kg.models import PaperExtraction, PaperRecord
    from kg.nlp import Extractor

    ex = Extractor()
    records = [
        PaperRecord(id="a", title="Quillnet: Ranking Knots with Sparse Gates",
                    abstract="We propose Quillnet (QN), trained on the KnotSet dataset and on ImageNet-1K. It beats "
                             "ResNet-50 and BM25 on rope retrieval. Code: https://github.com/example/quillnet."),
        PaperRecord(id="b", title="", abstract="Tasks such as knot detection and rope segmentation are hard."),
    ]
    for out in ex.pipe(records):
        assert PaperExtraction.model_validate_json(out.model_dump_json()) == out
        assert out.methods or out.tasks
