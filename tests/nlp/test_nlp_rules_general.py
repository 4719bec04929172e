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


def test_a_learning_setting_is_a_task_a_learning_technique_is_not(extractor):
    # "few-shot learning" names a problem setting; "contrastive learning" a technique used along the way
    ex = run(extractor, "Notes on Pretraining Corpora",
             "We evaluate few-shot learning on held-out splits. Models were trained with contrastive learning.")
    names = {t.name for t in ex.tasks}
    assert "few-shot learning" in names
    assert "contrastive learning" not in names


def test_the_title_names_its_means_apart_from_its_task(extractor):
    from kg.nlp.mentions import _title_means

    title = "A Contrastive Learning Framework for Knot-Type Recognition"
    start = title.index("Contrastive")
    assert _title_means(title, start, start + len("Contrastive Learning"))
    via = "Knot-Type Recognition via Knowledge Distillation"
    assert _title_means(via, via.index("Knowledge"), len(via))
    # a phrase before a method head with no task after it is the task itself
    plain = "An Easy Unsupervised Knot Embedding Approach"
    assert not _title_means(plain, plain.index("Unsupervised"), plain.index(" Approach"))
    ex = run(extractor, title, "We study knot-type recognition in rope images; contrastive learning is our tool.")
    assert "contrastive learning" not in {t.name for t in ex.tasks}


def test_one_task_in_several_wordings_adds_up(extractor, monkeypatch):
    # each wording alone is below the bar that the title's task sets; together they are a second task
    title = "Knot-Type Recognition in Rope Images"
    abstract = ("We address knot-type recognition. We also tackle low-level knot restoration problems, "
                "since knot restoration is a step we address as well.")

    def restoration(ex):
        return [t.name for t in ex.tasks if "restoration" in t.name]

    assert restoration(run(extractor, title, abstract))
    import kg.nlp.mentions as mentions

    monkeypatch.setattr(mentions, "TASK_REPEAT", 0.0)
    assert not restoration(run(extractor, title, abstract))


def test_tasks_with_other_heads_are_not_merged():
    from kg.nlp.mentions import _task_head

    assert _task_head("multi-step QA") != _task_head("multi-step reasoning")
    assert _task_head("sequential recommendations") == _task_head("session-based sequential recommendation")


def test_a_task_phrase_does_not_start_with_a_verb():
    text = "The pipeline involves rewriting of prompts, and it teaches multi-hop reasoning to small models."
    found = {text[s:e] for s, e, *_ in rules.task_phrases(text, 0, len(text))}
    assert not any(f.split()[0] in {"involves", "teaches"} for f in found)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Our code is at https://github.com/someone/KnotNet.", "KnotNet"),
    ("We release our models at https://github.com/lab/ROPER.", "ROPER"),
    ("Code: https://github.com/someone/Explaining_Knots.", None),  # not name-shaped
    ("Code: https://github.com/someone/KnotICLR24.", None),
    ("See https://github.com/someone/KnotNet for a related project.", None),  # not the paper's own code
])
def test_a_repository_named_after_the_method(extractor, sentence, expected):
    abstract = "We study rope images with a small network. " + sentence
    ex = run(extractor, "Untangling Ropes", abstract)
    names = {m.name: m for m in ex.methods}
    if expected is None:
        assert not any(m.evidence[0].rule == "kg_links:repo-name" for m in ex.methods)
    else:
        assert names[expected].role == "proposed"
        ev = names[expected].evidence[0]
        assert ev.rule == "kg_links:repo-name"
        assert abstract[ev.start:ev.end] == expected
        assert ex.repositories


def test_a_repository_name_already_in_the_text_adds_nothing(extractor):
    ex = run(extractor, "KnotNet: Untangling Ropes",
             "We propose KnotNet for rope images. Our code is at https://github.com/someone/KnotNet.")
    assert [m.name for m in ex.methods] == ["KnotNet"]


def test_a_clause_before_brackets_is_no_long_form(extractor):
    ex = run(extractor, "Notes on Explanations",
             "We apply three post-hoc attribution methods (LRX, GradZap, NormZ) to rope classifiers.")
    names = {f for m in ex.methods for f in (m.name, *m.aliases)}
    assert not any(n.lower().startswith("apply") for n in names)
    from kg.nlp.mentions import _clause_long

    assert _clause_long("apply three post-hoc explainability methods")
    assert _clause_long("uses two encoders")
    assert _clause_long("a multi-step knot task and annotate a clinical knot dataset")
    assert not _clause_long("Multiple Instance Learning")
    assert not _clause_long("Deep Low-Density Separation")


