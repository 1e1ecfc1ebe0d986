"""An open index keeps answering while a rebuild runs, and moves to the new index when it lands."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from conftest import REPO, app_for, make_pdf, page_text

from indexer import build_index, open_index

ALLOTMENTS = ("Finance Committee\nMinutes of the meeting held on 3 March 2016\n\n4. Allotment rents\n"
              "RESOLVED: That allotment rents rise by five per cent from 1 October 2016.")
POOL = ("Leisure Committee\nMinutes of the meeting held on 6 June 2017\n\n3. Swimming pool\n"
        "RESOLVED: That the swimming pool at the leisure centre reopens on 1 September 2017.")


def test_searches_go_on_during_a_rebuild_and_move_to_the_new_index(tmp_path, embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    make_pdf(corpus / "finance-2016-03-03.pdf", [ALLOTMENTS])
    build_index(corpus, index_dir, embedder=embedder)
    index = open_index(index_dir, embedder)
    assert index.info().documents == 1

    make_pdf(corpus / "leisure-2017-06-06.pdf", [POOL])
    rebuild = subprocess.Popen([sys.executable, "-m", "indexer", "build", str(corpus), "--index", str(index_dir),
                                "--quiet"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    answered, errors = [], []

    def client() -> None:
        while rebuild.poll() is None:
            try:
                hits = index.search("allotment rents", k=2, rerank=False)
                assert hits[0].doc_path == "finance-2016-03-03.pdf" and "allotment" in hits[0].text
                answered.append(len(hits))
            except Exception as exc:  # noqa: BLE001 - every failure is a finding here
                errors.append(repr(exc))

    clients = [threading.Thread(target=client) for _ in range(3)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(timeout=600)
    assert rebuild.wait() == 0, rebuild.stderr.read()
    assert errors == [] and len(answered) > 10

    hit = index.search("When does the swimming pool reopen?", k=1)[0]
    assert hit.doc_path == "leisure-2017-06-06.pdf"
    assert index.info().documents == 2 and index.manifest.counts["documents"] == 2
    assert index.snippet("swimming", hit)  # a hit from the new index finds its passage there


def test_a_new_index_that_does_not_open_leaves_the_old_one_answering(tmp_path, embedder, caplog):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    make_pdf(corpus / "finance-2016-03-03.pdf", [ALLOTMENTS])
    build_index(corpus, index_dir, embedder=embedder)
    index = open_index(index_dir, embedder)
    manifest = json.loads((index_dir / "manifest.json").read_text())
    (index_dir / "manifest.json").unlink()
    (index_dir / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))
    assert index.search("allotment rents", k=1, rerank=False)[0].doc_path == "finance-2016-03-03.pdf"
    assert "kept the open index" in caplog.text


def test_the_app_moves_to_the_rebuilt_index(tmp_path, embedder, monkeypatch):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    make_pdf(corpus / "finance-2016-03-03.pdf", [ALLOTMENTS])
    build_index(corpus, index_dir, embedder=embedder)
    app = app_for(index_dir, monkeypatch, "When does the swimming pool reopen?").run()
    assert not app.exception and not any("1 September 2017" in box.value for box in app.success)

    make_pdf(corpus / "leisure-2017-06-06.pdf", [POOL])
    build_index(corpus, index_dir, embedder=embedder)
    app.run()
    assert not app.exception and "1 September 2017" in app.success[0].value
    app.switch_page("ui/coverage.py").run()
    assert "**2** documents" in page_text(app)


def test_a_new_build_that_fails_to_open_is_tried_again(tmp_path, embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    make_pdf(corpus / "finance-2016-03-03.pdf", [ALLOTMENTS])
    build_index(corpus, index_dir, embedder=embedder)
    index = open_index(index_dir, embedder)
    served = index.version
    make_pdf(corpus / "leisure-2017-06-06.pdf", [POOL])
    build_index(corpus, index_dir, embedder=embedder)
    vectors = (index_dir / "vectors.faiss").read_bytes()
    (index_dir / "vectors.faiss").write_bytes(b"half written")
    assert index.search("swimming pool", k=1, rerank=False)[0].doc_path == "finance-2016-03-03.pdf"
    assert index.version == served  # the build being served, not the one that did not open
    (index_dir / "vectors.faiss").write_bytes(vectors)
    assert index.search("swimming pool", k=1, rerank=False)[0].doc_path == "leisure-2017-06-06.pdf"
    assert index.version != served


def test_an_index_whose_vectors_do_not_open_leaves_no_database_open(tmp_path, embedder):
    import os

    import pytest

    from indexer import IndexCorrupt
    from indexer.backends.local import LocalBuild

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    make_pdf(corpus / "finance-2016-03-03.pdf", [ALLOTMENTS])
    build_index(corpus, index_dir, embedder=embedder)
    (index_dir / "vectors.faiss").write_bytes(b"not a faiss file")
    database = str((index_dir / "index.sqlite").resolve())
    with pytest.raises(IndexCorrupt) as caught:
        LocalBuild(index_dir)
    held = [fd for fd in os.listdir("/proc/self/fd") if os.path.realpath(f"/proc/self/fd/{fd}") == database]
    assert caught.value and not held
