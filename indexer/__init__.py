"""Board Papers Search: index council and board PDFs, then search them with page citations.

    from indexer import ask, build_index, search
    build_index("corpus", "index")
    for hit in search("index", "what did we resolve on homelessness?", k=5):
        print(hit.citation)
    print(ask("index", "did the board adopt the strategy?").text)
"""

from .errors import BadQuery, IndexCorrupt, IndexerError, IndexMismatch, IndexNotFound, UnreadableFile
from .find.answer import Answer, ask
from .find.index import Index, open_index, search
from .index.build import build_index
from .index.report import BuildReport
from .records import Hit

__all__ = [
    "Answer", "BadQuery", "BuildReport", "Hit", "Index", "IndexCorrupt", "IndexMismatch", "IndexNotFound",
    "IndexerError", "UnreadableFile", "ask", "build_index", "open_index", "search",
]