def test_a_known_name_written_in_another_case_keeps_its_type(extractor):
    # the word lists write "MultiPL-E"; the text's "MultiPl-E" is the same benchmark
    ex = run(extractor, "Notes on Code Models", "We compare two code models on MultiPl-E and report pass rates.")
    assert "MultiPl-E" in {d.name for d in ex.datasets}
    assert "MultiPl-E" not in {m.name for m in ex.methods}


def test_a_misspelt_task_head_still_names_a_task(extractor):
    ex = run(extractor, "Notes on Transfer",
             "Unsupervised rope adaption (URA) aims to adapt models to a target domain of unlabeled rope images.")
    assert not any("URA" in (m.name, *m.aliases) for m in ex.methods)


def test_our_results_on_a_benchmark_do_not_introduce_it(extractor):
    ex = run(extractor, "Notes on Rope Agents",
             "We propose a rope agent. Our approach achieves the best results on the Knot Untangling Benchmark "
             "for model-free methods.")
    assert {d.name: d.role for d in ex.datasets}.get("Knot Untangling Benchmark", "used") == "used"
    assert rules.introduced_sentence("We release our new rope benchmark.")


def test_existing_data_in_an_introducing_sentence_is_used(extractor):
    ex = run(extractor, "Notes on Rope Data",
             "In this work, we introduce a testbed of four publicly available data sources - LAION, KnotWeb, "
             "and TwineCaps - to study robustness.")
    roles = {d.name: d.role for d in ex.datasets}
    assert roles and all(r == "used" for r in roles.values())


def test_a_challenge_keeps_its_head_word(extractor):
    ex = run(extractor, "Notes on Rope Images",
             "Our model improves the score on the Rope Knot Grand Challenge and on the KnotSet dataset.")
    names = {d.name for d in ex.datasets}
    assert "Rope Knot Grand Challenge" in names
    assert "KnotSet" in names  # a dataset noun stays outside the name


@pytest.mark.parametrize(("abstract", "not_named"), [
    ("Prior work scores trajectories with rope reward models (RRMs) after the fact.", "rope reward models"),
    ("It reaches AUROC 0.81 on our rope split.", "AUROC 0.81"),
    ("We propose the Tangled Rope Hypothesis, which states that knots cluster.", "Tangled Rope Hypothesis"),
    ("Agents exchange JSONL logs with the planner.", "JSONL"),
    ("Reviews on Rope Sharing Platforms, such as Free Rope Software (FRS), are rude.", "Free Rope Software"),
    ("Ropes posted as rope-made content (RMC) show knots.", "rope-made content"),
    ("We read the Mountain Rope Telescope (MRT) images.", "Mountain Rope Telescope"),
    ("Entities from temporal knowledge graphs (TKG) help rope models.", "temporal knowledge graphs"),
    ("We study Human-AI teams that untie ropes.", "Human-AI"),
    ("Training on 8-GPU nodes untangles ropes faster.", "8-GPU"),
    ("The rope model reaches high AUROCs on knots.", "AUROCs"),
    ("The knot agent writes PowerPoint slides and solves equations with SymPy over WebSocket.", "PowerPoint"),
    ("The knot agent writes PowerPoint slides and solves equations with SymPy over WebSocket.", "SymPy"),
    ("The knot agent writes PowerPoint slides and solves equations with SymPy over WebSocket.", "WebSocket"),
])
def test_families_metric_values_concepts_and_formats_are_not_methods(extractor, abstract, not_named):
    ex = run(extractor, "Notes on Ropes", abstract)
    names = {f for m in (*ex.methods, *ex.datasets) for f in (m.name, *m.aliases)}
    assert not_named not in names


def test_a_plural_acronym_the_paper_names_as_its_own_stays(extractor):
    ex = run(extractor, "Notes on Ropes", "We propose Knot Routing Networks (KRNs) for untangling ropes.")
    assert any("KRNs" in (m.name, *m.aliases) for m in ex.methods)


