"""A new catalog (index.sqlite), written once during a build: each paper's document, pages, passages,
decisions and recommendations, or an unchanged paper carried over from the previous catalog; then the
copies, the bodies of series and the keyword indexes. catalog.Catalog reads what it writes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from ..papers.layout import SCANNED
from ..papers.parse import ParsedDocument
from ..papers.series import Filed, series_bodies
from .catalog import Catalog
from .schema import (
    CHUNK_COLUMNS,
    DECISION_COLUMNS,
    DOCUMENT_COLUMNS,
    PAGE_COLUMNS,
    RECOMMENDATION_COLUMNS,
    SCHEMA,
    insert,
    select,
)


def passage_id(doc_sha256: str, pdf_page: int, text: str) -> str:
    """The same passage has the same id in every build: its document's bytes, its page and its words."""
    return f"{doc_sha256[:16]}-{pdf_page}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


class CatalogWriter:
    """A new catalog, written once during a build; `finish` makes it ready to publish."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        self._copies: list[tuple[str, str, str, str]] = []

    def add_document(self, doc: ParsedDocument, first_chunk_id: int) -> None:
        meta = doc.meta
        doc_id = self.db.execute(insert("documents", DOCUMENT_COLUMNS), (
            doc.rel_path, doc.sha256, meta.title, meta.body, meta.meeting_date, meta.doc_type, len(doc.pages),
            doc.text_sha, doc.unit, doc.format, doc.likeness, meta.source_url, None)).lastrowid
        self.db.executemany(insert("pages", PAGE_COLUMNS), [
            (doc_id, p.pdf_page, p.page_label, p.status, p.note, str(item) if item else None, p.text, p.ocr)
            for p, item in zip(doc.pages, doc.page_items)])
        self.db.executemany(insert("chunks", CHUNK_COLUMNS), [
            (first_chunk_id + n, doc_id, c.pdf_page, c.pdf_page_end, doc.cited_label(c), doc.cited_label(c, end=True),
             c.item, c.heading, c.text, doc.read_by_ocr(c), passage_id(doc.sha256, c.pdf_page, c.text),
             doc.item_dates.get(c.item or ""), doc.context(c))
            for n, c in enumerate(doc.chunks)])
        rows, group = [], None
        first_id = self._next_decision_id()
        for n, d in enumerate(doc.decisions):
            at = doc.chunk_of(d)
            label = doc.cited_label(doc.chunks[at]) if doc.chunks and doc.unit == "section" else doc.label(d.pdf_page)
            group = first_id + n if d.part == 0 or group is None else group
            rows.append((first_id + n, doc_id, d.meeting_date, d.item, d.text, d.pdf_page, label, first_chunk_id + at,
                         group, d.part, d.outcome, json.dumps(d.vote.to_json()) if d.vote else None, d.moved_by,
                         d.seconded_by, d.owner))
        self.db.executemany(insert("decisions", DECISION_COLUMNS), rows)
        self.db.executemany(insert("recommendations", RECOMMENDATION_COLUMNS), [
            (doc_id, r.item, r.text, r.pdf_page, doc.label(r.pdf_page)) for r in doc.recommendations])

    def _next_decision_id(self) -> int:
        return self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM decisions").fetchone()[0]

    def copy_document(self, source: Catalog, rel_path: str, first_chunk_id: int) -> list[int]:
        """Carry an unchanged document over from the previous catalog; returns its old chunk ids, in order."""
        old = source.db
        doc = old.execute(f"SELECT id, {select(DOCUMENT_COLUMNS)} FROM documents WHERE path = ?", (rel_path,)).fetchone()
        doc_id = self.db.execute(insert("documents", DOCUMENT_COLUMNS), tuple(doc)[1:]).lastrowid
        pages = old.execute(f"SELECT {select(PAGE_COLUMNS)} FROM pages WHERE doc_id = ?", (doc["id"],)).fetchall()
        self.db.executemany(insert("pages", PAGE_COLUMNS), [(doc_id, *tuple(p)[1:]) for p in pages])
        chunks = old.execute(f"SELECT {select(CHUNK_COLUMNS)} FROM chunks WHERE doc_id = ? ORDER BY id",
                             (doc["id"],)).fetchall()
        renumbered = {row["id"]: first_chunk_id + n for n, row in enumerate(chunks)}
        self.db.executemany(insert("chunks", CHUNK_COLUMNS),
                            [(renumbered[row["id"]], doc_id, *tuple(row)[2:]) for row in chunks])
        decisions = old.execute(f"SELECT {select(DECISION_COLUMNS)} FROM decisions WHERE doc_id = ? ORDER BY id",
                                (doc["id"],)).fetchall()
        first_id = self._next_decision_id()
        new_ids = {row["id"]: first_id + n for n, row in enumerate(decisions)}
        self.db.executemany(insert("decisions", DECISION_COLUMNS), [
            (new_ids[d["id"]], doc_id, *tuple(d)[2:7], renumbered.get(d["chunk_id"]), new_ids.get(d["group_id"], new_ids[d["id"]]),
             *tuple(d)[9:]) for d in decisions])
        recommendations = old.execute(f"SELECT {select(RECOMMENDATION_COLUMNS)} FROM recommendations WHERE doc_id = ?"
                                      " ORDER BY id", (doc["id"],)).fetchall()
        self.db.executemany(insert("recommendations", RECOMMENDATION_COLUMNS),
                            [(doc_id, *tuple(r)[1:]) for r in recommendations])
        return list(renumbered)

    def add_skipped_file(self, rel_path: str, reason: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO skipped_files VALUES (?, ?)", (rel_path, reason))

    def add_copy(self, rel_path: str, sha256: str, of_path: str, same: str) -> None:
        """rel_path holds the same bytes or text as of_path, which is indexed (now or later in the build)."""
        self._copies.append((rel_path, sha256, same, of_path))

    def add_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Rows written as they are (the benchmark's synthetic indexes)."""
        self.db.executemany(insert(table, columns), rows)

    def finish(self) -> dict[str, int]:
        """Record the copies, name the bodies of series, fill the keyword indexes and close; returns what the
        catalog holds."""
        self.db.executemany("INSERT INTO copies (path, doc_id, sha256, same) SELECT ?, id, ?, ? FROM documents"
                            " WHERE path = ?", self._copies)
        self._name_series()
        self.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
        self.db.execute("INSERT INTO decisions_fts(decisions_fts) VALUES ('rebuild')")
        counts = _counts(self.db)
        self.db.commit()
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.close()
        return counts

    def _name_series(self) -> None:
        """Papers that name no body take their series' (papers/series.py), worked out again every build from
        what the papers themselves name: a body a previous build gave from the series is not evidence."""
        self.db.execute("UPDATE documents SET body = NULL, body_from = NULL WHERE body_from = 'series'")
        papers = [Filed(*row) for row in self.db.execute("SELECT id, path, meeting_date, body FROM documents")]
        self.db.executemany("UPDATE documents SET body = ?, body_from = 'series' WHERE id = ?",
                            [(body, doc_id) for doc_id, body in series_bodies(papers).items()])

    def abandon(self) -> None:
        self.db.close()


def _counts(db: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT COUNT(*) FROM documents"),
        "pages": one("SELECT COUNT(*) FROM pages"),
        "chunks": one("SELECT COUNT(*) FROM chunks"),
        "decisions": one("SELECT COUNT(*) FROM decisions"),
        "skipped_files": one("SELECT COUNT(*) FROM skipped_files"),
        "copies": one("SELECT COUNT(*) FROM copies"),
        "ocr_pages": one("SELECT COUNT(*) FROM pages WHERE ocr = 1"),
        "scanned_pages": one(f"SELECT COUNT(*) FROM pages WHERE status = '{SCANNED}'"),
    }
