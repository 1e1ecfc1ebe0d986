"""An opened index: the published build being served, the models, and the searches over them.

    index = open_index("index")
    hits = index.search("rough sleepers housed", k=5, body="Health", date_from="2020-01-01")

Safe to share between threads (the app's sessions share one). Each search reads one build
only, even when a rebuild lands while it runs (see backends/published.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..backends.interface import open_build
from ..backends.local import LocalBuild
from ..backends.published import PublishedIndex
from ..errors import IndexerError, IndexMismatch
from ..index.embedding import MODELS, Embedder
from ..records import (
    DecisionRecord,
    Filters,
    Hit,
    IndexInfo,
    MinutesItem,
    PageRecord,
    RecommendationRecord,
    make_filters,
)
from . import search as searching
from .focus import Focus
from .models import Models


class Index:
    def __init__(self, index_dir: Path | str, embedder: Embedder | None = None, backend: str | None = None):
        """backend: where dense and keyword search run (a milvus:// address, or 'local' for the embedded
        index); None: where the index's manifest says."""
        self.index_dir = Path(index_dir)
        self.models = Models(embedder)
        self.backend = backend
        self._published = PublishedIndex(self.index_dir, self._open)

    def _open(self, index_dir: Path) -> LocalBuild:
        """A build, refused when its queries cannot be encoded the way its passages were."""
        build = open_build(index_dir, self.backend)
        model = build.manifest.model
        if not self.models.can_encode(model):
            build.close()
            given = self.models.given
            using = f"not {given.name}" if given is not None else f"which this version does not know ({', '.join(MODELS)})"
            raise IndexMismatch(f"{index_dir} was built with the embedding model {model}, {using}; "
                                f"rebuild it with: python -m indexer build CORPUS_DIR --index {index_dir}")
        return build

    @property
    def build(self) -> LocalBuild:
        """The build this thread's search is pinned to, else the newest published one."""
        return self._published.build

    @property
    def manifest(self):
        return self.build.manifest

    @property
    def version(self) -> str:
        """Changes whenever a new build is served: the key for anything cached from this index's results."""
        return self._published.version

    @property
    def corpus_root(self) -> Path:
        return self.build.corpus_root

    @contextmanager
    def pinned(self):
        """Everything this thread reads inside `with index.pinned():` comes from one build."""
        with self._published.pinned():
            yield self

    def search(self, query: str, k: int = 10, *, mode: str = "hybrid", rerank: bool = searching.DEFAULT_RERANK,
               steer: bool = True, body=None, doc_type=None, date_from=None, date_to=None, path=None) -> list[Hit]:
        filters = make_filters(body, doc_type, date_from, date_to, path)
        return self.search_many([query], k, filters, mode=mode, rerank=rerank, steer=steer)[0]

    def search_many(self, queries: list[str], k: int = 10, filters: Filters | None = None, *,
                    mode: str = "hybrid", rerank: bool = searching.DEFAULT_RERANK,
                    steer: bool = True) -> list[list[Hit]]:
        """Run several queries with the models loaded once (dense vectors in one batch). steer: see search.search."""
        with self._published.pinned() as build:
            return searching.search(build, self.models, queries, k, filters or Filters(), mode, rerank, steer)

    def focus(self, query: str) -> Focus:
        """What the query names of where to look (a body, month, document type), as search steers by it."""
        return searching.question_focus(self.build, query)

    def hits_for(self, found: list[tuple[int, float]]) -> list[Hit]:
        """Hits for (chunk id, score) pairs of the current build, ranked in the order given."""
        return self.build.hits(found)

    def passage(self, passage_id: str) -> Hit | None:
        """The passage of this stable id (the same in every build), or None when this build no longer holds it."""
        return self.build.passage(passage_id)

    def snippet(self, query: str, hit: Hit, mark: tuple[str, str] = ("**", "**")) -> str | None:
        """The passage's best stretch with the query's words marked (None when no word matches,
        or when the index has been rebuilt since the hit was found)."""
        return self.build.snippet(query, hit, mark)

    def decisions(self, query: str | None = None, filters: Filters | None = None,
                  limit: int | None = None, outcome: tuple[str, ...] = ()) -> list[DecisionRecord]:
        """Decisions from the minutes, one per part: newest first, or most relevant first for a query."""
        return self.build.decisions(query, filters or Filters(), limit, outcome)

    def decision_group(self, group_id: int) -> list[DecisionRecord]:
        """Every part of one resolution, in order."""
        return self.build.decision_group(group_id)

    def decisions_in(self, chunk_ids: list[int]) -> list[DecisionRecord]:
        """The decisions the passages of these ids hold."""
        return self.build.decisions_in(chunk_ids)

    def recommendations(self, meeting_date: str) -> list[RecommendationRecord]:
        """What the reports to the meetings of that date recommended."""
        return self.build.recommendations(meeting_date)

    def minutes_items(self, meeting_date: str) -> list[MinutesItem]:
        """The items of the minutes of the meetings of that date."""
        return self.build.minutes_items(meeting_date)

    def relevance(self, query: str, texts: list[str]) -> np.ndarray:
        """The cross-encoder's logit for each text as an answer to query (higher is more relevant)."""
        return self.models.reranker.score(query, texts)

    def page(self, doc_path: str, pdf_page: int) -> PageRecord:
        found = self.build.page(doc_path, pdf_page)
        if found is None:
            raise IndexerError(f"{doc_path} has no page {pdf_page} in this index")
        return found

    def info(self) -> IndexInfo:
        return self.build.info()

    def warm_up(self) -> None:
        """Load both models now, not on the first question."""
        self.models.embedder(self.manifest.model).encode_queries(["warm up"])
        self.models.reranker.score("warm up", ["warm up"])

    def close(self) -> None:
        self._published.close()


def open_index(index_dir: Path | str, embedder: Embedder | None = None, backend: str | None = None) -> Index:
    return Index(index_dir, embedder, backend)


def search(index: Index | Path | str, query: str, k: int = 10, **options) -> list[Hit]:
    """indexer.search("index", "rough sleepers housed", k=5, body="Health", mode="hybrid")."""
    return (index if isinstance(index, Index) else open_index(index)).search(query, k, **options)
