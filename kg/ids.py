"""The one place that decides identity: paper keys across inputs and stable node ids.

>>> title_key("AstroM$^3$: A Model") == title_key("AstroM^3: a model")
True
>>> paper_keys(PaperRecord(id="x", title="T", abstract="A", arxiv_id="2401.00001"))
('arxiv:2401.00001', 'title:t')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from kg.models import EntityType, NodeLabel, PaperRecord

_LATEX_CMD = re.compile(r"\\[a-zA-Z]+")


def title_key(title: str) -> str:
    """Normalised title: NFKC, LaTeX markup dropped, casefolded, letters and digits only."""
    text = unicodedata.normalize("NFKC", title)
    text = _LATEX_CMD.sub("", text)
    text = text.casefold()
    return "".join(ch for ch in text if ch.isalnum())


def paper_keys(record: PaperRecord) -> tuple[str, ...]:
    """Every key that identifies the paper: arXiv id, DOI, normalised title (strongest first)."""
    keys = []
    if record.arxiv_id:
        keys.append(f"arxiv:{record.arxiv_id.lower()}")
    if record.doi:
        keys.append(f"doi:{record.doi.lower()}")
    tk = title_key(record.title)
    if tk:
        keys.append(f"title:{tk}")
    return tuple(keys)


def paper_node_id(keys: tuple[str, ...] | list[str]) -> str:
    """Stable Paper id from its keys: ``arxiv:...``, else ``doi:...``, else ``title:<hash>``.

    >>> paper_node_id(["title:abc", "doi:10.1/x"])
    'doi:10.1/x'
    """
    for prefix in ("arxiv:", "doi:"):
        for key in keys:
            if key.startswith(prefix):
                return key
    for key in keys:
        if key.startswith("title:"):
            return "title:" + hashlib.sha1(key.encode()).hexdigest()[:16]
    raise ValueError("a paper needs at least one key")


def entity_node_id(kind: EntityType, name: str) -> str:
    """Node id of a method, dataset or task: the extractor's resolution key, ``method:<key>``.

    >>> entity_node_id(EntityType.METHOD, "ResNet-50") == entity_node_id(EntityType.METHOD, "ResNet50")
    True
    """
    from kg.nlp.resolve import entity_key

    key = entity_key(kind, name)
    prefix = f"{kind.value}:"
    return key if key.startswith(prefix) else prefix + key


def repository_node_id(key: str) -> str:
    """Repositories are keyed ``host/owner/name`` (lowercase)."""
    return key.lower()


LABEL_PREFIX = {NodeLabel.METHOD: "method:", NodeLabel.DATASET: "dataset:", NodeLabel.TASK: "task:"}
