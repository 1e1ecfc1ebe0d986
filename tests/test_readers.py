"""Every format a council publishes becomes the same pages: office files through LibreOffice,
text, Markdown and HTML with the page breaks they mark. Known sentences on known pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import REALDATA, make_pdf, needs_realdata

from indexer.errors import UnreadableFile
from indexer.papers.layout import clean_pages
from indexer.papers.parse import parse_file
from indexer.readers import find_files, read_file
from indexer.readers.office import Conversions, convert_to_pdf, program

needs_office = pytest.mark.skipif(program() is None, reason="LibreOffice is not installed (make office)")

GOVUK = REALDATA / "datagovuk__library-archive"
LIMERICK = REALDATA / "FarronF__limerick-council-meetings" / "meetings"
FOCS = REALDATA / "ccorcos__focs" / "docs"
WYE = REALDATA / "gitforsteve__wyevalleycc"

PAGE_TWO = "The board resolved to adopt the allotments strategy for 2026."
# How LibreOffice is told to write each format when the test makes it from HTML.
WRITER_FILTERS = {".odt": "odt:writer8", ".docx": 'docx:MS Word 2007 XML', ".doc": "doc:MS Word 97",
                  ".rtf": "rtf:Rich Text Format"}


def office_file(folder: Path, suffix: str) -> Path:
    """A two-page document made by LibreOffice itself, PAGE_TWO on its second page."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "minutes-2026-01-12.html"
    source.write_text("<html><body><h1>Allotments Committee minutes</h1><p>Apologies were received from two members."
                      f"</p><p style='page-break-before: always'>{PAGE_TWO}</p></body></html>")
    subprocess.run([program(), "--headless", "--convert-to", WRITER_FILTERS[suffix], "--outdir", str(folder),
                    str(source)], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(folder)})
    source.unlink()
    return folder / f"minutes-2026-01-12{suffix}"


def page_of(raw, sentence: str) -> list[int]:
    words = " ".join(sentence.split()).casefold()
    return [p.pdf_page for p in clean_pages(raw) if words in " ".join(p.text.split()).casefold()]


# --- office files

@needs_office
@pytest.mark.parametrize("suffix", list(WRITER_FILTERS))
def test_an_office_file_made_by_libreoffice_is_read_page_by_page(tmp_path, suffix):
    path = office_file(tmp_path / "made", suffix)
    conversions = Conversions(tmp_path / "converted")
    raw = read_file(path, conversions)
    assert raw.unit == "pdf" and raw.path == path and len(raw.pages) == 2
    assert page_of(raw, PAGE_TWO) == [2]
    assert raw.pdf_path.parent == tmp_path / "converted" and raw.pdf_path.name == f"{raw.sha256}.pdf"
    assert raw.convert_seconds > 0
    again = read_file(path, conversions)  # the same content is never converted twice
    assert again.convert_seconds == 0 and again.pdf_path == raw.pdf_path


