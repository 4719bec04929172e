"""Precision rules of the extractor: forms that are no names, weak context cues, abbreviated terms and vague task
phrases, on small hand-written sentences (every name here is invented unless the test is about a well-known one)."""

from __future__ import annotations

import pytest

from kg.models import PaperRecord
from kg.nlp import Extractor, rules


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, title: str, abstract: str):
    return extractor.extract(PaperRecord(id="p1", title=title, abstract=abstract))


def names(items) -> set[str]:
    return {f for m in items for f in (m.name, *m.aliases)}


# --------------------------------------------------------------------------- forms


@pytest.mark.parametrize("form", ["F_1", "U.S", "U.K.", "A/B", "Rank1", "Rank-5", "R@10", "nDCG@K", "Hits@3",
                                  "FST-Q) and widely", "MLLMs(QX-BENCH"])
def test_junk_forms(form):
    assert rules.junk_form(form)


@pytest.mark.parametrize("form", ["ResNet-50", "T5", "R2R", "Seed-TTS_DiT", "AstroM^3", "Zorblax (v2)", "GPT-4o"])
def test_real_names_are_no_junk(form):
    assert not rules.junk_form(form)


def test_sentence_and_bracket_cuts():
    assert rules.sentence_cut("Quorbench. Moreover") == len("Quorbench")
    assert rules.sentence_cut("LLMs.Our") == len("LLMs")
    assert rules.sentence_cut("GPT-3.5") == -1 and rules.sentence_cut("Node.js") == -1
    assert rules.bracket_cut("QRS-D) and widely") == len("QRS-D")
    assert rules.bracket_cut("MLLMs(QX") == len("MLLMs")
    assert rules.bracket_cut("Zorb (v2) net") == -1


def test_weak_pieces():
    text = "Current datasets are small. We train on data from California and Human Feedback."
    assert rules.weak_piece(text, 0, len("Current"))  # opens the sentence
    cal = text.index("California")
    assert rules.weak_piece(text, cal, cal + len("California"))  # a place
    hf = text.index("Human Feedback")
    assert rules.weak_piece(text, hf, hf + len("Human Feedback"), strict=True)
    assert not rules.weak_piece(text, hf, hf + len("Human Feedback"))
    text2 = "Results on Zorbix and QuillSet are strong."
    z = text2.index("Zorbix")
    assert not rules.weak_piece(text2, z, z + len("Zorbix"), strict=True)


# --------------------------------------------------------------------------- datasets


@pytest.mark.parametrize(("abstract", "not_datasets"), [
    ("Current datasets are noisy. We evaluate Quillnet on the Zorbix benchmark.", {"Current"}),
    ("Utilizing massive datasets is costly. We evaluate Quillnet on the Zorbix benchmark.", {"Utilizing"}),
    ("We evaluate our model on voting records from California and on the Zorbix dataset.", {"California"}),
    ("Our results show a gain of 4% in F_1 score and 3 points in Rank1 on Zorbix benchmark.", {"F_1", "Rank1"}),
    ("Improving reward models trained from Human Feedback on the Zorbix dataset.", {"Human Feedback"}),
    ("Detectors perform poorly on Software Engineering (SE) datasets such as Zorbix.", {"Software Engineering"}),
    ("Most models are pre-trained on labeled remote sensing (RS) datasets such as Zorbix.", {"remote sensing"}),
    ("We improve results in A/B experiments on live traffic and on the Zorbix dataset.", {"A/B"}),
])
def test_not_datasets(extractor, abstract, not_datasets):
    out = run(extractor, "A Study", abstract)
    found = names(out.datasets) | names(out.methods)
    assert "Zorbix" in names(out.datasets)
    assert not found & not_datasets, found


def test_a_dataset_name_ends_with_its_sentence(extractor):
    out = run(extractor, "A Study", "We evaluate Quillnet on Zorbix-7. Moreover, it is fast.")
    assert "Zorbix-7" in names(out.datasets)
    assert not any("Moreover" in n for n in names(out.datasets))


def test_glued_sentences_do_not_make_a_name(extractor):
    out = run(extractor, "A Study", "It helps all LLMs.Our dataset Zorbix is at the link.")
    assert not any("." in n for n in names(out.datasets) | names(out.methods))


def test_one_name_with_and_inside_an_acronym_long_form(extractor):
    out = run(extractor, "A Study", "We train Quillnet on data from the Ocean Sampling and Survey Program (OSSP).")
    found = names(out.datasets) | names(out.methods)
    assert "Ocean Sampling" not in found and "Survey Program" not in found


def test_named_datasets_in_lists_still_count(extractor):
    out = run(extractor, "A Study", "Experiments on Zorbix, QuillSet and Blorp-3 show that our method is better.")
    assert {"Zorbix", "QuillSet", "Blorp-3"} <= names(out.datasets)


