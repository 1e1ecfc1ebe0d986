"""Each file's fate in a build: indexed (parsed or reused), a copy of one indexed, or skipped.

A paper is often published twice: the same file under two names, the same words in a new
file (another producer, a re-issue), or the same paper in another format (a PDF and its text,
a .doc and its .odt: nearly the same words, for the same meeting; see papers/likeness.py).
The ledger remembers the bytes and the words of every document indexed so far, so each copy
is indexed once, as another path of its original.
"""

from __future__ import annotations

from ..backends.folder import BuildWriter
from ..backends.local import LocalBuild
from ..backends.manifest import Manifest
from ..errors import UnreadableFile
from ..papers.likeness import same_paper
from ..papers.parse import ParsedDocument
from ..readers import file_format
from .checkpoints import reached
from .executor import Executor
from .plan import KNOWN_COPY, KNOWN_UNREADABLE, REUSE, SAME_FILE, UNREADABLE, Step
from .report import BuildReport, count_format, count_pages

IDENTICAL, SAME_TEXT = "identical file", "same text"


class Ledger:
    def __init__(self, writer: BuildWriter, manifest: Manifest, report: BuildReport,
                 previous: LocalBuild | None, parser: Executor):
        self.writer, self.manifest, self.report = writer, manifest, report
        self.previous, self.parser = previous, parser
        self.pending: list[ParsedDocument] = []   # parsed, waiting to be embedded
        self.by_sha: dict[str, str] = {}          # file hash -> the path indexed with it
        self.by_text: dict[str, str] = {}         # text fingerprint -> the path indexed with it
        self.skipped: dict[str, str] = {}         # path -> why it was not indexed
        self.by_date: dict[str | None, list[tuple[str, bytes]]] = {}  # meeting date -> (path, likeness.signature)

    def take(self, step: Step) -> None:
        if step.action in (UNREADABLE, KNOWN_UNREADABLE):
            self._skip(step, step.reason)
        elif step.action == SAME_FILE:
            if step.copy_of in self.skipped:
                self._skip(step, self.skipped[step.copy_of])
            else:
                original = self.by_sha[step.sha]
                self._copy(step, original, IDENTICAL if self.manifest.files[original] == step.sha else SAME_TEXT)
        elif step.action == KNOWN_COPY and step.text_sha in self.by_text:
            self._copy(step, self.by_text[step.text_sha], SAME_TEXT)
        elif step.action == REUSE:
            self._reuse(step)
        else:
            self._parse(step)

    def _reuse(self, step: Step) -> None:
        document = self.previous.catalog.document(step.rel)
        text_sha = document["text_sha"]
        original = self.by_text.get(text_sha) or self._same_paper(step.rel, document["meeting_date"],
                                                                  document["likeness"])
        if original:
            self._copy(step, original, SAME_TEXT)
            return
        chunks = self.writer.copy_document(self.previous, step.rel, step.sha)
        pages = self.previous.catalog.page_states(step.rel)
        self.report.chunks += chunks
        count_pages(self.report, step.rel, pages)
        count_format(self.report, step.rel, len(pages), chunks)
        self._indexed(step.rel, step.sha, text_sha, document["meeting_date"], document["likeness"])
        self.report.reused_files += 1

    def _parse(self, step: Step) -> None:
        try:
            doc, seconds = self.parser.parse(step)
        except UnreadableFile as exc:
            self._skip(step, exc.reason)
            return
        self.report.parse_seconds += seconds
        self.report.ocr_seconds += doc.ocr_seconds
        self.report.convert_seconds += doc.convert_seconds
        original = self.by_text.get(doc.text_sha) or self._same_paper(step.rel, doc.meta.meeting_date, doc.likeness)
        if original:
            self._copy(step, original, SAME_TEXT)
            return
        count_pages(self.report, step.rel, [(p.pdf_page, p.status, p.note, p.ocr) for p in doc.pages])
        self.report.chunks += len(doc.chunks)
        count_format(self.report, step.rel, len(doc.pages), len(doc.chunks))
        self._indexed(step.rel, doc.sha256, doc.text_sha, doc.meta.meeting_date, doc.likeness)
        self.report.embedded_files += 1
        self.pending.append(doc)
        reached("parsed")

    def _same_paper(self, rel: str, meeting_date: str | None, likeness: bytes | None) -> str | None:
        """An indexed document in another format, of the same meeting date, whose words are nearly all these."""
        return next((other_rel for other_rel, other in self.by_date.get(meeting_date, [])
                     if file_format(other_rel) != file_format(rel) and same_paper(likeness, other)), None)

    def _indexed(self, rel: str, sha: str, text_sha: str | None, meeting_date: str | None = None,
                 likeness: bytes | None = None) -> None:
        if likeness is not None:
            self.by_date.setdefault(meeting_date, []).append((rel, likeness))
        self.manifest.files[rel] = sha
        self.by_sha[sha] = rel
        if text_sha:
            self.by_text[text_sha] = rel

    def _copy(self, step: Step, original: str, same: str) -> None:
        """A file whose bytes or words are already indexed: kept as another path of that document."""
        self.writer.catalog.add_copy(step.rel, step.sha, original, same)
        self.manifest.copies[step.rel] = step.sha
        self.by_sha.setdefault(step.sha, original)
        self.report.copies.append((step.rel, original, same))

    def _skip(self, step: Step, reason: str) -> None:
        if step.sha:
            self.manifest.skipped[step.rel] = step.sha
        self.skipped[step.rel] = reason
        self.writer.catalog.add_skipped_file(step.rel, reason)
        self.report.skipped_files.append((step.rel, reason))
        count_format(self.report, step.rel, skipped=True)
