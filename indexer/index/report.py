"""What a build tells: progress while it runs, and the report at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..papers.exempt import WITHHELD
from ..papers.layout import SCANNED, UNREADABLE


@dataclass
class BuildProgress:
    files_done: int
    files_total: int
    pages: int
    chunks: int          # chunks made so far (embedded or reused)
    embedded: int        # chunks embedded so far in this run
    current: str


@dataclass
class BuildReport:
    documents: int = 0
    pages: int = 0
    chunks: int = 0
    embedded_files: int = 0
    reused_files: int = 0
    removed_files: list[str] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)        # (path, reason)
    skipped_pages: list[tuple[str, int, str]] = field(default_factory=list)   # (path, page, reason)
    scanned_pages: int = 0         # pages left unread: scans that OCR could not read or was not run on
    ocr_pages: int = 0             # scanned pages read by OCR (this run or reused)
    ocr_seconds: float = 0.0       # OCR in this run
    copies: list[tuple[str, str, str]] = field(default_factory=list)          # (path, indexed as, same what)
    withheld_pages: list[tuple[str, int, str]] = field(default_factory=list)  # (path, page, marking)
    full_rebuild_reason: str | None = None
    seconds: float = 0.0
    parse_seconds: float = 0.0     # reading PDFs into pages, items and chunks
    embed_seconds: float = 0.0     # the embedding model alone
    vector_index: str = ""         # the FAISS index published (exact or approximate)


def count_pages(report: BuildReport, rel: str, pages: list[tuple[int, str, str | None, bool]]) -> None:
    report.pages += len(pages)
    for number, status, note, read_by_ocr in pages:
        report.ocr_pages += bool(read_by_ocr)
        if status == WITHHELD:
            report.withheld_pages.append((rel, number, note))
        if status in (SCANNED, UNREADABLE):
            report.skipped_pages.append((rel, number, note or status))
        if status == SCANNED:
            report.scanned_pages += 1