# --------------------------------------------------------------------------- methods


@pytest.mark.parametrize(("abstract", "not_methods"), [
    ("The weight matrix (WM) of a network is its program.", {"weight matrix", "WM"}),
    ("It reaches a high Interquartile Mean (IQM) on the Zorbix benchmark.", {"Interquartile Mean", "IQM"}),
    ("We compare with GPT-distilled baselines and ImageNet-pretrained models.", {"GPT-distilled", "ImageNet-pretrained"}),
    ("Are CLIP features enough? Inconsistent AI models are brittle.", {"Are CLIP", "Inconsistent AI"}),
])
def test_not_methods(extractor, abstract, not_methods):
    out = run(extractor, "A Study", abstract)
    found = names(out.methods) | names(out.datasets)
    assert not found & not_methods, found


def test_a_lowercase_long_form_with_a_method_head_is_kept(extractor):
    out = run(extractor, "A Study", "We build on the sparse gate retriever (SGR) and evaluate it on Zorbix.")
    assert "SGR" in names(out.methods)


def test_two_variants_after_brackets_stay_apart(extractor):
    out = run(extractor, "A Study", "We develop two variants of our Quillnet framework, both deeply (QN-D) and "
                                    "widely (QN-W).")
    found = names(out.methods)
    assert not any(")" in n for n in found)
    assert "QN-W" in found


# --------------------------------------------------------------------------- tasks


def test_evaluative_and_number_words_do_not_lead_a_task():
    phrases = {text[s:e] for text in ("It gives good explainability and reliable detection of four adaptation.",)
               for s, e, *_ in rules.task_phrases(text, 0, len(text))}
    assert not any(p.split()[0] in {"good", "reliable", "four"} for p in phrases), phrases


def test_a_verb_does_not_lead_a_task():
    text = "The models exhibit deficient reasoning and reduce objectionable content generation."
    phrases = {text[s:e] for s, e, *_ in rules.task_phrases(text, 0, len(text))}
    assert not any(p.split()[0] in {"exhibit", "reduce"} for p in phrases), phrases


# --------------------------------------------------------------------------- shapes, cues and coordination


def test_citation_keys_are_no_names(extractor):
    out = run(extractor, "A Study", "Such problems are common, from dams Blorpin15Exploration to works [QRS+22,"
                                    "QRST22,ABC+21] on Quillnet.")
    found = names(out.methods) | names(out.datasets)
    assert not found & {"Blorpin15Exploration", "QRST22"}, found


def test_a_name_used_as_a_modifier_is_no_name(extractor):
    out = run(extractor, "A Study", "We propose an QXM-like framework and compare ZBQ-based word embeddings.")
    found = names(out.methods) | names(out.datasets)
    assert not found & {"QXM-like", "QXM", "ZBQ", "ZBQ-based"}, found
    assert rules.affix_follows("ZBQ-based models", 3) and not rules.affix_follows("ZBQ-Net", 3)


def test_recently_introduced_is_someone_elses(extractor):
    out = run(extractor, "A Study", "We find that the recently introduced Quorbix model improves over older ones.")
    assert [m.role for m in out.methods if m.name == "Quorbix"] == ["used"]


def test_we_first_design_is_still_own(extractor):
    out = run(extractor, "A Study", "To this end, we first design a Zorb Fusion Network that reads depth images.")
    assert any(m.name == "Zorb Fusion Network" and m.role == "proposed" for m in out.methods)


def test_a_plain_word_is_not_split_off_at_and(extractor):
    out = run(extractor, "A Study", "We propose a Quill Character Segmentation and Classification model for scripts.")
    assert "Classification" not in names(out.methods)


def test_a_name_listed_with_datasets_is_a_dataset(extractor):
    out = run(extractor, "A Study", "We run requests on CelebA, CelebA-HQ, and QUORBX with several set sizes.")
    assert "QUORBX" in names(out.datasets) and "QUORBX" not in names(out.methods)


def test_a_name_ending_in_a_year_is_a_dataset(extractor):
    out = run(extractor, "A Study", "We evaluated the model on the zPilot2019 track about early detection.")
    assert "zPilot2019" in names(out.datasets)


def test_a_name_listed_with_methods_stays_a_method(extractor):
    out = run(extractor, "A Study", "We compare against SimCLR, BYOL and QuorbNet on linear probing.")
    assert "QuorbNet" in names(out.methods)


def test_representations_are_tasks_only_where_the_text_says_so():
    text = "We improve the quality of CLIP embeddings and study sentence representations in depth."
    phrases = {text[s:e] for s, e, *_ in rules.task_phrases(text, 0, len(text))}
    assert "CLIP embeddings" not in phrases and "of CLIP embeddings" not in phrases
    assert "sentence representations" in phrases


