"""Extractor, components, harmonize and entity_key on small hand-written records (no model download, no network)."""

from __future__ import annotations

import json

import pytest
import spacy

from kg.errors import InputError, KgError
from kg.models import EntityType, PaperExtraction, PaperRecord
from kg.nlp import Extractor, entity_key, harmonize
from kg.nlp.pipeline import COMPONENTS, build_nlp


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def rec(title: str, abstract: str, rid: str = "p1") -> PaperRecord:
    return PaperRecord(id=rid, title=title, abstract=abstract)


def by_name(items) -> dict[str, object]:
    out = {}
    for m in items:
        for form in (m.name, *m.aliases):
            out[form] = m
    return out


# --------------------------------------------------------------------------- pipeline and components


def test_pipeline_is_blank_english_with_kg_components():
    nlp = build_nlp()
    assert nlp.pipe_names == list(COMPONENTS)
    assert nlp.lang == "en"
    assert all(name.startswith("kg_") for name in nlp.pipe_names)
    assert "kg_gazetteer" in spacy.registry.factories.get_all() or nlp.get_pipe_meta("kg_gazetteer")


def test_components_write_span_groups():
    extractor = Extractor(write_spans=True)
    doc = extractor.nlp(extractor._doc(rec("Quokka: Fast Ranking", "We propose Quokka, a new ranker. It uses BERT.")))
    for group in ("kg_gazetteer", "kg_acronyms", "kg_naming", "kg_context", "kg_shapes", "kg_tasks", "kg_roles",
                  "kg_links", "kg_filtered"):
        assert group in doc.spans
    assert any(s.text == "BERT" and s.label_ == "METHOD" for s in doc.spans["kg_gazetteer"])
    assert any(s.text == "Quokka" and s.kb_id_.startswith("kg_naming:") for s in doc.spans["kg_naming"])
    assert [s.text.strip() for s in doc.sents][:2] == ["Quokka: Fast Ranking", "We propose Quokka, a new ranker."]


def test_without_spans_the_rows_and_extractions_are_the_same(extractor):
    records = [rec("Quokka: Fast Ranking", "We propose Quokka, a new ranker (QR). It uses BERT on MS MARCO."),
               rec("Notes", "Sentence embeddings from SimCSE (Gao et al., 2021) beat the 2-layer LSTM baseline.")]
    with_spans = Extractor(write_spans=True)
    assert extractor.nlp.get_pipe_config("kg_naming")["write_spans"] is False
    for r in records:
        a, b = with_spans.nlp(with_spans._doc(r)), extractor.nlp(extractor._doc(r))
        assert not b.spans and a.spans
        keys = [k for k in a.user_data if str(k).startswith("kg_c:")]
        assert keys and all(a.user_data[k] == b.user_data[k] for k in keys)
        assert with_spans.extract(r) == extractor.extract(r)


def test_the_fast_pipeline_computes_only_the_lexical_attributes_the_rules_read(extractor):
    from spacy.attrs import LOWER, SHAPE

    from kg.nlp.pipeline import RULE_LEX_ATTRS

    assert set(extractor.nlp.vocab.lex_attr_getters) == set(RULE_LEX_ATTRS) == {LOWER}
    doc = extractor.nlp.make_doc("Zorblax-7 beats QUUXNET")
    assert [t.lower_ for t in doc] == ["zorblax-7", "beats", "quuxnet"]
    inspect = Extractor(write_spans=True)  # the inspection pipeline keeps them all
    assert SHAPE in inspect.nlp.vocab.lex_attr_getters
    assert inspect.nlp.make_doc("Zorblax-7")[0].shape_ == "Xxxxx-d"
    assert SHAPE in spacy.blank("en").vocab.lex_attr_getters  # other pipelines keep theirs


# --------------------------------------------------------------------------- methods, datasets, roles


def test_proposed_method_and_used_baseline(extractor):
    ex = extractor.extract(rec(
        "Quokka: Fast Ranking with Sparse Signals",
        "We propose Quokka, a lightweight neural ranker. Quokka outperforms BM25 and ColBERT on MS MARCO "
        "and improves passage retrieval."))
    methods = by_name(ex.methods)
    assert methods["Quokka"].role == "proposed"
    assert methods["BM25"].role == "used"
    assert methods["ColBERT"].role == "used"
    datasets = by_name(ex.datasets)
    assert datasets["MS MARCO"].role == "used"
    assert any("retrieval" in t.name for t in ex.tasks)


