"""Build a real index (real model, SQLite and FAISS files) and search it, from Python and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, make_pdf

from indexer import BadQuery, IndexCorrupt, IndexNotFound, build_index, open_index

HIT_KEYS = ["rank", "score", "text", "doc_path", "doc_title", "doc_type", "body", "meeting_date",
            "pdf_page", "pdf_page_end", "page_label", "item", "chunk_id", "ocr", "copies",
            "source_url"]   # where the paper was published (a metadata.csv's source_url), else null


ATTENDANCE = " ".join(f"Councillor Member{n} attended for the ward of Parish{n}." for n in range(16))
BACKGROUND = " ".join(f"Paragraph {n} of the background explains the revenue position." for n in range(14))


def _corpus(root):
    """Two documents whose answers sit on page 2, after a page of about 200 other words."""
    make_pdf(root / "housing_board" / "2021-05-04" / "Minutes 2021-05-04.pdf", [
        "Housing Board\nMinutes of the meeting held on 4 May 2021\n" + ATTENDANCE,
        "Resolved: That the rough sleeping pilot at Redwings be extended for twelve months.",
    ], footer="Page {n}")
    make_pdf(root / "finance_committee" / "2023-02-01" / "Budget report.pdf", [
        "Finance Committee report on the revenue budget.\n" + BACKGROUND,
        "The committee approved a library refurbishment budget of 150,000 pounds.",
    ])
    return root


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("small")
    corpus = _corpus(root / "corpus")
    report = build_index(corpus, root / "index", embedder=embedder)
    return root, report, open_index(root / "index", embedder)


def test_files_on_disk_and_report(small_index):
    root, report, _ = small_index
    assert {p.name for p in (root / "index").iterdir()} == {"vectors.faiss", "index.sqlite", "manifest.json"}
    manifest = json.loads((root / "index" / "manifest.json").read_text())
    assert manifest["model"] == "e5-small-v2" and manifest["dimension"] == 384
    assert manifest["faiss_index"] == "IndexFlatIP" and manifest["chunker_version"]
    assert set(manifest["files"]) == {"housing_board/2021-05-04/Minutes 2021-05-04.pdf",
                                      "finance_committee/2023-02-01/Budget report.pdf"}
    assert (report.documents, report.pages, report.skipped_files) == (2, 4, [])


def test_search_cites_document_page_and_label(small_index):
    _, _, index = small_index
    hit = index.search("How long was the Redwings rough sleeping pilot extended?", k=3)[0]
    assert hit.doc_path == "housing_board/2021-05-04/Minutes 2021-05-04.pdf"
    assert (hit.pdf_page, hit.page_label, hit.meeting_date) == (2, "2", "2021-05-04")
    assert hit.body == "Housing Board" and hit.doc_type == "minutes"
    assert "twelve months" in hit.text
    assert "PDF p. 2" in hit.citation


def test_filters_apply_before_ranking(small_index):
    _, _, index = small_index
    question = "rough sleeping pilot at Redwings"
    only_finance = index.search(question, k=5, body="finance")
    assert only_finance and {h.body for h in only_finance} == {"Finance Committee"}
    assert {h.doc_type for h in index.search(question, k=5, doc_type="report")} == {"report"}
    assert {h.meeting_date for h in index.search(question, k=5, date_from="2022-01-01")} == {"2023-02-01"}
    assert {h.meeting_date for h in index.search(question, k=5, date_to="2022-01-01")} == {"2021-05-04"}
    assert index.search(question, k=5, body="No Such Board") == []
    with pytest.raises(BadQuery):
        index.search(question, date_from="May 2021")
    with pytest.raises(BadQuery):
        index.search("   ")


def test_cli_json_contract(small_index, tmp_path):
    root, _, _ = small_index
    out = subprocess.run(
        [sys.executable, "-m", "indexer", "search", str(root / "index"), "library refurbishment budget",
         "-k", "2", "--json"], cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    ).stdout.splitlines()
    hits = [json.loads(line) for line in out]
    assert len(hits) == 2 and list(hits[0]) == HIT_KEYS
    assert hits[0]["doc_path"] == "finance_committee/2023-02-01/Budget report.pdf"
    assert (hits[0]["rank"], hits[0]["pdf_page"], hits[0]["page_label"]) == (1, 2, None)
    assert isinstance(hits[0]["pdf_page"], int) and isinstance(hits[0]["score"], float)

    queries = tmp_path / "q.txt"
    queries.write_text("library refurbishment budget\n\nRedwings pilot\n")
    out = subprocess.run(
        [sys.executable, "-m", "indexer", "search", str(root / "index"), "--queries", str(queries),
         "-k", "1", "--json", "--doc-type", "minutes"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    ).stdout.splitlines()
    records = [json.loads(line) for line in out]
    assert [r["query"] for r in records] == ["library refurbishment budget", "Redwings pilot"]
    assert all(list(r)[:-1] == HIT_KEYS and r["doc_type"] == "minutes" for r in records)
    gone = subprocess.run([sys.executable, "-m", "indexer", "search", str(root / "index"), "--queries",
                           str(tmp_path / "gone.txt")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert gone.returncode == 1 and f"no queries file at {tmp_path / 'gone.txt'}" in gone.stderr


def test_cli_info_and_missing_index(small_index, tmp_path):
    root, _, _ = small_index
    info = subprocess.run([sys.executable, "-m", "indexer", "info", str(root / "index")],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "Housing Board: 1" in info and "Finance Committee: 1" in info
    assert "2021-05-04 to 2023-02-01" in info
    missing = subprocess.run([sys.executable, "-m", "indexer", "search", str(tmp_path / "nope"), "x"],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "python -m indexer build" in missing.stderr
    with pytest.raises(IndexNotFound):
        open_index(tmp_path / "nope")


def test_incremental_rebuild_embeds_only_changes(tmp_path, embedder):
    corpus = _corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder=embedder)

    report = build_index(corpus, index_dir, embedder=embedder)
    assert (report.embedded_files, report.reused_files) == (0, 2)

    make_pdf(corpus / "new board" / "Agenda 2024-01-10.pdf", ["Agenda: the parks strategy consultation."])
    (corpus / "finance_committee" / "2023-02-01" / "Budget report.pdf").unlink()
    report = build_index(corpus, index_dir, embedder=embedder)
    assert (report.embedded_files, report.reused_files) == (1, 1)
    assert report.removed_files == ["finance_committee/2023-02-01/Budget report.pdf"]

    index = open_index(index_dir, embedder)
    assert index.search("parks strategy consultation", k=1)[0].doc_path == "new board/Agenda 2024-01-10.pdf"
    reused = index.search("Redwings pilot extended", k=1)[0]
    assert (reused.doc_path, reused.pdf_page) == ("housing_board/2021-05-04/Minutes 2021-05-04.pdf", 2)
    assert {h.doc_path for h in index.search("library budget", k=10)}.isdisjoint({"finance_committee/2023-02-01/Budget report.pdf"})


def test_chunker_change_forces_a_full_rebuild(tmp_path, embedder):
    corpus = _corpus(tmp_path / "corpus")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    manifest_path = tmp_path / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["chunker_version"] = "0"
    manifest_path.write_text(json.dumps(manifest))
    report = build_index(corpus, tmp_path / "index", embedder=embedder)
    assert "chunker changed" in report.full_rebuild_reason
    assert report.embedded_files == 2


def test_a_failed_build_leaves_the_previous_index(tmp_path, embedder):
    corpus = _corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder=embedder)
    before = (index_dir / "manifest.json").read_text()
    make_pdf(corpus / "extra.pdf", ["More minutes."])

    def crash(progress):
        if progress.files_done == 2:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        build_index(corpus, index_dir, embedder=embedder, progress=crash)
    assert (index_dir / "manifest.json").read_text() == before
    assert not list(tmp_path.glob("index.building-*")), "staging folder cleaned up"
    assert open_index(index_dir, embedder).search("Redwings", k=1)


def test_corrupt_index_files_are_named(tmp_path, embedder):
    corpus = _corpus(tmp_path / "corpus")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    (tmp_path / "index" / "vectors.faiss").write_bytes(b"not a faiss file")
    with pytest.raises(IndexCorrupt) as caught:
        open_index(tmp_path / "index", embedder)
    assert "vectors.faiss" in str(caught.value) and "python -m indexer build" in str(caught.value)


def test_an_open_index_moves_to_a_rebuild_when_it_lands(tmp_path, embedder):
    corpus = _corpus(tmp_path / "corpus")
    build_index(corpus, tmp_path / "index", embedder=embedder)
    serving = open_index(tmp_path / "index", embedder)
    before = serving.version
    make_pdf(corpus / "parks.pdf", ["The parks strategy consultation closes in June."])
    build_index(corpus, tmp_path / "index", embedder=embedder)

    assert serving.search("parks strategy consultation", k=1)[0].doc_path == "parks.pdf"
    assert serving.search("Redwings pilot", k=1)[0].doc_path != "parks.pdf"
    assert serving.version != before and serving.info().documents == 3


def test_above_the_threshold_the_index_is_approximate_and_still_finds_the_passage(tmp_path, embedder, demo_index):
    """The demo pack indexed with the approximate threshold set low: an inverted file, recorded in the manifest."""
    from indexer import build_index, open_index
    from indexer.backends.manifest import Manifest

    report = build_index(REPO / "corpus", tmp_path / "index", embedder=embedder, approximate_above=50)
    manifest = Manifest.read(tmp_path / "index")
    assert report.vector_index == manifest.faiss_index and manifest.faiss_index.startswith("IVF")
    assert manifest.faiss_index.endswith(",SQ8") and manifest.nprobe >= 1
    index = open_index(tmp_path / "index", embedder)
    question = "How many people were placed in accommodation during Everyone In?"
    approximate = [h.chunk_id for h in index.search(question, k=10, mode="dense", rerank=False)]
    exact = [h.chunk_id for h in demo_index.search(question, k=10, mode="dense", rerank=False)]
    assert len(set(approximate) & set(exact)) >= 9
    assert index.search(question, k=5, mode="dense", rerank=False, date_to="2019-01-01") == []
    # An unchanged rebuild copies the vectors back out of the inverted file.
    from indexer.backends.local import LocalBuild

    floats = LocalBuild(tmp_path / "index").vectors_by_id(list(range(10)))
    again = build_index(REPO / "corpus", tmp_path / "index", embedder=embedder, approximate_above=50)
    assert again.reused_files == 1 and again.embedded_files == 0
    assert (LocalBuild(tmp_path / "index").vectors_by_id(list(range(10))) == floats).all()  # never re-quantized
    assert open_index(tmp_path / "index", embedder).search(question, k=1)[0].chunk_id == demo_index.search(question, k=1)[0].chunk_id


@pytest.mark.parametrize("doc_path", ["../../etc/passwd", "/etc/passwd", "../index/index.sqlite",
                                      "hwt-2020-10-21-public-reports-pack.pdf/../../README.md", "metadata.csv"])
def test_page_view_reads_only_papers_of_the_corpus(demo_index, doc_path):
    from indexer import IndexerError
    from indexer.find.pageview import corpus_file, page_view

    with pytest.raises(IndexerError):
        corpus_file(demo_index, doc_path)
    with pytest.raises(IndexerError):
        page_view(demo_index, doc_path, 1)
    assert corpus_file(demo_index, "hwt-2020-10-21-public-reports-pack.pdf").is_file()


def test_more_passages_than_the_reranker_reads_follow_in_fused_order(demo_index):
    from indexer.find.search import RERANK_DEPTH

    hits = open_index(demo_index.index_dir).search("homelessness during the pandemic", k=RERANK_DEPTH + 5)
    assert [hit.rank for hit in hits] == list(range(1, RERANK_DEPTH + 6))
    assert all(hit.reranked for hit in hits[:RERANK_DEPTH]) and not any(hit.reranked for hit in hits[RERANK_DEPTH:])
    read = [hit.score for hit in hits[:RERANK_DEPTH]]
    assert read == sorted(read, reverse=True)   # not a decision question: in the cross-encoder's order