def test_a_bare_head_is_no_task_but_a_longer_phrase_is(extractor):
    out = run(extractor, "Quorbix: A Study", "We study segmentation. Segmentation matters. Our model improves "
                                              "segmentation and medical image segmentation on Zorbix.")
    tasks = {t.name for t in out.tasks}
    assert "segmentation" not in tasks
    assert "medical image segmentation" in tasks


def test_a_baseline_after_over_is_no_dataset(extractor):
    out = run(extractor, "A Study", "On the Zorbix dataset, our model improves by 4.2 points over QuorbAOT.")
    assert "QuorbAOT" not in names(out.datasets)


def test_a_name_modifying_a_noun_is_no_dataset(extractor):
    out = run(extractor, "A Study", "We evaluate codes in Quellin space and report results on the Zorbix dataset.")
    assert "Quellin" not in names(out.datasets)


def test_devices_and_feedback_are_no_datasets(extractor):
    out = run(extractor, "A Study", "Experiments conducted on GPUs, ONNX, and iPhones show gains; reward models "
                                    "are trained from AI Feedback and tested in Low SNR Environments.")
    found = names(out.datasets)
    assert not found & {"ONNX", "iPhones", "AI Feedback", "Low SNR Environments"}, found


def test_slash_joined_words_are_no_name():
    assert rules.junk_form("Derain/Deshadow/Deblur")
    assert not rules.junk_form("Kinetics-400/600")


def test_an_acronym_for_a_task_is_no_dataset(extractor):
    out = run(extractor, "A Study", "Models fail on unseen domains, a challenge that Unsupervised Scene Parsing "
                                    "(USP) seeks to address. We report results on USP benchmarks and Zorbix.")
    assert not names(out.datasets) & {"USP", "Unsupervised Scene Parsing"}


@pytest.mark.parametrize("title", ["Quorb Biases through the Text-to-Image Lens", "Collaboration and Transition: A Study",
                                   "Gaze Embeddings for Reading", "Self-Improving Zorb Models for Art"])
def test_title_parts_that_name_no_method(title):
    abstract = title.split(":")[0] + " are studied here. " + title.split(" for ")[0].split(" through ")[0] + " again."
    assert rules.title_name(title, abstract) is None


def test_a_title_method_name_is_kept():
    title = "Iterative Blurring Sampling for Language Models"
    assert rules.title_name(title, "We present iterative blurring sampling, a decoding method.") is not None
    title = "Self-Repairing Self-Eating Loops for Generators"
    assert rules.title_name(title, "We study self-repairing self-eating loops in depth.") is not None


def test_a_size_after_a_dataset_head_keeps_the_dataset_type():
    assert rules.name_kind("Quorb Harmful Dataset 11K") == "DATASET"
    assert rules.name_kind("Zorb Benchmark v2") == "DATASET"
    assert rules.name_kind("QuorbNet 7B") == "METHOD"


def test_an_abbreviated_term_in_an_own_sentence_is_no_method(extractor):
    out = run(extractor, "A Study", "In this paper, we predict type 3 glaucoma (T3G) from scans and model the "
                                    "quality-speed tradeoff (QST) of the scanner.")
    assert not names(out.methods) & {"T3G", "QST", "type 3 glaucoma", "quality-speed tradeoff"}


def test_an_own_component_with_a_method_head_is_kept(extractor):
    out = run(extractor, "A Study", "In this paper, we design a sparse banded self-attention (SBSA) and a "
                                    "prediction gap adaptation loss (PGAL) for detection.")
    assert {"SBSA", "PGAL"} <= names(out.methods)


def test_a_dash_before_a_title_name_is_no_part_of_it(extractor):
    out = run(extractor, "Q^3 -- Quorbic Signal Separation", "We present Quorbic Signal Separation, a topic model.")
    assert not any(n.startswith("-") for n in names(out.methods) | {t.name for t in out.tasks})


def test_a_sentence_opening_word_is_no_part_of_an_appositive_name(extractor):
    out = run(extractor, "A Study", "In Q-SSL, a simple extra objective encourages equivariance.")
    assert "In Q-SSL" not in names(out.methods)


def test_a_short_caps_name_with_a_thousand_is_a_dataset():
    assert rules.name_kind("QX1K") == "DATASET"
    assert rules.name_kind("Quorb-7B") is None


def test_a_task_word_after_a_dataset_name_is_cut():
    text = "We use the QuorbMNIST Classification dataset and the Zorb Detection benchmark."
    found = {text[s:e] for s, e, *_ in rules.context_cues(text)}
    assert "QuorbMNIST" in found and "QuorbMNIST Classification" not in found
    assert "Zorb Detection" in found  # no shaped word before the head: the name may be a phrase


