"""What a build tells: progress while it runs, and the report at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..papers.exempt import WITHHELD
from ..papers.layout import SCANNED, UNREADABLE
from ..readers import file_format


@dataclass
class BuildProgress:
    files_done: int
    files_total: int
    pages: int
    chunks: int          # chunks made so far (embedded or reused)
    embedded: int        # chunks embedded so far in this run
    current: str


@dataclass
class FormatCount:
    """What a build did with the files of one format."""
    files: int = 0        # indexed (copies aside)
    pages: int = 0
    chunks: int = 0
    skipped: int = 0


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
    convert_seconds: float = 0.0   # converting office files to PDF in this run
    formats: dict[str, FormatCount] = field(default_factory=dict)   # 'pdf', 'docx', 'md' -> counts
    copies: list[tuple[str, str, str]] = field(default_factory=list)          # (path, indexed as, same what)
    withheld_pages: list[tuple[str, int, str]] = field(default_factory=list)  # (path, page, marking)
    full_rebuild_reason: str | None = None
    seconds: float = 0.0
    parse_seconds: float = 0.0     # reading files into pages, items and chunks (converting included)
    embed_seconds: float = 0.0     # the embedding model alone
    vector_index: str = ""         # the FAISS index published (exact or approximate)
    backend: str | None = None     # the Milvus collection the passages were also written into
    backend_written: int = 0       # documents written into it in this run (the rest were there already)
    backend_removed: int = 0       # documents deleted from it (gone from the corpus, or changed)
    backend_seconds: float = 0.0   # bringing it up to date


def count_format(report: BuildReport, rel: str, pages: int = 0, chunks: int = 0, skipped: bool = False) -> None:
    counts = report.formats.setdefault(file_format(rel), FormatCount())
    if skipped:
        counts.skipped += 1
    else:
        counts.files, counts.pages, counts.chunks = counts.files + 1, counts.pages + pages, counts.chunks + chunks


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
