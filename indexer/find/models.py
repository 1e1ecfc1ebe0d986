"""The language models a search uses, each loaded once per process, on first use."""

from __future__ import annotations

import threading

from ..index.embedding import MODELS, Embedder
from .rerank import Reranker

RERANK_TOKENS = 192   # query + passage stretch the cross-encoder reads


class Models:
    """The query encoder (the model the build was made with) and the cross-encoder.

    given: an encoder already loaded (tests, the benchmark); used while builds name its model.
    """

    def __init__(self, given: Embedder | None = None):
        self.given = given
        self._embedder = given
        self._reranker: Reranker | None = None
        self._lock = threading.Lock()  # concurrent first searches load each model once

    def can_encode(self, model: str) -> bool:
        return model in MODELS or (self.given is not None and self.given.name == model)

    def embedder(self, model: str) -> Embedder:
        with self._lock:
            if self._embedder is None or self._embedder.name != model:
                self._embedder = self.given if self.given is not None and self.given.name == model else Embedder(model)
            return self._embedder

    @property
    def reranker(self) -> Reranker:
        with self._lock:
            if self._reranker is None:
                self._reranker = Reranker(max_length=RERANK_TOKENS)
            return self._reranker
