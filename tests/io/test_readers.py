import io
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io.readers import ReadReport, detect_format, read_records

ABSTRACT = "We propose a method. It works well on many benchmarks. Code is available."


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def test_listing_without_blank_lines_and_glued_subscribe(tmp_path: Path) -> None:
    text = ("Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"
            f"SubscribeFirst Paper: A Title\n{ABSTRACT}\nSecond Paper\n{ABSTRACT} Two.\n")
    report = ReadReport()
    records = list(read_records([write(tmp_path, "a.txt", text)], report=report))
    assert [r.title for r in records] == ["First Paper: A Title", "Second Paper"]
    assert records[0].source.endswith("a.txt:3")
    assert report.total_skipped == 0


def test_listing_with_blank_lines_and_site_lines(tmp_path: Path) -> None:
    text = (f"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
            f"Mar 14\n\nA Paper About Graphs\n\n{ABSTRACT}\n\nAnother One? With a Subtitle. And More\n\n{ABSTRACT}\n")
    records = list(read_records([write(tmp_path, "b.txt", text)]))
    assert [r.title for r in records] == ["A Paper About Graphs", "Another One? With a Subtitle. And More"]
    assert all(r.abstract == ABSTRACT for r in records)


def test_listing_title_without_abstract_is_reported_and_others_kept(tmp_path: Path) -> None:
    text = f"Lonely Title\nGood Title\n{ABSTRACT}\n"
    report = ReadReport()
    records = list(read_records([write(tmp_path, "c.txt", text)], report=report))
    assert [r.title for r in records] == ["Good Title"]
    assert report.skipped["no abstract"] == 1
    assert "c.txt:1" in report.problems[0].message


def test_jsonl_with_malformed_line_and_missing_fields(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "p1", "title": "T1", "abstract": "A1"}), "{not json", json.dumps({"id": "p2", "title": "T2"}),
             json.dumps(["a list"]), json.dumps({"id": "p3", "title": "T3", "abstract": "A3", "doi": "https://doi.org/10.1/ABC"})]
    report = ReadReport()
    path = write(tmp_path, "d.jsonl", "\n".join(lines) + "\n")
    records = list(read_records([path], report=report))
    assert [r.id for r in records] == ["p1", "p3"]
    assert records[1].doi == "10.1/abc"
    assert report.skipped == {"malformed JSON": 1, "no abstract": 1, "not an object": 1}
    messages = [p.message for p in report.problems]
    assert any(f"{path}:2" in m and "JSON" in m for m in messages)
    assert any(f"{path}:3" in m and "abstract" in m for m in messages)


def test_json_array_and_api_response(tmp_path: Path) -> None:
    arr = write(tmp_path, "e.json", json.dumps([{"title": "T", "abstract": "A"}]))
    api = write(tmp_path, "f.json", json.dumps({"meta": {}, "results": [
        {"id": "https://openalex.org/W1", "display_name": "OA Title", "doi": "https://doi.org/10.5/X",
         "abstract_inverted_index": {"Hello": [0], "world.": [1]}, "publication_date": "2024-01-02",
         "authorships": [{"author": {"display_name": "Ada L"}}]},
        {"id": "https://openalex.org/W2", "display_name": "No abstract", "abstract_inverted_index": None}]}))
    report = ReadReport()
    records = list(read_records([arr, api], report=report))
    assert [r.title for r in records] == ["T", "OA Title"]
    oa = records[1]
    assert (oa.abstract, oa.doi, oa.date, oa.authors) == ("Hello world.", "10.5/x", "2024-01-02", ("Ada L",))
    assert report.skipped == {"no abstract": 1}


def test_arxiv_snapshot_record(tmp_path: Path) -> None:
    rec = {"id": "0704.0001", "title": "Calculation of\n  things", "abstract": "  Line one\nline two.  ",
           "authors": "A. B, C. D", "categories": "hep-ph cs.LG", "update_date": "2008-11-26",
           "authors_parsed": [["B", "A.", ""], ["D", "C.", ""]]}
    (r,) = read_records([write(tmp_path, "s.jsonl", json.dumps(rec) + "\n")])
    assert (r.arxiv_id, r.title, r.abstract, r.categories, r.date) == (
        "0704.0001", "Calculation of things", "Line one line two.", ("hep-ph", "cs.LG"), "2008-11-26")
    assert r.url == "https://arxiv.org/abs/0704.0001"


