"""Printed page labels, running headers/footers and hyphenation, on small generated PDFs."""

from __future__ import annotations

from conftest import make_pdf
from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from indexer.papers.layout import BLANK, TEXT, _shape, clean_pages
from indexer.readers.pdf import read_pdf


def _pages(path):
    return clean_pages(read_pdf(path))


def test_pack_stamps_start_after_the_front_sheet(tmp_path):
    """Front sheet pages carry no stamp; the third PDF page prints 'Page 1'."""
    texts = ["Agenda front sheet", "Agenda continued"] + [f"Report text on sheet {n}." for n in range(1, 5)]
    path = make_pdf(tmp_path / "pack.pdf", texts[:2])
    stamped = make_pdf(tmp_path / "body.pdf", texts[2:], footer="Page {n}")
    writer = PdfWriter()
    for source in (path, stamped):
        for page in PdfReader(source).pages:
            writer.add_page(page)
    with open(tmp_path / "joined.pdf", "wb") as handle:
        writer.write(handle)

    pages = _pages(tmp_path / "joined.pdf")
    assert [p.pdf_page for p in pages] == [1, 2, 3, 4, 5, 6]
    assert [p.page_label for p in pages] == [None, None, "1", "2", "3", "4"]
    assert all("Page" not in p.text for p in pages), "the stamp is not passage text"


def test_bare_numbers_are_labels_only_when_they_agree(tmp_path):
    pages = _pages(make_pdf(tmp_path / "minutes.pdf", [
        "Minutes of the board.\nTotal spend was\n42",   # a figure, not a page number: no neighbour agrees
        "Second page of the minutes.\n2",
        "Third page of the minutes.\n3",
    ]))
    assert [p.page_label for p in pages] == [None, "2", "3"]
    assert "42" in pages[0].text


def test_other_stamp_forms(tmp_path):
    pages = _pages(make_pdf(tmp_path / "report.pdf", ["One.", "Two.", "Three."], footer="Page {n} of 3"))
    assert [p.page_label for p in pages] == ["1", "2", "3"]
    pages = _pages(make_pdf(tmp_path / "dash.pdf", ["One.", "Two.", "Three."], footer="- {n} -"))
    assert [p.page_label for p in pages] == ["1", "2", "3"]


def test_pdf_page_labels_are_used_when_nothing_is_printed(tmp_path):
    source = make_pdf(tmp_path / "plain.pdf", ["Cover", "Contents", "Body one", "Body two"])
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.set_page_label(0, 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(2, 3, style=PageLabelStyle.DECIMAL, start=1)
    with open(tmp_path / "labelled.pdf", "wb") as handle:
        writer.write(handle)
    assert [p.page_label for p in _pages(tmp_path / "labelled.pdf")] == ["i", "ii", "1", "2"]


def test_repeated_header_and_footer_lines_are_removed(tmp_path):
    office = "Registered office: Endeavour House, 8 Russell Road, Ipswich IP1 2BX"
    texts = [f"Suffolk Libraries IPS\nMinute {n}: the board discussed item {n}.\n{office}" for n in range(1, 6)]
    pages = _pages(make_pdf(tmp_path / "suffolk.pdf", texts))
    for n, page in enumerate(pages, start=1):
        assert office not in page.text
        assert "Suffolk Libraries IPS" not in page.text
        assert f"the board discussed item {n}." in page.text


def test_a_header_printed_with_different_marks_between_its_parts_is_one_header(tmp_path):
    """Papers converted from PDF print one running header as 'District · Board', 'District - Board' and
    'District Board' on different pages: each alone is on too few pages to be seen as a header."""
    heads = ["Los Rios Community College District \u00b7 Board of Trustees Meeting Minutes",
             "Los Rios Community College District - Board of Trustees Meeting Minutes",
             "Los Rios Community College District Board of Trustees Meeting Minutes"]
    texts = [f"{heads[n % 3]}\nA motion was made by Trustee {n} that the Board approve item {n}." for n in range(6)]
    pages = _pages(make_pdf(tmp_path / "minutes.pdf", texts))
    for n, page in enumerate(pages):
        assert "Community College District" not in page.text
        assert f"approve item {n}." in page.text
    # a list mark is not a separator: '• None' on every page is not the same line as 'None.'
    assert _shape("• None") != _shape("None.") and _shape("A - B") == _shape("A • B") == _shape("a b")


def test_blank_pages_are_counted_not_indexed(tmp_path):
    pages = _pages(make_pdf(tmp_path / "p.pdf", ["Real text on the first page.",
                                                   "This page is intentionally left blank"], footer="Page {n}"))
    assert [p.status for p in pages] == [TEXT, BLANK]
    assert pages[1].page_label == "2" and pages[1].text == ""


def test_line_end_hyphenation(tmp_path):
    text = ("The council will imple-\nment the plan and the anti-\nslavery partnership will report.\n"
            "A decision-\nmaking board will implement it.")
    page = _pages(make_pdf(tmp_path / "h.pdf", [text]))[0]
    assert "implement the plan" in page.text, "joined: the document writes 'implement' elsewhere"
    assert "anti-slavery partnership" in page.text
    assert "decision-making board" in page.text, "a compound split at the line end keeps its hyphen"


def test_numbers_glued_to_footers(tmp_path):
    office = "Registered Office: County Library, Northgate Street, Ipswich"
    texts = [f"{office}\n31542R {n}\nMinute {n}: the board met and agreed the budget item {n}." for n in range(1, 4)]
    pages = _pages(make_pdf(tmp_path / "suffolk.pdf", texts))
    assert [p.page_label for p in pages] == ["1", "2", "3"]
    assert all("31542R" not in p.text and office not in p.text for p in pages)
