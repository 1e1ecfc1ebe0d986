"""The public pages of a modern.gov site, for councils with the web service switched off.

The committee index (mgListCommittees.aspx) links mgCommitteeDetails.aspx?ID=; a committee's listing
(ieListMeetings.aspx?CommitteeId=) links each meeting's page (ieListDocuments.aspx?CId=&MId=) and its earlier
municipal years (ieListMeetings.aspx?CId=&Year=); a meeting's page links its own packs (documents/g<n>/...)
above a table.mgItemTable whose rows hold the item's number, title and papers (documents/s<n>/...).
"""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from bs4 import BeautifulSoup

from ..papers.metadata import find_date
from .listing import Committee, Document, Meeting, doc_type_for, file_name_for, item_label

_DOCUMENT_LINK = re.compile(r"/documents/[a-z]\d+/[^/]+$|/mgConvert2PDF\.aspx$", re.I)
_SIZE_NOTE = re.compile(r"\s*\b(?:PDF|DOC|DOCX|XLS|XLSX|PPT|PPTX|RTF|HTML?)\s+[\d.,]+\s*[KMG]B\s*$", re.I)
_ITEM_NUMBER = re.compile(r"^\d+[a-z]?(?:\.\d+)*[a-z]?\.?$|^[A-Z]\d*\.?$|^\(?[a-z]{1,3}\)?\.?$", re.I)


def parse_committee_list(body: bytes, url: str) -> list[Committee]:
    found: dict[str, Committee] = {}
    for link in _soup(body).find_all("a", href=True):
        target = urlsplit(urljoin(url, link["href"]))
        page, query = target.path.rsplit("/", 1)[-1].lower(), query_of(target.query)
        cid = (query.get("id") if page == "mgcommitteedetails.aspx" else
               query.get("committeeid") or query.get("cid") if page == "ielistmeetings.aspx" else None)
        title = words(link.get_text(" "))
        if cid and cid.isdigit() and title and cid not in found:
            found[cid] = Committee(cid, title)
    return list(found.values())


def parse_meeting_list(body: bytes, url: str, committee: Committee, base: str) -> list[Meeting]:
    found = []
    for link in _soup(body).find_all("a", href=True):
        target = urlsplit(urljoin(url, link["href"]))
        query, text = query_of(target.query), words(link.get_text(" "))
        if not target.path.lower().endswith("/ielistdocuments.aspx") or not query.get("mid"):
            continue
        day = find_date(text)
        if day and "cancelled" not in text.lower():
            found.append(Meeting(query["mid"], committee, day, meeting_page(base, committee.id, query["mid"])))
    return found


def year_pages(body: bytes, url: str, committee: Committee, first: date, last: date) -> list[str]:
    """The listing's links to earlier municipal years (May to April) that overlap first..last."""
    pages = []
    for link in _soup(body).find_all("a", href=True):
        target = urljoin(url, link["href"])
        query = query_of(urlsplit(target).query)
        year = query.get("year", "")
        if (urlsplit(target).path.lower().endswith("/ielistmeetings.aspx") and year.isdigit() and year != "0"
                and (query.get("cid") or query.get("committeeid")) == committee.id
                and date(int(year), 5, 1) <= last and date(int(year) + 1, 4, 30) >= first and target not in pages):
            pages.append(target)
    return pages


def parse_meeting_page(body: bytes, meeting: Meeting) -> list[Document]:
    """Every document link on an ieListDocuments page: those in the agenda item table with their item,
    the rest (the meeting's own packs) with none."""
    soup, found, seen = _soup(body), [], set()

    def add(link, label: str) -> None:
        url = absolute(meeting.page_url, link["href"])
        if url in seen or not _DOCUMENT_LINK.search(urlsplit(url).path):
            return
        seen.add(url)
        title = _SIZE_NOTE.sub("", words(link.get_text(" "))) or words(link.get("title", ""))
        name = file_name_for(url, title)
        found.append(Document(url, title or name, meeting, name, label,
                              doc_type_for(title, name, pack=not label)))

    table = soup.find("table", class_="mgItemTable") or soup.find("table", id="mgItemTable")
    for row in table.find_all("tr") if table else []:
        label = _row_item(row)
        for link in row.find_all("a", href=True):
            add(link, label)
    for link in soup.find_all("a", href=True):
        if table is None or not any(parent is table for parent in link.parents):
            add(link, "")
    return found


def _row_item(row) -> str:
    """'5. Budget 2025-26' from an item row: its number cell, then its title."""
    cells = row.find_all("td", recursive=False) or row.find_all("td")
    number_cell = row.find(class_="mgItemNumberCell") or (cells[0] if cells else None)
    number = words(number_cell.get_text(" ")) if number_cell else ""
    if not _ITEM_NUMBER.match(number):
        number = ""
    titles = [_SIZE_NOTE.sub("", words(t.get_text(" "))) for t in row.find_all(class_="mgAiTitleTxt")]
    title = next((t for t in titles if t and t != number and not _ITEM_NUMBER.match(t)), "")
    return item_label(number, title)


def _soup(body: bytes) -> BeautifulSoup:
    return BeautifulSoup(body, "html.parser")


def query_of(query: str) -> dict[str, str]:
    return {k.lower(): v[0].strip() for k, v in parse_qs(query).items() if v}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def meeting_page(base: str, cid: str, mid: str) -> str:
    return f"{base}ieListDocuments.aspx?CId={quote(cid)}&MId={quote(mid)}"


def absolute(page_url: str, href: str) -> str:
    """An address as a browser makes it: hrefs carry raw spaces and line breaks ('Printed minutes\\r\\n08th')."""
    joined = urljoin(page_url, words(html.unescape(href)))
    return quote(joined, safe=":/?#[]@!$&'()*+,;=%~")


