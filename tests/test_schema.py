import json

from kg.models import NodeLabel, RelType
from kg.schema import SCHEMA_FILE, graph_schema, render


def test_schema_file_is_in_sync_with_the_models() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), "run: python -m kg.schema"


def test_schema_lists_every_label_and_type() -> None:
    schema = graph_schema()
    assert set(schema["x-node-labels"]) == {label.value for label in NodeLabel}
    assert set(schema["x-relationship-types"]) == {rel.value for rel in RelType}
    assert json.loads(render()) == schema
