"""Board Papers Search: index council and board PDFs, then search them with page citations.

    from indexer import build_index, open_index
    build_index("corpus", "index")
    for hit in open_index("index").search("what did we resolve on homelessness?", k=5):
        print(hit.citation)
"""

from .build import BuildReport, build_index
from .errors import BadQuery, IndexCorrupt, IndexerError, IndexMismatch, IndexNotFound, UnreadableFile
from .search import Hit, Index, open_index

__all__ = [
    "BadQuery", "BuildReport", "Hit", "Index", "IndexCorrupt", "IndexMismatch", "IndexNotFound",
    "IndexerError", "UnreadableFile", "build_index", "open_index",
]
