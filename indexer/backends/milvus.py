"""Passages in a Milvus collection: dense and keyword candidates from Milvus, everything else from the catalog.

    python -m indexer build papers/ --index idx --backend milvus://127.0.0.1:19530/board_papers

A build with a Milvus backend writes the index folder as always (catalog, vectors, manifest), then
brings the collection up to date with it (`MilvusSync`) before the folder is published. Searching
such an index (`MilvusBuild`) asks Milvus for the dense candidates (inner product of the e5
vectors) and the keyword candidates, under the same filters, and the catalog for the rest: hits,
pages, decisions, coverage. The council's body is the collection's partition key.

Where the collection is and how a build writes it (its layout, keys and rows, `MilvusSync`) is in
milvus_sync; how keyword candidates are ranked and filters are expressed for Milvus, in milvus_keyword.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import BackendUnavailable, IndexCorrupt
from ..records import Filters
from . import fts
from .local import LocalBuild
from .milvus_keyword import POOL, bm25, expression, holding, stems_of
from .milvus_sync import (
    KEYS,
    KEYWORD_FIELDS,
    LAYOUT,
    WORD_FIELDS,
    MilvusAddress,
    calling,
    connect,
    document_keys,
    layout,
    loaded,
    words,
)

MAX_LIMIT = 16_384             # the most rows one Milvus search returns


class MilvusBuild(LocalBuild):
    """A published build whose dense and keyword candidates come from a Milvus collection."""

    def __init__(self, index_dir: Path | str, url: str):
        super().__init__(index_dir)
        try:
            self.address = MilvusAddress.parse(url)
            self.client = connect(self.address)
            with calling(self.address):
                write = (f"Write the index into it with: python -m indexer build CORPUS_DIR --index {self.index_dir} "
                         f"--backend {self.address.url}")
                name = self.address.collection
                if not self.client.has_collection(name):
                    raise BackendUnavailable(self.address.url, f"it has no collection {name}", fix=write)
                found = layout(self.client.describe_collection(name))
                if found != LAYOUT:
                    raise BackendUnavailable(self.address.url, f"the collection {name} is in layout {found}, and this "
                                             f"program searches layout {LAYOUT}", fix=write)
                loaded(self.client, name)
            self._first = self._keys()
        except BaseException:
            super().close()
            raise

    def _keys(self) -> dict[str, int]:
        path = self.index_dir / KEYS
        if not path.is_file():   # an embedded index searched through --backend: the keys are its content's
            return {key: rows[0]["id"] for key, rows in document_keys(self.catalog, self.manifest.model)}
        try:
            return json.loads(path.read_text())
        except ValueError as exc:
            raise IndexCorrupt(path, f"not valid JSON: {exc}") from exc

    def close(self) -> None:
        self.client.close()
        super().close()

    def dense(self, queries: np.ndarray, k: int, filters: Filters) -> list[list[tuple[int, float]]]:
        return self._search([[float(x) for x in q] for q in queries], "vector", "IP", k, filters, len(queries))

    def keyword(self, query: str, k: int, filters: Filters) -> list[tuple[int, float]]:
        """As the embedded index ranks: Milvus's best POOL passages in each field for the words FTS5 would
        search, each quoted phrase required, scored by FTS5's bm25() from the stems Milvus returns."""
        phrases, terms = fts.query_terms(query)
        terms = fts.within_budget(terms, self.catalog.term_counter("chunks_fts"))
        searched = " ".join(words(" ".join([*phrases, *terms])).split())
        where, loose = expression(filters, self.catalog)
        if not searched or where is None or k < 1:
            return []
        where = " and ".join(clause for clause in [where, *map(holding, phrases)] if clause)
        candidates: dict[int, tuple[list[str], list[str]]] = {}
        for field, _ in KEYWORD_FIELDS:
            for chunk, hit in self._found([searched], field, "BM25", max(k, POOL), where, WORD_FIELDS)[0]:
                text, context = (stems_of(hit["entity"][name]) for name in WORD_FIELDS)
                candidates[chunk] = text, context
        if loose:
            passing = self.catalog.passing(list(candidates), filters)
            candidates = {chunk: held for chunk, held in candidates.items() if chunk in passing}
        rows, average = self._lengths
        return bm25(candidates, phrases, terms, self.catalog.row_counter("chunks_fts"), rows, average)[:k]

    @cached_property
    def _lengths(self) -> tuple[int, float]:
        """(the build's passages, their average length in stems), as bm25() reads them."""
        rows = self.catalog.count()
        return rows, self.catalog.token_total("chunks_fts") / rows if rows else 0.0

    def _search(self, data: list, field: str, metric: str, k: int, filters: Filters,
                queries: int) -> list[list[tuple[int, float]]]:
        where, loose = expression(filters, self.catalog)
        if where is None or k < 1:
            return [[] for _ in range(queries)]
        ranked = [[(chunk, float(hit["distance"])) for chunk, hit in row]
                  for row in self._found(data, field, metric, k, where)]
        if loose:   # a path prefix with _ or % in it matched by LIKE: the catalog has the last word
            ranked = [self._passing(row, filters) for row in ranked]
        return ranked

    def _found(self, data: list, field: str, metric: str, limit: int, where: str,
               fields: tuple[str, ...] = ()) -> list[list[tuple[int, dict]]]:
        """(chunk id, Milvus's hit with these fields) best first for each query, for the keys this build knows."""
        with calling(self.address):
            found = self.client.search(self.address.collection, data=data, anns_field=field,
                                       limit=min(limit, MAX_LIMIT), filter=where, search_params={"metric_type": metric},
                                       output_fields=list(fields))
        return [[(chunk, hit) for hit in row if (chunk := self._chunk(hit["key"])) is not None] for row in found]

    def _passing(self, ranked: list[tuple[int, float]], filters: Filters) -> list[tuple[int, float]]:
        passing = self.catalog.passing([chunk for chunk, _ in ranked], filters)
        return [pair for pair in ranked if pair[0] in passing]

    def _chunk(self, key: str) -> int | None:
        doc_key, _, n = key.rpartition("-")
        first = self._first.get(doc_key)
        return None if first is None or not n.isdigit() else first + int(n)
