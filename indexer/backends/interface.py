"""What search needs of an index, and opening the build that offers it.

Search (find/search.py) asks an index for candidates, dense and keyword, both under the same
filters, and turns the candidates it keeps into hits by passage id. `Candidates` is the part a
search engine elsewhere can serve; `SearchBackend` adds what the catalog answers (hits, which
passages pass a filter, a passage by its stable id, a page). The embedded index (local.LocalBuild:
FAISS + SQLite) is the default implementation; milvus.MilvusBuild serves the candidates from a
Milvus collection and the rest from the same local catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from ..records import Filters, Hit, PageRecord
from .local import LocalBuild
from .manifest import Manifest

LOCAL = "local"   # --backend local: the embedded index, whatever the manifest names

Ranked = list[tuple[int, float]]   # (chunk id, score; higher is better), best first


class Candidates(Protocol):
    def dense(self, queries: np.ndarray, k: int, filters: Filters) -> list[Ranked]:
        """For each query vector, the k passages nearest to it among those passing the filters."""

    def keyword(self, query: str, k: int, filters: Filters) -> Ranked:
        """The k passages best matching the query's words (BM25) among those passing the filters."""


class SearchBackend(Candidates, Protocol):
    manifest: Manifest

    def hits(self, found: Ranked) -> list[Hit]:
        """Hits for (chunk id, score) pairs, ranked in the order given."""

    def passing(self, ids: list[int], filters: Filters) -> set[int]:
        """Those of the passages ids that pass the filters."""

    def holds(self, filters: Filters) -> bool:
        """Whether any passage passes the filters."""

    def passages_holding(self, word: str) -> int:
        """How many passages of the whole build hold the word (to weigh rare words above common ones)."""

    def passage(self, passage_id: str) -> Hit | None:
        """The passage of this stable id, or None when the build no longer holds it."""

    def page(self, doc_path: str, pdf_page: int) -> PageRecord | None:
        """One page of a document, as indexed."""


def open_build(index_dir: Path, backend: str | None = None) -> LocalBuild:
    """The published build in index_dir, searching where its manifest says unless backend (a
    milvus:// address, or 'local') says otherwise."""
    backend = backend or Manifest.read(index_dir).backend
    if not backend or backend == LOCAL:
        return LocalBuild(index_dir)
    from .milvus import MilvusBuild  # pymilvus is imported only by an index that uses it

    return MilvusBuild(index_dir, backend)
