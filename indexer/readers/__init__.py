"""Stage 1, readers: a file -> its pages of raw text, one module a format.

`find_files` lists the files of a corpus that some reader reads; `read_file` reads one by its
suffix into a RawDocument (pages numbered from 1, each with its text and printed label).
Today: PDF (pdf.py), with OCR for scanned pages (ocr.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import UnreadableFile
from .pdf import RawDocument, read_pdf

READERS: dict[str, Callable[[Path], RawDocument]] = {".pdf": read_pdf}


def find_files(corpus_dir: Path) -> list[Path]:
    """Every file under corpus_dir that a reader reads, following linked folders (each real folder once)."""
    found, seen = [], set()
    for folder, subfolders, names in os.walk(corpus_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders[:] = []
            continue
        seen.add(real)
        subfolders.sort()
        found += [Path(folder) / n for n in names
                  if Path(n).suffix.lower() in READERS and (Path(folder) / n).is_file()]
    return sorted(found)


def read_file(path: Path) -> RawDocument:
    """The file's pages, read by the reader for its suffix. Raises UnreadableFile with the reason."""
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise UnreadableFile(path, f"no reader for {Path(path).suffix or 'files without a suffix'}")
    return reader(Path(path))
