"""Build (or update) an index folder from a folder of PDFs.

`build_index` reads as the pipeline: find files, reuse what is unchanged, parse
and embed the rest in batches, write, publish. A file that cannot be read is
listed in the report with its reason and never stops the run.

Parsing (pypdf's text extraction, nearly all of it) and embedding each keep a core
busy, so for a larger corpus the files are parsed a few ahead in a second process
while this one embeds.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from ..backends.store import FORMAT_VERSION, IndexReader, IndexWriter, Manifest
from ..backends.vectors import APPROXIMATE_ABOVE
from ..errors import IndexerError, NothingIndexed, UnreadableFile
from ..papers.chunking import CHUNKER_VERSION
from ..papers.exempt import WITHHELD
from ..papers.layout import SCANNED, UNREADABLE
from ..papers.metadata import load_sidecar, sidecar_fingerprint
from ..papers.parse import ParsedDocument, parse_file
from ..readers import ocr
from ..readers.pdf import file_hash
from .checkpoints import reached
from .embedding import DEFAULT_MODEL, Embedder

EMBED_BATCH_CHUNKS = 256
PARSE_AHEAD = 4              # files parsed ahead of the encoder
PARSE_PROCESS_FROM = 8       # files to parse before a second process pays for its start-up


@dataclass
class BuildProgress:
    files_done: int
    files_total: int
    pages: int
    chunks: int          # chunks made so far (embedded or reused)
    embedded: int        # chunks embedded so far in this run
    current: str


@dataclass
class BuildReport:
    documents: int = 0
    pages: int = 0
    chunks: int = 0
    embedded_files: int = 0
    reused_files: int = 0
    removed_files: list[str] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)        # (path, reason)
    skipped_pages: list[tuple[str, int, str]] = field(default_factory=list)   # (path, page, reason)
    scanned_pages: int = 0         # pages left unread: scans that OCR could not read or was not run on
    ocr_pages: int = 0             # scanned pages read by OCR (this run or reused)
    ocr_seconds: float = 0.0       # OCR in this run
    copies: list[tuple[str, str, str]] = field(default_factory=list)          # (path, indexed as, same what)
    withheld_pages: list[tuple[str, int, str]] = field(default_factory=list)  # (path, page, marking)
    full_rebuild_reason: str | None = None
    seconds: float = 0.0
    parse_seconds: float = 0.0     # reading PDFs into pages, items and chunks
    embed_seconds: float = 0.0     # the embedding model alone
    vector_index: str = ""         # the FAISS index published (exact or approximate)


def find_pdfs(corpus_dir: Path) -> list[Path]:
    """Every *.pdf under corpus_dir, following linked folders (each real folder once)."""
    found, seen = [], set()
    for folder, subfolders, names in os.walk(corpus_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders[:] = []
            continue
        seen.add(real)
        subfolders.sort()
        found += [Path(folder) / n for n in names if n.lower().endswith(".pdf") and (Path(folder) / n).is_file()]
    return sorted(found)


def build_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    *,
    model: str | None = None,
    embedder: Embedder | None = None,
    progress: Callable[[BuildProgress], None] | None = None,
    approximate_above: int = APPROXIMATE_ABOVE,
    include_exempt: bool = False,
) -> BuildReport:
    """model: the embedding model's name (default all-MiniLM-L6-v2); embedder: one already loaded (its name is
    the model). approximate_above: above this many passages the vectors get an approximate index (see
    vectors.py). include_exempt: index pages marked exempt or confidential too (see exempt.py); recorded in
    the manifest."""
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir).resolve(), Path(index_dir)
    if not corpus_dir.is_dir():
        raise IndexerError(f"{corpus_dir} is not a folder of PDFs")
    if embedder is not None and model is not None and embedder.name != model:
        raise IndexerError(f"build_index was given the model {model} and an embedder for {embedder.name}; "
                           "give one of them")
    embedder = embedder or Embedder(model or DEFAULT_MODEL)
    report = BuildReport()
    files = find_pdfs(corpus_dir)
    previous, report.full_rebuild_reason = _previous_index(index_dir, embedder.name, corpus_dir, include_exempt)
    sidecar = load_sidecar(corpus_dir)
    manifest = Manifest(model=embedder.name, dimension=embedder.dimension, chunker_version=CHUNKER_VERSION,
                        corpus_root=str(corpus_dir), include_exempt=include_exempt, ocr_engine=ocr.engine(),
                        sidecar_sha=sidecar_fingerprint(sidecar))
    writer = IndexWriter(index_dir, embedder.dimension, approximate_above)
    state = {"done": 0, "embedded": 0, "current": ""}

    def tell(embedded_now: int = 0) -> None:
        state["embedded"] += embedded_now
        if progress:
            progress(BuildProgress(state["done"], len(files), report.pages, report.chunks,
                                   state["embedded"], state["current"]))

    stack = ExitStack()
    try:
        steps = _plan(files, corpus_dir, previous, sidecar, manifest.ocr_engine)
        reached("planned")
        parser = _Parser(stack, [step for step in steps if step.action == _PARSE], include_exempt)
        build = _Build(writer, manifest, report, previous, parser)
        for step in steps:
            state["current"] = step.rel
            build.ingest(step)
            if sum(len(d.chunks) for d in build.pending) >= EMBED_BATCH_CHUNKS:
                _flush(build.pending, embedder, writer, tell, report)
            state["done"] += 1
            tell()
        _flush(build.pending, embedder, writer, tell, report)
        if previous:
            report.removed_files = sorted(set(previous.manifest.files) - set(manifest.files))
        report.documents = len(manifest.files)
        if report.documents == 0 or report.chunks == 0:
            raise NothingIndexed(_nothing_message(corpus_dir, files, report))
        manifest.built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        writer.publish(manifest)
        report.vector_index = manifest.faiss_index
    except BaseException:
        writer.abandon()
        raise
    finally:
        stack.close()
        if previous:
            previous.close()
    report.seconds = time.monotonic() - started
    return report


def index_status(corpus_dir: Path | str, index_dir: Path | str, model: str = DEFAULT_MODEL,
                 include_exempt: bool = False) -> str:
    """'missing', 'current', 'stale', or 'other-corpus' (an index built from another folder)."""
    corpus_dir, index_dir = Path(corpus_dir).resolve(), Path(index_dir)
    if not (index_dir / "manifest.json").is_file():
        return "missing"
    try:
        manifest = Manifest.read(index_dir)
    except IndexerError:
        return "stale"
    if Path(manifest.corpus_root) != corpus_dir:
        return "other-corpus"
    if (manifest.model, manifest.chunker_version, manifest.format_version, manifest.include_exempt) != (
            model, CHUNKER_VERSION, FORMAT_VERSION, include_exempt):
        return "stale"
    if manifest.ocr_engine != ocr.engine() and manifest.counts.get("scanned_pages", 1):
        return "stale"  # scanned pages may now be read
    known = {**manifest.files, **manifest.skipped}
    files = {p.relative_to(corpus_dir).as_posix(): p for p in find_pdfs(corpus_dir)}
    known.update(manifest.copies)
    if set(files) != set(known) or any(file_hash(path) != known[rel] for rel, path in files.items()):
        return "stale"
    if sidecar_fingerprint(load_sidecar(corpus_dir)) != manifest.sidecar_sha:
        return "stale"  # a metadata.csv anywhere in the corpus was added, edited or removed
    return "current"


_UNREADABLE, _KNOWN_UNREADABLE, _REUSE, _PARSE = "unreadable", "known unreadable", "reuse", "parse"
_SAME_FILE, _KNOWN_COPY = "same file", "known copy"
IDENTICAL, SAME_TEXT = "identical file", "same text"


@dataclass
class _Step:
    """What to do with one file: decided from its hash before anything is parsed."""
    path: Path
    rel: str
    action: str
    sha: str | None = None
    reason: str | None = None
    overrides: dict[str, str] | None = None
    copy_of: str | None = None    # _SAME_FILE: the earlier file with these bytes
    text_sha: str | None = None   # _KNOWN_COPY: the text it had last time, when it was a copy


def _plan(files: list[Path], corpus_dir: Path, previous: IndexReader | None, sidecar: dict,
          ocr_engine: str | None) -> list[_Step]:
    steps, first_with = [], {}
    rescan = _unread_scans(previous) if previous and previous.manifest.ocr_engine != ocr_engine else set()
    for path in files:
        rel = path.relative_to(corpus_dir).as_posix()
        overrides = sidecar.get(rel)
        try:
            sha = file_hash(path)
        except OSError as exc:
            steps.append(_Step(path, rel, _UNREADABLE, reason=f"cannot be read ({exc.strerror or exc})"))
            continue
        if sha in first_with:
            steps.append(_Step(path, rel, _SAME_FILE, sha, copy_of=first_with[sha]))
            continue
        first_with[sha] = rel
        action = _PARSE
        if previous and previous.manifest.skipped.get(rel) == sha:
            reason = previous.db.execute("SELECT reason FROM skipped_files WHERE path = ?", (rel,)).fetchone()
            if reason:
                steps.append(_Step(path, rel, _KNOWN_UNREADABLE, sha, reason[0]))
                continue
        if previous and previous.manifest.files.get(rel) == sha and not _overrides_changed(previous, rel, overrides):
            action = _PARSE if rel in rescan else _REUSE
        text_sha = None
        if previous and previous.manifest.copies.get(rel) == sha:
            action, text_sha = _KNOWN_COPY, _copied_text(previous, rel)
        steps.append(_Step(path, rel, action, sha, overrides=overrides, text_sha=text_sha))
    return steps


def _unread_scans(previous: IndexReader) -> set[str]:
    """Documents with scanned pages left unread: read them again now that OCR has changed."""
    rows = previous.db.execute(
        "SELECT DISTINCT d.path FROM pages p JOIN documents d ON d.id = p.doc_id WHERE p.status = ?", (SCANNED,)
    )
    return {row[0] for row in rows}


def _copied_text(previous: IndexReader, rel: str) -> str | None:
    row = previous.db.execute(
        "SELECT d.text_sha FROM copies c JOIN documents d ON d.id = c.doc_id WHERE c.path = ?", (rel,)
    ).fetchone()
    return row[0] if row else None


class _Parser:
    """parse_file for each step to parse, in order; with many, a second process parses a few ahead."""

    def __init__(self, stack: ExitStack, steps: list[_Step], include_exempt: bool):
        self.steps, self.next, self.running = steps, 0, {}
        self.include_exempt = include_exempt
        self.pool = None
        if len(steps) >= PARSE_PROCESS_FROM:
            context = multiprocessing.get_context("spawn")  # a fresh process: none of this one's model threads
            self.pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=context))

    def parse(self, step: _Step) -> tuple[ParsedDocument, float]:
        """The parsed document and the seconds parsing took."""
        if self.pool is None or step.action != _PARSE:  # a known copy whose original has gone: parse it here
            return _timed_parse(step.path, step.rel, step.overrides, self.include_exempt)
        while self.next < len(self.steps) and len(self.running) <= PARSE_AHEAD:
            ahead = self.steps[self.next]
            self.running[ahead.rel] = self.pool.submit(_timed_parse, ahead.path, ahead.rel, ahead.overrides,
                                                       self.include_exempt)
            self.next += 1
        return self.running.pop(step.rel).result()


def _timed_parse(path: Path, rel: str, overrides, include_exempt: bool) -> tuple[ParsedDocument, float]:
    started = time.perf_counter()
    return parse_file(path, rel, overrides, include_exempt), time.perf_counter() - started


class _Build:
    """Each file's fate in this build: indexed (parsed or reused), a copy of one indexed, or skipped.

    It remembers the bytes and the words of every document indexed so far, to find copies.
    """

    def __init__(self, writer: IndexWriter, manifest: Manifest, report: BuildReport,
                 previous: IndexReader | None, parser: _Parser):
        self.writer, self.manifest, self.report = writer, manifest, report
        self.previous, self.parser = previous, parser
        self.pending: list[ParsedDocument] = []   # parsed, waiting to be embedded
        self.by_sha: dict[str, str] = {}          # file hash -> the path indexed with it
        self.by_text: dict[str, str] = {}         # text fingerprint -> the path indexed with it
        self.skipped: dict[str, str] = {}         # path -> why it was not indexed

    def ingest(self, step: _Step) -> None:
        if step.action in (_UNREADABLE, _KNOWN_UNREADABLE):
            self._skip(step, step.reason)
        elif step.action == _SAME_FILE:
            if step.copy_of in self.skipped:
                self._skip(step, self.skipped[step.copy_of])
            else:
                original = self.by_sha[step.sha]
                self._copy(step, original, IDENTICAL if self.manifest.files[original] == step.sha else SAME_TEXT)
        elif step.action == _KNOWN_COPY and step.text_sha in self.by_text:
            self._copy(step, self.by_text[step.text_sha], SAME_TEXT)
        elif step.action == _REUSE:
            self._reuse(step)
        else:
            self._parse(step)

    def _reuse(self, step: _Step) -> None:
        db = self.previous.db
        text_sha = db.execute("SELECT text_sha FROM documents WHERE path = ?", (step.rel,)).fetchone()[0]
        if text_sha in self.by_text:
            self._copy(step, self.by_text[text_sha], SAME_TEXT)
            return
        self.report.chunks += self.writer.copy_document(self.previous, step.rel)
        pages = db.execute(
            "SELECT p.pdf_page, p.status, p.note, p.ocr FROM pages p JOIN documents d ON d.id = p.doc_id"
            " WHERE d.path = ?", (step.rel,),
        ).fetchall()
        _count_pages(self.report, step.rel, [tuple(p) for p in pages])
        self._indexed(step.rel, step.sha, text_sha)
        self.report.reused_files += 1

    def _parse(self, step: _Step) -> None:
        try:
            doc, seconds = self.parser.parse(step)
        except UnreadableFile as exc:
            self._skip(step, exc.reason)
            return
        self.report.parse_seconds += seconds
        self.report.ocr_seconds += doc.ocr_seconds
        if doc.text_sha in self.by_text:
            self._copy(step, self.by_text[doc.text_sha], SAME_TEXT)
            return
        _count_pages(self.report, step.rel, [(p.pdf_page, p.status, p.note, p.ocr) for p in doc.pages])
        self.report.chunks += len(doc.chunks)
        self._indexed(step.rel, doc.sha256, doc.text_sha)
        self.report.embedded_files += 1
        self.pending.append(doc)
        reached("parsed")

    def _indexed(self, rel: str, sha: str, text_sha: str | None) -> None:
        self.manifest.files[rel] = sha
        self.by_sha[sha] = rel
        if text_sha:
            self.by_text[text_sha] = rel

    def _copy(self, step: _Step, original: str, same: str) -> None:
        """A file whose bytes or words are already indexed: kept as another path of that document."""
        self.writer.add_copy(step.rel, step.sha, original, same)
        self.manifest.copies[step.rel] = step.sha
        self.by_sha.setdefault(step.sha, original)
        self.report.copies.append((step.rel, original, same))

    def _skip(self, step: _Step, reason: str) -> None:
        if step.sha:
            self.manifest.skipped[step.rel] = step.sha
        self.skipped[step.rel] = reason
        self.writer.add_skipped_file(step.rel, reason)
        self.report.skipped_files.append((step.rel, reason))



def _overrides_changed(previous: IndexReader, rel: str, overrides: dict[str, str] | None) -> bool:
    """A sidecar edit changes a document's metadata without changing its bytes."""
    if not overrides:
        return False
    row = previous.db.execute(
        "SELECT body, meeting_date, doc_type, title FROM documents WHERE path = ?", (rel,)
    ).fetchone()
    return row is None or any(row[key] != value for key, value in overrides.items() if key in row.keys())