@needs_office
def test_a_spreadsheet_and_a_slide_deck_are_read(tmp_path):
    table = tmp_path / "budget-2026.csv"
    table.write_text("Heading,Budget 2026\nLibraries,125000\nParks and open spaces,98000\n")
    subprocess.run([program(), "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(table)],
                   check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    for suffix in ("xlsx", "xls", "ods"):
        if suffix != "xlsx":
            subprocess.run([program(), "--headless", "--convert-to", suffix, "--outdir", str(tmp_path), str(table)],
                           check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
        raw = read_file(tmp_path / f"budget-2026.{suffix}")
        assert "Parks and open spaces" in raw.pages[0].text and "98000" in raw.pages[0].text, suffix


@needs_office
@needs_realdata
def test_a_powerpoint_deck_in_the_newer_format_is_read(tmp_path):
    deck = GOVUK / "files" / "LGInform Presentation - 20120117 - Local Public Data Panel.ppt"
    subprocess.run([program(), "--headless", "--convert-to", "pptx", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    raw = read_file(tmp_path / (deck.stem + ".pptx"))
    assert len(raw.pages) == 9 and 1 in page_of(raw, "LG Inform")


@needs_office
@needs_realdata
@pytest.mark.parametrize("name, sentence, page", [
    ("LGInform Presentation - 20120117 - Local Public Data Panel.ppt", "LG Inform", 1),
    ("20140929 ODUG minutes final.odt", "Minutes of the 27th ODUG meeting", 1),
    ("20140513 ODUG Meeting minutes.docx", "The Release of Data Fund process is progressing well", 2),
    ("Local Public Data Panel_5 Dec 2012 Meeting_ELGIN saves money.ods", "Call centre reduction", 1),
    ("Local Public Data Panel_5 Dec 2012 Meeting_Transparency Code Consultation.odp", "Transparency", 1),
])
def test_real_office_papers_from_realdata(tmp_path, name, sentence, page):
    raw = read_file(GOVUK / "files" / name, Conversions(tmp_path))
    assert page in page_of(raw, sentence)


@needs_office
def test_a_corrupt_docx_says_why_it_was_not_read(tmp_path):
    broken = tmp_path / "report.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>cut off")
    with pytest.raises(UnreadableFile) as caught:
        read_file(broken, Conversions(tmp_path / "converted"))
    assert "report.docx" in str(caught.value) and caught.value.reason


def hanging_office(folder: Path) -> Path:
    """A LibreOffice that never finishes (it starts a child that hangs too), first on PATH."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text("#!/bin/sh\nsleep 300 &\necho $! > \"$HOME/child.pid\"\nsleep 300\n")
    script.chmod(0o755)
    return folder


def test_a_hung_conversion_is_stopped_at_the_limit(tmp_path, monkeypatch):
    bin_dir = hanging_office(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    paper = tmp_path / "slow.docx"
    paper.write_bytes(b"PK\x03\x04 not really")
    started = time.monotonic()
    with pytest.raises(UnreadableFile) as caught:
        convert_to_pdf(paper, tmp_path / "out", timeout=2)
    assert time.monotonic() - started < 30
    assert "took over 2 s and was stopped" in caught.value.reason
    assert subprocess.run(["pgrep", "-f", str(bin_dir / "soffice")], capture_output=True).returncode == 1


# --- text, Markdown and HTML

def test_form_feeds_make_pages(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the meeting\nApologies were noted.\f" + PAGE_TWO + "\n\f")
    raw = read_file(path)
    assert raw.unit == "page" and len(raw.pages) == 2 and page_of(raw, PAGE_TWO) == [2]


def test_page_comments_give_the_page(tmp_path):
    path = tmp_path / "minutes.md"
    path.write_text("<!-- Page 1 -->\n# Board minutes\n\n---\n\nApologies.\n<!-- Page 2 -->\n" + PAGE_TWO + "\n")
    raw = read_file(path)
    assert raw.unit == "page" and len(raw.pages) == 2 and page_of(raw, PAGE_TWO) == [2]
    assert "---" not in raw.pages[0].text  # a rule inside a page is not a page break here


def test_dashed_page_turns_with_numbers_and_scan_notes(tmp_path):
    path = tmp_path / "agenda.md"
    path.write_text("[Original file](https://example.org/agenda.pdf)\n\n---\n**Agenda** for the meeting of the council.\n"
                    "1. Confirmation of minutes of the previous meeting\n---\n2\n\n" + PAGE_TWO + "\n---\n"
                    "*<small>Scanned page, text may contain errors. See original file for clarity</small>*  \n\n"
                    "Report of the Director of Services on housing allocations.\n---\n")
    raw = read_file(path)
    assert raw.unit == "page" and len(raw.pages) == 3
    assert "Original file" in raw.pages[0].text  # the link before the first page turn belongs to page 1
    assert page_of(raw, PAGE_TWO) == [2]
    assert raw.pages[2].ocr and not raw.pages[1].ocr and "Scanned page" not in raw.pages[2].text
    assert clean_pages(raw)[1].page_label == "2"


def test_a_markdown_rule_between_sections_is_not_a_page_turn(tmp_path):
    path = tmp_path / "strategy.md"
    path.write_text("# Strategy\n\nOur aims for the years ahead.\n\n---\n\n## Housing\n\n" + PAGE_TWO + "\n")
    raw = read_file(path)
    assert raw.unit == "section" and len(raw.pages) == 1


def test_html_inside_text_is_decoded_and_lists_keep_their_numbers(tmp_path):
    path = tmp_path / "20200928.txt"
    path.write_text("<p>2943.Police Report<br />Grant of &pound;350 agreed.</p><ol start=\"2944\"><li>Apologies"
                    "</li><li>Declarations of interest</li></ol>")
    text = read_file(path).pages[0].text
    assert "Grant of £350 agreed." in text and "&pound;" not in text and "<br" not in text
    assert "2945. Declarations of interest" in text.splitlines()


def test_front_matter_gives_the_title_and_the_meeting_date_comes_from_the_title(tmp_path):
    path = tmp_path / "_posts" / "2017-01-01-agenda-transparency-board-22052012.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: Agenda TRANSPARENCY BOARD 22/05/2012\ncreated: 5/7/2012\nlayout: post\n---\n\n"
                    "<p>Agenda for the TRANSPARENCY BOARD meeting  22/05/2012</p>\n\n1. Minutes of the last meeting\n")
    doc = parse_file(path, "_posts/" + path.name)
    assert doc.meta.title == "Agenda TRANSPARENCY BOARD 22/05/2012"
    assert doc.meta.meeting_date == "2012-05-22"  # not the day it was posted (2017-01-01)
    assert doc.meta.doc_type == "agenda" and doc.unit == "section"


def test_a_web_post_whose_text_names_no_body_is_of_the_body_its_title_opens_with(tmp_path):
    path = tmp_path / "_posts" / "2017-01-01-minutes-open-data-user-group-meeting-14-11-2014.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: Minutes&#58; Open Data User Group meeting 14.11.2014\nlayout: post\n---\n\n"
                    "Attendees: the chair and six members.\n\n1. Data requests\nThe backlog was reviewed.\n")
    doc = parse_file(path, "_posts/" + path.name)
    assert doc.meta.title == "Minutes: Open Data User Group meeting 14.11.2014"   # the reference read
    assert doc.meta.body == "Open Data User Group"
    path.write_text("---\ntitle: Business case&#58; Open Data User Group release of stolen vehicle data\n---\n\n"
                    "The case for releasing the data.\n")
    assert parse_file(path, "_posts/" + path.name).meta.body is None   # about the group, not of it


def test_a_heading_drawn_as_a_picture_in_markdown_is_read_from_its_description(tmp_path):
    path = tmp_path / "20200812-bot-minutes.md"
    path.write_text("<!-- Page 1 -->\n![LOS RIOS COMMUNITY COLLEGE DISTRICT Board Meeting Minutes Wednesday, August 12, 2020]"
                    "(https://example.org/heading.png)\n\nThis board meeting was held via Zoom Conference in accordance "
                    "with Executive Orders issued by the Governor.\n\n![logo](logo.png) ![](line.png)\n\n1. CALL TO ORDER\n")
    doc = parse_file(path, path.name)
    lines = doc.pages[0].text.splitlines()
    assert lines[0] == "LOS RIOS COMMUNITY COLLEGE DISTRICT Board Meeting Minutes Wednesday, August 12, 2020"
    assert "logo" not in doc.pages[0].text   # an image named in a word or two is no text of the paper
    assert doc.meta.title == lines[0] and doc.meta.meeting_date == "2020-08-12"


def test_markdown_is_read_without_pandocs_layout_marks_logos_image_bytes_or_unpaired_emphasis(tmp_path):
    path = tmp_path / "agenda.md"
    path.write_text(
        ":::::::::::::::::::::::::::::::: container\n::::: {style=\"overflow: hidden;\"}\n"
        "::: {style=\"float: left; width: 20%;\"}\n![Valley Unified School District\nLogo](https://example.org/logo3.png)"
        "{style=\"margin: 0; width: 100px;\"}\n:::\n\n::: {style=\"float: left;\"}\n"
        "# Regular Meeting of the Board of Education {#regular-meeting style=\"font-size: 11pt;\"}\n:::\n"
        "Board of Education Agenda\\\n:::::\n\n"
        "### [3. ]{style=\"float: left; width: 5%;\"} []{style=\"float: left; width: 90%;\"} {#section-13 style=\"margin: 0;\"}\n\n"
        "**New Board Policy 1160 Political Processes - 7:55 p.m.**\n\n::: {style=\"margin-left: 10%;\"}\n\\\n"
        "[Discussion]{style=\"text-decoration: underline;\"}: The superintendent is\nrecommending that the board "
        "review [new board\npolicy 1160]{style=\"font-size: 11pt;\"}.\n:::\n::::::::::::::::::::::::::::::::\n\n"
        "**Strategic Risk 7: **Failure to reduce inequalities**.**\n\n"
        "![Recognition: Arts Education Month (E-1a)](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAB4AAAAcACAYAAAB4c2Zp\n")
    doc = parse_file(path, "VUSD/2024-09-10/" + path.name)
    text = doc.pages[0].text
    assert ":::" not in text and "{" not in text and "style=" not in text and "\\" not in text
    assert "[" not in text and "]" not in text   # a span keeps its words, not its brackets
    assert "Logo" not in text   # a picture said to be a logo is no heading
    assert doc.meta.title == "Regular Meeting of the Board of Education"
    passages = "\n".join(chunk.text for chunk in doc.chunks)
    assert "3. New Board Policy 1160 Political Processes - 7:55 p.m." in passages.splitlines()   # the item, whole
    assert "Discussion: The superintendent is recommending that the board review new board policy 1160." in " ".join(text.split())
    assert "Strategic Risk 7: Failure to reduce inequalities." in text.splitlines()   # emphasis left unpaired
    assert "base64" not in text and "Recognition: Arts Education Month (E-1a)" in text.splitlines()   # a picture's bytes


def test_an_html_page_is_read_without_its_scripts_and_navigation(tmp_path):
    path = tmp_path / "minutes.html"
    path.write_text("<html><head><title>Parish council minutes, March 2024</title><script>var x = 1;</script>"
                    "</head><body><nav>Home | News</nav><h2>5. Planning</h2><p>No objection to the &lsquo;barn&rsquo;"
                    " conversion.</p><table><tr><td>Grass cutting</td><td>£120</td></tr></table></body></html>")
    raw = read_file(path)
    assert raw.title == "Parish council minutes, March 2024"
    text = raw.pages[0].text
    assert "No objection to the ‘barn’ conversion." in text and "Grass cutting | £120" in text
    assert "var x" not in text and "Home | News" not in text


@pytest.mark.parametrize("content, reason", [("", "empty file"), ("\n \n", "blank"), ("---\ntitle: x\n---\n", "no text")])
def test_an_empty_markdown_file_is_unreadable_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "empty.md"
    path.write_text(content)
    with pytest.raises(UnreadableFile) as caught:
        read_file(path)
    assert reason in caught.value.reason


def test_files_that_are_not_papers_are_listed_with_a_reason(tmp_path):
    for name in ("scan.png", "papers.zip", "data.csv", "notes.xyz", ".DS_Store", "metadata.csv"):
        (tmp_path / name).write_bytes(b"x")
    listed = [p.name for p in find_files(tmp_path)]
    assert listed == ["data.csv", "notes.xyz", "papers.zip", "scan.png"]  # hidden files and the sidecar aside
    reasons = {}
    for name in listed:
        with pytest.raises(UnreadableFile) as caught:
            read_file(tmp_path / name)
        reasons[name] = caught.value.reason
    assert "image" in reasons["scan.png"] and "archive" in reasons["papers.zip"]
    assert "data file" in reasons["data.csv"] and ".xyz" in reasons["notes.xyz"]


@needs_realdata
@pytest.mark.parametrize("path, sentence, page, unit", [
    (LIMERICK / "2018/11/26-Full Meeting of Limerick City and County Council", "be set at 10% for 2019", 32, "page"),
    (FOCS / "FOWD/2025-12-15/12-15-25_Regular_Board_Meeting_Minutes.md", "appoint director marx as board president", 3,
     "page"),
    (FOCS / "LRCCD/2020-06-10/20200610-bot-minutes.md", "SCC Re-Emerging Scholars Program", 2, "page"),
    (WYE / "minutes/20240729.txt", "assets currently valued at a total of £357,339", 1, "section"),
    (GOVUK / "_posts/2017-01-01-transparency-board-minutes-8th-june-2011.md",
     "7 out of the 24 main departments were already", 1, "section"),
])
def test_real_text_papers_from_realdata(path, sentence, page, unit):
    if path.is_dir():
        path = next(p for p in path.iterdir() if p.name.startswith("Minutes"))
    raw = read_file(path)
    assert raw.unit == unit
    assert page in page_of(raw, sentence)


@needs_realdata
def test_limerick_scanned_pages_are_marked_ocr():
    agenda = next(p for p in (LIMERICK / "2019/03").rglob("Agenda*20th March 2019.md"))
    raw = read_file(agenda)
    assert raw.unit == "page" and all(p.ocr for p in raw.pages if p.text.strip())
    assert not any("Scanned page" in p.text for p in raw.pages)


def test_a_pdf_still_reads_as_before(tmp_path):
    path = make_pdf(tmp_path / "pack.pdf", ["Agenda\n1. Apologies", PAGE_TWO])
    raw = read_file(path)
    assert raw.unit == "pdf" and raw.pdf_path == path and page_of(raw, PAGE_TWO) == [2]


def test_a_table_read_column_by_column_is_read_again_row_by_row(tmp_path):
    from fpdf import FPDF

    rows = [("Revenue Support Grant", "15,680.3", "16,101.0"), ("Social Care Grant", "117,046.1", "120,311.5"),
            ("Business Rate Collection Fund", "0.0", "0.0"), ("Council Tax Income", "838,406.1", "881,219.0"),
            ("Council Tax Adult Social Care Levy", "155,881.6", "178,359.8"),
            ("Council Tax Collection Fund", "3,209.9", "7,000.0"), ("Total Funding", "1,530,923.8", "1,605,168.4")]
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 25, "The council's funding in each year is shown in the table below.")
    for n, (name, _, _) in enumerate(rows):   # written name by name, then column by column, as many reports are
        pdf.text(20, 40 + 8 * n, name)
    for column in (1, 2):
        for n, row in enumerate(rows):
            pdf.text(60 + 40 * column, 40 + 8 * n, row[column])
    table = tmp_path / "funding.pdf"
    pdf.output(str(table))
    text = read_file(table).pages[0].text
    assert "Council Tax Adult Social Care Levy 155,881.6 178,359.8" in text.splitlines()
    assert "The council's funding in each year is shown in the table below." in text
    # a page of prose with a short list of figures is read as it always was
    prose = make_pdf(tmp_path / "prose.pdf", ["Grants received\n15,680.3\n117,046.1\nwere both spent."])
    assert read_file(prose).pages[0].text.split("\n")[:3] == ["Grants received", "15,680.3", "117,046.1"]


@pytest.fixture(scope="module", autouse=True)
def _no_stray_office(tmp_path_factory):
    """LibreOffice started by these tests must not outlive them."""
    yield
    if shutil.which("pgrep"):
        assert subprocess.run(["pgrep", "-f", "soffice.bin.*lo-"], capture_output=True).returncode == 1


def test_bold_faked_by_printing_each_character_twice_is_read_once():
    from indexer.readers.pdf import _undoubled

    page = ("CCHHIICCAAGGOO  CCOOMMMMIISSSSIIOONN  OONN  HHUUMMAANN  RREELLAATTIIOONNSS\n"
            "Held every 2nd Thursday of the month\n"
            "LLOOCCAATTIIOONN:: 740 N. Sedgwick St\n"
            "JJAANNUUAARRYY  1100\n"
            "Book keeping: 1100 sheets, 2244 boxx")
    assert _undoubled(page).split("\n") == [
        "CHICAGO COMMISSION ON HUMAN RELATIONS", "Held every 2nd Thursday of the month",
        "LOCATION: 740 N. Sedgwick St", "JANUARY 10", "Book keeping: 1100 sheets, 2244 boxx"]
