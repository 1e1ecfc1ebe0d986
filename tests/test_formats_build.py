"""A corpus of every format builds into one index: page-true citations, the original file named,
each file that was not indexed listed with its reason, and nothing converted twice."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REALDATA, make_pdf, needs_realdata
from test_readers import needs_office, office_file

from indexer import build_index, open_index
from indexer.find.pageview import page_view
from indexer.index.copies import SAME_TEXT
from indexer.readers.office import program

MINUTES = ["Parks Committee\nMinutes of the meeting held on 4 March 2026\n\n1. Apologies\nNone were received.",
           "2. Play areas\nRESOLVED: That the play area at Mill Lane be resurfaced this summer."]


OPENING = " ".join(["The chair welcomed members and officers to the meeting of the committee."] * 20)


def office_that_hangs_on(folder: Path, marker: str) -> Path:
    """LibreOffice, except that a file holding `marker` makes it hang (as a damaged file can)."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f'#!/bin/sh\nfor last; do :; done\nif grep -q "{marker}" "$last"; then sleep 300; fi\n'
                      f'exec {program()} "$@"\n')
    script.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats") / "corpus"
    make_pdf(folder / "parks-minutes-2026-03-04.pdf", MINUTES)
    (folder / "parks-minutes-2026-03-04.txt").write_text("\f".join(MINUTES) + "\f")  # the same paper as text
    office_file(folder / "allotments", ".odt")
    (folder / "agenda.md").write_text("<!-- Page 1 -->\n# Finance Committee agenda, 9 March 2026\n\n"
                                      "1. Apologies\n\n" + OPENING + "\n<!-- Page 2 -->\n2. Fees and charges\n\nThe committee will consider "
                                      "the cemetery fees for burial plots and memorial benches.\n")
    (folder / "notes.html").write_text("<html><head><title>Village hall notes</title></head><body><h2>Heating</h2>"
                                       "<p>The village hall boiler will be replaced before the winter.</p></body></html>")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 this is not a Word file")
    (folder / "stuck.docx").write_bytes(b"PK\x03\x04 HANG-HERE")
    return folder


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    if program() is None:
        pytest.skip("LibreOffice is not installed (make office)")
    from conftest import HashEmbedder

    bin_dir = office_that_hangs_on(tmp_path_factory.mktemp("bin") / "bin", "HANG-HERE")
    path = os.environ["PATH"]
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{path}"
    try:
        index_dir = corpus.parent / "index"
        report = build_index(corpus, index_dir, embedder=HashEmbedder(), convert_timeout=20)
    finally:
        os.environ["PATH"] = path
    return index_dir, report


def hit_for(index, query: str):
    return index.search(query, k=1, mode="keyword")[0]


@needs_office
def test_every_format_is_indexed_and_the_rest_listed_with_reasons(built):
    _, report = built
    assert {name: (c.files, c.skipped) for name, c in report.formats.items()} == {
        "pdf": (1, 0), "odt": (1, 0), "md": (1, 0), "html": (1, 0), "png": (0, 1), "docx": (0, 2)}
    reasons = dict(report.skipped_files)
    assert "image" in reasons["photo.png"]
    assert "LibreOffice could not convert it" in reasons["broken.docx"]
    assert "took over 20 s and was stopped" in reasons["stuck.docx"]
    assert report.convert_seconds > 0
    assert ("parks-minutes-2026-03-04.txt", "parks-minutes-2026-03-04.pdf", SAME_TEXT) in report.copies


@needs_office
def test_citations_name_the_original_file_and_the_page(built, hash_embedder):
    index = open_index(built[0], hash_embedder)
    odt = hit_for(index, "allotments strategy")
    assert odt.doc_path == "allotments/minutes-2026-01-12.odt" and odt.location == "PDF pp. 1-2"  # a short paper
    md = hit_for(index, "cemetery fees burial plots")
    assert md.doc_path == "agenda.md" and md.location == "p. 2"
    html = hit_for(index, "village hall boiler")
    assert html.location == 'section "Heating"' and html.doc_title == "Village hall notes"
    info = index.info()
    assert info.formats["odt"] == (1, 2, info.formats["odt"][2], 0) and info.formats["docx"][3] == 2


@needs_office
def test_the_page_view_shows_the_converted_page_and_offers_the_original(built, hash_embedder):
    index = open_index(built[0], hash_embedder)
    odt = hit_for(index, "allotments strategy")
    view = page_view(index, odt.doc_path, 2)
    assert view.file.name == "minutes-2026-01-12.odt" and view.image_pdf.suffix == ".pdf"
    assert view.image_pdf.is_relative_to(built[0]) and "wordprocessing" in view.mime or "opendocument" in view.mime
    md = hit_for(index, "cemetery fees burial plots")
    text_view = page_view(index, md.doc_path, md.pdf_page)
    assert text_view.image_pdf is None
    before, inside, after, cut = text_view.marked(md.text)
    assert "cemetery fees" in inside and not cut


@needs_office
def test_a_rebuild_converts_nothing_again(built, corpus, tmp_path, hash_embedder):
    index_dir = built[0]
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    again = build_index(corpus, copy, embedder=hash_embedder, convert_timeout=20)
    assert again.convert_seconds == 0 and again.embedded_files == 0
    assert any((copy / "converted").iterdir())
    view = page_view(open_index(copy, hash_embedder), "allotments/minutes-2026-01-12.odt", 2)
    assert view.image_pdf.is_file() and view.image_pdf.is_relative_to(copy)


@needs_realdata
def test_the_same_minutes_as_pdf_and_as_text_are_one_document(tmp_path, hash_embedder):
    folder = tmp_path / "wye" / "minutes"
    folder.mkdir(parents=True)
    for suffix in (".pdf", ".txt"):
        shutil.copy(REALDATA / "gitforsteve__wyevalleycc" / "minutes" / f"20180924{suffix}", folder)
    shutil.copy(REALDATA / "gitforsteve__wyevalleycc" / "minutes" / "20181029.pdf", folder)  # another meeting
    report = build_index(tmp_path / "wye", tmp_path / "index", embedder=hash_embedder)
    assert report.documents == 2
    assert report.copies == [("minutes/20180924.txt", "minutes/20180924.pdf", SAME_TEXT)]
