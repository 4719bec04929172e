"""Readers: stream :class:`~kg.models.PaperRecord` s from every supported input format."""

from kg.io.readers import FORMATS, ReadReport, read_records, record_from_mapping

__all__ = ["FORMATS", "ReadReport", "read_records", "record_from_mapping"]
