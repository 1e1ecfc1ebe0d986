"""The index folder: a build is written into a staging folder beside it and swapped in whole.

The folder holds plain files:
    index.sqlite    the catalog: documents, pages, passages, decisions (catalog.py)
    vectors.faiss   the vector index; FAISS row id == passage (chunk) id
    vectors.npy     the float vectors themselves, kept when vectors.faiss is approximate
    manifest.json   how it was built: model, dimension, chunker version, file hashes
    converted/      office files' PDF conversions, by the hash of the file (page images, OCR)

A build writes a sibling staging folder and swaps it in with one atomic rename,
so a crash mid-build leaves the previous index untouched and readers never see
half an index.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

import faiss
import numpy as np

from ..errors import IndexerError
from ..index.checkpoints import reached
from ..papers.parse import ParsedDocument
from ..readers.office import CONVERT_TIMEOUT, Conversions
from .catalog_writer import CatalogWriter
from .manifest import Manifest
from .vectors import APPROXIMATE_ABOVE, publishable

DATABASE, VECTORS, FLOATS, CONVERTED = "index.sqlite", "vectors.faiss", "vectors.npy", "converted"


class BuildWriter:
    """Writes a new index into a staging folder; `publish` swaps it into place."""

    def __init__(self, index_dir: Path, dimension: int, approximate_above: int = APPROXIMATE_ABOVE,
                 convert_timeout: float = CONVERT_TIMEOUT, backend=None):
        """backend: a search backend elsewhere (milvus_sync.MilvusSync) brought up to date before the build is
        published."""
        self.index_dir = Path(index_dir)
        self.backend = backend
        self.approximate_above = approximate_above
        self.staging = staging_folder(self.index_dir)
        remove_stale_staging(self.index_dir)
        self.staging.mkdir(parents=True)
        self.catalog = CatalogWriter(self.staging / DATABASE)
        self.vectors = faiss.IndexFlatIP(dimension)   # the float vectors, in passage order
        # New conversions go into the build; the previous build's are linked in, never made again.
        self.conversions = Conversions(self.staging / CONVERTED, [self.index_dir / CONVERTED], convert_timeout)

    def add_document(self, doc: ParsedDocument, vectors: np.ndarray) -> None:
        if len(vectors) != len(doc.chunks):
            raise IndexerError(f"{doc.rel_path}: {len(vectors)} vectors for {len(doc.chunks)} passages; "
                               "each passage needs exactly one")
        self.catalog.add_document(doc, self.vectors.ntotal)
        self.add_vectors(vectors)

    def copy_document(self, source, rel_path: str, sha256: str) -> int:
        """Carry an unchanged document (its vectors, and its PDF conversion if it has one) over from the
        previous build (a local.LocalBuild)."""
        self.conversions.keep(sha256)
        old_ids = self.catalog.copy_document(source.catalog, rel_path, self.vectors.ntotal)
        if old_ids:
            self.add_vectors(source.vectors_by_id(old_ids))
        return len(old_ids)

    def add_vectors(self, vectors: np.ndarray) -> None:
        if len(vectors):
            self.vectors.add(np.ascontiguousarray(vectors, dtype="float32"))

    def publish(self, manifest: Manifest) -> None:
        manifest.counts = self.catalog.finish()
        vectors, manifest.faiss_index = publishable(self.vectors, self.approximate_above)
        manifest.nprobe = getattr(vectors, "nprobe", None)
        faiss.write_index(vectors, str(self.staging / VECTORS))
        if vectors is not self.vectors:  # approximate: keep the floats, so a rebuild never re-quantizes them
            np.save(self.staging / FLOATS, self.vectors.reconstruct_n(0, self.vectors.ntotal))
        if self.backend is not None:
            self.backend.sync(self.staging, self.vectors)
            manifest.backend, manifest.collection = self.backend.address.url, self.backend.address.collection
        manifest.write(self.staging)
        _fsync_folder(self.staging)
        reached("staged")
        swap_into_place(self.staging, self.index_dir)

    def abandon(self) -> None:
        self.catalog.abandon()
        shutil.rmtree(self.staging, ignore_errors=True)


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
        if path.is_dir():
            _fsync_folder(path)
            continue
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
