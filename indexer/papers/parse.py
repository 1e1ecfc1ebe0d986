"""One file through the text stages: file -> pages -> metadata -> items -> chunks and decisions.

`parse_file` is the per-file pipeline the build runs; it raises UnreadableFile
when nothing in the file can be read, and otherwise returns every page (scanned
and blank ones included, so page counts and citations stay true).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..readers import Conversions, file_format, read_file
from ..readers.ocr import read_scanned_pages
from .chunking import Chunk, chunk_blocks
from .decision_notices import notice_decisions
from .decisions import Decision, extract_decisions, minutes_dates
from .exempt import exempt_pages, withhold
from .layout import SCANNED, Page, clean_pages
from .likeness import signature
from .metadata import DocumentMeta, apply_sidecar, infer_metadata, long_date
from .minute_items import mark_minute_items
from .recommendations import Recommendation, extract_recommendations
from .structure import AgendaItem, assign_items, find_agenda_items, split_blocks


@dataclass
class ParsedDocument:
    rel_path: str            # relative to the corpus root, with forward slashes
    sha256: str
    meta: DocumentMeta
    pages: list[Page]
    page_items: list[AgendaItem | None]
    chunks: list[Chunk]
    decisions: list[Decision]
    ocr_seconds: float = 0.0       # reading scanned pages
    unit: str = "pdf"              # what its page numbers count (citation.UNITS)
    convert_seconds: float = 0.0   # converting an office file to PDF
    item_dates: dict[str, str] = field(default_factory=dict)  # item -> date of the meeting its minutes record
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def format(self) -> str:
        return file_format(self.rel_path)

    @cached_property
    def text_sha(self) -> str | None:
        """Fingerprint of the words of the document (case and spacing ignored); None when it has none.

        A paper re-published as a new file (another name, another PDF producer) keeps it."""
        words = " ".join(" ".join(p.text.split()) for p in self.pages if p.text.strip()).casefold()
        return hashlib.sha256(words.encode()).hexdigest() if words else None

    @cached_property
    def likeness(self) -> bytes | None:
        """Signature of its words, to find the same paper in another format (likeness.py)."""
        return signature("\n".join(p.text for p in self.pages if p.text))

    def read_by_ocr(self, chunk: Chunk) -> bool:
        """Whether any page of the passage was read from a scan."""
        return any(p.ocr for p in self.pages[chunk.pdf_page - 1:chunk.pdf_page_end])

    def label(self, pdf_page: int) -> str | None:
        return self.pages[pdf_page - 1].page_label

    def cited_label(self, chunk: Chunk, end: bool = False) -> str | None:
        """What a citation names beside the page number: the printed page label, or, in a file without
        pages, the heading of the passage's section, else the line it opens with (citation.py)."""
        if self.unit == "section":
            return chunk.heading or chunk.item or _section_of(self.pages[0].text, chunk.text) or _opening(chunk.text)
        return self.label(chunk.pdf_page_end if end else chunk.pdf_page)

    def context(self, chunk: Chunk) -> str:
        """Where a passage sits, in words: body, meeting date, document and item or heading.

        Embedded and keyword-indexed with the passage, so a passage that never names its subject,
        its body or its meeting is still found by them."""
        date = self.item_dates.get(chunk.item or "") or self.meta.meeting_date
        parts = [self.meta.body, long_date(date), self.meta.title, chunk.item or chunk.heading]
        kept: list[str] = []
        for part in filter(None, parts):
            if not any(part.casefold() in seen.casefold() for seen in kept):
                kept.append(part)
        return " | ".join(kept)

    def chunk_of(self, decision: Decision) -> int:
        """Position of the chunk that holds a decision (its page, and its opening words if possible)."""
        opening = " ".join(decision.text.split())[:40]
        covering = [n for n, c in enumerate(self.chunks) if c.pdf_page <= decision.pdf_page <= c.pdf_page_end]
        holding = [n for n in covering if opening in " ".join(self.chunks[n].text.split())]
        return (holding or covering or [0])[0]


_NUMBERED = re.compile(r"^\(?\d{1,5}(?:\.\d{1,3})*[.)]?\s*[A-Z]")


def _section_of(page: str, passage: str) -> str | None:
    """The numbered paragraph ('3110. Any Other Business') the passage starts in, in a page of text."""
    words = passage.split()[:6]
    if len(words) < 3:
        return None
    found = re.search(r"\s+".join(re.escape(w) for w in words), page)
    if found is None:
        return None
    line_end = page.find("\n", found.start())
    for line in reversed(page[:line_end if line_end >= 0 else len(page)].splitlines()):
        if _NUMBERED.match(line.strip()):
            return _opening(line)
    return None


def _opening(text: str) -> str | None:
    """The start of a passage's first line, up to its first colon ('3096. Approval of minutes')."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line.split(":", 1)[0][:80].strip() or None


def parse_file(path: Path, rel_path: str, overrides: dict[str, str] | None = None,
               include_exempt: bool = False, conversions: Conversions | None = None) -> ParsedDocument:
    """include_exempt: keep pages marked exempt or confidential (an internal deployment); else withhold them.
    conversions: where office files' PDF conversions are kept (readers/office.py)."""
    raw = read_file(path, conversions)
    pages = clean_pages(raw)
    scanned = read_scanned_pages(raw, [p.pdf_page for p in pages if p.status == SCANNED])
    if scanned.document is not raw:  # text read, or notes saying why not
        raw = scanned.document
        pages = clean_pages(raw)
    meta = apply_sidecar(infer_metadata(rel_path, pages, raw.title, raw.date, raw.pdf_path is None), overrides)
    items = find_agenda_items(pages)
    page_items = assign_items(pages, items)
    exempt = exempt_pages(raw, page_items)
    if exempt:
        pages = withhold(pages, exempt, include_exempt)
    blocks = mark_minute_items(split_blocks(pages, page_items), meta.doc_type == "minutes",
                              is_agenda=meta.doc_type == "agenda")
    # A report filed under an agenda item (metadata.csv's item) cites that item where its own text names none.
    chunks = [c if c.item or not meta.item else replace(c, item=meta.item) for c in chunk_blocks(blocks)]
    decisions = extract_decisions(blocks, meta) or notice_decisions(blocks, meta)
    return ParsedDocument(rel_path, raw.sha256, meta, pages, page_items, chunks, decisions, scanned.seconds,
                          raw.unit, raw.convert_seconds, minutes_dates(blocks, meta),
                          extract_recommendations(blocks, meta))
