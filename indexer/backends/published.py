"""Which build of an index folder is current, and pinning a search to one build.

A rebuild publishes a new folder in one step (folder.py); the next search notices (the
manifest is a new file) and moves to it, while searches already running finish on the
files they started with. A newly published build that does not open is logged once and
tried again on later searches; meanwhile the build already open keeps answering.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexerError
from .local import LocalBuild
from .manifest import MANIFEST

Stamp = tuple[int, int]


class PublishedIndex:
    def __init__(self, index_dir: Path | str, open_build: Callable[[Path], LocalBuild] = LocalBuild):
        self.index_dir = Path(index_dir)
        self._open = open_build
        self._stamp = stamp(self.index_dir)
        self._build = open_build(self.index_dir)
        self._failed: Stamp | None = None
        self._lock = threading.Lock()
        self._pinned = threading.local()

    @property
    def build(self) -> LocalBuild:
        """The build this thread's search is pinned to, else the newest published one."""
        return getattr(self._pinned, "build", None) or self.current()

    @property
    def version(self) -> str:
        """Names the build being served; changes whenever a new one is served."""
        self.current()
        return "-".join(map(str, self._stamp or ()))

    def current(self) -> LocalBuild:
        found = stamp(self.index_dir)
        if found is not None and found != self._stamp:
            with self._lock:
                if found != self._stamp:
                    self._move_to(found)
        return self._build

    def _move_to(self, found: Stamp) -> None:
        try:
            build = self._open(self.index_dir)
        except IndexerError as exc:
            if found != self._failed:
                logging.getLogger(__name__).warning("kept the open index: the new one did not open (%s)", exc)
                self._failed = found
            return
        self._build, self._stamp = build, found  # the old files stay open until the searches using them finish

    @contextmanager
    def pinned(self) -> Iterator[LocalBuild]:
        """Everything this thread reads inside `with published.pinned():` comes from one build."""
        held = getattr(self._pinned, "build", None)
        if held is not None:
            yield held
            return
        self._pinned.build = self.current()
        try:
            yield self._pinned.build
        finally:
            self._pinned.build = None

    def close(self) -> None:
        self._build.close()


def stamp(index_dir: Path) -> Stamp | None:
    """Identifies the published build: each publish writes a new manifest file."""
    try:
        found = os.stat(index_dir / MANIFEST)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns
