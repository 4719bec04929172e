"""The text rules of kg.nlp.rules on small hand-written sentences."""

from __future__ import annotations

import pytest

from kg.nlp import rules


def pairs(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], text[c:d]) for a, b, c, d in rules.acronym_pairs(text)]


# --------------------------------------------------------------------------- acronyms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We build on the sparse mixture router (SMR) of earlier work.", ("sparse mixture router", "SMR")),
        ("A graph attention network (GAT) is used.", ("graph attention network", "GAT")),
        ("Results on extreme entity typing (XET) improve.", ("extreme entity typing", "XET")),
        ("We fine-tune Vision Transformers (ViTs) on it.", ("Vision Transformers", "ViTs")),
        ("Our tool FLOP (Fast Lightweight Object Parser) is small.", ("Fast Lightweight Object Parser", "FLOP")),
    ],
)
def test_acronym_pairs(text, expected):
    assert expected in pairs(text)


@pytest.mark.parametrize(
    "text",
    [
        "The accuracy rose (from 71.2 to 75.0) on the test split.",
        "We ran it twice (see Appendix B) without change.",
        "Prior work (Smith et al., 2020) used a grid search.",
    ],
)
def test_no_acronym_in_ordinary_brackets(text):
    assert pairs(text) == []


# --------------------------------------------------------------------------- name shapes


@pytest.mark.parametrize("word", ["ResNet-50", "GPT-4o", "mOSCAR", "CLIP", "Llama-3", "Objects365", "i-SRT", "YOLOv8"])
def test_shaped_names(word):
    assert rules.is_shaped(word)


@pytest.mark.parametrize("word", ["Self-Supervised", "Multi-Label", "However", "525K", "1.2B", "3x", "II", "2D",
                                  "Zero-Shot"])
def test_not_shaped(word):
    assert not rules.is_shaped(word)


def test_shaped_names_cut_affixes_and_keep_versions():
    text = "A BERT-based ranker beats GPT 4 and the LLM-driven agent, see https://x.org/AbCd."
    found = [text[s:e] for s, e in rules.shaped_names(text)]
    assert "BERT" in found
    assert "GPT 4" in found
    assert "LLM" in found  # a generic family: the filter removes it later, not the shape rule
    assert not any("based" in f or "driven" in f for f in found)


# --------------------------------------------------------------------------- sentences


def test_sentences_respect_abbreviations_and_title():
    title = "A Title Without Stop"
    text = title + "\n\nWe follow Lee et al. and others. The second, e.g. this one, ends here."
    bounds = rules.sentence_bounds(text, len(title))
    sents = [text[s:e] for s, e in bounds]
    assert sents == [title, "We follow Lee et al. and others.", "The second, e.g. this one, ends here."]


# --------------------------------------------------------------------------- naming cues


def names(text: str) -> dict[str, str]:
    bounds = rules.sentence_bounds(text)
    own = rules.first_person_flags(text, bounds)
    return {text[s:e]: rule for s, e, _l, rule, _c in rules.naming_all(text, bounds, own, 0)}


def test_propose_and_called():
    found = names("In this paper we propose FlowMix, a simple augmentation. We call it gentle mixing, since it is mild.")
    assert found["FlowMix"] in {"kg_naming:propose", "kg_naming:novel"}
    assert "gentle mixing" in found


def test_named_by_others_is_not_own():
    found = names("A prior technique called Sharp Window Pooling is fast.")
    assert found.get("Sharp Window Pooling") == "kg_naming:called-other"


def test_our_name_and_appositive():
    found = names("TinyRank, a lightweight ranker, is ours. Our TinyRank runs on phones.")
    assert "TinyRank" in found


def test_no_name_from_plain_sentence():
    assert names("The results are reported in the appendix and discussed below.") == {}


def test_title_prefix():
    assert rules.title_prefix("Quokka: Fast Retrieval for Everyone") == (0, 6)
    assert rules.title_prefix("Survey: Methods for Retrieval") is None
    assert rules.title_prefix("Learning to Rank Documents") is None


# --------------------------------------------------------------------------- context cues


def ctx(text: str) -> dict[str, str]:
    return {text[s:e]: label for s, e, label, _r, _c in rules.context_cues(text)}


def test_dataset_list_and_noun():
    found = ctx("We evaluate on the Foo10 and BarQA benchmarks and on datasets such as ZedSet, Kappa-2 and Omicron.")
    for name in ("Foo10", "BarQA", "ZedSet", "Kappa-2", "Omicron"):
        assert found.get(name) == "DATASET", name


def test_trained_on_is_dataset_but_based_on_is_not():
    assert ctx("The model was trained on WebPix-9M for a day.").get("WebPix-9M") == "DATASET"
    assert "GraphNetX" not in ctx("Our approach is based on GraphNetX.")


def test_method_noun_and_list():
    found = ctx("We use a SwiftNet-3 backbone and compare with baselines such as DeepFoo and BarNet.")
    assert found.get("SwiftNet-3") == "METHOD"
    assert found.get("DeepFoo") == "METHOD"
    assert found.get("BarNet") == "METHOD"


def test_generic_capitalised_words_are_not_datasets():
    found = ctx("This dataset is small. The benchmark is hard.")
    assert found == {}


# --------------------------------------------------------------------------- tasks


def tasks(text: str) -> set[str]:
    return {text[s:e].lower() for s, e, *_ in rules.task_phrases(text, 0, len(text))}


def test_task_phrases():
    found = tasks("We study open-set object detection and evaluate on image super-resolution tasks.")
    assert "open-set object detection" in found
    assert "image super-resolution" in found


def test_task_phrase_trims_verbs_and_modifiers():
    found = tasks("This improves downstream classification and achieves effective retrieval.")
    assert "classification" in found or found == set() or all("improves" not in f for f in found)
    assert not any(f.startswith(("improves", "achieves", "effective")) for f in found)


def test_title_tasks():
    title = "SparseGrid: Fast Point Cloud Segmentation via Hashing"
    found = {title[s:e].lower() for s, e, _l, rule, _c in rules.title_tasks(title) if rule == "kg_tasks:title"}
    assert "point cloud segmentation" in found
    assert not any("hashing" in f for f in found)  # the means ("via Hashing") is at most a kg_tasks:title-means


def test_head_kind():
    assert rules.head_kind("Street Scenes Dataset") == "DATASET"
    assert rules.head_kind("gated fusion network") == "METHOD"
    assert rules.head_kind("speaker diarization") == "TASK"
    assert rules.name_kind("CodeBench") == "DATASET"
