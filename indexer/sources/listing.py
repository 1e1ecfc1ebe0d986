"""What a site lists: committees, their meetings, and each meeting's documents, with what each document is
called and what kind of paper it is (by the indexer's own rules where the listing's words tell)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import FetchFailed
from ..papers.metadata import UNTYPED, infer_metadata

# The names modern.gov gives a meeting's own packs, by what they are.
_PACK_TYPES = [("agenda", r"front ?sheet"), ("decision record", r"\bdecisions?\b"), ("reports pack", r"\bpack\b"),
               ("minutes", r"\bminutes\b"), ("agenda", r"\bagenda\b")]
_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".rtf", ".odt", ".ods", ".odp", ".txt",
             ".csv", ".htm", ".html")


@dataclass(frozen=True)
class Committee:
    id: str
    title: str


@dataclass(frozen=True)
class Meeting:
    id: str
    committee: Committee
    date: str       # YYYY-MM-DD
    page_url: str   # its ieListDocuments.aspx page


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    meeting: Meeting
    file_name: str          # as the site names it (not yet made safe for a disk)
    item: str = ""          # "5. Budget 2025-26"; empty for a meeting-level pack
    doc_type: str = ""      # one of the indexer's DOC_TYPES where the listing tells; empty: the indexer reads it


@dataclass
class Papers:
    """A meeting's documents, and the pages about it that could not be read (the rest still came)."""
    documents: list[Document] = field(default_factory=list)
    failures: list[FetchFailed] = field(default_factory=list)


def item_label(number: str, title: str) -> str:
    number = number.strip().rstrip(".")
    return f"{number}. {title}".strip() if number and title else (title or number)


def file_name_for(url: str, title: str) -> str:
    """The site's own file name ('documents/s123/Report.pdf' -> 'Report.pdf'), else the title as a PDF
    (mgConvert2PDF.aspx?ID=123 serves the document converted to PDF)."""
    last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if last.lower().endswith(_SUFFIXES):
        return last
    return f"{title or 'document ' + (parse_qs(urlsplit(url).query).get('ID') or [''])[0]}.pdf".strip()


def doc_type_for(title: str, file_name: str, pack: bool = False) -> str:
    """The document type the title tells, by the indexer's own rules; '' where it does not (the indexer then
    reads the paper itself). A meeting's packs go by the names modern.gov gives them."""
    if pack:
        for doc_type, pattern in _PACK_TYPES:
            if re.search(pattern, title or file_name, re.I):
                return doc_type
    found = infer_metadata(file_name, [], declared_title=title or None, title_chosen=True).doc_type
    return "" if found == UNTYPED else found


def same_site(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return a.scheme.lower() in ("http", "https") and (a.hostname or "") == (b.hostname or "") and a.port == b.port