def test_the_titles_means_is_the_task_only_when_nothing_else_is(extractor):
    title = "Empirical Notes on Court Rulings via Similar Knot Retrieval"
    assert rules.title_tasks(title) and all(c[3] == "kg_tasks:title-means" for c in rules.title_tasks(title))
    ex = run(extractor, title, "We look at rulings of one court over ten years and report what we find.")
    assert [t.name for t in ex.tasks] == ["similar knot retrieval"]
    ex = run(extractor, "Knot-Type Recognition via Similar Knot Retrieval",
             "We address knot-type recognition in rope images.")
    assert "similar knot retrieval" not in {t.name for t in ex.tasks}


@pytest.mark.parametrize("abstract", [
    "Our rope model builds on a prompt tuning recipe for knot images.",
    "Dual-encoder retrieval of knots is fast. Dual-encoders embed ropes and knots apart.",
    "Constraint Programming (CP) is a declarative paradigm; we use CP solvers for knots.",
])
def test_architecture_families_and_paradigms_are_not_methods(extractor, abstract):
    ex = run(extractor, "Notes on Ropes", abstract)
    names = {f.lower() for m in ex.methods for f in (m.name, *m.aliases)}
    assert not names & {"prompt tuning", "dual-encoder", "dual-encoders", "constraint programming", "cp"}


def test_a_technique_of_something_in_the_title_is_the_means():
    from kg.nlp.mentions import _title_means

    title = "Simple Contrastive Learning of Knot Embeddings"
    s = title.index("Contrastive")
    assert _title_means(title, s, s + len("Contrastive Learning"))
    # a paradigm "of" something is still the paper's task ("Self-Supervised Learning of Knot Representations")
    other = "Self-Supervised Learning of Knot Representations"
    assert not _title_means(other, 0, len("Self-Supervised Learning"))


def test_short_capitals_listed_with_a_name_are_a_name(extractor):
    ex = run(extractor, "Notes on Rope Models",
             "Our recipe also helps models pretrained with recent methods (e.g., KnotPre, ROPX). ZZQ is a unit.")
    names = {m.name for m in ex.methods}
    assert {"KnotPre", "ROPX"} <= names
    assert "ZZQ" not in names  # alone, short capitals are more often an abbreviation


def test_an_acronym_defined_after_a_used_cue_is_someone_elses(extractor):
    ex = run(extractor, "Notes on Knots",
             "We apply our method to the existing Knot Part Network (KPNet). KPNet then ranks knots faster.")
    roles = {m.name: m.role for m in ex.methods}
    assert roles.get("Knot Part Network") == "used"


def test_an_acronym_that_spells_a_task_before_a_method_word_names_the_task():
    from kg.nlp.mentions import _head_outside_acronym, _task_name_rank

    assert _head_outside_acronym("Knot-Type Recognition models", "KTR") == "TASK"
    assert _head_outside_acronym("Knot Routing Networks", "KRN") is None  # the letters take the head too
    assert _task_name_rank("rope recognition") > _task_name_rank("rope recognition algorithm")


def test_a_task_keeps_no_method_word_in_its_name(extractor):
    ex = run(extractor, "Notes on Ropes",
             "We first train an encoder using a knot recognition algorithm (KRA) on rope images. "
             "Knot recognition matters for climbers.")
    names = {t.name for t in ex.tasks}
    assert "knot recognition algorithm" not in names


def test_a_title_in_capitals_names_nothing_by_shape(extractor):
    ex = run(extractor, "FUZZY AND NEURO-FUZZY MODELS FOR SHORT-TERM ROPE DEMAND FORECASTING",
             "We compare fuzzy models for rope demand forecasting with BERT.")
    names = {m.name for m in ex.methods}
    assert not names & {"FUZZY", "NEURO-FUZZY", "MODELS", "SHORT-TERM", "ROPE", "DEMAND", "FORECASTING"}
    assert "BERT" in names


def test_task_list_items_end_at_a_preposition_not_the_list():
    text = ("It transfers to tasks such as OCR, knot recognition in videos, rope geo-localization, and many types "
            "of fine-grained knot classification. Other tasks, e.g., an AUC score improvement from 0.7 to 0.8.")
    found = {text[s:e] for s, e, _l, rule, _c in rules.task_phrases(text, 0, len(text)) if rule == "kg_tasks:list"}
    assert {"OCR", "knot recognition", "rope geo-localization", "fine-grained knot classification"} <= found
    assert not any("AUC" in f or "videos" in f for f in found)
    clause = ("It helps tasks such as knot recognition, making it useful across domains like education, "
              "and creative industries.")
    found = {clause[s:e] for s, e, _l, rule, _c in rules.task_phrases(clause, 0, len(clause))
             if rule == "kg_tasks:list"}
    assert found == {"knot recognition"}


