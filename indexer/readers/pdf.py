"""A PDF file -> its pages of raw text, one record per PDF page (1-based).

Nothing here guesses at structure; it only reads what the file holds and says
precisely why a file or page could not be read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ..errors import UnreadableFile

# A page with fewer visible characters than this has no usable text layer.
MIN_PAGE_CHARS = 20

_CHAR_FIXES = {
    "\u00ad": "",  # soft hyphen
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\u2022": "•", "\u25cf": "•", "\u25aa": "•", "\u2023": "•", "\u25e6": "•",
    "\u2010": "-", "\u2011": "-", "\u2212": "-", "\r": " ", "\t": " ",
}
_CONTROL_HYPHEN = re.compile("(?<=[A-Za-z])\x02(?=[A-Za-z])")  # some exporters write '-' as \x02
_BROKEN_TI = re.compile(r"(?<=[a-z])\[(?=[a-z])")  # a lost 'ti' ligature: 'Regula[ons'

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # Symbol-font bullets and the like
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RawPage:
    number: int               # 1-based PDF page number
    text: str                 # extracted text, characters cleaned, lines kept
    pdf_label: str | None     # the PDF's own /PageLabels entry, when it defines one
    has_images: bool
    error: str | None = None  # why the text could not be extracted, if it could not
    ocr: bool = False         # the text was read from the page's picture (ocr.py)
    note: str | None = None   # why a scanned page's picture was not read


@dataclass
class RawDocument:
    path: Path
    sha256: str
    pages: list[RawPage]
    pdf_title: str | None


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def clean_chars(text: str) -> str:
    """Make extracted text readable: ligatures, odd spaces, symbol-font bullets."""
    for bad, good in _CHAR_FIXES.items():
        if bad in text:
            text = text.replace(bad, good)
    text = _PRIVATE_USE.sub("•", text)
    text = _CONTROL_HYPHEN.sub("-", text)
    text = _CONTROL.sub(" ", text)
    text = _BROKEN_TI.sub("ti", text)
    return text


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
    return RawDocument(path=path, sha256=file_hash(path), pages=pages, pdf_title=_title(reader))


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
        text = clean_chars(page.extract_text() or "")
        has_images = _has_images(page)
    except Exception as exc:  # pypdf raises many types on damaged content streams
        return RawPage(number, "", pdf_label, False, error=f"text could not be extracted ({_short(exc)})")
    return RawPage(number, text, pdf_label, has_images)


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


def visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())

