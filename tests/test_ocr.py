"""Scanned pages: rendered by PDFium, read by Tesseract, and marked as read by OCR everywhere."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, SUFFOLK, app_for, make_pdf, needs_realdata, page_text

from indexer import build_index, open_index
from indexer.papers.layout import SCANNED, clean_pages
from indexer.readers import ocr
from indexer.readers.pdf import read_pdf

MINUTES = (
    "Parish Council\nMinutes of the meeting held on 9 May 2016\n\n"
    "7. Village hall\nThe clerk reported on the condition of the village hall roof.\n"
    "RESOLVED: That the council buys a defibrillator for the village hall at a cost of 1,450 pounds."
)


def make_scan(path, pages: list[str], tmp_path) -> None:
    """A PDF of page pictures only, as a scanner makes: the text is drawn, with no text layer."""
    import pypdfium2

    source = make_pdf(tmp_path / f"{path.stem}-typed.pdf", pages)
    document = pypdfium2.PdfDocument(str(source))
    pictures = [document[n].render(scale=150 / 72, grayscale=True).to_pil() for n in range(len(document))]
    document.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    pictures[0].save(path, "PDF", resolution=150, save_all=True, append_images=pictures[1:])


@pytest.fixture
def scanned_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    make_scan(corpus / "minutes-2016-05-09-scan.pdf", [MINUTES], tmp_path)
    make_pdf(corpus / "agenda-2016-06-13.pdf", [
        "Parish Council\nAgenda for the meeting on 13 June 2016\n\n1. Apologies for absence\n"
        "2. Footpaths and hedges: the clerk will report on the hedges along the school footpath.\n"
        "3. Planning applications received since the last meeting of the council."])
    return corpus


def test_a_scan_has_no_text_layer_until_ocr_reads_it(scanned_corpus):
    raw = read_pdf(scanned_corpus / "minutes-2016-05-09-scan.pdf")
    assert raw.pages[0].text.strip() == "" and clean_pages(raw)[0].status == SCANNED
    result = ocr.read_scanned_pages(raw, [1])
    page = result.document.pages[0]
    assert page.ocr and result.pages_read == 1 and result.seconds > 0
    assert "defibrillator" in page.text and "village hall" in page.text


def test_ocr_passages_are_searchable_and_marked(scanned_corpus, tmp_path, embedder):
    report = build_index(scanned_corpus, tmp_path / "index", embedder=embedder)
    assert (report.ocr_pages, report.scanned_pages, report.skipped_pages) == (1, 0, [])
    index = open_index(tmp_path / "index", embedder)
    top = index.search("Did the council buy a defibrillator?", k=2)
    assert top[0].doc_path == "minutes-2016-05-09-scan.pdf" and top[0].ocr
    assert [h.ocr for h in top if h.doc_path.startswith("agenda")] == [False] * (len(top) - 1)
    decisions = index.decisions("defibrillator")
    assert decisions and "defibrillator" in decisions[0].text and decisions[0].ocr
    info = index.info()
    assert info.ocr_pages == [("minutes-2016-05-09-scan.pdf", 1)] and info.ocr_engine.startswith("tesseract")

    done = subprocess.run([sys.executable, "-m", "indexer", "search", str(tmp_path / "index"), "defibrillator",
                           "--json", "-k", "1"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["ocr"] is True


def test_scans_left_unread_without_tesseract_are_read_when_it_arrives(scanned_corpus, tmp_path, embedder,
                                                                        monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "tesseract-not-installed")
    first = build_index(scanned_corpus, tmp_path / "index", embedder=embedder)
    assert first.ocr_pages == 0 and first.skipped_pages == [("minutes-2016-05-09-scan.pdf", 1, ocr.NO_ENGINE)]
    monkeypatch.undo()
    second = build_index(scanned_corpus, tmp_path / "index", embedder=embedder)
    assert (second.ocr_pages, second.skipped_pages, second.embedded_files, second.reused_files) == (1, [], 1, 1)


def test_the_app_marks_passages_read_by_ocr(scanned_corpus, tmp_path, embedder, monkeypatch):
    build_index(scanned_corpus, tmp_path / "index", embedder=embedder)
    app = app_for(tmp_path / "index", monkeypatch, "defibrillator for the village hall").run()
    assert not app.exception and "OCR: read from a scanned page" in page_text(app)


@needs_realdata
def test_a_real_scanned_page_is_read():
    """Suffolk Libraries' accounts to 31 March 2013: 33 scanned pages, no text layer. One page is read here."""
    raw = read_pdf(SUFFOLK / "suffolk-libraries-accounts-period-ended-31-march-2013.pdf")
    assert [p.status for p in clean_pages(raw)] == [SCANNED] * 33
    result = ocr.read_scanned_pages(raw, [6])
    assert [p.ocr for p in result.document.pages].count(True) == 1
    text = " ".join(result.document.pages[5].text.split())
    assert result.pages_read == 1
    assert "library services" in text and "Suffolk" in text
