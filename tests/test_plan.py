"""The build's plumbing with a small deterministic embedder: staleness, planning, copies, model changes.

These tests load no language model; search quality is tested on the real one elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO, HashEmbedder, make_pdf

from indexer import IndexerError, build_index, open_index
from indexer.backends.manifest import Manifest
from indexer.index.copies import IDENTICAL, SAME_TEXT
from indexer.index.plan import index_status

MINUTES = "Cabinet\nMinutes of the meeting held on 1 March 2024\n\n3. Parks\nRESOLVED: That the parks plan be approved."
REPORT = "Scrutiny report on library opening hours. The libraries will open on Sundays from June."


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    make_pdf(folder / "cabinet" / "minutes-2024-03-01.pdf", [MINUTES])
    make_pdf(folder / "scrutiny" / "report-2022-06-01.pdf", [REPORT])
    return folder


def _status(corpus, index_dir, **options) -> str:
    return index_status(corpus, index_dir, model=HashEmbedder.name, **options)


def test_status_missing_current_stale_and_other_corpus(corpus, tmp_path, hash_embedder):
    index_dir = tmp_path / "index"
    assert _status(corpus, index_dir) == "missing"
    build_index(corpus, index_dir, embedder=hash_embedder)
    assert _status(corpus, index_dir) == "current"
    assert _status(corpus, index_dir, include_exempt=True) == "stale"
    assert index_status(corpus, index_dir) == "stale"  # another model asked for

    make_pdf(corpus / "scrutiny" / "report-2022-06-01.pdf", [REPORT + " Amended."])
    assert _status(corpus, index_dir) == "stale"  # a changed file
    build_index(corpus, index_dir, embedder=hash_embedder)
    assert _status(corpus, index_dir) == "current"
    (corpus / "scrutiny" / "report-2022-06-01.pdf").unlink()
    assert _status(corpus, index_dir) == "stale"  # a removed file

    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(corpus, elsewhere)
    assert _status(elsewhere, index_dir) == "other-corpus"


def test_an_edited_sidecar_in_a_subfolder_makes_the_index_stale(corpus, tmp_path, hash_embedder):
    index_dir = tmp_path / "index"
    sidecar = corpus / "cabinet" / "metadata.csv"
    sidecar.write_text("path,body\nminutes-2024-03-01.pdf,Cabinet\n")
    build_index(corpus, index_dir, embedder=hash_embedder)
    assert _status(corpus, index_dir) == "current"
    sidecar.write_text("path,body\nminutes-2024-03-01.pdf,Cabinet Member Decisions\n")
    assert _status(corpus, index_dir) == "stale"
    report = build_index(corpus, index_dir, embedder=hash_embedder)
    assert report.embedded_files == 1 and report.reused_files == 1  # only the file whose metadata changed
    assert _status(corpus, index_dir) == "current"
    assert set(open_index(index_dir, hash_embedder).info().bodies) == {"Cabinet Member Decisions", "Scrutiny"}
    sidecar.unlink()
    assert _status(corpus, index_dir) == "stale"


def test_if_stale_builds_only_when_something_changed(corpus, tmp_path, embedder):
    index_dir = tmp_path / "index"
    command = [sys.executable, "-m", "indexer", "build", str(corpus), "--index", str(index_dir), "--quiet",
               "--if-stale"]
    build_index(corpus, index_dir, embedder=embedder)  # the default model, as the command uses
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "is up to date with" in again.stdout
    (corpus / "cabinet" / "metadata.csv").write_text("path,body\nminutes-2024-03-01.pdf,Cabinet Member Decisions\n")
    changed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert changed.returncode == 0 and "Indexed 2 documents" in changed.stdout
    assert "(1 embedded, 1 unchanged, 0 removed)" in changed.stdout
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(corpus, elsewhere)
    other = subprocess.run([*command[:4], str(elsewhere), *command[5:]], cwd=REPO, capture_output=True, text=True,
                           timeout=300)
    assert other.returncode == 0 and "was built from another folder" in other.stdout


def test_an_unchanged_rebuild_reuses_every_file(corpus, tmp_path, hash_embedder):
    index_dir = tmp_path / "index"
    first = build_index(corpus, index_dir, embedder=hash_embedder)
    assert (first.embedded_files, first.reused_files) == (2, 0)
    before = open_index(index_dir, hash_embedder).search("parks plan", k=1, mode="keyword")[0]
    again = build_index(corpus, index_dir, embedder=hash_embedder)
    assert (again.embedded_files, again.reused_files, again.removed_files) == (0, 2, [])
    after = open_index(index_dir, hash_embedder).search("parks plan", k=1, mode="keyword")[0]
    assert (after.text, after.doc_path, after.pdf_page) == (before.text, before.doc_path, before.pdf_page)


def test_copies_are_found_by_bytes_and_by_words(corpus, tmp_path, hash_embedder):
    shutil.copy(corpus / "cabinet" / "minutes-2024-03-01.pdf", corpus / "cabinet" / "copy.pdf")
    make_pdf(corpus / "republished" / "minutes.pdf", [MINUTES], title="Re-published minutes")
    report = build_index(corpus, tmp_path / "index", embedder=hash_embedder)
    assert report.documents == 2
    assert sorted(report.copies) == [("cabinet/minutes-2024-03-01.pdf", "cabinet/copy.pdf", IDENTICAL),
                                     ("republished/minutes.pdf", "cabinet/copy.pdf", SAME_TEXT)]
    (corpus / "cabinet" / "copy.pdf").unlink()  # the indexed one goes: the next in order takes its place
    again = build_index(corpus, tmp_path / "index", embedder=hash_embedder)
    assert again.copies == [("republished/minutes.pdf", "cabinet/minutes-2024-03-01.pdf", SAME_TEXT)]
    assert again.reused_files == 1 and again.removed_files == ["cabinet/copy.pdf"]


def test_another_embedder_rebuilds_everything_and_the_manifest_names_it(corpus, tmp_path, hash_embedder):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder=hash_embedder)

    class OtherHash(HashEmbedder):
        name = "test-hash-64-other"

    report = build_index(corpus, index_dir, embedder=OtherHash())
    assert report.reused_files == 0 and report.embedded_files == 2
    assert "embedding model changed" in report.full_rebuild_reason
    assert Manifest.read(index_dir).model == OtherHash.name
    with pytest.raises(IndexerError, match="test-hash-64-other"):
        build_index(corpus, index_dir, model="all-MiniLM-L6-v2", embedder=OtherHash())


def test_the_writer_refuses_vectors_that_do_not_match_the_chunks(corpus, tmp_path, hash_embedder):
    import numpy as np

    from indexer.backends.folder import BuildWriter
    from indexer.papers.parse import parse_file

    doc = parse_file(corpus / "cabinet" / "minutes-2024-03-01.pdf", "cabinet/minutes-2024-03-01.pdf")
    writer = BuildWriter(tmp_path / "index", hash_embedder.dimension)
    try:
        with pytest.raises(IndexerError, match="cabinet/minutes-2024-03-01.pdf"):
            writer.add_document(doc, np.zeros((len(doc.chunks) + 1, hash_embedder.dimension), dtype="float32"))
    finally:
        writer.abandon()
