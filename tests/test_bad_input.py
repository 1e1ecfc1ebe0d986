"""Bad files never stop a build: each is skipped with a reason, and nothing else is lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, make_pdf
from pypdf import PdfReader, PdfWriter

from indexer import UnreadableFile, build_index
from indexer.errors import NothingIndexed
from indexer.readers.pdf import read_pdf


def _good(folder):
    return make_pdf(folder / "good.pdf", ["The board resolved that the library budget be approved."])


def _encrypted(folder, password="secret"):
    plain = make_pdf(folder / "plain.tmp", ["Confidential minutes of the finance committee."])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    target = folder / "encrypted.pdf"
    with open(target, "wb") as handle:
        writer.write(handle)
    plain.unlink()
    return target


@pytest.fixture
def messy_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    _good(corpus)
    (corpus / "empty.pdf").write_bytes(b"")
    (corpus / "letter.pdf").write_text("Dear Sir, this is a Word document saved with the wrong name.")
    whole = make_pdf(tmp_path / "whole.pdf", ["A long report " * 200] * 3).read_bytes()
    (corpus / "truncated.pdf").write_bytes(whole[: len(whole) // 3])
    (corpus / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    _encrypted(corpus)
    make_pdf(corpus / "scanned.pdf", ["", ""], image_pages={1, 2})
    make_pdf(corpus / "partly-scanned.pdf", ["Minutes page one: the clerk read the apologies.", ""],
             image_pages={2})
    return corpus


@pytest.mark.parametrize("name, reason", [
    ("empty.pdf", "empty file"),
    ("letter.pdf", "not a PDF"),
    ("garbage.pdf", "corrupt or truncated"),
    ("encrypted.pdf", "encrypted"),
])
def test_each_unreadable_file_has_a_clear_reason(messy_corpus, name, reason):
    with pytest.raises(UnreadableFile) as caught:
        read_pdf(messy_corpus / name)
    assert reason in caught.value.reason
    assert name in str(caught.value)


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path):
    target = _encrypted(tmp_path, password="")
    pages = read_pdf(target).pages
    assert "finance committee" in pages[0].text


def test_build_skips_bad_files_and_names_scanned_pages(messy_corpus, tmp_path, embedder, monkeypatch):
    """Without Tesseract the build still runs and names the scanned pages it could not read."""
    from indexer.index import parsing as build_module
    from indexer.readers import ocr

    monkeypatch.setattr(ocr, "TESSERACT", "tesseract-not-installed")
    monkeypatch.setattr(build_module, "PARSE_PROCESS_FROM", 100)  # parse here, where Tesseract is hidden
    report = build_index(messy_corpus, tmp_path / "index", embedder=embedder)
    skipped = dict(report.skipped_files)
    assert {"empty.pdf", "letter.pdf", "garbage.pdf", "encrypted.pdf"} <= set(skipped)
    assert "corrupt or truncated" in skipped["truncated.pdf"]  # its cross-reference table is gone with its end
    scan = ocr.NO_ENGINE
    assert ("scanned.pdf", 1, scan) in report.skipped_pages and ("scanned.pdf", 2, scan) in report.skipped_pages
    assert ("partly-scanned.pdf", 2, scan) in report.skipped_pages
    assert report.scanned_pages == 3
    assert report.documents == 3  # good, partly scanned, and the scanned file kept for OCR
    assert report.skipped_files == sorted(report.skipped_files) and len(report.skipped_files) == 5


def test_cli_build_exit_codes_and_summary(messy_corpus, tmp_path):
    index_dir = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "build", str(messy_corpus), "--index", str(index_dir), "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Skipped files:" in done.stdout
    for name in ("empty.pdf", "letter.pdf", "garbage.pdf", "encrypted.pdf"):
        assert name in done.stdout
    assert "partly-scanned.pdf: pages 2" in done.stdout

    only_bad = tmp_path / "only_bad"
    only_bad.mkdir()
    (only_bad / "empty.pdf").write_bytes(b"")
    failed = subprocess.run(
        [sys.executable, "-m", "indexer", "build", str(only_bad), "--index", str(tmp_path / "i2"), "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert failed.returncode == 1
    assert "Nothing could be indexed" in failed.stderr
    assert not (tmp_path / "i2").exists()


def test_nothing_indexed_is_an_error(tmp_path, embedder):
    corpus = tmp_path / "c"
    make_pdf(corpus / "scan.pdf", [""], image_pages={1})
    with pytest.raises(NothingIndexed):
        build_index(corpus, tmp_path / "index", embedder=embedder)


def test_manifest_records_skipped_files(messy_corpus, tmp_path, embedder):
    build_index(messy_corpus, tmp_path / "index", embedder=embedder)
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert "empty.pdf" in manifest["skipped"]
    assert "good.pdf" in manifest["files"]


def test_parsing_in_a_second_process_gives_the_same_index(messy_corpus, tmp_path, embedder, monkeypatch):
    """With many files to parse, a second process parses ahead; reasons and pages come back the same."""
    from indexer import open_index
    from indexer.index import parsing as build_module

    here = build_index(messy_corpus, tmp_path / "here", embedder=embedder)
    monkeypatch.setattr(build_module, "PARSE_PROCESS_FROM", 1)
    monkeypatch.setattr(build_module, "PARSE_AHEAD", 2)
    there = build_index(messy_corpus, tmp_path / "there", embedder=embedder)
    assert there.skipped_files == here.skipped_files and there.skipped_pages == here.skipped_pages
    assert (there.documents, there.pages, there.chunks) == (here.documents, here.pages, here.chunks)
    assert there.parse_seconds > 0
    texts = lambda folder: [h.text for h in open_index(folder, embedder).search("apologies", k=3, mode="keyword")]  # noqa: E731
    assert texts(tmp_path / "there") == texts(tmp_path / "here")


def test_a_paper_the_parser_fails_on_is_skipped_with_the_error_and_the_rest_indexed(tmp_path, hash_embedder,
                                                                                    monkeypatch):
    from indexer.papers import parse

    corpus = tmp_path / "corpus"
    for name in ("good.pdf", "trips.pdf"):
        make_pdf(corpus / name, [f"Minutes. Resolved: that the {name} budget be approved."])
    real = parse.parse_file

    def tripping(path, rel, *args, **kwargs):   # a fault of the parser's own on one paper
        if rel == "trips.pdf":
            raise AttributeError("'NoneType' object has no attribute 'group'")
        return real(path, rel, *args, **kwargs)

    monkeypatch.setattr("indexer.index.parsing.parse_file", tripping)
    report = build_index(corpus, tmp_path / "index", embedder=hash_embedder)
    assert report.embedded_files == 1
    assert dict(report.skipped_files) == {
        "trips.pdf": "could not be parsed (AttributeError: 'NoneType' object has no attribute 'group')"}