def test_arxiv_api_record_with_python_list_strings(tmp_path: Path) -> None:
    rec = {"arxiv_id": "2604.00001", "title": "T", "abstract": "A", "authors": "['X Y', 'Z W']",
           "categories": "['cs.AI', 'cs.CL']", "entry_id": "http://arxiv.org/abs/2604.00001v2"}
    (r,) = read_records([write(tmp_path, "api.jsonl", json.dumps(rec) + "\n")])
    assert (r.id, r.authors, r.categories, r.arxiv_id) == ("2604.00001", ("X Y", "Z W"), ("cs.AI", "cs.CL"), "2604.00001")


def test_csv_with_mapping_and_bom(tmp_path: Path) -> None:
    content = "\ufeffpaper_name,summary,link\nA Title,\"An abstract, with a comma.\",https://x.org\nNo abstract,,\n"
    report = ReadReport()
    path = write(tmp_path, "g.csv", content)
    records = list(read_records([path], mapping={"title": "paper_name", "abstract": "summary"}, report=report))
    assert [(r.title, r.abstract, r.url) for r in records] == [("A Title", "An abstract, with a comma.", "https://x.org")]
    assert report.skipped == {"no abstract": 1}
    assert f"{path}:3" in report.problems[0].message


def test_bad_encoding_is_reported_and_record_kept(tmp_path: Path) -> None:
    data = b'{"title": "Caf\xe9", "abstract": "ok"}\n{"title": "Fine", "abstract": "ok"}\n'
    report = ReadReport()
    records = list(read_records([write(tmp_path, "h.jsonl", data)], report=report))
    assert [r.title for r in records] == ["Caf\ufffd", "Fine"]
    assert "h.jsonl:1" in report.problems[0].message and "UTF-8" in report.problems[0].message


def test_empty_and_missing_files_do_not_stop_the_others(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.jsonl", "")
    good = write(tmp_path, "good.jsonl", json.dumps({"title": "T", "abstract": "A"}) + "\n")
    report = ReadReport()
    records = list(read_records([empty, str(tmp_path / "missing.jsonl"), good], report=report))
    assert [r.title for r in records] == ["T"]
    assert report.skipped == {"empty file": 1, "unreadable file": 1}


def test_unknown_format_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Unknown format"):
        list(read_records([write(tmp_path, "x.txt", "x")], fmt="xml"))


def test_detect_format_by_content() -> None:
    assert detect_format("stdin", b'{"title": "a"}\n{"title": "b"}\n') == "jsonl"
    assert detect_format("stdin", b'[{"title": "a"}]') == "json"
    assert detect_format("stdin", b"title,abstract\nx,y\n") == "csv"
    assert detect_format("data.json", b'{"title": "a"}\n{"title": "b"}\n') == "jsonl"
    assert detect_format("stdin", b"A title\nAn abstract.\n") == "listing"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BufferedReader(io.BytesIO(json.dumps({"title": "T", "abstract": "A"}).encode() + b"\n"))

    monkeypatch.setattr("sys.stdin", FakeStdin)
    assert [r.title for r in read_records(["-"])] == ["T"]


def test_seed_layouts_read_every_entry(seed_files: list[str]) -> None:
    report = ReadReport()
    records = list(read_records(seed_files, report=report))
    assert len(records) == 813
    assert report.total_skipped == 0
    assert not any(r.title.startswith("Subscribe") for r in records)


def test_external_samples_read_every_record_with_title_and_abstract(shared_dir: Path) -> None:
    ext = shared_dir / "eval" / "external"
    report = ReadReport()
    records = list(read_records([ext / "arxiv-snapshot-head200", ext / "openalex-works", ext / "arxiv-api-ml"],
                                report=report))
    # 200 snapshot + 474 API records; OpenAlex: works whose abstract_inverted_index is present (18 + 55 + 35)
    assert len(records) == 200 + 474 + 18 + 55 + 35
    assert report.skipped == {"no abstract": 170 - 108}
