"""Exempt and confidential papers: withheld by default, listed with their marking, included only on request."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, app_for, make_pdf

from indexer import build_index, open_index
from indexer.papers.exempt import marking

REPORT = "Report of the Director of Housing\nThe board is asked to approve the sale of the depot to Quoxley Holdings."
SECRET = "Quoxley"   # in the exempt reports only: the public agenda names the item, not the buyer


@pytest.mark.parametrize("head, expected", [
    ("NOT FOR PUBLICATION", "NOT FOR PUBLICATION"),
    ("This report contains exempt information within the meaning of paragraph 3 of Part 1 of Schedule 12A",
     "exempt information (paragraph 3)"),
    ("PART 2 - CONFIDENTIAL", "Part 2 / Part B - confidential"),
    ("Part B (exempt)", "Part 2 / Part B - confidential"),
    ("RESTRICTED", "RESTRICTED"),
    ("NOT FOR PUBLICATION by virtue of paragraphs 3 and 4", "NOT FOR PUBLICATION (paragraph 3 and 4)"),
])
def test_each_marking_withholds_the_page(head, expected):
    assert marking(f"{head}\n{REPORT}") == expected


@pytest.mark.parametrize("text", [
    f"[NOT PROTECTIVELY MARKED]\n{REPORT}",
    f"This report is PUBLIC\n{REPORT}",
    "Cabinet minutes\nRESOLVED that the press and public be excluded from the meeting for the following item "
    "as it involves the likely disclosure of exempt information as defined in paragraph 3 of Schedule 12A.",
    "Board minutes\n" + "The board heard about the libraries.\n" * 20
    + "It was agreed to split the meeting into Part A and Part B, with Part B described as a confidential session.",
    f"Restricted parking on Hill Street\n{REPORT}",
    REPORT,
])
def test_public_pages_are_not_withheld(text):
    assert marking(text) is None


@pytest.fixture
def exempt_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    make_pdf(corpus / "public-report.pdf", ["[NOT PROTECTIVELY MARKED]\nLibrary opening hours were extended in Ashford."])
    make_pdf(corpus / "confidential-report.pdf", [f"NOT FOR PUBLICATION\nparagraph 3\n{REPORT}", "Appendix: the valuation."])
    agenda = ("Housing Board - Agenda\n1 Apologies for absence\n2 Minutes of the previous meeting (Pages 3 - 4)\n"
              "3 Sale of a council depot (Pages 5 - 6)\n4 Any other business")
    make_pdf(corpus / "pack.pdf", [
        agenda, "Members: Councillor Green (Chair).",
        "Agenda Item No. 2\nMinutes of the meeting of 4 May 2021\nResolved: That the library report be noted.",
        "The clerk read the apologies received.",
        f"Agenda Item No. 3\nEXEMPT INFORMATION - paragraph 3 of Schedule 12A\n{REPORT}",
        "The valuation of the Quoxley offer is attached.",
    ], footer="Page {n}")
    return corpus


def test_marked_pages_and_items_are_withheld_and_listed(exempt_corpus, tmp_path, embedder):
    report = build_index(exempt_corpus, tmp_path / "index", embedder=embedder)
    withheld = {(path, page) for path, page, _ in report.withheld_pages}
    assert withheld == {("confidential-report.pdf", 1), ("confidential-report.pdf", 2), ("pack.pdf", 5), ("pack.pdf", 6)}
    index = open_index(tmp_path / "index", embedder)
    assert index.search(SECRET, k=5, mode="keyword") == []
    assert not any(SECRET in h.text for h in index.search("sale of the depot valuation", k=20))
    assert index.search("apologies", k=1, mode="keyword")[0].doc_path == "pack.pdf"  # the public items stay
    assert index.search("library opening hours Ashford", k=1)[0].doc_path == "public-report.pdf"
    assert SECRET.encode() not in (tmp_path / "index" / "index.sqlite").read_bytes()  # not stored at all
    info = index.info()
    assert ("pack.pdf", 5, "exempt information (paragraph 3)") in info.withheld_pages
    assert not info.include_exempt
    shown = subprocess.run([sys.executable, "-m", "indexer", "info", str(tmp_path / "index")],
                           capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert "Withheld as exempt or confidential: 4 pages" in shown and "pack.pdf: pages 5-6" in shown


def test_include_exempt_is_recorded_and_shown(exempt_corpus, tmp_path, embedder, monkeypatch):
    from indexer.backends.manifest import Manifest

    build_index(exempt_corpus, tmp_path / "index", embedder=embedder, include_exempt=True)
    assert Manifest.read(tmp_path / "index").include_exempt
    index = open_index(tmp_path / "index", embedder)
    assert any(h.doc_path == "confidential-report.pdf" for h in index.search(SECRET, k=5, mode="keyword"))
    info = index.info()
    assert info.include_exempt and info.exempt_included == 4 and info.withheld_pages == []
    app = app_for(tmp_path / "index", monkeypatch).run()
    assert not app.exception and "includes exempt material" in app.error[0].value
    # Building again without the flag withholds them again, from scratch.
    again = build_index(exempt_corpus, tmp_path / "index", embedder=embedder)
    assert again.full_rebuild_reason == "exempt material is now withheld" and len(again.withheld_pages) == 4
