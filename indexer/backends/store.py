"""Stage 7: documents, pages, chunks and vectors -> an index folder on disk.

The folder holds plain files:
    vectors.faiss   the vectors; FAISS row id == chunks.id
    index.sqlite    documents, pages, chunks, skipped files
    manifest.json   how it was built: model, dimension, chunker version, file hashes

A build writes a sibling staging folder and swaps it in with one atomic rename,
so a crash mid-build leaves the previous index untouched and readers never see
half an index.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

import faiss
import numpy as np

from ..errors import IndexCorrupt, IndexerError, IndexMismatch, IndexNotFound
from ..index.checkpoints import reached
from ..papers.parse import ParsedDocument
from .fts import attach_vocabularies
from .vectors import APPROXIMATE_ABOVE, EXACT, publishable, reconstructable

VECTORS, DATABASE, MANIFEST = "vectors.faiss", "index.sqlite", "manifest.json"
FORMAT_VERSION = 4

_SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL, title TEXT,
    body TEXT, meeting_date TEXT, doc_type TEXT, page_count INTEGER NOT NULL,
    text_sha TEXT  -- fingerprint of the document's text, to find re-published copies
);
-- Other files with the same bytes or the same text, indexed once as doc_id.
CREATE TABLE copies (
    path TEXT PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id), sha256 TEXT NOT NULL,
    same TEXT NOT NULL  -- 'identical file' or 'same text'
);
CREATE INDEX copies_by_doc ON copies(doc_id);
CREATE TABLE pages (
    doc_id INTEGER NOT NULL REFERENCES documents(id), pdf_page INTEGER NOT NULL,
    page_label TEXT, status TEXT NOT NULL, note TEXT, item TEXT, text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0,  -- the text was read from a scan
    PRIMARY KEY (doc_id, pdf_page)
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id),
    pdf_page INTEGER NOT NULL, pdf_page_end INTEGER NOT NULL, page_label TEXT,
    page_label_end TEXT, item TEXT, heading TEXT, text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0  -- some of its text was read from a scan
);
CREATE INDEX chunks_by_doc ON chunks(doc_id);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id), meeting_date TEXT,
    item TEXT, text TEXT NOT NULL, pdf_page INTEGER NOT NULL, page_label TEXT,
    chunk_id INTEGER REFERENCES chunks(id)  -- the passage that holds it
);
CREATE INDEX decisions_by_doc ON decisions(doc_id);
CREATE TABLE skipped_files (path TEXT PRIMARY KEY, reason TEXT NOT NULL);
-- Keyword search: FTS5 indexes over chunks and decisions, filled once when the build is published.
CREATE VIEW chunk_search AS
    SELECT c.id AS id, c.text AS text,
           COALESCE(d.title, '') || ' ' || COALESCE(c.item, '') || ' ' || COALESCE(c.heading, '') AS context
    FROM chunks c JOIN documents d ON d.id = c.doc_id;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, context, content='chunk_search', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE decisions_fts USING fts5(
    text, item, content='decisions', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
"""

_DOCUMENT_COLUMNS = "path, sha256, title, body, meeting_date, doc_type, page_count, text_sha"
_PAGE_COLUMNS = "doc_id, pdf_page, page_label, status, note, item, text, ocr"
_CHUNK_COLUMNS = "id, doc_id, pdf_page, pdf_page_end, page_label, page_label_end, item, heading, text, ocr"


@dataclass
class Manifest:
    model: str
    dimension: int
    chunker_version: str
    corpus_root: str
    files: dict[str, str] = field(default_factory=dict)    # relative path -> sha256, indexed files
    skipped: dict[str, str] = field(default_factory=dict)  # relative path -> sha256, unreadable files
    copies: dict[str, str] = field(default_factory=dict)   # relative path -> sha256, copies of indexed files
    sidecar_sha: str | None = None           # what the metadata.csv files said (metadata.sidecar_fingerprint)
    ocr_engine: str | None = None            # what read scanned pages ("tesseract 5.3.0"), None when absent
    faiss_index: str = EXACT                 # or "IVF<lists>,SQ8" above the approximate threshold
    nprobe: int | None = None                # groups an approximate index reads per query
    include_exempt: bool = False             # pages marked exempt were indexed (an internal deployment)
    built_at: str = ""
    format_version: int = FORMAT_VERSION
    counts: dict[str, int] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = Path(folder) / MANIFEST
        if not path.is_file():
            raise IndexNotFound(folder)
        try:
            data = json.loads(path.read_text())
            return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
        except (ValueError, TypeError) as exc:
            raise IndexCorrupt(path, f"not a valid manifest: {exc}") from exc


