"""One published build in a local folder, behind the interface search uses.

What search needs of where the index lives: how many passages, dense search under filters,
keyword search under filters, passages by id as hits, a snippet, decisions, a summary and a
page; and, for the next build, the vectors of passages by id. Another backend (a vector
database) offers the same methods.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from .. import threads
from ..errors import IndexCorrupt, IndexMismatch
from ..records import DecisionRecord, Filters, Hit, IndexInfo, MinutesItem, PageRecord, RecommendationRecord
from .catalog import Catalog
from .folder import CONVERTED, DATABASE, FLOATS, VECTORS
from .manifest import Manifest
from .schema import FORMAT_VERSION
from .vectors import reconstructable, search_parameters


class LocalBuild:
    """An index folder opened read-only: manifest, catalog (SQLite) and vectors (FAISS)."""

    def __init__(self, index_dir: Path | str):
        self.index_dir = Path(index_dir)
        self._info: IndexInfo | None = None
        self._floats: np.ndarray | None = None
        self._term_counter = None
        self.manifest = Manifest.read(self.index_dir)
        if self.manifest.format_version != FORMAT_VERSION:
            raise IndexMismatch(
                f"{self.index_dir} was built by an older version (index format {self.manifest.format_version}, "
                f"now {FORMAT_VERSION}). Rebuild it with: python -m indexer build CORPUS_DIR --index {self.index_dir}")
        vectors = self.index_dir / VECTORS
        if not vectors.is_file():
            raise IndexCorrupt(vectors, "file is missing")
        self.catalog = Catalog(self.index_dir / DATABASE)
        try:
            self.vectors = faiss.read_index(str(vectors))
        except RuntimeError as exc:
            self.catalog.close()
            raise IndexCorrupt(vectors, str(exc).strip().splitlines()[-1]) from exc
        if self.vectors.ntotal != self.catalog.count():
            self.catalog.close()
            raise IndexCorrupt(vectors, f"{self.vectors.ntotal} vectors for {self.catalog.count()} chunks")

    def close(self) -> None:
        self.catalog.close()

    @property
    def corpus_root(self) -> Path:
        return Path(self.manifest.corpus_root)

    def count(self) -> int:
        return self.vectors.ntotal

    def passages_holding(self, word: str) -> int:
        """How many passages of the build hold the word (as the keyword index stems it)."""
        if self._term_counter is None:
            self._term_counter = self.catalog.term_counter("chunks_fts")
        return self._term_counter(word)

    def dense(self, queries: np.ndarray, k: int, filters: Filters) -> list[list[tuple[int, float]]]:
        """(chunk id, cosine) best first for each query vector, among the passages passing the filters."""
        params = search_parameters(self.vectors)
        if filters.active():
            allowed = self.catalog.chunk_ids(filters)
            if not allowed:
                return [[] for _ in queries]
            params = search_parameters(self.vectors, faiss.IDSelectorBatch(np.array(allowed, dtype="int64")))
        limit = min(k, self.vectors.ntotal)
        if limit == 0:
            return [[] for _ in queries]
        with threads.searching():
            scores, ids = self.vectors.search(queries, limit, params=params)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i >= 0]
                for row_scores, row_ids in zip(scores, ids)]

    def vectors_by_id(self, ids: list[int]) -> np.ndarray:
        """The stored float vectors of these passages (never re-read from 8-bit codes)."""
        if self._floats is None and (self.index_dir / FLOATS).is_file():
            self._floats = np.load(self.index_dir / FLOATS, mmap_mode="r")  # mapped once, read per document
        if self._floats is not None:
            return np.ascontiguousarray(self._floats[np.asarray(ids, dtype="int64")])
        return reconstructable(self.vectors).reconstruct_batch(np.asarray(ids, dtype="int64"))

    def keyword(self, query: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        return self.catalog.keyword(query, k, filters)

    def passing(self, ids: list[int], filters: Filters) -> set[int]:
        return self.catalog.passing(ids, filters)

    def holds(self, filters: Filters) -> bool:
        return self.catalog.holds(filters)

    def passage_ids(self) -> list[tuple[int, str, str]]:
        return self.catalog.passage_ids()

    def passage(self, passage_id: str) -> Hit | None:
        return self.catalog.passage(passage_id)

    def hits(self, found: list[tuple[int, float]]) -> list[Hit]:
        return self.catalog.hits(found)

    def snippet(self, query: str, hit: Hit, mark: tuple[str, str]) -> str | None:
        return self.catalog.snippet(query, hit, mark)

    def decisions(self, query: str | None, filters: Filters, limit: int | None = None,
                  outcome: tuple[str, ...] = ()) -> list[DecisionRecord]:
        return self.catalog.decisions(query, filters, limit, outcome)

    def decision_group(self, group_id: int) -> list[DecisionRecord]:
        return self.catalog.decision_group(group_id)

    def decisions_in(self, chunk_ids: list[int]) -> list[DecisionRecord]:
        return self.catalog.decisions_in(chunk_ids)

    def recommendations(self, meeting_date: str) -> list[RecommendationRecord]:
        return self.catalog.recommendations(meeting_date)

    def minutes_items(self, meeting_date: str) -> list[MinutesItem]:
        return self.catalog.minutes_items(meeting_date)

    def page(self, doc_path: str, pdf_page: int) -> PageRecord | None:
        return self.catalog.page(doc_path, pdf_page)

    def converted_pdf(self, sha256: str) -> Path | None:
        """The PDF an office file with this hash was converted to, kept with the build."""
        path = self.index_dir / CONVERTED / f"{sha256}.pdf"
        return path if path.is_file() else None

    def info(self) -> IndexInfo:
        """The summary, read once: a published build never changes."""
        if self._info is None:
            m = self.manifest
            self._info = self.catalog.info(m.model, m.built_at, m.corpus_root, m.include_exempt, m.ocr_engine)
        return self._info
