"""How many threads the models and the vector index use, set in one place.

The encoders (onnxruntime, or torch for a sentence-transformers model) use INDEXER_THREADS threads
each (default: every core). A search's FAISS lookup runs on the calling thread alone: one query
gains nothing from more, and OpenMP's waiting threads would take cores from the encoders when
many searches run at once. Building the vector index uses every core.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from .errors import BadSetting

ENV = "INDEXER_THREADS"
SEARCH_FAISS_THREADS = 1


def model_threads() -> int:
    """Threads for one model call: INDEXER_THREADS, else the machine's cores."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return max(1, os.cpu_count() or 1)
    if not value.isdigit() or int(value) < 1:
        raise BadSetting(f"{ENV} must be a whole number of threads, 1 or more; got {value!r}")
    return int(value)


@contextmanager
def searching():
    """FAISS on the calling thread alone for what runs inside (OpenMP's setting is per thread)."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(SEARCH_FAISS_THREADS)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
