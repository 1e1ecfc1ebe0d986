"""build --ray: parsing and embedding through Ray Data on a local Ray instance (one for the module) give
the same index as a build without Ray, rebuild only what changed, and write into Milvus as well."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import REPO, make_pdf
from test_milvus import QUESTIONS, _free_port, milvus  # noqa: F401  (milvus: the milvus-lite server fixture)

from indexer import build_index, open_index
from indexer.backends.local import LocalBuild


@pytest.fixture(scope="module")
def ray_cluster():
    """A Ray instance on this machine for the module's builds, which use it rather than start their own."""
    with ExitStack() as stack:
        try:
            from indexer.index.ray_build import ray_session

            stack.enter_context(ray_session())
        except Exception as exc:   # noqa: BLE001  any reason Ray cannot start here is a reason to skip
            pytest.skip(f"Ray cannot start on this machine: {type(exc).__name__}: {exc}")
        yield


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The demo pack and two generated papers, one of them unreadable."""
    folder = tmp_path_factory.mktemp("papers")
    shutil.copytree(REPO / "corpus", folder / "wolverhampton")
    make_pdf(folder / "housing_board" / "2024-03-05-minutes.pdf",
             ["Minutes\nThe board agreed to extend library opening hours in Ashford.",
              "Item 4 Allotments\nThe board approved the allotment rents for Wexcombe."])
    make_pdf(folder / "housing_board" / "report.pdf", ["Report\nThe depot sale to Harlow Holdings was deferred."])
    (folder / "housing_board" / "broken.pdf").write_bytes(b"%PDF-1.4 not really a PDF")
    return folder


@pytest.fixture(scope="module")
def plain(corpus, tmp_path_factory, embedder):
    index_dir = tmp_path_factory.mktemp("plain") / "index"
    build_index(corpus, index_dir, embedder=embedder)
    return index_dir


def _passages(index_dir):
    build = LocalBuild(index_dir)
    try:
        return [(r["id"], r["path"], r["pdf_page"], r["pdf_page_end"], r["item"], r["text"], r["context"])
                for r in build.catalog.passage_rows()]
    finally:
        build.close()


def test_a_build_through_ray_is_the_build_without_it(ray_cluster, corpus, plain, tmp_path, embedder):
    told = []
    report = build_index(corpus, tmp_path / "index", embedder=embedder, ray="auto", progress=told.append)
    assert _passages(tmp_path / "index") == _passages(plain)
    assert report.skipped_files == [("housing_board/broken.pdf", report.skipped_files[0][1])]
    assert told[-1].files_done == told[-1].files_total == 4 and told[-1].embedded == report.chunks
    through, without = open_index(tmp_path / "index", embedder), open_index(plain, embedder)
    for question in QUESTIONS + ["allotment rents in Wexcombe"]:
        assert [h.passage_id for h in through.search(question, k=5)] == \
            [h.passage_id for h in without.search(question, k=5)], question
    through.close()
    without.close()


def test_a_rebuild_through_ray_embeds_only_the_changed_file(ray_cluster, tmp_path, embedder):
    corpus, index_dir = tmp_path / "papers", tmp_path / "index"
    make_pdf(corpus / "a.pdf", ["Minutes\nThe panel agreed the allotment rents for Wexcombe."])
    make_pdf(corpus / "b.pdf", ["Minutes\nThe panel noted the bus shelter repairs in Orlham."])
    make_pdf(corpus / "c.pdf", ["Minutes\nThe panel deferred the skate park in Brindle."])
    assert build_index(corpus, index_dir, embedder=embedder, ray="auto").embedded_files == 3

    make_pdf(corpus / "c.pdf", ["Minutes\nThe panel approved the skate park in Brindle after all.",
                                "Item 2\nThe panel welcomed the new orchard at Tarnley."])
    told = []
    second = build_index(corpus, index_dir, embedder=embedder, ray="auto", progress=told.append)
    assert (second.embedded_files, second.reused_files) == (1, 2)
    passages = _passages(index_dir)
    assert told[-1].embedded == len([p for p in passages if p[1] == "c.pdf"]) < len(passages)
    index = open_index(index_dir, embedder)
    assert index.search("orchard Tarnley", k=1, mode="keyword", rerank=False)[0].doc_path == "c.pdf"
    assert "after all" in index.search("skate park Brindle", k=1, mode="keyword", rerank=False)[0].text
    index.close()


def test_a_build_through_ray_into_milvus_answers_as_the_embedded_index(ray_cluster, milvus, corpus,  # noqa: F811
                                                                       plain, tmp_path, embedder):
    report = build_index(corpus, tmp_path / "index", embedder=embedder, ray="auto", backend=f"{milvus}/ray")
    assert report.backend == f"{milvus}/ray" and report.backend_written == report.documents
    served, embedded = open_index(tmp_path / "index", embedder), open_index(plain, embedder)
    assert type(served.build).__name__ == "MilvusBuild"
    for question in QUESTIONS:
        assert served.search(question, k=1)[0].passage_id == embedded.search(question, k=1)[0].passage_id, question
    served.close()
    embedded.close()


def test_a_ray_cluster_that_is_not_there_is_named(tmp_path):
    make_pdf(tmp_path / "papers" / "a.pdf", ["Minutes\nThe panel agreed the allotment rents."])
    address = f"127.0.0.1:{_free_port()}"
    result = subprocess.run([sys.executable, "-m", "indexer", "build", str(tmp_path / "papers"), "--index",
                             str(tmp_path / "index"), "--ray", address, "--quiet"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"No Ray cluster could be joined at {address}" in result.stderr and "ray start --head" in result.stderr
    assert not (tmp_path / "index").exists()


def test_a_cluster_asking_for_a_token_is_named_with_the_fix(tmp_path):
    """Ray 2.60 turns token authentication on for a head started where a token is kept, and a build joining it by
    address sends none unless told to: the build says so, rather than that no cluster is there."""
    make_pdf(tmp_path / "papers" / "a.pdf", ["Minutes\nThe panel agreed the allotment rents."])
    port, temp = _free_port(), tempfile.mkdtemp(prefix="rt", dir="/tmp")   # short: Ray's socket paths must fit
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_AUTH")}
    head = subprocess.Popen([str(Path(sys.executable).parent / "ray"), "start", "--head", f"--port={port}",
                             "--num-cpus=1", "--include-dashboard=false", f"--temp-dir={temp}", "--block"],
                            env={**env, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": "ab" * 16,
                                 "RAY_USAGE_STATS_ENABLED": "0"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if head.poll() is not None or time.monotonic() > deadline:
                    pytest.skip("a Ray head cannot start on this machine")
                time.sleep(0.5)
        result = subprocess.run([sys.executable, "-m", "indexer", "build", str(tmp_path / "papers"), "--index",
                                 str(tmp_path / "index"), "--ray", f"127.0.0.1:{port}", "--quiet"],
                                capture_output=True, text=True, cwd=REPO, timeout=180, env=env)
    finally:
        head.send_signal(signal.SIGINT)   # --block: its processes are stopped as it exits
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()
        shutil.rmtree(temp, ignore_errors=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "asks for the cluster's authentication token" in result.stderr and "RAY_AUTH_MODE=token" in result.stderr
    assert not (tmp_path / "index").exists()


def test_conversions_go_to_ray_as_absolute_folders(tmp_path, monkeypatch):
    from indexer.index.ray_build import absolute
    from indexer.readers.office import Conversions

    monkeypatch.chdir(tmp_path)
    shipped = absolute(Conversions(Path("idx.building-1/converted"), [Path("idx/converted")], 30))
    assert (shipped.folder, shipped.earlier, shipped.timeout) == \
        (tmp_path / "idx.building-1" / "converted", [tmp_path / "idx" / "converted"], 30)


def test_a_build_without_ray_never_imports_it(tmp_path):
    make_pdf(tmp_path / "papers" / "a.pdf", ["Minutes\nThe panel agreed the allotment rents."])
    script = textwrap.dedent(f"""
        import sys
        from indexer import build_index
        from indexer.cli import main
        build_index({str(tmp_path / 'papers')!r}, {str(tmp_path / 'index')!r})
        print(sorted(m for m in sys.modules if m == "ray" or m.startswith("ray.")))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
