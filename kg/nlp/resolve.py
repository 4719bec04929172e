"""Entity resolution keys: the one place that decides when two surface forms name the same entity.

>>> entity_key(EntityType.METHOD, "ResNet-50") == entity_key(EntityType.METHOD, "ResNet50")
True
>>> entity_key(EntityType.DATASET, "ImageNet-1K") == entity_key(EntityType.DATASET, "ImageNet-21K")
False
>>> entity_key(EntityType.DATASET, "the COCO dataset") == entity_key(EntityType.DATASET, "COCO")
True
>>> entity_key(EntityType.METHOD, "Vision Transformers") == entity_key(EntityType.METHOD, "Vision Transformer")
True
>>> entity_key(EntityType.METHOD, "Gaussian Processes") == entity_key(EntityType.METHOD, "Gaussian Process")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.models import EntityType

_NOT_KEY = re.compile(r"[^0-9a-z+]+")
_LEADING = re.compile(r"^(?:the|a|an|our)\s+", re.I)
# words that do not change which entity is meant: "the COCO dataset" is COCO
_TRAILING = {
    EntityType.DATASET: re.compile(r"[\s-]+(?:data\s?sets?|benchmarks?|corpus|corpora|databases?|suite)$", re.I),
    EntityType.METHOD: re.compile(
        r"[\s-]+(?:models?|methods?|algorithms?|frameworks?|architectures?|networks?)$", re.I),
    EntityType.TASK: re.compile(r"[\s-]+(?:tasks?|problems?)$", re.I),
}
_PLURAL_ACRONYM = re.compile(r"^([A-Z][A-Za-z0-9-]*[A-Z0-9])s$")
# a plural last word of a method name ("Transformers", "Gaussian Processes"): one key with the singular
_PLURAL_WORD = re.compile(r"(?<![\w-])([A-Za-z][a-z]+?(?:ss|x|ch|sh))es$|(?<![\w-])([A-Za-z][a-z]+[^sui\W\d])s$")


@lru_cache(maxsize=65536)
def surface_key(text: str) -> str:
    """The scorer-compatible normal form: NFKC, casefolded, only letters, digits and '+'."""
    return _NOT_KEY.sub("", unicodedata.normalize("NFKC", text).casefold())


def entity_key(kind: EntityType | str, name: str) -> str:
    """Normalised resolution key of an entity name of a given type.

    Spelling variants (case, hyphens, spaces, a plural acronym, a trailing "dataset"/"model")
    give one key; version and size markers ("-1K", "-21K", "v2", "-50") are kept, so
    different versions stay apart.
    """
    kind = EntityType(kind)
    text = unicodedata.normalize("NFKC", name).strip()
    text = _LEADING.sub("", text)
    stripped = _TRAILING[kind].sub("", text)
    if stripped.strip():
        text = stripped
    m = _PLURAL_ACRONYM.match(text)
    if m:
        text = m.group(1)
    elif kind is EntityType.METHOD:
        text = _PLURAL_WORD.sub(lambda w: w.group(1) or w.group(2), text)
    key = surface_key(text)
    if kind is EntityType.TASK and key.endswith("s") and len(key) > 4 and not key.endswith("ss"):
        key = key[:-1]
    return f"{kind.value}:{key}"
