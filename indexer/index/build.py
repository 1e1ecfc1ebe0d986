"""Build (or update) an index folder from a folder of papers.

`build_index` reads as the pipeline: plan (reuse what is unchanged), parse, find copies,
embed in batches, write, publish. A file that cannot be read is listed in the report with
its reason and never stops the run. Parsing (parsing.py) and embedding (embed.py) are done by an
executor (executor.py): this machine, or a Ray cluster with --ray (ray_build.py).
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..backends.folder import BuildWriter
from ..backends.interface import LOCAL
from ..backends.manifest import MANIFEST, Manifest
from ..backends.vectors import APPROXIMATE_ABOVE
from ..errors import IndexerError, NothingIndexed
from ..papers.chunking import CHUNKER_VERSION
from ..papers.metadata import load_sidecar, sidecar_fingerprint
from ..papers.parse import ParsedDocument
from ..readers import find_files, ocr, office
from ..readers.office import CONVERT_TIMEOUT
from .checkpoints import reached
from .copies import Ledger
from .embedding import DEFAULT_MODEL, Embedder
from .executor import Executor, executor
from .plan import Settings, plan, previous_build
from .report import BuildProgress, BuildReport

EMBED_BATCH_CHUNKS = 256   # passages parsed before they are embedded and written together


def build_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    model: str | None = None,
    embedder: Embedder | None = None,
    progress: Callable[[BuildProgress], None] | None = None,
    approximate_above: int = APPROXIMATE_ABOVE,
    include_exempt: bool = False,
    convert_timeout: float = CONVERT_TIMEOUT,
    backend: str | None = None,
    ray: str | None = None,
) -> BuildReport:
    """model: the embedding model's name (default e5-small-v2); embedder: one already loaded (its name is
    the model). approximate_above: above this many passages the vectors get an approximate index (see
    vectors.py). include_exempt: index pages marked exempt or confidential too (see exempt.py); recorded in
    the manifest. convert_timeout: seconds an office file may take to convert to PDF before it is skipped.
    backend: also write the passages into this Milvus collection (milvus://HOST:PORT[/COLLECTION]), which then
    serves the index's searches; None keeps what the index's manifest names, 'local' the embedded index only.
    ray: parse and embed the new and changed files with Ray Data on the cluster whose head is at this address
    (HOST:PORT), or 'auto' on a Ray instance started here for the build (ray_build.py)."""
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir).resolve(), Path(index_dir)
    if not corpus_dir.is_dir():
        raise IndexerError(f"{corpus_dir} is not a folder of papers")
    if embedder is not None and model is not None and embedder.name != model:
        raise IndexerError(f"build_index was given the model {model} and an embedder for {embedder.name}; "
                           "give one of them")
    embedder = embedder or Embedder(model or DEFAULT_MODEL)
    report = BuildReport()
    files = find_files(corpus_dir)
    previous, report.full_rebuild_reason = previous_build(index_dir, Settings(embedder.name, corpus_dir,
                                                                               include_exempt))
    sidecar = load_sidecar(corpus_dir)
    manifest = Manifest(model=embedder.name, dimension=embedder.dimension, chunker_version=CHUNKER_VERSION,
                        corpus_root=str(corpus_dir), include_exempt=include_exempt, ocr_engine=ocr.engine(),
                        sidecar_sha=sidecar_fingerprint(sidecar), converter=office.program())
    writer = BuildWriter(index_dir, embedder.dimension, approximate_above, convert_timeout,
                         _backend(backend, index_dir, embedder))
    tell = _Teller(progress, report, len(files))
    stack = ExitStack()
    try:
        steps = plan(files, corpus_dir, previous, sidecar, manifest.ocr_engine, manifest.converter)
        reached("planned")
        work = executor(stack, steps, include_exempt, writer.conversions, embedder, ray)
        ledger = Ledger(writer, manifest, report, previous, work)
        for step in steps:
            tell.current = step.rel
            ledger.take(step)
            if sum(len(doc.chunks) for doc in ledger.pending) >= EMBED_BATCH_CHUNKS:
                _embed_and_write(ledger.pending, work, writer, tell)
            tell.file_done()
        _embed_and_write(ledger.pending, work, writer, tell)
        if previous:
            report.removed_files = sorted(set(previous.manifest.files) - set(manifest.files))
        report.documents = len(manifest.files)
        if report.documents == 0 or report.chunks == 0:
            raise NothingIndexed(_nothing_message(corpus_dir, files, report))
        manifest.built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        writer.publish(manifest)
        report.vector_index = manifest.faiss_index
        if writer.backend is not None:
            report.backend = manifest.backend
            report.backend_written, report.backend_removed = writer.backend.written, writer.backend.removed
            report.backend_seconds = writer.backend.seconds
    except BaseException:
        writer.abandon()
        raise
    finally:
        stack.close()
        if previous:
            previous.close()
    report.seconds = time.monotonic() - started
    return report


def _backend(url: str | None, index_dir: Path, embedder: Embedder):
    """Where the build writes its passages besides the index folder: None, or a connected milvus_sync.MilvusSync."""
    if url is None and (index_dir / MANIFEST).is_file():
        try:
            url = Manifest.read(index_dir).backend
        except IndexerError:
            url = None
    if not url or url == LOCAL:
        return None
    from ..backends.milvus_sync import MilvusSync  # pymilvus is imported only by a build that uses it

    return MilvusSync(url, embedder.name, embedder.dimension)


def _embed_and_write(pending: list[ParsedDocument], work: Executor, writer: BuildWriter, tell: "_Teller") -> None:
    if not pending:
        return
    for doc, vectors in zip(pending, work.embed(pending, tell.embedded)):
        reached("embedded")
        writer.add_document(doc, vectors)
    pending.clear()
    reached("written")


class _Teller:
    """Tells the caller's progress callback how far the build has got."""

    def __init__(self, progress: Callable[[BuildProgress], None] | None, report: BuildReport, files: int):
        self.progress, self.report, self.files = progress, report, files
        self.done, self.passages_embedded, self.current = 0, 0, ""

    def embedded(self, passages: int, seconds: float) -> None:
        self.passages_embedded += passages
        self.report.embed_seconds += seconds
        self.tell()

    def file_done(self) -> None:
        self.done += 1
        self.tell()

    def tell(self) -> None:
        if self.progress:
            self.progress(BuildProgress(self.done, self.files, self.report.pages, self.report.chunks,
                                        self.passages_embedded, self.current))


def _nothing_message(corpus_dir: Path, files: list[Path], report: BuildReport) -> str:
    if not files:
        return f"No files found under {corpus_dir}"
    return (
        f"Nothing could be indexed from {len(files)} file(s) under {corpus_dir}: "
        f"{len(report.skipped_files)} unreadable, {report.scanned_pages} scanned page(s) without text"
    )