def _flush(pending: list[ParsedDocument], embedder: Embedder, writer: IndexWriter, tell,
           report: BuildReport) -> None:
    if not pending:
        return
    texts = [embedding_text(doc, chunk) for doc in pending for chunk in doc.chunks]
    parts = []
    for start in range(0, len(texts), 64):
        started = time.perf_counter()
        parts.append(embedder.encode_passages(texts[start:start + 64]))
        report.embed_seconds += time.perf_counter() - started
        tell(len(parts[-1]))
    vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dimension), dtype="float32")
    reached("embedded")
    start = 0
    for doc in pending:
        writer.add_document(doc, vectors[start:start + len(doc.chunks)])
        start += len(doc.chunks)
    pending.clear()
    reached("written")


def embedding_text(doc: ParsedDocument, chunk) -> str:
    """What the model sees: the passage under its item or heading, for context."""
    return with_context(chunk.item or chunk.heading or doc.meta.title, chunk.text)


def with_context(context: str | None, text: str) -> str:
    return f"{context}\n{text}" if context and not text.startswith(context) else text


def _previous_index(index_dir: Path, model: str, corpus_dir: Path,
                    include_exempt: bool) -> tuple[IndexReader | None, str | None]:
    """The existing index, if it can be reused; otherwise why everything is rebuilt."""
    if not (index_dir / "manifest.json").is_file():
        return None, None
    try:
        manifest = Manifest.read(index_dir)
    except IndexerError as exc:
        return None, f"the existing index could not be read ({exc})"
    if manifest.format_version != FORMAT_VERSION:
        return None, f"the index format changed (version {manifest.format_version} -> {FORMAT_VERSION})"
    if manifest.model != model:
        return None, f"the embedding model changed ({manifest.model} -> {model})"
    if manifest.chunker_version != CHUNKER_VERSION:
        return None, f"the chunker changed (version {manifest.chunker_version} -> {CHUNKER_VERSION})"
    if Path(manifest.corpus_root) != corpus_dir:
        return None, f"the corpus folder changed ({manifest.corpus_root} -> {corpus_dir})"
    if manifest.include_exempt != include_exempt:
        return None, "exempt material is now " + ("included" if include_exempt else "withheld")
    try:
        return IndexReader(index_dir), None
    except IndexerError as exc:
        return None, f"the existing index could not be read ({exc})"


def _count_pages(report: BuildReport, rel: str, pages: list[tuple[int, str, str | None, bool]]) -> None:
    report.pages += len(pages)
    for number, status, note, read_by_ocr in pages:
        report.ocr_pages += bool(read_by_ocr)
        if status == WITHHELD:
            report.withheld_pages.append((rel, number, note))
        if status in (SCANNED, UNREADABLE):
            report.skipped_pages.append((rel, number, note or status))
        if status == SCANNED:
            report.scanned_pages += 1



def _nothing_message(corpus_dir: Path, files: list[Path], report: BuildReport) -> str:
    if not files:
        return f"No PDF files found under {corpus_dir}"
    return (
        f"Nothing could be indexed from {len(files)} PDF file(s) under {corpus_dir}: "
        f"{len(report.skipped_files)} unreadable, {report.scanned_pages} scanned page(s) without text"
    )