def test_evaluative_words_do_not_lead_a_title_task():
    tasks = {t[:2] for t in rules.title_tasks("Versatile Feature Ranking for Tabular Data")}
    title = "Versatile Feature Ranking for Tabular Data"
    assert all(not title[s:e].lower().startswith("versatile") for s, e in tasks)


@pytest.mark.parametrize(("title", "datasety"), [
    ("Quorbix: Contrastive Learning with Regularization for Small-Scale Datasets", False),
    ("Zorbix: A Large-Scale Hierarchical Image Database", True),
    ("A Corpus of Quorb Dialogues for Testing Agents", True),
    ("Learning on Big Datasets", False),
])
def test_a_title_names_a_dataset_only_before_its_prepositions(title, datasety):
    assert rules.title_names_dataset(title) is datasety


def test_a_learning_paradigm_in_passing_is_no_task(extractor):
    out = run(extractor, "Quorbix: Fast Zorb Detection in Aerial Images",
              "Contrastive learning is popular. We study zorb detection with contrastive learning on aerial images.")
    tasks = {t.name for t in out.tasks}
    assert "contrastive learning" not in tasks
    assert any("zorb detection" in t for t in tasks)


@pytest.mark.parametrize("sentence", [
    "We propose a novel task we call Quorb Unlearning of Faces (QUF) that tests models.",
    "We explore the task of describing the differences between two sets of images, which we term Zorb Captioning.",
    "We provide the definition of what we call functionally quorbic features.",
])
def test_a_name_given_to_a_task_or_concept_is_no_method(extractor, sentence):
    out = run(extractor, "A Study", sentence)
    assert not {n for n in names(out.methods) if "Quorb" in n or "Zorb" in n or "quorbic" in n}


def test_a_name_given_to_a_method_after_a_task_word_is_kept(extractor):
    out = run(extractor, "A Study", "For this task, we propose a new framework called QuorbNet that reads scans.")
    assert "QuorbNet" in names(out.methods)


def test_data_such_as_lists_named_datasets():
    text = "It is robust on adverse data such as QuorbStereo, Foggy Zorbscape and NuQuill-Night. We use data such as " \
           "images and text."
    found = {text[s:e] for s, e, *_ in rules.context_cues(text)}
    assert {"QuorbStereo", "Foggy Zorbscape", "NuQuill-Night"} <= found
    assert not found & {"images", "text"}


def test_a_comma_after_datasets_starts_a_clause_not_a_name():
    text = "On sentiment classification datasets, QPrompt produces prompts that match experts."
    assert not [text[s:e] for s, e, *_ in rules.context_cues(text)]
    text = "We curate a contrastive dataset, ConQuorb, consisting of 15k pairs."
    assert [text[s:e] for s, e, *_ in rules.context_cues(text)] == ["ConQuorb"]


def test_a_comma_after_a_dataset_is_no_list_by_itself(extractor):
    out = run(extractor, "A Study", "We propose Zorbic Rehearsal for Synthetic Sample Generation (ZR), a novel "
                                    "framework. On ImageNet-100, ZR generates better samples.")
    assert "ZR" not in names(out.datasets)
    out = run(extractor, "A Study", "We use six data sources - QUORBX, LAION, Conceptual Captions and RedCaps.")
    assert "QUORBX" in names(out.datasets)


def test_a_title_that_describes_a_framework_types_its_name_a_method(extractor):
    assert rules.title_names_method("QuorbRec: A Self-Supervised Learning Framework for Recommendation")
    assert not rules.title_names_method("QuorbQA: A Reading Comprehension Dataset")
    out = run(extractor, "QuorbRec: A Self-Supervised Learning Framework for Recommendation",
              "We introduce QuorbRec, a unified library with datasets and data loaders for our experiments.")
    assert "QuorbRec" in names(out.methods) and "QuorbRec" not in names(out.datasets)


def test_a_capital_that_spells_an_acronym_is_lowercased_in_a_task_name():
    from kg.nlp.mentions import _lower_task

    assert _lower_task("hallucInation detection") == "hallucination detection"
    assert _lower_task("word2vec embedding") == "word2vec embedding"


def test_titled_names_a_method(extractor):
    out = run(extractor, "A Study", "Next, we propose an approach titled Quorb Distillation to use strong features.")
    assert any(m.name == "Quorb Distillation" and m.role == "proposed" for m in out.methods)


@pytest.mark.parametrize("sentence", ["We compare with latent quorbic indexing (LQI) on the texts.",
                                      "We train zorbic vector machines (ZVMs) on the features."])
def test_a_lowercase_long_form_naming_a_process_or_machine_is_a_method(extractor, sentence):
    out = run(extractor, "A Study", sentence)
    assert names(out.methods) & {"LQI", "ZVMs", "ZVM"}
