"""The Milvus backend against a real milvus-lite server on 127.0.0.1: the same answers as the embedded
index, the filters, withheld pages, an incremental rebuild, and a server that is not there."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time

import pytest
from conftest import KENT, REPO, make_pdf

from indexer import build_index, open_index
from indexer.errors import BackendUnavailable, BadSetting
from indexer.records import make_filters

SECRET = "Quoxley"   # on the exempt pages only
SEED = [q for q in map(json.loads, (REPO.parent / "shared" / "eval" / "dev_questions.jsonl").read_text().splitlines())
        if q["corpus"] == "seed"] if (REPO.parent / "shared" / "eval" / "dev_questions.jsonl").is_file() else []
QUESTIONS = [q["q"] for q in SEED] or ["Who presented the Outbreak Control Plan?",
                                       "What are the three key outbreak management principles?"]
KENT_PAPERS = ["cabinet/2025-01-30/originals/24-00115 - PROD.pdf", "cabinet/2025-01-30/originals/Appendix O - MRP.pdf"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data, port: int) -> subprocess.Popen:
    """A milvus-lite server on 127.0.0.1:port keeping its data in data/db, once it listens (its output in
    data/server.log); the test is skipped when milvus-lite cannot run here."""
    try:
        import milvus_lite  # noqa: F401
        import pymilvus  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"milvus-lite cannot run here ({exc}); pip install -r requirements.txt")
    with open(data / "server.log", "a+") as log:
        server = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data / "db"),
                                   "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            pytest.skip(f"milvus-lite cannot run here: it exited with {server.returncode}: "
                        f"{(data / 'server.log').read_text()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                stop_server(server)
                pytest.fail("milvus-lite did not start listening within 60 s")
            time.sleep(0.1)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def milvus(tmp_path_factory):
    """A milvus-lite server on 127.0.0.1 on a free port, with its data in a temporary folder: its address."""
    port = _free_port()
    server = start_server(tmp_path_factory.mktemp("milvus"), port)
    try:
        yield f"milvus://127.0.0.1:{port}"
    finally:
        stop_server(server)


def _corpus(folder):
    """The demo pack, a housing board's papers with exempt pages, and two Kent papers when realdata is here."""
    shutil.copytree(REPO / "corpus", folder / "wolverhampton")
    make_pdf(folder / "housing_board" / "public-report.pdf",
             ["[NOT PROTECTIVELY MARKED]\nLibrary opening hours were extended in Ashford."])
    make_pdf(folder / "housing_board" / "confidential-report.pdf",
             [f"NOT FOR PUBLICATION\nparagraph 3\nThe board is asked to approve the sale of the depot to {SECRET} "
              "Holdings.", "Appendix: the valuation."])
    for rel in KENT_PAPERS:
        if (KENT / rel).is_file():
            (folder / "kent_county_council" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(KENT / rel, folder / "kent_county_council" / rel)
    return folder


@pytest.fixture(scope="module")
def built(milvus, tmp_path_factory, embedder):
    """One build written into Milvus: (index folder, the Milvus index, the same build searched embedded)."""
    corpus = _corpus(tmp_path_factory.mktemp("papers"))
    index_dir = tmp_path_factory.mktemp("milvus-index") / "index"
    report = build_index(corpus, index_dir, embedder=embedder, backend=f"{milvus}/papers")
    served, embedded = open_index(index_dir, embedder), open_index(index_dir, embedder, backend="local")
    with_passages = {path for _, _, path in embedded.build.passage_ids()}   # not the wholly exempt report
    assert (report.backend, report.backend_written) == (f"{milvus}/papers", len(with_passages))
    yield index_dir, served, embedded
    served.close()
    embedded.close()


def test_the_manifest_names_the_collection_and_search_is_served_from_it(built, milvus):
    index_dir, served, embedded = built
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert (manifest["backend"], manifest["collection"]) == (f"{milvus}/papers", "papers")
    assert type(served.build).__name__ == "MilvusBuild" and type(embedded.build).__name__ == "LocalBuild"
    assert served.info().chunks == embedded.info().chunks > 0   # coverage still read from the catalog


def test_the_same_questions_find_the_same_top_passage(built):
    _, served, embedded = built
    for question in QUESTIONS:
        dense = [h.passage_id for h in served.search(question, k=5, mode="dense", rerank=False)]
        assert dense == [h.passage_id for h in embedded.search(question, k=5, mode="dense", rerank=False)], question
        top = served.search(question, k=1)[0]
        assert top.passage_id == embedded.search(question, k=1)[0].passage_id, question
    for question in QUESTIONS:   # keyword: Milvus's candidates ranked as FTS5 ranks them
        keyword = [h.passage_id for h in served.search(question, k=5, mode="keyword", rerank=False)]
        assert keyword == [h.passage_id for h in embedded.search(question, k=5, mode="keyword", rerank=False)], question


@pytest.mark.parametrize("filters, passes", [
    ({"body": "health and WELLBEING"}, lambda h: h.body == "Health and Wellbeing Together"),
    ({"doc_type": "Reports Pack"}, lambda h: h.doc_type == "reports pack"),
    ({"date_from": "2020-10-01", "date_to": "2020-10-31"}, lambda h: "2020-10-01" <= (h.meeting_date or "") <= "2020-10-31"),
    ({"path": "housing_board/"}, lambda h: h.doc_path.startswith("housing_board/")),
    ({"path": "wolverhampton"}, lambda h: h.doc_path.startswith("wolverhampton")),
])
def test_filters_narrow_the_candidates_as_the_embedded_index_does(built, filters, passes):
    _, served, embedded = built
    for mode in ("dense", "keyword", "hybrid"):
        hits = served.search("library opening hours and the outbreak plan", k=20, mode=mode, rerank=False, **filters)
        assert hits and all(passes(h) for h in hits), (mode, filters)
    dense = served.search("library opening hours", k=20, mode="dense", rerank=False, **filters)
    assert {h.passage_id for h in dense} == {h.passage_id for h in embedded.search(
        "library opening hours", k=20, mode="dense", rerank=False, **filters)}


def test_a_filter_that_matches_nothing_returns_nothing(built):
    _, served, _ = built
    assert served.search("outbreak", mode="keyword", rerank=False, body="No Such Committee") == []
    assert served.build.dense(served.models.embedder(served.manifest.model).encode_queries(["outbreak"]), 5,
                              make_filters(path="nowhere/")) == [[]]


def test_exempt_pages_are_not_in_the_collection(built, milvus):
    from indexer.backends.milvus_sync import MilvusAddress, connect

    _, served, _ = built
    for mode in ("keyword", "dense", "hybrid"):
        assert not any(SECRET in h.text for h in served.search(f"sale of the depot to {SECRET} Holdings", k=20,
                                                               mode=mode, rerank=False))
    client = connect(MilvusAddress.parse(f"{milvus}/papers"))
    assert client.query("papers", filter=f'text like "%{SECRET}%"', output_fields=["key"]) == []
    assert client.query("papers", filter='text like "%Library opening hours%"', output_fields=["key"])


def test_an_embedded_index_searched_through_milvus(built, milvus, embedder, tmp_path):
    """--backend on an index built without one: the passages are found by their content's keys."""
    index_dir, served, _ = built
    plain = tmp_path / "plain"
    shutil.copytree(index_dir, plain)
    (plain / "milvus-keys.json").unlink()
    manifest = json.loads((plain / "manifest.json").read_text())
    manifest["backend"] = manifest["collection"] = None
    (plain / "manifest.json").write_text(json.dumps(manifest))
    question = QUESTIONS[0]
    through = open_index(plain, embedder, backend=f"{milvus}/papers")
    assert [h.passage_id for h in through.search(question, k=3, mode="dense", rerank=False)] == \
        [h.passage_id for h in served.search(question, k=3, mode="dense", rerank=False)]


def test_the_load_test_searches_through_the_backend(built, tmp_path):
    from indexer.cli import main

    index_dir, _, _ = built
    for backend in ([], ["--backend", "local"]):   # the manifest's (Milvus), then the embedded index
        out = tmp_path / "load.json"
        assert main(["load", "--target", "api", "--clients", "2", "--seconds", "3", "--index", str(index_dir),
                     "--out", str(out), *backend]) == 0
        [result] = json.loads(out.read_text())
        assert result["requests"] > 0 and result["errors"] == 0, result
    assert main(["load", "--target", "app", "--index", str(index_dir), "--backend", "local"]) == 2


def test_a_rebuild_writes_only_what_changed(milvus, tmp_path, embedder):
    from indexer.backends.milvus_sync import MilvusAddress, connect

    corpus, index_dir, url = tmp_path / "papers", tmp_path / "index", f"{milvus}/incremental"
    make_pdf(corpus / "a.pdf", ["Minutes\nThe panel agreed the allotment rents for Wexcombe."])
    make_pdf(corpus / "b.pdf", ["Minutes\nThe panel noted the bus shelter repairs in Orlham."])
    make_pdf(corpus / "c.pdf", ["Minutes\nThe panel deferred the skate park in Brindle."])
    first = build_index(corpus, index_dir, embedder=embedder, backend=url)
    assert (first.backend_written, first.backend_removed) == (3, 0)

    (corpus / "b.pdf").unlink()
    make_pdf(corpus / "c.pdf", ["Minutes\nThe panel approved the skate park in Brindle after all."])
    make_pdf(corpus / "d.pdf", ["Minutes\nThe panel welcomed the new orchard at Tarnley."])
    second = build_index(corpus, index_dir, embedder=embedder)   # the manifest's backend is kept
    assert second.reused_files == 1 and second.embedded_files == 2
    assert (second.backend, second.backend_written, second.backend_removed) == (url, 2, 2)

    index = open_index(index_dir, embedder)
    found = lambda q: [h.doc_path for h in index.search(q, k=3, mode="keyword", rerank=False)]  # noqa: E731
    assert found("orchard Tarnley")[0] == "d.pdf" and found("allotment Wexcombe")[0] == "a.pdf"
    assert "b.pdf" not in found("bus shelter Orlham")
    assert "after all" in index.search("skate park Brindle", k=1, mode="keyword", rerank=False)[0].text
    client = connect(MilvusAddress.parse(url))
    rows = client.query("incremental", filter="ordinal >= 0", output_fields=["key"], limit=1000)
    assert len(rows) == index.info().chunks
    index.close()

    # A write cut short (the server gone before a document's first row) is written again whole.
    doc_key = client.query("incremental", filter="ordinal == 0", output_fields=["doc_key"], limit=1)[0]["doc_key"]
    client.delete("incremental", filter=f'key == "{doc_key}-0"')
    third = build_index(corpus, index_dir, embedder=embedder)
    assert (third.backend_written, third.backend_removed, third.embedded_files) == (1, 0, 0)
    assert len(client.query("incremental", filter="ordinal >= 0", output_fields=["key"], limit=1000)) == len(rows)


def test_quoted_phrases_and_references_rank_as_the_embedded_index_ranks_them(milvus, tmp_path, embedder):
    corpus, index_dir = tmp_path / "papers", tmp_path / "index"
    make_pdf(corpus / "a.pdf", ["Minutes\nThe committee approved planning application 24/00108 for the depot."])
    make_pdf(corpus / "b.pdf", ["Minutes\nItems 24, 24A and 24B were noted. Reference 00108 was closed; 00108 and "
                                "24 are not the same."])
    make_pdf(corpus / "c.pdf", ["Minutes\nThe bus shelter in Orlham needs repairs."])
    make_pdf(corpus / "d.pdf", ["Minutes\nRepairs to the shelter at the bus station: repairs, repairs and more "
                                "repairs to the bus shelter's neighbour."])
    make_pdf(corpus / "e.pdf", ["Minutes\nThe shelter for the bus drivers needs repairs, and the council's bus "
                                "needs repairs."])
    build_index(corpus, index_dir, embedder=embedder, backend=f"{milvus}/phrases")
    served, embedded = open_index(index_dir, embedder), open_index(index_dir, embedder, backend="local")
    found = lambda index, q: [h.doc_path for h in index.search(q, k=5, mode="keyword", rerank=False)]  # noqa: E731
    try:
        for question in ["24/00108", "application 24/00108", '"bus shelter" repairs', "the council's bus",
                         "shelter repairs"]:
            assert found(served, question) == found(embedded, question), question
        assert found(served, "24/00108") == ["a.pdf"]   # a phrase of its parts: b holds them apart
        assert set(found(served, '"bus shelter" repairs')) == {"c.pdf", "d.pdf"}   # e has no bus shelter
    finally:
        served.close()
        embedded.close()


def test_a_server_that_is_not_there_is_named_with_what_to_do(tmp_path, embedder, built):
    make_pdf(tmp_path / "papers" / "a.pdf", ["Minutes\nThe panel agreed the allotment rents."])
    url = f"milvus://127.0.0.1:{_free_port()}/papers"
    with pytest.raises(BackendUnavailable, match="milvus-lite server") as raised:
        build_index(tmp_path / "papers", tmp_path / "index", embedder=embedder, backend=url)
    assert url in str(raised.value)
    assert not (tmp_path / "index").exists() and not list(tmp_path.glob("index.building-*"))

    index_dir = built[0]
    result = subprocess.run([sys.executable, "-m", "indexer", "search", str(index_dir), "outbreak", "--backend", url],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1 and url in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["milvus://127.0.0.1", "http://127.0.0.1:19530", "milvus://127.0.0.1:19530/9lives"])
def test_a_backend_address_that_is_not_one(url):
    from indexer.backends.milvus_sync import MilvusAddress

    with pytest.raises(BadSetting, match="milvus://HOST:PORT"):
        MilvusAddress.parse(url)


def test_a_collection_of_an_older_layout_is_refused_by_search_and_written_again_by_a_build(milvus, tmp_path,
                                                                                          embedder):
    from indexer.backends.milvus_sync import LAYOUT, MilvusAddress, connect

    corpus, index_dir, url = tmp_path / "papers", tmp_path / "index", f"{milvus}/older"
    make_pdf(corpus / "a.pdf", ["Minutes\nThe panel agreed the allotment rents for Wexcombe."])
    build_index(corpus, index_dir, embedder=embedder, backend=url)
    client = connect(MilvusAddress.parse(url))
    client.alter_collection_properties("older", properties={"layout": str(LAYOUT - 1)})

    with pytest.raises(BackendUnavailable, match=f"layout {LAYOUT - 1}.*searches layout {LAYOUT}") as raised:
        open_index(index_dir, embedder)
    assert "python -m indexer build" in str(raised.value)

    again = build_index(corpus, index_dir, embedder=embedder)
    assert again.backend_written == 1 and client.describe_collection("older")["properties"]["layout"] == str(LAYOUT)
    index = open_index(index_dir, embedder)
    assert index.search("allotment Wexcombe", k=1, mode="keyword", rerank=False)[0].doc_path == "a.pdf"
    index.close()
