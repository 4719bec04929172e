"""Entity extraction from paper titles and abstracts: spaCy components, word lists, resolution keys.

>>> from kg.nlp import Extractor, harmonize
"""

from kg.nlp.extract import Extractor, harmonize
from kg.nlp.resolve import entity_key

__all__ = ["Extractor", "entity_key", "harmonize"]