class IndexWriter:
    """Writes a new index into a staging folder; `publish` swaps it into place."""

    def __init__(self, index_dir: Path, dimension: int, approximate_above: int = APPROXIMATE_ABOVE):
        self.index_dir = Path(index_dir)
        self.approximate_above = approximate_above
        self.staging = staging_folder(self.index_dir)
        remove_stale_staging(self.index_dir)
        self.staging.mkdir(parents=True)
        self.db = sqlite3.connect(self.staging / DATABASE)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.vectors = faiss.IndexFlatIP(dimension)
        self._copies: list[tuple[str, str, str, str]] = []

    def add_document(self, doc: ParsedDocument, vectors: np.ndarray) -> None:
        if len(vectors) != len(doc.chunks):
            raise IndexerError(f"{doc.rel_path}: {len(vectors)} vectors for {len(doc.chunks)} passages; "
                               "each passage needs exactly one")
        meta = doc.meta
        cursor = self.db.execute(
            f"INSERT INTO documents ({_DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.rel_path, doc.sha256, meta.title, meta.body, meta.meeting_date, meta.doc_type, len(doc.pages),
             doc.text_sha),
        )
        doc_id = cursor.lastrowid
        self.db.executemany(
            f"INSERT INTO pages ({_PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, p.pdf_page, p.page_label, p.status, p.note, str(item) if item else None, p.text, p.ocr)
                for p, item in zip(doc.pages, doc.page_items)
            ],
        )
        first_id = self.vectors.ntotal
        self.db.executemany(
            f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (first_id + n, doc_id, c.pdf_page, c.pdf_page_end, doc.label(c.pdf_page),
                 doc.label(c.pdf_page_end), c.item, c.heading, c.text, doc.read_by_ocr(c))
                for n, c in enumerate(doc.chunks)
            ],
        )
        self.db.executemany(
            "INSERT INTO decisions (doc_id, meeting_date, item, text, pdf_page, page_label, chunk_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, d.meeting_date, d.item, d.text, d.pdf_page, doc.label(d.pdf_page), first_id + doc.chunk_of(d))
             for d in doc.decisions],
        )
        if len(vectors):
            self.vectors.add(np.ascontiguousarray(vectors, dtype="float32"))

    def copy_document(self, source: "IndexReader", rel_path: str) -> int:
        """Carry an unchanged document over from the previous index without re-embedding it."""
        doc = source.db.execute(f"SELECT id, {_DOCUMENT_COLUMNS} FROM documents WHERE path = ?",
                                (rel_path,)).fetchone()
        cursor = self.db.execute(f"INSERT INTO documents ({_DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 tuple(doc)[1:])
        doc_id = cursor.lastrowid
        pages = source.db.execute(f"SELECT {_PAGE_COLUMNS} FROM pages WHERE doc_id = ?", (doc["id"],)).fetchall()
        self.db.executemany(f"INSERT INTO pages ({_PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(doc_id, *tuple(p)[1:]) for p in pages])
        rows = source.db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id = ? ORDER BY id", (doc["id"],)
        ).fetchall()
        first_id = self.vectors.ntotal
        self.db.executemany(
            f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first_id + n, doc_id, *tuple(r)[2:]) for n, r in enumerate(rows)],
        )
        decisions = source.db.execute(
            "SELECT meeting_date, item, text, pdf_page, page_label, chunk_id FROM decisions WHERE doc_id = ? ORDER BY id",
            (doc["id"],),
        ).fetchall()
        old_first = rows[0]["id"] if rows else 0
        self.db.executemany(
            "INSERT INTO decisions (doc_id, meeting_date, item, text, pdf_page, page_label, chunk_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, *tuple(d)[:5], first_id + d["chunk_id"] - old_first) for d in decisions],
        )
        if rows:
            ids = np.array([r["id"] for r in rows], dtype="int64")
            self.vectors.add(reconstructable(source.vectors).reconstruct_batch(ids))
        return len(rows)

    def add_skipped_file(self, rel_path: str, reason: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO skipped_files VALUES (?, ?)", (rel_path, reason))

    def add_copy(self, rel_path: str, sha256: str, of_path: str, same: str) -> None:
        """rel_path holds the same bytes or text as of_path, which is indexed (now or when flushed)."""
        self._copies.append((rel_path, sha256, same, of_path))

    def publish(self, manifest: Manifest) -> None:
        self.db.executemany(
            "INSERT INTO copies (path, doc_id, sha256, same) SELECT ?, id, ?, ? FROM documents WHERE path = ?",
            self._copies,
        )
        manifest.counts = self.counts()
        self.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
        self.db.execute("INSERT INTO decisions_fts(decisions_fts) VALUES ('rebuild')")
        self.db.commit()
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.close()
        vectors, manifest.faiss_index = publishable(self.vectors, self.approximate_above)
        manifest.nprobe = getattr(vectors, "nprobe", None)
        faiss.write_index(vectors, str(self.staging / VECTORS))
        manifest.write(self.staging)
        _fsync_folder(self.staging)
        reached("staged")
        swap_into_place(self.staging, self.index_dir)

    def abandon(self) -> None:
        self.db.close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "pages": one("SELECT COUNT(*) FROM pages"),
            "chunks": one("SELECT COUNT(*) FROM chunks"),
            "decisions": one("SELECT COUNT(*) FROM decisions"),
            "skipped_files": one("SELECT COUNT(*) FROM skipped_files"),
            "copies": one("SELECT COUNT(*) FROM copies"),
            "ocr_pages": one("SELECT COUNT(*) FROM pages WHERE ocr = 1"),
            "scanned_pages": one("SELECT COUNT(*) FROM pages WHERE status = 'scanned'"),
        }