def test_acronym_and_long_form_are_one_entity(extractor):
    ex = extractor.extract(rec(
        "Sparse Routing for Vision",
        "We introduce a sparse mixture router (SMR) that sends image patches to experts. SMR halves the cost."))
    smr = [m for m in ex.methods if "SMR" in (m.name, *m.aliases)]
    assert len(smr) == 1
    assert smr[0].name == "sparse mixture router"
    assert smr[0].role == "proposed"


def test_introduced_dataset(extractor):
    ex = extractor.extract(rec(
        "StreetTalk: A Corpus of Spoken Directions",
        "We introduce StreetTalk, a new corpus of 12k spoken route descriptions, and evaluate speech recognition "
        "systems such as Whisper on it."))
    datasets = by_name(ex.datasets)
    assert datasets["StreetTalk"].role == "introduced"
    assert by_name(ex.methods)["Whisper"].role == "used"


def test_dataset_variants_and_lists(extractor):
    ex = extractor.extract(rec(
        "Pretraining at Scale",
        "Models pretrained on ImageNet-21K transfer well; we report results on CIFAR-10, CIFAR-100 and ImageNet-1K."))
    names = set(by_name(ex.datasets))
    assert {"ImageNet-21K", "CIFAR-10", "CIFAR-100", "ImageNet-1K"} <= names


@pytest.mark.parametrize(
    "abstract, not_entities",
    [
        ("Our method reaches 91.2 accuracy and 40.1 BLEU, with F1 and FID reported for completeness.",
         {"accuracy", "BLEU", "F1", "FID"}),
        ("Large language models (LLMs) and CNNs are compared with GNNs and SSL pipelines.",
         {"LLMs", "large language models", "CNNs", "GNNs", "SSL"}),
        ("Researchers at OpenAI, Google and NVIDIA trained it on 8 GPUs for 3 days with 1.2B tokens.",
         {"OpenAI", "Google", "NVIDIA", "GPUs", "1.2B"}),
    ],
)
def test_negative_cases(extractor, abstract, not_entities):
    ex = extractor.extract(rec("A Study of Things", abstract))
    found = set(by_name(ex.methods)) | set(by_name(ex.datasets))
    assert not (found & not_entities), found & not_entities


# --------------------------------------------------------------------------- evidence and links


def test_evidence_offsets_point_into_the_section(extractor):
    r = rec("Quokka: Fast Ranking", "Retrieval matters. We propose Quokka, a ranker trained on MS MARCO.")
    ex = extractor.extract(r)
    for m in (*ex.methods, *ex.datasets, *ex.tasks):
        assert m.evidence, m.name
        for ev in m.evidence:
            source = r.title if ev.section == "title" else r.abstract
            assert source[ev.start:ev.end] in (m.name, *m.aliases) or ev.rule.startswith("kg_tasks")
            assert source[ev.start:ev.end] in ev.sentence
            assert ev.rule.startswith("kg_") and 0 < ev.confidence <= 1


def test_links(extractor):
    ex = extractor.extract(rec("T", "Code: https://github.com/Some-Org/Repo.git and a demo at https://demo.example.org/x."))
    assert ex.repositories == ("github.com/some-org/repo",)
    assert ex.urls == ("https://demo.example.org/x",)
    ev = ex.link_evidence["github.com/some-org/repo"]
    assert ev.section == "abstract" and ev.rule == "kg_links:url"
    assert "github.com" in "Code: https://github.com/Some-Org/Repo.git"[ev.start:ev.end]


def test_id_passes_through_and_pipe_keeps_order(extractor):
    records = [rec(f"Title {i}", f"We evaluate BERT on SQuAD, run {i}.", rid=f"id-{i}") for i in range(5)]
    out = list(extractor.pipe(records, batch_size=2))
    assert [e.id for e in out] == [r.id for r in records]
    assert all(isinstance(e, PaperExtraction) for e in out)
    assert out[0].model_dump(mode="json")["id"] == "id-0"


def test_pipe_in_two_processes(extractor):
    records = [rec(f"T{i}", f"We train ResNet-50 on COCO, run {i}.", rid=str(i)) for i in range(4)]
    single = [e.model_dump(mode="json") for e in extractor.pipe(records)]
    multi = [e.model_dump(mode="json") for e in extractor.pipe(records, batch_size=2, n_process=2)]
    assert single == multi


# --------------------------------------------------------------------------- patterns files


