"""A PDF file -> its pages of raw text, one record per PDF page (1-based).

Nothing here guesses at structure; it only reads what the file holds and says
precisely why a file or page could not be read.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ..errors import UnreadableFile
from .pages import RawDocument, RawPage, clean_chars, file_hash


def read_pdf(path: Path) -> RawDocument:
    """Read every page of one PDF. Raises UnreadableFile when no page can be read."""
    path = Path(path)
    _check_header(path)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            _decrypt(reader, path)
        page_count = len(reader.pages)
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise UnreadableFile(path, f"corrupt or truncated PDF ({_short(exc)})") from exc
    if page_count == 0:
        raise UnreadableFile(path, "the PDF has no pages")

    labels = _page_labels(reader, page_count)
    pages = [_read_page(reader, i, labels[i]) for i in range(page_count)]
    if all(p.error for p in pages):
        raise UnreadableFile(path, f"no page could be read ({pages[0].error})")
    return RawDocument(path=path, sha256=file_hash(path), pages=pages, title=_title(reader), pdf_path=path)


def _check_header(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(path, "empty file (0 bytes)")
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise UnreadableFile(path, "not a PDF (no %PDF- header); is it another format renamed .pdf?")


def _decrypt(reader: PdfReader, path: Path) -> None:
    # Many council PDFs are "encrypted" only to forbid editing: the empty password opens them.
    try:
        if reader.decrypt(""):
            return
    except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
        raise UnreadableFile(path, f"encrypted, cannot be opened ({_short(exc)})") from exc
    raise UnreadableFile(path, "encrypted: a password is needed to open it")


def _page_labels(reader: PdfReader, page_count: int) -> list[str | None]:
    """The PDF's own /PageLabels, or None for every page when the PDF defines none."""
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return [None] * page_count
        labels = list(reader.page_labels)
    except (PdfReadError, KeyError, ValueError, TypeError, IndexError):
        return [None] * page_count
    if len(labels) != page_count:
        return [None] * page_count
    return [label or None for label in labels]


def _read_page(reader: PdfReader, index: int, pdf_label: str | None) -> RawPage:
    number = index + 1
    try:
        page = reader.pages[index]
        text = _undoubled(clean_chars(_by_rows(page, page.extract_text() or "")))
        has_images = _has_images(page)
    except Exception as exc:  # pypdf raises many types on damaged content streams
        return RawPage(number, "", pdf_label, False, error=f"text could not be extracted ({_short(exc)})")
    return RawPage(number, text, pdf_label, has_images)


_FIGURE = re.compile(r"^[-–(£$€]?\s*\d[\d,]*(?:\.\d+)?\)?%?$")   # '1,260.6', '(42.7)', '40%'
_FIGURES_APART = 6   # lines in a row each a lone figure: a table read column by column


def _by_rows(page, text: str) -> str:
    """The page's text; where it reads a table column by column, its figures apart from the names of their
    rows ('Council Tax Adult Social Care Levy' ... '155,881.6' many lines below), the page read again as
    laid out, each row on its line with its figures ('Council Tax Adult Social Care Levy 155,881.6 178,359.8'),
    the spaces laying out its columns closed up."""
    run = longest = 0
    for line in text.splitlines():
        if line.strip():
            run = run + 1 if _FIGURE.match(line.strip()) else 0
            longest = max(longest, run)
    if longest < _FIGURES_APART:
        return text
    try:
        laid_out = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # pypdf's layout mode fails on some content streams its plain mode reads
        return text
    rows = [" ".join(line.split()) for line in laid_out.splitlines()]
    return "\n".join(row for row in rows if row) or text


def _undoubled(text: str) -> str:
    """Bold faked by printing each character twice reads as 'CCHHIICCAAGGOO  22001199'. A word of eight
    characters or more with each one twice is read once; so is every word of a line where all are doubled
    and one of them is such a word ('CHICAGO 2019', 'JANUARY 10')."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        words = line.split()
        long_ones = [_twice(word) and len(word) >= 8 and any(c.isalpha() for c in word) for word in words]
        if any(long_ones):
            whole = all(_twice(word) for word in words)
            lines[n] = " ".join(word[::2] if whole or long else word for word, long in zip(words, long_ones))
    return "\n".join(lines)


def _twice(word: str) -> bool:
    return len(word) % 2 == 0 and word[::2] == word[1::2]


def _has_images(page) -> bool:
    try:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            subtype = obj.get("/Subtype")
            if subtype == "/Image":
                return True
            if subtype == "/Form" and "/XObject" in obj.get("/Resources", {}):
                return True
    except (AttributeError, KeyError, PdfReadError, TypeError):
        return False
    return False


def _title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, KeyError, TypeError, ValueError):
        return None
    if not title or not str(title).strip():
        return None
    return clean_chars(str(title)).strip()


def _short(exc: BaseException) -> str:
    message = str(exc).strip() or type(exc).__name__
    return message if len(message) <= 120 else message[:117] + "..."
