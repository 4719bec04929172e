"""The extractor's general rules (roles, filters, name variants, task phrases, gazetteer coverage) on small
hand-written sentences; every name here is invented unless the test is about a well-known one."""

from __future__ import annotations

import pytest

from kg.models import PaperRecord
from kg.nlp import Extractor, rules
from kg.nlp.components import group_rows


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, title: str, abstract: str):
    return extractor.extract(PaperRecord(id="t1", title=title, abstract=abstract))


def forms(items) -> dict[str, object]:
    return {f: m for m in items for f in (m.name, *m.aliases)}


# --------------------------------------------------------------------------- components


def test_group_rows_are_the_span_groups():
    extractor = Extractor(write_spans=True)
    doc = extractor.nlp(extractor._doc(PaperRecord(
        id="x", title="Quillnet: Ranking with a Sparse Gate Unit (SGU)",
        abstract="We train a BERT encoder with the sparse gate unit (SGU) on MS MARCO and SQuAD.")))
    text = doc.user_data["kg_text"]
    for group in ("kg_gazetteer", "kg_acronyms", "kg_naming", "kg_context", "kg_shapes", "kg_tasks", "kg_roles"):
        rows = group_rows(doc, group)
        spans = list(doc.spans[group])
        assert len(rows) == len(spans), group
        for row, span in zip(rows, spans, strict=True):
            assert span.start_char <= row[0] < row[1] <= span.end_char, group
            assert row[2] == span.label_ and row[3] == span.kb_id_
    assert {text[r[0]:r[1]] for r in group_rows(doc, "kg_gazetteer")} >= {"BERT", "MS MARCO", "SQuAD"}
    pairs = {r[4] for r in group_rows(doc, "kg_acronyms")}
    assert pairs and all(sum(1 for r in group_rows(doc, "kg_acronyms") if r[4] == p) == 2 for p in pairs)


def test_a_glued_bracket_is_no_acronym_definition():
    text = "It stacks a hybrid gated block(HGB) after the stem."
    assert list(rules.acronym_pairs(text)) == []


def test_latex_tilde_before_a_bracket(extractor):
    ex = run(extractor, "Sparse Gates", "We propose sparse gate routing~(SGR), a router. SGR is fast.")
    sgr = forms(ex.methods)["SGR"]
    assert sgr.name == "sparse gate routing"


# --------------------------------------------------------------------------- roles


def test_a_name_only_in_the_title_is_proposed(extractor):
    ex = run(extractor, "Quillnet: An Easy Approach to Sentence Ranking",
             "Ranking sentences is hard. We show that a simple whitening step helps a lot on standard sets.")
    assert forms(ex.methods)["Quillnet"].role == "proposed"


def test_a_dataset_named_in_a_third_person_sentence_is_introduced(extractor):
    ex = run(extractor, "Teaching Models to Count",
             "This yields a pretraining dataset, named CountBank-7, with 90K questions. Training on CountBank-7 helps.")
    assert forms(ex.datasets)["CountBank-7"].role == "introduced"


def test_called_by_others_stays_used(extractor):
    ex = run(extractor, "Better Pooling",
             "An existing technique called GridPoolX is slow. We make pooling faster without it.")
    entity = forms(ex.methods).get("GridPoolX")
    assert entity is not None and entity.role == "used"


def test_a_cited_name_is_used_even_in_an_own_sentence(extractor):
    ex = run(extractor, "Denser Pairs for Contrastive Learning",
             "Dense methods such as PatchCL (Kim et al., 2021) help detection. In this work, we improve PatchCL "
             "with harder negatives and propose PatchCL+.")
    methods = forms(ex.methods)
    assert methods["PatchCL"].role == "used"
    assert methods["PatchCL+"].role == "proposed"


def test_propose_a_novel_name_without_we(extractor):
    ex = run(extractor, "Ciphers and Chat",
             "Notably, models seem to have a hidden cipher, and this paper goes on to propose a novel CipherTalk "
             "that needs few demonstrations.")
    assert forms(ex.methods)["CipherTalk"].role == "proposed"


# --------------------------------------------------------------------------- variants of known names


