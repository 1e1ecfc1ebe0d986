"""A Milvus server killed while a build writes into it: the build stops naming the server and leaves the
previous index as it was; the next build, once the server is back on the same data, completes and leaves
the collection holding each passage of the corpus exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO, make_pdf
from test_milvus import _free_port, start_server, stop_server

from indexer import build_index, open_index
from indexer.backends.local import LocalBuild
from indexer.index.checkpoints import BACKEND_PART, HOLD_AT, HOLD_FLAG

COLLECTION = "resumed"


def _minutes(path, decision: str, item: str) -> None:
    """Minutes of a few passages: the decision on page 1, the item on page 2."""
    make_pdf(path, [f"Minutes\n{decision} " + "The ward members asked about the lighting and the fencing. " * 30,
                    f"Item 2\n{item} " + "Volunteers will plant apple and pear trees in the spring. " * 30])


def _rows(url: str) -> list[str]:
    """Every row's key in the collection, as often as Milvus holds it."""
    from indexer.backends.milvus_sync import MilvusAddress, connect, loaded

    address = MilvusAddress.parse(url)
    client = connect(address)
    try:
        loaded(client, address.collection)
        [counted] = client.query(address.collection, filter="", output_fields=["count(*)"])
        keys = sorted(row["key"] for row in client.query(address.collection, filter="ordinal >= 0",
                                                         output_fields=["key"], limit=16_384))
        assert counted["count(*)"] == len(keys)
        return keys
    finally:
        client.close()


def _expected(index_dir) -> list[str]:
    """The keys of the index's passages, each once: DOCKEY-N for a document's Nth passage."""
    from indexer.backends.milvus_sync import document_keys

    build = LocalBuild(index_dir)
    try:
        return sorted(f"{key}-{n}" for key, rows in document_keys(build.catalog, build.manifest.model)
                      for n in range(len(rows)))
    finally:
        build.close()


def test_a_server_killed_mid_build_stops_it_naming_the_server_and_the_next_build_completes(tmp_path, embedder):
    data, port = tmp_path / "milvus", _free_port()
    data.mkdir()
    url = f"milvus://127.0.0.1:{port}/{COLLECTION}"
    corpus, index_dir = tmp_path / "papers", tmp_path / "index"
    make_pdf(corpus / "a.pdf", ["Minutes\nThe panel agreed the allotment rents for Wexcombe."])
    make_pdf(corpus / "b.pdf", ["Minutes\nThe panel noted the bus shelter repairs in Orlham."])
    server = start_server(data, port)
    try:
        first = build_index(corpus, index_dir, embedder=embedder, backend=url)
        assert first.backend_written == 2
        before = _rows(url)

        # Two new papers, and a build held with their later rows written, their first rows not yet.
        _minutes(corpus / "c.pdf", "The panel deferred the skate park in Brindle.",
                 "The panel welcomed the new orchard at Tarnley.")
        _minutes(corpus / "d.pdf", "The committee approved the library refit in Ashford.",
                 "The committee noted the repairs to the Harlow footbridge.")
        flag = tmp_path / "held"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", HOLD_AT: BACKEND_PART, HOLD_FLAG: str(flag)}
        build = subprocess.Popen([sys.executable, "-m", "indexer", "build", str(corpus), "--index", str(index_dir),
                                  "--quiet"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        gives_up = time.monotonic() + 120
        while not flag.exists() and build.poll() is None and time.monotonic() < gives_up:
            time.sleep(0.05)
        if not flag.exists():
            build.kill()
            pytest.fail(f"the build never wrote into Milvus: {build.communicate()[1][-2000:]}")
        assert len(_rows(url)) > len(before)   # the new papers' later rows
        server.send_signal(signal.SIGKILL)
        server.wait()
        flag.unlink()   # the build goes on, to a server that is gone
        _, err = build.communicate(timeout=60)
        assert build.returncode == 1, err
        assert f"error: No Milvus server could be used at {url}" in err and "Traceback" not in err, err
        assert not list(tmp_path.glob("index.building-*"))
        previous = open_index(index_dir, embedder, backend="local")
        assert previous.info().documents == 2   # the previous index, untouched
        previous.close()

        # c.pdf changes before the next build: its rows from the build cut short belong to no document now.
        _minutes(corpus / "c.pdf", "The panel approved the skate park in Brindle after all.",
                 "The panel welcomed the new orchard at Tarnley.")
        server = start_server(data, port)   # the same data, at the same address
        again = build_index(corpus, index_dir, embedder=embedder)   # the manifest's backend
        assert again.backend == url and again.documents == 4
        assert (again.backend_written, again.backend_removed) == (2, 1)   # d.pdf whole, c.pdf anew; old c.pdf gone
        assert _rows(url) == _expected(index_dir)   # every passage once: none missing, none twice
        assert set(before) < set(_rows(url))

        stop_server(server)
        server = start_server(data, port)   # restarted again: search finds the collection released, and loads it
        index = open_index(index_dir, embedder)
        assert type(index.build).__name__ == "MilvusBuild"
        for question, path in [("orchard at Tarnley", "c.pdf"), ("library refit in Ashford", "d.pdf"),
                               ("allotment rents in Wexcombe", "a.pdf")]:
            assert index.search(question, k=1, mode="dense", rerank=False)[0].doc_path == path, question
        assert any("after all" in hit.text for hit in index.search("skate park Brindle", k=5, mode="dense",
                                                                   rerank=False))
        index.close()
    finally:
        stop_server(server)