def test_user_patterns_extend_and_retype(tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps({"label": "DATASET", "pattern": "Zorblax Suite"}) + "\n"
                    + json.dumps({"label": "TASK", "pattern": "glyph counting"}) + "\n", encoding="utf-8")
    ex = Extractor(patterns=[path]).extract(rec("T", "We report glyph counting scores on the Zorblax Suite."))
    assert "Zorblax Suite" in by_name(ex.datasets)


def test_bad_patterns_file_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "METHOD", "pattern": "Ok"}\n{"label": "THING", "pattern": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        Extractor(patterns=[path])


def test_missing_model_is_a_kg_error():
    with pytest.raises(KgError, match="Cannot load the spaCy pipeline"):
        Extractor(model="no_such_pipeline_xyz")


# --------------------------------------------------------------------------- corpus pass and resolution


def _mention(name: str, conf: float, role: str = "used"):
    from kg.models import EntityMention

    return EntityMention(name=name, role=role, confidence=conf)


def test_harmonize_retypes_low_confidence_names():
    a = PaperExtraction(id="a", title="a", datasets=(_mention("Zorblax", 0.9),))
    b = PaperExtraction(id="b", title="b", datasets=(_mention("Zorblax", 0.85),))
    c = PaperExtraction(id="c", title="c", methods=(_mention("Zorblax", 0.5),))
    out = harmonize([a, b, c])
    assert [m.name for m in out[2].datasets] == ["Zorblax"] and out[2].methods == ()
    assert out[2].datasets[0].role == "used"


def test_harmonize_keeps_confident_types_and_expands_unambiguous_acronyms():
    from kg.models import EntityMention

    a = PaperExtraction(id="a", title="a", methods=(EntityMention(name="zonal passage retriever", aliases=("ZPR",),
                                                                  role="used", confidence=0.9),))
    b = PaperExtraction(id="b", title="b", methods=(_mention("ZPR", 0.9),))
    c = PaperExtraction(id="c", title="c", datasets=(_mention("ZPR", 0.9),))
    out = harmonize([a, b, c])
    assert out[1].methods[0].name == "zonal passage retriever" and "ZPR" in out[1].methods[0].aliases
    assert out[2].datasets[0].name == "ZPR"  # confident: left as it is


def test_harmonize_expands_a_well_known_acronym_only_when_several_papers_agree():
    from kg.models import EntityMention

    # DINO is in the word lists: one paper's loose "self-distillation loss (DINO)" does not rename it elsewhere
    loose = EntityMention(name="self-distillation loss", aliases=("DINO",), role="used", confidence=0.9)
    a = PaperExtraction(id="a", title="a", methods=(loose,))
    b = PaperExtraction(id="b", title="b", methods=(_mention("DINO", 0.9),))
    assert harmonize([a, b])[1].methods[0].name == "DINO"
    a2 = PaperExtraction(id="a2", title="a2", methods=(loose,))
    assert harmonize([a, a2, b])[2].methods[0].name == "self-distillation loss"


def test_harmonize_does_not_merge_ambiguous_acronyms():
    from kg.models import EntityMention

    a = PaperExtraction(id="a", title="a", methods=(EntityMention(name="label propagation", aliases=("LP",),
                                                                  role="used", confidence=0.9),))
    b = PaperExtraction(id="b", title="b", methods=(EntityMention(name="linear programming", aliases=("LP",),
                                                                  role="used", confidence=0.9),))
    c = PaperExtraction(id="c", title="c", methods=(_mention("LP", 0.9),))
    assert harmonize([a, b, c])[2].methods[0].name == "LP"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ResNet-50", "ResNet50", True),
        ("ResNet-50", "resnet 50", True),
        ("ImageNet-1K", "ImageNet-21K", False),
        ("GPT-4", "GPT-4o", False),
        ("Vision Transformers", "Vision Transformer", True),  # a plural is the same method
        ("Gaussian Processes", "Gaussian Process", True),
        ("ViTs", "ViT", True),
        ("DenseCL++", "DenseCL", False),
    ],
)
def test_entity_key_methods(a, b, same):
    assert (entity_key(EntityType.METHOD, a) == entity_key(EntityType.METHOD, b)) is same


def test_entity_key_datasets_and_types():
    assert entity_key("dataset", "the COCO dataset") == entity_key(EntityType.DATASET, "COCO")
    assert entity_key(EntityType.DATASET, "COCO") != entity_key(EntityType.METHOD, "COCO")
    assert entity_key(EntityType.TASK, "object detection tasks") == entity_key(EntityType.TASK, "Object Detection")