class IndexReader:
    """Read-only view of a published index folder."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.manifest = Manifest.read(self.index_dir)
        if self.manifest.format_version != FORMAT_VERSION:
            raise IndexMismatch(
                f"{self.index_dir} was built by an older version (index format {self.manifest.format_version}, "
                f"now {FORMAT_VERSION}). Rebuild it with: python -m indexer build CORPUS_DIR --index {self.index_dir}"
            )
        db_path, vec_path = self.index_dir / DATABASE, self.index_dir / VECTORS
        for path in (db_path, vec_path):
            if not path.is_file():
                raise IndexCorrupt(path, "file is missing")
        try:
            self.db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise IndexCorrupt(db_path, str(exc)) from exc
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()
            attach_vocabularies(self.db)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise IndexCorrupt(db_path, str(exc)) from exc
        try:
            self.vectors = faiss.read_index(str(vec_path))
        except RuntimeError as exc:
            self.db.close()
            raise IndexCorrupt(vec_path, str(exc).strip().splitlines()[-1]) from exc
        chunk_count = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        if self.vectors.ntotal != chunk_count:
            self.db.close()
            raise IndexCorrupt(vec_path, f"{self.vectors.ntotal} vectors for {chunk_count} chunks")

    def close(self) -> None:
        self.db.close()


def staging_folder(index_dir: Path) -> Path:
    return index_dir.parent / f"{index_dir.name}.building-{os.getpid()}"


def remove_stale_staging(index_dir: Path) -> None:
    """Staging and swapped-out folders left by builds that were killed: their process is gone."""
    for folder in [*index_dir.parent.glob(f"{index_dir.name}.building-*"),
                   *index_dir.parent.glob(f"{index_dir.name}.old-*")]:
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def swap_into_place(staging: Path, index_dir: Path) -> None:
    """Make staging the index: an atomic exchange where the OS offers one."""
    if not index_dir.exists():
        os.rename(staging, index_dir)
        return
    if _exchange(staging, index_dir):
        reached("swapped")
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old index
        return
    old = index_dir.parent / f"{index_dir.name}.old-{os.getpid()}"
    os.rename(index_dir, old)
    os.rename(staging, index_dir)
    reached("swapped")
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swaps two folders in one step."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
