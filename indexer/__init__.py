"""Board Papers Search: index council and board PDFs, then search them with page citations.

    from indexer import ask, build_index, search
    build_index("corpus", "index")
    for hit in search("index", "what did we resolve on homelessness?", k=5):
        print(hit.citation)
    print(ask("index", "did the board adopt the strategy?").text)
"""

from .answer import Answer, ask
from .build import BuildReport, build_index
from .errors import BadQuery, IndexCorrupt, IndexerError, IndexMismatch, IndexNotFound, UnreadableFile
from .search import Hit, Index, open_index, search

__all__ = [
    "Answer", "BadQuery", "BuildReport", "Hit", "Index", "IndexCorrupt", "IndexMismatch", "IndexNotFound",
    "IndexerError", "UnreadableFile", "ask", "build_index", "open_index", "search",
]
