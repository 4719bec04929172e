from kg.graph.build import GraphBuilder, PaperIndex, build_graph
from kg.graph.io import graph_counts, load_graph, node_rows, relationship_rows, save_graph
from kg.ids import paper_keys, title_key
from kg.models import EntityMention, Evidence, NodeLabel, PaperExtraction, PaperRecord, RelType


def rec(id_: str, title: str, **kw) -> PaperRecord:  # type: ignore[no-untyped-def]
    return PaperRecord(id=id_, title=title, abstract=kw.pop("abstract", "Text."), source=f"f:{id_}", **kw)


EV = Evidence(sentence="We propose Foo.", start=11, end=14, rule="test:rule", confidence=0.9)


def test_title_key_folds_latex_and_case() -> None:
    assert title_key("AstroM$^3$: Self-supervised") == title_key("AstroM^3: self-supervised")
    assert title_key("A  Title.") == title_key("a title")


def test_paper_index_merges_by_any_shared_key() -> None:
    index = PaperIndex()
    g1, new1, _ = index.add(rec("1", "Same Title"))
    g2, new2, _ = index.add(rec("2", "Same  title", arxiv_id="2401.00001"))
    g3, new3, _ = index.add(rec("3", "Retitled on arXiv", arxiv_id="2401.00001"))
    g4, new4, _ = index.add(rec("4", "Other"))
    assert (new1, new2, new3, new4) == (True, False, False, True)
    assert g1 == g2 == g3 != g4
    assert paper_keys(rec("5", "T", doi="10.1/x")) == ("doi:10.1/x", "title:t")


def test_builder_one_paper_node_with_all_sources_and_stable_id() -> None:
    b = GraphBuilder()
    assert b.add_record(rec("a", "Shared Paper"))
    assert not b.add_record(rec("b", "shared paper", arxiv_id="2401.00002"))
    b.add_extraction(rec("a", "Shared Paper"), PaperExtraction(id="a", title="Shared Paper"))
    G = b.finish()
    (paper,) = node_rows(G, NodeLabel.PAPER)
    assert paper["id"] == "arxiv:2401.00002"
    assert paper["sources"] == ["f:a", "f:b"]
    assert paper["arxiv_id"] == "2401.00002"


def test_builder_entities_roles_evidence_and_derived_edges() -> None:
    b = GraphBuilder()
    r1, r2 = rec("1", "P1"), rec("2", "P2")
    for r in (r1, r2):
        b.add_record(r)
    b.add_extraction(r1, PaperExtraction(
        id="1", title="P1",
        methods=(EntityMention(name="Foo", role="proposed", evidence=(EV,)),),
        datasets=(EntityMention(name="ImageNet", role="used", evidence=(EV,)),),
        tasks=(EntityMention(name="image classification", evidence=(EV,)),),
        repositories=("github.com/a/foo",), urls=("https://foo.github.io",),
    ))
    b.add_extraction(r2, PaperExtraction(
        id="2", title="P2", methods=(EntityMention(name="Foo", aliases=("FOO-Net",), role="used"),),
        datasets=(EntityMention(name="ImageNet", role="used"),), repositories=("github.com/a/bar",),
    ))
    G = b.finish()
    counts = graph_counts(G)
    assert counts["nodes"] == {"Paper": 2, "Method": 1, "Dataset": 1, "Task": 1, "Repository": 2, "Owner": 1,
                               "Link": 1}
    assert counts["relationships"]["PROPOSES"] == 1 and counts["relationships"]["USES"] == 1
    assert counts["relationships"]["HAS_CODE"] == 2 and counts["relationships"]["OWNED_BY"] == 2
    (method,) = node_rows(G, NodeLabel.METHOD)
    assert method["name"] == "Foo" and method["aliases"] == ["FOO-Net"]
    (proposes,) = relationship_rows(G, RelType.PROPOSES)
    assert (proposes["sentence"], proposes["start"], proposes["end"], proposes["rule"]) == (
        "We propose Foo.", 11, 14, "test:rule")
    (evaluated,) = relationship_rows(G, RelType.EVALUATED_ON)
    # paper 1 proposes Foo (linked); paper 2 proposes nothing so its used methods are linked
    assert evaluated["weight"] == 2 and len(evaluated["papers"]) == 2
    (applied,) = relationship_rows(G, RelType.APPLIED_TO)
    assert applied["weight"] == 1


def test_save_and_load_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    b = GraphBuilder()
    r = rec("1", "P1", abstract='Quotes " and \\ and\nnewline, ünïcode')
    b.add_record(r)
    b.add_extraction(r, PaperExtraction(id="1", title="P1", repositories=("github.com/x/y",)))
    G = b.finish()
    save_graph(G, tmp_path / "g")
    H = load_graph(tmp_path / "g")
    assert graph_counts(H) == graph_counts(G)
    assert list(node_rows(H, NodeLabel.PAPER)) == list(node_rows(G, NodeLabel.PAPER))
    assert not list((tmp_path / "g").glob(".*.tmp"))


def test_build_graph_streams_records_through_extract() -> None:
    records = [rec("1", "One"), rec("2", "one"), rec("3", "Two")]
    seen = []

    def extract(stream):  # type: ignore[no-untyped-def]
        for r in stream:
            seen.append(r.id)
            yield r, PaperExtraction(id=r.id, title=r.title)

    G = build_graph(records, extract)
    assert seen == ["1", "3"]  # the duplicate is not extracted again
    assert graph_counts(G)["nodes"]["Paper"] == 2
