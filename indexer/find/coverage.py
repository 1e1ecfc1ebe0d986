"""What an index holds: bodies, dates, document types, and everything left out, with reasons."""

from __future__ import annotations

from dataclasses import dataclass

from ..backends.store import IndexReader
from ..papers.exempt import EXEMPT_NOTE, WITHHELD
from ..papers.layout import SCANNED, UNREADABLE


@dataclass
class IndexInfo:
    model: str
    built_at: str
    corpus_root: str
    documents: int
    pages: int
    chunks: int
    bodies: dict[str, int]            # body -> documents
    doc_types: dict[str, int]         # document type -> documents
    first_date: str | None
    last_date: str | None
    skipped_files: list[tuple[str, str]]        # (path, reason)
    skipped_pages: list[tuple[str, int, str]]   # (path, pdf page, reason)
    withheld_pages: list[tuple[str, int, str]]  # (path, pdf page, marking): exempt, not indexed
    include_exempt: bool                        # built with --include-exempt
    exempt_included: int                        # pages marked exempt that were indexed all the same
    ocr_pages: list[tuple[str, int]]            # (path, pdf page): read from a scan by OCR
    ocr_engine: str | None                      # what read them; None when no OCR program was found
    copies: list[tuple[str, str, str]]          # (path, indexed as, 'identical file' or 'same text')


def describe(reader: IndexReader) -> IndexInfo:
    db = reader.db
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    counted = lambda column: {  # noqa: E731
        (row[0] or "(unknown)"): row[1]
        for row in db.execute(f"SELECT {column}, COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1")
    }
    dates = db.execute("SELECT MIN(meeting_date), MAX(meeting_date) FROM documents").fetchone()
    skipped_pages = db.execute(
        "SELECT d.path, p.pdf_page, COALESCE(p.note, p.status) FROM pages p JOIN documents d ON d.id = p.doc_id"
        " WHERE p.status IN (?, ?) ORDER BY d.path, p.pdf_page", (SCANNED, UNREADABLE),
    ).fetchall()
    return IndexInfo(
        model=reader.manifest.model,
        built_at=reader.manifest.built_at,
        corpus_root=reader.manifest.corpus_root,
        documents=one("SELECT COUNT(*) FROM documents"),
        pages=one("SELECT COUNT(*) FROM pages"),
        chunks=one("SELECT COUNT(*) FROM chunks"),
        bodies=counted("body"),
        doc_types=counted("doc_type"),
        first_date=dates[0],
        last_date=dates[1],
        skipped_files=[tuple(r) for r in db.execute("SELECT path, reason FROM skipped_files ORDER BY path")],
        skipped_pages=[tuple(r) for r in skipped_pages],
        withheld_pages=[tuple(r) for r in db.execute(
            "SELECT d.path, p.pdf_page, p.note FROM pages p JOIN documents d ON d.id = p.doc_id"
            " WHERE p.status = ? ORDER BY d.path, p.pdf_page", (WITHHELD,))],
        include_exempt=reader.manifest.include_exempt,
        exempt_included=one(f"SELECT COUNT(*) FROM pages WHERE note LIKE '{EXEMPT_NOTE}%'"),
        ocr_pages=[tuple(r) for r in db.execute(
            "SELECT d.path, p.pdf_page FROM pages p JOIN documents d ON d.id = p.doc_id"
            " WHERE p.ocr = 1 ORDER BY d.path, p.pdf_page")],
        ocr_engine=reader.manifest.ocr_engine,
        copies=[tuple(r) for r in db.execute(
            "SELECT c.path, d.path, c.same FROM copies c JOIN documents d ON d.id = c.doc_id ORDER BY c.path")],
    )
