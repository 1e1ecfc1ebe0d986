"""Reading the decisions register: newest first, or by relevance to a query."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from ..backends.fts import fts_query, postings_counter


@dataclass
class DecisionRecord:
    meeting_date: str | None
    body: str | None
    item: str | None
    text: str
    doc_path: str
    pdf_page: int
    page_label: str | None
    doc_title: str
    chunk_id: int | None         # the indexed passage that holds it
    ocr: bool = False            # read from a scanned page by OCR
    score: float | None = None   # BM25 relevance when listed for a query

    def to_json(self) -> dict:
        record = asdict(self)
        return {key: record[key] for key in
                ("meeting_date", "body", "item", "text", "doc_path", "pdf_page", "page_label", "ocr")}


def find_decisions(db: sqlite3.Connection, query: str | None = None, where: str = "1",
                   params: list | None = None, limit: int | None = None) -> list[DecisionRecord]:
    """Decisions passing the document filter `where` (on documents d); by relevance when query is given."""
    columns = ("x.meeting_date, d.body, x.item, x.text, d.path, x.pdf_page, x.page_label, d.title, x.chunk_id,"
               " COALESCE(p.ocr, 0)")
    pages = "LEFT JOIN pages p ON p.doc_id = x.doc_id AND p.pdf_page = x.pdf_page"
    match = fts_query(query, postings_counter(db, "decisions_fts")) if query else None
    if query and match is None:
        return []
    if match:
        sql = (f"SELECT {columns}, -bm25(decisions_fts, 1.0, 0.5) FROM decisions_fts f"
               f" JOIN decisions x ON x.id = f.rowid JOIN documents d ON d.id = x.doc_id {pages}"
               f" WHERE decisions_fts MATCH ? AND {_dated(where)} ORDER BY bm25(decisions_fts, 1.0, 0.5)")
        args = [match, *(params or [])]
    else:
        sql = (f"SELECT {columns}, NULL FROM decisions x JOIN documents d ON d.id = x.doc_id {pages}"
               f" WHERE {_dated(where)} ORDER BY COALESCE(x.meeting_date, '') DESC, d.path, x.id")
        args = list(params or [])
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return [DecisionRecord(*row[:9], ocr=bool(row[9]), score=row[10]) for row in db.execute(sql, args)]


def _dated(where: str) -> str:
    """Date filters apply to the decision's own meeting (minutes in a pack record an earlier one)."""
    return where.replace("d.meeting_date", "COALESCE(x.meeting_date, d.meeting_date)")
