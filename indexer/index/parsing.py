"""The build's parse step: files -> parsed papers, a few ahead in a second process when there are many.

Parsing (pypdf's text extraction and LibreOffice's conversions, nearly all of it) and embedding each keep a core busy, so
for a larger corpus the files are parsed ahead in a second process while the build embeds.
Another executor replaces this step by handing back the same ParsedDocument for each file.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from ..errors import UnreadableFile
from ..papers.parse import ParsedDocument, parse_file
from ..readers.office import Conversions
from .plan import PARSE, Step

PARSE_AHEAD = 4              # files parsed ahead of the encoder
PARSE_PROCESS_FROM = 8       # files to parse before a second process pays for its start-up


class Parser:
    """parse_file for each step to parse, in order; with many, a second process parses a few ahead."""

    def __init__(self, stack: ExitStack, steps: list[Step], include_exempt: bool,
                 conversions: Conversions | None = None):
        self.steps = [step for step in steps if step.action == PARSE]
        self.next, self.running = 0, {}
        self.include_exempt, self.conversions = include_exempt, conversions
        self.pool = None
        if len(self.steps) >= PARSE_PROCESS_FROM:
            context = multiprocessing.get_context("spawn")  # a fresh process: none of this one's model threads
            self.pool = stack.enter_context(ProcessPoolExecutor(
                1, mp_context=context, initializer=_log_like_parent, initargs=(logging.getLogger("pypdf").level,)))

    def parse(self, step: Step) -> tuple[ParsedDocument, float]:
        """The parsed document and the seconds parsing took. Raises UnreadableFile."""
        if self.pool is None or step.action != PARSE:  # a known copy whose original has gone: parse it here
            return timed_parse(step.path, step.rel, step.overrides, self.include_exempt, self.conversions)
        while self.next < len(self.steps) and len(self.running) <= PARSE_AHEAD:
            ahead = self.steps[self.next]
            self.running[ahead.rel] = self._submit(ahead)
            self.next += 1
        return self.running.pop(step.rel).result()

    def _submit(self, step: Step) -> Future:
        return self.pool.submit(timed_parse, step.path, step.rel, step.overrides, self.include_exempt,
                                self.conversions)


def _log_like_parent(pypdf_level: int) -> None:
    """The parsing process reports pypdf's warnings as the caller asked (the CLI keeps only errors)."""
    logging.getLogger("pypdf").setLevel(pypdf_level)


def timed_parse(path: Path, rel: str, overrides: dict[str, str] | None, include_exempt: bool,
                conversions: Conversions | None = None) -> tuple[ParsedDocument, float]:
    """Raises UnreadableFile, also for a paper the parser fails on unexpectedly: it is listed as not
    indexed, with the error, and the build carries on with the others."""
    started = time.perf_counter()
    try:
        parsed = parse_file(path, rel, overrides, include_exempt, conversions)
    except UnreadableFile:
        raise
    except Exception as exc:   # a fault of ours on one paper must not lose the build of the rest
        logging.getLogger(__name__).debug("parsing %s failed", rel, exc_info=True)
        raise UnreadableFile(path, f"could not be parsed ({type(exc).__name__}: {exc})") from exc
    return parsed, time.perf_counter() - started
