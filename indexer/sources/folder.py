"""The folder papers are fetched into: safe names, the hidden state file, and metadata.csv.

`metadata.csv` in the folder gives each file its committee (body), meeting date, document type, title, agenda
item and source address; it is rewritten whole (temp file + rename), keeping the rows of earlier runs. The state
file `.moderngov.json` (hidden, so the indexer leaves it alone) records for each address where its file went,
its ETag / Last-Modified and sha256, and is saved after every document.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..readers import SIDECAR
from .http import PART
from .listing import Document

STATE = ".moderngov.json"
COLUMNS = ["path", "body", "meeting_date", "doc_type", "title", "item", "source_url"]
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.I)  # names Windows will not create


def place(doc: Document) -> str:
    """'<committee>/<YYYY-MM-DD>/<file name>', each part made safe."""
    return "/".join((safe_name(doc.meeting.committee.title, "committee"), safe_name(doc.meeting.date, "undated"),
                     safe_name(doc.file_name, "document")))


def safe_name(name: str, default: str = "document", limit: int = 150) -> str:
    """One file or folder name that stays where it is put: no folders ('../../x.pdf' -> 'x.pdf'), no control
    characters or NUL, none of <>:"|?* , no leading dot (hidden) or trailing dot or space, no name Windows
    refuses, not the sidecar's name, at most `limit` bytes of UTF-8 with the suffix kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = next((part for part in reversed(re.split(r"[/\\]", name)) if part.strip(" .")), "")
    name = "".join("" if unicodedata.category(c) == "Cf" else " " if unicodedata.category(c)[0] in "CZ" else c
                   for c in name)  # invisible formatting dropped; controls and odd spaces made spaces
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return default
    if _RESERVED.match(name):
        name = "_" + name
    if name.lower() == SIDECAR or name.lower().endswith(PART):
        name = name.replace(".", "_", 1) if name.lower() == SIDECAR else name + "_"
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10 or not stem:
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    while len((stem + suffix).encode("utf-8")) > limit:
        stem = stem[:-1]
    return (stem.rstrip(" .") or default) + suffix


def inside(folder: Path, rel: str) -> bool:
    """rel names a place under folder (no absolute path, no '..' reaching out)."""
    if not rel or Path(rel).is_absolute() or "\0" in rel:
        return False
    root = folder.resolve()
    return (root / rel).resolve().is_relative_to(root)


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete the `.part` downloads and the temp files of metadata.csv and the state a killed run left behind."""
    temps = (f".{SIDECAR}.", f".{STATE}.")
    stale = [Path(d) / n for d, _, names in os.walk(folder) for n in names
             if n.endswith(PART) or (n.startswith(temps) and n.endswith(".tmp"))]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


class State:
    """What earlier runs fetched, by address: {url: {path, sha256, bytes, etag, last_modified}}."""

    def __init__(self, path: Path, documents: dict[str, dict]):
        self.path, self.documents = path, documents
        self.listed: set[str] = set()   # the addresses this run lists: their places are theirs
        self._taken = {e.get("path", "").lower(): url for url, e in documents.items()}

    @classmethod
    def load(cls, folder: Path) -> State:
        path = folder / STATE
        try:
            documents = json.loads(path.read_text(encoding="utf-8")).get("documents", {})
        except (OSError, ValueError, AttributeError):
            documents = {}  # none yet, or unreadable: the files are fetched again and compared, nothing is lost
        return cls(path, documents if isinstance(documents, dict) else {})

    def claim(self, rel: str, url: str) -> tuple[str, dict | None]:
        """A place for url: rel, or rel with the document's number added when an address listed this run holds
        it. A place held by an address no longer listed is taken over; its record is returned (else None)."""
        folder, _, name = rel.rpartition("/")
        stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
        query = parse_qs(urlsplit(url).query)
        number = (re.findall(r"/documents/[a-z](\d+)/", url) or query.get("ID") or [str(len(self._taken))])[0]
        candidates = [rel, f"{folder}/{stem} ({number}){dot}{suffix}"]
        candidates += [f"{folder}/{stem} ({number}-{n}){dot}{suffix}" for n in range(2, 1000)]
        free = {url, *(set(self.documents) - self.listed)}
        chosen = next(c for c in candidates if self._taken.get(c.lower(), url) in free)
        holder = self._taken.get(chosen.lower())
        self._taken[chosen.lower()] = url
        return chosen, self.documents.pop(holder, None) if holder not in (None, url) else None

    def record(self, url: str, rel: str, sha256: str, size: int, etag: str | None, last_modified: str | None) -> None:
        self.documents[url] = {"path": rel, "sha256": sha256, "bytes": size, "etag": etag,
                               "last_modified": last_modified}
        self._taken[rel.lower()] = url
        self.save()

    def save(self) -> None:
        _replace(self.path, json.dumps({"version": 1, "documents": self.documents}, indent=1, sort_keys=True))


class Sidecar:
    """FOLDER/metadata.csv: every row it held, with this run's rows put in by path."""

    def __init__(self, path: Path, columns: list[str], rows: dict[str, dict[str, str]]):
        self.path, self.columns, self.rows, self._dirty = path, columns, rows, False

    @classmethod
    def load(cls, folder: Path) -> Sidecar:
        path, rows, columns = folder / SIDECAR, {}, list(COLUMNS)
        if path.is_file():
            with open(path, newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                columns += [c for c in reader.fieldnames or [] if c and c not in columns]
                rows = {row["path"]: row for row in reader if row.get("path")}
        return cls(path, columns, rows)

    def put(self, rel: str, doc: Document) -> None:
        meeting = doc.meeting
        row = {"path": rel, "body": meeting.committee.title, "meeting_date": meeting.date, "doc_type": doc.doc_type,
               "title": doc.title, "item": doc.item, "source_url": doc.url}
        self.rows[rel] = {**self.rows.get(rel, {}), **row}
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, self.columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(self.rows[rel] for rel in sorted(self.rows))
        _replace(self.path, text.getvalue())
        self._dirty = False


def _replace(path: Path, text: str) -> None:
    """Write text to path whole or not at all: a temp file beside it, fsynced, renamed over it."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
