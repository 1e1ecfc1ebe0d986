"""The catalog, index.sqlite: documents, pages, passages, decisions, copies and skipped files.

This module and catalog_writer.py are the only ones that write SQL against index.sqlite.
catalog_writer.CatalogWriter fills a new catalog during a build; Catalog reads a published one
(read-only) for searches, the coverage summary, the page view and the next build's reuse of
unchanged files.

Filters (records.Filters) become SQL here, under one rule: a passage is filtered on its
document's meeting date, a decision on the date of the meeting that took it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import IndexCorrupt
from ..papers.exempt import EXEMPT_NOTE, WITHHELD
from ..papers.layout import SCANNED, UNREADABLE
from ..readers import file_format
from ..records import DecisionRecord, Filters, Hit, IndexInfo, MinutesItem, PageRecord, RecommendationRecord
from . import fts
from .schema import DOCUMENT_COLUMNS, select

# A passage or decision is dated by the meeting it records: minutes carried in a later pack keep their own date.
_PASSAGE_DATE, _DECISION_DATE = "COALESCE(c.meeting_date, d.meeting_date)", "COALESCE(x.meeting_date, d.meeting_date)"
_STATE = ("pdf_page", "status", "note", "ocr")


def _where(filters: Filters, date_column: str = _PASSAGE_DATE) -> tuple[str, list]:
    """SQL over documents `d` (and the dated row's date_column) for the filters; '1' when there are none."""
    clauses, params = [], []
    if filters.body:
        clauses.append("(" + " OR ".join("d.body LIKE ?" for _ in filters.body) + ")")
        params += [f"%{body}%" for body in filters.body]
    if filters.doc_type:
        clauses.append("(" + " OR ".join("LOWER(d.doc_type) = ?" for _ in filters.doc_type) + ")")
        params += list(filters.doc_type)
    if filters.date_from:
        clauses.append(f"{date_column} >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append(f"{date_column} <= ?")
        params.append(filters.date_to)
    if filters.path:
        clauses.append("(" + " OR ".join("substr(d.path, 1, ?) = ?" for _ in filters.path) + ")")
        for prefix in filters.path:
            params += [len(prefix), prefix]
    return (" AND ".join(clauses) or "1"), params


_DECISION_SELECT = ("COALESCE(x.meeting_date, d.meeting_date), d.body, x.item, x.text, d.path, x.pdf_page, x.page_label,"
                    " d.title, x.chunk_id, COALESCE(p.ocr, 0), d.unit, x.id, x.group_id, x.part, x.outcome, x.vote,"
                    " x.moved_by, x.seconded_by, x.owner, d.doc_type")
_DECISION_PAGE = "LEFT JOIN pages p ON p.doc_id = x.doc_id AND p.pdf_page = x.pdf_page"


def _decision_record(row) -> DecisionRecord:
    return DecisionRecord(*row[:9], ocr=bool(row[9]), unit=row[10], id=row[11], group=row[12], part=row[13],
                          outcome=row[14], vote=json.loads(row[15]) if row[15] else None, moved_by=row[16],
                          seconded_by=row[17], owner=row[18], doc_type=row[19], score=row[20])


def _marks(values) -> str:
    return ",".join("?" * len(values))


class Catalog:
    """A published catalog, opened read-only (one connection, shared by the threads searching it)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise IndexCorrupt(self.path, "file is missing")
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise IndexCorrupt(self.path, str(exc)) from exc
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()
            for table in ("chunks_fts", "decisions_fts"):  # temporary views of the term counts: the file is not written
                self.db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab USING fts5vocab(main, {table}, 'row')")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise IndexCorrupt(self.path, str(exc)) from exc

    def close(self) -> None:
        self.db.close()

    # --- searching

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    def chunk_ids(self, filters: Filters) -> list[int]:
        """Every passage passing the filters."""
        where, params = _where(filters)
        return [row[0] for row in self.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where}", params)]

    def holds(self, filters: Filters) -> bool:
        """Whether any passage passes the filters."""
        where, params = _where(filters)
        return self.db.execute(
            f"SELECT 1 FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where} LIMIT 1", params).fetchone() is not None

    def passing(self, ids: list[int], filters: Filters) -> set[int]:
        """Those of the passages `ids` that pass the filters."""
        if not ids:
            return set()
        where, params = _where(filters)
        return {row[0] for row in self.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({_marks(ids)}) AND {where}",
            [*ids, *params])}

    def passage_ids(self) -> list[tuple[int, str, str]]:
        """(chunk id, passage id, document path) of every passage, in id order."""
        return [tuple(row) for row in self.db.execute(
            "SELECT c.id, c.passage_id, d.path FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.id")]

    def passage(self, passage_id: str) -> Hit | None:
        """The passage of this stable id (passage_id above) in this build, or None when the build lacks it."""
        row = self.db.execute("SELECT id FROM chunks WHERE passage_id = ? ORDER BY id LIMIT 1", (passage_id,)).fetchone()
        return self.hits([(row[0], 0.0)])[0] if row else None

    def term_counter(self, table: str = "chunks_fts") -> Callable[[str], int]:
        """term -> how many rows of the FTS5 table hold it (summed over its tokens)."""

        def count(term: str) -> int:
            total = 0
            for token in fts.tokens(term):
                row = self.db.execute(f"SELECT doc FROM temp.{table}_vocab WHERE term = ?", (token,)).fetchone()
                total += row[0] if row else 0
            return total

        return count

    def row_counter(self, table: str = "chunks_fts") -> Callable[[str], int]:
        """term -> how many rows of the FTS5 table match it (as a phrase of its tokens): what bm25() weighs it by."""

        def count(term: str) -> int:
            return self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (fts.quote(term),)).fetchone()[0]

        return count

    def token_total(self, table: str = "chunks_fts") -> int:
        """The tokens in all rows and columns of the FTS5 table: over its rows, bm25()'s average length."""
        return self.db.execute(f"SELECT COALESCE(SUM(cnt), 0) FROM temp.{table}_vocab").fetchone()[0]

    def keyword(self, query: str, limit: int, filters: Filters) -> list[tuple[int, float]]:
        """(chunk id, BM25 score; higher is better), best first."""
        match = fts.fts_query(query, self.term_counter("chunks_fts"))
        if match is None:
            return []
        rank = f"bm25(chunks_fts, {fts.TEXT_WEIGHT}, {fts.CONTEXT_WEIGHT})"
        where, params = _where(filters)
        if where == "1":  # no filter: no need to look up each matching passage's document
            sql = f"SELECT rowid, {rank} AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?"
        else:
            sql = (f"SELECT f.rowid, {rank} AS rank FROM chunks_fts f JOIN chunks c ON c.id = f.rowid"
                   f" JOIN documents d ON d.id = c.doc_id WHERE chunks_fts MATCH ? AND {where} ORDER BY rank LIMIT ?")
        return [(row[0], -row[1]) for row in self.db.execute(sql, [match, *params, limit])]

    def hits(self, found: list[tuple[int, float]]) -> list[Hit]:
        """Hits for (chunk id, score) pairs, ranked in the order given."""
        if not found:
            return []
        rows = {row["id"]: row for row in self.db.execute(
            "SELECT c.id, c.text, c.pdf_page, c.pdf_page_end, c.page_label, c.item, c.ocr, c.passage_id,"
            " d.id AS doc_id, d.path, d.title, d.doc_type, d.body, COALESCE(c.meeting_date, d.meeting_date) AS meeting_date,"
            " d.unit, d.source_url"
            f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({_marks(found)})",
            [i for i, _ in found])}
        doc_ids = sorted({row["doc_id"] for row in rows.values()})
        copies: dict[int, list[str]] = {}
        for doc_id, path in self.db.execute(
                f"SELECT doc_id, path FROM copies WHERE doc_id IN ({_marks(doc_ids)}) ORDER BY path", doc_ids):
            copies.setdefault(doc_id, []).append(path)
        return [
            Hit(rank=rank, score=round(score, 4), text=row["text"], doc_path=row["path"], doc_title=row["title"],
                doc_type=row["doc_type"], body=row["body"], meeting_date=row["meeting_date"], pdf_page=row["pdf_page"],
                pdf_page_end=row["pdf_page_end"], page_label=row["page_label"], item=row["item"], chunk_id=i,
                ocr=bool(row["ocr"]), copies=copies.get(row["doc_id"], []), unit=row["unit"],
                passage_id=row["passage_id"], source_url=row["source_url"])
            for rank, (i, score) in enumerate(found, start=1) if (row := rows.get(i)) is not None
        ]

    def snippet(self, query: str, hit: Hit, mark: tuple[str, str], words: int = 40) -> str | None:
        """The passage's best-matching stretch with the query's terms marked; None when no term matches or
        when this catalog's passage of that id is not the hit's (another build)."""
        row = self.db.execute("SELECT text FROM chunks WHERE id = ?", (hit.chunk_id,)).fetchone()
        match = fts.any_term(query)
        if row is None or row[0] != hit.text or match is None:
            return None
        found = self.db.execute(
            "SELECT snippet(chunks_fts, 0, ?, ?, ' … ', ?) FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid = ?",
            [mark[0], mark[1], words, match, hit.chunk_id]).fetchone()
        return found[0] if found else None

    def decisions(self, query: str | None, filters: Filters, limit: int | None = None,
                  outcome: tuple[str, ...] = ()) -> list[DecisionRecord]:
        """Decisions passing the filters (on their own meeting's date): by relevance for a query, else newest first."""
        where, params = _where(filters, _DECISION_DATE)
        if outcome:
            where += f" AND x.outcome IN ({_marks(outcome)})"
            params = [*params, *outcome]
        match = fts.fts_query(query, self.term_counter("decisions_fts")) if query else None
        if query and match is None:
            return []
        if match:
            sql = (f"SELECT {_DECISION_SELECT}, -bm25(decisions_fts, 1.0, 0.5) FROM decisions_fts f"
                   f" JOIN decisions x ON x.id = f.rowid JOIN documents d ON d.id = x.doc_id {_DECISION_PAGE}"
                   f" WHERE decisions_fts MATCH ? AND {where} ORDER BY bm25(decisions_fts, 1.0, 0.5)")
            args = [match, *params]
        else:
            sql = (f"SELECT {_DECISION_SELECT}, NULL FROM decisions x JOIN documents d ON d.id = x.doc_id {_DECISION_PAGE}"
                   f" WHERE {where} ORDER BY COALESCE(x.meeting_date, '') DESC, d.path, x.id")
            args = params
        if limit:
            sql += " LIMIT ?"
            args = [*args, limit]
        return [_decision_record(row) for row in self.db.execute(sql, args)]

    def recommendations(self, meeting_date: str) -> list[RecommendationRecord]:
        """The recommendations of the reports to the meetings of that date."""
        return [RecommendationRecord(*row) for row in self.db.execute(
            "SELECT r.text, r.item, d.path, d.title, r.pdf_page, r.page_label, d.meeting_date, d.body, d.unit"
            " FROM recommendations r JOIN documents d ON d.id = r.doc_id WHERE d.meeting_date = ? ORDER BY d.path, r.id",
            (meeting_date,))]

    def minutes_items(self, meeting_date: str) -> list[MinutesItem]:
        """The items of the minutes of the meetings of that date, each where it starts."""
        return [MinutesItem(*row) for row in self.db.execute(
            "SELECT d.path, d.title, d.body, c.item, MIN(c.pdf_page), MIN(c.page_label), d.unit"
            " FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.doc_type = 'minutes' AND c.item IS NOT NULL"
            " AND COALESCE(c.meeting_date, d.meeting_date) = ? GROUP BY d.path, c.item ORDER BY d.path, MIN(c.id)",
            (meeting_date,))]

    def decisions_in(self, chunk_ids: list[int]) -> list[DecisionRecord]:
        """The decisions held in these passages, in the passages' order."""
        if not chunk_ids:
            return []
        rows = self.db.execute(
            f"SELECT {_DECISION_SELECT}, NULL FROM decisions x JOIN documents d ON d.id = x.doc_id {_DECISION_PAGE}"
            f" WHERE x.chunk_id IN ({_marks(chunk_ids)}) ORDER BY x.id", list(chunk_ids)).fetchall()
        order = {chunk_id: n for n, chunk_id in enumerate(chunk_ids)}
        return sorted((_decision_record(row) for row in rows), key=lambda r: order[r.chunk_id])

    def decision_group(self, group_id: int) -> list[DecisionRecord]:
        """Every part of one resolution, in order."""
        return [_decision_record(row) for row in self.db.execute(
            f"SELECT {_DECISION_SELECT}, NULL FROM decisions x JOIN documents d ON d.id = x.doc_id {_DECISION_PAGE}"
            " WHERE x.group_id = ? ORDER BY x.part, x.id", (group_id,))]

    def page(self, doc_path: str, pdf_page: int) -> PageRecord | None:
        row = self.db.execute(
            "SELECT d.title, d.page_count, p.page_label, p.text, d.unit, d.sha256 FROM documents d"
            " JOIN pages p ON p.doc_id = d.id WHERE d.path = ? AND p.pdf_page = ?", (doc_path, pdf_page)).fetchone()
        if row is None:
            return None
        return PageRecord(doc_path, row[0] or doc_path, pdf_page, row[1], row[2], row[3], row[4], row[5])

    def info(self, model: str, built_at: str, corpus_root: str, include_exempt: bool,
             ocr_engine: str | None) -> IndexInfo:
        """What the catalog holds and what it left out (the manifest's facts passed in)."""
        db = self.db
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        counted = lambda column: {  # noqa: E731
            (row[0] or "(unknown)"): row[1]
            for row in db.execute(f"SELECT {column}, COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1")}
        dates = db.execute("SELECT MIN(meeting_date), MAX(meeting_date) FROM documents").fetchone()
        by_page = ("SELECT d.path, p.pdf_page{} FROM pages p JOIN documents d ON d.id = p.doc_id WHERE {}"
                   " ORDER BY d.path, p.pdf_page")
        return IndexInfo(
            model=model, built_at=built_at, corpus_root=corpus_root,
            documents=one("SELECT COUNT(*) FROM documents"),
            pages=one("SELECT COUNT(*) FROM pages"),
            chunks=one("SELECT COUNT(*) FROM chunks"),
            bodies=counted("body"),
            doc_types=counted("doc_type"),
            first_date=dates[0],
            last_date=dates[1],
            skipped_files=[tuple(r) for r in db.execute("SELECT path, reason FROM skipped_files ORDER BY path")],
            skipped_pages=[tuple(r) for r in db.execute(
                by_page.format(", COALESCE(p.note, p.status)", "p.status IN (?, ?)"), (SCANNED, UNREADABLE))],
            withheld_pages=[tuple(r) for r in db.execute(by_page.format(", p.note", "p.status = ?"), (WITHHELD,))],
            include_exempt=include_exempt,
            exempt_included=db.execute("SELECT COUNT(*) FROM pages WHERE note LIKE ?", (f"{EXEMPT_NOTE}%",)).fetchone()[0],
            ocr_pages=[tuple(r) for r in db.execute(by_page.format("", "p.ocr = 1"))],
            ocr_engine=ocr_engine,
            copies=[tuple(r) for r in db.execute(
                "SELECT c.path, d.path, c.same FROM copies c JOIN documents d ON d.id = c.doc_id ORDER BY c.path")],
            formats=self._formats(),
        )

    def _formats(self) -> dict[str, tuple[int, int, int, int]]:
        """format -> (files indexed, pages, passages, files skipped), most files first."""
        indexed = {row[0]: (row[1], row[2] or 0, row[3]) for row in self.db.execute(
            "SELECT format, COUNT(*), SUM(page_count), SUM((SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id))"
            " FROM documents d GROUP BY format")}
        skipped = Counter(file_format(row[0]) for row in self.db.execute("SELECT path FROM skipped_files"))
        counts = {name: (*indexed.get(name, (0, 0, 0)), skipped.get(name, 0)) for name in set(indexed) | set(skipped)}
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1][0], -kv[1][3], kv[0])))

    # --- what the next build reuses

    def document(self, rel_path: str) -> sqlite3.Row | None:
        """The document row (text_sha, body, meeting_date, doc_type, title, ...) of rel_path."""
        return self.db.execute(f"SELECT {select(DOCUMENT_COLUMNS)} FROM documents WHERE path = ?", (rel_path,)).fetchone()

    def skipped_reason(self, rel_path: str) -> str | None:
        row = self.db.execute("SELECT reason FROM skipped_files WHERE path = ?", (rel_path,)).fetchone()
        return row[0] if row else None

    def copy_text_sha(self, rel_path: str) -> str | None:
        """The text fingerprint of the document rel_path was a copy of."""
        row = self.db.execute("SELECT d.text_sha FROM copies c JOIN documents d ON d.id = c.doc_id WHERE c.path = ?",
                              (rel_path,)).fetchone()
        return row[0] if row else None

    def paths_with_unread_scans(self) -> set[str]:
        return {row[0] for row in self.db.execute(
            "SELECT DISTINCT d.path FROM pages p JOIN documents d ON d.id = p.doc_id WHERE p.status = ?", (SCANNED,))}

    def page_states(self, rel_path: str) -> list[tuple[int, str, str | None, bool]]:
        """(pdf page, status, note, read by OCR) for every page of rel_path."""
        return [(row[0], row[1], row[2], bool(row[3])) for row in self.db.execute(
            f"SELECT {select(_STATE, 'p')} FROM pages p JOIN documents d ON d.id = p.doc_id WHERE d.path = ?"
            " ORDER BY p.pdf_page", (rel_path,))]

    # --- what a search backend elsewhere (backends/milvus_sync.py, milvus_keyword.py) holds and filters by

    def bodies_like(self, names: tuple[str, ...]) -> list[str]:
        """The bodies whose name holds any of these, case-insensitive (as Filters.body matches)."""
        where, params = _where(Filters(body=names))
        return [row[0] for row in self.db.execute(f"SELECT DISTINCT d.body FROM documents d WHERE {where}", params)]

    def paths_under(self, prefixes: tuple[str, ...]) -> list[str]:
        """The indexed documents' paths starting with any of these (as Filters.path matches)."""
        where, params = _where(Filters(path=prefixes))
        return [row[0] for row in self.db.execute(f"SELECT d.path FROM documents d WHERE {where}", params)]

    def passage_rows(self) -> Iterator[sqlite3.Row]:
        """Every passage with what it is searched and filtered by, document by document, in id order (its
        context with the body its series gave it, as keyword search reads it)."""
        yield from self.db.execute(
            f"SELECT c.id, d.path, d.body, LOWER(d.doc_type) AS doc_type, {_PASSAGE_DATE} AS meeting_date,"
            " c.pdf_page, c.pdf_page_end, c.item, c.heading, c.text,"
            " c.context || IIF(d.body_from = 'series', ' ' || d.body, '') AS context"
            " FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.doc_id, c.id")

    # --- whole tables, for the benchmark

    def rows(self, table: str, columns: tuple[str, ...]) -> list[tuple]:
        return [tuple(row) for row in self.db.execute(f"SELECT {select(columns)} FROM {table} ORDER BY rowid")]

    def embedding_contexts(self) -> list[tuple[str | None, str]]:
        """(context, text) of every passage in order: what the build gave the encoder."""
        return [tuple(row) for row in self.db.execute("SELECT c.context, c.text FROM chunks c ORDER BY c.id")]
