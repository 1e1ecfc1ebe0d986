"""How alike two papers' words are: the same paper published in two formats.

Only papers in different formats are compared this way (the build's copies ledger): in one
format, a near match is another version (a draft and its final, tracked changes, next month's
action log), not a copy.

A minutes document published as a PDF and as text (or as .doc and .pdf) reads a little
differently in each: running headers, list numbers, line breaks. Their words are still nearly
all the same, three at a time. A MinHash signature of the three-word runs estimates that
share (Jaccard similarity) from 128 numbers kept per document.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

PERMUTATIONS = 128
SAME_PAPER = 0.8        # estimated share of three-word runs in common above which two texts are one paper
MIN_WORDS = 150         # shorter texts (a one-page agenda of set headings) are compared only word for word
LENGTH_RATIO = 0.75     # the shorter text has at least this share of the longer one's words

_PRIME = np.uint64((1 << 61) - 1)
_SEEDS = np.random.default_rng(20201021).integers(1, (1 << 31) - 1, size=(2, PERMUTATIONS), dtype=np.int64)
_A, _B = _SEEDS[0].astype(np.uint64), _SEEDS[1].astype(np.uint64)


def signature(text: str) -> bytes | None:
    """The word count and MinHash of a text's three-word runs, as bytes to store; None when too short."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < MIN_WORDS:
        return None
    runs = {zlib.crc32(" ".join(words[i:i + 3]).encode()) for i in range(len(words) - 2)}
    values = np.fromiter(runs, dtype=np.uint64, count=len(runs))
    hashed = (values[:, None] * _A[None, :] + _B[None, :]) % _PRIME   # < 2^32 * 2^31: no overflow
    return np.concatenate([[len(words)], hashed.min(axis=0)]).astype(np.uint64).tobytes()


def same_paper(a: bytes | None, b: bytes | None) -> bool:
    """Whether two signatures are of one paper: about as long, and most three-word runs shared."""
    if a is None or b is None:
        return False
    first, second = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    if len(first) != len(second):
        return False
    shorter, longer = sorted((int(first[0]), int(second[0])))
    if shorter < LENGTH_RATIO * longer:
        return False
    return float(np.mean(first[1:] == second[1:])) >= SAME_PAPER
