"""Each file's fate in a build: indexed (parsed or reused), a copy of one indexed, or skipped.

A paper is often published twice: the same file under two names, or the same words in a new
file (another producer, a re-issue). The ledger remembers the bytes and the words of every
document indexed so far, so each copy is indexed once, as another path of its original.
"""

from __future__ import annotations

from ..backends.folder import BuildWriter
from ..backends.local import LocalBuild
from ..backends.manifest import Manifest
from ..errors import UnreadableFile
from ..papers.parse import ParsedDocument
from .checkpoints import reached
from .parsing import Parser
from .plan import KNOWN_COPY, KNOWN_UNREADABLE, REUSE, SAME_FILE, UNREADABLE, Step
from .report import BuildReport, count_pages

IDENTICAL, SAME_TEXT = "identical file", "same text"


class Ledger:
    def __init__(self, writer: BuildWriter, manifest: Manifest, report: BuildReport,
                 previous: LocalBuild | None, parser: Parser):
        self.writer, self.manifest, self.report = writer, manifest, report
        self.previous, self.parser = previous, parser
        self.pending: list[ParsedDocument] = []   # parsed, waiting to be embedded
        self.by_sha: dict[str, str] = {}          # file hash -> the path indexed with it
        self.by_text: dict[str, str] = {}         # text fingerprint -> the path indexed with it
        self.skipped: dict[str, str] = {}         # path -> why it was not indexed

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
        text_sha = self.previous.catalog.document(step.rel)["text_sha"]
        if text_sha in self.by_text:
            self._copy(step, self.by_text[text_sha], SAME_TEXT)
            return
        self.report.chunks += self.writer.copy_document(self.previous, step.rel)
        count_pages(self.report, step.rel, self.previous.catalog.page_states(step.rel))
        self._indexed(step.rel, step.sha, text_sha)
        self.report.reused_files += 1

    def _parse(self, step: Step) -> None:
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
        count_pages(self.report, step.rel, [(p.pdf_page, p.status, p.note, p.ocr) for p in doc.pages])
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
