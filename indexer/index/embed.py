"""The build's embed step: parsed papers -> one vector per passage.

Another executor replaces this step by returning the same vectors, in passage order.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..papers.chunking import Chunk
from ..papers.parse import ParsedDocument
from .embedding import Embedder

ENCODE_BATCH = 64   # passages per call to the encoder (progress is told after each)


def embed_documents(docs: list[ParsedDocument], embedder: Embedder,
                    progress: Callable[[int, float], None] = lambda done, seconds: None) -> list[np.ndarray]:
    """The vectors of each document's passages. progress(passages embedded, seconds) after each batch."""
    texts = [embedding_text(doc, chunk) for doc in docs for chunk in doc.chunks]
    parts = []
    for start in range(0, len(texts), ENCODE_BATCH):
        started = time.perf_counter()
        parts.append(embedder.encode_passages(texts[start:start + ENCODE_BATCH]))
        progress(len(parts[-1]), time.perf_counter() - started)
    vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dimension), dtype="float32")
    bounds = np.cumsum([0] + [len(doc.chunks) for doc in docs])
    return [vectors[bounds[n]:bounds[n + 1]] for n in range(len(docs))]


def embedding_text(doc: ParsedDocument, chunk: Chunk) -> str:
    """What the model sees: the passage under where it sits (ParsedDocument.context)."""
    return with_context(doc.context(chunk), chunk.text)


def with_context(context: str | None, text: str) -> str:
    return f"{context}\n{text}" if context and not text.startswith(context) else text
