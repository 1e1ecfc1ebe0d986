"""Stage 1, readers: a file -> its pages of raw text, one module a format.

Every reader makes the same record (pages.py: RawDocument, pages numbered from 1, each with
its text and printed label), so the later stages never ask what format a paper came in:
- pdf.py: PDFs, with ocr.py for scanned pages;
- office.py: Word, OpenDocument, PowerPoint, Excel and RTF files, through a PDF conversion;
- text.py: text, Markdown and HTML, with the page breaks the file marks (markup.py parses).
`find_files` lists every file of a corpus (hidden files and metadata.csv aside), so a file no
reader reads is listed as skipped with its reason; `read_file` reads one by its suffix.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import UnreadableFile
from .office import OFFICE, Conversions, read_office
from .pages import RawDocument
from .pdf import read_pdf
from .text import HTML, MARKDOWN, TEXT, read_text

Reader = Callable[[Path, "Conversions | None"], RawDocument]


def _pdf(path: Path, conversions: Conversions | None) -> RawDocument:
    return read_pdf(path)


def _text(path: Path, conversions: Conversions | None) -> RawDocument:
    return read_text(path)


READERS: dict[str, Reader] = {
    ".pdf": _pdf,
    **{suffix: read_office for suffix in OFFICE},
    **{suffix: _text for suffix in TEXT + MARKDOWN + HTML},
}

# What a file no reader reads is, so the build can say why it was left out.
_NOT_PAPERS = [
    ((".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".svg", ".heic"),
     "an image, not a paper (a scan should be saved as a PDF to be read)"),
    ((".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz"),
     "an archive: unpack it into the corpus folder to index the papers inside"),
    ((".csv", ".tsv", ".json", ".xml", ".geojson", ".sqlite", ".db", ".parquet"),
     "a data file (rows of data, not a paper)"),
    ((".mp3", ".mp4", ".wav", ".m4a", ".mov", ".avi", ".webm"), "audio or video, not a paper"),
]
SIDECAR = "metadata.csv"


def find_files(corpus_dir: Path) -> list[Path]:
    """Every file under corpus_dir, following linked folders (each real folder once).

    Hidden files (.DS_Store, .git) and the metadata.csv sidecars are left out; everything
    else is listed, so what no reader reads is reported as skipped rather than dropped."""
    found, seen = [], set()
    for folder, subfolders, names in os.walk(corpus_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders[:] = []
            continue
        seen.add(real)
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found += [Path(folder) / n for n in names
                  if not n.startswith(".") and n != SIDECAR and (Path(folder) / n).is_file()]
    return sorted(found)


def read_file(path: Path, conversions: Conversions | None = None) -> RawDocument:
    """The file's pages, read by the reader for its suffix. Raises UnreadableFile with the reason.

    conversions: where office files' PDF conversions are kept and looked for (office.py)."""
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise UnreadableFile(path, not_a_paper(Path(path)))
    return reader(Path(path), conversions)


def file_format(path: Path | str) -> str:
    """'pdf', 'docx', 'md': the suffix a file's format goes by."""
    return Path(path).suffix.lower().lstrip(".") or "(none)"


def not_a_paper(path: Path) -> str:
    suffix = path.suffix.lower()
    for suffixes, reason in _NOT_PAPERS:
        if suffix in suffixes:
            return reason
    return f"no reader for {suffix} files" if suffix else "no reader for files without a suffix"
