"""Who parses and embeds a build's new and changed files: this machine, or a Ray cluster (ray_build.py).

The build hands each file to `parse`, in order, and each batch of parsed papers to `embed`; both give
back what parsing.py and embed.py give, so the copies, the writer and the report are the same
whoever did the work.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Protocol

import numpy as np

from ..papers.parse import ParsedDocument
from ..readers.office import Conversions
from .embed import embed_documents
from .embedding import Embedder
from .parsing import Parser
from .plan import Step

Progress = Callable[[int, float], None]   # (passages embedded, seconds it took)


class Executor(Protocol):
    def parse(self, step: Step) -> tuple[ParsedDocument, float]:
        """The parsed document and the seconds parsing took. Raises UnreadableFile."""

    def embed(self, docs: list[ParsedDocument], progress: Progress) -> list[np.ndarray]:
        """The vectors of each document's passages, in passage order."""


class OnThisMachine:
    """parsing.Parser (a second process parsing ahead when there are many files) and embed.py's encoder."""

    def __init__(self, parser: Parser, embedder: Embedder):
        self.parser, self.embedder = parser, embedder

    def parse(self, step: Step) -> tuple[ParsedDocument, float]:
        return self.parser.parse(step)

    def embed(self, docs: list[ParsedDocument], progress: Progress) -> list[np.ndarray]:
        return embed_documents(docs, self.embedder, progress)


def executor(stack: ExitStack, steps: list[Step], include_exempt: bool, conversions: Conversions,
             embedder: Embedder, ray: str | None = None) -> Executor:
    """ray: None for this machine; a Ray cluster's address, or 'auto' for one started here (ray_build.py)."""
    if ray is None:
        return OnThisMachine(Parser(stack, steps, include_exempt, conversions), embedder)
    from .ray_build import RayExecutor  # Ray is imported only by a build that uses it

    return RayExecutor(stack, steps, include_exempt, conversions, embedder, ray)