def test_an_established_technique_called_x_is_used_even_in_an_own_sentence(extractor):
    ex = run(extractor, "Notes on Ropes",
             "We propose an augmentation policy in the form of an already established rope technique called "
             "Global Knot Contrast. We also propose a new sampler called KnotSampler.")
    roles = {m.name: m.role for m in ex.methods}
    assert roles.get("Global Knot Contrast") == "used"
    assert roles.get("KnotSampler") == "proposed"


def test_a_paper_with_no_other_task_keeps_its_learning_paradigm(extractor):
    abstract = ("Self-supervised learning of rope features is hard. We show that self-supervised learning "
                "benefits from knot-aware crops, and our self-supervised learning recipe beats older ones.")
    ex = run(extractor, "Notes on Ropes", abstract)
    assert [t.name for t in ex.tasks] == ["self-supervised learning"]
    # with another task to name, the paradigm named in passing stays background
    ex = run(extractor, "Knot-Type Recognition in Rope Images", abstract)
    assert "self-supervised learning" not in {t.name for t in ex.tasks}


def test_a_title_condition_after_under_is_cut_from_the_task(extractor):
    title = "Knot Image Classification under Rope Length Shift"
    assert "knot image classification" in [title[c[0]:c[1]].lower() for c in rules.title_tasks(title)]
    ex = run(extractor, title, "We sort knot photos when the rope length changes between training and test.")
    assert "knot image classification" in [t.name for t in ex.tasks]


def test_a_common_word_method_name_is_known_in_title_case(extractor):
    ex = run(extractor, "Notes on Knots",
             "Knot types are sorted with Logistic Regression (LR) and K-Nearest Neighbors on rope photos, and a "
             "Gaussian Process smooths the rope lengths.")
    names = {f for m in ex.methods for f in (m.name, *m.aliases)}
    assert {"Logistic Regression", "K-Nearest Neighbors", "Gaussian Process"} <= names


@pytest.mark.parametrize(("abstract", "role"), [
    ("Knots are hard to untie. Zentro is a novel framework for rope routing.", "proposed"),
    ("Knots are hard to untie. Zentro is a new method that routes ropes.", "proposed"),
])
def test_x_is_a_novel_method_names_the_papers_own(extractor, abstract, role):
    ex = run(extractor, "Notes on Knots", abstract)
    assert [(m.name, m.role) for m in ex.methods] == [("Zentro", role)]


def test_this_is_a_novel_method_names_nothing(extractor):
    ex = run(extractor, "Notes on Knots", "Knots are hard to untie. This is a novel framework for rope routing.")
    assert not ex.methods


def test_continual_learning_and_adaptation_benchmarks_are_known_datasets(extractor):
    ex = run(extractor, "Notes on Forgetting",
             "We report accuracy on Split CIFAR-100, Permuted MNIST and CORe50, and adapt a knot model on VisDA-2017.")
    known = {d.name for d in ex.datasets if any(e.rule == "kg_gazetteer:known" for e in d.evidence)}
    assert {"Split CIFAR-100", "Permuted MNIST", "CORe50", "VisDA-2017"} <= known


@pytest.mark.parametrize(("title", "task"), [
    ("Few shot knot classification via rope priors", "few shot knot classification"),
    ("Zero shot rope segmentation with priors", "zero shot rope segmentation"),
])
def test_a_shot_count_stays_in_the_task(title, task):
    assert task in [title[c[0]:c[1]].lower() for c in rules.title_tasks(title)]


def test_an_evaluative_adjective_is_cut_from_a_task():
    assert rules._trim_task("difficult knot segmentation".split()) == ["knot", "segmentation"]


def test_a_leading_verb_is_cut_from_a_task():
    assert rules._trim_task("formulate unsupervised knot monitoring".split()) == ["unsupervised", "knot", "monitoring"]


def test_a_compound_with_a_name_or_an_organisation_stays(extractor):
    ex = run(extractor, "Notes on Ropes",
             "We compare with Self-RAG and a CNN-Transformer on the MIT-Ropes dataset of knot photos.")
    names = {f for m in (*ex.methods, *ex.datasets) for f in (m.name, *m.aliases)}
    assert {"Self-RAG", "CNN-Transformer", "MIT-Ropes"} <= names