def test_versions_and_suffixes_of_known_names_take_their_type(extractor):
    ex = run(extractor, "Scaling Study",
             "We pretrain on ImageNet-300 and test on NuScenes-Dusk, with a ResNet-270 backbone.")
    assert "ImageNet-300" in forms(ex.datasets)
    assert "NuScenes-Dusk" in forms(ex.datasets)
    assert "ResNet-270" in forms(ex.methods)
    assert forms(ex.datasets)["ImageNet-300"].role == "used"


# --------------------------------------------------------------------------- filters (negative cases)


@pytest.mark.parametrize(
    "abstract, not_entities",
    [
        ("Retrieval improves by 3 points in MAR@10 and Precision@1, and hF1 rises on the GridSet benchmark.",
         {"MAR@10", "Precision@1", "hF1"}),
        ("Sequence models (Sutskever et al., 2014) and Goodfellow et al. (2014) are the baselines we use.",
         {"Sutskever", "Goodfellow"}),
        ("We study INternal states and hallucInation of models: internal states predict hallucination well.",
         {"INternal", "hallucInation"}),
        ("Our gains over SimCLR andDenseNetX hold; results.The table shows more.",
         {"andDenseNetX", "results.The"}),
        ("Anthropic, Meta and Microsoft models are compared with CNNs and LLMs by top-1 accuracy and FID.",
         {"Anthropic", "Meta", "Microsoft", "CNNs", "LLMs", "top-1", "FID"}),
        ("As shown at ACL 2022 and on LinkedIn [ABC+22], the mAP50-95 and mCE of models improve.",
         {"ACL 2022", "LinkedIn", "ABC+22", "mAP50-95", "mCE"}),
        ("We use Self-IMproving agents: self-improving agents learn from their own traces.",
         {"Self-IMproving"}),
        ("We build an 8k-example RL dataset and a SID-centered dataset, and compare underThis setting.",
         {"8k-example RL", "RL", "SID-centered", "This", "underThis"}),
    ],
)
def test_not_named_methods_or_datasets(extractor, abstract, not_entities):
    ex = run(extractor, "A Study of Things", abstract)
    found = set(forms(ex.methods)) | set(forms(ex.datasets))
    assert not (found & not_entities), found & not_entities


def test_a_glued_word_keeps_the_name(extractor):
    ex = run(extractor, "Pairs", "We compare against SimCLR andDenseNetX on detection.")
    assert "DenseNetX" in forms(ex.methods)


def test_no_name_runs_from_the_title_into_the_abstract(extractor):
    ex = run(extractor, "Reasoning Skills for Multi-Step QA", "Question-answering datasets are small.")
    assert not any("\n" in f for f in forms(ex.datasets))


def test_a_compound_adjective_is_not_a_dataset_name(extractor):
    ex = run(extractor, "Diagnosis Data", "We build an EMR-based dataset for clinical diagnosis.")
    assert "EMR-based" not in forms(ex.datasets)


# --------------------------------------------------------------------------- gazetteer coverage


def test_well_known_benchmarks_and_methods(extractor):
    ex = run(extractor, "Reasoning at Scale",
             "We fine-tune Llama-3.1-8B with LoRA and DPO and evaluate on MMLU, GSM8K, HumanEval and MBPP; "
             "detection results on nuScenes and Cityscapes follow.")
    datasets, methods = set(forms(ex.datasets)), set(forms(ex.methods))
    assert {"MMLU", "GSM8K", "HumanEval", "MBPP", "nuScenes", "Cityscapes"} <= datasets
    assert {"LoRA", "DPO"} <= methods


# --------------------------------------------------------------------------- tasks


def title_tasks(title: str) -> set[str]:
    return {title[s:e].lower() for s, e, *_ in rules.title_tasks(title)}


def test_title_task_before_in_and_before_a_verb():
    assert "object detection" in title_tasks("Object Detection in Aerial Images")
    assert "visual data-type understanding" in title_tasks(
        "Visual Data-Type Understanding does not emerge from Scaling Models")
    # "for": the part before is usually the method, not the task
    assert "low-density separation" not in title_tasks("Deep Low-Density Separation for Semi-Supervised Classification")


def test_task_phrases_end_at_clause_words_and_verbs():
    text = "We hypothesize whether salient image segmentation suffices, and we summarize document retrieval."
    found = {text[s:e] for s, e, *_ in rules.task_phrases(text, 0, len(text))}
    assert "salient image segmentation" in found
    assert "document retrieval" in found
    assert not any(f.startswith(("hypothesize", "whether", "summarize")) for f in found)


