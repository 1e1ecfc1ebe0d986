"""The vector index: exact search up to a size, approximate search (IVF, 8-bit codes) above it.

Exact inner-product search reads every vector for every query; that is fast and
perfect up to a few hundred thousand passages. Above APPROXIMATE_ABOVE vectors a
build publishes an inverted-file index instead: vectors are grouped around
centroids, stored as 8-bit codes (a quarter of the memory), and a query reads only
the NPROBE nearest groups. The kind and its settings are written to the manifest.
"""

from __future__ import annotations

import math

import faiss
import numpy as np

APPROXIMATE_ABOVE = 200_000   # vectors; chosen from the benchmark (BENCHMARKS.md)
NPROBE = 256                  # groups a query reads (of about 2,048 at 1M): recall@10 against exact search in BENCHMARKS.md
_TRAINING_PER_LIST = 64       # training vectors per group (FAISS warns below 39)
_TRAINING_ROUNDS = 10         # k-means iterations
_ADD_BATCH = 100_000

EXACT = "IndexFlatIP"


def lists_for(count: int) -> int:
    """Groups for an inverted file over `count` vectors: about 2 * sqrt(count), a power of two."""
    return 2 ** max(4, round(math.log2(2 * math.sqrt(count))))


def publishable(exact: faiss.Index, approximate_above: int = APPROXIMATE_ABOVE) -> tuple[faiss.Index, str]:
    """The index to write for these vectors, and its FAISS description for the manifest."""
    count = exact.ntotal
    if count <= approximate_above:
        return exact, EXACT
    lists = min(lists_for(count), max(1, count // _TRAINING_PER_LIST))
    quantizer = faiss.IndexFlatIP(exact.d)
    index = faiss.IndexIVFScalarQuantizer(quantizer, exact.d, lists, faiss.ScalarQuantizer.QT_8bit,
                                          faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = _TRAINING_ROUNDS
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(count, size=min(count, lists * _TRAINING_PER_LIST), replace=False))
    index.train(exact.reconstruct_batch(sample))
    for start in range(0, count, _ADD_BATCH):
        index.add(exact.reconstruct_n(start, min(_ADD_BATCH, count - start)))
    index.nprobe = min(NPROBE, lists)
    return index, f"IVF{lists},SQ8"


def search_parameters(index: faiss.Index, selector: faiss.IDSelector | None = None) -> faiss.SearchParameters:
    """Parameters for one search: the filter's id selector, and for an inverted file how many groups to read."""
    if isinstance(index, faiss.IndexIVF):
        params = faiss.SearchParametersIVF(nprobe=index.nprobe)
    else:
        params = faiss.SearchParameters()
    if selector is not None:
        params.sel = selector
    return params


def reconstructable(index: faiss.Index) -> faiss.Index:
    """An index whose stored vectors can be read back by id (an inverted file needs its id map)."""
    if isinstance(index, faiss.IndexIVF) and not index.direct_map.type:
        index.make_direct_map()
    return index
