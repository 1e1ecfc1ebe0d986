"""Synthetic large indexes for the benchmark, grown from a real one.

Embedding a million passages on two cores would take a day, so the benchmark's
100k and 1M-passage indexes are made from a real index instead: each passage is
copied many times with a few of its words swapped for words drawn from the whole
corpus (so FTS5 sees realistic term statistics), and each copy's vector is the
original plus a little Gaussian noise, re-normalised. The index is written with
the same writer, full-text rebuild and vector-index choice as a real build.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..backends.folder import BuildWriter
from ..backends.local import LocalBuild
from ..backends.manifest import Manifest
from ..backends.schema import CHUNK_COLUMNS, DECISION_COLUMNS, DOCUMENT_COLUMNS
from ..backends.vectors import APPROXIMATE_ABOVE

NOISE = 0.025          # per dimension; a copy keeps a cosine of about 0.9 with its original
SWAPPED_WORDS = 0.08   # share of each copy's words replaced by corpus words
_BATCH = 50_000


@dataclass
class SyntheticIndex:
    index_dir: Path
    chunks: int
    seconds: float
    exact_top10: np.ndarray | None   # exact inner-product top 10 ids for the probe vectors
    exact_ms: list[float]            # exact search time per probe vector (before any approximate index)
    vector_index: str


def grow(source_dir: Path, target_dir: Path, chunks: int, probes: np.ndarray | None = None,
         approximate_above: int = APPROXIMATE_ABOVE, seed: int = 0) -> SyntheticIndex:
    """Write an index of `chunks` passages at target_dir, made from the real index at source_dir."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    source = LocalBuild(source_dir)
    documents = source.catalog.rows("documents", ("id", *DOCUMENT_COLUMNS))
    rows = source.catalog.rows("chunks", CHUNK_COLUMNS)
    decisions = source.catalog.rows("decisions", DECISION_COLUMNS)
    vectors = source.vectors_by_id(list(range(source.count())))
    words = [row[CHUNK_COLUMNS.index("text")].split() for row in rows]
    vocabulary = np.array([w for ws in words for w in ws], dtype=object)
    manifest = source.manifest
    source.close()

    writer = BuildWriter(target_dir, vectors.shape[1], approximate_above)
    copies = -(-chunks // len(rows))
    doc_ids = _copy_documents(writer, documents, copies)
    column = {name: n for n, name in enumerate(CHUNK_COLUMNS)}
    written = 0
    while written < chunks:
        count = min(_BATCH, chunks - written)
        picks = np.arange(written, written + count)
        originals = picks % len(rows)
        copy_numbers = picks // len(rows)
        batch = []
        for i, o, c in zip(picks, originals, copy_numbers):
            row = list(rows[o])
            row[column["id"]], row[column["passage_id"]] = int(i), f"synthetic-{int(i)}"
            row[column["doc_id"]] = doc_ids[(int(c), rows[o][column["doc_id"]])]
            row[column["text"]] = _perturbed(words[o], vocabulary, rng)
            batch.append(tuple(row))
        writer.catalog.add_rows("chunks", CHUNK_COLUMNS, batch)
        noisy = vectors[originals] + rng.normal(0, NOISE, (count, vectors.shape[1])).astype("float32")
        writer.add_vectors(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
        written += count
    writer.catalog.add_rows("decisions", DECISION_COLUMNS, _copy_decisions(decisions, rows, doc_ids, copies, chunks))
    exact_top10, exact_ms = None, []
    if probes is not None and len(probes):
        for probe in probes:
            begun = time.perf_counter()
            writer.vectors.search(probe[None, :], 10)
            exact_ms.append((time.perf_counter() - begun) * 1000)
        exact_top10 = writer.vectors.search(probes, 10)[1]
    built = Manifest(model=manifest.model, dimension=manifest.dimension, chunker_version=manifest.chunker_version,
                     corpus_root=manifest.corpus_root,
                     built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    writer.publish(built)
    return SyntheticIndex(Path(target_dir), chunks, time.perf_counter() - started, exact_top10, exact_ms,
                          built.faiss_index)


def _copy_decisions(decisions: list[tuple], chunk_rows: list[tuple], doc_ids: dict[tuple[int, int], int],
                    copies: int, chunks: int) -> list[tuple]:
    """Each copy of a passage holds the copies of the original's decisions, their groups kept together."""
    column = {name: n for n, name in enumerate(DECISION_COLUMNS)}
    chunk_at = {row[0]: n for n, row in enumerate(chunk_rows)}
    decision_at = {d[column["id"]]: n for n, d in enumerate(decisions)}
    copied = []
    for c in range(copies):
        for n, d in enumerate(decisions):
            chunk = d[column["chunk_id"]]
            if chunk is None or c * len(chunk_rows) + chunk_at[chunk] >= chunks:
                continue
            row = list(d)
            row[column["id"]] = c * len(decisions) + n + 1
            row[column["doc_id"]] = doc_ids[(c, d[column["doc_id"]])]
            row[column["chunk_id"]] = c * len(chunk_rows) + chunk_at[chunk]
            row[column["group_id"]] = c * len(decisions) + decision_at[d[column["group_id"]]] + 1
            copied.append(tuple(row))
    return copied


def _copy_documents(writer: BuildWriter, documents: list[tuple], copies: int) -> dict[tuple[int, int], int]:
    """One document row per (copy, original document); returns their new ids."""
    ids, rows = {}, []
    for copy in range(copies):
        for doc in documents:
            ids[(copy, doc[0])] = len(rows) + 1
            rows.append((len(rows) + 1, f"synthetic/{copy:04d}/{doc[1]}", *doc[2:]))
    writer.catalog.add_rows("documents", ("id", *DOCUMENT_COLUMNS), rows)
    return ids


def _perturbed(words: list[str], vocabulary: np.ndarray, rng: np.random.Generator) -> str:
    if not words:
        return ""
    copy = list(words)
    swaps = max(1, int(len(copy) * SWAPPED_WORDS))
    for position, word in zip(rng.integers(0, len(copy), swaps), vocabulary[rng.integers(0, len(vocabulary), swaps)]):
        copy[position] = word
    return " ".join(copy)
