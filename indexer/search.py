"""Stage 8: a question -> ranked passages, each cited to document, meeting, item and page.

Filters (body, document type, meeting dates) are applied inside the vector
search through a FAISS ID selector, so a filter narrows the candidates before
ranking and never empties a top-k that exists.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import faiss
import numpy as np

from .coverage import IndexInfo, describe
from .embedding import Embedder
from .errors import BadQuery, IndexMismatch
from .store import IndexReader


@dataclass
class Hit:
    rank: int
    score: float
    text: str
    doc_path: str            # relative to the corpus root
    doc_title: str
    doc_type: str
    body: str | None
    meeting_date: str | None  # ISO date
    pdf_page: int            # 1-based PDF page where the passage starts
    pdf_page_end: int
    page_label: str | None   # printed page number on pdf_page
    item: str | None         # agenda item, e.g. "9. Homeless Services Provision"
    chunk_id: int

    @property
    def citation(self) -> str:
        parts = [self.doc_title]
        if self.body:
            parts.append(self.body)
        if self.meeting_date:
            parts.append(self.meeting_date)
        if self.item:
            parts.append(f"item {self.item}")
        parts.append(page_citation(self.pdf_page, self.pdf_page_end, self.page_label))
        return ", ".join(parts)

    def to_json(self) -> dict:
        return asdict(self)


def page_citation(pdf_page: int, pdf_page_end: int, page_label: str | None) -> str:
    pages = f"PDF p. {pdf_page}" if pdf_page == pdf_page_end else f"PDF pp. {pdf_page}-{pdf_page_end}"
    if page_label and page_label != str(pdf_page):
        return f"{pages} (printed page {page_label})"
    return pages


@dataclass
class Filters:
    body: list[str] | None = None       # any of these, case-insensitive, part of the name is enough
    doc_type: list[str] | None = None   # any of these document types
    date_from: str | None = None        # ISO dates, inclusive
    date_to: str | None = None

    def active(self) -> bool:
        return any((self.body, self.doc_type, self.date_from, self.date_to))

    def sql(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.body:
            clauses.append("(" + " OR ".join("d.body LIKE ?" for _ in self.body) + ")")
            params += [f"%{b.strip()}%" for b in self.body]
        if self.doc_type:
            clauses.append("(" + " OR ".join("LOWER(d.doc_type) = ?" for _ in self.doc_type) + ")")
            params += [t.strip().lower() for t in self.doc_type]
        if self.date_from:
            clauses.append("d.meeting_date >= ?")
            params.append(_iso(self.date_from, "--from"))
        if self.date_to:
            clauses.append("d.meeting_date <= ?")
            params.append(_iso(self.date_to, "--to"))
        return (" AND ".join(clauses) or "1"), params


def make_filters(body=None, doc_type=None, date_from=None, date_to=None) -> Filters:
    as_list = lambda v: [v] if isinstance(v, str) else (list(v) if v else None)  # noqa: E731
    return Filters(as_list(body), as_list(doc_type), date_from or None, date_to or None)


class Index:
    """An opened index. Loads the model once, on the first search."""

    def __init__(self, index_dir: Path | str, embedder: Embedder | None = None):
        self.reader = IndexReader(Path(index_dir))
        self.manifest = self.reader.manifest
        self._embedder = embedder
        if embedder is not None and embedder.name != self.manifest.model:
            raise IndexMismatch(
                f"{index_dir} was built with {self.manifest.model}, not {embedder.name}; "
                f"rebuild it with: python -m indexer build CORPUS_DIR --index {index_dir}"
            )

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.manifest.model)
        return self._embedder

    @property
    def corpus_root(self) -> Path:
        return Path(self.manifest.corpus_root)

    def search(self, query: str, k: int = 10, *, body=None, doc_type=None,
               date_from=None, date_to=None) -> list[Hit]:
        return self.search_many([query], k, make_filters(body, doc_type, date_from, date_to))[0]

    def search_many(self, queries: list[str], k: int = 10, filters: Filters | None = None) -> list[list[Hit]]:
        """Run several queries in one batch (one model call)."""
        filters = filters or Filters()
        cleaned = [" ".join(str(q).split()) for q in queries]
        if any(not q for q in cleaned):
            raise BadQuery("Type a question or some words to search for.")
        if k < 1:
            raise BadQuery("-k must be at least 1")
        params = self._selector(filters)
        if params is None:
            return [[] for _ in cleaned]
        vectors = self.embedder.encode_queries(cleaned)
        limit = min(k, self.reader.vectors.ntotal)
        if limit == 0:
            return [[] for _ in cleaned]
        scores, ids = self.reader.vectors.search(vectors, limit, params=params)
        return [self._hits(row_scores, row_ids) for row_scores, row_ids in zip(scores, ids)]

    def _selector(self, filters: Filters) -> faiss.SearchParameters | None:
        """None when no chunk passes the filters; empty parameters when there are no filters."""
        if not filters.active():
            return faiss.SearchParameters()
        where, params = filters.sql()
        rows = self.reader.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where}", params
        ).fetchall()
        if not rows:
            return None
        allowed = np.array([r[0] for r in rows], dtype="int64")
        return faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))

    def _hits(self, scores: np.ndarray, ids: np.ndarray) -> list[Hit]:
        found = [(int(i), float(s)) for i, s in zip(ids, scores) if i >= 0]
        if not found:
            return []
        rows = {
            row["id"]: row for row in self.reader.db.execute(
                "SELECT c.id, c.text, c.pdf_page, c.pdf_page_end, c.page_label, c.item,"
                " d.path, d.title, d.doc_type, d.body, d.meeting_date"
                f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({','.join('?' * len(found))})",
                [i for i, _ in found],
            )
        }
        return [
            Hit(rank=rank, score=round(score, 4), text=rows[i]["text"], doc_path=rows[i]["path"],
                doc_title=rows[i]["title"], doc_type=rows[i]["doc_type"], body=rows[i]["body"],
                meeting_date=rows[i]["meeting_date"], pdf_page=rows[i]["pdf_page"],
                pdf_page_end=rows[i]["pdf_page_end"], page_label=rows[i]["page_label"],
                item=rows[i]["item"], chunk_id=i)
            for rank, (i, score) in enumerate(found, start=1)
        ]

    def info(self) -> IndexInfo:
        return describe(self.reader)

    def close(self) -> None:
        self.reader.close()


def open_index(index_dir: Path | str, embedder: Embedder | None = None) -> Index:
    return Index(index_dir, embedder)


def _iso(value: str, flag: str) -> str:
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise BadQuery(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD") from exc
