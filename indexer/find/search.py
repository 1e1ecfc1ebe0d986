"""Stage 8: a question -> ranked passages, each cited to document, meeting, item and page.

Two retrievers: dense (FAISS over sentence vectors) and keyword (SQLite FTS5,
BM25). The default, hybrid, fuses their rankings by reciprocal rank; a
cross-encoder can re-score the fused top passages. Filters (body, document
type, meeting dates) apply inside both retrievers (a FAISS ID selector, an SQL
WHERE), so a filter narrows the candidates before ranking and never empties a
top-k that exists.

A hit's score depends on the mode: cosine similarity (dense), BM25 (keyword),
fused reciprocal-rank score (hybrid), or the cross-encoder's logit (reranked).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import faiss
import numpy as np

from ..backends import fts
from ..backends.store import MANIFEST, IndexReader
from ..backends.vectors import search_parameters
from ..errors import BadQuery, IndexerError, IndexMismatch
from ..index.embedding import MODELS, Embedder
from ..papers.metadata import long_date, named_month
from .coverage import IndexInfo, describe
from .register import DecisionRecord, find_decisions
from .rerank import Reranker, best_windows, term_weights

MODES = ("hybrid", "keyword", "dense")
DECISION_QUESTION = re.compile(
    r"\b(resolv\w*|resolution|decid\w*|decision|agree\w*|approv\w*|adopt\w*|endors\w*|ratif\w*|vote\w*)\b", re.I
)
DEFAULT_RERANK = True   # measured: better on both question sets, p95 under 1 s
RRF_K = 60              # the usual constant of reciprocal rank fusion
CANDIDATES = 50         # from each retriever, for fusion
RERANK_DEPTH = 25       # fused passages the cross-encoder re-scores
RERANK_WORDS = 80       # of each, it reads the best-matching stretch of this many words,
RERANK_SECOND_LOOK = 6   # and for this many leaders the second-best stretch too


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
    ocr: bool = False        # some of the passage was read from a scanned page by OCR: check the page image
    copies: list[str] = field(default_factory=list)  # other files with the same bytes or text, indexed once

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
        return f"{pages} - printed Page {page_label}"
    return pages


@dataclass
class Filters:
    body: list[str] | None = None       # any of these, case-insensitive, part of the name is enough
    doc_type: list[str] | None = None   # any of these document types
    date_from: str | None = None        # ISO dates, inclusive
    date_to: str | None = None
    path: list[str] | None = None       # documents whose path (relative to the corpus) starts with one of these

    def active(self) -> bool:
        return any((self.body, self.doc_type, self.date_from, self.date_to, self.path))

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
        if self.path:
            clauses.append("(" + " OR ".join("substr(d.path, 1, ?) = ?" for _ in self.path) + ")")
            for prefix in self.path:
                prefix = prefix.strip().lstrip("./")
                params += [len(prefix), prefix]
        return (" AND ".join(clauses) or "1"), params


def make_filters(body=None, doc_type=None, date_from=None, date_to=None, path=None) -> Filters:
    as_list = lambda v: [v] if isinstance(v, str) else (list(v) if v else None)  # noqa: E731
    return Filters(as_list(body), as_list(doc_type), date_from or None, date_to or None, as_list(path))


class Index:
    """An opened index. Loads the model once, on the first search.

    A rebuild publishes a new index folder in one step; the next search notices
    (the manifest is a new file) and moves to it, while searches already running
    finish on the files they started with. Each search reads one index only.
    """

    def __init__(self, index_dir: Path | str, embedder: Embedder | None = None):
        self.index_dir = Path(index_dir)
        self._stamp = _stamp(self.index_dir)
        self._reader = _open_reader(self.index_dir, embedder)
        self._failed_stamp = None  # a newer build that did not open: tried again, warned of once
        self._embedder = embedder
        self._reranker = None
        self._lock = threading.Lock()
        self._models_lock = threading.Lock()
        self._pinned = threading.local()

    @property
    def reader(self) -> IndexReader:
        """The index this thread's search started on, else the newest published one."""
        return getattr(self._pinned, "reader", None) or self._current()

    @property
    def manifest(self):
        return self.reader.manifest

    @property
    def version(self) -> str:
        """Changes whenever a build is published: the key for anything cached from this index's results."""
        self._current()
        return "-".join(map(str, self._stamp or ()))

    def _current(self) -> IndexReader:
        stamp = _stamp(self.index_dir)
        if stamp is not None and stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._move_to_new_build(stamp)
        return self._reader

    def _move_to_new_build(self, stamp: tuple[int, int]) -> None:
        """Open the newly published build; if it does not open, keep serving the old one and try again
        on the next search (the build's files may still be settling)."""
        try:
            reader = _open_reader(self.index_dir, None)
        except IndexerError as exc:
            if stamp != self._failed_stamp:
                logging.getLogger(__name__).warning("kept the open index: the new one did not open (%s)", exc)
                self._failed_stamp = stamp
            return
        if self._embedder is not None and self._embedder.name != reader.manifest.model:
            self._embedder = None
        self._reader, self._stamp = reader, stamp  # the old files stay open until the searches using them finish

    @contextmanager
    def pinned(self):
        """Everything this thread reads inside `with index.pinned():` comes from one index."""
        if getattr(self._pinned, "reader", None) is not None:
            yield
            return
        self._pinned.reader = self._current()
        try:
            yield
        finally:
            self._pinned.reader = None

    @property
    def embedder(self) -> Embedder:
        with self._models_lock:  # concurrent first searches load the model once
            if self._embedder is None:
                self._embedder = Embedder(self.manifest.model)
            return self._embedder

    @property
    def corpus_root(self) -> Path:
        return Path(self.manifest.corpus_root)

    def search(self, query: str, k: int = 10, *, mode: str = "hybrid", rerank: bool = DEFAULT_RERANK,
               body=None, doc_type=None, date_from=None, date_to=None, path=None) -> list[Hit]:
        filters = make_filters(body, doc_type, date_from, date_to, path)
        return self.search_many([query], k, filters, mode=mode, rerank=rerank)[0]

    def search_many(self, queries: list[str], k: int = 10, filters: Filters | None = None, *,
                    mode: str = "hybrid", rerank: bool = DEFAULT_RERANK) -> list[list[Hit]]:
        """Run several queries with the model loaded once (dense vectors in one batch)."""
        with self.pinned():
            return self._search_many(queries, k, filters or Filters(), mode, rerank)

    def _search_many(self, queries: list[str], k: int, filters: Filters, mode: str,
                     rerank: bool) -> list[list[Hit]]:
        cleaned = [" ".join(str(q).split()) for q in queries]
        if any(not q for q in cleaned):
            raise BadQuery("Type a question or some words to search for.")
        if k < 1:
            raise BadQuery("-k must be at least 1")
        if mode not in MODES:
            raise BadQuery(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        depth = max(k, RERANK_DEPTH if rerank else 0, CANDIDATES if mode == "hybrid" else 0)
        dense = self._dense(cleaned, depth, filters) if mode != "keyword" else [[] for _ in cleaned]
        results = []
        for query, dense_ranked in zip(cleaned, dense):
            keyword_ranked = self._keyword(query, depth, filters) if mode != "dense" else []
            if mode == "hybrid":
                decided = self._decision_passages(query, depth, filters) if DECISION_QUESTION.search(query) else []
                # Keyword ranking counts twice (it measured the stronger retriever on both question sets),
                # and so do passages holding matching resolutions: asked what was decided, show the decision.
                fused = reciprocal_rank_fusion([dense_ranked, keyword_ranked, keyword_ranked, decided, decided])
                # "at the July 2020 meeting": passages from meetings in that month count once more.
                month = named_month(query)
                ranked = reciprocal_rank_fusion([fused, fused, self._in_month(fused, month)]) if month else fused
            else:
                ranked = dense_ranked if mode == "dense" else keyword_ranked
            hits = self.hits_for(ranked[: max(k, RERANK_DEPTH) if rerank else k])
            results.append(self._rerank(query, hits)[:k] if rerank else hits)
        return results

    def snippet(self, query: str, hit: Hit, mark: tuple[str, str] = ("**", "**")) -> str | None:
        """The passage's best stretch with the query's words marked (None when no word matches,
        or when the index has been rebuilt since the hit was found)."""
        with self.pinned():
            row = self.reader.db.execute("SELECT text FROM chunks WHERE id = ?", (hit.chunk_id,)).fetchone()
            if row is None or row[0] != hit.text:
                return None
            return fts.snippet(self.reader.db, query, hit.chunk_id, mark)

    def _dense(self, queries: list[str], depth: int, filters: Filters) -> list[list[tuple[int, float]]]:
        params = self._selector(filters)
        limit = min(depth, self.reader.vectors.ntotal)
        if params is None or limit == 0:
            return [[] for _ in queries]
        scores, ids = self.reader.vectors.search(self.embedder.encode_queries(queries), limit, params=params)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i >= 0]
                for row_scores, row_ids in zip(scores, ids)]

    def _keyword(self, query: str, depth: int, filters: Filters) -> list[tuple[int, float]]:
        where, params = filters.sql()
        return fts.keyword_search(self.reader.db, query, depth, where, params)

    def _in_month(self, ranked: list[tuple[int, float]], month: str) -> list[tuple[int, float]]:
        """The ranked passages whose meeting falls in month ('2020-07'), in their order."""
        ids = [chunk_id for chunk_id, _ in ranked]
        rows = self.reader.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({','.join('?' * len(ids))})"
            " AND substr(d.meeting_date, 1, 7) = ?", [*ids, month],
        ).fetchall() if ids else []
        dated = {row[0] for row in rows}
        return [(chunk_id, score) for chunk_id, score in ranked if chunk_id in dated]

    def _decision_passages(self, query: str, depth: int, filters: Filters) -> list[tuple[int, float]]:
        """Passages holding the resolutions that best match the query, best first.

        A decision passes a date filter on its own meeting's date, but the passage holding it is the
        document's, so the passages are filtered as passages too (as in the other retrievers)."""
        ranked: dict[int, float] = {}
        for record in self.decisions(query, filters, limit=depth):
            if record.chunk_id is not None and record.chunk_id not in ranked:
                ranked[record.chunk_id] = record.score or 0.0
        if ranked and filters.active():
            where, params = filters.sql()
            ids = list(ranked)
            passing = {row[0] for row in self.reader.db.execute(
                f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id"
                f" WHERE c.id IN ({','.join('?' * len(ids))}) AND {where}", [*ids, *params])}
            ranked = {chunk_id: score for chunk_id, score in ranked.items() if chunk_id in passing}
        return list(ranked.items())

    def _rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        """Re-score by the cross-encoder: each passage's best-matching window, then a second
        window for the passages that came out on top, each scoring as its best window."""
        if not hits:
            return hits
        weights = term_weights(query, [h.text for h in hits])
        windows = [best_windows(h.text, weights, RERANK_WORDS, 2) for h in hits]
        heads = [f"{h.body or ''} {long_date(h.meeting_date)}: {' '.join((h.item or h.doc_title).split()[:8])}"
                 for h in hits]
        scores = [float(s) for s in self.reranker.score(
            query, [f"{head}\n{ws[0]}" for head, ws in zip(heads, windows)], batch_size=4)]
        leaders = sorted(range(len(hits)), key=lambda n: -scores[n])[:RERANK_SECOND_LOOK]
        seconds = [n for n in leaders if len(windows[n]) > 1]
        for n, score in zip(seconds, self.reranker.score(
                query, [f"{heads[n]}\n{windows[n][1]}" for n in seconds], batch_size=4)):
            scores[n] = max(scores[n], float(score))
        order = sorted(range(len(hits)), key=lambda n: -scores[n])
        return [replace(hits[n], rank=rank, score=round(scores[n], 4)) for rank, n in enumerate(order, start=1)]

    @property
    def reranker(self):
        with self._models_lock:
            if self._reranker is None:
                self._reranker = Reranker(max_length=192)
            return self._reranker

    def _selector(self, filters: Filters) -> faiss.SearchParameters | None:
        """None when no chunk passes the filters; otherwise the search parameters, with the filter's ids."""
        if not filters.active():
            return search_parameters(self.reader.vectors)
        where, params = filters.sql()
        rows = self.reader.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where}", params
        ).fetchall()
        if not rows:
            return None
        allowed = np.array([r[0] for r in rows], dtype="int64")
        return search_parameters(self.reader.vectors, faiss.IDSelectorBatch(allowed))

    def hits_for(self, found: list[tuple[int, float]]) -> list[Hit]:
        """Hits for (chunk id, score) pairs, ranked in the order given."""
        if not found:
            return []
        rows = {
            row["id"]: row for row in self.reader.db.execute(
                "SELECT c.id, c.text, c.pdf_page, c.pdf_page_end, c.page_label, c.item, c.ocr,"
                " d.id AS doc_id, d.path, d.title, d.doc_type, d.body, d.meeting_date"
                f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({','.join('?' * len(found))})",
                [i for i, _ in found],
            )
        }
        doc_ids = sorted({row["doc_id"] for row in rows.values()})
        copies: dict[int, list[str]] = {}
        for doc_id, path in self.reader.db.execute(
                f"SELECT doc_id, path FROM copies WHERE doc_id IN ({','.join('?' * len(doc_ids))}) ORDER BY path",
                doc_ids):
            copies.setdefault(doc_id, []).append(path)
        return [
            Hit(rank=rank, score=round(score, 4), text=rows[i]["text"], doc_path=rows[i]["path"],
                doc_title=rows[i]["title"], doc_type=rows[i]["doc_type"], body=rows[i]["body"],
                meeting_date=rows[i]["meeting_date"], pdf_page=rows[i]["pdf_page"],
                pdf_page_end=rows[i]["pdf_page_end"], page_label=rows[i]["page_label"],
                item=rows[i]["item"], chunk_id=i, ocr=bool(rows[i]["ocr"]), copies=copies.get(rows[i]["doc_id"], []))
            for rank, (i, score) in enumerate(found, start=1)
        ]

    def decisions(self, query: str | None = None, filters: Filters | None = None,
                  limit: int | None = None) -> list[DecisionRecord]:
        """Resolutions from the minutes: newest first, or most relevant first for a query."""
        where, params = (filters or Filters()).sql()
        return find_decisions(self.reader.db, query, where, params, limit)

    def info(self) -> IndexInfo:
        return describe(self.reader)

    def close(self) -> None:
        self._reader.close()