def test_problem_phrases():
    text = "We study the missing-label (ML) problem and the cold-start problem (see below), not this problem."
    found = {text[s:e] for s, e, *_ in rules.task_phrases(text, 0, len(text))}
    assert "missing-label (ML) problem" in found
    assert "cold-start problem" in found
    assert not any(f.startswith("this") for f in found)


def test_task_names_are_lowercase_but_keep_acronyms(extractor):
    ex = run(extractor, "Self-Supervised Learning for RTL Code Generation",
             "We address RTL code generation with self-supervised learning on hardware designs.")
    names = {t.name for t in ex.tasks}
    assert "RTL code generation" in names
    assert all(n == n.lower() or "RTL" in n for n in names)


# --------------------------------------------------------------------------- more general rules


def test_a_fields_abbreviation_is_no_method(extractor):
    ex = run(extractor, "Agents for Contests",
             "We target competitive programming (CP) and quantum computing (QC) with a new agent, TideCoder.")
    found = set(forms(ex.methods)) | set(forms(ex.datasets))
    assert not found & {"CP", "QC", "competitive programming", "quantum computing"}
    assert "TideCoder" in found


def test_one_name_with_and_before_its_acronym(extractor):
    ex = run(extractor, "Eye Data",
             "We propose Glade Detection and Progression (Glade-DP), a multimodal dataset of eye scans.")
    names = set(forms(ex.datasets)) | set(forms(ex.methods))
    assert "Glade-DP" in names
    assert "Progression" not in names


def test_a_known_dataset_named_in_the_title_prefix_is_introduced(extractor):
    ex = run(extractor, "RACE: Large-scale ReAding Comprehension Dataset From Examinations",
             "We present a new dataset collected from English exams for middle and high school students.")
    assert forms(ex.datasets)["RACE"].role == "introduced"


def test_acronym_and_spelled_out_task_are_one_task(extractor):
    ex = run(extractor, "Feature Shaping for OOD Detection",
             "Out-of-distribution detection is key. We study out-of-distribution detection with feature shaping.")
    assert len([t for t in ex.tasks if "detection" in t.name.lower()]) == 1


def test_shape_words_lose_dashes_and_negations(extractor):
    text = "With simple changes to MoCo---namely, an MLP head---and non-MBC variants we improve."
    found = [text[s:e] for s, e in rules.shaped_names(text)]
    assert "MoCo" in found
    ex = extractor.extract(PaperRecord(id="n", title="", abstract=text))
    assert "non-MBC" not in forms(ex.methods)


def test_a_title_name_drops_its_bracketed_acronym():
    title = "Enhanced Pine of Thought (EPoT): A Reasoning Architecture"
    abstract = "We introduce Enhanced Pine of Thought, which reasons in branches."
    span = rules.title_name(title, abstract)
    assert span is None or title[span[0]:span[1]] == "Enhanced Pine of Thought"


def test_every_paper_gets_its_best_supported_task(extractor):
    ex = run(extractor, "Notes on Something",
             "We look at the question of knot-type recognition in rope images and report what we find.")
    assert [t.name for t in ex.tasks] == ["knot-type recognition"]


def test_stylised_acronym_letters_are_lowercased_in_task_names():
    from kg.nlp.mentions import _lower_task

    assert _lower_task("Contrastive LEArning for Sentence Representation") == \
        "contrastive learning for sentence representation"
    assert _lower_task("RTL Code Generation") == "RTL code generation"


def test_task_lists():
    text = ("It helps tasks such as entity alignment, record linkage, OCR and fuzzy joins. "
            "Other tasks like walls, bi-encoders and 1 are no tasks.")
    found = {text[s:e] for s, e, _l, rule, _c in rules.task_phrases(text, 0, len(text)) if rule == "kg_tasks:list"}
    assert {"entity alignment", "record linkage", "OCR", "fuzzy joins"} <= found
    assert not found & {"walls", "bi-encoders", "1"}


def test_known_names_keep_an_explicit_version(extractor):
    ex = run(extractor, "Tagging", "We tag OntoNotes v5.0 and SQuAD 2.0, train BERT 3 times and report on GLUE.")
    assert {"OntoNotes v5.0", "SQuAD 2.0", "GLUE"} <= set(forms(ex.datasets))
    assert "BERT" in forms(ex.methods) and "BERT 3" not in forms(ex.methods)
