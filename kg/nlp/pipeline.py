"""Build the extractor's spaCy pipeline: ``spacy.blank("en")`` (or a trained pipeline) plus the ``kg_*`` components."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.attrs import LOWER
from spacy.language import Language

import kg.nlp.components  # noqa: F401  (registers the kg_* factories)
from kg.errors import E, KgError

COMPONENTS = ("kg_sentences", "kg_links", "kg_gazetteer", "kg_acronyms", "kg_naming", "kg_context", "kg_shapes",
              "kg_tasks", "kg_roles", "kg_filter")

#: the lexical attributes the kg components read (with ORTH and LENGTH, which every word has). Computing the other
#: twenty (shape, like_num, like_url, ...) for each new word costs about a tenth of the time of the first pass over
#: new texts: the extractor's pipeline skips them.
RULE_LEX_ATTRS = frozenset({LOWER})


def build_nlp(patterns: Sequence[Path | str] = (), model: str | None = None, use_default: bool = True,
              write_spans: bool = True) -> Language:
    """A pipeline with every kg component; ``model`` names an installed spaCy pipeline, None means blank English.

    ``write_spans`` false makes the components keep their candidates as rows in ``doc.user_data`` only, with no
    ``doc.spans`` groups or token sentence starts: what :class:`kg.nlp.Extractor` reads, and faster. On the blank
    pipeline it also makes the vocabulary compute only the lexical attributes the rules read (see
    :data:`RULE_LEX_ATTRS`) for each new word, so ``token.shape_``, ``token.like_num`` and the like are unset.
    """
    if model is None:
        nlp = spacy.blank("en")
        if not write_spans:
            getters = nlp.vocab.lex_attr_getters  # this vocab's own dict (a new one per spacy.blank)
            for attr in [a for a in getters if a not in RULE_LEX_ATTRS]:
                del getters[attr]
    else:
        try:
            # only the tokenizer and the components that do not need a GPU; the parser would set sentences
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError as error:
            raise KgError(E.E040.format(model=model, why=error)) from error
    for name in COMPONENTS:
        config: dict = {"write_spans": write_spans}
        if name == "kg_gazetteer":
            config.update(patterns=[str(p) for p in patterns], use_default=use_default)
        if name == "kg_sentences" and "parser" in nlp.pipe_names:
            nlp.add_pipe(name, before="parser")
            continue
        nlp.add_pipe(name, config=config)
    return nlp
