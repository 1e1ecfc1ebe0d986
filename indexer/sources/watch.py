"""Saved searches: a question or words, with its mode and filters, kept beside the index.

They live in the folder `<index>.searches/` next to the index folder, never inside it (a build
swaps the index folder whole), so they survive every rebuild:

    searches.json   the saved searches, and the app's address the alerts link to
    seen.txt        the passages the alerts have already looked at (alerts.py)
    alerts.json     the newest alerts, which the app shows
    feeds/NAME.atom one Atom feed per saved search

Writes are whole-file (temp file + rename) under a lock, so the app and a sync can both save.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import BadQuery, IndexerError
from ..find.search import MODES
from ..records import Filters, make_filters
from .folder import safe_name

SEARCHES = "searches.json"
DEFAULT_APP_URL = "http://localhost:8501"
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class UnknownSearch(IndexerError):
    def __init__(self, name: str, known: list[str]):
        listed = ", ".join(known) if known else "none is saved yet"
        super().__init__(f"no saved search is called {name!r} (saved: {listed})")


@dataclass
class SavedSearch:
    name: str
    query: str
    mode: str = "hybrid"
    body: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    path: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)   # who gets a digest of its alerts
    created: str = ""

    def filters(self) -> Filters:
        return make_filters(self.body, self.doc_type, self.date_from, self.date_to, self.path)

    @property
    def slug(self) -> str:
        return slug(self.name)

    def describe(self) -> str:
        """'"homelessness" (keyword; body Cabinet; from 2024-01-01)'."""
        parts = [self.mode] if self.mode != "hybrid" else []
        parts += [f"body {', '.join(self.body)}"] if self.body else []
        parts += [f"type {', '.join(self.doc_type)}"] if self.doc_type else []
        parts += [f"from {self.date_from}"] if self.date_from else []
        parts += [f"to {self.date_to}"] if self.date_to else []
        parts += [f"under {', '.join(self.path)}"] if self.path else []
        return f'"{self.query}"' + (f" ({'; '.join(parts)})" if parts else "")


def slug(name: str) -> str:
    """A saved search's name as a file name (its feed's)."""
    return safe_name(name.replace(" ", "-").lower(), "search", limit=80)


def saved_search(name: str, query: str, mode: str = "hybrid", body=(), doc_type=(), date_from=None, date_to=None,
                 path=(), email=()) -> SavedSearch:
    """A saved search checked as a user typed it: a name, words to look for, a known mode, valid dates and
    e-mail addresses (BadQuery says which is wrong)."""
    name, query = " ".join((name or "").split()), " ".join((query or "").split())
    if not name:
        raise BadQuery("give the saved search a name")
    if len(name) > 80:
        raise BadQuery("a saved search's name can be at most 80 characters")
    if not query:
        raise BadQuery("give the question or words the saved search looks for")
    if mode not in MODES:
        raise BadQuery(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    filters = make_filters(list(body or ()), list(doc_type or ()), date_from, date_to, list(path or ()))
    addresses = [a.strip() for a in email or () if a.strip()]
    for address in addresses:
        if not _EMAIL.match(address):
            raise BadQuery(f"{address!r} is not an e-mail address")
    return SavedSearch(name, query, mode, list(filters.body), list(filters.doc_type), filters.date_from,
                       filters.date_to, list(filters.path), addresses,
                       dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def searches_folder(index_dir: Path | str) -> Path:
    index_dir = Path(index_dir).absolute()
    return index_dir.parent / f"{index_dir.name}.searches"


class SavedSearches:
    """The saved searches of one index."""

    def __init__(self, index_dir: Path | str):
        self.index_dir = Path(index_dir)
        self.folder = searches_folder(index_dir)
        self.file = self.folder / SEARCHES

    def all(self) -> list[SavedSearch]:
        return [SavedSearch(**{k: v for k, v in row.items() if k in SavedSearch.__dataclass_fields__})
                for row in self._read().get("searches", [])]

    def get(self, name: str) -> SavedSearch:
        for search in self.all():
            if search.name.lower() == " ".join(name.split()).lower():
                return search
        raise UnknownSearch(name, [s.name for s in self.all()])

    @property
    def app_url(self) -> str:
        return self._read().get("app_url") or DEFAULT_APP_URL

    def set_app_url(self, url: str) -> None:
        if not re.match(r"https?://[^\s/]+", url or ""):
            raise BadQuery(f"the app's address must start with http:// or https://, not {url!r}")
        with self._changing() as data:
            data["app_url"] = url.rstrip("/")

    def add(self, search: SavedSearch, replace: bool = False) -> None:
        """Save it; a search of the same name (or the same feed file name) is replaced only when asked."""
        with self._changing() as data:
            rows = data.setdefault("searches", [])
            same = [row for row in rows if row["name"].lower() == search.name.lower()
                    or slug(row["name"]) == search.slug]
            if same and not replace:
                raise BadQuery(f"a saved search called {same[0]['name']!r} exists: remove it first, or replace it")
            data["searches"] = [row for row in rows if row not in same] + [asdict(search)]

    def remove(self, name: str) -> SavedSearch:
        found = self.get(name)
        with self._changing() as data:
            data["searches"] = [row for row in data.get("searches", []) if row["name"] != found.name]
        feed = self.folder / "feeds" / f"{found.slug}.atom"
        feed.unlink(missing_ok=True)
        return found

    def _read(self) -> dict:
        try:
            return json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError as exc:
            raise IndexerError(f"{self.file}: not valid JSON ({exc}); fix or remove the file") from exc

    @contextmanager
    def _changing(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        with locked(self.folder / ".lock"):
            data = self._read()
            yield data
            write_whole(self.file, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


@contextmanager
def locked(path: Path):
    """An exclusive lock on `path` for the length of the block (other writers wait)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_whole(path: Path, text: str) -> None:
    """Replace the file in one step: readers see the old text or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