def _open_reader(index_dir: Path, embedder: Embedder | None) -> IndexReader:
    """The published build, refused when this code cannot embed queries the way it was built."""
    reader = IndexReader(index_dir)
    model = reader.manifest.model
    if (embedder.name != model) if embedder is not None else (model not in MODELS):
        reader.close()
        using = f"not {embedder.name}" if embedder is not None else f"which this version does not know ({', '.join(MODELS)})"
        raise IndexMismatch(f"{index_dir} was built with the embedding model {model}, {using}; "
                            f"rebuild it with: python -m indexer build CORPUS_DIR --index {index_dir}")
    return reader


def _stamp(index_dir: Path) -> tuple[int, int] | None:
    """Identifies the published build: each publish writes a new manifest file."""
    try:
        found = os.stat(index_dir / MANIFEST)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


def reciprocal_rank_fusion(rankings: list[list[tuple[int, float]]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked lists: each list adds 1 / (k + rank) for every id it holds."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (chunk_id, _) in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def open_index(index_dir: Path | str, embedder: Embedder | None = None) -> Index:
    return Index(index_dir, embedder)


def search(index: Index | Path | str, query: str, k: int = 10, **options) -> list[Hit]:
    """indexer.search("index", "rough sleepers housed", k=5, body="Health", mode="hybrid")."""
    return (index if isinstance(index, Index) else open_index(index)).search(query, k, **options)


def _iso(value: str, flag: str) -> str:
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise BadQuery(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD") from exc
