"""Integration: the demo pack plus real Kent County Council PDFs, indexed and searched for real.

Skipped when ../shared/realdata is absent.
"""

from __future__ import annotations

import os

import pytest
from conftest import KENT, REPO, needs_realdata

from indexer import build_index, open_index

pytestmark = needs_realdata

KENT_FILES = [
    "cabinet/2025-01-30/originals/Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf",
    "cabinet/2025-01-30/public_packs/Item 7 - Supplementary - 2400109 - Transfer the 18-25 section "
    "of the Strengthening Independence Ser.pdf",
]


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory, embedder):
    corpus = tmp_path_factory.mktemp("mixed") / "corpus"
    (corpus / "kent_county_council").mkdir(parents=True)
    os.symlink(REPO / "corpus", corpus / "demo")
    for rel in KENT_FILES:
        target = corpus / "kent_county_council" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(KENT / rel, target)
    report = build_index(corpus, corpus.parent / "index", embedder=embedder)
    assert report.skipped_files == []
    return open_index(corpus.parent / "index", embedder)


def _find(hits, needle):
    needle = " ".join(needle.lower().split())
    return next((h for h in hits if needle in " ".join(h.text.lower().split())), None)


@pytest.mark.parametrize("question, needle, doc, pdf_page, label, item", [
    ("How many people were placed into accommodation during Everyone In?", "60 people had been placed",
     "demo/hwt-2020-10-21-public-reports-pack.pdf", 10, "10", "4. Minutes of the previous meeting"),
    ("What proportion of Redwings residents went into treatment services?", "supported into treatment services",
     "demo/hwt-2020-10-21-public-reports-pack.pdf", 19, "19",
     "9. City of Wolverhampton Council – Homeless Services Provision"),
    ("Were the minutes of the 9 January meeting approved by Cabinet?", "were a correct record",
     "kent_county_council/" + KENT_FILES[0], 1, "1", "86. Minutes of the Meeting held on 9th January 2025 (item 3)"),
])
def test_known_questions_cite_the_right_page(  # short slides may share a chunk: the range must hold the page
mixed_index, question, needle, doc, pdf_page, label, item):
    hit = _find(mixed_index.search(question, k=5), needle)
    assert hit is not None, f"{needle!r} not in the top 5"
    assert (hit.doc_path, hit.item) == (doc, item)
    assert hit.pdf_page <= pdf_page <= hit.pdf_page_end, "the cited page range holds the answer"
    if hit.pdf_page == pdf_page:
        assert hit.page_label == label


def test_pack_pages_cite_the_printed_page_not_the_pdf_page(mixed_index):
    """In this supplement pack the printed 'Page 1' is PDF page 3; the item comes from the agenda."""
    hit = _find(mixed_index.search("How many young adults were the 18-25 Strengthening Independence Service "
                                   "working with?", k=5), "working with 925 young adults")
    assert hit is not None
    assert hit.doc_path == "kent_county_council/" + KENT_FILES[1]
    assert hit.pdf_page in (4, 5) and hit.page_label == str(hit.pdf_page - 2)
    assert hit.item.startswith("7. 24/00109 - Transfer the 18-25 section")
    assert hit.doc_type == "reports pack" and hit.meeting_date == "2025-01-30"
    assert hit.body == "Kent County Council - Cabinet"


def test_filters_on_real_metadata(mixed_index):
    hits = mixed_index.search("homelessness", k=5, body="Kent County Council")
    assert hits and all(h.body.startswith("Kent County Council") for h in hits)
    hits = mixed_index.search("homelessness", k=5, date_to="2021-01-01")
    assert hits and all(h.meeting_date in ("2020-10-21", "2020-07-08") for h in hits)  # the pack, its July minutes
